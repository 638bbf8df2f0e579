"""`dossiercheck find` and `dossiercheck describe` against CBS's real catalogues and tables, recorded in
../shared and served locally (tests/helpers/cbs_server.py)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import shared_path
from helpers.cbs_server import CbsServer, Fault
from helpers.cli import run_cli
from helpers.fetching import tree_digest

from dossiercheck.catalog import CATALOG_MAX_AGE, _taken_at, catalog
from dossiercheck.errors import SourceUnavailable
from dossiercheck.http import HttpSettings
from dossiercheck.snapshot import latest_good, verify

QUICK = HttpSettings(connect_timeout=1, read_timeout=0.5, retries=0, backoff=0)


@pytest.fixture
def catalogs():
    """CBS's two catalogues at their real paths: v4 <base>/CBS/Datasets, v3 /ODataCatalog/Tables."""
    server = CbsServer()
    server.routes["/CBS/Datasets"] = shared_path("cbs", "odata4", "_catalog", "Datasets.json").read_bytes()
    server.routes["/ODataCatalog/Tables"] = shared_path(
        "cbs", "odata3", "_catalog", "Tables.json"
    ).read_bytes()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def find(server, tmp_path, *args):
    return run_cli(
        "find", *args, "--v4-url", server.url, "--v3-url", server.host, "--raw", str(tmp_path / "raw"),
        "--retries", "0",
    )  # fmt: skip


def test_find_in_the_v4_catalogue_then_from_its_snapshot(catalogs, tmp_path):
    """Read by hand in Datasets.json (83 datasets): "bijstand" and "beëindigde" both occur in 37321abs
    (title "Algemene bijstand; nieuwe en beëindigde bijstandsuitkeringen, 2000-2004", Status
    Gediscontinueerd) and in 85617NED ("bijstand" in its title, "beëindigde" only in its Description,
    Regulier): asked as "Bijstand BEEINDIGDE" (other case, no diaeresis), the current table comes first."""
    proc = find(catalogs, tmp_path, "Bijstand", "BEEINDIGDE")
    assert proc.returncode == 0, proc.stderr
    assert "2 of 83 tables match 'Bijstand BEEINDIGDE'" in proc.stdout
    lines = [line for line in proc.stdout.splitlines() if line.startswith("  ")]
    assert lines == [
        "  85617NED   2026-06-12  Personen met bijstand; duur van de gestopte uitkeringssituatie",
        "  37321abs   2015-04-30  Algemene bijstand; nieuwe en beëindigde bijstandsuitkeringen, 2000-2004"
        "  [discontinued: Gediscontinueerd]",
    ]
    asked = [r for r in catalogs.requests if r.startswith("/CBS/Datasets")]
    assert len(asked) == 1 and "$select=Identifier,Title,Description,Status" in asked[0]
    # the catalogue is kept untouched as a snapshot under data/raw/_catalog_v4
    snapshot = latest_good(tmp_path / "raw" / "_catalog_v4")
    assert (snapshot / "Datasets.json").read_bytes() == catalogs.routes["/CBS/Datasets"]
    assert verify(snapshot)["source"] == "cbs_catalog_v4"
    # a second search under a week later reads that snapshot, without asking CBS. "inflatie": three
    # discontinued price tables have it in their titles (70801NED 2007-02-14, 71099ned and 71313ned both
    # 2016-06-16), the current CPI table 86141NED only in its Description
    proc = find(catalogs, tmp_path, "inflatie")
    assert proc.returncode == 0 and len([r for r in catalogs.requests if r.startswith("/CBS/Datasets")]) == 1
    ids = [line.split()[0] for line in proc.stdout.splitlines() if line.startswith("  ")]
    assert ids == ["86141NED", "71099ned", "71313ned", "70801NED"]
    # nothing matches: exit 1, as grep
    proc = find(catalogs, tmp_path, "inflatie", "zonnestroom")
    assert proc.returncode == 1 and "0 of 83 tables match" in proc.stdout


def test_find_in_the_v3_catalogue_marks_stopped_tables(catalogs, tmp_path):
    """Tables.json (20 tables): the three "Instromers flexibele schil" tables have Frequency Stopgezet
    (OutputStatus Gediscontinueerd), all modified 2019-10-24; "vacatures" with "seizoengecorrigeerd" are
    80474ned and 84545NED (both in their titles). The v4 slice has no vacancy table."""
    proc = find(catalogs, tmp_path, "flexibele", "schil", "--api", "v3")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("  ")]
    assert [line.split()[0] for line in lines] == ["83255NED", "83256NED", "83257NED"]
    assert all(line.endswith("[discontinued: Stopgezet]") for line in lines)
    assert [r for r in catalogs.requests if r.startswith("/ODataCatalog")] == [
        "/ODataCatalog/Tables?$format=json"
    ]
    proc = find(catalogs, tmp_path, "vacatures", "seizoengecorrigeerd", "--api", "both")
    assert proc.returncode == 0
    assert "0 of 83 tables match" in proc.stdout and "2 of 20 tables match" in proc.stdout
    assert [line.split()[0] for line in proc.stdout.splitlines() if line.startswith("  ")] == [
        "80474ned",
        "84545NED",
    ]


def test_an_unreachable_catalogue_keeps_the_copy_and_says_so(catalogs, tmp_path):
    raw = tmp_path / "raw"
    # no copy yet, CBS answers 503: a clear error, exit 2, nothing stored
    catalogs.faults["/CBS/Datasets"] = [Fault(status=503)]
    proc = find(catalogs, tmp_path, "bijstand")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "CBS catalogue (OData v4)" in proc.stderr and "answered HTTP 503" in proc.stderr
    assert "no earlier copy" in proc.stderr and latest_good(raw / "_catalog_v4") is None
    # with a copy: --refresh asks CBS, which answers 503; the copy is searched and left as it was
    assert find(catalogs, tmp_path, "bijstand").returncode == 0
    before = tree_digest(raw)
    catalogs.faults["/CBS/Datasets"] = [Fault(status=503)]
    proc = find(catalogs, tmp_path, "bijstand", "--refresh")
    assert proc.returncode == 0, proc.stderr
    assert "answered HTTP 503" in proc.stderr and "Searching the copy of" in proc.stderr
    assert "CBS could not be reached" in proc.stdout and "of 83 tables match" in proc.stdout
    assert tree_digest(raw) == before
    # a timeout, asked through the function: the same
    catalogs.faults["/CBS/Datasets"] = [Fault(hang=2)]
    entries, note = catalog("v4", raw, refresh=True, base_url=catalogs.url, http=QUICK)
    assert len(entries) == 83 and "could not be reached" in note and tree_digest(raw) == before


def test_a_catalogue_is_asked_for_again_after_a_week(catalogs, tmp_path):
    raw = tmp_path / "raw"
    catalog("v4", raw, base_url=catalogs.url, http=QUICK)
    taken = _taken_at(verify(latest_good(raw / "_catalog_v4")))
    catalog("v4", raw, base_url=catalogs.url, http=QUICK, now=taken + CATALOG_MAX_AGE - timedelta(minutes=1))
    assert catalogs.count("/CBS/Datasets") == 1
    catalog("v4", raw, base_url=catalogs.url, http=QUICK, now=taken + CATALOG_MAX_AGE)
    assert catalogs.count("/CBS/Datasets") == 2


def test_a_catalogue_that_is_not_one_is_refused(catalogs, tmp_path):
    catalogs.faults["/CBS/Datasets"] = [Fault(body=b'{"error": "no"}')]
    with pytest.raises(Exception, match="has no 'value' list, so it is not CBS's catalogue. Check --v4-url"):
        catalog("v4", tmp_path / "raw", base_url=catalogs.url, http=QUICK)
    assert latest_good(tmp_path / "raw" / "_catalog_v4") is None
    with pytest.raises(SourceUnavailable, match="could not reach"):
        catalog("v4", tmp_path / "raw", base_url="http://127.0.0.1:9/CBS", http=QUICK)


# --- describe --------------------------------------------------------------------------------------------


def describe(tmp_path, *args):
    return run_cli(
        "describe", *args, "--raw", str(tmp_path / "raw"), "--sources", str(tmp_path / "none.yaml")
    )


def test_describe_a_v4_table_fetches_it_once(cbs_server, odata4_dir, tmp_path):
    """85773NED as recorded: its Properties title, the eight measures of MeasureCodes.json (code, title,
    unit) and the 533 months of PeriodenCodes.json (1995MM01 "1995 januari" .. 2026MM05 "2026 mei")."""
    cbs_server.root = odata4_dir
    proc = describe(tmp_path, "85773NED", "--base-url", cbs_server.url, "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    assert "fetched it" in proc.stderr
    out = proc.stdout.splitlines()
    assert out[0] == "85773NED  Bestaande koopwoningen; verkoopprijzen prijsindex 2020=100"
    assert "CBS last changed it 2026-06-22; status Regulier" in out[1]
    assert "Measures (8), for metric.measure:" in out
    assert "  M001505_2  Prijsindex verkoopprijzen  [2020=100]" in out
    assert "  M001535    Totale waarde verkoopprijzen  [mln euro]" in out
    for m in json.loads((odata4_dir / "85773NED" / "MeasureCodes.json").read_bytes())["value"]:
        assert any(line.startswith(f"  {m['Identifier']} ") for line in out), m["Identifier"]
    assert "Perioden (533 codes), for metric.filters.Perioden:" in out
    assert "  1995MM01  1995 januari" in out and "  2026MM05  2026 mei" in out
    assert "  … 513 more (--all lists every code)" in out
    # the second time from the snapshot: no request
    asked = len(cbs_server.requests)
    again = describe(tmp_path, "85773NED", "--base-url", cbs_server.url, "--all")
    assert again.returncode == 0 and "fetched" not in again.stderr and len(cbs_server.requests) == asked
    assert len([line for line in again.stdout.splitlines() if line.startswith("  1995MM")]) == 12


def test_describe_a_v3_table(cbs_server, tmp_path):
    """80137ned (v3): TableInfos' title, topics from DataProperties (four "Totaal" told apart by their
    units), and the codes of Persoonskenmerken ("1 " padded in the recording: Totaal)."""
    cbs_server.root = shared_path("cbs", "odata3")
    proc = describe(tmp_path, "80137ned", "--api", "v3", "--base-url", cbs_server.host, "--retries", "0")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert out[0] == "80137ned  Arbeidsrekeningen; leeftijd en opleidingsniveau"
    assert "Measures (12), for metric.measure:" in out
    assert "  Totaal_1           Totaal  [1 000 banen]" in out
    assert "  Totaal_10          Totaal  [mld euro]" in out
    assert "  1  Totaal" in out and "Perioden (5 codes), for metric.filters.Perioden:" in out


def test_describe_errors_name_the_table_and_the_fix(tmp_path):
    proc = describe(tmp_path, "85773NED", "--base-url", "http://127.0.0.1:9/CBS", "--retries", "0")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("dossiercheck describe: CBS table 85773NED: could not reach")

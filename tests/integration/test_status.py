"""`dossiercheck status` as a CI job uses it: exit 0 only when every source was asked and none has anything
newer, 1 when something is newer, 2 when a source could not be asked. Tables are asked for their date,
files with a conditional HEAD (or a conditional GET where HEAD is refused)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import yaml
from conftest import ROOT, shared_path
from helpers.cli import run_cli
from helpers.fetching import FAST, fetch

from dossiercheck.fetch import fetch_source

SOURCES = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
DEBTS_FILE = "/dashboard/Ontwikkeling_NL.csv"


MOVISIE_CLAIMS = ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims"
INFLATIE_CLAIMS = ROOT / "dossiers" / "cbs-inflatie-2024" / "claims" / "01_inflatie.yaml"


def reading(tmp_path, sources) -> Path:
    """A claims folder with one claim on each of ``sources`` (the first claim of the inflation release,
    pointed at another source): status asks only the sources some claim reads."""
    first = yaml.safe_load(INFLATIE_CLAIMS.read_text())["claims"][0]
    claims = [dict(first, id=f"c{i}_{s.lower()}", source=s) for i, s in enumerate(sorted(sources))]
    folder = tmp_path / "claims"
    folder.mkdir(exist_ok=True)
    (folder / "01_proef.yaml").write_text(
        yaml.safe_dump({"theme": "01_proef", "title": "Proef", "claims": claims})
    )
    return folder


def status(tmp_path, config: dict, sources: dict):
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(sources))
    args = ["--config", "config.yaml", "--sources", "sources.yaml", "--claims", str(MOVISIE_CLAIMS)]
    args += ["--claims", str(reading(tmp_path, sources))]
    return run_cli("status", *args, "--raw", "raw", cwd=tmp_path)


def test_a_source_no_claim_reads_is_not_asked(cbs_server, tmp_path):
    """A table in sources.yaml that no claim of the dossiers reads is never fetched, so status does not ask
    it nor call it 'not fetched' (that would be a false alarm every month)."""
    cbs_server.root = shared_path("cbs", "odata4")
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({"cbs_odata4_url": cbs_server.url}))
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"86141NED": SOURCES["86141NED"]}))
    empty = tmp_path / "empty"
    empty.mkdir()
    before = len(cbs_server.requests)
    args = ["--config", "config.yaml", "--sources", "sources.yaml", "--claims", str(empty), "--raw", "raw"]
    out = run_cli("status", *args, cwd=tmp_path)
    assert out.returncode == 0 and "0 of 0 sources" in out.stdout and "NOT FETCHED" not in out.stdout
    assert cbs_server.requests[before:] == []


def test_a_table_is_asked_only_for_its_date(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    sources = {"85773NED": SOURCES["85773NED"]}
    before = len(cbs_server.requests)
    same = status(tmp_path, {"cbs_odata4_url": cbs_server.url}, sources)
    assert same.returncode == 0 and "0 of 1 sources have newer data" in same.stdout
    assert cbs_server.requests[before:] == ["/CBS/85773NED/Properties"]  # nothing but the date was asked for
    props = json.loads(shared_path("cbs", "odata4", "85773NED", "Properties.json").read_bytes())
    props["Modified"] = "2026-07-22T06:30:00+02:00"
    cbs_server.routes["/CBS/85773NED/Properties"] = json.dumps(props).encode()
    newer = status(tmp_path, {"cbs_odata4_url": cbs_server.url}, sources)
    assert newer.returncode == 1 and "NEWER" in newer.stdout
    assert "t4_koopwoningen_bijna_verdubbeld" in newer.stdout and "make refresh" in newer.stdout


def test_no_source_reachable_is_exit_2_not_a_pass(cbs_server, tmp_path):
    """Every source unreachable: nobody knows whether anything changed, so a gate must not pass (exit 2),
    and the summary says how many could not be asked and what to do."""
    cbs_server.root = shared_path("cbs", "odata4")
    fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    dead = {"cbs_odata4_url": "http://127.0.0.1:9/CBS"}  # nothing listens on port 9
    out = status(tmp_path, dead, {"85773NED": SOURCES["85773NED"]})
    assert out.returncode == 2, out.stdout + out.stderr
    assert "UNREACHABLE 85773NED" in out.stdout
    assert "0 of 1 sources have newer data upstream; 1 could not be asked (85773NED)" in out.stdout
    assert "proxy" in out.stdout and "mirror" in out.stdout


def test_a_file_is_asked_with_a_conditional_head(cbs_server, tmp_path):
    csv = shared_path("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv").read_bytes()
    cbs_server.routes[DEBTS_FILE] = csv
    entry = dict(SOURCES["schulden_ontwikkeling"], download_url=f"{cbs_server.host}{DEBTS_FILE}")
    fetch_source(
        "schulden_ontwikkeling", entry, tmp_path / "raw", tmp_path / "raw" / "schulden_ontwikkeling" / "current.json",
        base_urls={}, http=FAST,
    )  # fmt: skip
    sources = {"schulden_ontwikkeling": entry}
    etag = json.loads(next((tmp_path / "raw" / "schulden_ontwikkeling").glob("*/manifest.json")).read_text())
    assert any(f.get("etag") for f in etag["files"])  # the download's ETag was kept, to ask with

    before = len(cbs_server.requests)
    same = status(tmp_path, {}, sources)
    assert same.returncode == 0, same.stdout + same.stderr
    # one HEAD, answered 304 (If-None-Match matched): no body travelled
    assert cbs_server.methods[before:] == ["HEAD"] and cbs_server.requests[before:] == [DEBTS_FILE]

    cbs_server.no_head.add(DEBTS_FILE)  # a server that refuses HEAD: the same question as a GET
    before = len(cbs_server.requests)
    again = status(tmp_path, {}, sources)
    assert again.returncode == 0 and cbs_server.methods[before:] == ["HEAD", "GET"]

    cbs_server.routes[DEBTS_FILE] = csv + b'"2025-01";700000;8,3;7600000;"Totaal huishoudens"\r\n'
    changed = status(tmp_path, {}, sources)
    assert changed.returncode == 1 and "NEWER       schulden_ontwikkeling" in changed.stdout
    assert "t1_problematische_schulden_1_4_miljoen" in changed.stdout


# --- states that must not cry wolf -----------------------------------------------------------------------


def fetch_file(cbs_server, tmp_path, path=DEBTS_FILE):
    entry = dict(SOURCES["schulden_ontwikkeling"], download_url=f"{cbs_server.host}{path}")
    fetch_source(
        "schulden_ontwikkeling", entry, tmp_path / "raw", tmp_path / "raw" / "schulden_ontwikkeling" / "current.json",
        base_urls={}, http=FAST,
    )  # fmt: skip
    return {"schulden_ontwikkeling": entry}


def test_a_server_without_validators_is_compared_by_content(cbs_server, tmp_path):
    csv = shared_path("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv").read_bytes()
    cbs_server.routes[DEBTS_FILE] = csv
    cbs_server.no_validators.add(DEBTS_FILE)  # no ETag, no Last-Modified, conditions ignored
    sources = fetch_file(cbs_server, tmp_path)
    same = status(tmp_path, {}, sources)
    # the same bytes: same, exit 0 (before, a missing validator meant NEWER every time)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "same        schulden_ontwikkeling" in same.stdout
    cbs_server.routes[DEBTS_FILE] = csv + b'"2025-01";700000;8,3;7600000;"Totaal huishoudens"\r\n'
    changed = status(tmp_path, {}, sources)
    assert changed.returncode == 1 and "NEWER       schulden_ontwikkeling" in changed.stdout


def zipped(members: dict[str, bytes], date_time) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(zipfile.ZipInfo(name, date_time=date_time), body)
    return buf.getvalue()


def test_a_zip_packed_anew_with_the_same_files_is_the_same(cbs_server, tmp_path):
    csv = shared_path("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv").read_bytes()
    path = "/dashboard/Ontwikkeling_NL.zip"
    first = zipped({"Ontwikkeling_NL.csv": csv}, (2026, 7, 1, 12, 0, 0))
    again = zipped({"Ontwikkeling_NL.csv": csv}, (2026, 8, 1, 9, 30, 0))  # new timestamps, same CSV
    assert first != again  # the archives differ byte for byte
    cbs_server.routes[path] = first
    cbs_server.no_validators.add(path)
    entry = {
        "kind": "file", "download_url": f"{cbs_server.host}{path}", "url": f"{cbs_server.host}{path}",
        "table": {"format": "csv", "period": {"column": "jaar"}, "measures": {"x": {"title": "x", "unit": "x"}}},
    }  # fmt: skip
    raw = tmp_path / "raw"
    fetch_source("zipbron", entry, raw, raw / "zipbron" / "current.json", base_urls={}, http=FAST)
    cbs_server.routes[path] = again
    out = status(tmp_path, {}, {"zipbron": entry})
    assert out.returncode == 0 and "same        zipbron" in out.stdout, out.stdout + out.stderr
    # the fetch applies the same rule: the re-packed archive is no new snapshot, nothing downstream reruns
    pointer = fetch_source("zipbron", entry, raw, raw / "zipbron" / "current.json", base_urls={}, http=FAST)
    assert pointer["reused"] is True and len(list((raw / "zipbron").glob("2*"))) == 1
    # a changed member is newer, and a new snapshot
    cbs_server.routes[path] = zipped({"Ontwikkeling_NL.csv": csv + b"x\r\n"}, (2026, 8, 1, 9, 30, 0))
    assert status(tmp_path, {}, {"zipbron": entry}).returncode == 1
    pointer = fetch_source("zipbron", entry, raw, raw / "zipbron" / "current.json", base_urls={}, http=FAST)
    assert pointer["reused"] is False and len(list((raw / "zipbron").glob("2*"))) == 2


def test_a_table_that_is_gone_names_its_successor(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    cbs_server.routes["/CBS/85773NED/Properties"] = None  # from now on: 404
    cbs_server.root = None
    with_successor = {"85773NED": dict(SOURCES["85773NED"], successor="89999NED")}
    out = status(tmp_path, {"cbs_odata4_url": cbs_server.url}, with_successor)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "GONE        85773NED" in out.stdout and "its successor is 89999NED" in out.stdout
    assert "1 gone upstream (85773NED)" in out.stdout
    without = {"85773NED": {k: v for k, v in SOURCES["85773NED"].items() if k != "successor"}}
    out = status(tmp_path, {"cbs_odata4_url": cbs_server.url}, without)
    assert out.returncode == 1 and "no successor is declared" in out.stdout


def test_a_source_never_fetched_is_asked_whether_it_is_there(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    sources = {"85773NED": SOURCES["85773NED"], "86141NED": SOURCES["86141NED"]}
    before = len(cbs_server.requests)
    out = status(tmp_path, {"cbs_odata4_url": cbs_server.url}, sources)
    # no snapshot: not "newer" but not fetched, after one question each (is it there?), exit 1 (act on it)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "NOT FETCHED 85773NED" in out.stdout and "NOT FETCHED 86141NED" in out.stdout
    assert "0 of 2 sources have newer data upstream; 2 not fetched yet (85773NED, 86141NED)" in out.stdout
    assert sorted(cbs_server.requests[before:]) == ["/CBS/85773NED/Properties", "/CBS/86141NED/Properties"]
    # a table that is not there at all is gone, not "not fetched"
    out = status(
        tmp_path,
        {"cbs_odata4_url": cbs_server.url},
        {"00000NED": dict(SOURCES["85773NED"], table_id="00000NED")},
    )
    assert "GONE        00000NED" in out.stdout

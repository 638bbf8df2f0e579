"""Diffs of key figures: two real vintages of the house-price claim, mutated copies of a shared payload,
exit codes and determinism. Expected classes and values are worked out here from the raw files."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
import yaml
from conftest import ROOT, shared_path
from helpers.cli import run_cli
from helpers.fetching import fetch
from helpers.shared_site import file_routes

from dossiercheck import diff as d
from dossiercheck.claims import recompute_claim
from dossiercheck.fetch import fetch_source
from dossiercheck.sources.tidying import tidy_snapshot

SOURCES = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
HOUSE = next(
    c
    for c in yaml.safe_load(
        (ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims" / "04_wonen.yaml").read_text()
    )["claims"]
    if c["id"] == "t4_koopwoningen_bijna_verdubbeld"
)
# a bystander on the same table: the average sale price in the dossier's month, read as it is
PRICE = {
    "id": "t_gemiddelde_verkoopprijs", "quote": "gemiddeld 420.000 euro", "wording": "420.000",
    "value": 420000, "unit": "euro",
    "period": "dossier", "source": "85773NED",
    "metric": {"kind": "value", "measure": "M001534", "period_kind": "MM"},
}  # fmt: skip


def run(results) -> pd.DataFrame:
    return d.figures_from_results(results)


def by_figure(diffed: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(r.claim_id, r.figure): r._3 for r in diffed.itertuples()}


def recompute(claim, df, meta, source):
    return recompute_claim(
        claim, "04_wonen", df, meta, SOURCES[source], dossier_date=date(2023, 10, 1), qualifiers=QUALIFIERS
    )


@pytest.fixture
def prices(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    p = fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    return tidy_snapshot(tmp_path / "raw" / "85773NED" / p["snapshot_dir"])


def test_two_vintages_give_source_replaced_and_new_period(cbs_server, tmp_path, prices):
    cbs_server.routes.update(file_routes())
    entry = SOURCES["83906NED"]
    p = fetch_source("83906NED", entry, tmp_path / "raw", tmp_path / "raw" / "83906NED" / "current.json",
                     base_urls={"files_mirror_url": f"{cbs_server.host}/files"})  # fmt: skip
    old_df, old_meta = tidy_snapshot(tmp_path / "raw" / "83906NED" / p["snapshot_dir"], entry)
    # Both vintages cover December 2020: the same claim, for that month, in the old and the new table.
    claim = dict(HOUSE, period="2020MM12")
    old_claim = dict(
        claim, source="83906NED", metric=dict(claim["metric"], measure="PrijsindexBestaandeKoopwoningen_1")
    )
    a = run([recompute(old_claim, old_df, old_meta, "83906NED")])
    b = run([recompute(claim, *prices, "85773NED")])
    result = d.diff(a, b).set_index("figure")
    assert result.loc["dossier", "class"] == "source_replaced"  # same month, the successor table
    assert result.loc["newest", "class"] == "new_period"  # 2021MM12 (last of 2015=100) -> 2026MM05

    # by hand: the 2015=100 CSV and the 2020=100 JSON
    csv = pd.read_csv(
        shared_path("cbs", "statline-csv", "83906NED_UntypedDataSet_05022022_160508.csv"),
        sep=";",
        dtype=str,
        encoding="utf-8-sig",
    )
    old = dict(
        zip(csv.Perioden, csv.PrijsindexBestaandeKoopwoningen_1.str.strip().astype(float), strict=True)
    )
    raw = json.loads(shared_path("cbs", "odata4", "85773NED", "Observations.json").read_bytes())["value"]
    new = {r["Perioden"]: r["Value"] for r in raw if r["Measure"] == "M001505_2"}
    old_trough = min(v for k, v in old.items() if k.startswith("2013MM"))
    new_trough = min(v for k, v in new.items() if k.startswith("2013MM"))
    assert result.loc["dossier", "old_value"] == pytest.approx(old["2020MM12"] / old_trough)
    assert result.loc["dossier", "new_value"] == pytest.approx(new["2020MM12"] / new_trough)
    assert (result.loc["newest", "old_period"], result.loc["newest", "new_period"]) == (
        "2021MM12",
        max(k for k in new if "MM" in k),
    )
    assert result.loc["newest", "new_value"] == pytest.approx(
        new[max(k for k in new if "MM" in k)] / new_trough
    )


def test_mutations_give_exactly_the_expected_classes(prices):
    df, meta = prices
    base = run([recompute(HOUSE, df, meta, "85773NED"), recompute(PRICE, df, meta, "85773NED")])

    def classes(new_df):
        new = run([recompute(HOUSE, new_df, meta, "85773NED"), recompute(PRICE, new_df, meta, "85773NED")])
        return by_figure(d.diff(base, new))

    # The dossier's month is August 2023 (the newest CBS had published by 1 October 2023, 22 days' lag).
    # One cell of it moved by 1.0: (126.4 + 1) / 65.6 - 126.4 / 65.6 = 0.015, inside the claim's tolerance
    # of 0.05 ("verdubbeld" read at one decimal: half its step of 0.1); moved by 4.0 it is 0.061: revised,
    # and 130.4 / 65.6 = 1.988 still fits "bijna verdubbeld", so no claim changes status
    small = df.copy()
    small.loc[(small.measure == "M001505_2") & (small.period == "2023MM08"), "value"] += 1.0
    assert classes(small)[("t4_koopwoningen_bijna_verdubbeld", "dossier")] == "within_tolerance"
    revised = df.copy()
    revised.loc[(revised.measure == "M001505_2") & (revised.period == "2023MM08"), "value"] += 4.0
    assert classes(revised) == {
        ("t4_koopwoningen_bijna_verdubbeld", "dossier"): "revised",
        ("t4_koopwoningen_bijna_verdubbeld", "newest"): "unchanged",
        ("t_gemiddelde_verkoopprijs", "dossier"): "unchanged",
        ("t_gemiddelde_verkoopprijs", "newest"): "unchanged",
    }

    # one period switched from Voorlopig (in the old run) to Definitief (as recorded)
    provisional = df.copy()
    provisional.loc[provisional.period == "2026MM05", "period_status"] = "Voorlopig"
    old = run(
        [recompute(HOUSE, provisional, meta, "85773NED"), recompute(PRICE, provisional, meta, "85773NED")]
    )
    new = base
    assert by_figure(d.diff(old, new)) == {
        ("t4_koopwoningen_bijna_verdubbeld", "dossier"): "unchanged",
        ("t4_koopwoningen_bijna_verdubbeld", "newest"): "provisional_became_definitive",
        ("t_gemiddelde_verkoopprijs", "dossier"): "unchanged",
        ("t_gemiddelde_verkoopprijs", "newest"): "provisional_became_definitive",
    }

    # one measure removed: the house-price figures disappear, the average price stays
    removed = df[df.measure != "M001505_2"].reset_index(drop=True)
    assert classes(removed) == {
        ("t4_koopwoningen_bijna_verdubbeld", "dossier"): "removed",
        ("t4_koopwoningen_bijna_verdubbeld", "newest"): "removed",
        ("t_gemiddelde_verkoopprijs", "dossier"): "unchanged",
        ("t_gemiddelde_verkoopprijs", "newest"): "unchanged",
    }


def cli(*args, cwd):
    return run_cli(*args, cwd=cwd)


def test_exit_codes_and_byte_identical_output(prices, tmp_path):
    df, meta = prices
    results = [recompute(HOUSE, df, meta, "85773NED"), recompute(PRICE, df, meta, "85773NED")]
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        d.write_figures(run(results), tmp_path / name / "figures.csv")
    assert (tmp_path / "a" / "figures.csv").read_bytes() == (tmp_path / "b" / "figures.csv").read_bytes()
    same = cli("diff", "a", "b", "--format", "markdown", cwd=tmp_path)
    again = cli("diff", "a", "b", "--format", "markdown", cwd=tmp_path)
    assert same.returncode == 0 and same.stdout == again.stdout
    # every figure of both claims is listed, each as the same figure (CLASSES' Dutch label), nothing else
    rows = [line for line in same.stdout.splitlines()[2:] if line.startswith("| ")]
    assert sorted(r.split(" | ")[0].lstrip("| ") + "/" + r.split(" | ")[1] for r in rows) == [
        "t4_koopwoningen_bijna_verdubbeld/dossier", "t4_koopwoningen_bijna_verdubbeld/newest",
        "t_gemiddelde_verkoopprijs/dossier", "t_gemiddelde_verkoopprijs/newest",
    ]  # fmt: skip
    assert all(" | hetzelfde cijfer | " in r for r in rows)
    changed = df.copy()
    changed.loc[(changed.measure == "M001505_2") & (changed.period == "2023MM08"), "value"] += 5.0
    (tmp_path / "c").mkdir()
    d.write_figures(
        run([recompute(HOUSE, changed, meta, "85773NED"), recompute(PRICE, changed, meta, "85773NED")]),
        tmp_path / "c" / "figures.csv",
    )
    material = cli("diff", "a", "c", "--format", "json", cwd=tmp_path)
    assert material.returncode == 1 and json.loads(material.stdout)["counts"]["revised"] == 1
    table = cli("diff", "a", "c", "--format", "markdown", cwd=tmp_path).stdout
    house = next(
        r for r in table.splitlines() if r.startswith("| t4_koopwoningen_bijna_verdubbeld | dossier |")
    )
    assert " | herzien: zelfde periode, ander cijfer | " in house
    broken = cli("diff", "a", "no-such-run", cwd=tmp_path)
    assert broken.returncode == 2 and "names no figures" in broken.stderr


def test_baseline_accept_for_one_theme(tmp_path):
    rows = pd.DataFrame(
        [["c1", "01_inkomen", "dossier", "s", "T", "M", "2022JJ00", "Definitief", 1.0, "%", 0.0, "holds", "x"],
         ["c2", "04_wonen", "dossier", "s", "T", "M", "2022JJ00", "Definitief", 2.0, "%", 0.0, "holds", "x"]],
        columns=d.FIGURE_COLUMNS,
    )  # fmt: skip
    (tmp_path / "run").mkdir()
    d.write_figures(rows, tmp_path / "run" / "figures.csv")
    baseline = tmp_path / "dossiers" / "bestaanszekerheid-2023" / "baseline" / "figures.csv"
    d.accept_baseline(tmp_path / "run" / "figures.csv", baseline)
    moved = rows.copy()
    moved["value"] = [10.0, 20.0]
    d.write_figures(moved, tmp_path / "run" / "figures.csv")
    d.accept_baseline(tmp_path / "run" / "figures.csv", baseline, theme="04_wonen")
    accepted = d.read_figures(baseline).set_index("claim_id")["value"].to_dict()
    assert accepted == {"c1": 1.0, "c2": 20.0}  # only the named theme moved


def _figure(claim, theme="04_wonen", value=1.0, status="Definitief", claim_status="holds", period="2022JJ00"):
    return [claim, theme, "dossier", "s", "T1", "M1", period, status, value, "%", 0.05, claim_status, "snap"]


def test_the_remaining_classes_the_html_escaping_and_the_errors(tmp_path):
    """added, removed, status_changed and definitive_became_provisional, worked out by hand from two small
    figures files; the html fragment escapes what a figures file holds; a malformed file is exit 2; an
    unknown theme for `baseline accept --theme` is named with the themes there are."""
    old = pd.DataFrame(
        [_figure("c_status"), _figure("c_provisional"), _figure("c_removed")], columns=d.FIGURE_COLUMNS
    )
    new = pd.DataFrame(
        [
            _figure("c_status", claim_status="outdated"),  # same value and period, another verdict
            _figure("c_provisional", status="Voorlopig"),  # same value, the period is provisional again
            _figure("c_added", value=2.0),
        ],
        columns=d.FIGURE_COLUMNS,
    )
    result = d.diff(old, new).set_index("claim_id")
    assert result["class"].to_dict() == {
        "c_added": "added",
        "c_provisional": "definitive_became_provisional",
        "c_removed": "removed",
        "c_status": "status_changed",
    }
    assert result["material"].all() and d.exit_code(result.reset_index()) == 1

    hostile = pd.DataFrame([_figure("<script>alert(1)</script>")], columns=d.FIGURE_COLUMNS)
    html = d.to_html(d.diff(old.iloc[0:0], hostile))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    d.write_figures(old, tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("claim_id,value\nc1,1.0\n")  # not a figures table
    broken = cli("diff", "a.csv", "b.csv", cwd=tmp_path)
    assert broken.returncode == 2 and "b.csv is not a figures table (it lacks theme" in broken.stderr

    (tmp_path / "run").mkdir()
    d.write_figures(new, tmp_path / "run" / "figures.csv")
    unknown = cli(
        "baseline", "accept", "--theme", "09_onbekend", "--run", "run", "--baseline", "base.csv", cwd=tmp_path
    )
    assert unknown.returncode != 0 and "theme '09_onbekend' has no figures" in unknown.stderr
    assert "(themes: 04_wonen)" in unknown.stderr and not (tmp_path / "base.csv").exists()

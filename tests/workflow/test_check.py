"""`snakemake check` on the real data in ../shared, served locally: claims for all seven themes, and the
recomputed values and statuses of the claims whose data is there, derived here by hand from the raw files.

Sources that ../shared does not hold (80799ned) answer 404, and with unavailable_sources=report their
claims say so instead of stopping the run.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
import yaml
from conftest import ROOT, shared_path
from helpers.shared_site import THEMES, config_args, shared_site
from test_pipeline import snakemake, workflow_copy

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    server = shared_site()
    server.start()
    wf = workflow_copy(tmp_path_factory.mktemp("check"))
    try:
        proc = snakemake(wf, "check", *config_args(server))
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-5000:]
    results = {}
    for theme in THEMES:
        text = (wf / "data" / "processed" / "claims" / f"{theme}.csv").read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            results[row["claim_id"]] = row
    return wf, results, proc


def test_claims_for_all_seven_themes(checked):
    wf, results, _ = checked
    registered = {
        c["id"]
        for theme in THEMES
        for c in yaml.safe_load((ROOT / "config" / "claims" / f"{theme}.yaml").read_text())["claims"]
    }
    assert set(results) == registered
    assert not (wf / "reports" / "_output").exists()  # check stops before rendering


def _sum_85224(period: str) -> float:
    """Onbenut arbeidspotentieel by hand from the raw rows: the four component measures, not adjusted."""
    raw = json.loads(shared_path("cbs", "odata4", "85224NED", "Observations.json").read_bytes())["value"]
    parts = {"3000800_2", "3001040", "3001070", "3001020"}
    cells = [
        r["Value"]
        for r in raw
        if r["Measure"] in parts and r["Perioden"] == period and r["SeizoenEnWerkdagcorrectie"] == "A042501"
    ]
    assert len(cells) == 4
    return sum(cells)


def test_onbenut_arbeidspotentieel(checked):
    _, results, _ = checked
    row = results["t2_ruim_miljoen_langs_de_kant"]
    expected = _sum_85224("2022JJ00")
    assert float(row["dossier_period_value"]) == pytest.approx(expected)
    # "ruim een miljoen" (x 1 000): ruim admits more than 1000 up to 1200; no rounding allowance
    assert row["dossier_period_judgement"] == ("holds" if 1000 < expected <= 1200 else "contradicts")
    raw = json.loads(shared_path("cbs", "odata4", "85224NED", "Observations.json").read_bytes())["value"]
    newest_year = max(r["Perioden"] for r in raw if r["Perioden"].endswith("JJ00"))
    assert row["newest_period"] == newest_year
    assert float(row["newest_value"]) == pytest.approx(_sum_85224(newest_year))


def test_netto_arbeidsparticipatie(checked):
    _, results, _ = checked
    raw = json.loads(shared_path("cbs", "odata4", "85224NED", "Observations.json").read_bytes())["value"]
    value = next(
        r["Value"]
        for r in raw
        if r["Measure"] == "M001796_2"
        and r["Perioden"] == "2022JJ00"
        and r["SeizoenEnWerkdagcorrectie"] == "A042501"
    )
    row = results["t3_netto_arbeidsparticipatie_70_procent"]
    assert float(row["dossier_period_value"]) == pytest.approx(value)
    assert row["dossier_period_judgement"] == ("holds" if 63 <= value <= 77 else "contradicts")  # ongeveer 70


def test_house_prices_in_both_vintages(checked):
    _, results, _ = checked
    csv_rows = pd.read_csv(
        shared_path("cbs", "statline-csv", "83906NED_UntypedDataSet_05022022_160508.csv"),
        sep=";",
        encoding="utf-8-sig",
        dtype=str,
    )
    index = dict(
        zip(
            csv_rows["Perioden"],
            csv_rows["PrijsindexBestaandeKoopwoningen_1"].str.strip().astype(float),
            strict=True,
        )
    )
    trough = min(v for p, v in index.items() if p.startswith("2013MM"))
    newest = max(index)
    row = results["t4_koopwoningen_bijna_verdubbeld_2015_100"]
    assert row["newest_period"] == newest == "2021MM12"
    assert float(row["newest_value"]) == pytest.approx(index[newest] / trough)
    # The 2015=100 series ends in 2021: the dossier's month is beyond it, and sources.yaml names 85773NED.
    assert row["status"] == "source_discontinued" and "85773NED" in row["reason"]
    assert results["t4_koopwoningen_bijna_verdubbeld"]["status"] == "outdated"


def test_debts_dashboard(checked):
    _, results, _ = checked
    text = (
        shared_path("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv")
        .read_bytes()
        .decode("cp1252")
    )
    rows = [line.replace('"', "").split(";") for line in text.splitlines()[1:]]
    # the last peildatum on or before the dossier's date (2023-10-01) for "Totaal huishoudens": 2023-01
    r = next(r for r in rows if r[0] == "2023-01" and r[4] == "Totaal huishoudens")
    debts, no_debts = int(r[1]), int(r[3])
    hh = results["t1_huishoudens_7_miljoen"]
    assert hh["dossier_period"] == "2023MM01"
    assert float(hh["dossier_period_value"]) == debts + no_debts
    assert hh["dossier_period_judgement"] == (
        "holds" if 6.3e6 <= debts + no_debts <= 7.7e6 else "contradicts"
    )
    schulden = results["t1_problematische_schulden_1_4_miljoen"]
    assert float(schulden["dossier_period_value"]) == debts
    assert schulden["status"] == "revised"  # 0.73 million is not "een kleine 1,4 miljoen"


def test_loneliness(checked):
    _, results, _ = checked
    row2012 = results["t6_eenzaam_2012_39_procent"]
    assert float(row2012["dossier_period_value"]) == 39.6  # NL01, 18+, 2012 in the RIVM sheet
    assert row2012["status"] == "revised"  # 39.6 is not 39 (even allowing half a percent of rounding)
    row2022 = results["t6_eenzaam_2022_49_procent"]
    assert row2022["newest_period"] == "2020JJ00" and float(row2022["newest_value"]) == 47.0
    assert row2022["status"] == "not_recomputable" and "2022JJ00" in row2022["reason"]


def test_sources_not_in_shared_are_reported_not_fatal(checked):
    _, results, proc = checked
    for claim in ("t4_daklozen_26600", "t4_daklozen_dalende_trend"):
        assert results[claim]["status"] == "source_unavailable"
        assert "80799ned" in results[claim]["reason"] and "404" in results[claim]["reason"]
    assert "80799ned: NOT AVAILABLE" in proc.stderr


def test_not_recomputable_claims_keep_their_reason(checked):
    wf, results, _ = checked
    assert results["t7_lvb_1_2_miljoen"]["status"] == "not_recomputable"
    payload = json.loads((wf / "data" / "processed" / "claims" / "07_zinvol_bestaan.json").read_text())
    lvb = next(c for c in payload["claims"] if c["id"] == "t7_lvb_1_2_miljoen")
    assert lvb["citation"]["publisher"] == "SCP" and "1,1 miljoen" in lvb["reason"]


def test_low_income_persons_need_a_measure_the_shared_copy_lacks(checked):
    """The recorded 83841NED download holds only the household measures (1050010_1/_2); the claim reads
    persons (1050001_1, listed in its MeasureCodes.csv), so here it says exactly that."""
    _, results, _ = checked
    row = results["t1_bijna_miljoen_in_armoede"]
    assert row["status"] == "not_recomputable"
    assert "measure '1050001_1' is not in the table" in row["reason"] and "1050010_1" in row["reason"]

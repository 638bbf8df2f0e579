"""`snakemake check` on the real data in ../shared, served locally: claims for all seven themes, and the
verdicts of every claim whose data is there. For each, the test derives the value from the raw file, the
band from the dossier's wording by hand (the rule in config/config.yaml: a qualifier admits a band in
steps of the number's last significant digit), and the verdict for both periods and the status from them.

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


def status_from(dossier: str, newest: str, newer: bool) -> str:
    """The precedence of issue 12, by hand (no baseline here, so nothing is 'revised')."""
    if dossier == "contradicts":
        return "differs_from_source"
    if newer and newest == "contradicts":
        return "outdated"
    return "newer_data_confirms" if newer else "holds"


def assert_verdicts(row: dict, dossier_value: float, newest_value: float, admits) -> None:
    """Both periods' values and judgements, and the status they give."""
    assert float(row["dossier_period_value"]) == pytest.approx(dossier_value)
    assert float(row["newest_value"]) == pytest.approx(newest_value)
    d = "holds" if admits(dossier_value) else "contradicts"
    n = "holds" if admits(newest_value) else "contradicts"
    assert (row["dossier_period_judgement"], row["newest_judgement"]) == (d, n)
    assert row["status"] == status_from(d, n, row["newest_period"] != row["dossier_period"])


def test_onbenut_arbeidspotentieel(checked):
    _, results, _ = checked
    raw = json.loads(shared_path("cbs", "odata4", "85224NED", "Observations.json").read_bytes())["value"]
    newest_year = max(r["Perioden"] for r in raw if r["Perioden"].endswith("JJ00"))
    row = results["t2_ruim_miljoen_langs_de_kant"]
    assert row["dossier_period"] == "2022JJ00" and row["newest_period"] == newest_year
    # "Ruim een miljoen" (× 1 000): above a million, under the next step a writer names, anderhalf miljoen
    assert_verdicts(row, _sum_85224("2022JJ00"), _sum_85224(newest_year), lambda v: 1000 < v < 1500)
    # 2022: 1.157 thousand, 2025: 1.217 thousand: the sentence still holds, with newer data
    assert row["status"] == "newer_data_confirms"
    # "Een miljoen" (intro), a round word: half a step up to anderhalf (1.250), half a step down to
    # negenhonderdduizend (950)
    intro = results["t2_miljoen_geen_toegang_arbeidsmarkt"]
    assert_verdicts(intro, _sum_85224("2022JJ00"), _sum_85224(newest_year), lambda v: 950 <= v < 1250)


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
    newest_year = max(
        r["Perioden"] for r in raw if r["Perioden"].endswith("JJ00") and r["Measure"] == "M001796_2"
    )
    newest = next(
        r["Value"]
        for r in raw
        if r["Measure"] == "M001796_2"
        and r["Perioden"] == newest_year
        and r["SeizoenEnWerkdagcorrectie"] == "A042501"
    )
    row = results["t3_netto_arbeidsparticipatie_70_procent"]
    # "70 procent": the trailing zero is read as rounding, step 10: 65 up to 75
    assert_verdicts(row, value, newest, lambda v: 65 <= v < 75)


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

    # 2020=100: the dossier's month is the newest CBS had published on 1 October 2023 (a month appears
    # 22 days after it ends): August 2023 (31 August + 22 days = 22 September); September appeared on
    # 22 October. "bijna verdubbeld": 1,9 up to 2.
    raw = json.loads(shared_path("cbs", "odata4", "85773NED", "Observations.json").read_bytes())["value"]
    new = {r["Perioden"]: r["Value"] for r in raw if r["Measure"] == "M001505_2" and "MM" in r["Perioden"]}
    new_trough = min(v for p, v in new.items() if p.startswith("2013"))
    newest_month = max(p for p, v in new.items() if v is not None)
    row = results["t4_koopwoningen_bijna_verdubbeld"]
    assert row["dossier_period"] == "2023MM08" and row["newest_period"] == newest_month
    assert "1 oktober 2023" in row["dossier_period_why"] and "augustus 2023" in row["dossier_period_why"]
    assert_verdicts(
        row, new["2023MM08"] / new_trough, new[newest_month] / new_trough, lambda v: 1.9 <= v < 2.0
    )
    assert row["status"] == "outdated"  # 1,93 then, 2,36 now
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"]  # fmt: skip
    multiple = f"{new[newest_month] / new_trough:.2f}".replace(".", ",")
    assert row["suggested_wording"] == (
        "De prijzen van koopwoningen zijn sinds het dieptepunt in de huizenprijzen in 2013 meer dan "
        f"verdubbeld ({multiple} keer het dieptepunt van 2013, {months[int(newest_month[6:]) - 1]} "
        f"{newest_month[:4]}; CBS)."
    )


def test_debts_dashboard(checked):
    _, results, _ = checked
    text = (
        shared_path("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv")
        .read_bytes()
        .decode("cp1252")
    )
    rows = [line.replace('"', "").split(";") for line in text.splitlines()[1:]]
    totals = {r[0]: (int(r[1]), int(r[3])) for r in rows if r[4] == "Totaal huishoudens"}
    # Peildatums 2023-01 and 2024-01. With sources.yaml's lag of 180 days after the month, 2023-01 was
    # public by 30 July 2023, before the dossier (1 October 2023); 2024-01 is the newest.
    debts, no_debts = totals["2023-01"]
    new_debts, new_no_debts = totals["2024-01"]
    hh = results["t1_huishoudens_7_miljoen"]
    assert (hh["dossier_period"], hh["newest_period"]) == ("2023MM01", "2024MM01")
    # "ongeveer 7 miljoen": step 1 miljoen, 6,5 up to 7,5 miljoen
    assert_verdicts(hh, debts + no_debts, new_debts + new_no_debts, lambda v: 6.5e6 <= v < 7.5e6)
    assert hh["status"] == "differs_from_source"  # 8,27 miljoen: the dossier was off when it was written
    # the proposal: the newest count at the dossier's precision (whole millions, in digits as the dossier
    # wrote "7"), then the count itself in millions with two decimals
    newest = new_debts + new_no_debts
    assert hh["suggested_wording"] == (
        f"Nederland telt ongeveer {round(newest / 1e6)} miljoen huishoudens "
        f"({f'{newest / 1e6:.2f}'.replace('.', ',')} miljoen huishoudens, januari 2024; CBS)."
    )
    # the registered debts measure another thing than the dossier's survey: shown, never judged
    schulden = results["t1_problematische_schulden_1_4_miljoen"]
    assert float(schulden["dossier_period_value"]) == debts
    assert float(schulden["newest_value"]) == new_debts
    assert schulden["status"] == "other_definition"
    assert schulden["dossier_period_judgement"] == "" and schulden["newest_judgement"] == ""
    assert schulden["suggested_wording"] == "" and "Panteia" in schulden["reason"]


def test_loneliness(checked):
    _, results, _ = checked
    from python_calamine import CalamineWorkbook

    sheet = (
        CalamineWorkbook.from_path(
            str(shared_path("cbs", "rivm", "gezondheid-wijk-buurt", "2012_18plus.xlsx"))
        )
        .get_sheet_by_index(0)
        .to_python()
    )
    head = [str(h).strip() for h in sheet[0]]
    cell = next(
        float(r[head.index("Eenzaam_28")])
        for r in sheet[1:]
        if str(r[head.index("WijkenEnBuurten")]).strip() == "NL01"
        and int(r[head.index("Leeftijd")]) == 20300  # a number cell in the xlsx
        and str(r[head.index("Marges")]).strip() == "MW00000"
    )
    row2012 = results["t6_eenzaam_2012_39_procent"]
    # "39 procent": 38,5 up to 39,5; the 2012 file says 39,6 for NL01, 18+
    assert_verdicts(row2012, cell, cell, lambda v: 38.5 <= v < 39.5)
    assert row2012["status"] == "differs_from_source"  # not "herzien": the source did not move
    assert row2012["suggested_wording"] == (
        "In 2012 voelde nog 40 procent van de volwassenen zich eenzaam "
        f"({f'{cell:.1f}'.replace('.', ',')}% van de volwassenen, 2012; RIVM/CBS (Gezondheidsmonitor))."
    )
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

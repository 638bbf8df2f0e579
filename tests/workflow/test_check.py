"""`snakemake check` on the real data in ../shared, served locally: claims for all seven themes, and the
verdicts of every claim whose data is there. For each, the test derives the value from the raw file, the
band from the dossier's wording by hand (the rule in config/config.yaml: a qualifier admits a band in
steps of the number's last significant digit), and the verdict for both periods and the status from them.

Sources that ../shared does not hold (80799ned, 85456NED, 82900NED, 83843NED) answer 404, and with
unavailable_sources=report their claims say so instead of stopping the run; tests/unit/test_fixture_claims.py
recomputes them from fixtures in CBS's shapes.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
import yaml
from conftest import ROOT, shared_path
from helpers.shared_site import THEMES, M, config_args, shared_site
from helpers.workflow import snakemake, workflow_copy

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
        text = (wf / "data" / "processed" / M / "claims" / f"{theme}.csv").read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            results[row["claim_id"]] = row
    return wf, results, proc


def test_claims_for_all_seven_themes(checked):
    wf, results, _ = checked
    registered = {
        c["id"]
        for theme in THEMES
        for c in yaml.safe_load(
            (ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims" / f"{theme}.yaml").read_text()
        )["claims"]
    }
    assert set(results) == registered
    assert not (wf / "reports" / "_site").exists()  # check stops before rendering


ONBENUT = (
    "3000800_2",
    "3001040",
    "3001070",
    "3001020",
)  # werkloos, niet gezocht, niet beschikbaar, meer uren


def _sum_85224(period: str, parts=ONBENUT) -> float:
    """Onbenut arbeidspotentieel by hand from the raw rows: the component measures, not adjusted."""
    raw = json.loads(shared_path("cbs", "odata4", "85224NED", "Observations.json").read_bytes())["value"]
    cells = [
        r["Value"]
        for r in raw
        if r["Measure"] in parts and r["Perioden"] == period and r["SeizoenEnWerkdagcorrectie"] == "A042501"
    ]
    assert len(cells) == len(parts)
    return sum(cells)


def status_from(dossier: str, newest: str, newer: bool) -> str:
    """The precedence of status.overall_status, by hand (no baseline and no table of the time here, so
    nothing is 'revised'; none of the figures these tests check misses its band by a rounding gap)."""
    if dossier == "contradicts":
        return "differs_from_source"
    if newer and newest == "contradicts":
        return "outdated"
    return "newer_data_confirms" if newer else "holds"


def assert_verdicts(row: dict, dossier_value: float, newest_value: float, admits) -> None:
    """Both periods' values and judgements, and the status they give, for a statement about the present
    (period: dossier), which newer data can overtake."""
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
    # "Een miljoen mensen heeft geen toegang" (intro): without work and wanting it, so without the
    # part-timers who want more hours (3001020). A round word: half a step up to anderhalf (1.250), half a
    # step down to negenhonderdduizend (950). 2022: 650 thousand, so the intro was off when it was written.
    intro = results["t2_miljoen_geen_toegang_arbeidsmarkt"]
    without_work = ONBENUT[:3]
    assert_verdicts(
        intro,
        _sum_85224("2022JJ00", without_work),
        _sum_85224(newest_year, without_work),
        lambda v: 950 <= v < 1250,
    )
    assert intro["status"] == "differs_from_source"


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
    debts = totals["2023-01"][0]
    new_debts = totals["2024-01"][0]
    # the registered debts measure another thing than the dossier's survey: shown, never judged
    schulden = results["t1_problematische_schulden_1_4_miljoen"]
    assert float(schulden["dossier_period_value"]) == debts
    assert float(schulden["newest_value"]) == new_debts
    assert schulden["status"] == "other_definition"
    assert schulden["dossier_period_judgement"] == "" and schulden["newest_judgement"] == ""
    assert schulden["suggested_wording"] == "" and "Panteia" in schulden["reason"]


def test_households_from_cbs_own_count(checked):
    """70072ned's recorded data set (ODataApi, real figures): private households on 1 January, Nederland."""
    _, results, _ = checked
    typed = json.loads(shared_path("cbs", "odata3", "70072ned", "TypedDataSet.json").read_bytes())["value"]
    count = {
        r["Perioden"]: r["TotaalParticuliereHuishoudens_82"]
        for r in typed
        if r["RegioS"] == "NL01  " and r["TotaalParticuliereHuishoudens_82"] is not None
    }
    newest = max(count)
    hh = results["t1_huishoudens_7_miljoen"]
    # a year counts once it has ended (no publication lag known): on 1 October 2023 that is 2022
    assert (hh["dossier_period"], hh["newest_period"]) == ("2022JJ00", newest)
    # "ongeveer 7 miljoen": step 1 miljoen, 6,5 up to 7,5 miljoen; 8,14 miljoen in 2022
    assert_verdicts(hh, count["2022JJ00"], count[newest], lambda v: 6.5e6 <= v < 7.5e6)
    assert hh["status"] == "differs_from_source"  # the dossier was off when it was written
    # the proposal: the newest count at the dossier's precision (whole millions, in digits as the dossier
    # wrote "7"), then the count itself in millions with two decimals
    assert hh["suggested_wording"] == (
        f"Nederland telt ongeveer {round(count[newest] / 1e6)} miljoen huishoudens "
        f"({f'{count[newest] / 1e6:.2f}'.replace('.', ',')} miljoen huishoudens, {newest[:4]}; CBS)."
    )


def test_low_income_households_shown_beside_the_persons_claim(checked):
    """The bulk CSV of 83841NED (households) as a cross-check under the poverty claim, which counts
    persons (83843NED, not in ../shared: it answers 404 here)."""
    _, results, _ = checked
    obs = pd.read_csv(
        shared_path("cbs", "bulk-csv", "83841NED", "Observations.csv"),
        sep=";",
        dtype=str,
        encoding="utf-8-sig",
    )
    sel = obs[
        (obs["Measure"] == "1050010_1")
        & (obs["KenmerkenVanHuishoudens"].str.strip() == "1050010")
        & (obs["InkomensgrensHuishouden"].str.strip() == "1050290")
        & (obs["DuurInkomenspositie"].str.strip() == "A028721")
    ]
    value = {
        p: float(v.replace(",", ".")) for p, v in zip(sel["Perioden"], sel["Value"], strict=True) if v.strip()
    }
    row = results["t1_bijna_miljoen_in_armoede_huishoudens"]
    # 2022's figures appeared on 8 November 2023, after the dossier: its year is 2021
    assert row["dossier_period"] == "2021JJ00" and float(row["dossier_period_value"]) == value["2021JJ00"]
    assert row["newest_period"] == max(value) and float(row["newest_value"]) == value[max(value)]
    assert row["status"] == "other_definition" and row["cross_check_of"] == "t1_bijna_miljoen_in_armoede"
    persons = results["t1_bijna_miljoen_in_armoede"]
    assert persons["status"] == "source_discontinued"  # 404 here; sources.yaml names 86127NED
    assert "83843NED" in persons["reason"] and "86127NED" in persons["reason"]


def test_rising_house_prices_against_a_year_earlier(checked):
    _, results, _ = checked
    raw = json.loads(shared_path("cbs", "odata4", "85773NED", "Observations.json").read_bytes())["value"]
    index = {r["Perioden"]: r["Value"] for r in raw if r["Measure"] == "M001505_2" and "MM" in r["Perioden"]}
    # M005355 "Ontwikkeling t.o.v. een jaar eerder": the change CBS publishes itself, from its unrounded
    # index; the claim quotes it as published (metric 'published'), not recomputed from the rounded index
    published = {
        r["Perioden"]: r["Value"] for r in raw if r["Measure"] == "M005355" and "MM" in r["Perioden"]
    }
    newest = max(p for p, v in published.items() if v is not None)

    def on_year(p: str) -> float:
        return 100 * (index[p] / index[f"{int(p[:4]) - 1}{p[4:]}"] - 1)

    row = results["t4_stijgende_huizenprijzen"]
    # August 2023, the newest month on 1 October 2023: 4,7 % lower than August 2022; "stijgende" did not
    # hold when the dossier was written. It holds again now.
    assert row["dossier_period"] == "2023MM08" and float(row["dossier_period_value"]) == published["2023MM08"]
    assert float(row["newest_value"]) == published[newest]
    assert published["2023MM08"] < 0 < published[newest]
    # the recomputation from the rounded index would not quote CBS (May 2026: 4,3 against CBS's 4,4)
    assert round(on_year(newest), 1) != published[newest]
    assert (row["dossier_period_judgement"], row["newest_judgement"]) == ("contradicts", "holds")
    assert row["status"] == "differs_from_source"
    # the word still fits today's figure, so the proposal keeps it and adds the figure as CBS publishes it
    change = f"{published[newest]:.1f}".replace(".", ",")
    assert row["suggested_wording"].startswith(
        f"Stijgende huizenprijzen en te weinig betaalbare woningen hebben een enorme impact op "
        f"bestaanszekerheid (+{change}% t.o.v. een jaar eerder, "
    )


def test_energy_prices_need_observations_the_recording_filtered_out(checked):
    _, results, _ = checked
    row = results["t4_energieprijzen_lager_gestabiliseerd"]
    # the recorded 86141NED download holds "Alle bestedingen" only; the code list does have CPI045000
    assert row["status"] == "not_recomputable" and "categorie" in row["reason"]  # in Dutch on the page
    assert (
        "CPI045000" in row["reason_detail"] and "T001112" in row["reason_detail"]
    )  # the codes, for the analyst


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
    assert (
        float(row2012["dossier_period_value"]) == cell
        and row2012["dossier_period_judgement"] == "contradicts"
    )
    # 39,6 is 0,1 above the band, less than half a step (0,5) beyond it: a rounding gap, not an error
    assert 39.5 <= cell < 40.0
    assert row2012["status"] == "rounding" and row2012["suggested_wording"] == ""
    # the sentence names its year: the 2020 measurement is shown but not held against it
    assert row2012["newest_period"] == "2020JJ00" and row2012["newest_judgement"] == ""
    nl = {(p, a): v for p, a, v in nl_rows()}
    row2022 = results["t6_eenzaam_2022_49_procent"]
    # the series holds 2012 and 2020; 2022 is not in it, and 2020 is not taken in its place
    assert row2022["newest_period"] == "2020JJ00" and float(row2022["newest_value"]) == nl[("2020", 20300)]
    assert row2022["status"] == "not_recomputable" and "2022JJ00" in row2022["reason_detail"]
    assert "heeft geen cijfer voor 2022 (de reeks loopt van 2012 tot en met 2020)" in row2022["reason"]
    assert row2022["newest_judgement"] == ""  # 2020's figure is not held against a sentence about 2022
    # "ouderen vaker eenzaam": 65+ over 18-65, the newest year with both groups is 2012 (45,3 / 38,1)
    older = results["t6_ouderen_vaker_eenzaam"]
    ratio = nl[("2012", 80200)] / nl[("2012", 53115)]
    assert older["dossier_period"] == older["newest_period"] == "2012JJ00"
    # the calendar allowed 2022 (published about half a year after the year); the report says why 2012
    assert "voor latere perioden tot en met 2022 heeft de bron geen cijfer" in older["dossier_period_why"]
    assert float(older["dossier_period_value"]) == pytest.approx(ratio) and ratio > 1
    assert older["dossier_period_judgement"] == "holds" and older["status"] == "holds"
    # "sterk toegenomen": 2020 against 2012, 18+ (47,0 - 39,6)
    rise = results["t6_eenzaamheid_sterk_toegenomen"]
    assert rise["dossier_period"] == "2020JJ00"
    assert float(rise["dossier_period_value"]) == pytest.approx(nl[("2020", 20300)] - nl[("2012", 20300)])
    assert rise["dossier_period_judgement"] == "holds" and rise["status"] == "holds"


def nl_rows():
    """(year, age group, Eenzaam_28) of the NL01 point estimate in each RIVM workbook in ../shared."""
    from python_calamine import CalamineWorkbook

    for f in sorted(shared_path("cbs", "rivm", "gezondheid-wijk-buurt").glob("*.xlsx")):
        sheet = CalamineWorkbook.from_path(str(f)).get_sheet_by_index(0).to_python()
        head = [str(h).strip() for h in sheet[0]]
        for r in sheet[1:]:
            if str(r[head.index("WijkenEnBuurten")]).strip() == "NL01" and (
                str(r[head.index("Marges")]).strip() == "MW00000"
            ):
                yield (
                    str(r[head.index("Perioden")])[:4],
                    int(r[head.index("Leeftijd")]),
                    float(str(r[head.index("Eenzaam_28")]).strip()),
                )


def test_sources_not_in_shared_are_reported_not_fatal(checked):
    _, results, proc = checked
    for claim, table in [
        ("t4_daklozen_26600", "80799ned"),
        ("t4_daklozen_dalende_trend", "80799ned"),
        ("t2_migratieachtergrond_twee_keer_vaker_werkloos", "85456NED"),
    ]:
        assert results[claim]["status"] == "source_unavailable"
        assert table in results[claim]["reason"] and "404" in results[claim]["reason_detail"]
        assert f"{table}: NOT AVAILABLE" in proc.stderr
    # a table with a successor in sources.yaml that answers 404 is taken as gone
    assert results["t4_sociale_huur_honderdduizend_minder"]["status"] == "source_discontinued"


def test_a_report_figure_is_judged_against_the_report(checked):
    wf, results, _ = checked
    sources = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    scp = next(f for f in sources["scp_lvb_2019"]["figures"] if f["id"] == "mensen_met_lvb")
    lvb = results["t7_lvb_1_2_miljoen"]
    # SCP's estimate, 1,1 million, against "1,2 miljoen" (1,15 up to 1,25 million): a whole step below
    assert float(lvb["dossier_period_value"]) == scp["value"] == 1_100_000
    assert lvb["status"] == "differs_from_source" and "1,1 miljoen" in lvb["reason"]
    payload = json.loads((wf / "data" / "processed" / M / "claims" / "07_zinvol_bestaan.json").read_text())
    claim = next(c for c in payload["claims"] if c["id"] == "t7_lvb_1_2_miljoen")
    assert claim["provenance"]["verified_against_document"] is False  # from the research notes
    # a figure the cited report does not contain
    age = results["t2_leeftijdsdiscriminatie_56_procent"]
    assert age["status"] == "not_in_source" and "56 procent" in age["reason"]


def test_not_recomputable_claims_keep_their_reason(checked):
    wf, results, _ = checked
    # every claim no table holds says why, in one vocabulary
    kinds = {"report", "survey", "model", "opinion", "no_measure"}
    for cid, row in results.items():
        if row["source"] == "":
            assert row["status"] == "not_recomputable" and row["reason_kind"] in kinds, cid
        else:
            assert row["reason_kind"] == "", cid

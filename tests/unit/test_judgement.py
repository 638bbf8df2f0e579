"""How a figure is judged: on the period its sentence names, as the table publishes it, a revision told
apart from an error, a rounding gap apart from a miss, a report figure against the report. Frames are made
by hand in the tidy shape; every expected value is worked out in a comment from the rows."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml
from conftest import ROOT
from helpers.frames import CURRENT, frame, meta, trough_claim

from dossiercheck.claims import dossier_period, near_miss, recompute_claim
from dossiercheck.errors import ClaimError, RegistryError
from dossiercheck.metrics import compute
from dossiercheck.registry import check_registry, named_periods
from dossiercheck.status import overall_status
from dossiercheck.wording import Band, phrase_for, read_wording

QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
DOSSIER_DATE = date(2023, 10, 1)


ENTRY = {"kind": "cbs_odata4", "table_id": "T1", "publisher": "CBS"}


def run(claim, df, m, entry=ENTRY, **kw):
    return recompute_claim(
        claim, "99_demo", df, m, entry, dossier_date=DOSSIER_DATE, qualifiers=QUALIFIERS, **kw
    )


# --- a sentence about a named period ---------------------------------------------------------------------

PRICES = [
    ("M1", "2023MM01", 400_000.0),  # "in januari" of the text's year
    ("M1", "2023MM02", 405_000.0),
    ("M1", "2023MM08", 430_000.0),
    ("M1", "2026MM05", 487_000.0),
]


def price_claim(**kw):
    return {
        "id": "t_prijs_januari", "title": "Prijs in januari",
        "quote": "In januari kostte een bestaande koopwoning gemiddeld 400.000 euro.",
        "wording": "400.000", "value": 400_000, "unit": "euro", "source": "T1",
        "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"}, **kw,
    }  # fmt: skip


def test_a_sentence_about_a_named_month_holds_on_that_month_while_newer_months_differ():
    r = run(price_claim(period="2023MM01"), frame(PRICES), meta(M1=("euro", 0)))
    # "400.000" is written in steps of 100.000 (its trailing zeros) and admits 350.000 up to 450.000:
    # January 2023's 400.000 holds; May 2026's 487.000 would not, and is shown, not judged
    assert r["dossier"]["value"] == 400_000 and r["dossier"]["judgement"] == "holds"
    assert r["newest"]["value"] == 487_000 and r["newest"]["judgement"] is None
    assert r["status"] == "holds"  # never achterhaald for a sentence about January
    assert "ter informatie" in r["newest_not_judged"] and "januari 2023" in r["newest_not_judged"]
    assert r["suggested_wording"] is None


def test_only_a_statement_about_the_present_is_overtaken_by_newer_data():
    claim = price_claim(
        quote="Een bestaande koopwoning kost gemiddeld 430.000 euro.", wording="430.000", value=430_000
    )
    r = run(dict(claim, period="dossier"), frame(PRICES), meta(M1=("euro", 0)))
    # "430.000" (steps of 10.000) admits 425.000 up to 435.000. The dossier's month: August 2023 (public
    # before 1 October) = 430.000, holds; May 2026 = 487.000 does not
    assert (r["dossier"]["period"], r["dossier"]["judgement"]) == ("2023MM08", "holds")
    assert (r["newest"]["period"], r["newest"]["judgement"]) == ("2026MM05", "contradicts")
    assert r["status"] == "outdated"
    assert r["change_since_dossier"] == 487_000 - 430_000  # newest minus the dossier's: +57.000, not −57.000


@pytest.mark.parametrize(
    ("quote", "named"),
    [
        ("In januari kostte een huis 400.000 euro.", [(2023, 1)]),  # the text's own year (1 October 2023)
        ("In november kostte een huis 400.000 euro.", [(2022, 11)]),  # no November 2023 yet on 1 October
        ("In 2021 was het 34 procent.", [(2021, None)]),
        ("van 37 procent in 2012 naar 34 procent in 2021", [(2012, None), (2021, None)]),
        ("in maart 2024 daalde het", [(2024, 3)]),
        ("Vorig jaar waren het er meer.", [(2022, None)]),
        ("Vorige maand steeg het.", [(2023, 9)]),
        ("Sinds 2013 bijna verdubbeld.", []),  # a reference, not the sentence's period
        ("Tot 2030 zijn er 900.000 woningen nodig.", []),  # a target
    ],
)
def test_the_period_a_quote_names(quote, named):
    assert named_periods(quote, DOSSIER_DATE) == named


def test_a_registry_entry_whose_period_contradicts_its_quote_is_refused():
    def reg(**kw):
        return {"theme": "99_demo", "claims": [price_claim(**kw)]}

    check_registry(reg(period="2023MM01"), "x.yaml", document_date=DOSSIER_DATE)  # January 2023: fits
    with pytest.raises(RegistryError, match="contradicts the quote, which names januari 2023"):
        check_registry(reg(period="2023MM02"), "x.yaml", document_date=DOSSIER_DATE)
    with pytest.raises(RegistryError, match="not the present; state it as 'period' \\(e.g. 2023MM01\\)"):
        check_registry(reg(period="dossier"), "x.yaml", document_date=DOSSIER_DATE)
    # a year a metric compares with ("sinds het dieptepunt in 2013") is a reference, not the period
    trough = price_claim(
        quote="De prijzen zijn sinds het dieptepunt in 2013 bijna verdubbeld.", wording="bijna verdubbeld",
        value=2.0, unit="keer", period="dossier",
        metric={"kind": "multiple_of_trough", "measure": "M1", "trough_from": "2013MM01", "trough_to": "2013MM12"},
    )  # fmt: skip
    check_registry({"theme": "99_demo", "claims": [trough]}, "x.yaml", document_date=DOSSIER_DATE)


# --- published figures first ------------------------------------------------------------------------------

INDEX = [
    ("IDX", "2022MM08", 132.6),
    ("IDX", "2023MM08", 126.4),
    ("IDX", "2025MM05", 148.5),
    ("IDX", "2026MM05", 154.9),
    ("YOY", "2023MM08", -4.7),  # CBS's own "Ontwikkeling t.o.v. een jaar eerder" for August 2023
    ("YOY", "2026MM05", 4.4),  # and for May 2026: 154,9 / 148,5 − 1 = 4,31 % from the rounded index
]
YOY = {"kind": "change_on_year_earlier", "measure": "IDX", "period_kind": "MM"}


def test_a_change_the_table_publishes_is_quoted_as_published():
    c = compute(frame(INDEX), dict(YOY, published="YOY"))
    r = c.at("2026MM05")
    assert (r.value, r.origin, r.periods_used) == (4.4, "published", ["2026MM05"])
    plain = compute(frame(INDEX), YOY).at("2026MM05")  # the same without 'published': recomputed
    assert plain.value == pytest.approx(100 * (154.9 / 148.5 - 1))  # 4,3098…
    assert plain.origin == "computed" and plain.periods_used == ["2025MM05", "2026MM05"]


def test_where_the_table_publishes_no_figure_it_is_recomputed():
    rows = [*INDEX, ("IDX", "2024MM05", 140.0)]  # May 2025 against May 2024: no published change for it
    c = compute(frame(rows), dict(YOY, published="YOY"))
    r = c.at("2025MM05")
    assert r.origin == "computed" and r.value == pytest.approx(100 * (148.5 / 140.0 - 1))  # 6,07 %


def test_change_on_the_previous_period():
    rows = [("IDX", "2023MM12", 100.0), ("IDX", "2024MM01", 102.0), ("IDX", "2024KW01", 50.0)]
    c = compute(frame(rows), {"kind": "change_on_previous_period", "measure": "IDX", "period_kind": "MM"})
    assert c.at("2024MM01").value == pytest.approx(2.0)  # 102 / 100 − 1, across the turn of the year
    assert c.at("2024MM01").periods_used == ["2023MM12", "2024MM01"]


def test_the_report_says_which_it_is(tmp_path):
    from dossiercheck.report.common import origin_note

    claim = {
        "id": "t_stijging", "title": "Stijgende prijzen", "quote": "Stijgende huizenprijzen.", "wording": "Stijgende",
        "qualifier": "stijgt", "unit": "% t.o.v. een jaar eerder", "period": "dossier", "source": "T1",
        "metric": dict(YOY, published="YOY"),
    }  # fmt: skip
    m = meta(IDX=("2020=100", 1), YOY=("%", 1))
    r = run(claim, frame(INDEX), m)
    assert (r["dossier"]["value"], r["newest"]["value"]) == (-4.7, 4.4)
    assert origin_note(r) == "Zoals CBS het publiceert: YOY."  # the measure's title (here its code)
    r = run(dict(claim, metric=YOY), frame(INDEX), m)
    assert origin_note(r) == "Berekend uit IDX: de tabel publiceert dit cijfer niet zelf."


# --- revision or error: the table of the time ------------------------------------------------------------


EARLIER = {"source": "OLD", "metric": {"kind": "value", "measure": "P1", "period_kind": "MM"}}


def test_a_figure_that_fitted_in_the_table_of_the_time_was_revised():
    old = frame([("P1", "2023MM08", 1.93)], table="OLD")  # 1,93 fits "bijna verdubbeld" (1,9 to 2)
    others = {"OLD": (old, meta("OLD", "Prijsindex 2015=100", P1=("2015=100", 2)))}
    r = run(trough_claim(earlier=EARLIER), frame(CURRENT), meta(M1=("keer", 2)), others=others)
    assert r["status"] == "revised"
    assert r["revision"]["value"] == 1.93 and r["revision"]["table_id"] == "OLD"
    assert "Prijsindex 2015=100 (OLD), 1,93 keer" in r["reason"] and "geeft 1,80 keer" in r["reason"]
    assert "herzien" in r["reason"]


def test_a_figure_that_did_not_fit_then_either_differs_and_says_so():
    old = frame([("P1", "2023MM08", 1.8)], table="OLD")  # 1,80: below 1,9 then too
    others = {"OLD": (old, meta("OLD", "Prijsindex 2015=100", P1=("2015=100", 2)))}
    r = run(trough_claim(earlier=EARLIER), frame(CURRENT), meta(M1=("keer", 2)), others=others)
    assert r["status"] == "differs_from_source"
    assert "paste toen al niet" in r["reason"] and "1,80 keer" in r["reason"]


def test_without_the_table_of_the_time_the_finding_is_worded_neutrally():
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)))
    assert r["status"] == "differs_from_source"
    assert r["reason"].startswith("Tabel T1 geeft nu voor augustus 2023 1,80 keer")
    assert "niet na te gaan" in r["reason"] and "zat er al naast" not in r["reason"]


def test_a_baseline_of_another_period_is_no_revision():
    base = {"period": "2023MM07", "table_id": "T1", "value": 1.95, "tolerance": 0.005, "snapshot_id": "x"}
    r = run(
        trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), baseline={("t_verdubbeld", "dossier"): base}
    )
    assert r["status"] == "differs_from_source"  # July's figure says nothing of August
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)),
            baseline={("t_verdubbeld", "dossier"): dict(base, period="2023MM08")})  # fmt: skip
    assert r["status"] == "revised" and r["revision"]["value"] == 1.95  # 1,95 then, 1,80 now


# --- degrees: a rounding gap is not a miss ---------------------------------------------------------------


def test_a_rounding_gap_is_its_own_finding_below_a_miss():
    claim = {
        "id": "t_eenzaam", "title": "Eenzaam", "quote": "In 2012 voelde nog 39 procent zich eenzaam.",
        "wording": "39 procent", "value": 39, "unit": "%", "period": "2012JJ00", "source": "T1",
        "metric": {"kind": "value", "measure": "M1", "period_kind": "JJ"},
    }  # fmt: skip
    m = meta(M1=("%", 1))
    # "39 procent" admits 38,5 up to 39,5; 39,6 is 0,1 beyond, less than half a step (0,5): rounding
    r = run(claim, frame([("M1", "2012JJ00", 39.6), ("M1", "2020JJ00", 47.0)]), m)
    assert r["status"] == "rounding" and "afrondingsverschil" in r["reason"]
    # 40,0 is 0,5 beyond: a miss
    r = run(claim, frame([("M1", "2012JJ00", 40.0)]), m)
    assert r["status"] == "differs_from_source"


@pytest.mark.parametrize(
    ("value", "near"),
    [(39.6, True), (39.99, True), (40.0, False), (38.01, True), (38.0, False), (39.5, True), (39.0, False)],
)
def test_near_miss_is_within_half_a_step_outside_the_band(value, near):
    band = Band(38.5, 39.5, True, False)  # "39 procent", step 1
    # 39,5 itself is outside (the band's top is exclusive), by nothing: a rounding gap; 39,0 is inside
    assert near_miss(value, band, 1.0) is near


def test_status_precedence():
    assert overall_status("contradicts", "holds", True, near_miss=True) == "rounding"
    assert overall_status("contradicts", "contradicts", True, near_miss=True) == "outdated"
    assert overall_status("contradicts", "holds", True) == "differs_from_source"
    assert overall_status("contradicts", "holds", True, revised=True) == "revised"
    assert overall_status("holds", "holds", True) == "newer_data_confirms"
    assert overall_status("holds", "contradicts", False) == "holds"  # no newer period: not outdated


# --- a report's figure judged against the report ---------------------------------------------------------


def manual_tables(tmp_path, figures):
    """A manual source recorded as the fetch does, then read back as table and metadata."""
    from dossiercheck.snapshot import SnapshotWriter, read_manifest
    from dossiercheck.sources import manual

    body = {"publisher": "SCP", "title": "Rapport", "url": "https://example.org/r", "figures": figures}
    with SnapshotWriter(tmp_path / "raw" / "R1", "R1", "manual") as w:
        w.add("figures.json", json.dumps(body).encode(), url=body["url"])
        w.table_meta = {"table_id": "R1", "title": "Rapport"}
        snap = w.commit()
    manifest = read_manifest(snap)
    df = manual.read_table(snap, manifest)
    described = manual.describe_table(snap, manifest)
    m = {
        **meta("R1", "Rapport"),
        "measures": described["measures"],
        "raw_files": {"figures.json": {"sha256": "0" * 64}},
    }
    return df, m


FIG = {
    "page": "p. 12",
    "transcribed_by": "test",
    "transcribed_at": "2026-12-02",
    "verified_against_document": False,
}


def test_a_report_figure_is_judged_against_the_report(tmp_path):
    df, m = manual_tables(
        tmp_path,
        [
            dict(
                FIG,
                id="leerlingen",
                title="Leerlingen",
                value=15,
                unit="%",
                period="2018JJ00",
                quote="15 procent",
            )
        ],
    )
    claim = {
        "id": "t_leerlingen", "title": "Leerlingen", "quote": "50 procent van de leerlingen maakt het mee.",
        "wording": "50 procent", "value": 50, "unit": "%", "source": "R1",
        "metric": {"kind": "value", "measure": "leerlingen", "period_kind": "JJ"},
    }  # fmt: skip
    r = run(claim, df, m, entry={"kind": "manual", "publisher": "SCP"})
    # the report's 2018 figure (the newest it has by October 2023): 15, far from "50 procent" (45 to 55)
    assert (r["dossier"]["period"], r["dossier"]["value"], r["status"]) == (
        "2018JJ00",
        15.0,
        "differs_from_source",
    )
    assert r["reason"].startswith("Rapport geeft voor 2018 15,0%") and "niet na te gaan" not in r["reason"]
    assert r["provenance"]["page"] == "p. 12" and r["provenance"]["verified_against_document"] is False
    # "50 procent" is written in steps of ten, but 15 is not proposed as "20 procent" (a third off): the
    # proposal is no coarser than a tenth of the figure
    assert r["suggested_wording"].startswith("15 procent van de leerlingen maakt het mee (15,0%, 2018; SCP)")


def test_a_figure_the_cited_report_does_not_contain(tmp_path):
    df, m = manual_tables(
        tmp_path,
        [
            dict(FIG, id="iets", title="Iets anders", value=3, unit="%", period="2018JJ00"),
            dict(
                FIG,
                id="ouderen_56",
                title="56 procent",
                absent=True,
                note="Het rapport noemt geen 56 procent.",
            ),
        ],
    )
    claim = {
        "id": "t_56", "title": "56", "quote": "Zesenvijftig procent van de ouderen.", "wording": "Zesenvijftig procent",
        "value": 56, "unit": "%", "source": "R1", "metric": {"kind": "value", "measure": "ouderen_56", "period_kind": "JJ"},
    }  # fmt: skip
    r = run(claim, df, m, entry={"kind": "manual", "publisher": "SCP"})
    assert r["status"] == "not_in_source"
    assert r["reason"] == "Rapport bevat dit cijfer niet. Het rapport noemt geen 56 procent."


def test_a_number_that_matches_but_counts_something_else_is_a_finding(tmp_path):
    df, m = manual_tables(
        tmp_path,
        [dict(FIG, id="hh", title="Huishoudens", value=7, unit="% van de huishoudens", period="2020JJ00")],
    )
    claim = {
        "id": "t_7", "title": "7", "quote": "In 2020 leefde 7 procent van de Nederlanders in energiearmoede.",
        "wording": "7 procent", "value": 7, "unit": "% van de Nederlanders", "source": "R1", "period": "2020JJ00",
        "metric": {"kind": "value", "measure": "hh", "period_kind": "JJ"}, "misquote": "huishoudens, geen personen.",
    }  # fmt: skip
    r = run(claim, df, m, entry={"kind": "manual", "publisher": "TNO"})
    assert r["dossier"]["judgement"] == "holds" and r["status"] == "differs_from_source"
    assert "7,0% van de huishoudens" in r["reason"] and r["suggested_wording"] is None


# --- one-character slips in the judgement code --------------------------------------------------------------


def test_the_trough_window_includes_its_last_period():
    rows = [("M1", "2013MM01", 10.0), ("M1", "2013MM12", 8.0), ("M1", "2023MM08", 16.0)]
    spec = {
        "kind": "multiple_of_trough",
        "measure": "M1",
        "period_kind": "MM",
        "trough_from": "2013MM01",
        "trough_to": "2013MM12",
    }
    r = compute(frame(rows), spec).at("2023MM08")
    assert r.value == 2.0 and r.periods_used == ["2013MM12", "2023MM08"]  # 16 / 8, December the trough


def test_a_period_published_on_the_dossier_date_is_seen():
    rows = [("M1", "2023MM07", 1.0), ("M1", "2023MM08", 2.0)]
    c = compute(frame(rows), {"kind": "value", "measure": "M1", "period_kind": "MM"})
    # August ends 31 August; with a lag of 22 days it is public on 22 September, not before
    assert c.latest_published(date(2023, 9, 22), 22) == "2023MM08"
    assert c.latest_published(date(2023, 9, 21), 22) == "2023MM07"
    claim = {
        "id": "t",
        "period": "dossier",
        "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
    }
    assert dossier_period(claim, date(2023, 9, 22), 22) == "2023MM08"
    assert dossier_period(claim, date(2023, 9, 21), 22) == "2023MM07"


def test_a_sum_with_a_missing_part_has_no_value():
    rows = [("A", "2022JJ00", 1.0), ("B", "2022JJ00", None), ("A", "2021JJ00", 1.0), ("B", "2021JJ00", 2.0)]
    c = compute(frame(rows), {"kind": "sum", "measures": ["A", "B"], "period_kind": "JJ"})
    assert c.at("2021JJ00").value == 3.0
    with pytest.raises(ClaimError, match="no value"):
        c.at("2022JJ00")


def test_the_tolerance_of_a_figure():
    claim = price_claim(period="2023MM01")
    r = run(claim, frame(PRICES), meta(M1=("euro", 0)))
    assert r["tolerance"] == 0.5  # half a unit of the source's last decimal (0 decimals)
    r = run(trough_claim(metric={"kind": "multiple_of_trough", "measure": "M1", "period_kind": "MM",
                                 "trough_from": "2023MM08", "trough_to": "2023MM08"}),
            frame(CURRENT), meta(M1=("keer", 2)))  # fmt: skip
    assert r["tolerance"] == pytest.approx(0.05)  # half the step of "bijna verdubbeld" (0,1)


@pytest.mark.parametrize(
    ("value", "phrase"), [(1.9, "bijna verdubbeld"), (1.95, "bijna verdubbeld"), (2.0, "verdubbeld")]
)
def test_the_edge_of_bijna_in_a_proposal(value, phrase):
    assert phrase_for(value, read_wording("bijna verdubbeld"), 1.0, QUALIFIERS) == phrase


def test_a_proposal_rounds_half_up():
    # 6,5 million in steps of a million: 7 (half up), not 6 (Python's round(), half to even)
    assert phrase_for(6_500_000, read_wording("ongeveer 7 miljoen"), 1.0, QUALIFIERS) == "ongeveer 7 miljoen"
    assert phrase_for(8_500_000, read_wording("ongeveer 7 miljoen"), 1.0, QUALIFIERS) == "ongeveer 9 miljoen"


def test_the_provisional_flag_looks_at_the_dossiers_period_too():
    rows = [("M1", "2023MM08", 430_000.0), ("M1", "2026MM05", 487_000.0)]
    claim = price_claim(quote="Gemiddeld 430.000 euro.", wording="430.000", value=430_000, period="dossier")
    r = run(claim, frame(rows, status={"2023MM08": "Voorlopig"}), meta(M1=("euro", 0)))
    assert r["provisional"] is True  # the newest is final, the dossier's month is not
    r = run(claim, frame(rows), meta(M1=("euro", 0)))
    assert r["provisional"] is False


def test_a_table_of_the_time_without_the_period_says_so_in_dutch():
    old = frame([("P1", "2021MM12", 1.93)], table="OLD")  # the old series stops before August 2023
    others = {"OLD": (old, meta("OLD", "Prijsindex 2015=100", P1=("2015=100", 2)))}
    r = run(trough_claim(earlier=EARLIER), frame(CURRENT), meta(M1=("keer", 2)), others=others)
    assert r["status"] == "differs_from_source"
    assert r["reason"].endswith(
        "Hoe de tabel van toen het cijfer gaf, is niet na te gaan (OLD heeft geen cijfer voor augustus 2023)."
    )


def test_below_a_round_word_the_step_down_decides_a_rounding_gap():
    # "Bijna een miljoen": 900.000 up to a million. A round word steps up by half a million (to
    # "anderhalf") but down by a tenth (to "negenhonderdduizend"): below the band half a step is 50.000.
    reading = read_wording("Bijna een miljoen")
    band = Band(900_000, 1_000_000, True, False)
    assert near_miss(860_000, band, reading.step, reading.below) is True  # 40.000 short
    assert near_miss(812_000, band, reading.step, reading.below) is False  # 88.000 short: a miss
    assert near_miss(1_200_000, band, reading.step, reading.below) is True  # above: half of 500.000


# --- the words an editor reads, exactly -------------------------------------------------------------------


def test_the_other_reading_is_shown_beside_the_verdict():
    claim = {
        "id": "t_stijging", "title": "Stijgende prijzen", "quote": "Stijgende huizenprijzen.", "wording": "Stijgende",
        "qualifier": "stijgt", "unit": "% t.o.v. een jaar eerder", "period": "dossier", "source": "T1",
        "metric": dict(YOY, published="YOY"), "reading": "Tegen een jaar eerder.",
        "alternative": {
            "reading": "Sinds 2013.", "unit": "keer", "compare_to": 1,
            "metric": {"kind": "multiple_of_trough", "measure": "IDX", "period_kind": "MM", "trough_from": "2022MM08", "trough_to": "2022MM08"},
        },
    }  # fmt: skip
    r = run(claim, frame(INDEX), meta(IDX=("2020=100", 1), YOY=("%", 1)))
    # August 2023: −4,7 % on a year earlier (published): "stijgende" does not hold; the verdict follows it
    assert r["status"] == "differs_from_source" and r["reading"] == "Tegen een jaar eerder."
    # the other reading: the index against August 2022 (132,6): 126,4 / 132,6 = 0,953 in August 2023, below
    # 1 (not risen); 154,9 / 132,6 = 1,168 in May 2026, above 1 (risen)
    assert r["alternative"] == {
        "reading": "Sinds 2013.", "unit": "keer",
        "dossier": {"period": "2023MM08", "label": "augustus 2023", "value": pytest.approx(126.4 / 132.6), "origin": "computed", "judgement": "contradicts"},
        "newest": {"period": "2026MM05", "label": "mei 2026", "value": pytest.approx(154.9 / 132.6), "origin": "computed", "judgement": "holds"},
    }  # fmt: skip
    elsewhere = dict(claim, alternative=dict(claim["alternative"], source="T9"))
    r = run(elsewhere, frame(INDEX), meta(IDX=("2020=100", 1), YOY=("%", 1)))
    assert r["alternative"] == {"reading": "Sinds 2013.", "unit": "keer", "error": "T9 is niet opgehaald"}


def test_the_texts_of_the_findings():
    m = meta(M1=("keer", 2))
    neutral = run(trough_claim(), frame(CURRENT), m)["reason"]
    assert neutral == (
        "Tabel T1 geeft nu voor augustus 2023 1,80 keer; dat past niet bij “bijna verdubbeld”. Of de bron bij het "
        "schrijven hetzelfde gaf, is niet na te gaan: er is geen eerdere versie bij de hand."
    )

    def old(value):  # the table of the time, with its figure for August 2023
        return {
            "OLD": (
                frame([("P1", "2023MM08", value)], table="OLD"),
                meta("OLD", "Reeks 2015=100", P1=("2015=100", 2)),
            )
        }

    assert run(trough_claim(earlier=EARLIER), frame(CURRENT), m, others=old(1.93))["reason"] == (
        "Voor augustus 2023 gaf de tabel die gold toen de tekst werd geschreven, Reeks 2015=100 (OLD), 1,93 keer: "
        "dat past bij “bijna verdubbeld”. De huidige tabel T1 geeft 1,80 keer. De bron heeft het cijfer herzien; "
        "de tekst gaf wat de bron toen publiceerde."
    )
    assert run(trough_claim(earlier=EARLIER), frame(CURRENT), m, others=old(1.8))["reason"] == (
        "Tabel T1 geeft nu voor augustus 2023 1,80 keer; dat past niet bij “bijna verdubbeld”. Ook Reeks 2015=100 "
        "(OLD), de tabel die gold toen de tekst werd geschreven, gaf 1,80 keer: het cijfer paste toen al niet."
    )
    base = {
        ("t_verdubbeld", "dossier"): {
            "period": "2023MM08",
            "table_id": "T1",
            "value": 1.95,
            "tolerance": 0.005,
            "snapshot_id": "s0",
        }
    }
    r = run(trough_claim(), frame(CURRENT), m, baseline=base)
    assert r["reason"] == (
        "Voor augustus 2023 gaf T1 bij de vastgestelde basislijn 1,95 keer (momentopname s0); nu 1,80 keer. "
        "De formulering past niet meer."
    )
    assert r["revision"] == {
        "value": 1.95,
        "snapshot_id": "s0",
        "table_id": "T1",
        "where": "de vastgestelde basislijn",
    }
    eenzaam = {
        "id": "t_eenzaam", "title": "Eenzaam", "quote": "In 2012 voelde nog 39 procent zich eenzaam.", "wording": "39 procent",
        "value": 39, "unit": "%", "period": "2012JJ00", "source": "T1", "metric": {"kind": "value", "measure": "M1", "period_kind": "JJ"},
    }  # fmt: skip
    r = run(eenzaam, frame([("M1", "2012JJ00", 39.6), ("M1", "2020JJ00", 47.0)]), meta(M1=("%", 1)))
    assert r["reason"] == (
        "De bron geeft 39,6% voor 2012; het dossier schrijft “39 procent”. Dat valt net buiten wat die woorden "
        "toelaten (minstens 38,5% en minder dan 39,5%), maar minder dan een halve stap van de precisie waarin "
        "het dossier schrijft: een afrondingsverschil, geen fout."
    )
    assert (
        r["newest_not_judged"]
        == "De zin gaat over 2012; nieuwere cijfers staan erbij ter informatie maar tellen niet mee."
    )
    assert r["dossier"]["why"] == "De periode 2012 staat in het claimregister (zie de toelichting)."


def test_why_the_dossiers_period_is_the_one_used():
    claim = price_claim(quote="Gemiddeld 430.000 euro.", wording="430.000", value=430_000, period="dossier")
    entry = {
        "kind": "cbs_odata4",
        "publisher": "CBS",
        "publication_lag_days": 22,
        "publication_lag_note": "drie weken",
    }
    r = run(claim, frame(PRICES), meta(M1=("euro", 0)), entry=entry)
    assert r["dossier"]["why"] == (
        "Het dossier noemt geen periode. Gebruikt is augustus 2023: de nieuwste periode die op 1 oktober 2023 "
        "(de datum van het dossier) al gepubliceerd kon zijn (deze bron publiceert een periode ongeveer 22 dagen "
        "na afloop; drie weken)."
    )
    # no figure for August: the newest published one with a figure, and the report says why
    rows = [("M1", "2023MM02", 405_000.0), ("M1", "2026MM05", 487_000.0)]
    r = run(claim, frame(rows), meta(M1=("euro", 0)))
    assert r["dossier"]["period"] == "2023MM02"
    assert r["dossier"]["why"] == (
        "Het dossier noemt geen periode. Gebruikt is februari 2023: de nieuwste periode met een cijfer in de bron "
        "die op 1 oktober 2023 (de datum van het dossier) al gepubliceerd kon zijn; voor latere perioden tot en "
        "met september 2023 heeft de bron geen cijfer (een periode telt pas als ze is afgelopen)."
    )


def test_a_source_that_stopped_keeps_its_verdict_in_the_reason():
    entry = dict(ENTRY, successor="T9")
    r = run(trough_claim(period="dossier"), frame(CURRENT), meta(M1=("keer", 2)), entry=entry)
    assert r["status"] == "source_discontinued" and r["suggested_wording"] is None
    # the dossier's month is August 2023 (1,80: a miss), the newest May 2026: the verdict on this table
    assert (
        r["reason"]
        == "T1 wordt niet meer bijgewerkt (laatste periode mei 2026); opvolger: T9. Oordeel op deze tabel: wijkt af van de bron."
    )


def test_proposals_for_a_trend_and_a_change():
    from dossiercheck.claims import suggested_wording

    trend = {
        "quote": "Het aantal daklozen is aan het dalen.",
        "qualifier": "daalt",
        "unit": "× 1.000 personen per jaar",
        "metric": {"kind": "trend"},
    }
    assert suggested_wording(trend, 1.5, "2024", "CBS", QUALIFIERS) == (
        "Het aantal daklozen is niet meer aan het dalen (helling +1.500 personen per jaar, 2024; CBS)."
    )
    change = {
        "quote": "Stijgende huizenprijzen.",
        "qualifier": "stijgt",
        "unit": "% t.o.v. een jaar eerder",
        "metric": {"kind": "change_on_year_earlier"},
    }
    assert suggested_wording(change, 4.4, "mei 2026", "CBS", QUALIFIERS) == (
        "Stijgende huizenprijzen (+4,4% t.o.v. een jaar eerder, mei 2026; CBS)."
    )
    assert suggested_wording(change, -4.7, "augustus 2023", "CBS", QUALIFIERS) == (
        "Dalende huizenprijzen (−4,7% t.o.v. een jaar eerder, augustus 2023; CBS)."
    )


def test_a_claim_may_state_its_own_step_or_band():
    from dossiercheck.claims import claim_band

    base = {"id": "t", "quote": "Het is 70 procent.", "wording": "70 procent", "value": 70, "unit": "%"}
    reading, scale, admitted, step = claim_band(base, QUALIFIERS)
    assert (scale, step, admitted.low, admitted.high) == (1.0, 10.0, 65.0, 75.0)  # trailing zero: steps of 10
    reading, scale, admitted, step = claim_band(dict(base, step=1), QUALIFIERS)
    assert (step, admitted.low, admitted.high) == (1.0, 69.5, 70.5)  # the claim says: steps of 1
    _, _, admitted, _ = claim_band(
        dict(base, band={"low": 60, "high": 80, "high_inclusive": True}), QUALIFIERS
    )
    assert (admitted.low, admitted.high, admitted.low_inclusive, admitted.high_inclusive) == (
        60,
        80,
        True,
        True,
    )
    thousands = dict(
        base, quote="Een miljoen mensen.", wording="Een miljoen", value=1000, unit="× 1.000 personen"
    )
    _, scale, admitted, step = claim_band(thousands, QUALIFIERS)
    assert (scale, step, admitted.low, admitted.high) == (0.001, 500.0, 950.0, 1250.0)


def test_the_dossiers_period_by_kind():
    def claim(kind):
        return {
            "id": "t",
            "period": "dossier",
            "metric": {"kind": "value", "measure": "M", "period_kind": kind},
        }

    assert dossier_period(claim("JJ"), date(2023, 10, 1)) == "2022JJ00"  # 2023 has not ended
    assert dossier_period(claim("JJ"), date(2023, 10, 1), 312) == "2021JJ00"  # 2022 public on 8 November 2023
    assert dossier_period(claim("MM"), date(2023, 10, 1)) == "2023MM09"  # September ended on the 30th
    assert dossier_period(claim("KW"), date(2024, 1, 10), 45) == "2023KW03"  # 2023KW04 public 14 February
    assert dossier_period({"id": "t", "period": "2021JJ00", "metric": {}}, date(2023, 10, 1)) == "2021JJ00"
    with pytest.raises(
        RegistryError, match="claim t: cannot derive a HJ period from the dossier date; state it"
    ):
        dossier_period(claim("HJ"), date(2023, 10, 1))
    with pytest.raises(ValueError, match="not a CBS period code"):
        dossier_period({"id": "t", "period": "2021", "metric": {}}, date(2023, 10, 1))


def test_the_tolerance_of_a_published_figure_is_its_own_decimals():
    claim = {
        "id": "t", "quote": "Stijgende huizenprijzen.", "wording": "Stijgende", "qualifier": "stijgt",
        "unit": "%", "period": "dossier", "source": "T1", "metric": dict(YOY, published="YOY"),
    }  # fmt: skip
    r = run(claim, frame(INDEX), meta(IDX=("2020=100", 1), YOY=("%", 2)))
    assert r["tolerance"] == pytest.approx(0.005)  # two decimals published: half a hundredth
    assert run(dict(claim, metric=YOY), frame(INDEX), meta(IDX=("2020=100", 1)))["tolerance"] == 0.0
    # a recomputed change of a trend word has no step: a move of any size counts


def test_the_page_shows_the_reading_and_the_report_it_came_from(tmp_path):
    from dossiercheck.report.common import _document_provenance, reading_lines

    c = {
        "unit": "%", "reading": "Tegen een jaar eerder.",
        "alternative": {
            "reading": "Sinds 2013.", "unit": "keer",
            "dossier": {"period": "2023MM08", "label": "augustus 2023", "value": 1.93, "judgement": "holds"},
            "newest": {"period": "2026MM05", "label": "mei 2026", "value": 2.36, "judgement": "holds"},
        },
    }  # fmt: skip
    assert reading_lines(c) == [
        "**Gelezen als:** Tegen een jaar eerder\\. Het oordeel volgt deze lezing.", "",
        "**Andere lezing:** Sinds 2013\\. Zo gelezen: 1\\,93 keer in augustus 2023 \\(past\\)\\; 2\\,36 keer in mei 2026 \\(past\\).", "",
    ]  # fmt: skip
    prov = {
        "publisher": "SCP", "document": "Rapport", "page": "p. 12", "url": "https://example.org/r",
        "quote": "15 procent", "note": "Alleen 2018.", "verified_against_document": False,
        "transcribed_by": "dossiercheck", "transcribed_at": "2026-12-02",
    }  # fmt: skip
    assert _document_provenance(prov) == (
        "**Bron:** SCP, Rapport, p\\. 12. <https://example.org/r> Daar staat: “15 procent”. Alleen 2018\\. "
        "Overgenomen uit een eerdere inventarisatie, nog niet nagelezen in het document zelf."
    )  # who copied it, and when, stands under "Technische details"
    assert "Nagelezen in het document." in _document_provenance(dict(prov, verified_against_document=True))


@pytest.mark.parametrize(
    ("code", "named", "fits"),
    [
        ("2023KW03", (2023, 7), True), ("2023KW03", (2023, 9), True), ("2023KW03", (2023, 10), False),
        ("2023HJ02", (2023, 12), True), ("2023HJ02", (2023, 6), False), ("2023MM02", (2023, 1), False),
        ("2023JJ00", (2023, 5), True), ("2022JJ00", (2023, None), False),
    ],
)  # fmt: skip
def test_which_period_covers_a_named_month(code, named, fits):
    from dossiercheck.registry import _period_fits

    assert _period_fits(code, named) is fits


def test_checking_a_quotes_period_does_not_load_pandas():
    # the check runs when the workflow is parsed; pandas costs 0,4 s there
    import subprocess
    import sys

    probe = (
        "import sys; from dossiercheck.registry import _check_named_period as c; "
        "c({'quote': 'In januari 2023 was het', 'period': '2023MM01', 'metric': {}}, 'x', None); "
        "print('pandas' in sys.modules)"
    )
    assert (
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip()
        == "False"
    )


# --- earlier snapshots of the same table -----------------------------------------------------------------


def snap_meta(snapshot_id, retrieved_at):
    return {**meta(M1=("keer", 2)), "snapshot_id": snapshot_id, "retrieved_at": retrieved_at}


def test_an_earlier_snapshot_that_fitted_shows_a_revision():
    # CURRENT gives 1,80 for August 2023 (below "bijna verdubbeld": 1,9 to 2); the snapshot fetched on
    # 2 October 2023 gave 1,92, which fits: the same table revised its figure since
    old = frame([("M1", "2023MM08", 1.92)])
    history = [(old, snap_meta("20231002T000000Z-aaaaaaaa", "2023-10-02T00:00:00Z"))]
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), history=lambda: history)
    assert r["status"] == "revised"
    assert r["revision"] == {
        "value": 1.92, "snapshot_id": "20231002T000000Z-aaaaaaaa", "table_id": "T1",
        "where": "de momentopname van 2 oktober 2023",
    }  # fmt: skip
    assert r["reason"] == (
        "Voor augustus 2023 gaf T1 in de momentopname van 2 oktober 2023 1,92 keer: dat past bij “bijna "
        "verdubbeld”. Nu geeft dezelfde tabel 1,80 keer. De bron heeft het cijfer herzien; de tekst gaf wat "
        "de bron eerder publiceerde."
    )


def test_an_earlier_snapshot_that_did_not_fit_either_is_said_plainly():
    # 1,85 in a snapshot of 1 October 2023 (the dossier's date): it did not fit then either
    history = [
        (frame([("M1", "2023MM08", 1.85)]), snap_meta("20231001T000000Z-aaaaaaaa", "2023-10-01T08:00:00Z"))
    ]
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), history=lambda: history)
    assert r["status"] == "differs_from_source"
    assert r["reason"] == (
        "Tabel T1 geeft nu voor augustus 2023 1,80 keer; dat past niet bij “bijna verdubbeld”. Ook de momentopname "
        "van 1 oktober 2023 gaf 1,85 keer: het cijfer paste toen al niet."
    )
    # the same figure in a snapshot fetched after the text appeared says nothing of the time of writing
    history = [
        (frame([("M1", "2023MM08", 1.85)]), snap_meta("20240101T000000Z-aaaaaaaa", "2024-01-02T00:00:00Z"))
    ]
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), history=lambda: history)
    assert r["status"] == "differs_from_source" and "paste toen al niet" not in r["reason"]
    assert r["reason"].endswith(
        "Ook de momentopname van 2 januari 2024 gaf 1,85 keer; die is van na de tekst, dus of de bron bij het "
        "schrijven hetzelfde gaf, is niet na te gaan."
    )


def test_the_oldest_snapshot_with_the_period_is_the_one_consulted():
    # the first snapshot has no August 2023 (it is skipped); of the two after it, the older one (1,95) counts
    history = [
        (frame([("M1", "2023MM07", 1.5)]), snap_meta("20230901T000000Z-aaaaaaaa", "2023-09-01T00:00:00Z")),
        (frame([("M1", "2023MM08", 1.95)]), snap_meta("20231101T000000Z-bbbbbbbb", "2023-11-01T00:00:00Z")),
        (frame([("M1", "2023MM08", 1.7)]), snap_meta("20240101T000000Z-cccccccc", "2024-01-01T00:00:00Z")),
    ]
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), history=lambda: history)
    assert r["status"] == "revised" and r["revision"]["value"] == 1.95


def test_history_is_read_only_when_the_figure_does_not_fit():
    asked = []
    history = lambda: asked.append(1) or []  # noqa: E731
    # 1,95 for August 2023 fits "bijna verdubbeld": no need to read old snapshots
    r = run(trough_claim(), frame([("M1", "2023MM08", 1.95)]), meta(M1=("keer", 2)), history=history)
    assert r["status"] == "holds" and asked == []
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), history=history)
    assert asked == [1] and r["status"] == "differs_from_source"  # nothing earlier: worded neutrally
    assert "geen eerdere versie bij de hand" in r["reason"]


def test_earlier_snapshots_are_read_from_the_raw_folder(tmp_path, monkeypatch):
    from dossiercheck import snapshot
    from dossiercheck.claims import earlier_snapshots

    entry = {
        "kind": "file", "table_id": "T1", "url": "http://127.0.0.1/t1.csv",
        "table": {"format": "csv", "decimal": ".", "period": {"column": "Perioden"},
                  "measures": {"M1": {"title": "Index", "unit": "keer"}}},
    }  # fmt: skip
    source_dir = tmp_path / "raw" / "T1"

    def take(when, body):
        monkeypatch.setattr(snapshot, "utc_now", lambda: when)
        with snapshot.SnapshotWriter(source_dir, "T1", "file") as w:
            w.add("t1.csv", body, url=entry["url"], data=True)
            w.table_meta = {"table_id": "T1"}
            return w.commit()

    first = take("2023-10-02T00:00:00Z", b"Perioden,M1\n2023MM08,1.92\n")
    same = take("2024-01-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.92\n")  # same content, new time
    damaged = take("2024-06-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.88\n")
    current = take("2026-06-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.80\n")
    later = take("2026-07-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.81\n")
    (damaged / "t1.csv").write_bytes(b"Perioden,M1\n2023MM08,9\n")  # no longer its checksum
    assert first.name.rsplit("-", 1)[1] == same.name.rsplit("-", 1)[1]  # the content id is the suffix
    found = list(earlier_snapshots(source_dir, {"snapshot_id": current.name}, entry))
    # first and same (a refetch of first's content) are earlier and differ from current: both read;
    # damaged is left out (the log says why); current itself and later are not earlier
    assert [m["snapshot_id"] for _, m in found] == [first.name, same.name]
    assert found[0][0].set_index("period").loc["2023MM08", "value"] == 1.92
    # a snapshot with the current one's content gives the current figures: skipped
    found = list(earlier_snapshots(source_dir, {"snapshot_id": same.name}, entry))
    assert found == []
    assert later.name > current.name


def test_a_direction_is_judged_in_earlier_versions_as_it_is_now():
    # "De prijzen stijgen" (no figure, a direction): August 2023 is −1,0 now, a fall; the snapshot of
    # 2 October 2023 gave +0,5, a rise, and so did the table of the time (+0,4): both are judged as a
    # direction, not against a band the sentence does not have
    claim = {
        "id": "t_stijgt", "title": "Stijgt", "quote": "De prijzen stijgen.", "qualifier": "stijgt", "unit": "%",
        "period": "2023MM08", "source": "T1", "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
    }  # fmt: skip
    now = frame([("M1", "2023MM08", -1.0)])
    history = [
        (frame([("M1", "2023MM08", 0.5)]), snap_meta("20231002T000000Z-aaaaaaaa", "2023-10-02T00:00:00Z"))
    ]
    r = run(claim, now, meta(M1=("%", 1)), history=lambda: history)
    assert r["status"] == "revised" and r["revision"]["value"] == 0.5
    old = frame([("P1", "2023MM08", 0.4)], table="OLD")
    others = {"OLD": (old, meta("OLD", "Oud", P1=("%", 1)))}
    r = run(dict(claim, earlier=EARLIER), now, meta(M1=("%", 1)), others=others)
    assert r["status"] == "revised" and r["revision"]["table_id"] == "OLD"

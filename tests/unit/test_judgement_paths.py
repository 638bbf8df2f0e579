"""The less travelled paths of recompute_claim, each with its outcome worked out by hand: a code the
table lacks, a named period the series lacks, another definition, comparisons, a baseline that did not
move, rounding in a scaled unit, a registry reading's details."""

from __future__ import annotations

from datetime import date

import pytest
from test_judgement import (
    CURRENT,
    EARLIER,
    ENTRY,
    INDEX,
    PRICES,
    YOY,
    frame,
    meta,
    price_claim,
    run,
    trough_claim,
)


def test_a_measure_the_table_lacks_is_not_recomputable_and_says_which_it_has():
    claim = price_claim(period="2023MM01", metric={"kind": "value", "measure": "M9", "period_kind": "MM"})
    r = run(claim, frame(PRICES), meta(M1=("euro", 0)))
    assert r["status"] == "not_recomputable"
    # in Dutch for the page (meta() names no publisher; run() passes the entry of a CBS table); the codes
    # the table has, for the analyst, under "Technische details"
    assert r["reason"] == (
        "Niet na te rekenen: CBS-tabel T1 heeft de gevraagde maat niet (meer); ze kan zijn herzien of anders "
        "genummerd."
    )
    assert r["reason_detail"] == "T1: measure 'M9' is not in the table (it has: M1 (M1))."
    assert r["newest"] is None and r["suggested_wording"] is None


def test_a_named_period_the_series_lacks():
    claim = price_claim(period="2022MM01", quote="In januari 2022 kostte een huis 400.000 euro.")
    r = run(claim, frame(PRICES, status={"2026MM05": "Voorlopig"}), meta(M1=("euro", 0)))
    assert r["status"] == "not_recomputable"
    assert r["reason"] == (
        "Niet na te rekenen: CBS-tabel T1 heeft geen cijfer voor januari 2022 (de reeks loopt van januari 2023 "
        "tot en met mei 2026)."
    )
    assert r["reason_detail"] == "T1: period 2022MM01 is not in the series (it covers 2023MM01 … 2026MM05)."
    # the newest is shown, not held against a sentence about January 2022, and it is provisional
    assert r["newest"]["period"] == "2026MM05" and r["newest"]["judgement"] is None
    assert (
        r["newest_not_judged"]
        == "De zin gaat over januari 2022; het nieuwste cijfer staat erbij maar telt niet mee."
    )
    assert r["provisional"] is True


def test_a_figure_under_another_definition_is_shown_not_judged():
    claim = price_claim(period="2023MM01", other_definition=True, reason="Een verwante maat.")
    r = run(claim, frame(PRICES), meta(M1=("euro", 0)))
    assert (r["status"], r["reason"]) == ("other_definition", "Een verwante maat.")
    assert r["dossier"]["judgement"] is None and r["suggested_wording"] is None


def test_a_comparison_without_a_number():
    rows = [
        ("A", "2022JJ00", 45.3),
        ("B", "2022JJ00", 38.1),
        ("A", "2023JJ00", 30.0),
        ("B", "2023JJ00", 40.0),
    ]
    claim = {
        "id": "t_vaker", "title": "Ouderen vaker eenzaam", "quote": "Ouderen zijn vaker eenzaam.", "qualifier": "meer_dan",
        "compare_to": 1, "unit": "keer", "period": "dossier", "source": "T1",
        "metric": {"kind": "ratio", "numerator": {"measure": "A"}, "denominator": {"measure": "B"}, "period_kind": "JJ"},
    }  # fmt: skip
    r = run(claim, frame(rows), meta(A=("%", 1), B=("%", 1)))
    # 2022: 45,3 / 38,1 = 1,19 > 1: vaker; 2023: 30 / 40 = 0,75: no longer
    assert (r["dossier"]["judgement"], r["newest"]["judgement"], r["status"]) == (
        "holds",
        "contradicts",
        "outdated",
    )
    assert r["suggested_wording"] is None  # a comparison that turned is rewritten by an editor


def test_the_reference_period_of_a_multiple():
    rows = [("M1", "2013MM01", 10.0), ("M1", "2013MM02", 8.0), ("M1", "2023MM08", 15.2)]
    claim = trough_claim(
        period="dossier",
        metric={"kind": "multiple_of_trough", "measure": "M1", "period_kind": "MM", "trough_from": "2013MM01", "trough_to": "2013MM12"},
    )  # fmt: skip
    r = run(claim, frame(rows), meta(M1=("index", 1)))
    assert r["reference"] == {"period": "2013MM02", "label": "februari 2013"}
    assert r["dossier"]["value"] == pytest.approx(1.9) and r["status"] == "holds"  # 15,2 / 8, nothing newer
    assert r["dossier"]["inputs"] == {"value": 15.2, "reference": 8.0}


def test_a_baseline_that_did_not_move_is_no_revision():
    base = {
        ("t_verdubbeld", "dossier"): {
            "period": "2023MM08",
            "table_id": "T1",
            "value": 1.8,
            "tolerance": 0.005,
            "snapshot_id": "s0",
        }
    }
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), baseline=base)
    assert r["status"] == "differs_from_source" and r["revision"] is None
    # a move within the baseline's own (wider) tolerance is no revision either
    wide = {k: dict(v, value=1.85, tolerance=0.06) for k, v in base.items()}
    assert run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), baseline=wide)["revision"] is None
    # another table's baseline is not this table's history
    other = {k: dict(v, value=1.95, table_id="T0") for k, v in base.items()}
    assert (
        run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), baseline=other)["status"]
        == "differs_from_source"
    )


def test_a_revision_after_which_the_wording_still_fits():
    rows = [("M1", "2023MM08", 1.95), ("M1", "2026MM05", 2.36)]
    base = {
        ("t_verdubbeld", "dossier"): {
            "period": "2023MM08",
            "table_id": "T1",
            "value": 1.91,
            "tolerance": 0.005,
            "snapshot_id": "s0",
        }
    }
    r = run(trough_claim(), frame(rows), meta(M1=("keer", 2)), baseline=base)
    assert r["status"] == "revised"
    assert r["reason"].endswith("nu 1,95 keer. De formulering past nog.")


def test_a_revision_from_the_table_of_the_time_in_full():
    old = {
        "OLD": (
            frame([("P1", "2023MM08", 1.93)], table="OLD"),
            meta("OLD", "Reeks 2015=100", P1=("2015=100", 2)),
        )
    }
    r = run(trough_claim(earlier=EARLIER), frame(CURRENT), meta(M1=("keer", 2)), others=old)
    assert r["revision"] == {
        "value": 1.93,
        "snapshot_id": "20260601T000000Z-00000000",
        "table_id": "OLD",
        "where": "Reeks 2015=100",
    }
    untitled = {"OLD": (old["OLD"][0], {**old["OLD"][1], "title": None})}
    r = run(trough_claim(earlier=EARLIER), frame(CURRENT), meta(M1=("keer", 2)), others=untitled)
    assert (
        r["revision"]["where"] == "OLD"
        and "gold toen de tekst werd geschreven, OLD, 1,93 keer" in r["reason"]
    )


def test_a_sentence_about_a_named_period_is_proposed_with_that_periods_figure():
    r = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)))
    # about August 2023, so August's 1,80: short of "bijna verdubbeld" (from 1,9), written as a rise in whole
    # percents: 1,80 − 1 = 80 procent
    assert (
        r["suggested_wording"] == "De prijzen zijn met 80 procent gestegen (1,80 keer, augustus 2023; CBS)."
    )
    anonymous = run(trough_claim(), frame(CURRENT), meta(M1=("keer", 2)), entry={"kind": "cbs_odata4"})
    assert anonymous["suggested_wording"].endswith(
        "(1,80 keer, augustus 2023; T1)."
    )  # no publisher: the table


def test_a_misquote_overrides_holds_newer_data_and_rounding():
    base = price_claim(
        quote="Gemiddeld 430.000 euro.", wording="430.000", value=430_000, period="dossier", misquote="x."
    )
    rows = [("M1", "2023MM08", 430_000.0), ("M1", "2026MM05", 431_000.0)]
    r = run(base, frame(rows), meta(M1=("euro", 0)))
    assert r["status"] == "differs_from_source"  # would be newer_data_confirms
    assert r["misquote_of_source"] == "De bron telde iets anders: x."
    rows = [("M1", "2023MM08", 435_100.0)]  # 100 above the band's top, less than half a step (5.000)
    assert (
        run(base, frame(rows), meta(M1=("euro", 0)))["status"] == "differs_from_source"
    )  # would be rounding


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (1260, "rounding"),
        (1499, "rounding"),
        (1510, "differs_from_source"),
        (940, "rounding"),
        (880, "differs_from_source"),
    ],
)
def test_rounding_in_a_scaled_unit(value, status):
    # "Een miljoen" in × 1.000 personen: 950 up to 1.250. Above, half the step up (500 thousand): 250;
    # below, half the step down (100 thousand): 50
    claim = {
        "id": "t_m", "quote": "Een miljoen mensen.", "wording": "Een miljoen", "value": 1000, "unit": "× 1.000 personen",
        "period": "2022JJ00", "source": "T1", "metric": {"kind": "value", "measure": "M1", "period_kind": "JJ"},
    }  # fmt: skip
    assert run(claim, frame([("M1", "2022JJ00", float(value))]), meta(M1=("x 1 000", 0)))["status"] == status


def test_a_period_counts_once_it_has_ended_without_a_lag():
    from test_judgement import QUALIFIERS

    from dossiercheck.claims import recompute_claim

    claim = price_claim(quote="Gemiddeld 430.000 euro.", wording="430.000", value=430_000, period="dossier")
    rows = [("M1", "2023MM08", 430_000.0), ("M1", "2023MM09", 431_000.0)]
    no_period = {k: v for k, v in claim.items() if k != "period"}  # period left out: the present
    for c in (claim, no_period):
        r = recompute_claim(
            c, "99", frame(rows), meta(M1=("euro", 0)), {"kind": "cbs_odata4"},
            dossier_date=date(2023, 9, 30), qualifiers=QUALIFIERS,
        )  # fmt: skip
        assert r["dossier"]["period"] == "2023MM09"  # September has ended on the 30th; no lag stated
        assert r["newest_not_judged"] is None


def test_the_other_reading_periods():
    claim = {
        "id": "t", "quote": "Stijgende huizenprijzen.", "wording": "Stijgende", "qualifier": "stijgt", "unit": "%",
        "period": "dossier", "source": "T1", "metric": dict(YOY, published="YOY"),
        "alternative": {"reading": "Anders.", "metric": {"kind": "value", "measure": "IDX", "period_kind": "MM"}},
    }  # fmt: skip
    r = run(claim, frame(INDEX), meta(IDX=("2020=100", 1), YOY=("%", 1)))
    alt = r["alternative"]
    assert (alt["dossier"]["period"], alt["newest"]["period"]) == ("2023MM08", "2026MM05")
    assert (alt["dossier"]["value"], alt["newest"]["value"]) == (126.4, 154.9)
    assert alt["unit"] == "%"  # the claim's own unit when the reading names none
    assert alt["dossier"]["judgement"] == "holds"  # 126,4 > 0: no compare_to, so against zero
    assert r is not None and ENTRY["kind"] == "cbs_odata4"

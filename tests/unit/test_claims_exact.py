"""The claims module's results to the character: what `make mutation` showed no test pinned (defaults a
claim may leave out, the exact texts an editor reads, the files a theme's recompute writes, the period
arithmetic at a year's turn). Every expected value is worked out by hand in a comment."""

from __future__ import annotations

import functools
import json
from datetime import date

import pytest
import yaml
from conftest import ROOT
from helpers.frames import CURRENT, frame, meta, trough_claim

from dossiercheck.claims import (
    _base_result,
    _period_why,
    _tolerance,
    claim_band,
    dossier_period,
    judge_earlier,
    near_miss,
    recompute_claim,
    recompute_claims,
    results_frame,
    source_unavailable,
    suggested_wording,
)
from dossiercheck.errors import RegistryError
from dossiercheck.wording import Band, judge

QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
DOSSIER_DATE = date(2023, 10, 1)


def run(claim, df, m, entry=None, **kw):
    entry = entry or {"kind": "cbs_odata4", "table_id": "T1", "publisher": "CBS"}
    return recompute_claim(
        claim, "99_demo", df, m, entry, dossier_date=DOSSIER_DATE, qualifiers=QUALIFIERS, **kw
    )


# --- the dossier's period from the calendar --------------------------------------------------------------


def test_a_month_is_the_default_period_kind():
    # no period_kind: months. On 1 October 2023 (no lag) September 2023 has ended on the 30th: 2023MM09
    claim = {"id": "c", "metric": {"kind": "value", "measure": "M1"}}
    assert dossier_period(claim, DOSSIER_DATE) == "2023MM09"


@pytest.mark.parametrize(
    ("kind", "when", "lag", "expected"),
    [
        # 31 December: the 4th quarter (October-December) ends that day, so it counts: (12-1)//3+1 = 4
        ("KW", date(2023, 12, 31), 0, "2023KW04"),
        # 15 February: February has not ended; one month back is January 2023 (not a 13th month of 2022)
        ("MM", date(2023, 2, 15), 0, "2023MM01"),
        # 15 January: January has not ended; one month back crosses the year: December 2022
        ("MM", date(2023, 1, 15), 0, "2022MM12"),
        # 15 January with a lag of 20 days: December 2022 is public on 20 January, too late; November 2022
        # (ended 30 November, public 20 December) is the one
        ("MM", date(2023, 1, 15), 20, "2022MM11"),
    ],
    ids=["kw-year-end", "mm-february", "mm-year-turn", "mm-lag-across-year"],
)
def test_the_dossiers_period_at_a_years_turn(kind, when, lag, expected):
    claim = {"id": "c", "metric": {"kind": "value", "measure": "M1", "period_kind": kind}}
    assert dossier_period(claim, when, lag) == expected


# --- tolerance and near misses ---------------------------------------------------------------------------


def test_tolerances_by_decimals():
    # a sum of cells with 2 decimals: half of 0,01 = 0,005 (with 11 for 10 it would be 0,0041)
    assert _tolerance({"kind": "sum"}, 2, 1.0) == pytest.approx(0.005)
    assert _tolerance({"kind": "value"}, 1, 1.0) == pytest.approx(0.05)
    # published decimals count only for a figure the table publishes itself ('published' in the spec)
    assert _tolerance({"kind": "value"}, 0, 1.0, published_decimals=2) == pytest.approx(0.5)
    assert _tolerance({"kind": "value", "published": "P"}, 0, 1.0, published_decimals=2) == pytest.approx(
        0.005
    )
    # a ratio reads no single cell: half the dossier's step
    assert _tolerance({"kind": "ratio"}, 0, 0.1) == pytest.approx(0.05)


def test_a_value_on_the_bands_edge_is_no_near_miss():
    # exactly the band's low end (40, inclusive) is inside the band: no rounding remark
    assert near_miss(40.0, Band(40.0, 50.0), 10.0) is False
    # exactly its high end (50, exclusive): outside by 0, within half a step (5): a rounding gap
    assert near_miss(50.0, Band(40.0, 50.0), 10.0) is True


# --- a claim's band --------------------------------------------------------------------------------------


def test_a_band_stated_in_the_registry_defaults_to_low_inclusive_high_exclusive():
    claim = {
        "id": "c", "quote": "Het is 39 procent.", "wording": "39 procent", "value": 39,
        "band": {"low": 38.0, "high": 40.0},
    }  # fmt: skip
    _, _, admitted, _ = claim_band(claim, QUALIFIERS)
    assert admitted == Band(38.0, 40.0, True, False)
    claim["band"].update(low_inclusive=False, high_inclusive=True)
    assert claim_band(claim, QUALIFIERS)[2] == Band(38.0, 40.0, False, True)


def test_a_stated_step_replaces_the_wordings_step_down_too():
    # "een miljoen" would step down by a tenth (0,1 miljoen); a stated step of 50.000 (0,05 miljoen on the
    # scale of a million) sets both ways: the reading's step_down is cleared
    claim = {
        "id": "c",
        "quote": "Het is een miljoen.",
        "wording": "een miljoen",
        "value": 1_000_000,
        "step": 50_000,
    }
    reading, scale, _, step = claim_band(claim, QUALIFIERS)
    assert reading.step_down is None and step == pytest.approx(50_000)
    assert reading.step == pytest.approx(50_000 / scale)


def test_a_broken_wording_names_the_claim():
    with pytest.raises(RegistryError, match="claim c_kapot"):
        claim_band({"id": "c_kapot", "quote": "Het is 3.", "wording": "heel veel", "value": 3}, QUALIFIERS)


# --- the result's defaults -------------------------------------------------------------------------------


def test_the_base_result_carries_what_the_claim_states():
    claim = {
        "id": "c", "quote": "q", "wording": "39 procent", "value": 39, "compare_to": 20, "period_note": "n",
        "source": "T1",
    }  # fmt: skip
    r = _base_result(claim, "99", "2023MM08")
    assert (r["compare_to"], r["period_note"], r["qualifier"]) == (20, "n", "exact")
    # a claim without a value or wording (a trend) has no reading: its qualifier is "exact"
    bare = {"id": "c", "quote": "q", "source": "T1"}
    r = _base_result(bare, "99", None)
    assert (r["qualifier"], r["period_note"], r["compare_to"], r["quote_context"]) == (
        "exact",
        "",
        None,
        None,
    )
    # no period: nothing named, nothing chosen, and the page says so in one sentence
    assert r["dossier"] == {
        "period": None, "label": "", "why": "", "basis": "none",
        "basis_why": "Het dossier noemt voor dit cijfer geen periode; het is niet nagerekend, dus er is ook geen gekozen.",
    }  # fmt: skip
    # "ruim" is read from the wording when the claim states no qualifier
    assert _base_result(dict(claim, wording="ruim 39 procent"), "99", None)["qualifier"] == "ruim"


def test_provenance_of_a_claim_keeps_its_filters_and_band_reason():
    claim = {
        "id": "c", "quote": "Het is 430.000 euro.", "wording": "430.000", "value": 430_000, "unit": "euro",
        "source": "T1", "band_reason": "zo gelezen",
        "metric": {"kind": "value", "measure": "M1", "period_kind": "MM", "filters": {"Regio": "NL01"}},
    }  # fmt: skip
    df = frame([("M1", "2023MM09", 430_000.0)])
    df["Regio"] = "NL01"
    r = run(claim, df, meta(M1=("euro", 0)))
    assert r["provenance"]["filters"] == {"Regio": "NL01"}
    assert r["band"]["reason"] == "zo gelezen"
    assert (r["dossier"]["period"], r["dossier"]["label"]) == ("2023MM09", "september 2023")
    r = run({k: v for k, v in claim.items() if k != "band_reason"}, df, meta(M1=("euro", 0)))
    assert r["provenance"]["filters"] == {"Regio": "NL01"} and r["band"]["reason"] is None


def test_results_frame_defaults():
    # a result without 'provisional' or 'codes_verified' is not provisional and its codes count as verified;
    # a provenance without metric or snapshot gives empty strings
    r = _base_result({"id": "c", "quote": "q", "source": "T1"}, "99", None)
    r["status"] = "not_recomputable"
    del r["provisional"], r["codes_verified"]
    r["provenance"] = {"source": "T1", "table_id": "", "measure": ""}
    row = results_frame([r]).iloc[0]
    assert (row["provisional"], row["codes_verified"], row["snapshot_id"], row["metric"]) == (
        False,
        True,
        "",
        "",
    )
    assert list(results_frame([r]).columns)[:3] == ["claim_id", "theme", "source"]


# --- texts an editor reads -------------------------------------------------------------------------------


def test_the_why_of_a_stated_period_and_of_a_lag_with_a_note():
    claim = {"id": "c"}  # no period: the dossier's
    entry = {"publication_lag_days": 22, "publication_lag_note": "ongeveer drie weken"}
    assert _period_why(claim, "2023MM08", DOSSIER_DATE, entry) == (
        "Het dossier noemt geen periode. Gebruikt is augustus 2023: de nieuwste periode die op 1 oktober 2023 "
        "(de datum van het dossier) al gepubliceerd kon zijn (deze bron publiceert een periode ongeveer 22 "
        "dagen na afloop; ongeveer drie weken)."
    )
    assert _period_why(claim, "2023MM07", DOSSIER_DATE, entry, calendar="2023MM08") == (
        "Het dossier noemt geen periode. Gebruikt is juli 2023: de nieuwste periode met een cijfer in de bron "
        "die op 1 oktober 2023 (de datum van het dossier) al gepubliceerd kon zijn; voor latere perioden tot "
        "en met augustus 2023 heeft de bron geen cijfer (deze bron publiceert een periode ongeveer 22 dagen na "
        "afloop; ongeveer drie weken)."
    )
    assert _period_why({"id": "c", "period": "2022JJ00"}, "2022JJ00", DOSSIER_DATE, {}) == (
        "De periode 2022 staat in het claimregister (zie de toelichting)."
    )


def test_an_unavailable_source_without_a_lag_uses_the_calendar_alone():
    # no lag: on 1 October 2023 September has ended, 2023MM09
    claim = {"id": "c", "quote": "q", "source": "T9", "metric": {"kind": "value", "measure": "M1"}}
    r = source_unavailable(claim, "99", {}, "T9 is weg.", DOSSIER_DATE)
    assert r["dossier"]["period"] == "2023MM09" and r["provenance"]["measure"] == "M1"
    # on 30 September, September's last day, it counts with no lag; a lag of one day would make it August
    assert source_unavailable(claim, "99", {}, "x", date(2023, 9, 30))["dossier"]["period"] == "2023MM09"
    assert (
        source_unavailable(claim, "99", {"publication_lag_days": 1}, "x", date(2023, 9, 30))["dossier"][
            "period"
        ]
        == "2023MM08"
    )
    assert (r["status"], r["reason"]) == ("source_unavailable", "T9 is weg.")


def test_a_report_figure_not_in_the_report_names_the_table_without_a_document():
    claim = {
        "id": "c", "quote": "Zesenvijftig procent.", "wording": "Zesenvijftig procent", "value": 56, "unit": "%",
        "source": "R1", "metric": {"kind": "value", "measure": "F1", "period_kind": "JJ"},
    }  # fmt: skip
    m = meta("R1", "Rapport")
    m["measures"] = {"F1": {"absent": True}}
    r = run(claim, frame([], "R1"), m, entry={"kind": "manual", "publisher": "SCP"})
    # no document and no note: the table id stands for the document, and nothing trails the sentence
    assert (r["status"], r["reason"], r["suggested_wording"]) == (
        "not_in_source",
        "R1 bevat dit cijfer niet.",
        None,
    )
    assert r["provenance"]["document"] is None and "quote" in r["provenance"]


def test_a_manual_figures_provenance_is_copied_whole():
    claim = {
        "id": "c", "quote": "Het is 19 procent.", "wording": "19 procent", "value": 19, "unit": "%",
        "source": "R1", "metric": {"kind": "value", "measure": "F1", "period_kind": "JJ"}, "period": "2016JJ00",
    }  # fmt: skip
    cited = {
        "document": "Rapport X", "url": "https://example.org/x", "page": "p. 3", "quote": "19%", "note": "n",
        "transcribed_by": "wie", "transcribed_at": "2026-12-01", "verified_against_document": False,
        "title": "F1", "unit": "%", "decimals": 0,
    }  # fmt: skip
    m = meta("R1", "Rapport")
    m["measures"] = {"F1": cited}
    r = run(claim, frame([("F1", "2016JJ00", 19.0)], "R1"), m, entry={"kind": "manual", "publisher": "L&S"})
    assert r["status"] == "holds"
    for key in ("document", "url", "page", "quote", "note", "transcribed_by", "transcribed_at"):
        assert r["provenance"][key] == cited[key], key
    assert r["provenance"]["verified_against_document"] is False


def test_the_reason_of_a_report_figure_that_differs():
    # the document prints 15 for 2018 (a percentage is shown with one decimal); "50 procent" (steps of 10: 45 up to 55) does not fit
    claim = {
        "id": "c", "quote": "50 procent van de leerlingen.", "wording": "50 procent", "value": 50, "unit": "%",
        "source": "R1", "period": "2018JJ00", "metric": {"kind": "value", "measure": "F1", "period_kind": "JJ"},
    }  # fmt: skip
    m = meta("R1", "")  # no title: the table id stands in
    m["measures"] = {"F1": {"document": "Ervaren discriminatie", "title": "F1", "unit": "%", "decimals": 0}}
    r = run(claim, frame([("F1", "2018JJ00", 15.0)], "R1"), m, entry={"kind": "manual", "publisher": "SCP"})
    assert r["reason"] == (
        "R1 geeft voor 2018 15,0%; dat past niet bij “50 procent”. Het dossier geeft het cijfer anders weer "
        "dan het document dat het cijfer bevat."
    )


def test_a_sentence_without_a_number_is_named_as_the_wording():
    # a direction ("stijgende") with no figure written: −1,0 in August 2023 contradicts a rise; the text
    # quotes "de formulering" where there is no wording to quote
    claim = {
        "id": "c", "quote": "Stijgende prijzen.", "qualifier": "stijgt", "unit": "%", "source": "T1",
        "period": "2023MM08", "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
    }  # fmt: skip
    r = run(claim, frame([("M1", "2023MM08", -1.0)]), meta(M1=("%", 1)))
    assert r["status"] == "differs_from_source"
    assert r["reason"].startswith(
        "Tabel T1 geeft nu voor augustus 2023 −1,0%; dat past niet bij “de formulering”."
    )
    m = meta("R1", "Rapport", M1=("%", 1))
    m["measures"]["M1"]["document"] = "Rapport"
    r = run(claim, frame([("M1", "2023MM08", -1.0)]), m, entry={"kind": "manual"})
    assert r["reason"].startswith(
        "Rapport geeft voor augustus 2023 −1,0%; dat past niet bij “de formulering”."
    )


# --- the table of the time -------------------------------------------------------------------------------


def test_the_table_of_the_time_exactly():
    band = functools.partial(judge, admitted=Band(1.9, 2.0, True, False))  # the verdict on "bijna verdubbeld"
    claim = {"id": "c", "source": "OLD", "metric": {"kind": "value", "measure": "P1", "period_kind": "MM"}}
    old = frame([("P1", "2023MM08", 1.93)], "OLD")
    # 'earlier' without its own source or metric: the claim's own source (OLD here) and metric are read
    got = judge_earlier(
        dict(claim, earlier={"note": "x"}), "2023MM08", {"OLD": (old, meta("OLD", "Oud"))}, band
    )
    assert got == {
        "result": {
            "value": 1.93, "table_id": "OLD", "table_title": "Oud",
            "snapshot_id": "20260601T000000Z-00000000", "judgement": "holds",
        }
    }  # fmt: skip
    # the table's own id where it differs from the source key; the source key where metadata has none
    got = judge_earlier(
        dict(claim, earlier={"note": "x"}), "2023MM08", {"OLD": (old, meta("83906NED"))}, band
    )
    assert got["result"]["table_id"] == "83906NED"
    got = judge_earlier(
        dict(claim, earlier={"note": "x"}), "2023MM09", {"OLD": (old, meta("83906NED"))}, band
    )
    assert got == {"error": "83906NED heeft geen cijfer voor september 2023"}
    bare = {k: v for k, v in meta("OLD").items() if k != "table_id"}
    got = judge_earlier(dict(claim, earlier={"note": "x"}), "2023MM08", {"OLD": (old, bare)}, band)
    assert got["result"]["table_id"] == "OLD"
    assert judge_earlier(dict(claim, earlier={"note": "x"}), "2023MM09", {"OLD": (old, bare)}, band) == {
        "error": "OLD heeft geen cijfer voor september 2023"
    }
    assert judge_earlier(dict(claim, earlier={"source": "X"}), "2023MM08", {}, band) == {
        "error": "X is niet opgehaald"
    }
    gone = {"X": (old.iloc[0:0], {"unavailable": True})}
    assert judge_earlier(dict(claim, earlier={"source": "X"}), "2023MM08", gone, band) == {
        "error": "X is niet bereikbaar"
    }


def test_the_other_reading_exactly():
    # the registry reads the figure from M1; the other reading compares M2 with 100 (compare_to): 130 - 100
    claim = {
        "id": "c", "quote": "De prijzen stijgen 30 procent.", "wording": "30 procent", "value": 30, "unit": "%",
        "source": "T1", "period": "2023MM08", "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
        "alternative": {"reading": "sinds het dal", "metric": {"kind": "value", "measure": "M2", "period_kind": "MM"},
                        "compare_to": 100},
    }  # fmt: skip
    df = frame([("M1", "2023MM08", 30.0), ("M2", "2023MM08", 130.0), ("M2", "2023MM09", 160.0)])
    r = run(claim, df, meta(M1=("%", 0), M2=("index", 0)))
    alt = r["alternative"]
    assert (alt["reading"], alt["unit"]) == ("sinds het dal", "%")
    # August: 130 - 100 = 30, fits "30 procent" (25 up to 35); the newest is September: 160 - 100 = 60
    assert (alt["dossier"]["value"], alt["dossier"]["judgement"]) == (130.0, "holds")
    assert (alt["newest"]["period"], alt["newest"]["value"]) == ("2023MM09", 160.0)
    # a measure the table does not have: the table id and the problem, in one line
    broken = dict(claim, alternative=dict(claim["alternative"], metric={"kind": "value", "measure": "M9"}))
    alt = run(broken, df, meta(M1=("%", 0), M2=("index", 0)))["alternative"]
    assert (
        alt["error"]
        == "tabel T1 heeft de gevraagde maat niet (meer); ze kan zijn herzien of anders genummerd"
    )
    assert alt["error_detail"].startswith("T1: ") and "M9" in alt["error_detail"]
    no_unit = {k: v for k, v in claim.items() if k != "unit"}
    assert run(no_unit, df, meta(M1=("%", 0), M2=("index", 0)))["alternative"]["unit"] == ""


# --- proposals -------------------------------------------------------------------------------------------


def test_a_proposed_change_is_signed_only_when_it_rose():
    claim = {"id": "c", "quote": "De prijs steeg met 4 procent.", "qualifier": "stijgt", "unit": "%",
             "metric": {"kind": "change_on_year_earlier"}}  # fmt: skip
    # +4,4% after a rise; 0,0% and −1,0% carry no plus
    assert suggested_wording(claim, 4.4, "mei 2026", "CBS", QUALIFIERS).endswith("(+4,4%, mei 2026; CBS).")
    assert suggested_wording(claim, 0.0, "mei 2026", "CBS", QUALIFIERS).endswith("(0,0%, mei 2026; CBS).")
    assert suggested_wording(claim, 0.5, "mei 2026", "CBS", QUALIFIERS).endswith("(+0,5%, mei 2026; CBS).")


def test_a_proposal_without_a_unit_or_qualifier():
    # a trend claim with neither unit nor qualifier: the slope is written bare, the quote unchanged
    claim = {"id": "c", "quote": "Het aantal daalt.  ", "metric": {"kind": "trend"}}
    assert (
        suggested_wording(claim, -2.0, "2024", "CBS", QUALIFIERS)
        == "Het aantal daalt (helling −2,00, 2024; CBS)."
    )


# --- the files a theme's recompute writes ----------------------------------------------------------------


def write_theme(tmp_path, claims, tables, sources):
    path = tmp_path / "99_demo.yaml"
    path.write_text(yaml.safe_dump({"theme": "99_demo", "claims": claims}, allow_unicode=True))  # no title
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(sources))
    given = {}
    for source, (df, m) in tables.items():
        df.to_parquet(tmp_path / f"{source}.parquet")
        (tmp_path / f"{source}.meta.json").write_text(json.dumps(m))
        given[source] = (tmp_path / f"{source}.parquet", tmp_path / f"{source}.meta.json")
    return path, tmp_path / "sources.yaml", given


VERDUBBELD = {
    "id": "c_verdubbeld", "quote": "De prijzen zijn “bijna verdubbeld”.", "wording": "bijna verdubbeld",
    "value": 2.0, "unit": "keer", "period": "2023MM08", "source": "T1",
    "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
    "earlier": {"source": "OLD", "metric": {"kind": "value", "measure": "P1", "period_kind": "MM"}},
}  # fmt: skip


def test_the_files_of_a_theme(tmp_path):
    # T1 gives 1,80 for August 2023, below "bijna verdubbeld" (1,9 up to 2); OLD, the table of the time,
    # gave 1,93: revised. Only if OLD is loaded beside T1 (the claim's second source) can that be known.
    tables = {
        "T1": (frame([("M1", "2023MM08", 1.8)]), meta(M1=("keer", 2))),
        "OLD": (frame([("P1", "2023MM08", 1.93)], "OLD"), meta("OLD", "Oud", P1=("keer", 2))),
    }
    claims, sources, given = write_theme(tmp_path, [VERDUBBELD], tables, {"T1": {"kind": "cbs_odata4"}})
    out_csv, out_json = tmp_path / "a" / "b" / "out.csv", tmp_path / "a" / "c" / "out.json"  # folders made
    frame_ = recompute_claims(
        claims, sources, given, dossier_date="2023-10-01", qualifiers=QUALIFIERS, out_csv=out_csv,
        out_json=out_json,
    )  # fmt: skip
    assert frame_.loc[0, "status"] == "revised"
    text = out_json.read_text(encoding="utf-8")
    lines = text.splitlines()
    # keys sorted (bundled, claims, theme, title), indented by two, Dutch quotes as written, one final newline
    assert lines[0] == "{" and lines[1:3] == ['  "bundled": {},', '  "claims": ['] and text.endswith("}\n")
    assert '  "theme": "99_demo",' in lines and '  "title": "99_demo"' in lines  # no title: the theme's key
    assert "“bijna verdubbeld”" in text and "\\u201c" not in text
    first = out_csv.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("claim_id,theme,source,")  # no index column


def test_a_source_not_given_to_the_rule_is_named(tmp_path):
    claims, sources, given = write_theme(tmp_path, [VERDUBBELD], {}, {})
    with pytest.raises(RegistryError) as e:
        recompute_claims(
            claims, sources, given, dossier_date="2023-10-01", qualifiers=QUALIFIERS,
            out_csv=tmp_path / "o.csv", out_json=tmp_path / "o.json",
        )  # fmt: skip
    assert str(e.value) == "claim c_verdubbeld: source 'T1' was not given to this rule."


def test_an_unavailable_source_missing_from_sources_yaml(tmp_path):
    # the source's entry is gone from sources.yaml: the claim still says why it cannot be recomputed
    claim = {k: v for k, v in VERDUBBELD.items() if k != "earlier"}
    gone = (frame([]).iloc[0:0], {"source": "T1", "unavailable": True, "reason": "T1 antwoordde 404."})
    claims, sources, given = write_theme(tmp_path, [claim], {"T1": gone}, {})
    frame_ = recompute_claims(
        claims, sources, given, dossier_date="2023-10-01", qualifiers=QUALIFIERS,
        out_csv=tmp_path / "o.csv", out_json=tmp_path / "o.json",
    )  # fmt: skip
    assert (frame_.loc[0, "status"], frame_.loc[0, "reason"]) == ("source_unavailable", "T1 antwoordde 404.")


# --- earlier snapshots and the shipped bundle, through the theme's recompute ------------------------------

FILE_ENTRY = {
    "kind": "file", "table_id": "T1", "url": "http://127.0.0.1:9/t1.csv",
    "table": {"format": "csv", "decimal": ".", "period": {"column": "Perioden"},
              "measures": {"M1": {"title": "Index", "unit": "keer"}}},
}  # fmt: skip


def take(source_dir, monkeypatch, when, body, kind="file", name="t1.csv"):
    from dossiercheck import snapshot

    monkeypatch.setattr(snapshot, "utc_now", lambda: when)
    with snapshot.SnapshotWriter(source_dir, "T1", kind) as w:
        w.add(name, body, url=FILE_ENTRY["url"], data=True)
        w.table_meta = {"table_id": "T1"}
        return w.commit()


def test_a_theme_reads_earlier_snapshots_and_marks_bundled_figures(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    take(raw / "T1", monkeypatch, "2023-10-02T00:00:00Z", b"Perioden,M1\n2023MM08,1.92\n")  # fitted then
    current = take(raw / "T1", monkeypatch, "2026-06-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.80\n")
    claim = {k: v for k, v in VERDUBBELD.items() if k != "earlier"}
    now = meta(M1=("keer", 2))
    now.update(snapshot_id=current.name, retrieved_at="2026-06-01T00:00:00Z")
    tables = {"T1": (frame([("M1", "2023MM08", 1.8)]), now)}
    claims, sources, given = write_theme(tmp_path, [claim], tables, {"T1": FILE_ENTRY})
    bundle = tmp_path / "BUNDLE.json"
    bundle.write_text(json.dumps({"sources": {
        "T1": {"snapshot_id": current.name, "retrieved_at": "2026-06-01T00:00:00Z"},
        "T2": {"snapshot_id": "20260101T000000Z-00000000", "retrieved_at": "2026-01-01T00:00:00Z"},
    }}))  # fmt: skip
    out_json = tmp_path / "o.json"
    frame_ = recompute_claims(
        claims, sources, given, dossier_date="2023-10-01", qualifiers=QUALIFIERS, out_csv=tmp_path / "o.csv",
        out_json=out_json, raw_dir=raw, bundle=bundle,
    )  # fmt: skip
    # 1,92 in the snapshot of 2 October 2023 fits "bijna verdubbeld"; 1,80 now does not: revised
    assert frame_.loc[0, "status"] == "revised"
    payload = json.loads(out_json.read_text())
    (result,) = payload["claims"]
    assert result["revision"]["where"] == "de momentopname van 2 oktober 2023"
    # the figure was read from the snapshot the bundle ships: said per figure and per theme
    assert result["provenance"]["bundled"] is True
    assert payload["bundled"] == {"T1": "2026-06-01T00:00:00Z"}
    # without the raw folder nothing earlier is at hand: the finding is worded neutrally
    frame_ = recompute_claims(
        claims, sources, given, dossier_date="2023-10-01", qualifiers=QUALIFIERS, out_csv=tmp_path / "o.csv",
        out_json=out_json,
    )  # fmt: skip
    assert frame_.loc[0, "status"] == "differs_from_source"
    assert json.loads(out_json.read_text())["bundled"] == {}


def test_which_earlier_snapshots_are_read(tmp_path, monkeypatch):
    from dossiercheck.claims import earlier_snapshots

    source = tmp_path / "raw" / "T1"
    a = take(source, monkeypatch, "2023-10-02T00:00:00Z", b"Perioden,M1\n2023MM08,1.80\n")
    b = take(source, monkeypatch, "2024-01-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.92\n")
    take(source, monkeypatch, "2024-02-01T00:00:00Z", b'{"figures": []}', kind="manual", name="figures.json")
    d = take(source, monkeypatch, "2024-03-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.93\n")
    current = take(
        source, monkeypatch, "2026-06-01T00:00:00Z", b"Perioden,M1\n2023MM08,1.80\n"
    )  # = a's content
    assert a.name.rsplit("-", 1)[1] == current.name.rsplit("-", 1)[1]  # the same content id
    got = [m["snapshot_id"] for _, m in earlier_snapshots(source, {"snapshot_id": current.name}, FILE_ENTRY)]
    # a holds what current holds (skipped, and the ones after it are still read); the manual one is not a
    # table the source revises (skipped, and d after it is still read)
    assert got == [b.name, d.name]
    # metadata that names no snapshot has nothing earlier than it
    assert list(earlier_snapshots(source, {}, FILE_ENTRY)) == []


# --- the phrase a proposal writes --------------------------------------------------------------------------

PROPOSALS = [
    # "Een miljoen" at 684.000: the next round words ("een half miljoen", 450.000 up to 550.000) do not
    # admit it; "ongeveer" and one digit: 700.000 (650.000 up to 750.000) does
    ("Een miljoen", 1_000_000, 684_000, "ongeveer 700.000"),
    # "50 procent" at 15: steps of 10 give "20 procent" (admits 15 up to 25), a third off 15; one step
    # finer (1) gives "15 procent", within a tenth: no coarser than a tenth of the figure
    ("50 procent", 50, 15, "15 procent"),
    # "1,4 miljoen" at 1.234.567: steps of 0,1 miljoen give 1,2 miljoen, 2,8 % off: fine as it is
    ("1,4 miljoen", 1_400_000, 1_234_567, "1,2 miljoen"),
    # "bijna verdubbeld" at 1,5: short of "verdubbeld" by far: the rise in whole percents
    ("bijna verdubbeld", 2, 1.5, "met 50 procent gestegen"),
    # a figure that rounds to nothing at the wording's precision is written as itself, without "ruim"
    ("Een miljoen", 1_000_000, 12_345, "12.345"),
    ("ruim 1 procent", 1, 0.3, "0,30 procent"),
    # nothing to write for a count of zero or less in words
    ("Een miljoen", 1_000_000, -5, None),
    # a phrase in words that still admits the figure keeps its words ("ruim": above 1 up to 1,5 miljoen)
    ("ruim een miljoen", 1_000_000, 1_400_000, "ruim een miljoen"),
    # "2 procent" at 0,55: whole percents give "1 procent" (0,5 up to 1,5), 0,45 off, more than a tenth of
    # 0,55; a tenth of a percent finer: "0,6 procent" (0,55 up to 0,65), 0,05 off: within a tenth
    ("2 procent", 2, 0.55, "0,6 procent"),
    # a claim in fractions (0,5 for "50 procent": the scale is 0,01) is written in the phrase's percents
    ("50 procent", 0.5, 0.15, "15 procent"),
]


@pytest.mark.parametrize(
    ("wording", "value", "now", "expected"),
    PROPOSALS,
    ids=[f"{w}-{n}".replace(" ", "_") for w, _, n, _ in PROPOSALS],
)
def test_the_phrase_a_proposal_writes(wording, value, now, expected):
    from dossiercheck.claims import _phrase_that_holds

    claim = {"id": "c", "quote": f"Het zijn {wording} mensen.", "wording": wording, "value": value}
    reading, scale, _, _ = claim_band(claim, QUALIFIERS)
    assert _phrase_that_holds(now, reading, scale, QUALIFIERS) == expected


# --- what was left after the last mutation run --------------------------------------------------------------


def test_a_period_the_table_lacks_keeps_the_dossiers_period():
    # "In 2019" (stated), the table has 2020 only: not recomputable, and the page still says 2019
    claim = {
        "id": "c", "quote": "In 2019 was het 12 procent.", "wording": "12 procent", "value": 12, "unit": "%",
        "period": "2019JJ00", "source": "T1", "metric": {"kind": "value", "measure": "M1", "period_kind": "JJ"},
    }  # fmt: skip
    r = run(claim, frame([("M1", "2020JJ00", 12.0)]), meta(M1=("%", 0)))
    assert r["status"] == "not_recomputable"
    assert (r["dossier"]["period"], r["dossier"]["label"]) == ("2019JJ00", "2019")


def test_a_report_figure_not_in_its_report_keeps_the_dossiers_period():
    # no period stated, yearly, no lag: on 1 October 2023 the dossier's year is 2022
    claim = {
        "id": "c", "quote": "Zesenvijftig procent.", "wording": "Zesenvijftig procent", "value": 56, "unit": "%",
        "source": "R1", "metric": {"kind": "value", "measure": "F1", "period_kind": "JJ"},
    }  # fmt: skip
    m = meta("R1", "Rapport")
    m["measures"] = {"F1": {"absent": True}}
    r = run(claim, frame([], "R1"), m, entry={"kind": "manual"})
    assert (r["status"], r["dossier"]["period"]) == ("not_in_source", "2022JJ00")


def test_a_claim_without_a_period_key_is_about_the_present():
    # no 'period' key at all: the newest figure (October, 430.000 again) is judged, not only shown
    claim = {
        "id": "c", "quote": "Het is 430.000 euro.", "wording": "430.000", "value": 430_000, "unit": "euro",
        "source": "T1", "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
    }  # fmt: skip
    df = frame([("M1", "2023MM09", 430_000.0), ("M1", "2023MM10", 431_000.0)])
    r = run(claim, df, meta(M1=("euro", 0)))
    assert (r["newest"]["judgement"], r["newest_not_judged"]) == ("holds", None)


def test_a_baseline_within_the_figures_own_tolerance_is_no_revision():
    # the baseline gave 1,82 with a tolerance of 0,005; the figure now has one decimal (tolerance 0,05):
    # 1,80 is 0,02 off, within 0,05: not a revision. Exactly at the tolerance is not one either:
    # 1,75 against 1,5 with a tolerance of 0,25 (both exact in binary)
    base = {"period": "2023MM08", "table_id": "T1", "value": 1.82, "tolerance": 0.005, "snapshot_id": "x"}
    r = run(
        trough_claim(), frame(CURRENT), meta(M1=("keer", 1)), baseline={("t_verdubbeld", "dossier"): base}
    )
    assert r["status"] == "differs_from_source"
    edge = dict(base, value=1.75, tolerance=0.25)
    r = run(
        trough_claim(), frame([("M1", "2023MM08", 1.5)]), meta(M1=("keer", 2)),
        baseline={("t_verdubbeld", "dossier"): edge},
    )  # fmt: skip
    assert r["status"] == "differs_from_source"


def test_an_earlier_snapshot_counts_when_the_table_of_the_time_did_not_fit():
    # the predecessor gave 1,80 (no fit); the snapshot of 2 October 2023 of the current table gave 1,92
    # (a fit): the source revised it, as the snapshot shows
    old = frame([("P1", "2023MM08", 1.8)], table="OLD")
    others = {"OLD": (old, meta("OLD", "Oud", P1=("keer", 2)))}
    snap = {
        **meta(M1=("keer", 2)),
        "snapshot_id": "20231002T000000Z-aaaaaaaa",
        "retrieved_at": "2023-10-02T00:00:00Z",
    }
    history = [(frame([("M1", "2023MM08", 1.92)]), snap)]
    r = run(
        trough_claim(earlier={"source": "OLD", "metric": {"kind": "value", "measure": "P1", "period_kind": "MM"}}),
        frame(CURRENT), meta(M1=("keer", 2)), others=others, history=lambda: history,
    )  # fmt: skip
    assert r["status"] == "revised" and r["revision"]["where"] == "de momentopname van 2 oktober 2023"


def test_the_other_reading_from_another_table():
    # the other reading reads table OTHER (its id 83906NED): its figure, and on a missing measure the
    # error names that table and the measures it has, by title
    claim = {
        "id": "c", "quote": "De prijzen stijgen 30 procent.", "wording": "30 procent", "value": 30, "unit": "%",
        "source": "T1", "period": "2023MM08", "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
        "alternative": {"reading": "oude reeks", "source": "OTHER",
                        "metric": {"kind": "value", "measure": "P1", "period_kind": "MM"}},
    }  # fmt: skip
    m = meta("83906NED", "Oud")
    m["measures"] = {"P1": {"title": "Prijsindex 2015=100", "unit": "index", "decimals": 1}}
    others = {"OTHER": (frame([("P1", "2023MM08", 31.0)], "83906NED"), m)}
    r = run(claim, frame([("M1", "2023MM08", 30.0)]), meta(M1=("%", 0)), others=others)
    assert (r["alternative"]["dossier"]["value"], r["alternative"]["dossier"]["judgement"]) == (31.0, "holds")
    broken = dict(claim, alternative=dict(claim["alternative"], metric={"kind": "value", "measure": "P9"}))
    err = run(broken, frame([("M1", "2023MM08", 30.0)]), meta(M1=("%", 0)), others=others)["alternative"][
        "error"
    ]
    assert err.startswith("tabel 83906NED heeft ")
    detail = run(broken, frame([("M1", "2023MM08", 30.0)]), meta(M1=("%", 0)), others=others)["alternative"]
    assert "Prijsindex 2015=100" in detail["error_detail"]


def test_a_proposal_where_no_phrase_fits_writes_the_figure():
    # "Een miljoen" at −5: nothing in words admits a negative count; the figure itself takes its place
    claim = {"id": "c", "quote": "Het zijn Een miljoen mensen.", "wording": "Een miljoen", "value": 1_000_000,
             "unit": "personen"}  # fmt: skip
    reading, scale, _, _ = claim_band(claim, QUALIFIERS)
    got = suggested_wording(claim, -5.0, "2024", "CBS", QUALIFIERS, reading, scale)
    # (editor_value writes a whole count of persons without decimals)
    assert got == "Het zijn −5 personen mensen (−5 personen, 2024; CBS)."


def test_the_table_of_the_time_comes_before_an_earlier_snapshot():
    # both fit (the predecessor 1,93, the snapshot 1,92): the table of the time is named, not the snapshot
    old = frame([("P1", "2023MM08", 1.93)], table="OLD")
    others = {"OLD": (old, meta("OLD", "Oud", P1=("keer", 2)))}
    snap = {
        **meta(M1=("keer", 2)),
        "snapshot_id": "20231002T000000Z-aaaaaaaa",
        "retrieved_at": "2023-10-02T00:00:00Z",
    }
    asked = []
    history = [(frame([("M1", "2023MM08", 1.92)]), snap)]
    r = run(
        trough_claim(earlier={"source": "OLD", "metric": {"kind": "value", "measure": "P1", "period_kind": "MM"}}),
        frame(CURRENT), meta(M1=("keer", 2)), others=others, history=lambda: asked.append(1) or history,
    )  # fmt: skip
    assert r["status"] == "revised" and r["revision"]["where"] == "Oud" and asked == []


def test_a_moved_claims_proposal_is_written_in_the_phrase_s_own_scale():
    # "50 procent" for a claim stated as 0,5 (scale 0,01): 0,15 now (2023) is written "15 procent"
    claim = {
        "id": "c", "quote": "Het is 50 procent.", "wording": "50 procent", "value": 0.5, "unit": "aandeel",
        "source": "T1", "metric": {"kind": "value", "measure": "M1", "period_kind": "JJ"},
    }  # fmt: skip
    r = run(claim, frame([("M1", "2022JJ00", 0.5), ("M1", "2023JJ00", 0.15)]), meta(M1=("aandeel", 2)))
    assert r["status"] == "outdated"
    assert r["suggested_wording"].startswith("Het is 15 procent (")


def test_a_second_source_not_given_names_the_claim(tmp_path):
    tables = {
        "T1": (frame([("M1", "2023MM08", 1.8)]), meta(M1=("keer", 2)))
    }  # OLD, the table of the time, is not
    claims, sources, given = write_theme(tmp_path, [VERDUBBELD], tables, {"T1": {"kind": "cbs_odata4"}})
    with pytest.raises(RegistryError) as e:
        recompute_claims(
            claims, sources, given, dossier_date="2023-10-01", qualifiers=QUALIFIERS,
            out_csv=tmp_path / "o.csv", out_json=tmp_path / "o.json",
        )  # fmt: skip
    assert str(e.value) == "claim c_verdubbeld: source 'OLD' was not given to this rule."

"""recompute_claims as the rule runs it, in-process, on a registry, sources and tables written here: every
kind of claim a theme can hold, the CSV and JSON it writes. One full result is written out by hand."""

from __future__ import annotations

import csv
import json
from datetime import date

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from dossiercheck.claims import recompute_claim, recompute_claims
from dossiercheck.periods import add_period_columns

QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]

SOURCES = {
    "T1": {"publisher": "CBS", "kind": "cbs_odata4", "table_id": "T1", "title": "Prijzen", "url": "https://example.org/T1",
           "licence": "CC BY 4.0", "publication_lag_days": 22},
    "T2": {"publisher": "CBS", "kind": "cbs_odata4", "table_id": "T2", "title": "Oud", "url": "https://example.org/T2", "successor": "T3"},
    "T4": {"publisher": "CBS", "kind": "cbs_odata4", "table_id": "T4", "title": "Weg", "url": "https://example.org/T4"},
}  # fmt: skip

PRICE = {
    "id": "c_prijs", "title": "Gemiddelde prijs", "section": "4. Wonen",
    "quote": "Een koopwoning kost gemiddeld 430.000 euro.", "wording": "430.000", "value": 430000,
    "unit": "euro", "period": "dossier", "source": "T1",
    "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
}  # fmt: skip
REPORT = {
    "id": "c_rapport", "title": "Rapport", "quote": "Volgens het rapport is het 19 procent.", "wording": "19 procent",
    "value": 19, "unit": "%", "recomputable": False, "reason_kind": "report", "reason": "Geen tabel.",
    "citation": {"publisher": "SCP", "title": "Rapport"},
}  # fmt: skip
GONE = {
    "id": "c_oud", "title": "Oud", "quote": "Het aantal is 5.", "wording": "5", "value": 5, "unit": "personen",
    "period": "2022JJ00", "source": "T2", "metric": {"kind": "sum", "measures": ["A", "B"], "period_kind": "JJ"},
}  # fmt: skip
DOWN = {
    "id": "c_weg", "title": "Weg", "quote": "Het is 2 keer zo veel.", "wording": "2 keer", "value": 2, "unit": "keer",
    "source": "T4", "metric": {"kind": "ratio", "numerator": {"measure": "N"}, "denominator": {"measure": "D"}, "period_kind": "JJ"},
}  # fmt: skip

CHECK = {
    "id": "c_controle", "quote": "Een koopwoning kost gemiddeld 430.000 euro.", "wording": "430.000", "value": 430000,
    "unit": "euro", "period": "2023MM07", "source": "T1", "cross_check_of": "c_prijs", "codes_verified": False,
    "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
}  # fmt: skip

ROWS = [("M1", "2023MM07", 425_000.0), ("M1", "2023MM08", 430_000.0), ("M1", "2026MM05", 487_000.0)]
STATUS = {"2026MM05": "Voorlopig"}


def t1_frame():
    df = pd.DataFrame(ROWS, columns=["measure", "period", "value"])
    df["value_attribute"] = "None"
    df["table_id"] = "T1"
    df["period_status"] = [STATUS.get(p, "Definitief") for p in df["period"]]
    return add_period_columns(df)


T1_META = {
    "source": "T1", "table_id": "T1", "title": "Prijzen", "snapshot_id": "20260601T000000Z-abcdef12",
    "retrieved_at": "2026-06-01T00:00:00Z", "upstream_modified": "2026-05-22T06:30:00+02:00",
    "raw_files": {"Observations.json": {"sha256": "ab" * 32}},
    "measures": {"M1": {"title": "Gemiddelde verkoopprijs", "unit": "euro", "decimals": 0}},
}  # fmt: skip


@pytest.fixture
def outputs(tmp_path):
    return run_registry(tmp_path)


def run_registry(tmp_path):
    claims = tmp_path / "99_demo.yaml"
    claims.write_text(
        yaml.safe_dump({"theme": "99_demo", "title": "Demo", "claims": [PRICE, REPORT, GONE, DOWN, CHECK]})
    )
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(SOURCES))
    tables = {}
    for source, (df, meta) in {
        "T1": (t1_frame(), T1_META),
        "T2": (t1_frame().iloc[0:0], {"source": "T2", "unavailable": True, "reason": "T2 answered 404."}),
        "T4": (t1_frame().iloc[0:0], {"source": "T4", "unavailable": True, "reason": "T4 timed out."}),
    }.items():
        df.to_parquet(tmp_path / f"{source}.parquet")
        (tmp_path / f"{source}.meta.json").write_text(json.dumps(meta))
        tables[source] = (tmp_path / f"{source}.parquet", tmp_path / f"{source}.meta.json")
    out_csv, out_json = tmp_path / "out.csv", tmp_path / "out.json"
    # an accepted baseline that gave 420.000 for the cross-check's July: 5.000 off now, a revision
    from dossiercheck.diff import FIGURE_COLUMNS

    row = dict.fromkeys(FIGURE_COLUMNS, "") | {
        "claim_id": "c_controle", "theme": "99_demo", "figure": "dossier", "table_id": "T1", "period": "2023MM07",
        "value": "420000.000000", "tolerance": "0.500000", "snapshot_id": "s0",
    }  # fmt: skip
    baseline = tmp_path / "figures.csv"
    baseline.write_text(",".join(FIGURE_COLUMNS) + "\n" + ",".join(row[c] for c in FIGURE_COLUMNS) + "\n")
    frame = recompute_claims(
        claims, sources, tables, dossier_date="2023-10-01", qualifiers=QUALIFIERS, out_csv=out_csv,
        out_json=out_json, baseline=baseline,
    )  # fmt: skip
    rows = {r["claim_id"]: r for r in csv.DictReader(out_csv.read_text(encoding="utf-8").splitlines())}
    return frame, rows, json.loads(out_json.read_text(encoding="utf-8")), out_csv


COLUMNS = [
    "claim_id", "theme", "source", "table_id", "metric", "measure", "qualifier", "wording", "dossier_value",
    "band_low", "band_high", "band", "unit", "dossier_period", "dossier_period_why", "dossier_period_value",
    "dossier_period_judgement", "newest_period", "newest_value", "newest_judgement", "change_since_dossier",
    "status", "provisional", "snapshot_id", "reason", "reason_detail", "reason_kind", "cross_check_of", "codes_verified",
    "suggested_wording",
]  # fmt: skip


def test_the_csv_holds_every_claim_once_sorted_with_its_columns(outputs):
    _, rows, _, out_csv = outputs
    header = out_csv.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert sorted(header) == sorted(COLUMNS)
    assert list(rows) == ["c_controle", "c_oud", "c_prijs", "c_rapport", "c_weg"]  # sorted by claim id
    c = rows["c_controle"]
    # provisional: the newest figure shown beside it (May 2026) is Voorlopig
    assert (c["cross_check_of"], c["codes_verified"], c["status"]) == ("c_prijs", "False", "revised")
    assert c["provisional"] == "True"
    # the registry states 2023MM07, the quote does not name July 2023 and no period_note explains it: our
    # reading, in the sentence the page shows
    assert (
        c["dossier_period_why"]
        == "De woorden van het dossier noemen juli 2023 niet letterlijk; zo lezen wij ze."
    )
    assert c["reason"].startswith(
        "Voor juli 2023 gaf T1 bij de vastgestelde basislijn 420.000 euro (momentopname s0)"
    )
    p = rows["c_prijs"]
    # "430.000" in steps of 10.000: 425.000 up to 435.000. August 2023 (public 22 September) = 430.000,
    # holds; May 2026 = 487.000, does not: outdated; the change is +57.000
    assert {k: p[k] for k in ("source", "table_id", "metric", "measure", "qualifier", "wording", "unit")} == {
        "source": "T1", "table_id": "T1", "metric": "value", "measure": "M1", "qualifier": "exact",
        "wording": "430.000", "unit": "euro",
    }  # fmt: skip
    assert (p["dossier_value"], p["band_low"], p["band_high"]) == (
        "430000.000000",
        "425000.000000",
        "435000.000000",
    )
    assert p["band"] == "minstens 425.000 en minder dan 435.000 euro"
    assert (p["dossier_period"], p["dossier_period_value"], p["dossier_period_judgement"]) == (
        "2023MM08",
        "430000.000000",
        "holds",
    )
    assert (p["newest_period"], p["newest_value"], p["newest_judgement"]) == (
        "2026MM05",
        "487000.000000",
        "contradicts",
    )
    assert (p["change_since_dossier"], p["status"], p["provisional"]) == ("57000.000000", "outdated", "True")
    assert p["snapshot_id"] == "20260601T000000Z-abcdef12" and p["codes_verified"] == "True"
    # the proposal keeps the dossier's precision (steps of 10.000): 487.000 is written "490.000"
    assert (
        p["suggested_wording"] == "Een koopwoning kost gemiddeld 490.000 euro (487.000 euro, mei 2026; CBS)."
    )
    assert p["reason"] == "" and p["reason_kind"] == "" and p["cross_check_of"] == ""
    r = rows["c_rapport"]
    assert (r["status"], r["reason"], r["reason_kind"], r["source"], r["dossier_period"]) == (
        "not_recomputable",
        "Geen tabel.",
        "report",
        "",
        "",
    )
    g = rows["c_oud"]
    assert (g["status"], g["reason"], g["measure"], g["table_id"], g["dossier_period"]) == (
        "source_discontinued",
        "T2 answered 404. Opvolger: T3.",
        "A+B",
        "T2",
        "2022JJ00",
    )
    w = rows["c_weg"]
    # no period stated and no lag: a year counts once it has ended, 2022 on 1 October 2023
    assert (w["status"], w["reason"], w["measure"], w["dossier_period"]) == (
        "source_unavailable",
        "T4 timed out.",
        "N/D",
        "2022JJ00",
    )


def test_the_json_keeps_the_registrys_order_with_labels(outputs):
    _, _, payload, _ = outputs
    assert (payload["theme"], payload["title"]) == ("99_demo", "Demo")
    assert [(c["id"], c["status_label"]) for c in payload["claims"]] == [
        ("c_prijs", "achterhaald"), ("c_rapport", "niet na te rekenen"), ("c_oud", "bron stopgezet"),
        ("c_weg", "bron niet bereikbaar"), ("c_controle", "herzien door de bron"),
    ]  # fmt: skip
    report = payload["claims"][1]
    assert report["citation"] == {"publisher": "SCP", "title": "Rapport"} and report["dossier_value"] == 19.0
    gone = payload["claims"][2]
    assert gone["provenance"] == {
        "source": "T2", "table_id": "T2", "metric": GONE["metric"], "measure": "A+B", "publisher": "CBS",
        "statline_url": "https://example.org/T2",
    }  # fmt: skip


def test_one_result_in_full():
    """Every field of one recomputed claim, written out by hand from ROWS, T1_META and PRICE."""
    r = recompute_claim(
        PRICE,
        "99_demo",
        t1_frame(),
        T1_META,
        SOURCES["T1"],
        dossier_date=date(2023, 10, 1),
        qualifiers=QUALIFIERS,
    )
    why = (
        "Het dossier noemt geen periode. Gebruikt is augustus 2023: de nieuwste periode die op 1 oktober 2023 "
        "(de datum van het dossier) al gepubliceerd kon zijn (deze bron publiceert een periode ongeveer 22 dagen "
        "na afloop)."
    )
    expected = {
        "id": "c_prijs", "theme": "99_demo", "title": "Gemiddelde prijs", "section": "4. Wonen",
        "quote": PRICE["quote"], "quote_context": None, "wording": "430.000", "dossier_value": 430000.0, "dossier_value_low": None,
        "compare_to": None, "reason_kind": None, "codes_verified": True, "cross_check_of": None, "reading": None,
        "alternative": None, "misquote_of_source": None, "unit": "euro", "qualifier": "exact",
        "band": {"low": 425000.0, "high": 435000.0, "low_inclusive": True, "high_inclusive": False,
                 "step": 10000.0, "text": "minstens 425.000 en minder dan 435.000 euro", "reason": None},
        "period_note": "", "series_label": "Gemiddelde prijs", "citation": None,
        "dossier": {
            "period": "2023MM08", "label": "augustus 2023", "value": 430000.0, "inputs": {"value": 430000.0},
            "origin": "computed", "periods_used": [{"period": "2023MM08", "label": "augustus 2023", "status": "Definitief"}],
            "judgement": "holds", "why": why,
            # period: dossier, and the quote names no month: chosen from the dossier's date
            "basis": "assumed",
            "basis_why": (
                "Het dossier noemt voor dit cijfer geen periode; gekozen is de nieuwste waarvoor de bron op "
                "1 oktober 2023 (de datum van het dossier) al een cijfer gepubliceerd kon hebben."
            ),
        },
        "newest": {
            "period": "2026MM05", "label": "mei 2026", "value": 487000.0, "inputs": {"value": 487000.0},
            "origin": "computed", "periods_used": [{"period": "2026MM05", "label": "mei 2026", "status": "Voorlopig"}],
            "judgement": "contradicts",
        },
        "newest_not_judged": None, "reference": None,
        "series": [
            {"period": "2023MM07", "start": "2023-07-01", "value": 425000.0, "status": "Definitief"},
            {"period": "2023MM08", "start": "2023-08-01", "value": 430000.0, "status": "Definitief"},
            {"period": "2026MM05", "start": "2026-05-01", "value": 487000.0, "status": "Voorlopig"},
        ],
        "provisional": True, "change_since_dossier": 57000.0, "reason": None, "revision": None,
        "suggested_wording": "Een koopwoning kost gemiddeld 490.000 euro (487.000 euro, mei 2026; CBS).",
        "provenance": {
            "source": "T1", "table_id": "T1", "metric": PRICE["metric"], "measure": "M1", "publisher": "CBS",
            "table_title": "Prijzen", "statline_url": "https://example.org/T1", "licence": "CC BY 4.0",
            "measures": {"value": {"measure": "M1", "filters": {}, "title": "Gemiddelde verkoopprijs", "unit": "euro"}},
            "measure_title": "Gemiddelde verkoopprijs", "measure_unit": "euro", "filters": {},
            "snapshot_id": "20260601T000000Z-abcdef12", "retrieved_at": "2026-06-01T00:00:00Z",
            "upstream_modified": "2026-05-22T06:30:00+02:00", "raw_files": T1_META["raw_files"],
        },
        "tolerance": 0.5,  # half a euro: the source's figures have no decimals
        "status": "outdated",
    }  # fmt: skip
    assert r == expected


def test_results_without_a_figure_in_full():
    from dossiercheck.claims import not_recomputable, source_unavailable

    bare = {
        "id": "c_kaal",
        "quote": "Het is veel.",
        "qualifier": "meer_dan",
        "recomputable": False,
        "reason": "Geen maat.",
    }
    r = not_recomputable(dict(bare, period="2021JJ00", reason_kind="opinion"), "99_demo")
    assert r == {
        "id": "c_kaal", "theme": "99_demo", "title": "", "section": "", "quote": "Het is veel.",
        "quote_context": None, "wording": None,
        "dossier_value": None, "dossier_value_low": None, "compare_to": None, "reason_kind": "opinion",
        "codes_verified": True, "cross_check_of": None, "reading": None, "alternative": None,
        "misquote_of_source": None, "unit": "", "qualifier": "meer_dan", "band": None, "period_note": "",
        "series_label": "c_kaal", "citation": None,
        # the registry states 2021; "Het is veel." does not name it, and there is no period_note: the
        # general sentence for a reading
        "dossier": {
            "period": "2021JJ00", "label": "2021", "why": "", "basis": "reading",
            "basis_why": "De woorden van het dossier noemen 2021 niet letterlijk; zo lezen wij ze.",
        },
        "newest": None, "newest_not_judged": None, "reference": None, "series": [], "provisional": False,
        "change_since_dossier": None, "reason": "Geen maat.", "revision": None, "suggested_wording": None,
        "provenance": {"source": "", "table_id": "", "metric": {}, "measure": ""}, "status": "not_recomputable",
    }  # fmt: skip
    assert not_recomputable(dict(bare, period="dossier"), "99")["dossier"] == {
        "period": None,
        "label": "",
        "why": "",
        "basis": "none",
        "basis_why": "Het dossier noemt voor dit cijfer geen periode; het is niet nagerekend, dus er is ook geen gekozen.",
    }
    ranged = {
        "id": "c_r", "quote": "Circa 200 tot bijna 500 euro.", "wording": "circa 200 tot bijna 500 euro", "value": 500,
        "value_low": 200, "unit": "euro", "section": "1", "title": "R", "series_label": "Reeks", "period_note": "n",
        "compare_to": None, "recomputable": False, "reason": "x",
    }  # fmt: skip
    r = not_recomputable(ranged, "99")
    assert (r["dossier_value"], r["dossier_value_low"], r["qualifier"], r["series_label"], r["unit"]) == (
        500.0,
        200.0,
        "range",
        "Reeks",
        "euro",
    )
    gone = source_unavailable(
        {"id": "c_g", "quote": "Het is 5.", "wording": "5", "value": 5, "metric": {"kind": "value", "measure": "M", "period_kind": "JJ"}},
        "99", {"publisher": "CBS", "url": "https://example.org", "publication_lag_days": 400}, "weg.", date(2023, 10, 1),
    )  # fmt: skip
    # a lag of 400 days: 2022 (ends 31 December) is not public by 1 October 2023, 2021 is
    assert gone["dossier"] == {
        "period": "2021JJ00", "label": "2021", "why": "", "basis": "assumed",
        "basis_why": (
            "Het dossier noemt voor dit cijfer geen periode; gekozen is de nieuwste waarvoor de bron op "
            "1 oktober 2023 (de datum van het dossier) al een cijfer gepubliceerd kon hebben."
        ),
    }  # fmt: skip
    assert gone["provenance"] == {
        "source": "", "table_id": "", "metric": {"kind": "value", "measure": "M", "period_kind": "JJ"}, "measure": "M",
        "publisher": "CBS", "statline_url": "https://example.org",
    }  # fmt: skip
    assert (gone["status"], gone["reason"]) == ("source_unavailable", "weg.")


def test_an_editors_own_proposal_replaces_the_automatic_one(tmp_path, monkeypatch):
    # c_rapport has no table, so no automatic proposal; the registry's own sentence is shown as written
    # (its whitespace folded, as YAML's '>-' would), whatever the status
    monkeypatch.setitem(REPORT, "proposal", "Volgens het rapport is het\n  20 procent.")
    monkeypatch.setitem(REPORT, "proposal_why", "Het rapport noemt 20 procent.")
    _, rows, payload, _ = run_registry(tmp_path)
    assert rows["c_rapport"]["suggested_wording"] == "Volgens het rapport is het 20 procent."
    assert (
        rows["c_prijs"]["suggested_wording"] != "Volgens het rapport is het 20 procent."
    )  # only its own claim

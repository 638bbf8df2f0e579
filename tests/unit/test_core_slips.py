"""One test per slip a hand-made mutation run found unnoticed in the core (diff, periods, fmt, snapshot,
the provisional flag): each expected value is worked out by hand in the test."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from dossiercheck import snapshot
from dossiercheck.diff import classify
from dossiercheck.fmt import editor_change, editor_value
from dossiercheck.periods import add_period_columns, period_end, published_by

# --- diff.classify: the wider of the two tolerances decides ---------------------------------------------


def _figure(value: float, tolerance: float, period_status: str = "Definitief", **kw) -> pd.Series:
    return pd.Series(
        {
            "period": "2023MM05", "table_id": "85773NED", "value": value, "tolerance": tolerance,
            "period_status": period_status, "claim_status": "holds", **kw,
        }
    )  # fmt: skip


def test_a_move_within_the_wider_tolerance_is_not_a_revision():
    # 1,0 -> 1,3 moves 0,3: more than the old tolerance 0,05, less than the new 0,5. The wider one decides.
    assert classify(_figure(1.0, 0.05), _figure(1.3, 0.5)) == "within_tolerance"
    assert classify(_figure(1.0, 0.5), _figure(1.3, 0.05)) == "within_tolerance"  # either side's
    # 1,0 -> 1,6 moves 0,6, more than either: revised
    assert classify(_figure(1.0, 0.05), _figure(1.6, 0.5)) == "revised"


def test_a_move_of_exactly_the_tolerance_is_within_it():
    # 0,1 + 0,2 is 0,30000000000000004 in binary: a move of "exactly" 0,2 must not count as more
    assert classify(_figure(0.1, 0.2), _figure(0.1 + 0.2, 0.2)) == "within_tolerance"
    assert classify(_figure(1.0, 0.2), _figure(1.0, 0.2)) == "unchanged"


def test_a_period_of_unknown_status_counts_as_provisional_in_a_diff():
    # tidy marks a period the table's own period list does not describe as "Onbekend": not known to be final
    assert classify(_figure(1.0, 0.05), _figure(1.0, 0.05, "Onbekend")) == "definitive_became_provisional"
    assert classify(_figure(1.0, 0.05, "Onbekend"), _figure(1.0, 0.05)) == "provisional_became_definitive"
    assert classify(_figure(1.0, 0.05, "Voorlopig"), _figure(1.0, 0.05, "Onbekend")) == "unchanged"


# --- periods: quarters and half-years end on their last day ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "end"),
    [
        ("2023KW01", date(2023, 3, 31)),
        ("2023KW03", date(2023, 9, 30)),  # July, August, September
        ("2023KW04", date(2023, 12, 31)),
        ("2023HJ01", date(2023, 6, 30)),  # January to June
        ("2023HJ02", date(2023, 12, 31)),
        ("2024MM02", date(2024, 2, 29)),  # a leap year
        ("2023MM02", date(2023, 2, 28)),
        ("2023JJ00", date(2023, 12, 31)),
    ],
)
def test_period_end(code, end):
    assert period_end(code) == end


def test_a_quarterly_claim_reads_the_last_quarter_ended_by_the_dossier_date():
    from dossiercheck.claims import dossier_period

    claim = {"id": "t", "period": "dossier", "metric": {"kind": "value", "measure": "M", "period_kind": "KW"}}
    # 15 September 2023: the third quarter ends on 30 September, after it; the second ended 30 June.
    assert dossier_period(claim, date(2023, 9, 15)) == "2023KW02"
    # on 30 September itself the third quarter has ended (with no publication lag)
    assert dossier_period(claim, date(2023, 9, 30)) == "2023KW03"
    # a lag of 45 days: 2023KW02 is public from 14 August (30 June + 45 days), 2023KW03 from 14 November
    assert published_by("2023KW02", 45) == date(2023, 8, 14)
    assert dossier_period(claim, date(2023, 8, 13), 45) == "2023KW01"
    assert dossier_period(claim, date(2023, 8, 14), 45) == "2023KW02"


# --- fmt: decimals by size ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9.994, "9,99 euro"),  # below 10: two decimals
        (10.0, "10,0 euro"),  # from 10 on: one decimal
        (99.94, "99,9 euro"),
        (100.0, "100 euro"),  # from 100 on: none
        (-10.0, "−10,0 euro"),  # the size decides, not the sign
    ],
)
def test_decimals_follow_the_size_of_the_figure(value, text):
    assert editor_value(value, "euro") == text


def test_a_change_of_ten_has_one_decimal():
    assert editor_change(10.0, "euro") == "+10,0 euro"
    assert editor_change(-9.5, "euro") == "−9,50 euro"


# --- snapshot.latest_good: the newest good snapshot ------------------------------------------------------


def _snapshot(source_dir, monkeypatch, when: str, body: bytes):
    monkeypatch.setattr(snapshot, "utc_now", lambda: when)
    with snapshot.SnapshotWriter(source_dir, "T1", "file") as w:
        w.add("data.csv", body, url="http://127.0.0.1/data.csv")
        return w.commit()


def test_a_failed_fetch_falls_back_on_the_newest_good_snapshot(tmp_path, monkeypatch):
    source_dir = tmp_path / "raw" / "T1"
    older = _snapshot(source_dir, monkeypatch, "2026-01-01T00:00:00Z", b"a;b\n1;2\n")
    middle = _snapshot(source_dir, monkeypatch, "2026-02-01T00:00:00Z", b"a;b\n1;3\n")
    newest = _snapshot(source_dir, monkeypatch, "2026-03-01T00:00:00Z", b"a;b\n1;4\n")
    assert snapshot.list_snapshots(source_dir) == [older, middle, newest]  # oldest first, by time
    assert snapshot.latest_good(source_dir) == newest
    (newest / "data.csv").write_bytes(b"a;b\n1;5\n")  # damaged: no longer its checksum
    assert snapshot.latest_good(source_dir) == middle  # the newest of the two good ones, not the oldest


# --- the provisional flag: a period of unknown status is flagged in the result and on the page -----------


def test_a_newest_period_of_unknown_status_is_flagged_provisional(tmp_path):
    from dossiercheck.claims import recompute_claim
    from dossiercheck.report import write_report_fragments

    rows = [("M1", "2023MM08", 100.0), ("M1", "2023MM09", 101.0), ("M1", "2026MM05", 120.0)]
    df = pd.DataFrame(rows, columns=["measure", "period", "value"])
    df["value_attribute"] = "None"
    df["table_id"] = "T1"
    # 2026MM05 is in the data but not in the table's period list: tidy marks it Onbekend
    df["period_status"] = ["Definitief", "Definitief", "Onbekend"]
    df = add_period_columns(df)
    meta = {
        "table_id": "T1", "title": "Tabel", "snapshot_id": "20260601T000000Z-00000000",
        "retrieved_at": "2026-06-01T00:00:00Z", "raw_files": [],
        "measures": {"M1": {"title": "Prijs", "unit": "euro", "decimals": 0}},
    }  # fmt: skip
    claim = {
        "id": "t_prijs", "title": "Prijs", "quote": "De prijs is 101 euro.", "wording": "101",
        "value": 101, "unit": "euro", "period": "dossier", "source": "T1",
        "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
    }  # fmt: skip
    qualifiers = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
    entry = {"kind": "cbs_odata4", "table_id": "T1", "publisher": "CBS"}
    result = recompute_claim(
        claim, "99_demo", df, meta, entry, dossier_date=date(2023, 10, 1), qualifiers=qualifiers
    )
    # the dossier's month: September 2023 (ended 30 September, before 1 October); the newest: May 2026
    assert (result["dossier"]["period"], result["newest"]["period"]) == ("2023MM09", "2026MM05")
    assert result["provisional"] is True

    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps({"theme": "99_demo", "title": "Demo", "claims": [result]}))
    out = tmp_path / "claims.md"
    write_report_fragments(claims, out, tmp_path / "figures", "figures")
    text = " ".join(out.read_text(encoding="utf-8").split())
    assert "mei 2026" in text and "onbekend" in text.lower()
    assert "Voorlopig" in text

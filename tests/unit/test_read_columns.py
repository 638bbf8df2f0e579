"""tidy.read_columns: the pages of an OData collection read page by page into Arrow columns, with the
Arrow type each field should have; a page that does not fit the type is read as what it holds, so the
raw schema can say what is wrong. Pages are written here in the exact v4 Observations shape."""

from __future__ import annotations

import json

import pyarrow
import pytest

from dossiercheck.errors import SnapshotError
from dossiercheck.tidy import read_columns

FIELDS = ["Measure", "ValueAttribute", "Value", "Perioden"]
TYPES = {"Measure": pyarrow.string(), "ValueAttribute": pyarrow.string(), "Value": pyarrow.float64(),
         "Perioden": pyarrow.string()}  # fmt: skip


def page(tmp_path, n, rows, link=None):
    body = {"@odata.context": "https://datasets.cbs.nl/odata/v1/CBS/00000XXX/$metadata#Observations"}
    body["value"] = [{"Id": i, "StringValue": None, **r} for i, r in enumerate(rows)]
    if link:
        body["@odata.nextLink"] = link
    path = tmp_path / (f"Observations.{n:04d}.json" if n > 1 else "Observations.json")
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def obs(measure, value, period="2023JJ00", attr="None"):
    return {"Measure": measure, "ValueAttribute": attr, "Value": value, "Perioden": period}


def test_pages_in_order_with_their_types(tmp_path):
    p1 = page(tmp_path, 1, [obs("M1", 1.5), obs("M1", 2)], "…?$skip=2")  # an int: still a number
    p2 = page(tmp_path, 2, [obs("M2", None, attr="Impossible")])  # a page of nulls takes the others' type
    df = read_columns([p1, p2], FIELDS, TYPES)
    assert list(df.columns) == FIELDS
    assert df["Measure"].tolist() == ["M1", "M1", "M2"]
    assert str(df["Value"].dtype) == "float64"
    assert df["Value"].tolist()[:2] == [1.5, 2.0] and df["Value"].isna().tolist() == [False, False, True]
    assert df["ValueAttribute"].tolist() == ["None", "None", "Impossible"]


def test_a_text_value_is_kept_as_text_for_the_raw_schema(tmp_path):
    p1 = page(tmp_path, 1, [obs("M1", 1.5)], "…")
    p2 = page(tmp_path, 2, [obs("M1", "12,5")])  # a value CBS would never send as text
    df = read_columns([p1, p2], FIELDS, TYPES)
    assert df["Value"].dtype == object and df["Value"].tolist() == [1.5, "12,5"]
    assert str(df["Measure"].dtype) == "str"  # the other columns keep their fast path


def test_a_field_no_row_has_is_left_out_and_one_some_rows_lack_is_null(tmp_path):
    rows = [obs("M1", 1.0), obs("M1", 2.0)]
    del rows[1]["Perioden"]  # one row without its period
    p1 = page(tmp_path, 1, rows)
    df = read_columns([p1], [*FIELDS, "RegioS"], TYPES)
    assert "RegioS" not in df.columns  # a $select left it out: no row has it
    assert df["Perioden"].tolist()[0] == "2023JJ00" and df["Perioden"].isna().tolist() == [False, True]


def test_a_page_that_is_not_an_odata_collection_names_the_file(tmp_path):
    bad = tmp_path / "Observations.json"
    bad.write_text('{"value": [{"Measure": "M1"', encoding="utf-8")  # cut off
    with pytest.raises(SnapshotError, match=r"Observations\.json: not an OData collection"):
        read_columns([bad], FIELDS, TYPES)


def test_long_frame_sorts_strips_and_keeps_each_value_with_its_cell():
    import pandas as pd

    from dossiercheck.tidy import long_frame

    # four cells, shuffled, with v3-style padding; 2024JJ00 is not in the period code list
    obs = pd.DataFrame(
        {
            "Measure": ["M2", "M1", "M1", "M2"],
            "RegioS": ["GM0002  ", "GM0002  ", "GM0001  ", "GM0001  "],
            "Perioden": ["2023JJ00", "2024JJ00", "2023JJ00", "2023JJ00"],
            "Value": [4.0, 2.0, 1.0, 3.0],
            "ValueAttribute": ["None", "None", "None", "None"],
        }
    )
    df = long_frame("T", obs, ["RegioS"], {"2023JJ00 ": "Voorlopig"}, "Perioden")
    # sorted by measure, region, period: (M1, GM0001, 2023) (M1, GM0002, 2024) (M2, GM0001) (M2, GM0002)
    assert df["measure"].tolist() == ["M1", "M1", "M2", "M2"]
    assert df["RegioS"].tolist() == ["GM0001", "GM0002", "GM0001", "GM0002"]
    assert df["period"].tolist() == ["2023JJ00", "2024JJ00", "2023JJ00", "2023JJ00"]
    assert df["value"].tolist() == [1.0, 2.0, 3.0, 4.0]  # each value went with its cell
    assert df["period_status"].tolist() == ["Voorlopig", "Onbekend", "Voorlopig", "Voorlopig"]
    assert df["period_kind"].tolist() == ["JJ"] * 4
    assert df["period_start"].dt.year.tolist() == [2023, 2024, 2023, 2023]
    assert list(df.columns) == ["table_id", "measure", "RegioS", "period", "period_kind", "period_start",
                                "period_status", "value", "value_attribute"]  # fmt: skip


def test_pretty_printed_pages_and_an_empty_page_read_like_compact_ones(tmp_path):
    # CBS sends compact JSON, but a proxy or a hand-saved file may indent it: a row over several lines
    rows = [obs("M1", 1.5), obs("M2", None, attr="Impossible")]
    p1 = tmp_path / "Observations.json"
    p1.write_text(json.dumps({"value": rows, "@odata.nextLink": "…"}, indent=2), encoding="utf-8")
    p2 = page(tmp_path, 2, [])  # a last page without rows
    df = read_columns([p1, p2], FIELDS, TYPES)
    assert df["Measure"].tolist() == ["M1", "M2"]
    assert df["Value"].tolist()[0] == 1.5 and df["Value"].isna().tolist() == [False, True]
    assert df["ValueAttribute"].tolist() == ["None", "Impossible"]


def test_many_small_pages_read_together_keep_their_order_and_one_bad_page_its_own_values(tmp_path):
    # eleven v3-sized pages: read in one batch by Arrow; page 7 holds a text value, so the batch is read
    # page by page and only page 7 keeps Python values (the others stay typed columns)
    paths = [
        page(tmp_path, n, [obs(f"M{n}", "x" if n == 7 else float(n)), obs(f"M{n}", float(n) + 0.5)], "…")
        for n in range(1, 12)
    ]
    df = read_columns(paths, FIELDS, TYPES)
    assert df["Measure"].tolist() == [f"M{n}" for n in range(1, 12) for _ in (0, 1)]
    values = df["Value"].tolist()
    assert values[12] == "x" and values[13] == 7.5  # page 7: the text as sent, for the raw schema
    assert values[:2] == [1.0, 1.5] and values[-2:] == [11.0, 11.5]


def test_rows_that_are_not_objects_name_the_file(tmp_path):
    bad = tmp_path / "Observations.json"
    bad.write_text('{"value": [1, 2]}', encoding="utf-8")  # a list, but not of rows
    with pytest.raises(SnapshotError, match=r"Observations\.json: not an OData collection of rows"):
        read_columns([bad], FIELDS, TYPES)


def test_a_key_only_inside_a_text_does_not_make_a_field_present(tmp_path):
    # "RegioS" appears in a value, escaped as JSON escapes quotes: not a key, so the column stays out
    p1 = page(tmp_path, 1, [obs("M1", 1.0, attr='"RegioS": no')])
    df = read_columns([p1], [*FIELDS, "RegioS"], TYPES)
    assert "RegioS" not in df.columns

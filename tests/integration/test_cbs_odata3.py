"""The OData v3 client and the melt of its wide data sets, on real recorded responses."""

from __future__ import annotations

import json

import pytest
from conftest import shared_path
from helpers.fetching import FAST

from dossiercheck.fetch import fetch_source
from dossiercheck.snapshot import read_manifest
from dossiercheck.sources.cbs_odata3 import read_v3_dataset
from dossiercheck.sources.tidying import tidy_snapshot
from dossiercheck.validate import validate


@pytest.fixture
def odata3_dir():
    return shared_path("cbs", "odata3")


def fetch3(server, tmp_path, table, **entry):
    pointer = fetch_source(
        table,
        {"kind": "cbs_odata3", "table_id": table, **entry},
        tmp_path / "raw",
        tmp_path / "raw" / table / "current.json",
        base_urls={"cbs_odata3_url": server.host, "cbs_dataderden_url": server.host + "/dataderden"},
        http=FAST,
    )
    return tmp_path / "raw" / table / pointer["snapshot_dir"]


def test_80137ned_melts_with_units_from_data_properties(cbs_server, odata3_dir, tmp_path):
    cbs_server.root = odata3_dir
    snap = fetch3(cbs_server, tmp_path, "80137ned")
    df, meta = tidy_snapshot(snap)
    props = json.loads((odata3_dir / "80137ned" / "DataProperties.json").read_bytes())["value"]
    topics = [p["Key"] for p in props if p["Type"] == "Topic"]
    wide = json.loads((odata3_dir / "80137ned" / "TypedDataSet.json").read_bytes())["value"]
    assert len(df) == len(wide) * len(topics)  # one tidy row per topic and raw row: 675 x 12
    # the first raw row, by hand: Persoonskenmerken '1 ', BedrijfstakkenSBI93 '99', 2001JJ00, Totaal_1 8811.0
    cell = df[(df.measure == "Totaal_1") & (df.Persoonskenmerken == "1") & (df.BedrijfstakkenSBI93 == "99")]
    assert cell.set_index("period").loc["2001JJ00", "value"] == 8811.0
    assert meta["measures"]["Totaal_1"]["unit"] == "1 000 banen"  # the unit comes from DataProperties
    assert meta["measures"]["PerGewerktUur_12"]["title"] == next(
        p["Title"] for p in props if p["Key"] == "PerGewerktUur_12"
    )
    assert meta["codes"]["Persoonskenmerken"]["1"] == "Totaal"
    requested = [r for r in cbs_server.requests if "TypedDataSet" in r]
    assert requested == ["/ODataFeed/odata/80137ned/TypedDataSet?$format=json"]
    manifest = read_manifest(snap)
    assert manifest["upstream_modified"] == "2009-07-10T02:00:00"  # TableInfos.Modified


def _v3_metadata(table: str, wide: list[dict], dims: dict[str, str], topic: str) -> dict[str, bytes]:
    """Hand-made v3 metadata in the recorded shapes, for 83599NED whose data pages alone were recorded."""
    base = f"/ODataFeed/odata/{table}"
    props = [
        {"ID": i, "Position": i, "Type": kind, "Key": key, "Title": key}
        for i, (key, kind) in enumerate(dims.items())
    ]
    props.append({"ID": 9, "Position": 9, "Type": "Topic", "Key": topic, "Title": "Openstaande vacatures",
                  "Unit": "x 1 000", "Decimals": 1, "Datatype": "Double"})  # fmt: skip
    routes = {
        f"{base}/TableInfos": json.dumps(
            {
                "value": [
                    {
                        "Identifier": table,
                        "Title": "Vacatures",
                        "Modified": "2020-01-01T00:00:00",
                        "Frequency": "Perkwartaal",
                    }
                ]
            }
        ).encode(),
        f"{base}/DataProperties": json.dumps({"value": props}).encode(),
        f"{base}/CategoryGroups": b'{"value": []}',
    }
    for key, kind in dims.items():
        codes = sorted({r[key] for r in wide})
        rows = [
            {"Key": c, "Title": c.strip(), **({"Status": "Definitief"} if kind == "TimeDimension" else {})}
            for c in codes
        ]
        routes[f"{base}/{key}"] = json.dumps({"value": rows}).encode()
    return routes


def test_83599NED_two_feed_pages_give_15504_rows(cbs_server, odata3_dir, tmp_path):
    page1 = (odata3_dir / "83599NED" / "UntypedDataSet.page1.json").read_bytes()
    page2 = (odata3_dir / "83599NED" / "UntypedDataSet.page2.json").read_bytes()
    wide = json.loads(page1)["value"] + json.loads(page2)["value"]
    cbs_server.routes.update(
        _v3_metadata(
            "83599NED",
            wide,
            {
                "Perioden": "TimeDimension",
                "BedrijfstakkenBranchesSBI2008": "Dimension",
                "RegioS": "GeoDimension",
            },
            "OpenstaandeVacatures_1",
        )
    )
    cbs_server.routes["/ODataFeed/odata/83599NED/UntypedDataSet?$format=json"] = page1
    # page 1's odata.nextLink, as CBS wrote it, rebased onto this server:
    cbs_server.routes["/ODataFeed/OData/83599NED/UntypedDataSet/?$format=json&$skip=10000"] = page2
    snap = fetch3(cbs_server, tmp_path, "83599NED", dataset="UntypedDataSet")
    df, meta = tidy_snapshot(snap)
    assert len(df) == 15_504  # 10,000 + 5,504 rows, one topic
    assert validate(df, meta).passed
    assert [r for r in cbs_server.requests if "UntypedDataSet" in r][1].endswith("$skip=10000")
    # by hand from page 1, row 0: 2011KW01, T001081, 'NL01  ', '   135.5'
    row = df[
        (df.period == "2011KW01") & (df.BedrijfstakkenBranchesSBI2008 == "T001081") & (df.RegioS == "NL01")
    ]
    assert row.value.iloc[0] == 135.5
    # the one empty string in the recorded pages is CBS's blank: a value that cannot occur
    assert (df.value_attribute == "Impossible").sum() == sum(
        1 for r in wide if r["OpenstaandeVacatures_1"].strip() == ""
    )


def test_84489NED_byte_exact_response_parses(odata3_dir):
    path = odata3_dir / "84489NED" / "TypedDataSet.json"
    assert b"\r\n" in path.read_bytes()[:200]  # the recorded CRLF line ends are really there
    fields = list(json.loads(path.read_bytes())["value"][0])  # the recording has no DataProperties
    df = read_v3_dataset([path], fields)
    assert len(df) == 2500 and list(df.columns) == fields
    first = df.iloc[0]
    # raw: "Woonplaatscode_1": "WP1925    ", "Naam_2": "Almelo   ...", "Code_3": "GM0141    "
    assert (first.Woonplaatsen, first.Woonplaatscode_1, first.Naam_2, first.Code_3) == (
        "WP1925",
        "WP1925",
        "Almelo",
        "GM0141",
    )
    texts = [v for col in df.columns for v in df[col] if isinstance(v, str)]
    assert len(texts) == 2500 * 8 and not any(v != v.strip() for v in texts)  # 8 text columns, none padded


def test_dataderden_tables_use_their_own_host(cbs_server, odata3_dir, tmp_path):
    cbs_server.root = odata3_dir
    fetch3(cbs_server, tmp_path, "80137ned", catalog="dataderden")
    assert all(r.startswith("/dataderden/ODataFeed/odata/80137ned/") for r in cbs_server.requests)


def test_a_discontinued_v3_table_warns_and_names_its_successor(cbs_server, odata3_dir, tmp_path, caplog):
    cbs_server.root = odata3_dir
    info = json.loads((odata3_dir / "80137ned" / "TableInfos.json").read_bytes())
    info["value"][0]["Frequency"] = "Stopgezet"
    cbs_server.routes["/ODataFeed/odata/80137ned/TableInfos"] = json.dumps(info).encode()
    fetch3(cbs_server, tmp_path, "80137ned", successor="81431ned")
    assert "discontinued (Stopgezet)" in caplog.text and "Its successor is 81431ned" in caplog.text

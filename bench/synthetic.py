"""A synthetic CBS table, the same cells in the exact OData v4 and OData v3 shapes, for the benchmark.

Cells: 2 measures x 500 regions x as many monthly periods as ``observations`` needs. Value of cell i is
``i % 997``. In v4 every cell is one Observations row (pages of 100,000, chained by ``@odata.nextLink``);
in v3 every (region, period) is one TypedDataSet row with a column per measure (pages of 10,000 rows,
chained by ``odata.nextLink``, as CBS's Feed pages), so the v3 payload has half as many rows.
Links are absolute and name CBS's hosts, as CBS writes them: clients must rebase them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers import v4  # noqa: E402

MEASURES = ("M1", "M2")
REGIONS = 500
V3_FEED = "https://opendata.cbs.nl/ODataFeed/odata"


def periods_for(observations: int) -> list[str]:
    return [f"{1900 + i // 12}MM{i % 12 + 1:02d}" for i in range(observations // (len(MEASURES) * REGIONS))]


def metadata_routes(
    table: str, measures: list[dict], regions: list[dict], periods: list[dict]
) -> dict[str, bytes]:
    """A v4 table's metadata as CBS serves it (tests/helpers/v4): Properties, its two dimensions (RegioS and
    Perioden) and the code lists of its measures, regions and periods."""
    base = f"/CBS/{table}"
    return {
        f"{base}/Properties": v4.properties(table),
        f"{base}/Dimensions": v4.collection(
            table,
            "Dimensions",
            [v4.dimension(table, "RegioS", "GeoDimension"), v4.dimension(table, "Perioden", "TimeDimension")],
        ),
        f"{base}/MeasureCodes": v4.collection(table, "MeasureCodes", measures),
        f"{base}/RegioSCodes": v4.collection(table, "RegioSCodes", regions),
        f"{base}/PeriodenCodes": v4.collection(table, "PeriodenCodes", periods),
    }


def v4_routes(table: str, observations: int, page_size: int = 100_000) -> dict[str, bytes]:
    periods = periods_for(observations)
    base = f"/CBS/{table}"
    routes = metadata_routes(
        table,
        [{"Identifier": m, "Title": m, "Unit": "aantal", "Decimals": 0} for m in MEASURES],
        [{"Identifier": f"GM{r:04d}", "Title": f"Gemeente {r}"} for r in range(REGIONS)],
        [{"Identifier": p, "Title": p, "Status": "Definitief"} for p in periods],
    )
    cells = [(m, r, p) for m in MEASURES for r in range(REGIONS) for p in periods]
    for k in range(0, len(cells), page_size):
        page = [
            {
                "Id": i,
                "Measure": m,
                "ValueAttribute": "None",
                "Value": float(i % 997),
                "StringValue": None,
                "RegioS": f"GM{r:04d}",
                "Perioden": p,
            }
            for i, (m, r, p) in enumerate(cells[k : k + page_size], start=k)
        ]
        nxt = f"{v4.CBS}/{table}/Observations?$skip={k + page_size}" if k + page_size < len(cells) else None
        routes[f"{base}/Observations" + (f"?$skip={k}" if k else "")] = v4.collection(
            table, "Observations", page, nxt
        )
    return routes


def _v3(table: str, endpoint: str, values: list[dict], next_link: str | None = None) -> bytes:
    body = {"odata.metadata": f"{V3_FEED}/{table}/$metadata#Cbs.OData.WebAPI.{endpoint}", "value": values}
    if next_link:
        body["odata.nextLink"] = next_link
    return json.dumps(body, ensure_ascii=False).encode()


def v3_routes(
    table: str, observations: int, page_size: int = 10_000, feed: str = V3_FEED
) -> dict[str, bytes]:
    """The same cells as ``v4_routes`` in v3 shape, including the service document cbsodata starts from.

    Region keys are padded to 8 characters, as v3 pads them. Served for both ``TypedDataSet`` and
    ``UntypedDataSet`` (the peer cbsodata 1.3 asks for the untyped set even with ``typed=True``), so
    both clients read the very same bytes. ``feed`` is the host in the links: cbsodata follows a
    nextLink as written, so a local server must write its own address there."""
    periods = periods_for(observations)
    base = f"/ODataFeed/odata/{table}"
    sets = [
        "TableInfos",
        "UntypedDataSet",
        "TypedDataSet",
        "DataProperties",
        "CategoryGroups",
        "RegioS",
        "Perioden",
    ]
    props = [
        {
            "ID": 0,
            "Position": 0,
            "ParentID": None,
            "Type": "GeoDimension",
            "Key": "RegioS",
            "Title": "Regio's",
        },
        {
            "ID": 1,
            "Position": 1,
            "ParentID": None,
            "Type": "TimeDimension",
            "Key": "Perioden",
            "Title": "Perioden",
        },
    ] + [
        {
            "ID": 2 + j,
            "Position": 2 + j,
            "ParentID": None,
            "Type": "Topic",
            "Key": m,
            "Title": m,
            "Unit": "aantal",
            "Decimals": 0,
            "Datatype": "Double",
        }
        for j, m in enumerate(MEASURES)
    ]
    routes = {
        f"{base}/": _v3(table, "", [{"name": s, "url": f"{feed}/{table}/{s}"} for s in sets]),
        f"{base}/TableInfos": _v3(
            table,
            "TableInfos",
            [
                {
                    "ID": 0,
                    "Identifier": table,
                    "Title": f"Testtabel {table}",
                    "Modified": "2026-06-22T02:00:00",
                    "Frequency": "Permaand",
                    "OutputStatus": "Regulier",
                    "RecordCount": len(periods) * REGIONS,
                }
            ],
        ),
        f"{base}/DataProperties": _v3(table, "DataProperties", props),
        f"{base}/CategoryGroups": _v3(table, "CategoryGroups", []),
        f"{base}/RegioS": _v3(
            table, "RegioS", [{"Key": f"GM{r:04d}    ", "Title": f"Gemeente {r}"} for r in range(REGIONS)]
        ),
        f"{base}/Perioden": _v3(
            table, "Perioden", [{"Key": p, "Title": p, "Status": "Definitief"} for p in periods]
        ),
    }
    # Cell i of v4 is (measure, region, period) in that order; the v3 row (region, period) holds the cells
    # i = m * REGIONS * len(periods) + r * len(periods) + p for each measure m.
    n = len(periods)
    rows = [(r, p) for r in range(REGIONS) for p in range(n)]
    for k in range(0, len(rows), page_size):
        page = []
        for idx, (r, p) in enumerate(rows[k : k + page_size], start=k):
            row = {"ID": idx, "RegioS": f"GM{r:04d}    ", "Perioden": periods[p]}
            for m, measure in enumerate(MEASURES):
                row[measure] = float((m * REGIONS * n + r * n + p) % 997)
            page.append(row)
        more = k + page_size < len(rows)
        for dataset in ("TypedDataSet", "UntypedDataSet"):
            nxt = f"{feed}/{table}/{dataset}?$format=json&$skip={k + page_size}" if more else None
            routes[f"{base}/{dataset}" + (f"?$format=json&$skip={k}" if k else "")] = _v3(
                table, dataset, page, nxt
            )
    return routes

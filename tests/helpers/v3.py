"""Small OData v3 tables made by hand, in the exact shapes CBS sends (as ../shared/cbs/odata3/80137ned):
TableInfos, DataProperties, CategoryGroups, one code list per dimension with keys padded to a fixed
width, and a TypedDataSet whose rows carry the padded keys."""

from __future__ import annotations

import json


def v3_table(
    table: str,
    title: str,
    dims: dict[str, dict[str, str]],
    periods: list[str],
    topics: dict[str, tuple[str, str, int]],
    rows: list[dict],
    widths: dict[str, int] | None = None,
) -> dict[str, bytes]:
    """Routes for one table under /ODataFeed/odata/<table>/.

    dims: per dimension, {code: title}; periods: the Perioden codes (all Definitief); topics: per key,
    (title, unit, decimals); rows: {dimension: code, "Perioden": code, topic: value}, codes unpadded.
    widths: the padded width of a dimension's keys (default 8; CBS pads RegioS to 6: "NL01  ").
    """
    base = f"/ODataFeed/odata/{table}"
    widths = {"RegioS": 6, **(widths or {})}

    def pad(dim: str, code: str) -> str:
        return f"{code:<{widths.get(dim, 8)}}"

    def body(values):
        return json.dumps(
            {"odata.metadata": f"https://opendata.cbs.nl{base}/$metadata", "value": values}
        ).encode()

    props = [
        {"ID": i, "Position": i, "ParentID": None, "Type": "Dimension", "Key": d, "Title": d}
        for i, d in enumerate(dims)
    ]
    props.append(
        {
            "ID": len(props),
            "Position": len(props),
            "ParentID": None,
            "Type": "TimeDimension",
            "Key": "Perioden",
            "Title": "Perioden",
        }
    )
    for key, (name, unit, decimals) in topics.items():
        n = len(props)
        props.append(
            {
                "ID": n,
                "Position": n,
                "ParentID": None,
                "Type": "Topic",
                "Key": key,
                "Title": name,
                "Unit": unit,
                "Decimals": decimals,
            }
        )
    data = [
        {"ID": i, **{k: (pad(k, v) if k in dims else v) for k, v in row.items()}}
        for i, row in enumerate(rows)
    ]
    routes = {
        f"{base}/TableInfos": body(
            [{"Identifier": table, "Title": title, "Modified": "2025-06-01T02:00:00", "Frequency": "Perjaar"}]
        ),
        f"{base}/DataProperties": body(props),
        f"{base}/CategoryGroups": body([]),
        f"{base}/Perioden": body(
            [{"Key": p, "Title": p[:4], "Description": None, "Status": "Definitief"} for p in periods]
        ),
        f"{base}/TypedDataSet": body(data),
    }
    for dim, codes in dims.items():
        routes[f"{base}/{dim}"] = body(
            [
                {"Key": pad(dim, c), "Title": t, "Description": None, "CategoryGroupID": None}
                for c, t in codes.items()
            ]
        )
    return routes

"""Small OData v4 tables made by hand, in the exact shapes CBS sends (keys as in ../shared/cbs/odata4).

Links are absolute and point at CBS's own host, as CBS writes them; the client must rebase them.
"""

from __future__ import annotations

import json

CBS = "https://datasets.cbs.nl/odata/v1/CBS"


def collection(table: str, endpoint: str, values: list[dict], next_link: str | None = None) -> bytes:
    body = {"@odata.context": f"{CBS}/{table}/$metadata#{endpoint}", "value": values}
    if next_link:
        body["@odata.nextLink"] = next_link
    return json.dumps(body, ensure_ascii=False).encode()


def properties(table: str, status: str = "Regulier", modified: str = "2026-06-22T06:30:00+02:00") -> bytes:
    return json.dumps(
        {
            "@odata.context": f"{CBS}/{table}/$metadata#Properties",
            "Identifier": table,
            "Title": f"Testtabel {table}",
            "Modified": modified,
            "Status": status,
            "ObservationCount": 5,
        }
    ).encode()


def dimension(table: str, ident: str, kind: str) -> dict:
    return {
        "@odata.type": f"#Cbs.Ccb.Models.{kind}",
        "Identifier": ident,
        "Title": ident,
        "Description": "",
        "Kind": kind,
        "ContainsGroups": False,
        "ContainsCodes": True,
        "CodesUrl": f"{CBS}/{table}/{ident}Codes",
        "GroupsUrl": None,
    }


def small_table(table: str = "99999TST") -> dict[str, bytes]:
    """A table with one region dimension (padded codes, as 03759ned has), one measure, three monthly
    periods (one of them 'Nader voorlopig'), spread over three Observations pages.

    Rows by hand (region, period, value, ValueAttribute):
      NL01   2023MM01  10.0  None
      NL01   2023MM02  12.5  None
      NL01   2023MM03  null  Impossible
      GM0363 2023MM01   4.0  None
      GM0363 2023MM02   5.0  None
    """
    base = f"/CBS/{table}"

    def obs(i, region, period, value, attr="None"):
        return {
            "Id": i,
            "Measure": "M000001",
            "ValueAttribute": attr,
            "Value": value,
            "StringValue": None,
            "RegioS": region,
            "Perioden": period,
        }

    page1 = [obs(0, "NL01  ", "2023MM01", 10.0), obs(1, "NL01  ", "2023MM02", 12.5)]
    page2 = [obs(2, "NL01  ", "2023MM03", None, "Impossible"), obs(3, "GM0363", "2023MM01", 4.0)]
    page3 = [obs(4, "GM0363", "2023MM02", 5.0)]
    return {
        f"{base}/Properties": properties(table),
        f"{base}/Dimensions": collection(
            table,
            "Dimensions",
            [dimension(table, "RegioS", "GeoDimension"), dimension(table, "Perioden", "TimeDimension")],
        ),
        f"{base}/MeasureCodes": collection(
            table,
            "MeasureCodes",
            [
                {
                    "Identifier": "M000001",
                    "Index": 1,
                    "Title": "Testmaat",
                    "Description": "",
                    "MeasureGroupId": None,
                    "DataType": "Double",
                    "Unit": "aantal",
                    "Decimals": 1,
                    "PresentationType": "Absolute",
                }
            ],
        ),
        f"{base}/RegioSCodes": collection(
            table,
            "RegioSCodes",
            [
                {
                    "Identifier": "NL01  ",
                    "Index": 1,
                    "Title": "Nederland",
                    "Description": "",
                    "DimensionGroupId": None,
                },
                {
                    "Identifier": "GM0363",
                    "Index": 2,
                    "Title": "Amsterdam",
                    "Description": "",
                    "DimensionGroupId": None,
                },
            ],
        ),
        f"{base}/PeriodenCodes": collection(
            table,
            "PeriodenCodes",
            [
                {
                    "Identifier": "2023MM01",
                    "Index": 1,
                    "Title": "2023 januari",
                    "Description": "",
                    "DimensionGroupId": "0",
                    "Status": "Definitief",
                },
                {
                    "Identifier": "2023MM02",
                    "Index": 2,
                    "Title": "2023 februari",
                    "Description": "",
                    "DimensionGroupId": "0",
                    "Status": "Voorlopig",
                },
                {
                    "Identifier": "2023MM03",
                    "Index": 3,
                    "Title": "2023 maart",
                    "Description": "",
                    "DimensionGroupId": "0",
                    "Status": "Nader voorlopig",
                },
            ],
        ),
        f"{base}/Observations": collection(
            table, "Observations", page1, f"{CBS}/{table}/Observations?$skip=2"
        ),
        f"{base}/Observations?$skip=2": collection(
            table, "Observations", page2, f"{CBS}/{table}/Observations?$skip=4"
        ),
        f"{base}/Observations?$skip=4": collection(table, "Observations", page3),
    }

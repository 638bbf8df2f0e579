"""Every source of the registry served from one local server, from the real files in ../shared:
CBS OData v4 at /CBS, OData v3 at /ODataFeed and /ODataApi (the tables ../shared lacks answer 404), and
each file source's download URLs under /files/<host>/<path>. No request of a test ever leaves this machine.

70072ned: ../shared recorded its ODataApi TypedDataSet (real figures) but not the metadata the client
asks for first; ``v3_70072ned_metadata`` writes that metadata here in CBS's v3 shape, from the keys the
recorded data set itself carries."""

from __future__ import annotations

import json
import re

import yaml
from conftest import ROOT, shared_path

from helpers.cbs_server import CbsServer

# The dossier's seven themes, as the claim registry names them (one file each in config/claims/).
THEMES = [
    "01_inkomen",
    "02_werk",
    "03_gezondheid",
    "04_wonen",
    "05_onderwijs",
    "06_sociale_relaties",
    "07_zinvol_bestaan",
]

RIVM = ("cbs", "rivm", "gezondheid-wijk-buurt")
# Per file source, the ../shared file behind each of its download_url entries, in the same order.
FILE_COPIES = {
    "83906NED": [("cbs", "statline-csv", "83906NED_UntypedDataSet_05022022_160508.csv")],
    "schulden_ontwikkeling": [("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv")],
    "rivm_gezondheid": [
        (*RIVM, "2012_18plus.xlsx"),
        (*RIVM, "2012_18-65.xlsx"),
        (*RIVM, "2012_65plus.xlsx"),
        (*RIVM, "2020_18plus.xlsx"),
        (*RIVM, "2020_65plus.xlsx"),
    ],
}


def file_routes() -> dict[str, bytes]:
    sources = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    routes = {}
    for source, copies in FILE_COPIES.items():
        urls = sources[source]["download_url"]
        urls = [urls] if isinstance(urls, str) else urls
        assert len(urls) == len(copies), f"{source}: one ../shared file per download_url"
        for url, parts in zip(urls, copies, strict=True):
            routes["/files/" + re.sub(r"^https?://", "", url)] = shared_path(*parts).read_bytes()
    return routes


def v3_70072ned_metadata() -> dict[str, bytes]:
    """TableInfos, DataProperties, CategoryGroups and the RegioS and Perioden code lists of 70072ned in the
    v3 shape (as tests/unit/test_cbs_odata3.py reads them from 80137ned), for the topics and codes the
    recorded data set holds. Titles are StatLine's (its CSV export's headers); Modified is made up."""
    rows = json.loads(shared_path("cbs", "odata3", "70072ned", "TypedDataSet.json").read_bytes())["value"]
    base = "https://opendata.cbs.nl/ODataApi/OData/70072ned"

    def body(values):
        return json.dumps({"odata.metadata": f"{base}/$metadata", "value": values}).encode()

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
        {
            "ID": 2,
            "Position": 2,
            "ParentID": None,
            "Type": "Topic",
            "Key": "TotaalParticuliereHuishoudens_82",
            "Title": "Totaal particuliere huishoudens",
            "Unit": "aantal",
            "Decimals": 0,
        },
    ]
    regions = {"NL01  ": "Nederland", "PV23  ": "Overijssel (PV)"}
    periods = sorted({r["Perioden"] for r in rows})
    return {
        "/ODataFeed/odata/70072ned/TableInfos": body(
            [
                {
                    "Identifier": "70072ned",
                    "Title": "Regionale kerncijfers Nederland",
                    "Modified": "2025-12-11T02:00:00",
                    "Frequency": "Perjaar",
                }
            ]
        ),
        "/ODataFeed/odata/70072ned/DataProperties": body(props),
        "/ODataFeed/odata/70072ned/CategoryGroups": body([]),
        "/ODataFeed/odata/70072ned/RegioS": body(
            [{"Key": k, "Title": t, "Description": None, "CategoryGroupID": None} for k, t in regions.items()]
        ),
        "/ODataFeed/odata/70072ned/Perioden": body(
            [{"Key": p, "Title": p[:4], "Description": None, "Status": "Definitief"} for p in periods]
        ),
        "/ODataApi/odata/70072ned/TypedDataSet": shared_path(
            "cbs", "odata3", "70072ned", "TypedDataSet.json"
        ).read_bytes(),
    }


def bulk_zip(table: str = "83841NED") -> bytes:
    """The data portal's bulk download as CBS serves it, a zip of the table's CSVs, zipped here."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(shared_path("cbs", "bulk-csv", table).glob("*.csv")):
            z.writestr(f.name, f.read_bytes())
    return buf.getvalue()


def shared_site() -> CbsServer:
    server = CbsServer(root=shared_path("cbs", "odata4"))
    server.routes.update(file_routes())
    server.routes["/csv/CBS/nl/83841NED"] = bulk_zip()
    server.routes.update(v3_70072ned_metadata())
    return server


def config_args(server: CbsServer, **extra: str) -> list[str]:
    """--config values that point every source at ``server``; sources it lacks are reported, not fatal."""
    values = {
        "cbs_odata4_url": server.url,
        "cbs_odata3_url": server.host,
        "cbs_dataderden_url": server.host,
        "cbs_csv_url": f"{server.host}/csv/CBS/nl",
        "files_mirror_url": f"{server.host}/files",
        "unavailable_sources": "report",
        "http_retries": "0",
        "renderer": "pandoc",  # the tests check pandoc's pages; Quarto, where installed, is not asked
        **extra,
    }
    return ["--config", *(f"{k}={v}" for k, v in values.items())]

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

# The first dossier, whose figures most workflow tests check, and its seven themes, as the claim registry names them (one file each in dossiers/bestaanszekerheid-2023/claims/).
M = "bestaanszekerheid-2023"  # dossiers/<M>/; its outputs are data/processed/<M>/, reports/_site/<M>/
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
    v3 shape (helpers.v3), for the topic and codes the recorded data set holds, and the recorded ODataApi
    data set itself. Titles are StatLine's (its CSV export's headers); Modified is made up."""
    from helpers.v3 import v3_table

    recorded = shared_path("cbs", "odata3", "70072ned", "TypedDataSet.json").read_bytes()
    periods = sorted({r["Perioden"] for r in json.loads(recorded)["value"]})
    routes = v3_table(
        "70072ned",
        "Regionale kerncijfers Nederland",
        {"RegioS": {"NL01": "Nederland", "PV23": "Overijssel (PV)"}},
        periods,
        {"TotaalParticuliereHuishoudens_82": ("Totaal particuliere huishoudens", "aantal", 0)},
        [],  # the data set is the recorded one, from the ODataApi
    )
    del routes["/ODataFeed/odata/70072ned/TypedDataSet"]
    routes["/ODataApi/odata/70072ned/TypedDataSet"] = recorded
    return routes


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

"""Every source of the registry served from one local server, from the real files in ../shared:
CBS OData v4 at /CBS, OData v3 at /ODataFeed (the tables ../shared lacks answer 404), and each file
source's download URL under /files/<host>/<path>. No request of a test ever leaves this machine."""

from __future__ import annotations

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

FILE_COPIES = {
    "83906NED": ("cbs", "statline-csv", "83906NED_UntypedDataSet_05022022_160508.csv"),
    "schulden_ontwikkeling": ("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv"),
    "rivm_gezondheid_2012": ("cbs", "rivm", "gezondheid-wijk-buurt", "2012_18plus.xlsx"),
    "rivm_gezondheid_2020": ("cbs", "rivm", "gezondheid-wijk-buurt", "2020_18plus.xlsx"),
}


def file_routes() -> dict[str, bytes]:
    sources = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    return {
        "/files/" + re.sub(r"^https?://", "", sources[source]["download_url"]): shared_path(
            *parts
        ).read_bytes()
        for source, parts in FILE_COPIES.items()
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
        **extra,
    }
    return ["--config", *(f"{k}={v}" for k, v in values.items())]

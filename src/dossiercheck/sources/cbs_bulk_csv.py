"""Sources of kind ``cbs_bulk_csv``: the CBS data portal's CSV download of a v4 table (a zip of CSVs:
Observations, MeasureCodes, Dimensions and a code list per dimension), fetched untouched and read into the
long table."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from dossiercheck.errors import SourceError
from dossiercheck.sources.base import DownloadSource, check_needs

DEFAULT_CSV_URL = "https://datasets.cbs.nl/csv/CBS/nl"


def read_cbs_csv(data: bytes) -> pd.DataFrame:
    import pandas as pd

    """One CSV of CBS's bulk download: ';'-separated, UTF-8 (with or without BOM), every field as text."""
    return pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


class BulkCsvSource(DownloadSource):
    kind = "cbs_bulk_csv"
    url_key = "cbs_csv_url"

    def fetch(self, writer) -> dict[str, Any]:
        table_id = self.request.entry["table_id"]
        base = (self.request.base_urls.get("cbs_csv_url") or DEFAULT_CSV_URL).rstrip("/")
        url = f"{base}/{table_id}"
        data = self.download(url, f"{table_id}.zip", writer)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = set(archive.namelist())
            if "Observations.csv" not in members:
                raise SourceError(
                    f"{self.label}: the download from {url} is a zip without Observations.csv (it has: "
                    f"{', '.join(sorted(members))}). Is cbs_csv_url right?"
                )
            measures = read_cbs_csv(archive.read("MeasureCodes.csv"))
            dims = read_cbs_csv(archive.read("Dimensions.csv"))
            codes = {
                d: read_cbs_csv(archive.read(f"{d}Codes.csv"))
                for d in dims["Identifier"]
                if f"{d}Codes.csv" in members
            }
        except zipfile.BadZipFile as e:
            raise SourceError(
                f"{self.label}: the download from {url} is not a zip file ({e}); it may be an error page or cut "
                "off. Nothing was stored; run again later."
            ) from e
        needs = self.request.needs
        check_needs(
            self.label,
            "measure",
            needs.measures,
            dict(zip(measures["Identifier"], measures["Title"], strict=True)),
        )
        for dim, wanted in needs.filters.items():
            if dim not in codes:
                check_needs(self.label, "dimension", [dim], dict.fromkeys(codes))
            table = codes[dim]
            check_needs(
                self.label,
                f"{dim} code",
                wanted,
                dict(zip(table["Identifier"].str.strip(), table["Title"], strict=True)),
            )
        return {"table_id": table_id, "base_url": base, "title": self.request.entry.get("title")}


# --- reading a snapshot ---------------------------------------------------------------------------


def _zip_csvs(snapshot_dir: Path, manifest: dict[str, Any]) -> tuple[Any, set[str]]:
    import zipfile

    name = next(f["name"] for f in manifest["files"] if f.get("data"))
    archive = zipfile.ZipFile(snapshot_dir / name)
    return (lambda member: read_cbs_csv(archive.read(member))), set(archive.namelist())


def read_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    from dossiercheck.schemas import raw
    from dossiercheck.tidy import long_frame, one_time_dimension

    read, members = _zip_csvs(Path(snapshot_dir), manifest)
    obs = read("Observations.csv")
    dims = read("Dimensions.csv")
    time_dim = one_time_dimension(
        manifest["table_id"], list(dims.loc[dims["Kind"] == "TimeDimension", "Identifier"])
    )
    # Dimensions.csv may list dimensions the observations do not carry; only the columns present count.
    other = [d for d in dims["Identifier"] if d != time_dim and d in obs.columns]
    obs["Value"] = obs["Value"].str.replace(",", ".", regex=False).replace("", None)
    obs["ValueAttribute"] = obs["ValueAttribute"].replace("", "None")
    obs = raw.V4Observations.validate(obs, lazy=True)
    periods = raw.PeriodCodes.validate(read(f"{time_dim}Codes.csv"), lazy=True)
    status = dict(zip(periods["Identifier"], periods["Status"], strict=True))
    return long_frame(manifest["table_id"], obs, other, status, time_dim)


def describe_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    read, members = _zip_csvs(Path(snapshot_dir), manifest)
    m = read("MeasureCodes.csv")
    measures = {
        r.Identifier: {"title": r.Title, "unit": r.Unit, "decimals": int(r.Decimals) if r.Decimals else None}
        for r in m.itertuples()
    }
    codes = {
        d: dict(zip(c["Identifier"].str.strip(), c["Title"], strict=True))
        for d in read("Dimensions.csv")["Identifier"]
        if f"{d}Codes.csv" in members
        for c in [read(f"{d}Codes.csv")]
    }
    return {"measures": measures, "codes": codes}

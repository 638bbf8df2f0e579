"""Downloads that arrive as files: CBS's bulk CSV (a zip of the v4 table as CSVs) and CSV/XLSX files by
URL (SCP, Nivel, CBS dashboards). Each is stored untouched; a conditional GET (ETag/Last-Modified of the
previous snapshot) lets an unchanged file be reused without downloading it again."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from dossiercheck.errors import SourceError
from dossiercheck.sources.base import HttpSource, Unchanged, check_needs

log = logging.getLogger(__name__)

DEFAULT_CSV_URL = "https://datasets.cbs.nl/csv/CBS/nl"


def read_cbs_csv(data: bytes) -> pd.DataFrame:
    """One CSV of CBS's bulk download: ';'-separated, UTF-8 (with or without BOM), every field as text."""
    return pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


class DownloadSource(HttpSource):
    """GET one file, conditionally on the previous snapshot's validators."""

    def download(self, url: str, name: str, writer, conditional: bool = True) -> bytes:
        headers = {}
        prev = self.request.previous
        old = next(
            (f for f in (prev or {}).get("files", []) if f["name"] == name and f.get("url") == url), None
        )
        old = old if conditional else None
        if old and old.get("etag"):
            headers["If-None-Match"] = old["etag"]
        if old and old.get("last_modified"):
            headers["If-Modified-Since"] = old["last_modified"]
        response = self.get(url, headers=headers or None)
        if response.status_code == 304:
            raise Unchanged(
                f"{self.label}: {url} is unchanged (HTTP 304 Not Modified); reusing snapshot {prev['snapshot_id']}."
            )
        self.store(writer, name, response)
        writer.files[-1]["data"] = (
            True  # the file the tidy table is made of (its sha256 goes into provenance)
        )
        return response.content


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


def file_name(url: str) -> str:
    """A safe local name for a downloaded file: the last path segment, other characters replaced."""
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or "download"
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return name or "download"


def mirrored(url: str, mirror: str | None) -> str:
    """``https://host/path?q`` as ``<mirror>/host/path?q`` when a mirror of downloaded files is configured
    (offline use, tests); unchanged otherwise."""
    if not mirror:
        return url
    parts = urlsplit(url)
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def download_urls(entry: dict[str, Any]) -> list[str]:
    """The files a file source is made of: ``download_url`` (one address or a list, e.g. one file per year
    and age group of a series), else the page ``url`` itself."""
    urls = entry.get("download_url") or entry["url"]
    return [urls] if isinstance(urls, str) else list(urls)


class FileSource(DownloadSource):
    kind = "file"

    def fetch(self, writer) -> dict[str, Any]:
        entry = self.request.entry
        mirror = self.request.base_urls.get("files_mirror_url")
        urls = download_urls(entry)
        names = [file_name(u) for u in urls]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise SourceError(
                f"{self.label}: several download_url entries end in the same file name ({', '.join(twice)}); "
                "each file of a source needs its own name. Fix the source in config/sources.yaml."
            )
        unchanged = []
        for url, name in zip(urls, names, strict=True):
            try:
                self.download(mirrored(url, mirror), name, writer)
            except Unchanged:
                unchanged.append((url, name))
        if unchanged and len(unchanged) == len(urls):
            prev = self.request.previous or {}
            raise Unchanged(
                f"{self.label}: every file is unchanged (HTTP 304 Not Modified); reusing snapshot "
                f"{prev.get('snapshot_id')}."
            )
        for url, name in unchanged:  # some files changed: the snapshot holds every file, so fetch the rest
            self.download(mirrored(url, mirror), name, writer, conditional=False)
        return {"table_id": entry.get("table_id") or self.request.source, "title": entry.get("title")}

"""Sources of kind ``file``: CSV or XLSX files by URL (SCP, Nivel, CBS dashboards, RIVM, StatLine's
"Download CSV"), fetched untouched (a conditional GET lets an unchanged file be reused) and read into the
long table through the column mapping in config/sources.yaml."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dossiercheck.errors import SnapshotError, SourceError
from dossiercheck.sources.base import DownloadSource, Unchanged

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


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


# --- reading a snapshot ---------------------------------------------------------------------------


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text of a downloaded CSV and the encoding used: the declared one, else UTF-8 (with or without
    BOM), else cp1252, which is what Dutch Excel and several CBS dashboards write."""
    if declared:
        return data.decode(declared), declared
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


STATLINE_HEADER = re.compile(r"^(?P<path>.*?)\s*\((?P<unit>[^()]*)\)$")


def statline_headers(columns: list[str]) -> dict[str, tuple[str, str | None]]:
    """StatLine's "Download CSV" headers, ``Bevolking/Particuliere huishoudens/Totaal particuliere
    huishoudens (aantal)``: a title path with the unit in brackets. Each column gets the shortest tail of
    its path that no other column shares ("Totaal particuliere huishoudens") as its name, and its unit."""
    parsed = {}
    for col in columns:
        m = STATLINE_HEADER.match(col)
        parsed[col] = (m["path"], m["unit"]) if m and "/" in m["path"] else (col, None)
    paths = {col: path.split("/") for col, (path, _) in parsed.items()}
    out = {}
    for col, parts in paths.items():
        for n in range(1, len(parts) + 1):
            tail = "/".join(parts[-n:])
            if sum("/".join(p[-n:]) == tail for p in paths.values() if len(p) >= n) == 1:
                break
        out[col] = (tail, parsed[col][1])
    return out


def read_xlsx(path: Path, sheet: str | int, wanted: set[str]) -> pd.DataFrame:
    """A worksheet's cells with calamine (Rust), straight into the columns asked for (all when ``wanted``
    is empty): pandas' read_excel would turn every cell of every column first, most of a RIVM workbook's
    time. Cells come as pandas' calamine reader gives them: text, a whole number as int, other numbers as
    float, empty as None."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    from dossiercheck.tidy import per_distinct

    book = CalamineWorkbook.from_path(str(path))
    rows = (
        book.get_sheet_by_name(sheet) if isinstance(sheet, str) else book.get_sheet_by_index(sheet)
    ).to_python()
    if not rows:
        return pd.DataFrame()
    header = [str(h) for h in rows[0]]
    take = [i for i, h in enumerate(header) if not wanted or h in wanted]

    def cell(v):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return None if v == "" else v

    return pd.DataFrame(
        {
            header[i]: per_distinct(
                pd.Series([r[i] if i < len(r) else None for r in rows[1:]], dtype=object), cell
            )
            for i in take
        }
    )


def read_file_table(path: Path, mapping: dict[str, Any], keep: list[str] | None = None) -> pd.DataFrame:
    """A downloaded CSV or XLSX as text cells with surrounding spaces stripped; given ``keep``, only those
    columns (a RIVM workbook has a hundred, the claims read four). A StatLine "Download CSV" (format
    statline_csv) has its title-path headers shortened as ``statline_headers`` says."""
    import csv

    import pandas as pd

    from dossiercheck.tidy import strip_distinct

    wanted = set(keep or [])
    fmt = mapping.get("format") or ("xlsx" if path.suffix.lower() in (".xlsx", ".xls") else "csv")
    if fmt == "xlsx":
        df = read_xlsx(path, mapping.get("sheet", 0), wanted)
    else:
        text, encoding = decode_text(path.read_bytes(), mapping.get("encoding"))
        sep = mapping.get("sep") or csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        log.info("%s: read as %s, separator %r", path.name, encoding, sep)
    if fmt == "statline_csv":
        df = df.rename(columns={c: name for c, (name, _) in statline_headers(list(df.columns)).items()})
    if wanted:
        df = df[[c for c in df.columns if c in wanted]]
    for col in df.columns:  # once per distinct value: a column of codes has few of them
        df[col] = strip_distinct(df[col], lambda v: v)
    return df


def _numbers(values: pd.Series, decimal: str) -> pd.Series:
    import pandas as pd

    text = values.astype(object).map(
        lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
    )
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(text.replace("", None), errors="coerce").astype(float)


def read_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    import pandas as pd

    from dossiercheck.schemas import raw
    from dossiercheck.tidy import long_frame, per_distinct

    if not entry or "table" not in entry:
        raise SnapshotError(
            f"Source {manifest['source']}: a file source needs a 'table' mapping in config/sources.yaml "
            "(period column, dimensions, measures) to become a table."
        )
    mapping = entry["table"]
    names = [f["name"] for f in manifest["files"] if f.get("data")]
    period = mapping["period"]
    measures = list(mapping["measures"])
    dims = list(mapping.get("dimensions") or [])
    wanted = [period["column"], *dims, *measures]
    frames = []
    for name in names:  # a series may come as one file per year or group: the same columns in each
        df = read_file_table(Path(snapshot_dir) / name, mapping, keep=wanted)
        missing = [c for c in wanted if c not in df.columns]
        if missing:
            raise SnapshotError(
                f"Source {manifest['source']}: {name} has no column(s) {', '.join(missing)}; it has: "
                f"{', '.join(map(str, df.columns))}. Fix 'table' in config/sources.yaml (the file may have "
                "changed)."
            )
        frames.append(df[wanted])
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    name = ", ".join(names)
    path = Path(snapshot_dir) / names[0]
    try:
        from dossiercheck.periods import parse_period

        codes = per_distinct(df[period["column"]], parse_period)
    except ValueError as e:
        raise SnapshotError(
            f"Source {manifest['source']}: column {period['column']} of {name} holds a period that is not a "
            f"year, a year-month (2023-01) or a CBS code: {e}."
        ) from e
    decimal = mapping.get("decimal") or ("," if path.suffix.lower() == ".csv" else ".")
    parts = []
    for measure in measures:
        part = df[dims].copy()
        part["Perioden"], part["Measure"] = codes, measure
        part["Value"] = _numbers(df[measure], decimal)
        part["ValueAttribute"] = part["Value"].isna().map({True: "NotAvailable", False: "None"})
        parts.append(part)
    obs = pd.concat(parts, ignore_index=True)
    obs = raw.V4Observations.validate(obs, lazy=True)  # the long shape every source ends in
    status = dict.fromkeys(codes.dropna().unique(), mapping.get("status", "Definitief"))
    return long_frame(manifest["table_id"], obs, dims, status, "Perioden")


def describe_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    mapping = (entry or {}).get("table", {})
    measures = mapping.get("measures") or {}
    if isinstance(measures, list):
        measures = dict.fromkeys(measures)
    units: dict[str, str | None] = {}
    if mapping.get("format") == "statline_csv":  # the unit is in the header: "... (aantal)"
        name = next(f["name"] for f in manifest["files"] if f.get("data"))
        header = decode_text((Path(snapshot_dir) / name).read_bytes()[:65536], mapping.get("encoding"))[0]
        columns = header.splitlines()[0].replace('"', "").split(mapping.get("sep") or ";")
        units = dict(statline_headers(columns).values())
    return {
        "measures": {
            k: {
                "title": (v or {}).get("title", k),
                "unit": (v or {}).get("unit") or units.get(k),
                "decimals": None,
            }
            for k, v in measures.items()
        },
        "codes": {},
    }

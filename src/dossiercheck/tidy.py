"""Rule ``tidy_source``: turn a raw snapshot into the tidy long table (validated) and its metadata.

Every kind of source ends in the same shape (``schemas.tidy.TidyTable``): table id, measure, one column
per dimension (padding stripped here, once), period code, kind, start and status, value and
ValueAttribute. Titles of measures and codes go to a separate lookup (the ``.meta.json``).
"""

from __future__ import annotations

import json
import logging
import operator
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import orjson
import pandas as pd
import pandera.errors
import pyarrow

from dossiercheck.errors import SnapshotError
from dossiercheck.periods import STATUS_CANONICAL, UNKNOWN_STATUS, add_period_columns, parse_period
from dossiercheck.schemas import raw
from dossiercheck.schemas.tidy import FIXED_COLUMNS, TidyTable
from dossiercheck.snapshot import atomic_write_bytes, atomic_write_text, list_snapshots, verify

log = logging.getLogger(__name__)

# What a v3 UntypedDataSet cell symbol means, in the v4 ValueAttribute vocabulary (CBS "verklaring van
# tekens"): blank = cannot occur (Impossible), "." = unknown (NotAvailable), "x" = secret (Confidential).
# "-" means "nihil", zero: it becomes the value 0.
V3_SYMBOLS = {"": "Impossible", ".": "NotAvailable", "x": "Confidential"}
# A TypedDataSet turns every symbol into null, losing which one it was: NotAvailable is the honest rest.
V3_TYPED_NULL = "NotAvailable"


def _load_values(path: Path) -> list[dict[str, Any]]:
    try:
        return orjson.loads(path.read_bytes())["value"]
    except (orjson.JSONDecodeError, KeyError, TypeError) as e:
        raise SnapshotError(f"{path}: not an OData collection with a 'value' list ({e}).") from e


def _strip_distinct(s: pd.Series, other: Callable[[Any], Any]) -> pd.Series:
    """``s`` with every text stripped of padding, done once per distinct value (a column of codes has few
    of them) and spread back over the rows; ``other`` maps a value that is not text; nulls stay null."""
    idx, uniques = pd.factorize(s, use_na_sentinel=True)
    done = [u.strip() if isinstance(u, str) else other(u) for u in uniques]
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object and done == list(uniques):
        return s  # already pandas text and nothing padded
    if all(isinstance(d, str) for d in done):  # pandas' own text dtype, which pandera checks fastest
        return pd.Series(pd.array(done, dtype="str").take(idx, allow_fill=True), index=s.index)
    # a column of mixed values stays object; index -1 (a null) takes the None at the end
    return pd.Series(np.array([*done, None], dtype=object)[idx], index=s.index, dtype=object)


def read_columns(paths: list[Path], fields: list[str]) -> pd.DataFrame:
    """The rows of a paged OData collection, parsed straight into one list per field (msgspec; a big
    table's rows are never built as dicts). Other fields are skipped. A field no row has is left out (a
    $select leaves out the topics not asked for); a field only some rows lack is null there, for the raw
    schema to report."""
    row = msgspec.defstruct("Row", [(f, Any, msgspec.UNSET) for f in fields])
    decoder = msgspec.json.Decoder(msgspec.defstruct("Page", [("value", list[row])]))
    columns: dict[str, list[Any]] = {f: [] for f in fields}
    for path in paths:
        try:
            rows = decoder.decode(path.read_bytes()).value
        except msgspec.DecodeError as e:
            raise SnapshotError(f"{path}: not an OData collection with a 'value' list ({e}).") from e
        for f in fields:
            columns[f].extend(map(operator.attrgetter(f), rows))
    present = {}
    for f, values in columns.items():
        missing = values.count(msgspec.UNSET)
        if missing < len(values) or not values:
            present[f] = _series([None if v is msgspec.UNSET else v for v in values] if missing else values)
    return pd.DataFrame(present)


def _series(values: list[Any]) -> pd.Series:
    """A column from parsed JSON values: typed by pyarrow (much faster than pandas' inference), or kept as
    objects when the values mix types, for the raw schema to report."""
    try:
        return pyarrow.array(values).to_pandas()
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
        return pd.Series(values, dtype=object)


def strip_codes(s: pd.Series) -> pd.Series:
    """CBS pads dimension keys with spaces (v3 always, v4 in some tables): strip them here, once."""
    return _strip_distinct(s, str)


def pages(manifest: dict[str, Any], stem: str) -> list[str]:
    """Names of a paged response's files in page order: X.json, X.0002.json, X.0003.json, ..."""
    names = [
        f["name"]
        for f in manifest["files"]
        if f["name"] == f"{stem}.json" or f["name"].startswith(f"{stem}.0")
    ]
    return sorted(names, key=lambda n: (n != f"{stem}.json", n))


def long_frame(
    table_id: str, obs: pd.DataFrame, dims: list[str], status: dict[str, str], time_dim: str
) -> pd.DataFrame:
    """The tidy table from raw long rows with columns ``Measure``, the dimensions, the time dimension,
    ``Value`` and ``ValueAttribute``; ``status`` maps each period code to its CBS Status."""
    df = pd.DataFrame({"table_id": table_id, "measure": strip_codes(obs["Measure"])})
    for dim in dims:
        df[dim] = strip_codes(obs[dim])
    df["period"] = strip_codes(obs[time_dim])
    df = add_period_columns(df)
    canonical = {k.strip(): STATUS_CANONICAL.get(v, v) for k, v in status.items()}
    idx, periods = pd.factorize(df["period"])  # looked up once per distinct period
    df["period_status"] = pd.array([canonical.get(p) for p in periods], dtype="str").take(
        idx, allow_fill=True
    )
    unknown = df.loc[df["period_status"].isna(), "period"].unique()
    if len(unknown):
        log.warning(
            "%s: periods %s appear in the data but not in the %s code list, so their status (definitive or "
            "provisional) is unknown; they are marked %s and flagged in the reports.",
            table_id,
            ", ".join(sorted(unknown)),
            time_dim,
            UNKNOWN_STATUS,
        )
        df["period_status"] = df["period_status"].fillna(UNKNOWN_STATUS)
    df["value"] = pd.to_numeric(obs["Value"], errors="coerce").astype(float)
    df["value_attribute"] = obs["ValueAttribute"].fillna("None").astype(str)
    df = df[[*FIXED_COLUMNS[:2], *dims, *FIXED_COLUMNS[2:]]]
    # Validated by the caller (validate.py), which reports every failing check in plain words.
    return df.sort_values(["measure", *dims, "period"], kind="mergesort").reset_index(drop=True)


# --- OData v4 ---------------------------------------------------------------------------------------


def tidy_odata4(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    snapshot_dir = Path(snapshot_dir)
    dims = _load_values(snapshot_dir / "Dimensions.json")
    time_dim = _one_time_dimension(
        manifest["table_id"], [d["Identifier"] for d in dims if d.get("Kind") == "TimeDimension"]
    )
    other = [d["Identifier"] for d in dims if d["Identifier"] != time_dim]
    obs = read_columns(
        [snapshot_dir / n for n in pages(manifest, "Observations")],
        ["Measure", "ValueAttribute", "Value", *other, time_dim],
    )
    absent = [d for d in [*other, time_dim] if d not in obs.columns]
    if absent:
        raise SnapshotError(
            f"{manifest['table_id']}: Dimensions.json lists {', '.join(absent)}, but no observation in "
            f"{snapshot_dir} carries it, so its cells cannot be told apart. Fetch the table again "
            '(make refresh CONFIG="refresh=force"); if it persists, CBS changed the table: report it.'
        )
    obs = raw.V4Observations.validate(obs, lazy=True)
    raw.V4MeasureCodes.validate(
        pd.DataFrame.from_records(_load_values(snapshot_dir / "MeasureCodes.json")), lazy=True
    )
    periods = pd.DataFrame.from_records(_load_values(snapshot_dir / f"{time_dim}Codes.json"))
    periods = raw.PeriodCodes.validate(
        periods.assign(Identifier=periods["Identifier"].str.strip()), lazy=True
    )
    status = dict(zip(periods["Identifier"], periods["Status"], strict=True))
    return long_frame(manifest["table_id"], obs, other, status, time_dim)


def meta_odata4(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    snapshot_dir = Path(snapshot_dir)
    measures = {
        m["Identifier"]: {"title": m.get("Title"), "unit": m.get("Unit"), "decimals": m.get("Decimals")}
        for m in _load_values(snapshot_dir / "MeasureCodes.json")
    }
    codes = {
        d["Identifier"]: {
            str(c["Identifier"]).strip(): c.get("Title")
            for c in _load_values(snapshot_dir / f"{d['Identifier']}Codes.json")
        }
        for d in _load_values(snapshot_dir / "Dimensions.json")
    }
    return {"measures": measures, "codes": codes}


# --- OData v3 ---------------------------------------------------------------------------------------


def read_v3_dataset(paths: list[Path], fields: list[str]) -> pd.DataFrame:
    """The columns ``fields`` of a v3 TypedDataSet/UntypedDataSet (all pages), texts stripped of padding."""
    df = read_columns(paths, fields)
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            df[col] = _strip_distinct(df[col], lambda v: v)
    return df


def _v3_cells(values: pd.Series, typed: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers and ValueAttributes of one v3 topic column."""
    if typed:
        num = pd.to_numeric(values, errors="coerce").astype(float)
        return num, pd.Series(["None"] * len(values), index=values.index).where(num.notna(), V3_TYPED_NULL)
    text = values.fillna("").astype(str).str.strip()
    attr = text.map(V3_SYMBOLS).fillna("None")
    num = pd.to_numeric(text.where(text != "-", "0"), errors="coerce").astype(float)
    bad = num.isna() & (attr == "None")
    if bad.any():
        raise SnapshotError(
            f"v3 data holds values that are neither numbers nor CBS symbols: {list(text[bad][:5])}"
        )
    return num, attr


def tidy_odata3(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    snapshot_dir = Path(snapshot_dir)
    table_id = manifest["table_id"]
    props = _load_values(snapshot_dir / "DataProperties.json")
    raw.V3DataProperties.validate(pd.DataFrame.from_records(props), lazy=True)
    dims = [p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension", "GeoDetail")]
    time_dim = _one_time_dimension(table_id, [p["Key"] for p in props if p.get("Type") == "TimeDimension"])
    dataset = manifest.get("dataset", "TypedDataSet")
    wide = read_v3_dataset(
        [snapshot_dir / n for n in pages(manifest, dataset)], [p["Key"] for p in props if p.get("Key")]
    )
    topics = [p["Key"] for p in props if p.get("Type") == "Topic" and p["Key"] in wide.columns]
    wide = raw.v3_dataset_schema(dims, time_dim, topics, typed=dataset == "TypedDataSet").validate(
        wide, lazy=True
    )
    obs = wide.melt(id_vars=[*dims, time_dim], value_vars=topics, var_name="Measure", value_name="cell")
    obs["Value"], obs["ValueAttribute"] = _v3_cells(obs["cell"], typed=dataset == "TypedDataSet")
    periods = pd.DataFrame.from_records(_load_values(snapshot_dir / f"{time_dim}.json"))
    periods = periods.assign(Identifier=periods["Key"].str.strip())
    if "Status" not in periods:  # some v3 tables give no period status; their figures count as definitive
        periods["Status"] = "Definitief"
    periods = raw.PeriodCodes.validate(periods, lazy=True)
    status = dict(zip(periods["Identifier"], periods["Status"], strict=True))
    return long_frame(table_id, obs, dims, status, time_dim)


def meta_odata3(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    snapshot_dir = Path(snapshot_dir)
    props = _load_values(snapshot_dir / "DataProperties.json")
    measures = {
        p["Key"]: {"title": p.get("Title"), "unit": p.get("Unit"), "decimals": p.get("Decimals")}
        for p in props
        if p.get("Type") == "Topic"
    }
    codes = {
        p["Key"]: {
            str(c["Key"]).strip(): c.get("Title") for c in _load_values(snapshot_dir / f"{p['Key']}.json")
        }
        for p in props
        if p.get("Type") in ("Dimension", "TimeDimension", "GeoDimension", "GeoDetail")
    }
    return {"measures": measures, "codes": codes}


# --- CBS bulk CSV (the v4 table as a zip of CSVs) ---------------------------------------------------


def _zip_csvs(snapshot_dir: Path, manifest: dict[str, Any]) -> tuple[Any, set[str]]:
    import zipfile

    from dossiercheck.sources.files import read_cbs_csv

    name = next(f["name"] for f in manifest["files"] if f.get("data"))
    archive = zipfile.ZipFile(snapshot_dir / name)
    return (lambda member: read_cbs_csv(archive.read(member))), set(archive.namelist())


def tidy_bulk_csv(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    read, members = _zip_csvs(Path(snapshot_dir), manifest)
    obs = read("Observations.csv")
    dims = read("Dimensions.csv")
    time_dim = _one_time_dimension(
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


def meta_bulk_csv(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
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


# --- files by URL (CSV, XLSX) -----------------------------------------------------------------------


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


def read_file_table(path: Path, mapping: dict[str, Any]) -> pd.DataFrame:
    """A downloaded CSV or XLSX as text cells with surrounding spaces stripped. A StatLine "Download CSV"
    (format statline_csv) has its title-path headers shortened as ``statline_headers`` says."""
    import csv
    import io

    fmt = mapping.get("format") or ("xlsx" if path.suffix.lower() in (".xlsx", ".xls") else "csv")
    if fmt == "xlsx":
        # calamine (Rust) reads the RIVM workbooks ~4x faster than openpyxl, with the same cell values
        df = pd.read_excel(path, sheet_name=mapping.get("sheet", 0), dtype=object, engine="calamine")
    else:
        text, encoding = decode_text(path.read_bytes(), mapping.get("encoding"))
        sep = mapping.get("sep") or csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        log.info("%s: read as %s, separator %r", path.name, encoding, sep)
    if fmt == "statline_csv":
        df = df.rename(columns={c: name for c, (name, _) in statline_headers(list(df.columns)).items()})
    for col in df.columns:
        df[col] = df[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    return df


def _numbers(values: pd.Series, decimal: str) -> pd.Series:
    text = values.astype(object).map(
        lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
    )
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(text.replace("", None), errors="coerce").astype(float)


def tidy_file(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
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
    frames = []
    for name in names:  # a series may come as one file per year or group: the same columns in each
        df = read_file_table(Path(snapshot_dir) / name, mapping)
        missing = [c for c in [period["column"], *dims, *measures] if c not in df.columns]
        if missing:
            raise SnapshotError(
                f"Source {manifest['source']}: {name} has no column(s) {', '.join(missing)}; it has: "
                f"{', '.join(map(str, df.columns))}. Fix 'table' in config/sources.yaml (the file may have "
                "changed)."
            )
        frames.append(df[[period["column"], *dims, *measures]])
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    name = ", ".join(names)
    path = Path(snapshot_dir) / names[0]
    try:
        codes = df[period["column"]].map(parse_period)
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


def meta_file(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
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


# --- manual figures ---------------------------------------------------------------------------------


def _manual_figures(snapshot_dir: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    from dossiercheck.schemas.manual import ManualFigure

    body = json.loads((Path(snapshot_dir) / "figures.json").read_text(encoding="utf-8"))
    frame = pd.DataFrame.from_records(body.get("figures") or [])
    for col in ("page",):
        if col in frame:
            frame[col] = frame[col].astype(str)
    return body, ManualFigure.validate(frame, lazy=True)


def tidy_manual(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    _, figures = _manual_figures(snapshot_dir)
    obs = pd.DataFrame(
        {
            "Measure": figures["id"],
            "Perioden": figures["period"],
            "Value": figures["value"],
            "ValueAttribute": "None",
        }
    )
    return long_frame(
        manifest["table_id"], obs, [], dict.fromkeys(figures["period"], "Definitief"), "Perioden"
    )


def meta_manual(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    body, figures = _manual_figures(snapshot_dir)
    return {
        "measures": {
            r.id: {
                "title": r.title,
                "unit": r.unit,
                "decimals": None,
                "document": body.get("title"),
                "url": body.get("url"),
                "page": r.page,
                "transcribed_by": r.transcribed_by,
                "transcribed_at": r.transcribed_at.date().isoformat(),
            }
            for r in figures.itertuples()
        },
        "codes": {},
    }


def _one_time_dimension(table_id: str, found: list[str]) -> str:
    if len(found) != 1:
        raise SnapshotError(
            f"CBS table {table_id}: expected one time dimension, found {found or 'none'}. The tidy table needs "
            "a period for every value; tables without one cannot be used for claims."
        )
    return found[0]


# --- dispatch ---------------------------------------------------------------------------------------

TIDIERS: dict[str, tuple[Callable, Callable]] = {
    "cbs_odata4": (tidy_odata4, meta_odata4),
    "cbs_odata3": (tidy_odata3, meta_odata3),
    "cbs_bulk_csv": (tidy_bulk_csv, meta_bulk_csv),
    "file": (tidy_file, meta_file),
    "manual": (tidy_manual, meta_manual),
}


def table_metadata(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    """What the claims and reports need to know about a table besides its cells: titles and units of the
    measures, titles of codes, the table's upstream dates and the checksums of the raw data files."""
    _, meta_fn = TIDIERS[manifest["kind"]]
    data_stem = manifest.get("dataset") or "Observations"
    return {
        "source": manifest["source"],
        "kind": manifest["kind"],
        "table_id": manifest.get("table_id", manifest["source"]),
        "title": manifest.get("title"),
        "base_url": manifest.get("base_url"),
        "upstream_modified": manifest.get("upstream_modified"),
        "upstream_status": manifest.get("upstream_status"),
        "snapshot_id": manifest["snapshot_id"],
        "retrieved_at": manifest["retrieved_at"],
        "observations_filter": manifest.get("observations_filter"),
        "raw_files": {
            f["name"]: {"sha256": f["sha256"], "url": f.get("url")}
            for f in manifest["files"]
            if f["name"] in pages(manifest, data_stem) or f.get("data")
        },
        **meta_fn(snapshot_dir, manifest, entry),
    }


def tidy_snapshot(
    snapshot_dir: Path, entry: dict[str, Any] | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Verify a snapshot's checksums, then return its tidy table and metadata. ``entry`` is the source's
    config/sources.yaml entry (file sources take their column mapping from it)."""
    snapshot_dir = Path(snapshot_dir)
    manifest = verify(snapshot_dir)
    kind = manifest["kind"]
    if kind not in TIDIERS:
        raise SnapshotError(f"Snapshot {snapshot_dir}: kind {kind!r} has no tidy step.")
    tidy_fn, _ = TIDIERS[kind]
    return tidy_fn(snapshot_dir, manifest, entry), table_metadata(snapshot_dir, manifest, entry)


def empty_table() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=str) for c in FIXED_COLUMNS})
    df["period_start"] = pd.Series(dtype="datetime64[ns]")
    df["value"] = pd.Series(dtype=float)
    return TidyTable.validate(df)


def previous_metadata(snapshot_dir: Path, entry=None) -> dict[str, Any] | None:
    """Metadata (with row count) of the snapshot taken before ``snapshot_dir``, to compare against."""
    snapshot_dir = Path(snapshot_dir)
    earlier = [s for s in list_snapshots(snapshot_dir.parent) if s.name < snapshot_dir.name]
    if not earlier:
        return None
    try:
        manifest = verify(earlier[-1])
        if manifest["kind"] == "cbs_odata4" and manifest.get("observation_rows") is not None:
            # one tidy row per observation: the manifest's count and the code lists are enough, so the
            # previous snapshot (possibly a million rows) is not tidied a second time
            return {**table_metadata(earlier[-1], manifest, entry), "row_count": manifest["observation_rows"]}
        df, meta = tidy_snapshot(earlier[-1], entry)
    except Exception as e:  # an unreadable old snapshot must not block the new one; the log says so
        log.warning(
            "%s: previous snapshot %s cannot be compared with (%s)",
            snapshot_dir.parent.name,
            earlier[-1].name,
            e,
        )
        return None
    return {**meta, "row_count": len(df)}


def tidy_source(
    manifest_path: Path,
    out_table: Path,
    out_meta: Path,
    entry=None,
    *,
    validation_dir: Path | None = None,
    warnings=None,
    row_band: float | None = None,
) -> pd.DataFrame:
    """Read one snapshot (its ``manifest.json``), validate it, write the tidy parquet and the metadata.

    The validation report goes to ``validation_dir/<source>.md`` and ``.json`` whether it passes or not;
    when a check set as an error fails, this raises with a message that names that report.
    Given the fetch's pointer instead (``current.json`` of a source that could not be fetched, with
    ``unavailable_sources: report``), write an empty table and metadata that say why."""
    from dossiercheck import validate as v

    path = Path(manifest_path)
    if path.name != "manifest.json":
        pointer = json.loads(path.read_text(encoding="utf-8"))
        if not pointer.get("unavailable"):
            raise SnapshotError(f"{path} names a snapshot; tidy reads the snapshot's manifest.json.")
        df = empty_table()
        meta = {"source": pointer["source"], "unavailable": True, "reason": pointer["reason"]}
    else:
        try:
            df, meta = tidy_snapshot(path.parent, entry)
        except pandera.errors.SchemaErrors as e:
            report = v.raw_report(path.parent, e)
            v.enforce(
                report, v.write_report(report, validation_dir or Path(out_table).parent.parent / "validation")
            )
            raise
        report = v.validate(
            df,
            meta,
            previous_metadata(path.parent, entry),
            warnings=v.DEFAULT_WARNINGS if warnings is None else tuple(warnings),
            band=row_band or v.DEFAULT_ROW_BAND,
        )
        md = v.write_report(report, validation_dir or Path(out_table).parent.parent / "validation")
        v.enforce(report, md)
        meta["validation"] = {
            "checks_run": report.checks_run,
            "rows": report.rows,
            "warnings": sorted({f.check for f in report.findings}),
            "report": str(md),
        }
        df = TidyTable.validate(df)  # coerce to the declared types; every check already passed above
    atomic_write_bytes(out_table, df.to_parquet(index=False))
    atomic_write_text(out_meta, json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    log.info("%s: %d tidy rows from snapshot %s", meta["source"], len(df), meta.get("snapshot_id"))
    return df

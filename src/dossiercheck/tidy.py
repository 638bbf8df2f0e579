"""Rule ``tidy_source``: turn a raw snapshot into the tidy long table (validated) and its metadata.

Every kind of source ends in the same shape (``schemas.tidy.TidyTable``): table id, measure, one column
per dimension (padding stripped here, once), period code, kind, start and status, value and
ValueAttribute. Titles of measures and codes go to a separate lookup (the ``.meta.json``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from dossiercheck.errors import SnapshotError
from dossiercheck.periods import STATUS_CANONICAL, add_period_columns
from dossiercheck.schemas.tidy import FIXED_COLUMNS, TidyTable
from dossiercheck.snapshot import atomic_write_bytes, atomic_write_text, verify

log = logging.getLogger(__name__)

# What a v3 UntypedDataSet cell symbol means, in the v4 ValueAttribute vocabulary (CBS "verklaring van
# tekens"): blank = cannot occur (Impossible), "." = unknown (NotAvailable), "x" = secret (Confidential).
# "-" means "nihil", zero: it becomes the value 0.
V3_SYMBOLS = {"": "Impossible", ".": "NotAvailable", "x": "Confidential"}
# A TypedDataSet turns every symbol into null, losing which one it was: NotAvailable is the honest rest.
V3_TYPED_NULL = "NotAvailable"


def _load_values(path: Path) -> list[dict[str, Any]]:
    try:
        return json.loads(path.read_bytes())["value"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise SnapshotError(f"{path}: not an OData collection with a 'value' list ({e}).") from e


def strip_codes(s: pd.Series) -> pd.Series:
    """CBS pads dimension keys with spaces (v3 always, v4 in some tables): strip them here, once."""
    return s.astype("string").str.strip().astype(object)


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
    df["period_status"] = df["period"].map({k.strip(): STATUS_CANONICAL.get(v, v) for k, v in status.items()})
    unknown = df.loc[df["period_status"].isna(), "period"].unique()
    if len(unknown):
        raise SnapshotError(
            f"CBS table {table_id}: periods {list(unknown)[:5]} appear in the data but not in the {time_dim} "
            "code list, or have no Status. The snapshot is inconsistent: fetch it again (make refresh)."
        )
    df["value"] = pd.to_numeric(obs["Value"], errors="coerce").astype(float)
    df["value_attribute"] = obs["ValueAttribute"].fillna("None").astype(str)
    df = df[[*FIXED_COLUMNS[:2], *dims, *FIXED_COLUMNS[2:]]]
    df = df.sort_values(["measure", *dims, "period"], kind="mergesort").reset_index(drop=True)
    return TidyTable.validate(df, lazy=True)


# --- OData v4 ---------------------------------------------------------------------------------------


def tidy_odata4(snapshot_dir: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    snapshot_dir = Path(snapshot_dir)
    dims = _load_values(snapshot_dir / "Dimensions.json")
    time_dim = _one_time_dimension(
        manifest["table_id"], [d["Identifier"] for d in dims if d.get("Kind") == "TimeDimension"]
    )
    other = [d["Identifier"] for d in dims if d["Identifier"] != time_dim]
    rows: list[dict[str, Any]] = []
    for name in pages(manifest, "Observations"):
        rows.extend(_load_values(snapshot_dir / name))
    obs = pd.DataFrame.from_records(rows, columns=["Measure", "ValueAttribute", "Value", *other, time_dim])
    periods = _load_values(snapshot_dir / f"{time_dim}Codes.json")
    status = {p["Identifier"]: p.get("Status") for p in periods}
    return long_frame(manifest["table_id"], obs, other, status, time_dim)


def meta_odata4(snapshot_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
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


def read_v3_dataset(paths: list[Path]) -> pd.DataFrame:
    """The rows of a v3 TypedDataSet/UntypedDataSet (all pages), text values with their padding stripped."""
    rows: list[dict[str, Any]] = []
    for p in paths:
        rows.extend(_load_values(p))
    df = pd.DataFrame.from_records(rows)
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].map(lambda v: v.strip() if isinstance(v, str) else v)
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


def tidy_odata3(snapshot_dir: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    snapshot_dir = Path(snapshot_dir)
    table_id = manifest["table_id"]
    props = _load_values(snapshot_dir / "DataProperties.json")
    dims = [p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension", "GeoDetail")]
    time_dim = _one_time_dimension(table_id, [p["Key"] for p in props if p.get("Type") == "TimeDimension"])
    dataset = manifest.get("dataset", "TypedDataSet")
    wide = read_v3_dataset([snapshot_dir / n for n in pages(manifest, dataset)])
    topics = [p["Key"] for p in props if p.get("Type") == "Topic" and p["Key"] in wide.columns]
    parts = []
    for topic in topics:
        num, attr = _v3_cells(wide[topic], typed=dataset == "TypedDataSet")
        part = wide[[*dims, time_dim]].copy()
        part["Measure"], part["Value"], part["ValueAttribute"] = topic, num, attr
        parts.append(part)
    obs = pd.concat(parts, ignore_index=True)
    status = {
        p["Key"]: p.get("Status", "Definitief") for p in _load_values(snapshot_dir / f"{time_dim}.json")
    }
    return long_frame(table_id, obs, dims, status, time_dim)


def meta_odata3(snapshot_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
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
}


def table_metadata(snapshot_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
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
        **meta_fn(snapshot_dir, manifest),
    }


def tidy_snapshot(snapshot_dir: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Verify a snapshot's checksums, then return its tidy table and metadata."""
    snapshot_dir = Path(snapshot_dir)
    manifest = verify(snapshot_dir)
    kind = manifest["kind"]
    if kind not in TIDIERS:
        raise SnapshotError(f"Snapshot {snapshot_dir}: kind {kind!r} has no tidy step.")
    tidy_fn, _ = TIDIERS[kind]
    return tidy_fn(snapshot_dir, manifest), table_metadata(snapshot_dir, manifest)


def tidy_source(manifest_path: Path, out_table: Path, out_meta: Path) -> pd.DataFrame:
    """Read one snapshot (its ``manifest.json``), write the tidy parquet and the metadata JSON."""
    df, meta = tidy_snapshot(Path(manifest_path).parent)
    atomic_write_bytes(out_table, df.to_parquet(index=False))
    atomic_write_text(out_meta, json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    log.info("%s: %d tidy rows from snapshot %s", meta["source"], len(df), meta["snapshot_id"])
    return df

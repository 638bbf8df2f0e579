"""Rule ``tidy_source``: turn a raw snapshot into the tidy long table (validated) and its metadata."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from dossiercheck.errors import SnapshotError
from dossiercheck.periods import STATUS_CANONICAL, add_period_columns
from dossiercheck.schemas.tidy import FIXED_COLUMNS, TidyTable
from dossiercheck.snapshot import atomic_write_bytes, atomic_write_text, verify

log = logging.getLogger(__name__)


def _load_values(path: Path) -> list[dict[str, Any]]:
    try:
        return json.loads(path.read_bytes())["value"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise SnapshotError(f"{path}: not an OData collection with a 'value' list ({e}).") from e


def strip_codes(s: pd.Series) -> pd.Series:
    """CBS pads dimension keys with spaces (v3 always, v4 in some tables): strip them here, once."""
    return s.astype("string").str.strip().astype(object)


def tidy_odata4(snapshot_dir: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    """The long table of one v4 snapshot: table id, measure, one column per dimension, period, status,
    value and ValueAttribute. Sorted by the identifying columns so the output is deterministic."""
    snapshot_dir = Path(snapshot_dir)
    table_id = manifest["table_id"]
    dims = _load_values(snapshot_dir / "Dimensions.json")
    time_dims = [d["Identifier"] for d in dims if d.get("Kind") == "TimeDimension"]
    if len(time_dims) != 1:
        raise SnapshotError(f"CBS table {table_id}: expected one time dimension, found {time_dims}.")
    time_dim = time_dims[0]
    other_dims = [d["Identifier"] for d in dims if d["Identifier"] != time_dim]

    pages = sorted(f["name"] for f in manifest["files"] if f["name"].startswith("Observations"))
    rows: list[dict[str, Any]] = []
    for name in pages:
        rows.extend(_load_values(snapshot_dir / name))
    obs = pd.DataFrame.from_records(
        rows, columns=["Measure", "ValueAttribute", "Value", *other_dims, time_dim]
    )

    periods = pd.DataFrame.from_records(_load_values(snapshot_dir / f"{time_dim}Codes.json"))
    status = dict(
        zip(periods["Identifier"].str.strip(), periods["Status"].map(STATUS_CANONICAL), strict=True)
    )

    df = pd.DataFrame({"table_id": table_id, "measure": strip_codes(obs["Measure"])})
    for dim in other_dims:
        df[dim] = strip_codes(obs[dim])
    df["period"] = strip_codes(obs[time_dim])
    df = add_period_columns(df)
    df["period_status"] = df["period"].map(status)
    unknown = df.loc[df["period_status"].isna(), "period"].unique()
    if len(unknown):
        raise SnapshotError(
            f"CBS table {table_id}: periods {list(unknown)[:5]} appear in Observations but not in "
            f"{time_dim}Codes, or have an unknown Status. The snapshot is inconsistent: fetch it again."
        )
    df["value"] = pd.to_numeric(obs["Value"], errors="coerce").astype(float)
    df["value_attribute"] = obs["ValueAttribute"].fillna("None").astype(str)
    df = df[[*FIXED_COLUMNS[:2], *other_dims, *FIXED_COLUMNS[2:]]]
    df = df.sort_values(["measure", *other_dims, "period"], kind="mergesort").reset_index(drop=True)
    return TidyTable.validate(df, lazy=True)


def table_metadata(snapshot_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """What the claims and reports need to know about a table besides its cells: titles, units,
    the table's upstream dates and the checksums of the raw files the cells came from."""
    snapshot_dir = Path(snapshot_dir)
    measures = {
        m["Identifier"]: {
            "title": m.get("Title"),
            "unit": m.get("Unit"),
            "decimals": m.get("Decimals"),
        }
        for m in _load_values(snapshot_dir / "MeasureCodes.json")
    }
    return {
        "source": manifest["source"],
        "kind": manifest["kind"],
        "table_id": manifest["table_id"],
        "title": manifest.get("title"),
        "base_url": manifest.get("base_url"),
        "upstream_modified": manifest.get("upstream_modified"),
        "upstream_status": manifest.get("upstream_status"),
        "snapshot_id": manifest["snapshot_id"],
        "retrieved_at": manifest["retrieved_at"],
        "observations_filter": manifest.get("observations_filter"),
        "raw_files": {
            f["name"]: {"sha256": f["sha256"], "url": f["url"]}
            for f in manifest["files"]
            if f["name"].startswith("Observations")
        },
        "measures": measures,
    }


def tidy_source(manifest_path: Path, out_table: Path, out_meta: Path) -> pd.DataFrame:
    """Read one snapshot (its ``manifest.json``; checksums verified), write the tidy parquet and metadata."""
    snapshot_dir = Path(manifest_path).parent
    manifest = verify(snapshot_dir)
    if manifest["kind"] != "cbs_odata4":
        raise SnapshotError(f"Snapshot {snapshot_dir}: kind {manifest['kind']!r} has no tidy step yet.")
    df = tidy_odata4(snapshot_dir, manifest)
    meta = table_metadata(snapshot_dir, manifest)
    atomic_write_bytes(out_table, df.to_parquet(index=False))
    atomic_write_text(out_meta, json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    log.info("%s: %d tidy rows from snapshot %s", manifest["source"], len(df), manifest["snapshot_id"])
    return df

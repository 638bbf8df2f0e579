"""Rule ``tidy_source``: read a snapshot by its kind (sources/<kind>.py), validate it, write the tidy
table and its metadata. The dispatch on ``kind`` lives here, beside the kinds, so that tidy.py (the frame
helpers every kind uses) imports nothing from sources/."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors

from dossiercheck.errors import SnapshotError
from dossiercheck.snapshot import atomic_write_bytes, atomic_write_text, list_snapshots, verify
from dossiercheck.sources import source_classes
from dossiercheck.tidy import empty_table, pages

# The log keeps the name it had when this lived in tidy.py: the rule's log lines read as before.
log = logging.getLogger("dossiercheck.tidy")


# --- dispatch ---------------------------------------------------------------------------------------


def kind_of(manifest: dict[str, Any], snapshot_dir: Path):
    """The source class that reads this snapshot's kind (sources/<kind>.py)."""
    kinds = source_classes()
    if manifest["kind"] not in kinds:
        raise SnapshotError(f"Snapshot {snapshot_dir}: kind {manifest['kind']!r} has no tidy step.")
    return kinds[manifest["kind"]]


def table_metadata(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    """What the claims and reports need to know about a table besides its cells: titles and units of the
    measures, titles of codes, the table's upstream dates and the checksums of the raw data files."""
    kind = kind_of(manifest, snapshot_dir)
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
        **kind.describe(snapshot_dir, manifest, entry),
    }


def tidy_snapshot(
    snapshot_dir: Path, entry: dict[str, Any] | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Verify a snapshot's checksums, then return its tidy table and metadata. ``entry`` is the source's
    config/sources.yaml entry (file sources take their column mapping from it)."""
    snapshot_dir = Path(snapshot_dir)
    manifest = verify(snapshot_dir)
    kind = kind_of(manifest, snapshot_dir)
    return kind.read(snapshot_dir, manifest, entry), table_metadata(snapshot_dir, manifest, entry)


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
        meta["detail"] = pointer.get("detail") or ""  # the failure itself, for "Technische details"
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
    atomic_write_bytes(out_table, df.to_parquet(index=False))
    atomic_write_text(out_meta, json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    log.info("%s: %d tidy rows from snapshot %s", meta["source"], len(df), meta.get("snapshot_id"))
    return df

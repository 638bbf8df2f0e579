"""The snapshots that ship with the code (``data/bundle/``): a fresh clone builds the whole site from them
without a network, and ``dossiercheck bundle`` (``make bundle``) refreshes them from the snapshots in use.

Each source's snapshot is kept as the fetch wrote it: its ``manifest.json`` verbatim and every raw file
byte for byte, gzip-compressed where the format is not compressed already (a zip or xlsx is stored as is).
``BUNDLE.json`` lists what is there and, per file, where it came from: recorded from the publisher by
another project (matched by sha256 against a recordings index such as ``../shared/cbs/FILES.tsv``),
re-packed from recorded files, transcribed from a document, fetched by this tool, or a stand-in made for
a recording that lacks the file. Restoring decompresses into ``data/raw/<source>/<snapshot>/`` and checks
every file against the manifest's sha256 before the snapshot is used."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dossiercheck.errors import SnapshotError
from dossiercheck.snapshot import (
    MANIFEST,
    atomic_write_text,
    check_source_id,
    pointed_manifest,
    sha256_bytes,
    utc_now,
    verify,
)

log = logging.getLogger(__name__)

INDEX = "BUNDLE.json"
LIMIT_BYTES = 25 * 1024 * 1024  # what git carries comfortably; the ceiling
STORED_AS_IS = (".zip", ".xlsx", ".gz", ".xz", ".parquet", ".png", ".pdf")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class BundleError(SnapshotError):
    """The bundle cannot be made or read; the message says what to do."""


def stored_name(name: str) -> str:
    return name if name.lower().endswith(STORED_AS_IS) else f"{name}.gz"


def _compress(data: bytes) -> bytes:
    # mtime 0 and no file name: the same input gives the same bytes, so an unchanged bundle is no git change
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def read_recordings(path: Path | None) -> dict[str, dict[str, str]]:
    """A recordings index (tab-separated, with columns ``sha256``, ``origin …`` and ``what it is``, as
    ../shared/cbs/FILES.tsv) by sha256; empty when there is none."""
    if not path or not Path(path).is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = {}
    for r in rows:
        origin = next((v for k, v in r.items() if k and k.startswith("origin")), "")
        out[r["sha256"]] = {"file": r.get("path", ""), "origin": origin, "request": r.get("what it is", "")}
    return out


def origin_of(
    data: bytes, entry: dict[str, Any], manifest: dict[str, Any], recordings: dict
) -> dict[str, Any]:
    """Where one raw file came from, as far as can be shown: never more than the evidence says."""
    sha = entry["sha256"]
    if sha in recordings:
        r = recordings[sha]
        return {
            "how": "recorded",
            "recorded_by": r["origin"],
            "request": r["request"],
            "recording": r["file"],
        }
    if manifest.get("kind") == "manual":
        return {
            "how": "transcribed",
            "note": "figures typed from the cited document into config/sources.yaml; see each figure's "
            "transcribed_by, transcribed_at and verified_against_document",
        }
    if entry["name"].lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                members = {m: sha256_bytes(z.read(m)) for m in z.namelist() if not m.endswith("/")}
        except zipfile.BadZipFile:
            members = {}
        if members and all(s in recordings for s in members.values()):
            return {
                "how": "repacked",
                "note": "a zip made from recorded files (the members are byte for byte the recordings)",
                "members": {
                    m: recordings[s]["origin"] + " " + recordings[s]["request"] for m, s in members.items()
                },
            }
    host = urlsplit(entry.get("url") or "").hostname or ""
    if host and host not in LOCAL_HOSTS:
        return {"how": "fetched", "url": entry["url"], "at": manifest.get("retrieved_at")}
    return {
        "how": "stand-in",
        "note": "not from the publisher: served by the project's test server where the recording lacks this "
        "file (tests/helpers/shared_site.py); refresh from the publisher before relying on it",
    }


def current_snapshots(raw_root: Path, sources: dict[str, Any]) -> dict[str, Path]:
    """The snapshot each source's pointer (data/raw/<source>/current.json) names, for sources that have one."""
    out = {}
    for source in sorted(sources):
        pointer = Path(raw_root) / source / "current.json"
        if not pointer.is_file():  # never fetched here
            continue
        manifest = pointed_manifest(pointer)
        if manifest is not None:
            out[source] = manifest.parent
    return out


def make_bundle(
    raw_root: Path,
    bundle_dir: Path,
    sources: dict[str, Any],
    *,
    recordings: Path | None = None,
    limit: int = LIMIT_BYTES,
) -> dict[str, Any]:
    """Replace ``bundle_dir`` with the snapshots in use now. Built beside it and swapped in at the end: a
    failure (a damaged snapshot, the size limit) leaves the old bundle as it was."""
    raw_root, bundle_dir = Path(raw_root), Path(bundle_dir)
    snaps = current_snapshots(raw_root, sources)
    if not snaps:
        raise BundleError(
            f"There are no snapshots in {raw_root} to bundle. Run `make run` (or `make refresh`) first."
        )
    index = read_recordings(recordings)
    bundle_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bundle-", dir=bundle_dir.parent))
    try:
        entries, total = {}, 0
        for source, snap in snaps.items():
            manifest = verify(snap)  # a damaged snapshot is not shipped
            out = tmp / source / snap.name
            out.mkdir(parents=True)
            shutil.copyfile(snap / MANIFEST, out / MANIFEST)
            total += (out / MANIFEST).stat().st_size
            files = []
            for f in manifest["files"]:
                data = (snap / f["name"]).read_bytes()
                name = stored_name(f["name"])
                stored = data if name == f["name"] else _compress(data)
                (out / name).write_bytes(stored)
                total += len(stored)
                files.append(
                    {"name": f["name"], "stored": name, "sha256": f["sha256"], "bytes": len(data),
                     "stored_bytes": len(stored), "origin": origin_of(data, f, manifest, index)}
                )  # fmt: skip
            entries[source] = {
                "snapshot_id": manifest["snapshot_id"],
                "kind": manifest["kind"],
                "retrieved_at": manifest["retrieved_at"],
                "retrieved_from": sorted(
                    {urlsplit(f.get("url") or "").netloc for f in manifest["files"]} - {""}
                ),
                "files": files,
            }
        if total > limit:
            raise BundleError(
                f"The bundle would be {total / 1e6:.1f} MB, over its limit of {limit / 1e6:.0f} MB. Leave the "
                "largest sources out of it (see the sizes with `du -sh data/raw/*`) or filter what they fetch."
            )
        payload = {
            "bundle_version": 1,
            "made_at": utc_now(),
            "bytes": total,
            "note": "Raw snapshots as the fetch stored them (gzip where marked .gz); restored and checked against "
            "each manifest's sha256 when data/raw has none. 'origin' says per file where it came from.",
            "sources": entries,
        }
        atomic_write_text(
            tmp / INDEX, json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        )
        old = bundle_dir.with_name(f".{bundle_dir.name}-old")
        if bundle_dir.exists():
            os.rename(bundle_dir, old)
        os.rename(tmp, bundle_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("bundle: %d sources, %.1f MB in %s", len(entries), total / 1e6, bundle_dir)
    return payload


def read_index(bundle_dir: Path) -> dict[str, Any] | None:
    path = Path(bundle_dir) / INDEX
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise BundleError(f"{path} is not valid JSON ({e}). Restore it with `git checkout {path}`.") from e


def restore(source: str, bundle_dir: Path, raw_root: Path) -> Path | None:
    """The bundled snapshot of ``source`` in ``raw_root/<source>/``, unpacked and checked; None when the
    bundle has no snapshot of it. A snapshot already there is checked and kept."""
    check_source_id(source)
    index = read_index(bundle_dir)
    entry = (index or {}).get("sources", {}).get(source)
    if entry is None:
        return None
    snapshot_id = entry["snapshot_id"]
    target = Path(raw_root) / source / snapshot_id
    if target.is_dir():
        verify(target)
        return target
    packed = Path(bundle_dir) / source / snapshot_id
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{snapshot_id}-", dir=target.parent))
    try:
        shutil.copyfile(packed / MANIFEST, tmp / MANIFEST)
        for f in entry["files"]:
            data = (packed / f["stored"]).read_bytes()
            if f["stored"] != f["name"]:
                data = gzip.decompress(data)
            (tmp / f["name"]).write_bytes(data)
        try:
            verify(tmp)
        except SnapshotError as e:
            raise BundleError(
                f"The bundled snapshot of {source} in {packed} does not match its manifest ({e}). Restore the "
                f"folder with `git checkout {bundle_dir}` or fetch the source with `make refresh`."
            ) from e
        os.rename(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("%s: restored snapshot %s from the bundle (%s)", source, snapshot_id, bundle_dir)
    return target

"""Raw snapshots: untouched response bodies plus a manifest, written atomically, verified when read.

Layout::

    data/raw/<source>/<snapshot_id>/<file>          untouched bodies, exactly as received
    data/raw/<source>/<snapshot_id>/manifest.json   per file: url, query, status, headers, sha256, bytes
    data/raw/<source>/current.json                  which snapshot the pipeline uses now (the rule output)

A snapshot is built in a temporary directory next to its final place and renamed into place only when
every file is written and checksummed, so a failed or interrupted download never leaves a partial
snapshot behind and never touches an earlier one.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossiercheck import __version__
from dossiercheck.errors import SnapshotError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
POINTER = "current.json"
SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
# Source ids become directory names: no separators, no "..", nothing a shell or a URL would mangle.
SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def check_source_id(source: str) -> str:
    if not SOURCE_ID.match(source or ""):
        raise SnapshotError(
            f"Source id {source!r} cannot be used as a folder name. Use letters, digits, '-' and '_' only "
            "(for CBS tables: the table id, such as 85773NED) in config/sources.yaml."
        )
    return source


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def content_sha256(body: bytes, sha256: str | None = None) -> str:
    """The digest of what a file holds: its sha256, or for a zip archive the digest of its members' names
    and contents (a server that re-packs the same CSVs, with new timestamps, gives the same digest).
    ``sha256``: the body's digest when the caller has it already (a large page is not hashed twice)."""
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                members = sorted(
                    f"{m.filename} {sha256_bytes(z.read(m))}" for m in z.infolist() if not m.is_dir()
                )
            return sha256_bytes(("zip\n" + "\n".join(members)).encode())
        except (zipfile.BadZipFile, OSError, EOFError):
            pass  # not a readable archive after all: its bytes are its content
    return sha256 or sha256_bytes(body)


def content_id_of(files: list[dict[str, Any]], snapshot_dir: Path | None = None) -> str:
    """The content id of a snapshot's files (manifest entries). An entry written before archives were
    counted by their members has no ``content_sha256``: given ``snapshot_dir``, it is worked out from the file."""

    return sha256_bytes(
        "\n".join(sorted(f"{f['name']} {entry_digest(f, snapshot_dir)}" for f in files)).encode()
    )


def entry_digest(f: dict[str, Any], snapshot_dir: Path | None = None) -> str:
    """What one manifest entry's file holds (``content_sha256``), worked out from the file in
    ``snapshot_dir`` for an archive recorded before archives were counted by their members."""
    if "content_sha256" in f:
        return f["content_sha256"]
    if snapshot_dir is not None and f["name"].lower().endswith(".zip"):
        return content_sha256((Path(snapshot_dir) / f["name"]).read_bytes())
    return f["sha256"]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SnapshotWriter:
    """Collects response bodies in a temporary directory; ``commit`` moves them into place atomically.

    Use as a context manager: leaving the block with an exception removes the temporary directory and
    nothing else.
    """

    source_dir: Path
    source: str
    kind: str
    table_meta: dict[str, Any] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    _tmp: Path | None = None

    def __enter__(self) -> SnapshotWriter:
        check_source_id(self.source)
        self.source_dir.mkdir(parents=True, exist_ok=True)
        # A fetch that was killed leaves its temporary folder behind; only one fetch of a source runs at a
        # time, so any such folder is debris: remove it (finished snapshots are never touched).
        for stale in self.source_dir.glob(".partial-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=self.source_dir))
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._tmp is not None and self._tmp.exists():
            shutil.rmtree(self._tmp, ignore_errors=True)

    def add(self, name: str, body: bytes, **meta: Any) -> None:
        """Store one response body untouched, with its request and response metadata."""
        assert self._tmp is not None, "use SnapshotWriter as a context manager"
        if "/" in name or name.startswith(".") or name == MANIFEST:
            raise SnapshotError(f"Refusing to store a raw file named {name!r}.")
        path = self._tmp / name
        with open(path, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        entry = {"name": name, **meta, "sha256": sha256_bytes(body), "bytes": len(body)}
        content = content_sha256(body, entry["sha256"])
        if content != entry["sha256"]:  # an archive: what it holds, not how it was packed
            entry["content_sha256"] = content
        self.files.append(entry)

    def content_id(self) -> str:
        """A digest of the files' names and contents: equal ids, equal snapshots (whenever fetched). An
        archive counts by its members' contents, so the same files packed anew are the same snapshot."""
        return content_id_of(self.files)

    def commit(self) -> Path:
        """Write the manifest and rename the snapshot into place. Returns the snapshot directory."""
        assert self._tmp is not None
        retrieved_at = utc_now()
        content_id = self.content_id()
        stamp = retrieved_at.replace("-", "").replace(":", "")
        snapshot_id = f"{stamp}-{content_id[:8]}"
        manifest = {
            "manifest_version": 1,
            "source": self.source,
            "kind": self.kind,
            "snapshot_id": snapshot_id,
            "retrieved_at": retrieved_at,
            "client": f"dossiercheck/{__version__}",
            "content_id": content_id,
            **self.table_meta,
            "files": self.files,
        }
        (self._tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        final = self.source_dir / snapshot_id
        if final.exists():  # same content fetched twice within one second: keep the one already there
            shutil.rmtree(self._tmp)
        else:
            os.rename(self._tmp, final)
        self._tmp = None
        return final


def read_manifest(snapshot_dir: Path) -> dict[str, Any]:
    path = Path(snapshot_dir) / MANIFEST
    try:
        return json.loads(path.read_text())
    except FileNotFoundError as e:
        raise SnapshotError(
            f"Raw snapshot {snapshot_dir} has no {MANIFEST}; it is incomplete. Delete the folder and fetch again."
        ) from e
    except json.JSONDecodeError as e:
        raise SnapshotError(f"{path} is not valid JSON ({e}). Delete the folder and fetch again.") from e


def verify(snapshot_dir: Path) -> dict[str, Any]:
    """Check every raw file against its sha256 in the manifest. Returns the manifest."""
    snapshot_dir = Path(snapshot_dir)
    manifest = read_manifest(snapshot_dir)
    for entry in manifest["files"]:
        path = snapshot_dir / entry["name"]
        if not path.is_file():
            raise SnapshotError(
                f"Raw snapshot {snapshot_dir} lacks {entry['name']}, which its manifest lists. "
                "Raw files must not be edited or removed: delete the whole snapshot folder and fetch again."
            )
        actual = sha256_file(path)
        if actual != entry["sha256"]:
            raise SnapshotError(
                f"Raw file {path} no longer matches its checksum (manifest {entry['sha256'][:12]}…, "
                f"file {actual[:12]}…). Raw files must stay untouched: delete the snapshot folder and fetch again."
            )
    return manifest


def list_snapshots(source_dir: Path) -> list[Path]:
    """Committed snapshots of one source, oldest first (ids start with their UTC time)."""
    if not Path(source_dir).is_dir():
        return []
    return sorted(p for p in Path(source_dir).iterdir() if p.is_dir() and SNAPSHOT_ID.match(p.name))


def latest_good(source_dir: Path) -> Path | None:
    """The newest snapshot whose files still match their checksums, or None."""
    for snap in reversed(list_snapshots(source_dir)):
        try:
            verify(snap)
        except SnapshotError as e:
            log.warning("Skipping damaged snapshot %s: %s", snap, e)
            continue
        return snap
    return None


def pointed_manifest(pointer: Path) -> Path | None:
    """The manifest of the snapshot ``data/raw/<source>/current.json`` points at, or None when it records
    that the source was unavailable. The pointer names a snapshot folder beside it and nothing else: a
    pointer edited to lead elsewhere (``../../etc``, an absolute path) is refused, never followed."""
    pointer = Path(pointer)
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SnapshotError(
            f"{pointer} cannot be read ({e}). Delete it and run again: the fetch writes it anew."
        ) from None
    name = data.get("snapshot_dir")
    if name is None and data.get("unavailable"):
        return None
    if not isinstance(name, str) or not SNAPSHOT_ID.match(name):
        raise SnapshotError(
            f"{pointer} points at {name!r}, which is not a snapshot folder of this source (a snapshot is named "
            "like 20260722T063000Z-1a2b3c4d and lies beside current.json). It was edited by hand or damaged: "
            "nothing was read from it. Delete it and run again to use the newest good snapshot."
        )
    manifest = pointer.parent / name / MANIFEST
    if not manifest.is_file():
        raise SnapshotError(
            f"{pointer} points at snapshot {name}, which has no {MANIFEST} in {pointer.parent}. Delete "
            "current.json and run again."
        )
    return manifest


def write_pointer(
    pointer: Path, snapshot_dir: Path, *, reused: bool, note: str = "", **flags: bool
) -> dict[str, Any]:
    """Record which snapshot downstream rules read. Written atomically (temp file, then rename). ``flags``:
    ``unreachable`` (the source could not be asked this time), ``bundled`` (the snapshot shipped with the code)."""
    manifest = read_manifest(snapshot_dir)
    data = {
        "source": manifest["source"],
        "snapshot_id": manifest["snapshot_id"],
        "snapshot_dir": snapshot_dir.name,
        "retrieved_at": manifest["retrieved_at"],
        "reused": reused,
        "note": note,
        **flags,
    }
    atomic_write_text(pointer, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""Rule ``fetch_source``: bring one source into a new raw snapshot, or fall back to the last good one."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from dossiercheck.errors import RegistryError, SourceUnavailable
from dossiercheck.http import HttpSettings, make_session
from dossiercheck.snapshot import SnapshotWriter, check_source_id, latest_good, write_pointer
from dossiercheck.sources import cbs_odata4

log = logging.getLogger(__name__)


def fetch_source(
    source: str,
    entry: dict[str, Any],
    raw_root: Path,
    pointer: Path,
    *,
    base_urls: dict[str, str],
    http: HttpSettings | None = None,
) -> dict[str, Any]:
    """Fetch ``source`` into ``raw_root/<source>/<snapshot>/`` and point ``pointer`` at it.

    When the source cannot be reached (network down, timeouts, 5xx after retries) the newest snapshot
    whose checksums still match is used instead, and the log says so. When there is none, this raises
    ``SourceUnavailable`` naming the source, the URL and what to do. Any other failure (404, malformed
    payload) raises and leaves every existing snapshot untouched.
    """
    check_source_id(source)
    raw_root, pointer = Path(raw_root), Path(pointer)
    source_dir = raw_root / source
    kind = entry.get("kind")
    http = http or HttpSettings()

    if kind != cbs_odata4.KIND:
        raise RegistryError(
            f"Source {source}: kind {kind!r} cannot be fetched yet (supported: {cbs_odata4.KIND}). "
            "Fix 'kind' in config/sources.yaml."
        )
    base_url = base_urls.get("cbs_odata4_url") or cbs_odata4.DEFAULT_BASE_URL
    client = cbs_odata4.Odata4Client(make_session(http), base_url, http)
    table_id = entry["table_id"]
    try:
        with SnapshotWriter(source_dir, source, kind) as writer:
            writer.table_meta = client.fetch(table_id, writer, entry.get("observations_filter"))
            snapshot_dir = writer.commit()
    except SourceUnavailable as e:
        previous = latest_good(source_dir)
        if previous is None:
            raise SourceUnavailable(
                f"{e}\nThere is no earlier snapshot of {source} in {source_dir} to fall back on, so the "
                "pipeline cannot continue. Run again when CBS can be reached, or point cbs_odata4_url at a "
                "mirror."
            ) from e
        note = f"CBS could not be reached; reusing the last good snapshot {previous.name}. Cause: {e}"
        log.warning("%s: %s", source, note)
        return write_pointer(pointer, previous, reused=True, note=note)

    log.info("%s: stored snapshot %s", source, snapshot_dir.name)
    return write_pointer(pointer, snapshot_dir, reused=False)

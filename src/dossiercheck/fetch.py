"""Rule ``fetch_source``: bring one source into a new raw snapshot, reuse an unchanged one, or fall back to
the last good one when the source cannot be reached."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from dossiercheck.bundle import read_index, restore
from dossiercheck.errors import RegistryError, SnapshotError, SourceNotFound, SourceUnavailable
from dossiercheck.http import HttpSettings, make_session
from dossiercheck.snapshot import (
    SnapshotWriter,
    atomic_write_text,
    check_source_id,
    content_id_of,
    latest_good,
    read_manifest,
    write_pointer,
)
from dossiercheck.sources import source_classes
from dossiercheck.sources.base import FetchRequest, Needs, Unchanged

log = logging.getLogger(__name__)

REFRESH_MODES = ("check", "force")
ON_UNAVAILABLE = ("fail", "report")
USE_BUNDLE = ("first", "fallback", "never")


def fetch_source(
    source: str,
    entry: dict[str, Any],
    raw_root: Path,
    pointer: Path,
    *,
    base_urls: dict[str, str],
    http: HttpSettings | None = None,
    needs: dict[str, Any] | None = None,
    refresh: str = "check",
    on_unavailable: str = "fail",
    bundle_dir: Path | None = None,
    use_bundle: str = "first",
) -> dict[str, Any]:
    """Fetch ``source`` into ``raw_root/<source>/<snapshot>/`` and point ``pointer`` at the snapshot to use.

    - ``refresh="check"``: ask the source whether it changed since the last snapshot (CBS: the table's
      ``Modified``); if not, reuse that snapshot without downloading the data. ``"force"``: download anyway.
    - A download whose content equals the last snapshot's is not kept: the last snapshot stays in use, so
      nothing downstream reruns because of it.
    - When the source cannot be reached (network, timeouts, 5xx after retries) the newest snapshot whose
      checksums still match is used, and the log says so; with none, ``SourceUnavailable`` names the
      source, the URL and what to do. Any other failure (404, malformed payload, unknown code) raises and
      leaves every existing snapshot untouched.
    - ``on_unavailable="report"``: a source that cannot be reached and has no snapshot, or that answers
      404, does not stop the run: the pointer records why, and its claims get the status "bron niet
      bereikbaar" (or "bron stopgezet" when sources.yaml names a successor). The log says so loudly.
    - ``bundle_dir``: the snapshots shipped with the code (data/bundle). ``use_bundle="first"`` (`make run`):
      a source with no snapshot of its own starts from the bundled one, without asking the network.
      ``"fallback"`` (`make refresh`): the network first; the bundle only when the source cannot be
      reached. Either way, a source in neither the bundle nor reachable is recorded as unavailable (its
      claims say "niet opgehaald") rather than stopping a run that has a bundle to build from.
    """
    check_source_id(source)
    if refresh not in REFRESH_MODES:
        raise RegistryError(f"refresh must be one of {', '.join(REFRESH_MODES)}, not {refresh!r}.")
    raw_root, pointer = Path(raw_root), Path(pointer)
    source_dir = raw_root / source
    kind = entry.get("kind")
    classes = source_classes()
    if kind not in classes:
        raise RegistryError(
            f"Source {source}: kind {kind!r} is unknown (known: {', '.join(sorted(classes))}). "
            "Fix 'kind' in config/sources.yaml."
        )
    if use_bundle not in USE_BUNDLE:
        raise RegistryError(f"use_bundle must be one of {', '.join(USE_BUNDLE)}, not {use_bundle!r}.")
    http = http or HttpSettings()
    current = latest_good(source_dir)
    bundled = _bundle_has(bundle_dir, use_bundle)
    if current is None and use_bundle == "first" and bundled is not None:
        restored = restore(source, bundle_dir, raw_root)
        if restored is not None:
            return _use_bundled(source, pointer, restored, "no snapshot of its own yet")
    current_manifest = read_manifest(current) if current else None
    request = FetchRequest(
        source, entry, Needs.of(needs), current_manifest if refresh == "check" else None, base_urls
    )
    fetcher = classes[kind](make_session(http, label=source), http, request)
    try:
        with SnapshotWriter(source_dir, source, kind) as writer:
            writer.table_meta = fetcher.fetch(writer)
            same = current_manifest is not None and (
                writer.content_id() == current_manifest.get("content_id")
                # a snapshot recorded before archives counted by their members: work its id out anew
                or writer.content_id() == content_id_of(current_manifest["files"], current)
            )
            if same:
                note = (
                    f"downloaded again, but the content is identical to snapshot {current.name}; "
                    "keeping that one, so nothing downstream reruns."
                )
                log.info("%s: %s", source, note)
                return write_pointer(pointer, current, reused=True, note=note)
            snapshot_dir = writer.commit()
    except OSError as e:  # disk full, permissions: the temporary folder is gone, earlier snapshots untouched
        raise SnapshotError(
            f"{source}: the download could not be written to {source_dir} ({e.strerror or e}). Free space or "
            "fix permissions there and run again; earlier snapshots are untouched."
        ) from e
    except Unchanged as e:
        log.info("%s: %s", source, e)
        return write_pointer(pointer, current, reused=True, note=str(e))
    except SourceNotFound as e:
        if on_unavailable == "report":
            return _record_unavailable(
                source, pointer, unavailable_nl(source, entry, "not_found"), str(e), cause="not_found"
            )
        raise
    except SourceUnavailable as e:
        restored = restore(source, bundle_dir, raw_root) if current is None and bundled is not None else None
        if restored is not None:
            return _use_bundled(
                source, pointer, restored, f"the source could not be reached ({e})", unreachable=True
            )
        if current is None and (on_unavailable == "report" or bundled is not None):
            why = "unreachable_not_bundled" if bundled is not None else "unreachable"
            return _record_unavailable(
                source, pointer, unavailable_nl(source, entry, why), str(e), cause="unreachable"
            )
        if current is None:
            raise SourceUnavailable(
                f"{e}\nThere is no earlier snapshot of {source} in {source_dir} to fall back on, so the "
                "pipeline cannot continue. Run again when the source can be reached, or point its base URL "
                "at a mirror."
            ) from e
        note = f"the source could not be reached; reusing the last good snapshot {current.name}. Cause: {e}"
        log.warning("%s: %s", source, note)
        return write_pointer(pointer, current, reused=True, note=note, unreachable=True)

    log.info("%s: stored snapshot %s", source, snapshot_dir.name)
    return write_pointer(pointer, snapshot_dir, reused=False)


def _bundle_has(bundle_dir: Path | None, use_bundle: str) -> dict[str, Any] | None:
    """The bundle's index when a bundle is to be used and exists, else None."""
    if bundle_dir is None or use_bundle == "never":
        return None
    return read_index(bundle_dir)


def _use_bundled(source: str, pointer: Path, snapshot_dir: Path, why: str, **flags: bool) -> dict[str, Any]:
    manifest = read_manifest(snapshot_dir)
    note = (
        f"using the snapshot shipped with the code (data/bundle, taken {manifest['retrieved_at'][:10]}): {why}. "
        "`make refresh` fetches new data."
    )
    log.warning("%s: %s", source, note)
    return write_pointer(pointer, snapshot_dir, reused=True, note=note, bundled=True, **flags)


def unavailable_nl(source: str, entry: dict[str, Any], why: str) -> str:
    """What a failed fetch means for the figures that need the source, in one Dutch sentence an editor
    can act on (the exception text itself goes in the pointer's ``detail``, shown under "Technische
    details"). ``why``: not_found (the source answered 404), unreachable, unreachable_not_bundled."""
    publisher = entry.get("publisher") or "de bron"
    table = entry.get("table_id")
    what = f"{publisher}-tabel {table}" if table else f"het bestand {entry.get('title') or source}"
    if why == "not_found":
        return (
            f"Niet opgehaald: {publisher} heeft {what.removeprefix(f'{publisher}-')} niet (meer) op het "
            "adres dat dossiercheck kent. De cijfers uit die tabel zijn nu niet na te rekenen; staat de tabel "
            "onder een nieuw nummer online, dan moet dat nummer in de bronnenlijst worden aangepast."
        )
    shipped = (
        " en zit niet in de momentopname die met dossiercheck wordt meegeleverd"
        if why.endswith("not_bundled")
        else ""
    )
    return (
        f"Niet opgehaald: {what} was bij het nagerekenen niet bereikbaar{shipped}. De cijfers uit deze bron "
        "zijn daarom nu niet na te rekenen; bij de volgende ophaalronde probeert dossiercheck het opnieuw."
    )


def _record_unavailable(
    source: str, pointer: Path, reason: str, detail: str = "", cause: str = "unreachable"
) -> dict[str, Any]:
    """The pointer of a source that could not be fetched: the Dutch sentence for the pages (``reason``),
    the failure itself (``detail``) and its ``cause``: not_found (404/410, the table is gone) or
    unreachable."""
    log.error("%s: NOT AVAILABLE, its claims will be reported as such. %s %s", source, reason, detail)
    data = {
        "source": source,
        "snapshot_id": None,
        "snapshot_dir": None,
        "unavailable": True,
        "reason": reason,
        "detail": detail,
        "cause": cause,
    }
    atomic_write_text(pointer, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data

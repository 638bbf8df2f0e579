"""`dossiercheck status`: is there anything new upstream? Asks each source only whether it changed (CBS
tables: the table's Modified date; downloaded files: a conditional HEAD, or a conditional GET whose body is
not read where a server refuses HEAD; only a file whose server gives no date or ETag is downloaded, to
compare its content), and names the claims a newer source would affect.

Every source ends in one state: ``newer``, ``same``, ``not_fetched`` (no snapshot yet, neither fetched nor
shipped in data/bundle: it is asked only whether it is there), ``gone`` (the source answers 404 or 410),
``unreachable`` (it could not be asked: the answer is unknown) or ``manual`` (figures typed from a document:
nothing to ask). A file whose server sends no ETag or Last-Modified is downloaded and compared by what it
holds, never reported newer for want of a date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
import yaml

from dossiercheck.bundle import read_index
from dossiercheck.http import HttpSettings, make_session
from dossiercheck.registry import claim_sources, load_registry
from dossiercheck.snapshot import content_sha256, entry_digest, latest_good, read_manifest
from dossiercheck.sources import cbs_odata3, cbs_odata4
from dossiercheck.sources.cbs_bulk_csv import DEFAULT_CSV_URL
from dossiercheck.sources.files import download_urls, mirrored


def _ask_file(session, url: str, previous: dict[str, Any] | None, timeout, snapshot_dir: Path | None) -> bool:
    """Has the file at ``url`` changed since ``previous`` (its manifest entry; None: never fetched, only
    whether it is there is asked)? A conditional HEAD: 304 means unchanged; a 200 is compared on its ETag or
    Last-Modified where both the snapshot and the server have one. A server that sends neither is answered
    by downloading the file and comparing what it holds (sha256; an archive by its members, so a zip
    packed anew with the same files is unchanged). A server that refuses HEAD (405, 501) gets the same
    question as a GET."""
    previous = previous or {}
    headers = {}
    if previous.get("etag"):
        headers["If-None-Match"] = previous["etag"]
    if previous.get("last_modified"):
        headers["If-Modified-Since"] = previous["last_modified"]
    r = session.head(url, headers=headers, timeout=timeout, allow_redirects=True)
    if r.status_code in (405, 501):
        r = session.get(url, headers=headers, timeout=timeout, allow_redirects=True, stream=True)
        r.close()
    if r.status_code == 304:
        return False
    r.raise_for_status()
    if not previous:
        return True
    for header, key in (("ETag", "etag"), ("Last-Modified", "last_modified")):
        if r.headers.get(header) and previous.get(key):
            return r.headers[header] != previous[key]
    # no validator to compare: what the file holds decides
    body = session.get(url, timeout=timeout, allow_redirects=True)
    body.raise_for_status()
    return content_sha256(body.content) != entry_digest(previous, snapshot_dir)


def _upstream(
    kind: str, entry: dict[str, Any], config: dict[str, Any], session, timeout, manifest, snap
) -> dict:
    """What the source says now: its Modified date (tables) or whether its files changed (files). With no
    ``manifest`` (never fetched) the same question only shows whether the source is there."""
    if kind == "cbs_odata4":
        url = f"{(config.get('cbs_odata4_url') or cbs_odata4.DEFAULT_BASE_URL).rstrip('/')}/{entry['table_id']}/Properties"
        r = session.get(url, timeout=timeout)
        r.raise_for_status()
        return {"modified": json.loads(r.content).get("Modified")}
    if kind == "cbs_odata3":
        key = "cbs_dataderden_url" if entry.get("catalog") == "dataderden" else "cbs_odata3_url"
        base = (config.get(key) or cbs_odata3.DEFAULT_BASE_URL).rstrip("/")
        r = session.get(
            f"{base}/ODataFeed/odata/{entry['table_id']}/TableInfos",
            params={"$format": "json"},
            timeout=timeout,
        )
        r.raise_for_status()
        return {"modified": (json.loads(r.content).get("value") or [{}])[0].get("Modified")}
    if kind in ("cbs_bulk_csv", "file"):
        if kind == "cbs_bulk_csv":
            urls = [f"{(config.get('cbs_csv_url') or DEFAULT_CSV_URL).rstrip('/')}/{entry['table_id']}"]
        else:
            urls = [mirrored(u, config.get("files_mirror_url")) for u in download_urls(entry)]
        if manifest is None:
            return {"newer": any([_ask_file(session, url, None, timeout, None) for url in urls])}
        data = [f for f in manifest["files"] if f.get("data")]
        if len(data) != len(urls):  # a file was added to or taken from the source: fetch anew
            return {"newer": True, "modified": f"{len(urls)} bestand(en) in plaats van {len(data)}"}
        changed = [_ask_file(session, url, old, timeout, snap) for url, old in zip(urls, data, strict=True)]
        stamps = [f.get("last_modified") or f.get("etag") or "?" for f in data]
        return {"newer": any(changed), "modified": ", ".join(stamps)}
    return {}


def _current(
    source: str, raw_root: Path, bundle_dir: Path | None
) -> tuple[dict[str, Any] | None, Path | None]:
    """The manifest (and folder) of the snapshot in use: the newest good one in data/raw, else the one the
    repository ships in data/bundle (a fresh clone has those figures, so that is what is compared)."""
    snap = latest_good(Path(raw_root) / source)
    if snap is not None:
        return read_manifest(snap), snap
    index = read_index(bundle_dir) if bundle_dir else None
    entry = (index or {}).get("sources", {}).get(source)
    if entry is None:
        return None, None
    packed = Path(bundle_dir) / source / entry["snapshot_id"]
    manifest = read_manifest(packed)
    # the bundle keeps an archive as it is, so its members can be read there; other files are compared by sha256
    return manifest, packed


def newer_sources(
    config_path: Path,
    sources_path: Path,
    claims_dirs: Path | list[Path],
    raw_root: Path,
    bundle_dir: Path | None = None,
) -> list[dict[str, Any]]:
    """One row per source the claims of ``claims_dirs`` read (what the pipeline fetches for them; a source
    in sources.yaml no claim reads is not asked), with its state: ``newer``, ``same``, ``not_fetched`` (no
    snapshot yet; there upstream), ``gone`` (404/410; with the successor sources.yaml names), ``unreachable``
    or ``manual``."""
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    sources = yaml.safe_load(Path(sources_path).read_text(encoding="utf-8")) or {}
    claims: dict[str, list[str]] = {}
    read: set[str] = set()
    dirs = [claims_dirs] if isinstance(claims_dirs, (str, Path)) else list(claims_dirs)
    for f in sorted(f for d in dirs for f in Path(d).glob("[0-9][0-9]_*.yaml")):
        for c in load_registry(f)["claims"]:
            read |= {source for source, _ in claim_sources(c)}
            if c.get("recomputable", True):
                claims.setdefault(c["source"], []).append(c["id"])
    sources = {k: v for k, v in sources.items() if k in read}
    settings = HttpSettings(retries=1, connect_timeout=10, read_timeout=30)
    session = make_session(settings)
    rows = []
    for source, entry in sorted(sources.items()):
        row: dict[str, Any] = {"source": source, "claims": claims.get(source, []), "state": "same"}
        rows.append(row)
        if entry.get("kind") == "manual":
            row.update(state="manual", note="figures typed from a document: nothing to ask")
            continue
        manifest, snap = _current(source, raw_root, bundle_dir)
        if manifest is not None:
            row["snapshot_modified"] = manifest.get("upstream_modified")
        try:
            up = _upstream(entry["kind"], entry, config, session, settings.timeout, manifest, snap)
        except requests.HTTPError as e:
            code = e.response.status_code if e.response is not None else None
            if code in (404, 410):
                successor = entry.get("successor")
                row.update(
                    state="gone",
                    note=f"the source answers {code}: it is no longer there"
                    + (
                        f"; its successor is {successor} (config/sources.yaml)"
                        if successor
                        else "; no successor is declared: find the table that replaced it and add it as "
                        "'successor' in config/sources.yaml"
                    ),
                )
            else:
                row.update(state="unreachable", note=f"could not ask: {str(e)[:160]}")
            continue
        except (requests.RequestException, ValueError) as e:
            row.update(state="unreachable", note=f"could not ask: {str(e)[:160]}")
            continue
        if manifest is None:
            row.update(state="not_fetched", note="there upstream, not fetched yet: make run fetches it")
            continue
        row["upstream_modified"] = up.get("modified")
        if "newer" in up:
            row["state"] = "newer" if up["newer"] else "same"
        else:
            row["state"] = "newer" if up["modified"] != manifest.get("upstream_modified") else "same"
    return rows

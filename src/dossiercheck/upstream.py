"""`dossiercheck status`: is there anything new upstream? Asks each source only whether it changed (CBS
tables: the table's Modified date; downloaded files: a conditional HEAD, or a conditional GET whose body is
not read where a server refuses HEAD), never for data, and names the claims a newer source would affect.

Every source ends in one state: ``newer``, ``same``, ``unreachable`` (it could not be asked: the answer is
unknown) or ``manual`` (figures typed from a document: nothing to ask)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
import yaml

from dossiercheck.http import HttpSettings, make_session
from dossiercheck.registry import load_registry
from dossiercheck.snapshot import latest_good, read_manifest
from dossiercheck.sources import cbs_odata3, cbs_odata4
from dossiercheck.sources.cbs_bulk_csv import DEFAULT_CSV_URL
from dossiercheck.sources.files import download_urls, mirrored


def _ask_file(session, url: str, previous: dict[str, Any], timeout) -> bool:
    """Has the file at ``url`` changed since ``previous`` (its manifest entry)? A conditional HEAD: 304
    means unchanged; a 200 is compared on its ETag or Last-Modified. A server that refuses HEAD (405, 501)
    gets the same question as a GET whose body is never read."""
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
    now = r.headers.get("ETag") or r.headers.get("Last-Modified")
    return now is None or now not in (previous.get("etag"), previous.get("last_modified"))


def _upstream(kind: str, entry: dict[str, Any], config: dict[str, Any], session, timeout, manifest) -> dict:
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
        data = [f for f in manifest["files"] if f.get("data")]
        if len(data) != len(urls):  # a file was added to or taken from the source: fetch anew
            return {"newer": True, "modified": f"{len(urls)} bestand(en) in plaats van {len(data)}"}
        changed = [_ask_file(session, url, old, timeout) for url, old in zip(urls, data, strict=True)]
        stamps = [f.get("last_modified") or f.get("etag") or "?" for f in data]
        return {"newer": any(changed), "modified": ", ".join(stamps)}
    return {}


def newer_sources(
    config_path: Path, sources_path: Path, claims_dir: Path, raw_root: Path
) -> list[dict[str, Any]]:
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    sources = yaml.safe_load(Path(sources_path).read_text(encoding="utf-8")) or {}
    claims: dict[str, list[str]] = {}
    for f in sorted(Path(claims_dir).glob("[0-9][0-9]_*.yaml")):
        for c in load_registry(f)["claims"]:
            if c.get("recomputable", True):
                claims.setdefault(c["source"], []).append(c["id"])
    settings = HttpSettings(retries=1, connect_timeout=10, read_timeout=30)
    session = make_session(settings)
    rows = []
    for source, entry in sorted(sources.items()):
        row: dict[str, Any] = {"source": source, "claims": claims.get(source, []), "state": "same"}
        snap = latest_good(Path(raw_root) / source)
        if entry.get("kind") == "manual":
            row.update(state="manual", note="figures typed from a document: nothing to ask")
        elif snap is None:
            row.update(state="newer", note="no snapshot yet")
        else:
            manifest = read_manifest(snap)
            row["snapshot_modified"] = manifest.get("upstream_modified")
            try:
                up = _upstream(entry["kind"], entry, config, session, settings.timeout, manifest)
            except (requests.RequestException, ValueError) as e:
                row.update(state="unreachable", note=f"could not ask: {str(e)[:160]}")
                rows.append(row)
                continue
            row["upstream_modified"] = up.get("modified")
            if "newer" in up:
                row["state"] = "newer" if up["newer"] else "same"
            else:
                row["state"] = "newer" if up["modified"] != manifest.get("upstream_modified") else "same"
        rows.append(row)
    return rows

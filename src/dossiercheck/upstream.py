"""`dossiercheck status`: is there anything new upstream? Asks each source only for its date (CBS: the
table's Modified; files: a HEAD request's ETag/Last-Modified), never for data, and names the claims a
newer source would affect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
import yaml

from dossiercheck.claims import load_registry
from dossiercheck.http import HttpSettings, make_session
from dossiercheck.snapshot import latest_good, read_manifest
from dossiercheck.sources import cbs_odata3, cbs_odata4
from dossiercheck.sources.files import DEFAULT_CSV_URL, download_urls, mirrored


def _upstream(kind: str, entry: dict[str, Any], config: dict[str, Any], session, timeout) -> dict[str, Any]:
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
        files = []
        for url in urls:
            r = session.head(url, timeout=timeout, allow_redirects=True)
            r.raise_for_status()
            files.append({"etag": r.headers.get("ETag"), "last_modified": r.headers.get("Last-Modified")})
        return {"files": files}
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
        row: dict[str, Any] = {"source": source, "claims": claims.get(source, []), "newer": False}
        snap = latest_good(Path(raw_root) / source)
        if entry.get("kind") == "manual":
            row["error"] = "manual figures: nothing to ask"
        elif snap is None:
            row.update(newer=True, error="no snapshot yet")
        else:
            manifest = read_manifest(snap)
            row["snapshot_modified"] = manifest.get("upstream_modified")
            try:
                up = _upstream(entry["kind"], entry, config, session, settings.timeout)
            except (requests.RequestException, ValueError) as e:
                row["error"] = f"could not ask: {str(e)[:120]}"
                rows.append(row)
                continue
            if "modified" in up:
                row["upstream_modified"] = up["modified"]
                row["newer"] = up["modified"] != manifest.get("upstream_modified")
            else:
                data = [f for f in manifest["files"] if f.get("data")]
                now = [f.get("etag") or f.get("last_modified") for f in up["files"]]
                row["upstream_modified"] = ", ".join(
                    f.get("last_modified") or f.get("etag") or "?" for f in up["files"]
                )
                row["newer"] = len(data) != len(now) or any(
                    n not in (d.get("etag"), d.get("last_modified")) for n, d in zip(now, data, strict=False)
                )
        rows.append(row)
    return rows

"""Fetching a source the way the pipeline does, for tests: fast network settings, one call, and a digest of
a folder to show a failed fetch left it untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dossiercheck.fetch import fetch_source
from dossiercheck.http import HttpSettings

FAST = HttpSettings(connect_timeout=2, read_timeout=2, retries=2, backoff=0.01, backoff_jitter=0)
HOUSE_PRICES = {"kind": "cbs_odata4", "table_id": "85773NED"}
DEAD_V4 = "http://127.0.0.1:9/CBS"  # port 9 on loopback: nothing listens, connections are refused at once


def fetch(server, tmp_path, source="85773NED", entry=HOUSE_PRICES, http=FAST, **kw):
    """fetch_source into tmp_path/raw with the OData v4 base URL of ``server`` (None: an unreachable one)."""
    return fetch_source(
        source,
        entry,
        tmp_path / "raw",
        tmp_path / "raw" / source / "current.json",
        base_urls={"cbs_odata4_url": server.url if server else DEAD_V4},
        http=http,
        **kw,
    )


def tree_digest(path: Path) -> dict[str, str]:
    """sha256 of every file below ``path``: to show a failed fetch left earlier snapshots byte-identical."""
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(path).rglob("*"))
        if p.is_file() and p.name != "current.json"
    }

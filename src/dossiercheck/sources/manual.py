"""Figures that exist only in a document (a PDF report, a letter): transcribed by a person into
config/sources.yaml, with the document, page, who transcribed it and when. "Fetching" them records that
entry as a raw snapshot like any other source, so they are validated, checksummed and cited the same way."""

from __future__ import annotations

import json
from typing import Any

from dossiercheck.sources.base import HttpSource


class ManualSource(HttpSource):
    kind = "manual"

    def fetch(self, writer) -> dict[str, Any]:
        entry = self.request.entry
        body = {k: entry.get(k) for k in ("publisher", "title", "url", "figures")}
        data = (json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode()
        writer.add(
            "figures.json",
            data,
            url=entry.get("url"),
            query={},
            http_status=None,
            content_type="application/json",
        )
        writer.files[-1]["data"] = True
        dates = sorted(str(f.get("transcribed_at")) for f in entry.get("figures") or [])
        return {
            "table_id": self.request.source,
            "title": entry.get("title"),
            "upstream_modified": dates[-1] if dates else None,
        }

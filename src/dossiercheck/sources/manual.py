"""Figures that exist only in a document (a PDF report, a letter): transcribed by a person into
config/sources.yaml, with the document, page, who transcribed it and when. "Fetching" them records that
entry as a raw snapshot like any other source, so they are validated, checksummed and cited the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

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


# --- reading a snapshot ---------------------------------------------------------------------------


def _manual_figures(snapshot_dir: Path) -> tuple[dict[str, Any], pd.DataFrame, list[dict[str, Any]]]:
    """The document's figures as a validated frame, and the entries recording a figure the document does
    not contain (``absent: true``: what was looked for, where, by whom), which have no value."""
    import pandas as pd

    from dossiercheck.schemas.manual import ManualFigure

    body = json.loads((Path(snapshot_dir) / "figures.json").read_text(encoding="utf-8"))
    entries = body.get("figures") or []
    absent = [f for f in entries if f.get("absent")]
    frame = pd.DataFrame.from_records([f for f in entries if not f.get("absent")])
    if frame.empty:
        frame = pd.DataFrame(columns=list(ManualFigure.to_schema().columns))
    for col in ("page",):
        if col in frame:
            frame[col] = frame[col].astype(str)
    return body, ManualFigure.validate(frame, lazy=True), absent


def read_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    import pandas as pd

    from dossiercheck.tidy import long_frame

    _, figures, _ = _manual_figures(snapshot_dir)
    obs = pd.DataFrame(
        {
            "Measure": figures["id"],
            "Perioden": figures["period"],
            "Value": figures["value"],
            "ValueAttribute": "None",
        }
    )
    return long_frame(
        manifest["table_id"], obs, [], dict.fromkeys(figures["period"], "Definitief"), "Perioden"
    )


def describe_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    body, figures, absent = _manual_figures(snapshot_dir)
    extra = {f["id"]: f for f in body.get("figures") or []}  # the optional keys the frame leaves out
    measures = {
        r.id: {
            "title": r.title,
            "unit": r.unit,
            "decimals": None,
            "document": body.get("title"),
            "url": body.get("url"),
            "page": r.page,
            "quote": extra[r.id].get("quote"),
            "verified_against_document": bool(extra[r.id].get("verified_against_document", True)),
            "note": extra[r.id].get("note"),
            "transcribed_by": r.transcribed_by,
            "transcribed_at": r.transcribed_at.date().isoformat(),
        }
        for r in figures.itertuples()
    }
    for f in absent:
        measures[f["id"]] = {
            "title": f["title"],
            "unit": f.get("unit"),
            "decimals": None,
            "absent": True,
            "document": body.get("title"),
            "url": body.get("url"),
            "page": str(f.get("page") or ""),
            "note": f.get("note"),
            "verified_against_document": bool(f.get("verified_against_document", True)),
            "transcribed_by": f.get("transcribed_by"),
            "transcribed_at": str(f.get("transcribed_at") or ""),
        }
    return {"measures": measures, "codes": {}}

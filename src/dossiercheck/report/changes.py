"""Rule ``write_dossier_pages``, "Wijzigingen": every accepted baseline and what it changed.

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from dossiercheck.fmt import editor_value, nl_number
from dossiercheck.history import CLASSES as CLASSES_NL
from dossiercheck.report.common import _command_details, _link, accept_command, bundle_note, md_escape
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import STATUSES

log = logging.getLogger(__name__)


FIGURE_NL = {"dossier": "periode van het dossier", "newest": "nieuwste periode"}


def write_changes_page(
    claims_files: list[Path], history_json: Path | None, out_md: Path, slug: str | None = None
) -> None:
    """ "Wijzigingen": every accepted baseline, newest first: when, which figures moved, from what to what,
    and the snapshot the new figure came from. The history an editor is asked about a year later."""
    from datetime import date

    from dossiercheck.history import read_history
    from dossiercheck.periods import date_nl, label_nl

    themes = [json.loads(Path(f).read_text()) for f in sorted(claims_files)]
    claims = {c["id"]: (t, c) for t in themes for c in t["claims"]}
    titles = {t["theme"]: t["title"] for t in themes}
    history = read_history(history_json)
    lines = [*bundle_note(themes)]
    if not history:
        lines += [
            "Er is nog geen basislijn vastgesteld. Zodra een analist de nu nagerekende cijfers heeft "
            "gecontroleerd en vastgesteld, staat hier bij elke nieuwe vaststelling welke cijfers zijn veranderd.",
            "",
            *_command_details(f"Vaststellen: `{accept_command(slug)}` (zie de README)."),
        ]
        atomic_write_text(out_md, "\n".join(lines))
        return

    def figure(value, period, unit) -> str:
        if value is None:
            return "–"
        return f"{md_escape(editor_value(value, unit))} ({md_escape(label_nl(period))})" if period else "–"

    for entry in reversed(history):
        when = date_nl(date.fromisoformat(entry["accepted_at"][:10]))
        scope = (
            f" — thema {md_escape(titles.get(entry['theme'], entry['theme']))}" if entry.get("theme") else ""
        )
        lines += [f"## {when}{scope}", ""]
        if entry.get("first"):
            lines += [
                f"Eerste vastgestelde basislijn: {nl_number(entry['figures'])} vastgelegde waarden (van elk "
                "nagerekend cijfer de waarde voor de periode van het dossier en, waar die er is, die voor een "
                "nieuwere periode).",
                "",
            ]
            continue
        if not entry["changes"]:
            lines += ["Opnieuw vastgesteld; geen cijfer is wezenlijk veranderd.", ""]
            continue
        lines += [
            "| Cijfer | Wat veranderde | Was | Werd | Bron van het nieuwe cijfer |",
            "|---|---|---|---|---|",
        ]
        for ch in entry["changes"]:
            t, c = claims.get(ch["claim_id"], ({"theme": ch["theme"]}, {"id": ch["claim_id"]}))
            unit = c.get("unit", "")
            link = _link(t, c) if "title" in t else md_escape(ch["claim_id"])
            what = CLASSES_NL.get(ch["class"], ch["class"])
            if ch["class"] == "status_changed" or ch.get("old_status") != ch.get("new_status"):
                old, new = (
                    STATUSES[s].label if s in STATUSES else "–" for s in (ch["old_status"], ch["new_status"])
                )
                what += f" (oordeel: {old} → {new})"
            taken = re.match(r"(\d{4})(\d\d)(\d\d)T", ch.get("snapshot_id") or "")
            snap = md_escape(ch.get("table") or "–") + (
                f", opgehaald op {date_nl(date(*map(int, taken.groups())))}" if taken else ""
            )
            lines.append(
                f"| {link}, {FIGURE_NL.get(ch['figure'], ch['figure'])} | {md_escape(what)} | "
                f"{figure(ch['old_value'], ch['old_period'], unit)} | {figure(ch['new_value'], ch['new_period'], unit)} | {snap} |"
            )
        lines += [""]
    atomic_write_text(out_md, "\n".join(lines))

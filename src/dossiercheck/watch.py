"""`dossiercheck watch` (`make watch`, after `make refresh`): what an editor must look at since the accepted
baseline, as ``data/processed/watch/summary.md`` (in Dutch: it is the body of the pull request a scheduled
job opens). Findings: figures that moved (with their proposed sentences), new periods, revisions by the
source, and sources that are gone or could not be asked, each linked to its page.

Exit 0: nothing moved; 1: something moved (review it, then ``dossiercheck baseline accept``; sources that
could not be asked are listed too); 2: nothing moved that could be seen, but a source could not be asked
(or the run's outputs are missing), so nobody knows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dossiercheck.errors import DossiercheckError
from dossiercheck.fmt import editor_value
from dossiercheck.history import CLASSES, read_history
from dossiercheck.periods import date_nl, label_nl
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import STATUSES

SECTIONS = (
    ("status_changed", "Ander oordeel over de zin"),
    ("revised", "Herzien door de bron: zelfde periode, ander cijfer"),
    ("new_period", "Nieuwe perioden"),
    ("other", "Overige wijzigingen"),
)


def _section(change: dict[str, Any]) -> str:
    """A figure's section by what happened to it; a verdict that changed with it is said on its line."""
    return change["class"] if change["class"] in ("status_changed", "revised", "new_period") else "other"


def watch(
    diff_json: Path,
    claims_files: list[Path],
    raw_root: Path,
    sources: dict[str, Any],
    out_md: Path,
    *,
    site_url: str = "reports/_site",
    history: Path | None = None,
) -> int:
    """One dossier's summary (see ``watch_dossiers``)."""
    return watch_dossiers(
        [Watched(None, diff_json, claims_files, site_url, history)], raw_root, sources, out_md
    )


@dataclass(frozen=True)
class Watched:
    """One dossier as the watch reads it: its title (None when it is the only one), its diff against its
    accepted baseline, its claims, where its pages are and its baseline's history."""

    title: str | None
    diff_json: Path
    claims_files: list[Path]
    site_url: str
    history: Path | None = None


def watch_dossiers(dossiers: list[Watched], raw_root: Path, sources: dict[str, Any], out_md: Path) -> int:
    """Write the summary and return the exit code (0 nothing moved, 1 something moved, 2 could not check).
    With several dossiers each has its own section, headed by its title; the sources are shared."""
    for w in dossiers:
        if not Path(w.diff_json).is_file():
            raise DossiercheckError(
                f"{w.diff_json} is missing: the run did not finish. Run `make refresh` (or `make run`) and then "
                "`dossiercheck watch` again."
            )
    lines = [f"# Controle van de cijfers, {date_nl(date.today())}", ""]
    h = "##"
    moved_any = False
    for w in dossiers:
        if w.title:
            lines += [f"## {w.title}", ""]
            h = "###"
        part, moved = _dossier_lines(w, h)
        lines += part
        moved_any |= moved
    # sources: gone, or not asked this time (the fetch fell back on an earlier or the shipped snapshot)
    unchecked, gone = [], []
    for source in sorted(sources):
        pointer = Path(raw_root) / source / "current.json"
        if not pointer.is_file():
            unchecked.append((source, "niet opgehaald"))
            continue
        p = json.loads(pointer.read_text(encoding="utf-8"))
        if p.get("unavailable"):
            (gone if p.get("cause") == "not_found" else unchecked).append((source, p.get("reason", "")))
        elif p.get("unreachable"):
            unchecked.append((source, p.get("note", "")))

    if gone:
        lines += ["## Bronnen die er niet meer zijn", ""]
        for source, why in gone:
            successor = (sources.get(source) or {}).get("successor")
            lines.append(
                f"- {source}: {why}"
                + (
                    f" Opvolger volgens config/sources.yaml: {successor}."
                    if successor
                    else " Zoek de opvolger op en zet die als 'successor' in config/sources.yaml."
                )
            )
        lines += [""]
    if unchecked:
        lines += [
            "## Niet gecontroleerd",
            "",
            "Deze bronnen konden niet worden gevraagd; hun cijfers zijn van een eerdere momentopname:",
            "",
        ]
        lines += [f"- {source}: {why}" for source, why in unchecked]
        lines += [""]
    moved = moved_any or bool(gone)
    if not moved and not unchecked:
        lines += ["Niets veranderd: elk cijfer is hetzelfde als in de vastgestelde basislijn.", ""]
    if moved:
        lines += [
            "## Wat nu",
            "",
            "Lees de genoemde pagina's na. Klopt alles, leg de nieuwe cijfers dan vast met "
            "`dossiercheck baseline accept` (in deze pull request) en voeg hem samen; de pagina Wijzigingen "
            "toont dan wat er veranderde.",
            "",
        ]
    atomic_write_text(out_md, "\n".join(lines))
    # something moved: review it, whatever else could not be asked (that is listed too); otherwise a
    # source that could not be asked means nobody knows whether it moved
    if moved:
        return 1
    return 2 if unchecked else 0


def _dossier_lines(w: Watched, h: str) -> tuple[list[str], bool]:
    """One dossier's part of the summary (headings at level ``h``) and whether a figure of it moved."""
    d = json.loads(Path(w.diff_json).read_text(encoding="utf-8"))
    claims = {}
    for f in w.claims_files:
        t = json.loads(Path(f).read_text(encoding="utf-8"))
        for c in t["claims"]:
            claims[c["id"]] = (t, c)
    base = w.site_url.rstrip("/")
    accepted = read_history(w.history)
    lines: list[str] = []
    if accepted:
        lines += [
            f"Vergeleken met de basislijn die op {date_nl(date.fromisoformat(accepted[-1]['accepted_at'][:10]))} is vastgesteld.",
            "",
        ]
    elif d["counts"].get("added") and not any(d["counts"].get(k) for k in d["counts"] if k != "added"):
        lines += [
            "Er is nog geen basislijn vastgesteld: elk cijfer is nieuw. Lees de pagina's na en leg de cijfers vast "
            "met `dossiercheck baseline accept`.",
            "",
        ]

    material = [f for f in d["figures"] if f["material"] and f["class"] != "added"]
    groups: dict[str, list[dict[str, Any]]] = {k: [] for k, _ in SECTIONS}
    for f in material:
        groups[_section(f)].append(f)
    proposed: set[str] = set()
    for key, title in SECTIONS:
        if not groups[key]:
            continue
        lines += [f"{h} {title} ({len(groups[key])})", ""]
        for f in groups[key]:
            t, c = claims.get(
                f["claim_id"], ({"theme": f["theme"], "title": f["theme"]}, {"id": f["claim_id"]})
            )
            unit = c.get("unit", "")
            name = c.get("title") or f["claim_id"]
            which = "periode van het dossier" if f["figure"] == "dossier" else "nieuwste periode"

            def side(value, period, unit=unit):
                return "–" if value is None else f"{editor_value(value, unit)} ({label_nl(period)})"

            line = (
                f"- [{name}]({base}/{t['theme']}.html#{f['claim_id']}) ({t.get('title', t['theme'])}, {which}): "
                f"{side(f['old_value'], f['old_period'])} → {side(f['new_value'], f['new_period'])}; "
                f"{CLASSES.get(f['class'], f['class'])}"
            )
            if f.get("old_status") != f.get("new_status") and f.get("old_status") in STATUSES:
                line += f"; oordeel: {STATUSES[f['old_status']].label} → {STATUSES[f['new_status']].label}"
            lines.append(line + ".")
            if c.get("suggested_wording") and c["id"] not in proposed:  # once per claim
                proposed.add(c["id"])
                lines.append(f"  Voorstel: *{c['suggested_wording']}*")
        lines += [""]
    if not material and h != "##":  # one of several: say so under its title
        lines += ["Geen cijfer uit deze tekst is veranderd.", ""]
    return lines, bool(material)

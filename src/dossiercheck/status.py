"""The closed vocabulary of claim statuses, defined once: code, Dutch label, colour, meaning.

Reports show the label *and* the colour (never colour alone); CSVs carry the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Status:
    code: str
    label: str  # Dutch, for the reports
    colour: str  # CSS colour; always shown next to the label
    callout: str  # Quarto callout kind used in reports
    meaning: str  # Dutch explanation for analysts


STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("holds", "klopt", "#1a7f37", "tip", "Het cijfer past bij de formulering van het dossier."),
        Status(
            "newer_data_confirms",
            "nieuwe cijfers bevestigen",
            "#1f6feb",
            "note",
            "Er zijn nieuwere cijfers en die passen nog steeds bij de formulering.",
        ),
        Status(
            "outdated",
            "achterhaald",
            "#b42318",
            "important",
            "Voor de periode van het dossier klopte de formulering; het nieuwste cijfer past er niet meer bij.",
        ),
        Status(
            "differs_from_source",
            "wijkt af van de bron",
            "#9a1b5b",
            "important",
            "Voor de periode waar de zin over gaat geeft de bron een cijfer dat niet bij de formulering past. "
            "Of dat ook zo was toen de tekst werd geschreven, staat in de toelichting.",
        ),
        Status(
            "not_in_source",
            "niet in de bron",
            "#9a1b5b",
            "important",
            "Het document dat het dossier als bron noemt, bevat dit cijfer niet.",
        ),
        Status(
            "revised",
            "herzien door de bron",
            "#b35900",
            "warning",
            "De bron gaf voor de periode van het dossier eerder een ander cijfer (in een eerdere momentopname, "
            "de vastgestelde basislijn of de tabel die toen gold) dan nu; beide cijfers staan erbij.",
        ),
        Status(
            "rounding",
            "afrondingsverschil",
            "#7d6608",
            "note",
            "Het cijfer van de bron valt net buiten de formulering, met minder dan een halve stap van de "
            "precisie waarin het dossier schrijft (39 procent voor 39,6): een kwestie van afronden, geen fout.",
        ),
        Status(
            "other_definition",
            "andere definitie",
            "#57606a",
            "note",
            "De openbare tabel meet iets verwants, niet wat het dossier telt. Het cijfer staat er ter "
            "vergelijking en wordt niet beoordeeld.",
        ),
        Status(
            "not_recomputable",
            "niet na te rekenen",
            "#6e7781",
            "note",
            "Geen openbare tabel bevat dit cijfer, of de bron mist de periode of code; de reden staat erbij.",
        ),
        Status(
            "source_unavailable",
            "bron niet bereikbaar",
            "#6e7781",
            "caution",
            "De bron kon niet worden gelezen en er is geen eerdere kopie.",
        ),
        Status(
            "source_discontinued",
            "bron stopgezet",
            "#8250df",
            "caution",
            "De bron wordt niet meer bijgewerkt; de opvolger staat vermeld.",
        ),
    )
}

# Judgements of one recomputation against the dossier's wording (used inside a claim result).
JUDGEMENTS = ("holds", "contradicts")
JUDGEMENT_NL = {"holds": "past", "contradicts": "past niet"}
# Why a figure is not recomputed (a claim's reason_kind), in the words the reports use.
REASON_KINDS_NL = {
    "report": "uit een rapport of studie",
    "survey": "uitkomst van een enquête",
    "model": "modelberekening of scenario",
    "opinion": "oordeel, geen meting",
    "no_measure": "de zin noemt geen maat of periode",
}
# The statuses that ask an editor to rewrite a sentence: each comes with a proposed sentence.
MOVED = ("revised", "differs_from_source", "outdated", "not_in_source")


def overall_status(
    dossier_judgement: str,
    newest_judgement: str | None,
    newer_period: bool,
    revised: bool = False,
    near_miss: bool = False,
) -> str:
    """One status from the judgements of the dossier's own period and of the newest period.

    Precedence: revised (the source changed the dossier-period figure since the document was written),
    then differs_from_source (the dossier-period figure does not fit the wording, by more than a rounding
    step), then outdated (it fitted, the newest does not), then rounding (it misses by less than one step
    of the wording's precision), then newer_data_confirms, then holds. ``newer_period`` is only ever true
    for a statement about the present (``period: dossier``): a sentence about a named period is judged on
    that period alone.
    """
    if revised:
        return "revised"
    if dossier_judgement == "contradicts" and not near_miss:
        return "differs_from_source"
    if newer_period and newest_judgement == "contradicts":
        return "outdated"
    if dossier_judgement == "contradicts":
        return "rounding"
    if newer_period:
        return "newer_data_confirms"
    return "holds"


def period_why(d: dict[str, Any]) -> str:
    """Why the dossier's period is this one, as the page and the CSV say it: for a period chosen from the
    calendar the full account (which periods the source had published by the dossier's date, and which it
    lacks), else the one sentence of its basis."""
    if d.get("basis") == "assumed" and d.get("why"):
        return d["why"]
    return d.get("basis_why") or d.get("why") or ""

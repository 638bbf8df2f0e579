"""The closed vocabulary of claim statuses, defined once: code, Dutch label, colour, meaning.

Reports show the label *and* the colour (never colour alone); CSVs carry the code.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        Status("holds", "klopt", "#1a7f37", "tip", "Het cijfer klopt met de formulering van het dossier."),
        Status(
            "holds_within_rounding",
            "klopt binnen afronding",
            "#4d8f2f",
            "tip",
            "Het cijfer klopt als je de afronding in het dossier meerekent.",
        ),
        Status(
            "revised",
            "herzien",
            "#b35900",
            "warning",
            "Voor de periode van het dossier geeft de bron nu een ander cijfer dan het dossier noemt.",
        ),
        Status(
            "outdated",
            "achterhaald",
            "#b42318",
            "important",
            "Het nieuwste cijfer past niet meer bij de formulering van het dossier.",
        ),
        Status(
            "newer_data_confirms",
            "nieuwe cijfers bevestigen",
            "#1f6feb",
            "note",
            "Er zijn nieuwere cijfers en die passen nog steeds bij de formulering.",
        ),
        Status(
            "not_recomputable",
            "niet na te rekenen",
            "#6e7781",
            "note",
            "Geen openbare tabel bevat dit cijfer; de bron staat vermeld.",
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
JUDGEMENTS = ("holds", "holds_within_rounding", "contradicts")


def overall_status(dossier_judgement: str, newest_judgement: str, newer_period: bool) -> str:
    """Combine the judgement for the dossier's own period and for the newest period into one status.

    A contradiction in the dossier's own period wins (the figure itself moved: revised); then a
    contradiction in the newest period (the sentence no longer holds: outdated); then newer data that
    still fits; otherwise the dossier-period judgement.
    """
    if dossier_judgement == "contradicts":
        return "revised"
    if newer_period and newest_judgement == "contradicts":
        return "outdated"
    if newer_period:
        return "newer_data_confirms"
    return dossier_judgement

"""Judge a recomputed figure against the dossier's wording: its value, qualifier and rounding."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dossiercheck.errors import RegistryError


@dataclass(frozen=True)
class Band:
    """The values the wording admits: [low, high] as multiples of the dossier's value."""

    low: float | None
    high: float | None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, value: float, x: float, slack: float = 0.0) -> bool:
        lo = -math.inf if self.low is None else self.low * x - slack
        hi = math.inf if self.high is None else self.high * x + slack
        above = value >= lo if (self.low_inclusive or slack) else value > lo
        below = value <= hi if (self.high_inclusive or slack) else value < hi
        return above and below


def qualifier_band(qualifier: str, qualifiers: dict[str, dict[str, Any]]) -> Band:
    try:
        q = qualifiers[qualifier]
    except KeyError:
        raise RegistryError(
            f"qualifier {qualifier!r} is not defined; use one of {', '.join(sorted(qualifiers))} "
            "or add it under 'qualifiers' in config/config.yaml."
        ) from None
    return Band(q.get("low"), q.get("high"), q.get("low_inclusive", True), q.get("high_inclusive", True))


def judge(value: float, dossier_value: float | None, qualifier: str, rounding: float, qualifiers) -> str:
    """'holds' when the wording admits ``value``; 'holds_within_rounding' when it does once the dossier's
    rounding (half a unit of its last digit, ``rounding``) is allowed at the band's edges; else 'contradicts'.

    Qualifiers with a ``direction`` ("stijgt", "daalt") judge the sign of a trend, not a band."""
    q = qualifiers.get(qualifier) or {}
    if "direction" in q:
        rising = value > 0
        return "holds" if (rising if q["direction"] == "up" else value < 0) else "contradicts"
    if dossier_value is None:
        raise RegistryError(f"qualifier {qualifier!r} compares with a value, but the claim states none.")
    band = qualifier_band(qualifier, qualifiers)
    if band.contains(value, dossier_value):
        return "holds"
    if rounding and band.contains(value, dossier_value, slack=rounding):
        return "holds_within_rounding"
    return "contradicts"

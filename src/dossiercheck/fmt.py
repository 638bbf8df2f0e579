"""Numbers the Dutch way, in one place: 26.600 ; 34,0% ; 1,95×."""

from __future__ import annotations

import math


def nl_number(value: float | None, decimals: int = 0) -> str:
    """Thousands separated by '.', decimals by ',': nl_number(26600) -> '26.600', nl_number(1.953, 2) -> '1,95'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"  # 26,600.00
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def nl_percent(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{nl_number(value, decimals)}%"


def nl_signed(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{nl_number(abs(value), decimals)}"


def nl_auto(value: float | None) -> str:
    """A figure with as many decimals as it needs to be read: 8.269.560 ; 26,6 ; 1,95 ; 72,2."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 1000 or float(value).is_integer():
        return nl_number(value, 0)
    return nl_number(value, 1 if abs(value) >= 10 else 2)


def qualifier_nl(qualifier: str | None) -> str:
    """A qualifier as the dossier would write it: 'meer_dan' -> 'meer dan'; 'exact' says nothing."""
    return "" if qualifier in (None, "exact") else qualifier.replace("_", " ")

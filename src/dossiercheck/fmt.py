"""Numbers the way a Dutch editor writes them, in one place, on Babel's CLDR data for ``nl_NL``.

Two levels: ``nl_number``/``nl_auto`` for a bare number (tables, chart axes), and ``editor_value`` /
``editor_change`` for a figure in its claim's unit, scaled as the dossier writes figures: "1,16 miljoen
personen", "26.600 personen", "+60.000 personen", "39,6%", "2,36 keer het dieptepunt van 2013".
"""

from __future__ import annotations

import math
import re

from babel.numbers import format_compact_decimal, format_decimal

LOCALE = "nl_NL"
MINUS = "\u2212"  # a real minus sign, as in print
# "× 1.000 personen": the source counts in thousands; the noun is what is counted.
_SCALED_UNIT = re.compile(r"^×\s*(1\.000(?:\.000)?)\s+(.+)$")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def nl_number(value: float | None, decimals: int = 0) -> str:
    """Thousands separated by '.', decimals by ',': nl_number(26600) -> '26.600', nl_number(1.953, 2) -> '1,95'."""
    if _missing(value):
        return "–"
    if decimals <= 0 and float(value).is_integer():
        # a whole number is groups of three joined by '.' (the nl pattern '#,##0'): written without loading
        # Babel's CLDR data, which costs a job that writes a row count or two 0.06 s of CPU (tests hold it equal)
        text = f"{abs(int(value)):,}".replace(",", ".")
        return MINUS + text if value < 0 else text
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)
    return MINUS + text[1:] if text.startswith("-") else text  # one minus sign on every page: U+2212


def nl_percent(value: float | None, decimals: int = 1) -> str:
    return "–" if _missing(value) else f"{nl_number(value, decimals)}%"


def nl_signed(value: float | None, decimals: int = 2) -> str:
    if _missing(value):
        return "–"
    sign = "+" if value > 0 else (MINUS if value < 0 else "±")
    return f"{sign}{nl_number(abs(value), decimals)}"


def nl_auto(value: float | None) -> str:
    """A figure with as many decimals as it needs to be read: 8.269.560 ; 26,6 ; 1,95 ; 72,2."""
    if _missing(value):
        return "–"
    if abs(value) >= 1000 or float(value).is_integer():
        return nl_number(value, 0)
    return nl_number(value, 1 if abs(value) >= 10 else 2)


def unit_scale(unit: str) -> tuple[float, str]:
    """(scale, noun) of a claim's unit: '× 1.000 personen' -> (1000, 'personen'); 'huishoudens' -> (1, ...)."""
    m = _SCALED_UNIT.match(unit.strip())
    if m:
        return float(m.group(1).replace(".", "")), m.group(2)
    return 1.0, unit.strip()


def _count(n: float, signed: bool = False) -> str:
    """A count of things as an editor writes it: from a million on in millions with three significant
    digits ('1,16 miljoen', '8,27 miljoen'), below that in full ('726.210', '26.600')."""
    if abs(n) >= 1_000_000:
        digits = 2 if abs(n) < 10_000_000 else (1 if abs(n) < 100_000_000 else 0)
        text = format_compact_decimal(abs(n), format_type="long", locale=LOCALE, fraction_digits=digits)
    else:
        text = nl_number(abs(n), 0)
    if signed:
        return ("+" if n > 0 else (MINUS if n < 0 else "±")) + text
    return (MINUS if n < 0 else "") + text


def _is_percent(unit: str) -> bool:
    return unit.strip().startswith("%")


# Nouns that are no count of things: an amount, a ratio or a duration keeps its decimals ("12,0 euro").
_NOT_COUNTED = ("euro", "keer", "jaar", "jaren", "maand", "maanden", "uur", "index", "punt")


def _decimals_for(value: float, noun: str = "") -> int:
    """Decimals for a figure outside percentages and large counts: two below 10, one below 100; a whole
    count of things none ("5 personen", not "5,00 personen"); percentage points one, as percentages
    ("7,4 procentpunt", as a change in a percentage is written: editor_change)."""
    if noun.split()[:1] and noun.split()[0].startswith("procentpunt"):
        return 1
    a = abs(value)
    if float(value).is_integer() and noun and not noun.split()[0].startswith(_NOT_COUNTED):
        return 0
    return 0 if a >= 100 else (1 if a >= 10 else 2)


def shown_value(value: float, unit: str) -> float:
    """``value`` rounded as ``editor_value`` writes it (in the claim's unit), so a difference of two shown
    figures is the difference a reader works out: 1,16 miljoen is 1.160.000, 39,6% is 39.6."""
    unit = unit or ""
    if _is_percent(unit):
        return round(value, 1)
    scale, _ = unit_scale(unit)
    n = value * scale
    if abs(n) >= 1_000_000:
        digits = 2 if abs(n) < 10_000_000 else (1 if abs(n) < 100_000_000 else 0)
        return round(n / 1_000_000, digits) * 1_000_000 / scale
    if scale != 1 or (abs(value) >= 1000 and float(value).is_integer()):
        return round(n) / scale
    return round(value, _decimals_for(value, unit_scale(unit)[1]))


def editor_value(value: float | None, unit: str, *, exact: bool = False) -> str:
    """A figure in its claim's unit, as the dossier would write it. ``exact``: never rounded below its
    usual decimals (up to three), for the bounds of a band: "3,3 procent" admits 3,25% to 3,35%, not
    "minstens 3,2% en minder dan 3,3%" (which would exclude 3,3). Counts keep their own precision."""
    if _missing(value):
        return "–"
    unit = unit or ""

    def decimals(usual: int) -> int:
        return _exact_decimals(value, usual) if exact else usual

    if _is_percent(unit):
        rest = unit.strip()[1:].strip()
        return f"{nl_number(value, decimals(1))}%" + (f" {rest}" if rest else "")
    scale, noun = unit_scale(unit)
    if scale != 1 or (abs(value) >= 1000 and float(value).is_integer()):
        return f"{_count(value * scale)} {noun}".strip()
    return f"{nl_number(value, decimals(_decimals_for(value, noun)))} {noun}".strip()


def editor_change(change: float | None, unit: str) -> str:
    """A change in the claim's unit: '+60.000 personen', '+0,6 procentpunt', '−0,12 keer ...'."""
    if _missing(change):
        return "–"
    unit = unit or ""
    if _is_percent(unit):
        return f"{nl_signed(change, 1)} procentpunt"
    scale, noun = unit_scale(unit)
    if scale != 1 or abs(change) >= 1000:
        return f"{_count(change * scale, signed=True)} {noun}".strip()
    return f"{nl_signed(change, _decimals_for(change, noun))} {noun}".strip()


def _exact_decimals(value: float, at_least: int) -> int:
    """The fewest decimals, from ``at_least`` up to three, that write ``value`` without rounding it."""
    for d in range(at_least, 4):
        if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value)):
            return d
    return 3

"""CBS period codes (``2023JJ00``, ``2023KW03``, ``2023MM10``, ``2023HJ01``, ``2023X000``): kind and start date."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from babel.dates import format_date

if TYPE_CHECKING:
    import pandas as pd

PERIOD_CODE = r"^\d{4}(JJ00|KW0[1-4]|MM(0[1-9]|1[0-2])|HJ0[12]|X0\d\d|W[0-5]\d\d)$"
_PERIOD = re.compile(PERIOD_CODE)
KINDS = ("JJ", "KW", "MM", "HJ", "X0", "W")

# CBS writes "Nader voorlopig" in some code lists and "NaderVoorlopig" in others; one spelling downstream.
STATUS_CANONICAL = {
    "Definitief": "Definitief",
    "Voorlopig": "Voorlopig",
    "Nader voorlopig": "NaderVoorlopig",
    "NaderVoorlopig": "NaderVoorlopig",
}
# "Onbekend": a period in the data that the table's own period list does not describe (seen in CBS bulk
# downloads whose code list is older than their observations). Not known to be final, so it is flagged
# wherever provisional figures are.
UNKNOWN_STATUS = "Onbekend"
STATUSES = ("Definitief", "Voorlopig", "NaderVoorlopig", UNKNOWN_STATUS)
PROVISIONAL = {"Voorlopig", "NaderVoorlopig", UNKNOWN_STATUS}


def parse_period(text: str) -> str:
    """A period as files write it, as a CBS code: '2023' -> 2023JJ00, '2023-01' -> 2023MM01; CBS codes
    pass through. Raises ValueError for anything else."""
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        return f"{text}JJ00"
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}MM{m.group(2)}"
    period_kind(text)
    return text


def period_kind(code: str) -> str:
    if not _PERIOD.match(code):
        raise ValueError(f"{code!r} is not a CBS period code (expected e.g. 2023JJ00, 2023KW03, 2023MM10)")
    return "W" if code[4] == "W" else code[4:6]


def period_start(code: str) -> date:
    kind, year = period_kind(code), int(code[:4])
    if kind == "MM":
        return date(year, int(code[6:8]), 1)
    if kind == "KW":
        return date(year, 3 * (int(code[6:8]) - 1) + 1, 1)
    if kind == "HJ":
        return date(year, 1 if code[6:8] == "01" else 7, 1)
    return date(year, 1, 1)  # JJ, multi-year X0 and weeks start in their first year (weeks: approximate)


def period_end(code: str) -> date:
    """The last day a period covers: 2023MM02 -> 28 February 2023, 2023KW03 -> 30 September 2023."""
    kind, year = period_kind(code), int(code[:4])
    if kind == "MM":
        month = int(code[6:8])
        return date(year, month, calendar.monthrange(year, month)[1])
    if kind in ("KW", "HJ"):
        months = 3 if kind == "KW" else 6
        last = period_start(code).month + months - 1
        return date(year, last, calendar.monthrange(year, last)[1])
    return date(year, 12, 31)


def published_by(code: str, lag_days: int) -> date:
    """The first day a period's figure can have been public: its end plus the source's publication lag."""
    return period_end(code) + timedelta(days=int(lag_days))


def month_code(d: date) -> str:
    return f"{d.year}MM{d.month:02d}"


def date_nl(d: date) -> str:
    """'1 oktober 2023' (CLDR's Dutch month names, through Babel)."""
    return format_date(d, "d MMMM y", locale="nl_NL")


def moment_nl(stamp: str | None) -> str:
    """An ISO date or time as a reader writes it: '2026-06-22T06:30:00+02:00' -> '22 juni 2026' (the day where
    it was stamped: a time zone is kept, not converted). Anything else is returned as it is."""
    if not stamp:
        return ""
    try:
        return date_nl(date.fromisoformat(str(stamp)[:10]))
    except ValueError:
        return str(stamp)


def label_nl(code: str) -> str:
    """Dutch label for display: '2023MM10' -> 'oktober 2023', '2023KW03' -> '3e kwartaal 2023'."""
    kind, year = period_kind(code), code[:4]
    if kind == "MM":
        return format_date(period_start(code), "MMMM y", locale="nl_NL")
    if kind == "KW":
        return f"{int(code[6:8])}e kwartaal {year}"
    if kind == "HJ":
        return f"{int(code[6:8])}e halfjaar {year}"
    return year


def period_parts(codes: list[str]) -> tuple[pd.api.extensions.ExtensionArray, pd.DatetimeIndex]:
    """``period_kind`` and ``period_start`` of each of ``codes`` (the distinct codes of a column), as the
    arrays a frame's columns are taken from."""
    import pandas as pd  # only where a table's periods are read: pages and summaries need no pandas

    kinds = pd.array([period_kind(c) for c in codes], dtype="str")
    starts = pd.DatetimeIndex([pd.Timestamp(period_start(c)) for c in codes], dtype="datetime64[ns]")
    return kinds, starts


def add_period_columns(df: pd.DataFrame, column: str = "period") -> pd.DataFrame:
    """Add ``period_kind`` and ``period_start`` for a column of codes (worked out once per distinct code)."""
    import pandas as pd

    idx, uniq = pd.factorize(df[column].astype(str))
    kinds, starts = period_parts(list(uniq))
    out = df.copy(deep=False)  # copy-on-write: the caller's frame is not changed
    out["period_kind"] = kinds.take(idx)
    out["period_start"] = starts.take(idx)
    return out

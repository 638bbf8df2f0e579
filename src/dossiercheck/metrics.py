"""The closed vocabulary of metrics a claim may use. Each is a pure function of the tidy table.

A claim names a metric by ``kind``; nothing read from YAML is evaluated. A metric reads one or more
*selections* (a measure, filtered on dimension codes, of one period kind) as series indexed by period
code, and combines them into one series of figures. The figure for a period is that series at the
period; the chart shows the whole series.

Spec keys (under ``metric:`` in a claim):

    kind          one of METRICS
    measure       the measure a single-selection metric reads
    filters       {dimension: code} applied to every selection
    period_kind   JJ, KW, MM or HJ (default: JJ for yearly claims, set MM for monthly series)
    measures      (sum) the measures to add up
    numerator / denominator   (ratio, share) {measure, filters} each; filters add to the common ones
    trough_from / trough_to   (multiple_of_trough, multiple_of_peak) the window to find the extreme in
    from          (change) the period to compare with
    relative      (change, change_on_year_earlier) true: percent change instead of the difference
    decrease      (change) true: the fall since 'from' as a positive number ("a decline of 100.000")
    window        (trend) how many periods the slope (per year) is fitted over
    published     the measure in which the table publishes this very figure (CBS's "Ontwikkeling t.o.v.
                  een jaar eerder" beside an index): its value is used wherever the table has one, so a
                  figure is quoted as the source publishes it; the recomputation fills only the periods
                  the published measure lacks. Each figure says which it is (``MetricResult.origin``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dossiercheck.errors import ClaimError
from dossiercheck.periods import label_nl, published_by
from dossiercheck.registry import selections
from dossiercheck.schemas.tidy import FIXED_COLUMNS

PERIOD_KIND_NL = {"MM": "maand", "KW": "kwartaal", "HJ": "halfjaar", "JJ": "jaar"}


@dataclass
class MetricResult:
    value: float
    period: str
    periods_used: list[str]  # every period code the figure depends on
    inputs: dict[str, float] = field(default_factory=dict)  # the cells it was computed from, by role
    origin: str = "computed"  # "published": the table's own figure (spec 'published'); else recomputed


@dataclass
class Series:
    """One selection as a series: values and period status by period code, in period order."""

    values: pd.Series
    status: pd.Series
    start: pd.Series


def _dims(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in FIXED_COLUMNS]


def _titles(titles: dict[str, Any] | None, codes) -> str:
    codes = sorted(codes)
    listed = [f"{c} ({titles[c]})" if titles and titles.get(c) else str(c) for c in codes[:25]]
    return ", ".join(listed) + (f" … and {len(codes) - 25} more" if len(codes) > 25 else "")


def select(df: pd.DataFrame, measure: str, filters: dict[str, str], kind: str | None, meta=None) -> Series:
    """One measure, filtered on dimension codes, of one period kind. Raises ``ClaimError`` listing the
    codes the table does have (with titles, where the metadata has them) when a code is absent."""
    meta = meta or {}
    # membership as a vectorised comparison: set() over a column walks every row in Python (0.5 s on the
    # RIVM table's 87k rows); the codes are listed only for the error message
    chosen = df["measure"] == measure
    if not chosen.any():
        titles = {k: v.get("title") for k, v in (meta.get("measures") or {}).items()}
        raise ClaimError(
            f"measure {measure!r} is not in the table (it has: {_titles(titles, df['measure'].unique())}).",
            nl="de tabel heeft de gevraagde maat niet (meer); ze kan zijn herzien of anders genummerd",
        )
    rows = df[chosen]
    for dim, code in (filters or {}).items():
        if dim not in rows.columns:
            raise ClaimError(
                f"dimension {dim!r} is not in the table (it has: {', '.join(_dims(df)) or 'none'}).",
                nl="de tabel heeft de gevraagde indeling niet (meer); ze kan zijn herzien",
            )
        chosen = rows[dim] == code
        if not chosen.any():
            titles = (meta.get("codes") or {}).get(dim)
            raise ClaimError(
                f"code {code!r} is not in dimension {dim} (it has: {_titles(titles, rows[dim].unique())}).",
                nl="de tabel heeft de gevraagde categorie niet (meer); ze kan zijn herzien of anders ingedeeld",
            )
        rows = rows[chosen]
    unfiltered = [d for d in _dims(df) if d not in (filters or {}) and rows[d].nunique() > 1]
    if unfiltered:
        raise ClaimError(
            f"measure {measure} has several rows per period: choose a code for {', '.join(unfiltered)} under "
            "'filters' in the claim.",
            nl="het claimregister kiest nog niet welke uitsplitsing van de tabel bedoeld is",
        )
    if kind:
        rows = rows[rows["period_kind"] == kind]
    if rows.empty:
        raise ClaimError(
            f"no rows for measure {measure} with period kind {kind}.",
            nl="de tabel heeft voor deze maat geen cijfers per " + PERIOD_KIND_NL.get(kind or "", "periode"),
        )
    rows = rows.sort_values("period").set_index("period")
    return Series(rows["value"].astype(float), rows["period_status"], rows["period_start"])


def _read(df, spec, meta) -> dict[str, Series]:
    kind = spec.get("period_kind")
    return {role: select(df, s["measure"], s["filters"], kind, meta) for role, s in selections(spec).items()}


PUBLISHED = "published"  # the role of the measure that publishes the figure itself (spec 'published')


def _window(s: pd.Series, spec: dict[str, Any]) -> pd.Series:
    w = s[(s.index >= spec["trough_from"]) & (s.index <= spec["trough_to"])].dropna()
    if w.empty:
        raise ClaimError(
            f"no values between {spec['trough_from']} and {spec['trough_to']}.",
            nl="de tabel heeft geen cijfers voor de periode van het dieptepunt",
        )
    return w


def _slope(values: pd.Series, starts: pd.Series) -> float:
    """Least-squares slope per year. Time is each period's start in years, so a series with gaps (CBS
    counted the homeless in 2009, 2012, 2018, ...) is not read as if its points were a year apart."""
    when = starts.reindex(values.index)
    x = when.dt.year + (when.dt.day_of_year - 1) / 365.25
    return float(np.polyfit(x.to_numpy(dtype=float), values.to_numpy(dtype=float), 1)[0])


# Each metric: (figures per period, reference period or None). Inputs are the selections by role.
Combine = Callable[[dict[str, Series], dict[str, Any]], tuple[pd.Series, str | None]]


def _value(ins, spec):
    return ins["value"].values, None


def _sum(ins, spec):
    frame = pd.concat({r: s.values for r, s in ins.items()}, axis=1)
    return frame.sum(axis=1, min_count=len(ins)).where(frame.notna().all(axis=1)), None


def _ratio(ins, spec):
    den = ins["denominator"].values
    return ins["numerator"].values / den.where(den != 0), None


def _share(ins, spec):
    ratio, _ = _ratio(ins, spec)
    return 100 * ratio, None


def _multiple_of_trough(ins, spec):
    w = _window(ins["value"].values, spec)
    ref = w.idxmin()  # the first of equal minima: a trough repeated later keeps its earliest period
    if w[ref] == 0:
        raise ClaimError(
            f"the trough at {ref} is zero; a multiple of it is undefined.",
            nl="het dieptepunt is nul, dus een veelvoud ervan bestaat niet",
        )
    return ins["value"].values / w[ref], ref


def _multiple_of_peak(ins, spec):
    w = _window(ins["value"].values, spec)
    ref = w.idxmax()
    return ins["value"].values / w[ref], ref


def _change(ins, spec):
    s = ins["value"].values
    ref = spec["from"]
    if ref not in s.index or pd.isna(s[ref]):
        raise ClaimError(
            f"the comparison period {ref} has no value.",
            nl=f"de tabel heeft geen cijfer voor de vergelijkingsperiode {label_nl(ref)}",
        )
    out = 100 * (s / s[ref] - 1) if spec.get("relative") else s - s[ref]
    return (-out if spec.get("decrease") else out), ref


def _year_earlier(period: str) -> str:
    return f"{int(period[:4]) - 1:04d}{period[4:]}"


def _change_on_year_earlier(ins, spec):
    """Each period against the same period a year earlier (2023MM08 against 2022MM08), as CBS reports
    price movements ("x procent hoger dan een jaar eerder")."""
    s = ins["value"].values
    earlier = pd.Series([s.get(_year_earlier(p)) for p in s.index], index=s.index, dtype=float)
    if spec.get("relative", True):
        return 100 * (s / earlier.where(earlier != 0) - 1), None
    return s - earlier, None


def previous_period(period: str) -> str:
    """The period before: 2023MM01 -> 2022MM12, 2023KW01 -> 2022KW04, 2023HJ02 -> 2023HJ01, 2023JJ00 -> 2022JJ00."""
    year, kind, n = int(period[:4]), period[4:6], int(period[6:8])
    count = {"MM": 12, "KW": 4, "HJ": 2}.get(kind)
    if count is None:
        return f"{year - 1:04d}{period[4:]}"
    return f"{year:04d}{kind}{n - 1:02d}" if n > 1 else f"{year - 1:04d}{kind}{count:02d}"


def _change_on_previous_period(ins, spec):
    """Each period against the one before (month on month, quarter on quarter), as CBS reports it
    ("ten opzichte van de voorgaande periode")."""
    s = ins["value"].values
    before = pd.Series([s.get(previous_period(p)) for p in s.index], index=s.index, dtype=float)
    if spec.get("relative", True):
        return 100 * (s / before.where(before != 0) - 1), None
    return s - before, None


def _trend(ins, spec):
    s = ins["value"].values.dropna()
    n = int(spec.get("window", 5))
    starts = ins["value"].start
    slopes = {p: _slope(s.iloc[i - n + 1 : i + 1], starts) for i, p in enumerate(s.index) if i >= n - 1}
    return pd.Series(slopes, dtype=float).reindex(s.index), None


@dataclass(frozen=True)
class Metric:
    kind: str
    description: str
    combine: Combine
    required: tuple[str, ...]


METRICS: dict[str, Metric] = {
    m.kind: m
    for m in (
        Metric("value", "The value of one measure at a period.", _value, ("measure",)),
        Metric(
            "sum",
            "The sum of several measures at a period (e.g. onbenut arbeidspotentieel).",
            _sum,
            ("measures",),
        ),
        Metric(
            "ratio",
            "numerator / denominator at a period (e.g. werkloosheid naar herkomst).",
            _ratio,
            ("numerator", "denominator"),
        ),
        Metric(
            "share",
            "100 × numerator / denominator at a period, in percent.",
            _share,
            ("numerator", "denominator"),
        ),
        Metric(
            "change",
            "The value at a period minus the value at 'from' (relative: in percent).",
            _change,
            ("measure", "from"),
        ),
        Metric(
            "change_on_year_earlier",
            "The change against the same period a year earlier, in percent (relative: false: the difference).",
            _change_on_year_earlier,
            ("measure",),
        ),
        Metric(
            "change_on_previous_period",
            "The change against the period before (month on month, quarter on quarter), in percent.",
            _change_on_previous_period,
            ("measure",),
        ),
        Metric(
            "multiple_of_trough",
            "The value at a period as a multiple of the lowest value in a window (prices vs the 2013 trough).",
            _multiple_of_trough,
            ("measure", "trough_from", "trough_to"),
        ),
        Metric(
            "multiple_of_peak",
            "The value at a period as a multiple of the highest value in a window.",
            _multiple_of_peak,
            ("measure", "trough_from", "trough_to"),
        ),
        Metric(
            "trend",
            "The slope (per year) of a straight line through the last 'window' periods.",
            _trend,
            ("measure",),
        ),
    )
}


def get_metric(kind: str) -> Metric:
    try:
        return METRICS[kind]
    except KeyError:
        raise ClaimError(
            f"metric kind {kind!r} is unknown; use one of: {', '.join(sorted(METRICS))}."
        ) from None


@dataclass
class Computed:
    """A metric evaluated on a table: the figure per period and what each figure rests on."""

    figures: pd.Series
    inputs: dict[str, Series]
    reference: str | None
    spec: dict[str, Any]
    published: pd.Series | None = None  # True where the figure is the table's own (spec 'published')

    def newest_period(self) -> str:
        have = self.figures.dropna()
        if have.empty:
            raise ClaimError(
                "the metric has no value for any period.",
                nl="de tabel heeft voor geen enkele periode een cijfer",
            )
        return str(have.index[-1])

    def latest_published(self, when, lag_days: int) -> str | None:
        """The latest period with a figure that was public on ``when`` (a date): its end plus the source's
        publication lag falls on or before it. What the dossier's authors could have seen."""
        have = [p for p in self.figures.dropna().index if published_by(p, lag_days) <= when]
        return have[-1] if have else None

    def at(self, period: str) -> MetricResult:
        if period not in self.figures.index:
            have = self.figures.dropna().index
            span = f"{have[0]} … {have[-1]}" if len(have) else "no period"
            covers = (
                f" (de reeks loopt van {label_nl(have[0])} tot en met {label_nl(have[-1])})"
                if len(have)
                else ""
            )
            raise ClaimError(
                f"period {period} is not in the series (it covers {span}).",
                nl=f"de tabel heeft geen cijfer voor {label_nl(period)}{covers}",
            )
        value = self.figures[period]
        if pd.isna(value):
            raise ClaimError(
                f"period {period} has no value ({self._why(period)}).",
                nl=f"de tabel heeft voor {label_nl(period)} geen (volledig) cijfer",
            )
        used = [p for p in (self.reference, *self._window_periods(period)) if p]
        inputs = {
            role: float(s.values[period]) for role, s in self.inputs.items() if period in s.values.index
        }
        if self.reference:
            inputs["reference"] = float(next(iter(self.inputs.values())).values[self.reference])
        if self.spec["kind"] == "change_on_year_earlier":
            base = next(iter(self.inputs.values())).values
            inputs["year_earlier"] = float(base.get(_year_earlier(period), float("nan")))
        if self.spec["kind"] == "change_on_previous_period":
            base = next(iter(self.inputs.values())).values
            inputs["previous_period"] = float(base.get(previous_period(period), float("nan")))
        published = self.published is not None and bool(self.published.get(period, False))
        origin = PUBLISHED if published else "computed"
        return MetricResult(float(value), period, list(dict.fromkeys(used)), inputs, origin)

    def _window_periods(self, period: str) -> list[str]:
        if self.published is not None and bool(self.published.get(period, False)):
            return [period]  # the table's own figure for the period: it rests on that period's cell alone
        if self.spec["kind"] == "change_on_year_earlier":
            return [_year_earlier(period), period]
        if self.spec["kind"] == "change_on_previous_period":
            return [previous_period(period), period]
        if self.spec["kind"] != "trend":
            return [period]
        idx = list(self.figures.index)
        n = int(self.spec.get("window", 5))
        i = idx.index(period)
        return idx[max(0, i - n + 1) : i + 1]

    def _why(self, period: str) -> str:
        return (
            "; ".join(
                f"{role}: {'no row' if period not in s.values.index else 'empty cell'}"
                for role, s in self.inputs.items()
                if period not in s.values.index or pd.isna(s.values[period])
            )
            or "too few periods before it"
        )

    def status(self, periods: list[str]) -> dict[str, str]:
        out = {}
        for p in periods:
            for s in self.inputs.values():
                if p in s.status.index:
                    out[p] = str(s.status[p])
        return out

    def display(self) -> pd.DataFrame:
        """The series a chart shows: the figures where they exist (for a trend: the underlying values)."""
        base = next(iter(self.inputs.values()))
        values = base.values if self.spec["kind"] == "trend" else self.figures
        values = values.dropna()
        return pd.DataFrame(
            {
                "period": values.index,
                "period_start": base.start.reindex(values.index).to_numpy(),
                "period_status": [self.status([p]).get(p, "Definitief") for p in values.index],
                "value": values.to_numpy(dtype=float),
            }
        )


def compute(df: pd.DataFrame, spec: dict[str, Any], meta: dict[str, Any] | None = None) -> Computed:
    metric = get_metric(spec["kind"])
    inputs = _read(df, spec, meta)
    own = inputs.pop(PUBLISHED, None)
    figures, reference = metric.combine(inputs, spec)
    published = None
    if own is not None:
        # the table's own figure wherever it has one; the recomputation only where it has none
        mine = own.values.dropna()
        figures = mine.combine_first(figures)
        published = pd.Series(figures.index.isin(mine.index), index=figures.index)
        inputs[PUBLISHED] = own
    return Computed(
        figures.sort_index(), inputs, reference, spec, None if published is None else published.sort_index()
    )

"""The closed vocabulary of metrics a claim may use. Each is a pure function of the tidy table.

A claim names a metric by ``kind``; there is no ``eval`` of anything read from YAML. Every metric
returns the figure for one period, the period codes it used, and a display series for the chart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dossiercheck.errors import ClaimError


@dataclass
class MetricResult:
    value: float
    period: str
    periods_used: list[str]  # every period code the figure depends on
    inputs: dict[str, float] = field(default_factory=dict)  # the cells it was computed from, by role
    reference_period: str | None = None  # a period the figure is relative to (a trough), marked in charts


@dataclass
class Metric:
    kind: str
    description: str
    compute: Callable[[pd.DataFrame, dict[str, Any], str], MetricResult]
    display_series: Callable[[pd.DataFrame, dict[str, Any]], pd.DataFrame]
    required: tuple[str, ...]


def select_series(df: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    """Rows of one measure, filtered on dimension codes, of one period kind, ordered by period.

    Raises ``ClaimError`` listing the codes the table does have when a measure or code is absent.
    """
    measure = spec["measure"]
    if measure not in set(df["measure"]):
        have = ", ".join(sorted(df["measure"].unique())[:20])
        raise ClaimError(f"measure {measure!r} is not in the table (it has: {have}).")
    rows = df[df["measure"] == measure]
    for dim, code in (spec.get("filters") or {}).items():
        if dim not in rows.columns:
            raise ClaimError(f"dimension {dim!r} is not in the table (it has: {_dims(df)}).")
        if code not in set(rows[dim]):
            have = ", ".join(sorted(rows[dim].unique())[:20])
            raise ClaimError(f"code {code!r} is not in dimension {dim} (it has: {have}).")
        rows = rows[rows[dim] == code]
    kind = spec.get("period_kind")
    if kind:
        rows = rows[rows["period_kind"] == kind]
    rows = rows.sort_values("period")
    if rows.empty:
        raise ClaimError(f"no rows for measure {measure} with period kind {kind}.")
    return rows


def _dims(df: pd.DataFrame) -> str:
    from dossiercheck.schemas.tidy import FIXED_COLUMNS

    return ", ".join(c for c in df.columns if c not in FIXED_COLUMNS) or "(none)"


def _value_at(rows: pd.DataFrame, period: str) -> float:
    hit = rows[rows["period"] == period]
    if hit.empty:
        have = f"{rows['period'].iloc[0]} … {rows['period'].iloc[-1]}"
        raise ClaimError(f"period {period} is not in the series (it covers {have}).")
    value = hit["value"].iloc[0]
    if pd.isna(value):
        raise ClaimError(f"period {period} has no value (ValueAttribute {hit['value_attribute'].iloc[0]}).")
    return float(value)


def _trough(rows: pd.DataFrame, spec: dict[str, Any]) -> tuple[str, float]:
    window = rows[(rows["period"] >= spec["trough_from"]) & (rows["period"] <= spec["trough_to"])].dropna(
        subset=["value"]
    )
    if window.empty:
        raise ClaimError(
            f"no values between {spec['trough_from']} and {spec['trough_to']} to find a trough in."
        )
    # idxmin takes the first minimum: a trough repeated later in the window keeps its earliest month.
    row = window.loc[window["value"].idxmin()]
    return str(row["period"]), float(row["value"])


def value_at(df: pd.DataFrame, spec: dict[str, Any], period: str) -> MetricResult:
    rows = select_series(df, spec)
    value = _value_at(rows, period)
    return MetricResult(value, period, [period], {"value": value})


def value_series(df: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    rows = select_series(df, spec).dropna(subset=["value"])
    return rows[["period", "period_start", "period_status", "value"]].reset_index(drop=True)


def multiple_of_trough(df: pd.DataFrame, spec: dict[str, Any], period: str) -> MetricResult:
    """Value at ``period`` divided by the lowest value within [trough_from, trough_to]."""
    rows = select_series(df, spec)
    trough_period, trough = _trough(rows, spec)
    if trough == 0:
        raise ClaimError(f"the trough at {trough_period} is zero; a multiple of it is undefined.")
    value = _value_at(rows, period)
    return MetricResult(
        value / trough, period, [trough_period, period], {"trough": trough, "value": value}, trough_period
    )


def multiple_of_trough_series(df: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    rows = select_series(df, spec)
    _, trough = _trough(rows, spec)
    out = rows.dropna(subset=["value"])[["period", "period_start", "period_status", "value"]].copy()
    out["value"] = out["value"] / trough
    return out.reset_index(drop=True)


METRICS: dict[str, Metric] = {
    m.kind: m
    for m in (
        Metric("value", "The value of one measure at one period.", value_at, value_series, ("measure",)),
        Metric(
            "multiple_of_trough",
            "The value at a period as a multiple of the lowest value in a window (e.g. prices vs the 2013 trough).",
            multiple_of_trough,
            multiple_of_trough_series,
            ("measure", "trough_from", "trough_to"),
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


def newest_period(df: pd.DataFrame, spec: dict[str, Any]) -> str:
    """The latest period (of the spec's period kind) with a value for the selected series."""
    rows = select_series(df, spec).dropna(subset=["value"])
    if rows.empty:
        raise ClaimError(f"measure {spec['measure']} has no values at all.")
    return str(rows["period"].iloc[-1])

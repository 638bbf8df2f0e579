"""The tidy long table every CBS source is turned into: one row per cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from dossiercheck.periods import KINDS, PERIOD_CODE, STATUSES

VALUE_ATTRIBUTES = ("None", "Impossible", "Confidential", "NotAvailable")
FIXED_COLUMNS = (
    "table_id",
    "measure",
    "period",
    "period_kind",
    "period_start",
    "period_status",
    "value",
    "value_attribute",
)


class TidyTable(pa.DataFrameModel):
    """One row per CBS cell. Dimension columns other than the period vary per table (one per dimension,
    named as CBS names the dimension), so the model is not strict; ``dimension_codes_clean`` checks them."""

    table_id: Series[str] = pa.Field(description="CBS table id as published, e.g. 85773NED")
    measure: Series[str] = pa.Field(description="Measure code (v4 MeasureCodes.Identifier), e.g. M001505_2")
    period: Series[str] = pa.Field(str_matches=PERIOD_CODE, description="CBS period code, e.g. 2023MM10")
    period_kind: Series[str] = pa.Field(isin=list(KINDS), description="JJ, KW, MM, HJ, X0 or W")
    period_start: Series[pa.DateTime] = pa.Field(description="First day of the period")
    period_status: Series[str] = pa.Field(
        isin=list(STATUSES), description="Status of the period: Definitief, Voorlopig or NaderVoorlopig"
    )
    value: Series[float] = pa.Field(nullable=True, description="The cell's number; null when CBS gives none")
    value_attribute: Series[str] = pa.Field(
        isin=list(VALUE_ATTRIBUTES), description="CBS cell flag: None, Impossible, Confidential, NotAvailable"
    )

    class Config:
        strict = False  # dimension columns differ per table; see the docstring
        coerce = (
            True  # parquet round trips and JSON nulls give object/float mixes; coerce to the declared types
        )

    @pa.dataframe_check(description="A null value only where CBS says why (ValueAttribute is not None)")
    def null_only_with_reason(cls, df):
        return ~(df["value"].isna() & (df["value_attribute"] == "None"))

    @pa.dataframe_check(description="Dimension codes carry no padding (CBS pads keys with spaces)")
    def dimension_codes_clean(cls, df):
        dims = [c for c in df.columns if c not in FIXED_COLUMNS]
        if not dims:
            return True
        clean = np.ones(len(df), dtype=bool)
        for dim in dims:  # judged once per distinct code, then spread over the rows
            idx, codes = pd.factorize(df[dim], use_na_sentinel=True)
            ok = np.array([str(c) == str(c).strip() for c in codes] + [True], dtype=bool)
            clean &= ok[idx]
        return pd.Series(clean, index=df.index)

    @pa.dataframe_check(description="No duplicate cell: measure, dimension codes and period identify a row")
    def unique_cells(cls, df):
        keys = [c for c in df.columns if c not in FIXED_COLUMNS] + ["measure", "period"]
        return pd.Series(~duplicated_rows([df[k] for k in keys]), index=df.index)


def duplicated_rows(columns: list[pd.Series]) -> np.ndarray:
    """Which rows share their values in all ``columns`` with another row (every copy marked). Each
    column becomes integer codes, the codes one number per row, and equal numbers are found by sorting:
    a fraction of the memory ``DataFrame.duplicated`` takes on a million rows of text."""
    n = len(columns[0]) if columns else 0
    if n == 0:
        return np.zeros(0, dtype=bool)
    combined = np.zeros(n, dtype=np.int64)
    span = 1
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        if span * len(uniques) >= 2**62:  # too many combinations for one number: pandas' own way
            return pd.DataFrame({i: c for i, c in enumerate(columns)}).duplicated(keep=False).to_numpy()
        combined = combined * len(uniques) + codes
        span *= max(len(uniques), 1)
    if (combined[1:] >= combined[:-1]).all():  # in key order already (a tidy table is): copies are adjacent
        return _adjacent_copies(combined)
    order = np.argsort(combined, kind="stable")
    out = np.empty(n, dtype=bool)
    out[order] = _adjacent_copies(combined[order])
    return out


def _adjacent_copies(ranked: np.ndarray) -> np.ndarray:
    same = ranked[1:] == ranked[:-1]
    flagged = np.zeros(len(ranked), dtype=bool)
    flagged[1:] |= same
    flagged[:-1] |= same
    return flagged

"""Claim results: one row per claim and theme, the table behind ``data/processed/claims/<theme>.csv``."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from dossiercheck.periods import PERIOD_CODE
from dossiercheck.status import JUDGEMENTS, STATUSES

# a period code, or empty where nothing could be recomputed
PERIOD_OR_EMPTY = f"^(?:{PERIOD_CODE.removeprefix('^').removesuffix('$')})?$"


class ClaimResult(pa.DataFrameModel):
    claim_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$", description="Claim id")
    theme: Series[str] = pa.Field(description="Theme slug, e.g. 04_wonen")
    source: Series[str] = pa.Field(description="Source key in config/sources.yaml")
    table_id: Series[str] = pa.Field(description="Publisher's table id")
    metric: Series[str] = pa.Field(description="Metric kind from the closed vocabulary")
    measure: Series[str] = pa.Field(description="Measure code the metric reads")
    qualifier: Series[str] = pa.Field(description="Qualifier taken from the dossier's wording")
    wording: Series[str] = pa.Field(nullable=True, description="The dossier's own phrase for the figure")
    dossier_value: Series[float] = pa.Field(
        nullable=True, description="The value the dossier states or implies"
    )
    band_low: Series[float] = pa.Field(
        nullable=True, description="Lowest value the wording admits (empty: unbounded or not judged)"
    )
    band_high: Series[float] = pa.Field(
        nullable=True, description="Highest value the wording admits (empty: unbounded or not judged)"
    )
    band: Series[str] = pa.Field(nullable=True, description="The band in words, in the claim's unit")
    unit: Series[str] = pa.Field(description="Unit of dossier_value and the recomputed values")
    dossier_period: Series[str] = pa.Field(
        str_matches=PERIOD_OR_EMPTY, nullable=True, description="Period the dossier means (empty: not stated)"
    )
    dossier_period_why: Series[str] = pa.Field(
        nullable=True,
        description="Why that period: stated by the dossier, or the newest published by its date",
    )
    dossier_period_value: Series[float] = pa.Field(
        nullable=True, description="Today's figure for the dossier's period"
    )
    dossier_period_judgement: Series[str] = pa.Field(
        isin=list(JUDGEMENTS), nullable=True, description="holds or contradicts (empty: not judged)"
    )
    newest_period: Series[str] = pa.Field(str_matches=PERIOD_OR_EMPTY, description="Newest period with data")
    newest_value: Series[float] = pa.Field(nullable=True, description="Figure for the newest period")
    newest_judgement: Series[str] = pa.Field(
        isin=list(JUDGEMENTS), nullable=True, description="The same judgement for the newest period"
    )
    change_since_dossier: Series[float] = pa.Field(
        nullable=True, description="newest_value minus dossier_period_value"
    )
    status: Series[str] = pa.Field(isin=list(STATUSES), description="Overall status (see status.py)")
    provisional: Series[bool] = pa.Field(description="A Voorlopig/NaderVoorlopig period is involved")
    snapshot_id: Series[str] = pa.Field(description="Raw snapshot the figures come from")
    reason: Series[str] = pa.Field(
        nullable=True, description="Why a claim could not be recomputed or judged, or what changed"
    )
    reason_kind: Series[str] = pa.Field(
        isin=["report", "survey", "model", "opinion", "no_measure"],
        nullable=True,
        description="For a claim no table holds: report, survey, model, opinion or no_measure",
    )
    cross_check_of: Series[str] = pa.Field(
        nullable=True, description="The claim this one checks on another table (not a finding of its own)"
    )
    codes_verified: Series[bool] = pa.Field(
        description="False while the table's codes come from research notes, not yet checked online"
    )
    suggested_wording: Series[str] = pa.Field(
        nullable=True,
        description="For revised, differs_from_source and outdated: the dossier's sentence with the newest figure",
    )

    class Config:
        strict = True  # the CSV is the published contract: no stray columns
        coerce = True
        ordered = True

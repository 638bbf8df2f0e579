"""Figures transcribed by hand from documents (``kind: manual`` in config/sources.yaml)."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from dossiercheck.periods import PERIOD_CODE


class ManualFigure(pa.DataFrameModel):
    id: Series[str] = pa.Field(
        unique=True, str_matches=r"^[a-z0-9_]+$", description="Figure id, used as measure code"
    )
    title: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="What the figure is, in the document's words"
    )
    value: Series[float] = pa.Field(description="The number as printed in the document")
    unit: Series[str] = pa.Field(description="Unit as printed, e.g. '%', 'personen', 'euro per maand'")
    period: Series[str] = pa.Field(
        str_matches=PERIOD_CODE, description="CBS-style period code the figure is about"
    )
    page: Series[str] = pa.Field(str_length={"min_value": 1}, description="Page or section in the document")
    transcribed_by: Series[str] = pa.Field(str_length={"min_value": 1}, description="Who copied the figure")
    transcribed_at: Series[pa.DateTime] = pa.Field(description="When it was copied (YYYY-MM-DD)")

    class Config:
        strict = "filter"  # optional notes may accompany a figure; they are not part of the table
        coerce = True

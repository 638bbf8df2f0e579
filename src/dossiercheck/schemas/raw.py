"""The raw shapes each kind of source delivers, checked before they are turned into the tidy table.

Only the fields the pipeline relies on are declared; CBS sends more (descriptions, indexes, URLs) and
adds fields over time, so these models are not strict. Dimension columns differ per table.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from dossiercheck.periods import PERIOD_CODE
from dossiercheck.schemas.tidy import VALUE_ATTRIBUTES

CBS_STATUSES = ["Definitief", "Voorlopig", "Nader voorlopig", "NaderVoorlopig"]


class V4Observations(pa.DataFrameModel):
    """OData v4 ``Observations`` (and the bulk CSV's Observations.csv, once its decimal commas are read)."""

    Measure: Series[str] = pa.Field(description="Measure code, e.g. M001505_2")
    ValueAttribute: Series[str] = pa.Field(isin=list(VALUE_ATTRIBUTES), description="CBS cell flag")
    Value: Series[float] = pa.Field(nullable=True, description="The cell's number")

    class Config:
        strict = False  # one column per dimension, named as the table names it
        coerce = True


class V4MeasureCodes(pa.DataFrameModel):
    Identifier: Series[str] = pa.Field(unique=True, description="Measure code")
    Title: Series[str] = pa.Field(description="Measure title (Dutch)")
    Unit: Series[str] = pa.Field(nullable=True, description="Unit, e.g. '%', 'x 1 000', '2020=100'")

    class Config:
        strict = False
        coerce = True


class PeriodCodes(pa.DataFrameModel):
    """v4 ``PeriodenCodes`` (``Identifier``) and v3 ``Perioden`` (``Key``), both with their Status."""

    Identifier: Series[str] = pa.Field(unique=True, str_matches=PERIOD_CODE, description="Period code")
    Status: Series[str] = pa.Field(isin=CBS_STATUSES, description="Definitief, Voorlopig or Nader voorlopig")

    class Config:
        strict = False
        coerce = True


class V3DataProperties(pa.DataFrameModel):
    Key: Series[str] = pa.Field(description="Column key in the data set ('' for a topic group)")
    Type: Series[str] = pa.Field(
        isin=["Dimension", "TimeDimension", "GeoDimension", "GeoDetail", "TopicGroup", "Topic"],
        description="What the column is",
    )

    class Config:
        strict = False
        coerce = True


def v3_dataset_schema(dims: list[str], time_dim: str, topics: list[str], typed: bool) -> pa.DataFrameSchema:
    """A v3 TypedDataSet/UntypedDataSet (wide: one column per topic), built from the table's own
    DataProperties, since every table has its own columns. Codes are checked after their padding is
    stripped; typed topics are numbers, untyped ones text (numbers or CBS symbols)."""
    columns = {dim: pa.Column(str, nullable=False, description=f"code of dimension {dim}") for dim in dims}
    columns[time_dim] = pa.Column(str, pa.Check.str_matches(PERIOD_CODE), description="period code")
    for topic in topics:
        columns[topic] = pa.Column(
            float if typed else str, nullable=True, coerce=typed, description=f"topic {topic}"
        )
    return pa.DataFrameSchema(columns, strict=False, name="V3DataSet")  # ID and other topics may follow

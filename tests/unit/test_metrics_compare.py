"""Metrics and judgements on frames made by hand; every expected number is worked out in a comment."""

import pandas as pd
import pytest

from dossiercheck.compare import judge
from dossiercheck.errors import ClaimError
from dossiercheck.metrics import multiple_of_trough, multiple_of_trough_series, newest_period, value_at
from dossiercheck.periods import add_period_columns
from dossiercheck.status import overall_status

QUALIFIERS = {
    "bijna": {"low": 0.9, "high": 1.0, "high_inclusive": False},
    "exact": {"low": 1.0, "high": 1.0},
    "meer_dan": {"low": 1.0, "high": None, "low_inclusive": False},
}


def frame(rows):
    df = pd.DataFrame(rows, columns=["measure", "period", "value", "value_attribute"])
    df["table_id"] = "T"
    df["period_status"] = "Definitief"
    return add_period_columns(df)


@pytest.fixture
def prices():
    return frame(
        [
            ("M1", "2012MM12", 9.0, "None"),  # lower, but outside the 2013 window
            ("M1", "2013MM01", 10.0, "None"),
            ("M1", "2013MM02", 8.0, "None"),  # the 2013 trough
            ("M1", "2013MM03", 8.0, "None"),  # same value later: the first month stays the trough
            ("M1", "2023MM10", 15.0, "None"),
            ("M1", "2023MM11", None, "Impossible"),  # no value: not the newest period
            ("M1", "2013JJ00", 7.0, "None"),  # a year: other period kind, ignored for MM
            ("M2", "2023MM10", 99.0, "None"),
        ]
    )


SPEC = {"measure": "M1", "period_kind": "MM", "trough_from": "2013MM01", "trough_to": "2013MM12"}


def test_multiple_of_trough(prices):
    r = multiple_of_trough(prices, SPEC, "2023MM10")
    assert r.value == pytest.approx(15.0 / 8.0)  # 1.875
    assert r.periods_used == ["2013MM02", "2023MM10"]
    assert r.inputs == {"trough": 8.0, "value": 15.0}


def test_newest_period_skips_cells_without_value(prices):
    assert newest_period(prices, SPEC) == "2023MM10"


def test_value_at_and_series(prices):
    assert value_at(prices, {"measure": "M2"}, "2023MM10").value == 99.0
    series = multiple_of_trough_series(prices, SPEC)
    # 2012MM12, 2013MM01..03, 2023MM10 have values: 9/8, 10/8, 8/8, 8/8, 15/8
    assert list(series["value"]) == pytest.approx([1.125, 1.25, 1.0, 1.0, 1.875])


def test_missing_measure_lists_what_the_table_has(prices):
    with pytest.raises(ClaimError, match=r"measure 'M9' is not in the table \(it has: M1, M2\)"):
        value_at(prices, {"measure": "M9"}, "2023MM10")


def test_missing_period_and_empty_cell(prices):
    with pytest.raises(ClaimError, match="period 2030MM01 is not in the series"):
        value_at(prices, {"measure": "M1", "period_kind": "MM"}, "2030MM01")
    with pytest.raises(ClaimError, match="has no value \\(ValueAttribute Impossible\\)"):
        value_at(prices, {"measure": "M1"}, "2023MM11")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.95, "holds"),  # 1.8 <= 1.95 < 2.0
        (1.80, "holds"),  # the lower edge is inside
        (2.00, "holds_within_rounding"),  # "bijna" excludes 2.0 itself; within 0.05 rounding
        (2.049, "holds_within_rounding"),
        (1.76, "holds_within_rounding"),  # 1.8 - 0.05 = 1.75 <= 1.76
        (2.36, "contradicts"),
        (1.70, "contradicts"),
    ],
)
def test_bijna_verdubbeld(value, expected):
    assert judge(value, 2.0, "bijna", 0.05, QUALIFIERS) == expected


def test_exact_and_open_bands():
    assert judge(26.6, 26.6, "exact", 0.05, QUALIFIERS) == "holds"
    assert judge(26.64, 26.6, "exact", 0.05, QUALIFIERS) == "holds_within_rounding"
    assert judge(26.7, 26.6, "exact", 0.05, QUALIFIERS) == "contradicts"
    assert judge(1e9, 1.0, "meer_dan", 0, QUALIFIERS) == "holds"
    assert judge(1.0, 1.0, "meer_dan", 0, QUALIFIERS) == "contradicts"


@pytest.mark.parametrize(
    ("dossier", "newest", "newer", "status"),
    [
        ("holds", "contradicts", True, "outdated"),
        ("holds", "holds", True, "newer_data_confirms"),
        ("holds", "holds", False, "holds"),
        ("holds_within_rounding", "holds_within_rounding", False, "holds_within_rounding"),
        ("contradicts", "holds", True, "revised"),
    ],
)
def test_overall_status(dossier, newest, newer, status):
    assert overall_status(dossier, newest, newer) == status

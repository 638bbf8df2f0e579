"""metrics.py at its edges: exact figures, windows, period arithmetic and the messages a user reads.

Every frame is made by hand and every expected value is worked out in a comment.
"""

import math
from datetime import date

import pandas as pd
import pytest

from dossiercheck.errors import ClaimError
from dossiercheck.metrics import Computed, Series, compute, previous_period, select
from dossiercheck.periods import add_period_columns


def frame(rows, dims=None):
    """Rows (measure, period, value, *dimension codes) as the tidy long table, every period Definitief."""
    dims = list(dims or [])
    df = pd.DataFrame(rows, columns=["measure", "period", "value", *dims])
    df["value_attribute"] = "None"
    df["table_id"] = "T"
    df["period_status"] = "Definitief"
    return add_period_columns(df)


def message(excinfo) -> str:
    return str(excinfo.value)


# --- select: what the table has, what a claim must choose -------------------------------------------


def test_missing_measure_lists_exactly_25_codes_without_a_tail():
    codes = [f"M{i:02d}" for i in range(1, 26)]  # 25 measures: all listed, no "… and N more"
    df = frame([(c, "2020JJ00", 1.0) for c in codes])
    with pytest.raises(ClaimError) as e:
        compute(df, {"kind": "value", "measure": "X"})
    assert message(e) == "measure 'X' is not in the table (it has: " + ", ".join(codes) + ")."


def test_missing_measure_lists_25_of_26_codes_and_counts_the_rest():
    codes = [f"M{i:02d}" for i in range(1, 27)]  # 26 measures: the first 25, then 26 - 25 = 1 more
    df = frame([(c, "2020JJ00", 1.0) for c in codes])
    with pytest.raises(ClaimError) as e:
        compute(df, {"kind": "value", "measure": "X"})
    assert message(e) == (
        "measure 'X' is not in the table (it has: " + ", ".join(codes[:25]) + " … and 1 more)."
    )


def test_missing_dimension_in_a_table_without_dimensions_says_none():
    df = frame([("M1", "2020JJ00", 1.0)])
    with pytest.raises(ClaimError) as e:
        compute(df, {"kind": "value", "measure": "M1", "filters": {"Geslacht": "M"}})
    assert message(e) == "dimension 'Geslacht' is not in the table (it has: none)."


def test_missing_dimension_lists_the_dimensions_in_column_order():
    df = frame([("M1", "2020JJ00", 1.0, "A", "NL")], dims=["Correctie", "Regio"])
    with pytest.raises(ClaimError) as e:
        compute(df, {"kind": "value", "measure": "M1", "filters": {"Geslacht": "M"}})
    assert message(e) == "dimension 'Geslacht' is not in the table (it has: Correctie, Regio)."


def test_a_dimension_with_one_code_needs_no_filter():
    # Regio has only NL: one row per period, nothing to choose
    df = frame([("M1", "2020JJ00", 7.0, "NL"), ("M1", "2021JJ00", 8.0, "NL")], dims=["Regio"])
    r = compute(df, {"kind": "value", "measure": "M1"}).at("2021JJ00")
    assert (r.value, r.periods_used, r.inputs, r.origin) == (8.0, ["2021JJ00"], {"value": 8.0}, "computed")


def test_select_without_filters_reads_a_one_code_dimension():
    df = frame([("M1", "2020JJ00", 7.0, "NL"), ("M1", "2021JJ00", 8.0, "NL")], dims=["Regio"])
    s = select(df, "M1", None, "JJ")
    assert list(s.values.index) == ["2020JJ00", "2021JJ00"]
    assert list(s.values) == [7.0, 8.0]
    assert list(s.status) == ["Definitief", "Definitief"]


def test_select_without_filters_still_asks_to_choose_a_code():
    df = frame([("M1", "2020JJ00", 7.0, "NL"), ("M1", "2020JJ00", 3.0, "GM0363")], dims=["Regio"])
    with pytest.raises(ClaimError) as e:
        select(df, "M1", None, "JJ")
    assert message(e) == (
        "measure M1 has several rows per period: choose a code for Regio under 'filters' in the claim."
    )


def test_several_rows_per_period_names_every_dimension_to_choose():
    df = frame(
        [
            ("M1", "2020JJ00", 1.0, "A", "NL"),
            ("M1", "2020JJ00", 2.0, "N", "NL"),
            ("M1", "2020JJ00", 3.0, "A", "GM0363"),
            ("M1", "2020JJ00", 4.0, "N", "GM0363"),
        ],
        dims=["Correctie", "Regio"],
    )
    with pytest.raises(ClaimError) as e:
        compute(df, {"kind": "value", "measure": "M1"})
    assert message(e) == (
        "measure M1 has several rows per period: choose a code for Correctie, Regio under "
        "'filters' in the claim."
    )


# --- troughs and peaks ---------------------------------------------------------------------------------


def test_trough_window_without_values_names_the_window():
    df = frame([("M1", "2013MM01", 10.0), ("M1", "2023MM10", 15.0)])
    spec = {
        "kind": "multiple_of_trough",
        "measure": "M1",
        "period_kind": "MM",
        "trough_from": "2015MM01",
        "trough_to": "2015MM12",
    }
    with pytest.raises(ClaimError) as e:
        compute(df, spec)
    assert message(e) == "no values between 2015MM01 and 2015MM12."


def trough_spec():
    return {
        "kind": "multiple_of_trough",
        "measure": "M1",
        "period_kind": "MM",
        "trough_from": "2013MM01",
        "trough_to": "2013MM12",
    }


def test_a_trough_of_one_is_a_valid_divisor():
    df = frame([("M1", "2013MM01", 2.0), ("M1", "2013MM02", 1.0), ("M1", "2023MM10", 3.0)])
    r = compute(df, trough_spec()).at("2023MM10")
    assert r.value == 3.0  # 3 / 1 (the trough at 2013MM02)
    assert r.periods_used == ["2013MM02", "2023MM10"]
    assert r.inputs == {"value": 3.0, "reference": 1.0}


def test_a_trough_of_zero_is_refused_with_its_period():
    df = frame([("M1", "2013MM01", 2.0), ("M1", "2013MM02", 0.0), ("M1", "2023MM10", 3.0)])
    with pytest.raises(ClaimError) as e:
        compute(df, trough_spec())
    assert message(e) == "the trough at 2013MM02 is zero; a multiple of it is undefined."


# --- ratio and share -------------------------------------------------------------------------------------


RATIO = {"kind": "ratio", "numerator": {"measure": "N"}, "denominator": {"measure": "D"}}


def test_ratio_with_a_denominator_of_one_and_of_zero():
    df = frame(
        [
            ("N", "2020JJ00", 7.0),
            ("D", "2020JJ00", 1.0),  # 7 / 1 = 7.0
            ("N", "2021JJ00", 5.0),
            ("D", "2021JJ00", 0.0),  # 5 / 0: no figure, not infinity
        ]
    )
    c = compute(df, RATIO)
    assert c.at("2020JJ00").value == 7.0
    assert c.at("2020JJ00").inputs == {"numerator": 7.0, "denominator": 1.0}
    with pytest.raises(ClaimError, match="^period 2021JJ00 has no value "):
        c.at("2021JJ00")


def test_why_names_every_role_that_lacks_the_period():
    df = frame(
        [
            ("N", "2020JJ00", 1.0),
            ("D", "2020JJ00", 2.0),
            ("N", "2021JJ00", None),  # an empty cell; D has no 2021 row at all
        ]
    )
    c = compute(df, RATIO)
    assert c.at("2020JJ00").value == 0.5  # 1 / 2
    with pytest.raises(ClaimError) as e:
        c.at("2021JJ00")
    assert message(e) == "period 2021JJ00 has no value (numerator: empty cell; denominator: no row)."


# --- trends: the slope per year over a window ---------------------------------------------------------


def test_slope_measures_time_in_years_from_each_period_start():
    df = frame(
        [
            ("M1", "2020HJ02", 50.0),  # outside the window of 2: makes the series longer than the window
            ("M1", "2021HJ01", 100.0),  # starts 1 January 2021: day 1, x = 2021 + 0 / 365.25
            (
                "M1",
                "2021HJ02",
                281.0,
            ),  # starts 1 July 2021: day 31+28+31+30+31+30+1 = 182, x = 2021 + 181 / 365.25
        ]
    )
    c = compute(df, {"kind": "trend", "measure": "M1", "period_kind": "HJ", "window": 2})
    r = c.at("2021HJ02")
    # (281 - 100) / (181 / 365.25) = 365.25 a year
    assert r.value == pytest.approx(365.25)
    assert r.periods_used == ["2021HJ01", "2021HJ02"]


SQUARES = [("M1", f"{2019 + i}JJ00", float(i * i)) for i in range(5)]  # 2019..2023: 0, 1, 4, 9, 16


def test_trend_window_of_two_on_a_curve():
    c = compute(frame(SQUARES), {"kind": "trend", "measure": "M1", "window": 2})
    # two points a year apart: the slope is their difference
    assert c.at("2020JJ00").value == pytest.approx(1.0)  # 1 - 0
    assert c.at("2021JJ00").value == pytest.approx(3.0)  # 4 - 1
    assert c.at("2022JJ00").value == pytest.approx(5.0)  # 9 - 4
    assert c.at("2023JJ00").value == pytest.approx(7.0)  # 16 - 9
    assert c.at("2022JJ00").periods_used == ["2021JJ00", "2022JJ00"]
    with pytest.raises(ClaimError) as e:
        c.at("2019JJ00")
    assert message(e) == "period 2019JJ00 has no value (too few periods before it)."


def test_trend_window_of_three_on_a_curve():
    c = compute(frame(SQUARES), {"kind": "trend", "measure": "M1", "window": 3})
    # three points at x = -1, 0, 1: slope = (y3 - y1) / 2
    assert c.at("2021JJ00").value == pytest.approx(2.0)  # (4 - 0) / 2
    assert c.at("2022JJ00").value == pytest.approx(4.0)  # (9 - 1) / 2
    assert c.at("2023JJ00").value == pytest.approx(6.0)  # (16 - 4) / 2
    assert c.at("2022JJ00").periods_used == ["2020JJ00", "2021JJ00", "2022JJ00"]
    assert c.at("2023JJ00").periods_used == ["2021JJ00", "2022JJ00", "2023JJ00"]


def test_trend_window_defaults_to_five_periods():
    rows = [("M1", f"{2018 + i}JJ00", 10.0 + 2 * i) for i in range(6)]  # 2018..2023: 10, 12, ..., 20
    c = compute(frame(rows), {"kind": "trend", "measure": "M1"})
    r = c.at("2023JJ00")
    assert r.value == pytest.approx(2.0)  # a straight line, +2 a year
    assert r.periods_used == ["2019JJ00", "2020JJ00", "2021JJ00", "2022JJ00", "2023JJ00"]
    assert c.at("2022JJ00").periods_used == ["2018JJ00", "2019JJ00", "2020JJ00", "2021JJ00", "2022JJ00"]
    with pytest.raises(ClaimError, match="too few periods before it"):
        c.at("2021JJ00")  # the 4th period: fewer than 5


def test_trend_needs_exactly_the_default_window_of_five():
    rows = [("M1", f"{2019 + i}JJ00", 10.0 + 2 * i) for i in range(5)]  # 2019..2023: five periods
    c = compute(frame(rows), {"kind": "trend", "measure": "M1"})
    assert c.newest_period() == "2023JJ00"
    assert c.at("2023JJ00").value == pytest.approx(2.0)


def test_trend_with_too_few_periods_is_a_float_series_without_values():
    c = compute(frame(SQUARES[:2]), {"kind": "trend", "measure": "M1", "window": 3})
    assert c.figures.dtype == float
    assert c.figures.isna().all()
    with pytest.raises(ClaimError) as e:
        c.newest_period()
    assert message(e) == "the metric has no value for any period."


def test_trend_display_shows_the_underlying_values():
    c = compute(frame(SQUARES), {"kind": "trend", "measure": "M1", "window": 2})
    shown = c.display()
    assert list(shown["period"]) == ["2019JJ00", "2020JJ00", "2021JJ00", "2022JJ00", "2023JJ00"]
    assert list(shown["value"]) == [0.0, 1.0, 4.0, 9.0, 16.0]  # the values, not the slopes 1, 3, 5, 7
    assert list(shown["period_status"]) == ["Definitief"] * 5


# --- changes on a year and on a period earlier ----------------------------------------------------------


def test_previous_period_of_two_digit_months():
    assert previous_period("2023MM12") == "2023MM11"
    assert previous_period("2023MM11") == "2023MM10"
    assert previous_period("2023MM10") == "2023MM09"
    assert previous_period("2023MM01") == "2022MM12"


def test_change_on_year_earlier_against_one_and_against_zero():
    df = frame(
        [
            ("M1", "2022MM01", 1.0),
            ("M1", "2022MM02", 0.0),
            ("M1", "2023MM01", 2.0),  # 100 * (2 / 1 - 1) = 100.0
            ("M1", "2023MM02", 5.0),  # against 0: no figure
        ]
    )
    c = compute(df, {"kind": "change_on_year_earlier", "measure": "M1", "period_kind": "MM"})
    r = c.at("2023MM01")
    assert r.value == pytest.approx(100.0)
    assert r.periods_used == ["2022MM01", "2023MM01"]
    assert r.inputs == {"value": 2.0, "year_earlier": 1.0}
    with pytest.raises(ClaimError, match="^period 2023MM02 has no value "):
        c.at("2023MM02")


def test_change_on_previous_period_against_one_and_against_zero():
    df = frame(
        [
            ("M1", "2023KW01", 1.0),
            ("M1", "2023KW02", 3.0),  # 100 * (3 / 1 - 1) = 200.0
            ("M1", "2023KW03", 0.0),
            ("M1", "2023KW04", 4.0),  # against 0: no figure
        ]
    )
    c = compute(df, {"kind": "change_on_previous_period", "measure": "M1", "period_kind": "KW"})
    r = c.at("2023KW02")
    assert r.value == pytest.approx(200.0)
    assert r.periods_used == ["2023KW01", "2023KW02"]
    assert r.inputs == {"value": 3.0, "previous_period": 1.0}
    with pytest.raises(ClaimError, match="^period 2023KW04 has no value "):
        c.at("2023KW04")


@pytest.mark.parametrize("relative", [True, False])
@pytest.mark.parametrize("kind", ["change_on_year_earlier", "change_on_previous_period"])
def test_change_without_any_earlier_period_is_a_float_series_without_values(kind, relative):
    # one year of one quarter: neither a year nor a quarter earlier is in the table
    df = frame([("M1", "2023KW03", 5.0)])
    c = compute(df, {"kind": kind, "measure": "M1", "period_kind": "KW", "relative": relative})
    assert c.figures.dtype == float
    assert list(c.figures.index) == ["2023KW03"]
    assert c.figures.isna().all()


@pytest.mark.parametrize(
    ("kind", "role"),
    [("change_on_year_earlier", "year_earlier"), ("change_on_previous_period", "previous_period")],
)
def test_published_figure_without_the_earlier_cell(kind, role):
    # PCT publishes 4.2 for 2023MM01; IDX has no 2022MM01 nor 2022MM12, so no recomputation is possible
    df = frame([("IDX", "2023MM01", 110.0), ("PCT", "2023MM01", 4.2)])
    spec = {"kind": kind, "measure": "IDX", "published": "PCT", "period_kind": "MM"}
    r = compute(df, spec).at("2023MM01")
    assert (r.value, r.origin, r.periods_used) == (4.2, "published", ["2023MM01"])
    assert r.inputs["value"] == 110.0
    assert r.inputs["published"] == 4.2
    assert math.isnan(r.inputs[role])
    assert set(r.inputs) == {"value", "published", role}


# --- the latest period public on a date ----------------------------------------------------------------


def test_latest_published_is_none_before_anything_was_public():
    df = frame([("M1", "2023MM09", 1.0), ("M1", "2023MM10", 2.0)])
    c = compute(df, {"kind": "value", "measure": "M1", "period_kind": "MM"})
    # 2023MM09 ends 30 September; + 30 days = 30 October 2023; 2023MM10: 31 October + 30 = 30 November
    assert c.latest_published(date(2023, 10, 29), 30) is None
    assert c.latest_published(date(2023, 10, 30), 30) == "2023MM09"
    assert c.latest_published(date(2023, 11, 29), 30) == "2023MM09"
    assert c.latest_published(date(2023, 11, 30), 30) == "2023MM10"


# --- a Computed made by hand: the fallbacks for what compute() itself always fills -------------------------


def hand_computed(published=None, kind="value"):
    idx = ["2023MM01", "2023MM02"]
    values = pd.Series([1.0, 2.0], index=idx)
    status = pd.Series(["Definitief", "Voorlopig"], index=idx)
    start = pd.Series(pd.to_datetime(["2023-01-01", "2023-02-01"]), index=idx)
    figures = pd.Series([10, 20, 30], index=[*idx, "2023MM03"])  # integers; 2023MM03 in no input
    return Computed(figures, {"value": Series(values, status, start)}, None, {"kind": kind}, published)


def test_display_of_a_period_no_input_has_is_definitief_and_values_are_floats():
    shown = hand_computed().display()
    assert list(shown["period"]) == ["2023MM01", "2023MM02", "2023MM03"]
    assert list(shown["period_status"]) == ["Definitief", "Voorlopig", "Definitief"]
    assert shown["value"].dtype == float
    assert list(shown["value"]) == [10.0, 20.0, 30.0]


def test_a_period_missing_from_published_is_computed():
    published = pd.Series([True], index=["2023MM02"])
    c = hand_computed(published, kind="change_on_previous_period")
    r = c.at("2023MM01")  # not in 'published': the recomputed figure, resting on the month before too
    assert (r.value, r.origin, r.periods_used) == (10.0, "computed", ["2022MM12", "2023MM01"])
    r = c.at("2023MM02")  # published: the table's own cell alone
    assert (r.value, r.origin, r.periods_used) == (20.0, "published", ["2023MM02"])

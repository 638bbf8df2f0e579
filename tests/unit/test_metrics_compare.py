"""Metrics on frames made by hand; every expected number is worked out in a comment."""

import pandas as pd
import pytest

from dossiercheck.errors import ClaimError
from dossiercheck.metrics import compute
from dossiercheck.periods import add_period_columns


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


SPEC = {
    "kind": "multiple_of_trough",
    "measure": "M1",
    "period_kind": "MM",
    "trough_from": "2013MM01",
    "trough_to": "2013MM12",
}


def test_multiple_of_trough(prices):
    r = compute(prices, SPEC).at("2023MM10")
    assert r.value == pytest.approx(15.0 / 8.0)  # 1.875
    assert r.periods_used == ["2013MM02", "2023MM10"]
    assert r.inputs == {"value": 15.0, "reference": 8.0}


def test_newest_period_skips_cells_without_value(prices):
    assert compute(prices, SPEC).newest_period() == "2023MM10"


def test_value_and_display_series(prices):
    assert compute(prices, {"kind": "value", "measure": "M2"}).at("2023MM10").value == 99.0
    series = compute(prices, SPEC).display()
    # 2012MM12, 2013MM01..03, 2023MM10 have values: 9/8, 10/8, 8/8, 8/8, 15/8
    assert list(series["value"]) == pytest.approx([1.125, 1.25, 1.0, 1.0, 1.875])


def test_missing_measure_lists_what_the_table_has(prices):
    meta = {"measures": {"M1": {"title": "Prijsindex"}, "M2": {"title": "Aantal"}}}
    with pytest.raises(
        ClaimError, match=r"measure 'M9' is not in the table \(it has: M1 \(Prijsindex\), M2 \(Aantal\)\)"
    ):
        compute(prices, {"kind": "value", "measure": "M9"}, meta)


def test_missing_period_and_empty_cell(prices):
    with pytest.raises(ClaimError, match="period 2030MM01 is not in the series"):
        compute(prices, {"kind": "value", "measure": "M1", "period_kind": "MM"}).at("2030MM01")
    with pytest.raises(ClaimError, match="has no value"):
        compute(prices, {"kind": "value", "measure": "M1", "period_kind": "MM"}).at("2023MM11")


@pytest.fixture
def labour():
    """Four measures over three years, one dimension with two codes (A = adjusted, N = not adjusted)."""
    rows = []
    for year, (w, b, g, m, pop) in {
        "2020JJ00": (400, 300, 100, 250, 1000),
        "2021JJ00": (350, 320, 90, 240, 1010),
        "2022JJ00": (300, 330, 80, 290, 1020),
    }.items():
        for code, factor in (("A", 1.0), ("N", 2.0)):
            for measure, v in (("W", w), ("B", b), ("G", g), ("M", m), ("POP", pop)):
                rows.append(("T", measure, code, year, v * factor))
    df = pd.DataFrame(rows, columns=["table_id", "measure", "Correctie", "period", "value"])
    df["value_attribute"], df["period_status"] = "None", "Definitief"
    df.loc[df.period == "2022JJ00", "period_status"] = "Voorlopig"
    return add_period_columns(df)


def test_sum_ratio_share_change_trend(labour):
    f = {"Correctie": "A"}
    s = compute(labour, {"kind": "sum", "measures": ["W", "B", "G", "M"], "filters": f})
    assert s.at("2022JJ00").value == 300 + 330 + 80 + 290  # 1000
    assert s.status(["2022JJ00"]) == {"2022JJ00": "Voorlopig"}
    r = compute(
        labour,
        {"kind": "ratio", "numerator": {"measure": "W"}, "denominator": {"measure": "G"}, "filters": f},
    )
    assert r.at("2020JJ00").value == 4.0  # 400 / 100
    sh = compute(
        labour,
        {"kind": "share", "numerator": {"measure": "W"}, "denominator": {"measure": "POP"}, "filters": f},
    )
    assert sh.at("2021JJ00").value == pytest.approx(100 * 350 / 1010)
    c = compute(labour, {"kind": "change", "measure": "W", "from": "2020JJ00", "filters": f})
    assert c.at("2022JJ00").value == -100  # 300 - 400
    assert c.at("2022JJ00").periods_used == ["2020JJ00", "2022JJ00"]
    rel = compute(
        labour, {"kind": "change", "measure": "W", "from": "2020JJ00", "relative": True, "filters": f}
    )
    assert rel.at("2022JJ00").value == pytest.approx(-25.0)
    t = compute(labour, {"kind": "trend", "measure": "W", "window": 3, "filters": f})
    assert t.at("2022JJ00").value == pytest.approx(-50.0)  # 400, 350, 300: a straight line, -50 a year
    assert t.at("2022JJ00").periods_used == ["2020JJ00", "2021JJ00", "2022JJ00"]
    with pytest.raises(ClaimError, match="has no value"):
        t.at("2021JJ00")  # fewer than 3 periods before it


def test_an_unfiltered_dimension_must_be_chosen(labour):
    with pytest.raises(ClaimError, match="choose a code for Correctie"):
        compute(labour, {"kind": "value", "measure": "W"})
    with pytest.raises(ClaimError, match=r"code 'X' is not in dimension Correctie \(it has: A, N\)"):
        compute(labour, {"kind": "value", "measure": "W", "filters": {"Correctie": "X"}})


def test_multiple_of_peak(prices):
    # the 2013 window holds 10, 8, 8: the peak is 10 (2013MM01); October 2023 is 15 / 10
    r = compute(prices, dict(SPEC, kind="multiple_of_peak")).at("2023MM10")
    assert r.value == pytest.approx(1.5) and r.periods_used == ["2013MM01", "2023MM10"]


@pytest.mark.parametrize(
    ("period", "before"),
    [
        ("2024MM01", "2023MM12"), ("2024MM02", "2024MM01"), ("2024KW01", "2023KW04"), ("2024KW03", "2024KW02"),
        ("2024HJ01", "2023HJ02"), ("2024HJ02", "2024HJ01"), ("2024JJ00", "2023JJ00"),
    ],
)  # fmt: skip
def test_the_period_before(period, before):
    from dossiercheck.metrics import previous_period

    assert previous_period(period) == before


def test_what_a_figure_rests_on(labour):
    f = {"Correctie": "A"}
    yoy = compute(
        labour, {"kind": "change_on_year_earlier", "measure": "W", "filters": f, "period_kind": "JJ"}
    )
    r = yoy.at("2022JJ00")
    # 300 against 350 a year earlier: −14,29 %
    assert r.value == pytest.approx(100 * (300 / 350 - 1)) and r.inputs == {
        "value": 300.0,
        "year_earlier": 350.0,
    }
    assert r.periods_used == ["2021JJ00", "2022JJ00"] and r.origin == "computed"
    absolute = compute(
        labour, {"kind": "change_on_year_earlier", "measure": "W", "filters": f, "relative": False}
    )
    assert absolute.at("2022JJ00").value == -50.0  # 300 − 350
    mom = compute(
        labour, {"kind": "change_on_previous_period", "measure": "W", "filters": f, "period_kind": "JJ"}
    )
    assert mom.at("2021JJ00").inputs == {"value": 350.0, "previous_period": 400.0}
    assert mom.at("2021JJ00").value == pytest.approx(-12.5)  # 350 / 400 − 1
    diff = compute(
        labour, {"kind": "change_on_previous_period", "measure": "W", "filters": f, "relative": False}
    )
    assert diff.at("2021JJ00").value == -50.0
    with pytest.raises(ClaimError, match=r"period 2020JJ00 has no value \(too few periods before it\)"):
        mom.at("2020JJ00")  # nothing before 2020
    fall = compute(
        labour, {"kind": "change", "measure": "W", "from": "2020JJ00", "decrease": True, "filters": f}
    )
    assert fall.at("2022JJ00").value == 100  # 400 − 300 as a fall
    with pytest.raises(ClaimError, match="the comparison period 2019JJ00 has no value"):
        compute(labour, {"kind": "change", "measure": "W", "from": "2019JJ00", "filters": f})


def test_why_a_cell_gives_no_figure():
    df = pd.DataFrame(
        [("T", "A", "2021JJ00", 1.0), ("T", "B", "2021JJ00", None), ("T", "A", "2022JJ00", 2.0)],
        columns=["table_id", "measure", "period", "value"],
    )
    df["value_attribute"], df["period_status"] = "None", "Definitief"
    s = compute(add_period_columns(df), {"kind": "sum", "measures": ["A", "B"]})
    with pytest.raises(ClaimError, match=r"period 2021JJ00 has no value \(B: empty cell\)"):
        s.at("2021JJ00")
    with pytest.raises(ClaimError, match=r"period 2022JJ00 has no value \(B: no row\)"):
        s.at("2022JJ00")
    with pytest.raises(ClaimError, match=r"period 2030JJ00 is not in the series \(it covers no period\)"):
        s.at("2030JJ00")  # no period of the sum has a value at all
    with pytest.raises(ClaimError, match="the metric has no value for any period"):
        s.newest_period()


def test_selection_errors_name_what_the_table_has(labour):
    with pytest.raises(ClaimError, match=r"dimension 'Regio' is not in the table \(it has: Correctie\)"):
        compute(labour, {"kind": "value", "measure": "W", "filters": {"Regio": "NL01"}})
    meta = {"codes": {"Correctie": {"A": "Gecorrigeerd", "N": "Niet gecorrigeerd"}}}
    with pytest.raises(ClaimError, match=r"it has: A \(Gecorrigeerd\), N \(Niet gecorrigeerd\)"):
        compute(labour, {"kind": "value", "measure": "W", "filters": {"Correctie": "X"}}, meta)
    with pytest.raises(ClaimError, match="no rows for measure W with period kind MM"):
        compute(labour, {"kind": "value", "measure": "W", "filters": {"Correctie": "A"}, "period_kind": "MM"})
    with pytest.raises(
        ClaimError, match="metric kind 'median' is unknown; use one of: change, change_on_previous_period"
    ):
        compute(labour, {"kind": "median", "measure": "W"})


def test_a_long_code_list_is_cut_after_25():
    from dossiercheck.metrics import _titles

    codes = [f"C{i:02d}" for i in range(30)]
    assert _titles({"C00": "Nul"}, codes) == "C00 (Nul), " + ", ".join(codes[1:25]) + " … and 5 more"

"""Charts an editor cannot misread, checked from the SVG they are: whose figure each label names, no solid
line across years without data, a comparison against its line at 1, no label on a line, marker or other
label, text legible on a phone, and the overview's "binnen / hoger / lager" in each figure's own unit.

The SVG is read back by tests/helpers/svgcheck.py (text boxes from the SVG's positions and the font's
metrics, checked against Chromium's layout within 0,75 units), not by the code that placed the labels.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from helpers import svgcheck

from dossiercheck import figures
from dossiercheck.figures import band_position, band_relation, claim_chart, gaps, overview_chart, short_value


def month_series(points: dict[str, float], provisional: int = 0) -> list[dict]:
    """A monthly series through the given months ('2013-06': 1.0), straight between them; the last
    ``provisional`` months provisional."""
    keys = sorted(points)
    out = []
    for a, b in zip(keys, keys[1:], strict=False):
        (ya, ma), (yb, mb) = (map(int, a.split("-")), map(int, b.split("-")))
        n = (yb - ya) * 12 + mb - ma
        for k in range(n):
            y, m = divmod(ya * 12 + ma - 1 + k, 12)
            out.append(
                (f"{y}MM{m + 1:02d}", f"{y}-{m + 1:02d}-01", points[a] + (points[b] - points[a]) * k / n)
            )
    y, m = map(int, keys[-1].split("-"))
    out.append((f"{y}MM{m:02d}", f"{y}-{m:02d}-01", points[keys[-1]]))
    return [
        {
            "period": p,
            "start": s,
            "value": v,
            "status": "Voorlopig" if i >= len(out) - provisional else "Definitief",
        }
        for i, (p, s, v) in enumerate(out)
    ]


def trough_result() -> dict:
    """House prices as a multiple of their trough: 1,10 in January 2012, down to 1,00 in June 2013 (the
    trough), 1,95 in October 2023 (the dossier's month), 2,36 in May 2026 (the newest, provisional like the
    month before). The dossier says "bijna verdubbeld": 1,90 up to 2,00."""
    return {
        "id": "t_trough",
        "title": "Prijzen van koopwoningen",
        "series_label": "Prijzen van koopwoningen sinds het dieptepunt van 2013",
        "unit": "keer het dieptepunt van 2013",
        "wording": "Bijna verdubbeld",
        "qualifier": "bijna",
        "dossier_value": 2.0,
        "status": "outdated",
        "band": {
            "low": 1.9,
            "high": 2.0,
            "low_inclusive": True,
            "high_inclusive": False,
            "text": "minstens 1,90 en minder dan 2,00 keer het dieptepunt van 2013",
        },  # fmt: skip
        "provenance": {"publisher": "CBS", "metric": {"kind": "multiple_of_trough"}},
        "reference": {"period": "2013MM06", "label": "juni 2013"},
        "dossier": {"period": "2023MM10", "label": "oktober 2023", "value": 1.95},
        "newest": {"period": "2026MM05", "label": "mei 2026", "value": 2.36},
        "series": month_series(
            {"2012-01": 1.10, "2013-06": 1.0, "2023-10": 1.95, "2026-05": 2.36}, provisional=2
        ),
    }


def yearly(points: dict[int, float]) -> list[dict]:
    return [
        {"period": f"{y}JJ00", "start": f"{y}-01-01", "value": v, "status": "Definitief"}
        for y, v in points.items()
    ]


def gappy_result() -> dict:
    """Loneliness measured in 2012 (39,6%) and 2020 (47,0%) only; the dossier's "39 procent" for 2012."""
    return {
        "id": "t_gappy",
        "title": "Eenzaamheid in 2012",
        "series_label": "Eenzaam, volwassenen (18 jaar en ouder)",
        "unit": "% van de volwassenen",
        "wording": "39 procent",
        "dossier_value": 39.0,
        "status": "rounding",
        "band": {
            "low": 38.5,
            "high": 39.5,
            "low_inclusive": True,
            "high_inclusive": False,
            "text": "minstens 38,5% en minder dan 39,5% van de volwassenen",
        },  # fmt: skip
        "provenance": {"publisher": "RIVM/CBS (Gezondheidsmonitor)", "metric": {"kind": "value"}},
        "reference": None,
        "dossier": {"period": "2012JJ00", "label": "2012", "value": 39.6},
        "newest": {"period": "2020JJ00", "label": "2020", "value": 47.0},
        "series": yearly({2012: 39.6, 2020: 47.0}),
    }


def ratio_result() -> dict:
    """Older people 1,19 times as often lonely as younger adults in 2012; the dossier: "vaker eenzaam"."""
    return {
        "id": "t_ratio",
        "title": "Ouderen vaker eenzaam",
        "series_label": "Aandeel eenzamen van 65 jaar en ouder, gedeeld door dat van 18 tot 65 jaar",
        "unit": "keer zo vaak",
        "wording": "vaker eenzaam",
        "qualifier": "meer_dan",
        "dossier_value": None,
        "compare_to": 1,
        "status": "holds",
        "band": None,
        "provenance": {"publisher": "RIVM/CBS (Gezondheidsmonitor)", "metric": {"kind": "ratio"}},
        "reference": None,
        "dossier": {"period": "2012JJ00", "label": "2012", "value": 1.19},
        "newest": {"period": "2012JJ00", "label": "2012", "value": 1.19},
        "series": yearly({2012: 1.19}),
    }


def by_label(chart) -> dict[str, list[str]]:
    """Each label's lines, by its id."""
    out: dict[str, list[str]] = {}
    for t in chart.labels():
        out.setdefault(t.gid, []).append(t.text)
    return out


def clean(svg: bytes) -> svgcheck.Chart:
    """The chart read back, after asserting what every chart must: no label on a line, marker, bar or
    other label, inside the picture, and no text under 9 CSS px on a phone."""
    chart = svgcheck.read(svg)
    assert svgcheck.collisions(chart) == []
    assert chart.smallest_text_on_a_phone() >= 9, chart.smallest_text_on_a_phone()
    return chart


# --- whose figure --------------------------------------------------------------------------------------------


def test_each_label_says_whose_figure_it_is():
    """The editor read "dossier (2022): 650.000" beside the dossier's line at a million as the dossier's own
    figure. The source's figures are labelled with the publisher and which figure they are; the dossier's
    words stand only with the dossier's band (in the legend), never at a point."""
    svg, alt = claim_chart(trough_result())
    chart = clean(svg)
    labels = by_label(chart)
    # the figures set in trough_result: 1,95 in October 2023, 2,36 in (provisional) May 2026
    assert labels["label-dossier-period"] == ["CBS, periode van het dossier", "(oktober 2023): 1,95"]
    assert labels["label-newest"] == ["CBS, nieuwste", "(mei 2026, voorlopig): 2,36"]
    assert labels["label-reference"] == ["dieptepunt (juni 2013)"]
    texts = [t.text for t in chart.texts]
    # the dossier's own words, lower-cased inside the sentence, with what they admit, under the plot
    assert (
        "dossier: bijna verdubbeld (minstens 1,90 en minder dan 2,00 keer het dieptepunt van 2013)"
        in " ".join(texts)
    )
    assert not any(t.text.startswith("dossier") for t in chart.labels())
    assert not any(re.match(r"dossier \(", t) for t in texts)  # the old, misleading label
    assert "CBS, periode van het dossier (oktober 2023): 1,95 keer het dieptepunt van 2013." in alt
    assert "CBS, nieuwste (mei 2026, voorlopig): 2,36 keer het dieptepunt van 2013." in alt
    assert "oranje band is wat de woorden van het dossier (bijna verdubbeld) toelaten" in alt
    assert claim_chart(trough_result())[0] == svg  # same data, same bytes


def test_the_publisher_is_named_without_its_explanation():
    chart = clean(claim_chart(gappy_result())[0])
    assert by_label(chart)["label-dossier-period"] == ["RIVM/CBS, periode van het dossier", "(2012): 39,6%"]
    assert by_label(chart)["label-newest"] == ["RIVM/CBS, nieuwste", "(2020): 47,0%"]
    anonymous = dict(gappy_result(), provenance={"metric": {"kind": "value"}})
    assert by_label(svgcheck.read(claim_chart(anonymous)[0]))["label-newest"][0] == "bron, nieuwste"


def test_the_dossiers_words_read_as_inside_a_sentence():
    # "Ruim een miljoen" opened the dossier's sentence
    assert figures._dossier_words({"wording": "Ruim een miljoen"}) == "ruim een miljoen"
    assert figures._dossier_words({"wording": "CBS-cijfers"}) == "CBS-cijfers"  # an abbreviation stays
    # no words of its own: the dossier's number as an editor writes it (1.000 × 1.000 personen)
    assert (
        figures._dossier_words({"dossier_value": 1000.0, "unit": "× 1.000 personen"}) == "1 miljoen personen"
    )


def test_figures_are_written_without_the_noun_the_axis_names():
    # by hand: 1.157 × 1.000 = 1.157.000 -> 1,16 miljoen; 650 × 1.000 -> 650.000
    assert short_value(1157, "× 1.000 personen") == "1,16 miljoen"
    assert short_value(650, "× 1.000 personen") == "650.000"
    assert short_value(39.6, "% van de volwassenen") == "39,6%"
    assert short_value(2.36, "keer het dieptepunt van 2013") == "2,36"
    assert (
        short_value(7.4, "procentpunt sinds 2012") == "7,4"
    )  # percentage points: one decimal, as percentages


# --- gaps in time ---------------------------------------------------------------------------------------------


def test_gaps_are_periods_without_a_figure_between_two_observations():
    assert gaps(yearly({2012: 1, 2020: 2})) == [True]  # 2013-2019 have no figure
    assert gaps(yearly({2013: 1, 2014: 2, 2015: 3})) == [False, False]
    assert gaps(yearly({2016: 1, 2018: 2, 2019: 3, 2021: 4})) == [True, False, True]
    # measured every January: a steady yearly pace, no gap
    jan = [
        {"period": f"{y}MM01", "start": f"{y}-01-01", "value": 1, "status": "Definitief"}
        for y in (2021, 2022, 2023)
    ]
    assert gaps(jan) == [False, False]
    # a month missing from a monthly series
    months = month_series({"2020-01": 1, "2020-04": 2})
    assert gaps(months) == [False, False, False]
    assert gaps([months[0], months[2], months[3]]) == [True, False]


def test_a_series_with_gaps_has_no_solid_line_across_them_and_ticks_only_at_its_measurements():
    """2012 and 2020 only: no solid line, a dotted one named in the legend, ticks at 2012 and 2020 and not
    at the seven empty years between."""
    svg, alt = claim_chart(gappy_result())
    chart = clean(svg)
    text = svg.decode()
    assert not re.search(r'<g id="series-\d+">', text)  # no solid stretch: no two neighbouring years
    gap = re.search(r'<g id="series-gap-0">\s*<path [^>]*style="([^"]*)"', text)
    assert gap and "stroke-dasharray" in gap.group(1)
    assert svgcheck.tick_labels(svg, "x") == ["2012", "2020"]
    assert "stippellijn: geen cijfers tussen 2012 en 2020" in [t.text for t in chart.texts]
    assert "Geen cijfers tussen 2012 en 2020: een stippellijn verbindt daar de punten." in alt
    assert len([b for g, b in chart.boxes if g == "marker-points"]) == 2  # both measurements as points


def test_irregular_survey_years_are_solid_only_between_neighbouring_years():
    result = dict(gappy_result(), series=yearly({2016: 40.0, 2018: 42.0, 2019: 43.0, 2021: 45.0}))
    result["dossier"] = {"period": "2019JJ00", "label": "2019", "value": 43.0}
    result["newest"] = {"period": "2021JJ00", "label": "2021", "value": 45.0}
    svg, alt = claim_chart(result)
    clean(svg)
    text = svg.decode()
    solid = re.findall(r'<g id="series-\d+">\s*<path d="([^"]*)"', text)
    assert len(solid) == 1 and len(re.findall(r"[ML] ", solid[0])) == 2  # 2018 to 2019 only
    assert len(re.findall(r'<g id="series-gap-\d+">', text)) == 2  # 2016-2018 and 2019-2021
    assert svgcheck.tick_labels(svg, "x") == ["2016", "2018", "2019", "2021"]
    assert "tussen 2016 en 2018; tussen 2019 en 2021" in alt


# --- comparisons ----------------------------------------------------------------------------------------------


def y_of(svg: bytes, value: float) -> float:
    """Where ``value`` lies on the value axis, from the first and last tick and the values they write."""
    text = svg.decode()
    ticks = []
    for group in re.findall(r'<g id="ytick_\d+">(.*?)</text>', text, re.S):
        y = float(re.search(r'<use [^>]*y="([\d.]+)"', group).group(1))
        label = group.rsplit(">", 1)[-1].replace(".", "").replace(",", ".").replace("\u2212", "-")
        ticks.append((y, float(label)))
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    return y0 + (value - v0) * (y1 - y0) / (v1 - v0)


def test_a_comparison_is_a_bar_against_its_line_at_one():
    """'Ouderen vaker eenzaam' was one dot on an axis from 1,14 to 1,24 without a line at 1. Now: a bar
    from zero, the line at 1 drawn and named, the axis from 0 past 1,19."""
    svg, alt = claim_chart(ratio_result())
    chart = clean(svg)
    text = svg.decode()
    assert '<g id="bar-0">' in text and not re.search(r'<g id="series-', text)
    values = [float(v.replace(",", ".")) for v in svgcheck.tick_labels(svg, "y")]
    assert values[0] == 0 and values[-1] >= 1.19
    line = next(pts for gid, pts, _ in chart.lines if gid == "reference-line")
    assert {round(y, 1) for _, y in line} == {round(y_of(svg, 1.0), 1)}  # horizontal, at 1
    bar = next(box for gid, box in chart.boxes if gid == "bar-0")
    assert bar[1] == pytest.approx(y_of(svg, 1.19), abs=0.2) and bar[3] == pytest.approx(
        y_of(svg, 0), abs=0.2
    )
    texts = [t.text for t in chart.texts]
    assert "lijn op 1: even vaak; dossier: vaker eenzaam, dus meer dan 1" in " ".join(texts)
    assert (
        " ".join(by_label(chart)["label-newest"])
        == "RIVM/CBS, periode van het dossier en nieuwste (2012): 1,19"
    )
    assert alt.startswith("Staafgrafiek van Aandeel eenzamen")
    assert "De oranje lijn op 1 betekent even vaak; het dossier zegt ‘vaker eenzaam’, dus meer dan 1." in alt


def test_a_comparison_against_another_bound_keeps_that_bound_in_view():
    result = dict(ratio_result(), compare_to=2, series=yearly({2012: 1.19, 2016: 1.3, 2020: 1.4}))
    result["newest"] = {"period": "2020JJ00", "label": "2020", "value": 1.4}
    svg, alt = claim_chart(result)
    chart = clean(svg)
    assert float(svgcheck.tick_labels(svg, "y")[-1].replace(",", ".")) >= 2
    line = next(pts for gid, pts, _ in chart.lines if gid == "reference-line")
    assert round(line[0][1], 1) == round(y_of(svg, 2.0), 1)
    legend = " ".join(t.text for t in chart.texts)
    assert "lijn op 2: de grens van de vergelijking; dossier: vaker eenzaam, dus meer dan 2" in legend
    assert "even vaak" not in alt


# --- labels never hide what they describe --------------------------------------------------------------------


def crowded_result() -> dict:
    """A yearly series whose dossier period (2022) and newest (2023, provisional) lie next to each other at
    almost the same height, beside the trough (2021), on the dossier's line: the labels must find room."""
    series = yearly(
        {2015: 3.0, 2016: 2.6, 2017: 2.2, 2018: 1.9, 2019: 1.5, 2020: 1.2, 2021: 1.0, 2022: 1.02, 2023: 1.03}
    )
    series[-1]["status"] = "Voorlopig"
    return {
        "id": "t_crowded",
        "series_label": "Een reeks",
        "unit": "keer het dieptepunt van 2021",
        "wording": "even hoog",
        "dossier_value": 1.0,
        "status": "holds",
        "band": None,
        "provenance": {"publisher": "CBS", "metric": {"kind": "multiple_of_trough"}},
        "reference": {"period": "2021JJ00", "label": "2021"},
        "dossier": {"period": "2022JJ00", "label": "2022", "value": 1.02},
        "newest": {"period": "2023JJ00", "label": "2023", "value": 1.03},
        "series": series,
    }


@pytest.mark.parametrize("make", [trough_result, gappy_result, ratio_result, crowded_result])
def test_no_label_covers_a_line_a_marker_or_another_label(make):
    """The trough, a provisional marker and the dossier's line were hidden under labels. Every hand-made
    kind of chart: each label line's box, read from the SVG, clear of every other label, marker, bar and
    plotted line (the series, its dotted gaps, the dossier's line, the band's ends, the line at 1)."""
    chart = clean(claim_chart(make())[0])
    assert chart.labels() and chart.boxes and chart.lines  # there was something to avoid


def test_the_crowded_chart_keeps_the_provisional_newest_point_open_and_visible():
    svg = claim_chart(crowded_result())[0]
    newest = re.search(r'<g id="marker-newest">.*?<use [^>]*style="([^"]*)"', svg.decode(), re.S).group(1)
    assert "fill: #ffffff" in newest  # an open circle: provisional
    assert "open: voorlopig cijfer" in [t.text for t in svgcheck.read(svg).texts]
    assert by_label(svgcheck.read(svg))["label-newest"][-1] == "(2023, voorlopig): 1,03"


def test_the_checks_see_a_label_on_its_point_and_a_chart_too_wide_for_a_phone(monkeypatch):
    """The two checks above can fail: a label forced onto its own point is reported, and the old chart
    size (7,5 inch wide with 10 pt text) shows text of 6,4 px on a phone (10 × 343 / 540)."""
    monkeypatch.setattr(figures, "DIRECTIONS", {"on": (0, 0, "center", "center")})
    monkeypatch.setattr(figures, "DISTANCES", (0,))
    chart = svgcheck.read(claim_chart(crowded_result())[0])
    assert any("covers marker-newest" in c for c in svgcheck.collisions(chart))
    monkeypatch.undo()
    monkeypatch.setitem(figures.STYLE, "figure.figsize", (7.5, 3.6))
    small = svgcheck.read(claim_chart(trough_result())[0]).smallest_text_on_a_phone()
    assert small == pytest.approx(10 * 343 / 540, abs=0.01)


def test_a_figure_under_another_definition_has_no_band_and_no_dossier_words():
    svg, alt = claim_chart(dict(trough_result(), status="other_definition"))
    text = svg.decode()
    assert "dossier-band" not in text and "dossier: bijna" not in text and "oranje" not in alt
    assert "CBS, periode van het dossier" in text  # the source's figures are still named


# --- the overview ---------------------------------------------------------------------------------------------

BAND_1_TO_1_5 = {"low": 1000, "high": 1500, "low_inclusive": False, "high_inclusive": False}
BAND_950_TO_1250 = {"low": 950, "high": 1250, "low_inclusive": True, "high_inclusive": False}
BAND_DOUBLED = {"low": 1.9, "high": 2.0, "low_inclusive": True, "high_inclusive": False}
BAND_39 = {"low": 38.5, "high": 39.5, "low_inclusive": True, "high_inclusive": False}


def test_where_a_figure_lies_against_the_dossiers_words():
    # by hand: 1.217 lies between 1.000 and 1.500; 684 is 950 − 684 = 266 under 950; 2,36 is 0,36 over 2,00
    assert band_position(1217, BAND_1_TO_1_5) == ("inside", 0.0)
    assert band_position(684, BAND_950_TO_1250) == ("below", 266)
    assert band_position(2.36, BAND_DOUBLED)[0] == "above"
    assert band_position(2.36, BAND_DOUBLED)[1] == pytest.approx(0.36)
    assert band_position(2.0, BAND_DOUBLED) == ("above", 0.0)  # "minder dan 2,00": 2,00 is just outside
    assert band_position(1000, BAND_1_TO_1_5) == ("below", 0.0)  # "meer dan 1 miljoen": 1 miljoen is not
    assert band_position(10, {"low": 5, "high": None}) == ("inside", 0.0)
    assert band_position(3, {"low": 5, "high": None}) == ("below", 2)
    # in the claim's own unit: a percentage's distance in procentpunt, never as a relative change
    assert band_relation(47.0, BAND_39, "% van de volwassenen")[1] == (
        "7,5 procentpunt hoger dan de woorden van het dossier toelaten"
    )
    assert band_relation(684, BAND_950_TO_1250, "× 1.000 personen")[1] == (
        "266.000 personen lager dan de woorden van het dossier toelaten"
    )
    assert band_relation(2.0, BAND_DOUBLED, "keer het dieptepunt van 2013")[1] == (
        "net hoger dan de woorden van het dossier toelaten"
    )
    assert band_relation(1217, BAND_1_TO_1_5, "× 1.000 personen") == (
        "inside",
        "binnen wat de woorden van het dossier toelaten",
    )


def overview_rows() -> list[dict]:
    """The editor's case: a confirmed figure 22% over the dossier's number (1.217 for 'ruim een miljoen',
    inside the band) and an outdated one 18% over it (2,36 for 'bijna verdubbeld', above the band), plus a
    percentage above its band and a count below."""
    common = {"status_label": "x"}
    return [
        {**common, "title": "Onbenut arbeidspotentieel", "status": "newer_data_confirms", "value": 1217,
         "period": "2025", "unit": "× 1.000 personen", "band": BAND_1_TO_1_5},
        {**common, "title": "Prijzen van koopwoningen", "status": "outdated", "value": 2.36, "period": "mei 2026",
         "unit": "keer het dieptepunt van 2013", "band": BAND_DOUBLED},
        {**common, "title": "Eenzaamheid", "status": "rounding", "value": 47.0, "period": "2020",
         "unit": "% van de volwassenen", "band": BAND_39},
        {**common, "title": "Zonder toegang tot de arbeidsmarkt", "status": "differs_from_source", "value": 684,
         "period": "2025", "unit": "× 1.000 personen", "band": BAND_950_TO_1250},
    ]  # fmt: skip


def test_the_overview_puts_each_figure_inside_above_or_below_the_dossiers_words(tmp_path):
    colours = {"newer_data_confirms": "#1f6feb", "outdated": "#b42318", "rounding": "#7d6608",
               "differs_from_source": "#9a1b5c"}  # fmt: skip
    alt = overview_chart(overview_rows(), colours, tmp_path / "o.svg")
    svg = (tmp_path / "o.svg").read_bytes()
    assert (tmp_path / "o.png").read_bytes().startswith(b"\x89PNG")
    chart = clean(svg)
    heads = {t.gid.removeprefix("label-head-"): t.x for t in chart.group("label-head-")}
    assert list(heads) == ["below", "inside", "above"] and heads["below"] < heads["inside"] < heads["above"]

    def column(i: int) -> str:
        x0, _, x1, _ = next(b for g, b in chart.boxes if g == f"marker-row-{i}")
        return min(heads, key=lambda k: abs(heads[k] - (x0 + x1) / 2))

    def row(i: int) -> str:
        return " ".join(t.text for t in chart.texts if t.gid.startswith(f"label-row-{i}-"))

    # lower first, then inside, then higher; in each, the order given
    assert [column(i) for i in range(4)] == ["below", "inside", "above", "above"]
    assert row(0).startswith("Zonder toegang tot de arbeidsmarkt") and "266.000 personen lager" in row(0)
    assert row(1).startswith(
        "Onbenut arbeidspotentieel"
    ) and "1,22 miljoen personen (2025), binnen wat" in row(1)
    assert "0,36 keer het dieptepunt van 2013 hoger" in row(2)
    assert "47,0% van de volwassenen (2020), 7,5 procentpunt hoger" in row(3)
    assert not re.search(r"[+\u2212-]\d+(,\d+)?%", svg.decode() + alt)  # no relative change anywhere
    assert "Onbenut arbeidspotentieel: 1,22 miljoen personen (2025), binnen wat de woorden" in alt


def test_the_overview_section_measures_today_against_the_dossiers_words(tmp_path):
    """report._overview_chart: the newest figure, or for a sentence naming its own year that year's figure;
    an exact number is a band of one value; a figure under another definition is left out."""
    from dossiercheck.report.overview import _overview_chart

    def claim(cid, status, **kw):
        base = {"id": cid, "title": cid, "status": status, "unit": "%", "dossier_value": 39.0, "band": BAND_39,
                "dossier": {"period": "2012JJ00", "label": "2012", "value": 39.6},
                "newest": {"period": "2020JJ00", "label": "2020", "value": 47.0}}  # fmt: skip
        return {**base, **kw}

    findings = [
        (
            {"theme": "06", "title": "Thema"},
            [
                claim(
                    "in_2012", "rounding", newest_not_judged="De zin gaat over 2012."
                ),  # 39,6: 0,1 over 39,5
                claim("nu", "outdated"),  # 47,0: 7,5 over 39,5
                claim("exact", "holds", band=None, dossier_value=47.0),  # 47,0 is the number itself
                claim("ander", "other_definition"),
            ],
        )
    ]
    lines = _overview_chart(findings, tmp_path / "fig", "fig")
    text = "\n".join(lines)
    assert "## Dossier versus nu" in text
    assert "in de eenheid van het cijfer zelf (bij een percentage in procentpunten)" in text
    alt = re.search(r'fig-alt="([^"]*)"', text).group(1)
    assert "in_2012: 39,6% (2012), 0,1 procentpunt hoger" in alt
    assert "nu: 47,0% (2020), 7,5 procentpunt hoger" in alt
    assert "exact: 47,0% (2020), binnen wat de woorden" in alt
    assert "ander" not in alt
    clean((tmp_path / "fig" / "dossier_vs_nu.svg").read_bytes())


# --- every chart of a real run --------------------------------------------------------------------------------


def test_every_chart_of_the_last_run_is_clean_and_legible():
    """The charts the last `snakemake` run wrote (reports/<dossier>/_generated/*/figures/*.svg); skipped when there
    is no run output in this checkout."""
    charts = sorted((ROOT / "reports").glob("*/_generated/*/figures/*.svg"))
    if not charts:
        pytest.skip("no run output: run `.venv/bin/snakemake --cores 2` first")
    for path in charts:
        chart = svgcheck.read(path.read_bytes())
        assert chart.labels(), f"{path} has no labelled figure: output from before labels had ids? Run again."
        assert svgcheck.collisions(chart) == [], path
        assert chart.smallest_text_on_a_phone() >= 9, path


def test_dates_on_the_axis_follow_the_periods():
    assert figures._period_tick("2013MM06") in {"jun 2013", "jun. 2013"}
    assert figures._period_tick("2023KW03") == "2023 K3"
    assert figures._period_tick("2012JJ00") == "2012"


def test_a_large_distance_from_the_band_is_written_in_three_significant_digits():
    from dossiercheck.figures import band_relation

    # 8.430.352 households against words that admit 6,5 to 7,5 million: 930.352 above, written 930.000;
    # a small count keeps its figure (1.234 stays 1.234)
    band = {"low": 6_500_000, "high": 7_500_000}
    assert band_relation(8_430_352, band, "huishoudens") == (
        "above",
        "930.000 huishoudens hoger dan de woorden van het dossier toelaten",
    )
    assert band_relation(8_734, {"low": 6_500, "high": 7_500}, "personen")[1].startswith(
        "1.234 personen hoger"
    )

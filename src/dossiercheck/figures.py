"""Charts for the reports, in one style: the series, the dossier's own figure (its band or value line), the
source's figure for the dossier's period and its newest figure.

Three rules keep a chart from misleading an editor:

- every label says whose figure it is: the dossier's words ("dossier: ruim een miljoen") or the source's
  figure ("CBS, periode van het dossier (2022): 1,16 miljoen");
- a line is drawn only between neighbouring periods: across periods without a figure the points are joined
  by a dotted line, and the time axis has ticks at the measurements, not at every empty year;
- a comparison ("vaker", "keer zo vaak") is drawn as bars from zero with its reference line (1: even vaak).

Labels are placed where they cover no line, marker, bar or other label (``_place_labels`` measures every
candidate spot with the renderer). Chart and label sizes are chosen for a phone: shown 343 CSS px wide, the
smallest text is still about 9,9 px.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen: always render to files

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from babel.dates import format_date  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator  # noqa: E402

from dossiercheck.fmt import editor_change, editor_value, nl_number, unit_scale  # noqa: E402
from dossiercheck.periods import PROVISIONAL, period_kind, period_start  # noqa: E402
from dossiercheck.snapshot import atomic_write_bytes  # noqa: E402
from dossiercheck.wording import Band  # noqa: E402

# A chart is shown at most 343 CSS px wide on a 375 px phone. The SVG is FIG_WIDTH inches (72 user units an
# inch) wide and scales down to that, so text of FONT_SIZE user units shows as FONT_SIZE * 343 / 345,6 px:
# 9,9 px at 10. A wider chart with the same fonts would shrink them under 9 px.
FIG_WIDTH = 4.8
FONT_SIZE = 10
STYLE = {
    "figure.figsize": (FIG_WIDTH, 3.9),
    "figure.dpi": 100,
    "font.size": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",  # faint lines across: a label may sit on them, text stays readable
    "grid.alpha": 0.3,
    "svg.hashsalt": "dossiercheck",  # stable ids inside the SVG: same data, same bytes
    "svg.fonttype": "none",  # keep text as text: smaller files, searchable, readable by screen readers
}
SERIES_COLOUR = "#1f4e79"  # the source's figures
DOSSIER_COLOUR = "#b35900"  # the dossier's own words: its band or its value line
NEWEST_COLOUR = "#b42318"  # the source's newest figure
MUTED = "#57606a"
# how a label may sit beside its point: (x direction, y direction, horizontal and vertical alignment)
DIRECTIONS = {
    "above-left": (-1, 1, "right", "bottom"),
    "below-left": (-1, -1, "right", "top"),
    "left": (-1, 0, "right", "center"),
    "above": (0, 1, "center", "bottom"),
    "below": (0, -1, "center", "top"),
    "above-right": (1, 1, "left", "bottom"),
    "below-right": (1, -1, "left", "top"),
    "right": (1, 0, "left", "center"),
}
DISTANCES = (6, 13, 22, 34, 50)  # points from the point, nearest first
LABEL_WRAP = 180  # points: a label's lines are at most this wide (under two thirds of the plot on a phone)


# --- text ------------------------------------------------------------------------------------------------


def text_width(text: str, size: float = FONT_SIZE, weight: str = "normal") -> float:
    """Width in points of one line of ``text`` in the charts' font (the SVG names DejaVu Sans first)."""
    prop = FontProperties(size=size, weight=weight)
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def wrap(text: str, width: float, size: float = FONT_SIZE, weight: str = "normal") -> list[str]:
    """``text`` broken between words into lines at most ``width`` points wide (a longer word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, weight) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _short_publisher(result: dict[str, Any]) -> str:
    """Who published the figures, without the explanation in brackets: 'RIVM/CBS (Gezondheidsmonitor)' ->
    'RIVM/CBS'. 'bron' when the result does not say."""
    name = (result.get("provenance") or {}).get("publisher") or ""
    short = re.sub(r"\s*\([^()]*\)\s*$", "", name).strip()
    return short or name.strip() or "bron"


def short_value(value: float, unit: str) -> str:
    """A figure as an editor writes it, without the noun the axis already names: '1,16 miljoen' for
    1.157 × 1.000 personen, '39,6%' for 39,6 '% van de volwassenen', '2,36' for 2,36 keer het dieptepunt."""
    full = editor_value(value, unit)
    unit = (unit or "").strip()
    if unit.startswith("%"):
        return full.split(" ", 1)[0]
    noun = unit_scale(unit)[1]
    if noun and full.endswith(" " + noun):
        return full[: -len(noun) - 1]
    return full


def _dossier_words(result: dict[str, Any]) -> str:
    """The dossier's own words for its figure, as they read inside a sentence: 'ruim een miljoen'."""
    words = (result.get("wording") or "").strip()
    if not words:
        said = result.get("dossier_value")
        return editor_value(said, result.get("unit") or "") if said is not None else ""
    if words[0].isupper() and (len(words) == 1 or not words[1].isupper()):
        words = words[0].lower() + words[1:]  # "Ruim een miljoen" opens the dossier's sentence; not "CBS"
    return words


# --- the time axis ---------------------------------------------------------------------------------------

_NATURAL_MONTHS = {"JJ": 12, "HJ": 6, "KW": 3, "MM": 1}


def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def gaps(series: list[dict[str, Any]]) -> list[bool]:
    """For each two neighbouring observations: are there periods without a figure between them?

    A series measured at a steady pace up to once a year (every January, every year) has no gaps; the
    Gezondheidsmonitor's 2012 and 2020, or surveys in 2016, 2018, 2019, do: there is no figure for the
    years between."""
    codes = [p["period"] for p in series]
    try:
        kinds = {period_kind(c) for c in codes}
    except ValueError:
        return [False] * max(0, len(series) - 1)
    if len(kinds) != 1 or next(iter(kinds)) not in _NATURAL_MONTHS:
        return [False] * max(0, len(series) - 1)
    natural = _NATURAL_MONTHS[next(iter(kinds))]
    steps = [_months(period_start(a), period_start(b)) for a, b in zip(codes, codes[1:], strict=False)]
    pace = min(steps, default=natural)
    pace = pace if natural <= pace <= 12 else natural
    return [s > pace for s in steps]


def _period_tick(code: str) -> str:
    """A period as its tick reads: 2012, 2012 K3, jun. 2013."""
    try:
        kind = period_kind(code)
    except ValueError:
        return code[:4]
    if kind == "MM":
        return format_date(period_start(code), "MMM y", locale="nl_NL")
    if kind == "KW":
        return f"{code[:4]} K{int(code[6:8])}"
    if kind == "HJ":
        return f"{code[:4]} H{int(code[6:8])}"
    return code[:4]


def _time_axis(ax, xs: list[date], codes: list[str], few: bool, pad_days: float = 200) -> None:
    """Ticks at the measurements themselves when there are few; otherwise every 1, 2, 5, 10 or 20 years,
    at most six ticks (a tick for every empty year between 2012 and 2020 suggested figures that are not
    there)."""
    if few:
        names = {round(float(v), 6): _period_tick(c) for v, c in zip(mdates.date2num(xs), codes, strict=True)}
        ax.xaxis.set_major_locator(FixedLocator(list(mdates.date2num(xs))))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: names.get(round(float(v), 6), "")))
    else:
        years = (xs[-1] - xs[0]).days / 365.25
        base = next((b for b in (1, 2, 5, 10, 20) if years / b <= 5), 50)
        ax.xaxis.set_major_locator(mdates.YearLocator(base=base))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    span = (xs[-1] - xs[0]).days
    pad = timedelta(days=max(span * 0.05, pad_days))
    ax.set_xlim(xs[0] - pad, xs[-1] + pad)


def _value_axis(ax) -> None:
    """Ticks on the value axis at 1, 2 or 5 times a power of ten, written with just the decimals that step
    needs: ticks at 0,25 apart written with one decimal read 2,2 for 2,25 and put a point of 2,36 below
    the tick marked 2,2 plus a bit."""
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ticks = ax.get_yticks()  # with the final limits: the ones set, or autoscaled now
    step = min((b - a for a, b in zip(ticks, ticks[1:], strict=False)), default=1) or 1
    dec = max(0, math.ceil(-math.log10(step) - 1e-9))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: nl_number(v, dec)))


# --- label placement -------------------------------------------------------------------------------------


@dataclass
class _Label:
    text: str
    xy: tuple[Any, float]  # the point it names, in data coordinates
    colour: str
    gid: str
    side: int  # where the label would rather go: -1 left (a point in the right part), 1 right, 0 either


def _side(x: float, first: float, last: float) -> int:
    """A point in the right part of the plot is labelled to its left, and back; one in the middle above or
    below."""
    at = (x - first) / (last - first) if last > first else 0.5
    return -1 if at > 0.6 else (1 if at < 0.4 else 0)


def _rank(ux: int, side: int) -> int:
    """The preferred side first (for a label in the middle: straight above or below), then straight above
    or below, then the other side."""
    return 0 if ux == side else (1 if ux == 0 else 2)


def _obstacles(artists, renderer) -> tuple[list[tuple[float, ...]], list[tuple[np.ndarray, float]]]:
    """What a label must not cover, in display pixels: boxes (markers, bars) and lines (as points sampled
    every pixel, with half the line's width around each)."""
    boxes, lines = [], []
    for a in artists:
        if isinstance(a, Line2D):
            xy = a.get_transform().transform(np.asarray(a.get_xydata(), dtype=float))
            if a.get_linestyle() not in ("None", "", " ") and len(xy) > 1:
                half = renderer.points_to_pixels(a.get_linewidth()) / 2 + 1
                pts = []
                for (x0, y0), (x1, y1) in zip(xy, xy[1:], strict=False):
                    n = max(2, int(math.hypot(x1 - x0, y1 - y0)) + 1)
                    t = np.linspace(0, 1, n)
                    pts.append(np.column_stack([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]))
                lines.append((np.vstack(pts), half))
            if a.get_marker() not in ("None", None, "", " "):
                r = renderer.points_to_pixels(a.get_markersize() / 2 + a.get_markeredgewidth()) + 1
                boxes += [(x - r, y - r, x + r, y + r) for x, y in xy]
        else:  # a bar
            boxes.append(tuple(a.get_window_extent(renderer).extents))
    return boxes, lines


def _hits(box, boxes, lines) -> int:
    x0, y0, x1, y1 = box
    n = sum(1 for b in boxes if b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0)
    for pts, half in lines:
        inside = (
            (pts[:, 0] > x0 - half)
            & (pts[:, 0] < x1 + half)
            & (pts[:, 1] > y0 - half)
            & (pts[:, 1] < y1 + half)
        )
        n += int(inside.any())
    return n


def _place_labels(fig, ax, labels: list[_Label], artists, limits: list[tuple[float, float]]) -> None:
    """Put every label where it covers no line, marker, bar or other label, inside the plot.

    Each candidate spot (eight directions at growing distances, the side facing the middle of the plot
    first) is measured with the renderer. When some label finds no free spot, the value axis gets more room
    (the next of ``limits``) and all are placed again; the try with the fewest overlaps wins."""
    if not labels:
        ax.set_ylim(*limits[0])
        _value_axis(ax)
        return
    texts = [
        ax.annotate(
            lab.text,
            xy=lab.xy,
            xytext=(0, 0),
            textcoords="offset points",
            color=lab.colour,
            gid=lab.gid,
            zorder=6,
            annotation_clip=False,
            parse_math=False,  # a '$' in a source's text is a dollar, not mathematics
        )
        for lab in labels
    ]
    for t in texts:
        t.set_in_layout(False)  # the plot's size never depends on where a label goes
    best = None
    for lim in limits:
        ax.set_ylim(*lim)
        _value_axis(ax)
        fig.draw_without_rendering()  # lays the figure out and places every artist, painting no pixel
        renderer = fig.canvas.get_renderer()
        boxes, lines = _obstacles(artists, renderer)
        frame = ax.get_window_extent(renderer)
        taken, choice, total = [], [], 0
        for lab, t in zip(labels, texts, strict=True):
            # the preferred side first, then straight above or below, then the other side
            order = sorted(DIRECTIONS, key=lambda d, s=lab.side: _rank(DIRECTIONS[d][0], s))
            scored = []
            for r in DISTANCES:
                for d in order:
                    ux, uy, ha, va = DIRECTIONS[d]
                    offset = (ux * (r if uy == 0 else 4), uy * r)
                    t.set_position(offset)
                    t.set_horizontalalignment(ha)
                    t.set_verticalalignment(va)
                    e = t.get_window_extent(renderer)
                    box = (e.x0 - 3, e.y0 - 3, e.x1 + 3, e.y1 + 3)  # a browser's text box is a bit taller
                    out = (
                        e.x0 < frame.x0 + 1
                        or e.x1 > frame.x1 - 1
                        or e.y0 < frame.y0 + 1
                        or e.y1 > frame.y1 - 1
                    )
                    score = 1000 * out + _hits(box, boxes + taken, lines)
                    scored.append((score, offset, ha, va, box))
                    if score == 0:
                        break
                if scored[-1][0] == 0:
                    break
            score, offset, ha, va, box = min(scored, key=lambda s: s[0])  # first of the best
            taken.append(box)
            choice.append((offset, ha, va))
            total += score
        if best is None or total < best[0]:
            best = (total, lim, choice)
        if total == 0:
            break
    _, lim, choice = best
    ax.set_ylim(*lim)
    _value_axis(ax)
    for t, (offset, ha, va) in zip(texts, choice, strict=True):
        t.set_position(offset)
        t.set_horizontalalignment(ha)
        t.set_verticalalignment(va)


def _limits(low: float, high: float, floor: float | None = None) -> list[tuple[float, float]]:
    """Value-axis limits to try, from snug to roomy: room above and below for labels (``floor`` fixes the
    bottom, for bars from zero)."""
    span = (high - low) or abs(high) * 0.1 or 1.0
    tries = [(0.08, 0.1), (0.08, 0.35), (0.3, 0.35), (0.1, 0.7), (0.5, 0.7), (0.9, 1.1), (1.5, 1.6)]
    return [(floor if floor is not None else low - b * span, high + a * span) for b, a in tries]


# --- one claim -------------------------------------------------------------------------------------------


def _save(fig, fmt: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    else:  # a picture to paste into a document: twice the screen resolution
        fig.savefig(buf, format=fmt, dpi=200, metadata={"Software": None})
    return buf.getvalue()


def is_comparison(result: dict[str, Any]) -> bool:
    """A claim that one group or moment has 'vaker', 'hoger', 'keer zo vaak' than another: a ratio, or a
    figure judged against a reference (compare_to) rather than against a number of its own."""
    kind = ((result.get("provenance") or {}).get("metric") or {}).get("kind")
    return kind == "ratio" or result.get("compare_to") is not None


@dataclass
class _Mark:
    """A figure of the source the page talks about, marked and labelled on the chart."""

    name: str  # "newest" or "dossier-period"
    label: str  # the period as the page writes it ("mei 2026", "mei 2026, voorlopig")
    x: date
    value: float
    role: str  # "nieuwste", "periode van het dossier", ...
    colour: str
    hollow: bool  # provisional


@dataclass
class _Plan:
    """What a claim's chart shows, decided once for the drawing and for the alt text."""

    codes: list[str]
    xs: list[date]
    ys: list[float]
    provisional: list[bool]
    gap: list[bool]
    unit: str
    series_label: str
    publisher: str
    words: str  # the dossier's own words
    comparison: bool
    bars: bool  # a comparison with few periods: bars from zero
    markers: bool  # a point at every observation
    few: bool  # ticks at the observations themselves
    trend: bool
    band: dict[str, Any] | None  # the values the dossier's words admit
    said: float | None  # the dossier's number, drawn as a line where there is no band
    reference_value: float  # a comparison's line: 1, or compare_to
    same_word: str  # what the reference line means: "even vaak", "gelijk"
    than: str | None  # "meer", "minder": which side of the line the dossier says
    marks: list[_Mark]
    reference: dict[str, Any] | None  # the trough, peak or period compared with, when in the series
    reference_word: str
    newest: dict[str, Any]


def _plan(result: dict[str, Any]) -> _Plan:
    series = result["series"]
    codes = [p["period"] for p in series]
    xs = [date.fromisoformat(p["start"]) for p in series]
    ys = [p["value"] for p in series]
    unit = result.get("unit") or ""
    d, n = result.get("dossier") or {}, result.get("newest") or {}
    kind = ((result.get("provenance") or {}).get("metric") or {}).get("kind")
    trend = kind == "trend"  # the chart shows the values, the claim a slope: no figure is marked
    # a figure under another definition is shown beside the dossier's words, never measured against them
    judged = result.get("status") != "other_definition"
    comparison = is_comparison(result)
    against = judged and not trend and not comparison
    band = result.get("band") if against else None
    if band and band.get("low") is None and band.get("high") is None:
        band = None
    said = result.get("dossier_value") if against and not band else None
    gap = gaps(series)
    provisional = [p["status"] in PROVISIONAL for p in series]
    same_period = d.get("period") == n.get("period")
    marks = []
    if n.get("period") in codes and not trend:
        i = codes.index(n["period"])
        role = "periode van het dossier en nieuwste" if same_period else "nieuwste"
        label = n["label"] + (", voorlopig" if provisional[i] else "")
        marks.append(_Mark("newest", label, xs[i], ys[i], role, NEWEST_COLOUR, provisional[i]))
    if d.get("value") is not None and not same_period and d.get("period") in codes and not trend:
        i = codes.index(d["period"])
        label = d["label"] + (", voorlopig" if provisional[i] else "")
        role = "periode van het dossier"
        marks.append(_Mark("dossier-period", label, xs[i], ys[i], role, SERIES_COLOUR, provisional[i]))
    ref = result.get("reference")
    ref_value = float(result["compare_to"]) if result.get("compare_to") is not None else 1.0
    return _Plan(
        codes=codes,
        xs=xs,
        ys=ys,
        provisional=provisional,
        gap=gap,
        unit=unit,
        series_label=result.get("series_label") or result.get("title") or "reeks",
        publisher=_short_publisher(result),
        words=_dossier_words(result),
        comparison=comparison,
        bars=comparison and len(series) <= 12,
        markers=len(series) <= 6 or any(gap) or comparison,
        few=len(series) <= 6 or (any(gap) and len(series) <= 8),
        trend=trend,
        band=band,
        said=said,
        reference_value=ref_value,
        same_word=_reference_meaning(ref_value, unit, kind),
        than={"meer_dan": "meer", "minder_dan": "minder"}.get(result.get("qualifier") or ""),
        marks=marks,
        reference=ref if ref and ref.get("period") in codes else None,
        reference_word={"multiple_of_trough": "dieptepunt", "multiple_of_peak": "piek"}.get(
            kind, "vergeleken met"
        ),
        newest=n,
    )


def _reference_meaning(value: float, unit: str, kind: str | None) -> str:
    """What a comparison's line stands for: at 1 a ratio means 'even vaak' (or 'gelijk'); elsewhere it is
    the bound the dossier's words set."""
    if value == 1:
        return "even vaak" if "vaak" in unit or kind == "ratio" else "gelijk"
    return "de grens van de vergelijking"


def _number(v: float) -> str:
    return nl_number(v, 0 if float(v).is_integer() else 2)


def _dossier_entry(p: _Plan) -> str:
    """The legend's words for the dossier's own figure."""
    if p.band:
        return f"dossier: {p.words} ({p.band['text']})" if p.band.get("text") else f"dossier: {p.words}"
    return f"dossier: {p.words}"


def _reference_entry(p: _Plan) -> str:
    """The legend's words for a comparison's line: what it means, and which side of it the dossier says."""
    text = f"lijn op {_number(p.reference_value)}: {p.same_word}"
    if p.words:
        text += f"; dossier: {p.words}"
        if p.than:
            text += f", dus {p.than} dan {_number(p.reference_value)}"
    return text


def _wrapped(handle):
    """A legend entry whose text is broken to fit the chart's width beside its key."""
    handle.set_label("\n".join(wrap(handle.get_label(), FIG_WIDTH * 72 - 52)))
    return handle


DOTTED = (0, (1, 2.5))


def _draw_series(ax, p: _Plan) -> tuple[list, list]:
    """The series itself; returns what labels must avoid and the legend's entries."""
    obstacles, handles = [], []
    if p.bars:
        nums = mdates.date2num(p.xs)
        width = min([*(b - a for a, b in zip(nums, nums[1:], strict=False)), 365.0]) * 0.5
        for i, (x, y, prov) in enumerate(zip(nums, p.ys, p.provisional, strict=True)):
            bar = Rectangle(
                (x - width / 2, 0), width, y, facecolor="white" if prov else SERIES_COLOUR,
                edgecolor=SERIES_COLOUR, linewidth=1.2, gid=f"bar-{i}", zorder=3,
            )  # fmt: skip
            ax.add_patch(bar)
            obstacles.append(bar)
        handles.append(Patch(facecolor=SERIES_COLOUR, edgecolor=SERIES_COLOUR, label=p.series_label))
    else:
        if not p.comparison:  # a comparison is dots against its line, never a line through time
            start = 0
            runs = []
            for i, g in enumerate(p.gap, start=1):
                if g:
                    runs.append((start, i))
                    start = i
            runs.append((start, len(p.xs)))
            for k, (a, b) in enumerate(r for r in runs if r[1] - r[0] > 1):
                (line,) = ax.plot(p.xs[a:b], p.ys[a:b], color=SERIES_COLOUR, linewidth=1.6, gid=f"series-{k}")
                obstacles.append(line)
            for k, i in enumerate(i for i, g in enumerate(p.gap) if g):
                (line,) = ax.plot(
                    p.xs[i : i + 2], p.ys[i : i + 2], color=SERIES_COLOUR, linewidth=1.2, linestyle=DOTTED,
                    gid=f"series-gap-{k}",
                )  # fmt: skip
                obstacles.append(line)
        firm = [(x, y) for x, y, prov in zip(p.xs, p.ys, p.provisional, strict=True) if not prov]
        if p.markers and firm:
            (pts,) = ax.plot(*zip(*firm, strict=True), "o", color=SERIES_COLOUR, ms=4.5, gid="marker-points")
            obstacles.append(pts)
        loose = [(x, y) for x, y, prov in zip(p.xs, p.ys, p.provisional, strict=True) if prov]
        if loose:
            (pts,) = ax.plot(
                *zip(*loose, strict=True),
                "o",
                mfc="white",
                color=SERIES_COLOUR,
                ms=5,
                gid="marker-provisional",
            )
            obstacles.append(pts)
        if len(p.codes) > 1:  # one point is drawn as the source's figure, with its own label: no series line
            handles.append(
                Line2D(
                    [],
                    [],
                    color=SERIES_COLOUR,
                    linewidth=0 if p.comparison else 1.6,
                    marker="o" if p.markers else None,
                    ms=4.5,
                    label=p.series_label,
                )  # fmt: skip
            )
    holes = [(p.codes[i], p.codes[i + 1]) for i, g in enumerate(p.gap) if g]
    if holes and not p.comparison:
        text = (
            f"stippellijn: geen cijfers tussen {_period_tick(holes[0][0])} en {_period_tick(holes[0][1])}"
            if len(holes) == 1
            else "stippellijn: perioden zonder cijfer ertussen"
        )
        handles.append(Line2D([], [], color=SERIES_COLOUR, linewidth=1.2, linestyle=DOTTED, label=text))
    if any(p.provisional):
        handles.append(
            Line2D(
                [],
                [],
                color=SERIES_COLOUR,
                marker="s" if p.bars else "o",
                mfc="white",
                linewidth=0,
                ms=5,
                label="open: voorlopig cijfer",
            )  # fmt: skip
        )
    return obstacles, handles


def claim_chart(result: dict[str, Any], fmt: str = "svg") -> tuple[bytes, str]:
    """A chart of one claim's series (SVG, or PNG for a download) and the alt text that describes it."""
    data, alt = claim_charts(result, (fmt,))
    return data[fmt], alt


def claim_charts(result: dict[str, Any], formats: tuple[str, ...]) -> tuple[dict[str, bytes], str]:
    """The chart in each of ``formats`` from one drawing (building the figure and placing its labels is
    most of a chart's cost), and the alt text."""
    p = _plan(result)
    band_rgb = matplotlib.colors.to_rgb(DOSSIER_COLOUR)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(layout="constrained")
        ax.set_ylabel("\n".join(wrap(p.unit, 190)) if p.unit else "")
        obstacles, handles = _draw_series(ax, p)
        value_range = list(p.ys)
        # the dossier's own figure: the values its words admit (a band), or the number it gives (a line)
        if p.band:
            lo = p.band["low"] if p.band.get("low") is not None else -1e15  # open side: to the plot's edge
            hi = p.band["high"] if p.band.get("high") is not None else 1e15
            ax.axhspan(lo, hi, facecolor=(*band_rgb, 0.16), linewidth=0, gid="dossier-band", zorder=1)
            for side, v in (("low", p.band.get("low")), ("high", p.band.get("high"))):
                if v is not None:  # its ends are lines: a label lies inside the band or outside, never across
                    edge = ax.axhline(
                        v, color=DOSSIER_COLOUR, linewidth=0.8, gid=f"dossier-band-{side}", zorder=1
                    )
                    obstacles.append(edge)
            value_range += [v for v in (p.band.get("low"), p.band.get("high")) if v is not None]
            handles.append(
                Patch(facecolor=(*band_rgb, 0.16), edgecolor=DOSSIER_COLOUR, label=_dossier_entry(p))
            )
        elif p.said is not None:
            line = ax.axhline(p.said, color=DOSSIER_COLOUR, linestyle="--", linewidth=1.2, gid="dossier-line")
            obstacles.append(line)
            value_range.append(p.said)
            handles.append(
                Line2D([], [], color=DOSSIER_COLOUR, linestyle="--", linewidth=1.2, label=_dossier_entry(p))
            )
        if p.comparison:  # the line the comparison is about, always in view
            line = ax.axhline(
                p.reference_value, color=DOSSIER_COLOUR, linewidth=1.6, gid="reference-line", zorder=4
            )
            obstacles.append(line)
            value_range.append(p.reference_value)
            handles.append(Line2D([], [], color=DOSSIER_COLOUR, linewidth=1.6, label=_reference_entry(p)))

        # the source's figures the page talks about, each labelled as the source's
        labels = []
        nums = mdates.date2num(p.xs)
        for m in p.marks:
            if not p.bars:
                (dot,) = ax.plot(
                    [m.x], [m.value], "o", color=m.colour, mfc="white" if m.hollow else m.colour, ms=7, mew=1.5,
                    zorder=5, gid=f"marker-{m.name}",
                )  # fmt: skip
                obstacles.append(dot)
            # whose figure and which: "CBS, periode van het dossier" / "(2022): 650.000"
            head = wrap(f"{p.publisher}, {m.role}", LABEL_WRAP)
            text = "\n".join([*head, f"({m.label}): {short_value(m.value, p.unit)}"])
            colour = SERIES_COLOUR if p.bars else m.colour  # a label has its bar's colour, or its dot's
            side = _side(mdates.date2num(m.x), nums[0], nums[-1])
            labels.append(_Label(text, (m.x, m.value), colour, f"label-{m.name}", side))
        if p.reference:  # the trough, the peak or the period compared with
            i = p.codes.index(p.reference["period"])
            (dot,) = ax.plot(
                [p.xs[i]], [p.ys[i]], "v", color=SERIES_COLOUR, ms=7, zorder=5, gid="marker-reference"
            )
            obstacles.append(dot)
            labels.append(
                _Label(
                    f"{p.reference_word} ({p.reference['label']})",
                    (p.xs[i], p.ys[i]),
                    SERIES_COLOUR,
                    "label-reference",
                    _side(nums[i], nums[0], nums[-1]),
                )  # fmt: skip
            )

        _time_axis(ax, p.xs, p.codes, p.few, 420 if p.bars else 200)
        low, high = min(value_range), max(value_range)
        limits = _limits(min(low, 0.0) if p.bars else low, high, floor=0.0 if p.bars and low >= 0 else None)
        # under the plot, where no label of a point or of a line can run into it
        legend = fig.legend(
            handles=[_wrapped(h) for h in handles], loc="outside lower left", frameon=False, handlelength=2.2
        )
        for t in legend.get_texts():
            t.set_parse_math(False)
        _place_labels(fig, ax, labels, obstacles, limits)
        data = {fmt: _save(fig, fmt) for fmt in formats}
        plt.close(fig)
    return data, _claim_alt(p)


def _claim_alt(p: _Plan) -> str:
    """The alt text: what the chart shows, in the words of its labels and legend."""
    shape = "Staafgrafiek" if p.bars else ("Puntgrafiek" if p.comparison or len(p.xs) == 1 else "Lijngrafiek")
    first, last = _period_tick(p.codes[0]), _period_tick(p.codes[-1])
    when = f"{first}–{last}" if first != last else first
    text = f"{shape} van {p.series_label} ({p.unit}), {when}."
    holes = [(p.codes[i], p.codes[i + 1]) for i, g in enumerate(p.gap) if g]
    if holes and not p.comparison:
        between = "; ".join(f"tussen {_period_tick(a)} en {_period_tick(b)}" for a, b in holes)
        text += f" Geen cijfers {between}: een stippellijn verbindt daar de punten."
    if p.band:
        text += f" De oranje band is wat de woorden van het dossier ({p.words}) toelaten"
        text += f": {p.band['text']}." if p.band.get("text") else "."
    elif p.said is not None:
        text += f" De oranje streepjeslijn is het getal van het dossier ({p.words}, {editor_value(p.said, p.unit)})."
    if p.comparison:
        text += f" De oranje lijn op {_number(p.reference_value)} betekent {p.same_word}"
        if p.words:
            text += f"; het dossier zegt ‘{p.words}’" + (
                f", dus {p.than} dan {_number(p.reference_value)}." if p.than else "."
            )
        else:
            text += "."
    for m in sorted(p.marks, key=lambda m: m.x):
        text += f" {p.publisher}, {m.role} ({m.label}): {editor_value(m.value, p.unit)}."
    if p.trend and p.newest.get("value") is not None:
        text += f" In {p.newest['label']}, de nieuwste periode, helling {nl_number(p.newest['value'], 2)}."
    if p.reference:
        text += f" {p.reference_word.capitalize()}: {p.reference['label']}."
    return text


def write_claim_chart(result: dict[str, Any], out: Path, png: bool = False) -> str:
    """The chart as ``out`` (SVG), and beside it as PNG when ``png``; returns the alt text."""
    data, alt = claim_charts(result, ("svg", "png") if png else ("svg",))
    atomic_write_bytes(out, data["svg"])
    if png:
        atomic_write_bytes(Path(out).with_suffix(".png"), data["png"])
    return alt


# --- the overview: every figure against the dossier's words -----------------------------------------------

POSITIONS = ("below", "inside", "above")
HEADS = {"below": "lager", "inside": "binnen", "above": "hoger"}
_CELL = 40.0  # points: one column of the strip (lager, binnen, hoger)
_MARGIN = 6.0
_LINE = 13.0  # points from one line of 10 pt text to the next
_TEXT_X = _MARGIN + 3 * _CELL + 10


def band_position(value: float, band: dict[str, Any]) -> tuple[str, float]:
    """Where ``value`` lies against the values the dossier's words admit: ('inside', 0), or ('above' /
    'below', how far from the nearest end of the band, in the claim's unit). A value on an end the words
    exclude ('minder dan 2,00' and 2,00) lies outside, at distance 0."""
    b = Band(
        band.get("low"), band.get("high"), band.get("low_inclusive", True), band.get("high_inclusive", False)
    )
    if b.contains(value):
        return "inside", 0.0
    if b.high is not None and (b.low is None or value > (b.low + b.high) / 2):
        return "above", max(0.0, value - b.high)
    return "below", max(0.0, b.low - value) if b.low is not None else 0.0


def band_relation(value: float, band: dict[str, Any], unit: str) -> tuple[str, str]:
    """('above', '0,36 keer het dieptepunt van 2013 hoger dan de woorden van het dossier toelaten'): the
    position and, in words, by how much in the claim's own unit (procentpunt for a percentage)."""
    position, distance = band_position(value, band)
    if position == "inside":
        return position, "binnen wat de woorden van het dossier toelaten"
    scale, _ = unit_scale(unit or "")
    counted = distance * scale
    if not (unit or "").strip().startswith("%") and counted >= 10_000:
        # a distance is a rough measure: three significant digits ("930.000", not "930.352")
        counted = round(counted, -(int(math.floor(math.log10(counted))) - 2))
        distance = counted / scale
    amount = editor_change(distance, unit)[1:]  # the direction is in the words, not in a sign
    if not re.search(r"[1-9]", amount.split(" ")[0]):
        amount = "net"  # on an end the words exclude
    word = "hoger" if position == "above" else "lager"
    return position, f"{amount} {word} dan de woorden van het dossier toelaten"


def overview_chart(rows: list[dict[str, Any]], colours: dict[str, str], out: Path) -> str:
    """ "Dossier versus nu": per recomputed figure, whether the figure now lies inside, above or below the
    values the dossier's words admit, and by how much in its own unit (written out, never drawn as a length:
    figures in different units cannot be compared by length). A dot in one of three columns, coloured by
    status, beside the figure's title, status, value and distance in words. Rows: lower first, then inside,
    then higher; within each, in the order given.

    ``rows``: {title, status, status_label, value, period (its label), unit, band: {low, high,
    low_inclusive, high_inclusive}}. Writes SVG and PNG; returns the alt text."""
    width = FIG_WIDTH * 72
    text_width = width - _TEXT_X - _MARGIN
    placed = []
    for r in rows:
        position, relation = band_relation(r["value"], r["band"], r["unit"])
        value = f"{editor_value(r['value'], r['unit'])} ({r['period']})"
        title = wrap(r["title"], text_width, weight="bold")
        detail = wrap(f"{r['status_label']}: {value}, {relation}", text_width)
        placed.append((position, r, value, relation, title, detail))
    placed.sort(key=lambda t: POSITIONS.index(t[0]))  # stable: within a column, the order given
    height = _MARGIN + _LINE + 6 + sum((len(t[4]) + len(t[5])) * _LINE + 9 for t in placed) + _MARGIN
    with plt.rc_context({**STYLE, "figure.figsize": (FIG_WIDTH, height / 72)}):
        fig = plt.figure()
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)  # points from the top
        ax.axis("off")
        band_rgb = matplotlib.colors.to_rgb(DOSSIER_COLOUR)
        for k, position in enumerate(POSITIONS):
            ax.text(
                _MARGIN + (k + 0.5) * _CELL, _MARGIN, HEADS[position], ha="center", va="top",
                color=DOSSIER_COLOUR if position == "inside" else MUTED, gid=f"label-head-{position}",
            )  # fmt: skip
        y = _MARGIN + _LINE + 6
        for i, (position, r, _, _, title, detail) in enumerate(placed):
            for k, column in enumerate(POSITIONS):
                ax.add_patch(
                    Rectangle(
                        (_MARGIN + k * _CELL + 1, y),
                        _CELL - 2,
                        _LINE - 1,
                        facecolor=(*band_rgb, 0.18) if column == "inside" else "#f0f1f3",
                        edgecolor=(*band_rgb, 0.9) if column == "inside" else "none",
                        linewidth=0.8,
                    )  # fmt: skip
                )
            ax.plot(
                [_MARGIN + (POSITIONS.index(position) + 0.5) * _CELL], [y + (_LINE - 1) / 2], "o",
                color=colours[r["status"]], ms=8, gid=f"marker-row-{i}",
            )  # fmt: skip
            for j, line in enumerate(title):
                ax.text(
                    _TEXT_X,
                    y + j * _LINE,
                    line,
                    va="top",
                    weight="bold",
                    gid=f"label-row-{i}-title-{j}",
                    parse_math=False,
                )
            y += len(title) * _LINE
            for j, line in enumerate(detail):
                ax.text(
                    _TEXT_X, y + j * _LINE, line, va="top", gid=f"label-row-{i}-detail-{j}", parse_math=False
                )
            y += len(detail) * _LINE + 9
        for fmt in ("svg", "png"):
            atomic_write_bytes(Path(out).with_suffix(f".{fmt}"), _save(fig, fmt))
        plt.close(fig)
    parts = "; ".join(
        f"{r['title']}: {value}, {relation} ({r['status_label']})" for _, r, value, relation, _, _ in placed
    )
    return (
        "Overzicht per nagerekend cijfer: ligt het cijfer nu binnen wat de woorden van het dossier toelaten, "
        f"of hoger of lager, en hoeveel. {parts}."
    )

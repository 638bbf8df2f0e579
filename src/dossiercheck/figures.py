"""Charts for the reports, in one style: the series, the dossier's value and date, the newest value."""

from __future__ import annotations

import io
import math
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen: always render to files

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from dossiercheck.fmt import editor_value, nl_number  # noqa: E402
from dossiercheck.periods import PROVISIONAL  # noqa: E402
from dossiercheck.snapshot import atomic_write_bytes  # noqa: E402

STYLE = {
    "figure.figsize": (7.5, 3.6),
    "figure.dpi": 100,
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "dossiercheck",  # stable ids inside the SVG: same data, same bytes
    "svg.fonttype": "none",  # keep text as text: smaller files, searchable, readable by screen readers
}
SERIES_COLOUR = "#1f4e79"
DOSSIER_COLOUR = "#b35900"
NEWEST_COLOUR = "#b42318"
# a label over the lines stays readable: the lines it crosses fade behind it
LABEL_BOX = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def _value_axis(ax) -> None:
    """Ticks on the value axis at 1, 2 or 5 times a power of ten, written with just the decimals that step
    needs: ticks at 0,25 apart written with one decimal read 2,2 for 2,25 and put a point of 2,36 below
    the tick marked 2,2 plus a bit."""
    ax.yaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))
    ticks = ax.get_yticks()  # with the final limits: the ones set, or autoscaled now
    step = min((b - a for a, b in zip(ticks, ticks[1:], strict=False)), default=1) or 1
    dec = max(0, math.ceil(-math.log10(step) - 1e-9))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: nl_number(v, dec)))


def claim_chart(result: dict[str, Any], fmt: str = "svg") -> tuple[bytes, str]:
    """A chart of one claim's series (SVG, or PNG for a download) and the alt text that describes it."""
    series = result["series"]
    xs = [date.fromisoformat(p["start"]) for p in series]
    ys = [p["value"] for p in series]
    d, n = result.get("dossier") or {}, result["newest"]
    trend = (result["provenance"].get("metric") or {}).get(
        "kind"
    ) == "trend"  # the chart shows the values, not slopes
    by_period = {p["period"]: (date.fromisoformat(p["start"]), p["value"]) for p in series}
    # the dossier's number as a line: not for a trend (the chart shows values, the claim a slope), and not
    # for a figure under another definition, which is shown beside the dossier's, never measured against it
    said = result.get("dossier_value") if not trend and result.get("status") != "other_definition" else None
    unit = result.get("unit") or ""

    def label(v: float) -> str:  # as an editor writes the figure: "1,16 miljoen personen", "39,6%"
        return editor_value(v, unit)

    words = result.get("wording") or ""
    ref = result.get("reference")
    kind = (result["provenance"].get("metric") or {}).get("kind")
    reference_word = {"multiple_of_trough": "dieptepunt", "multiple_of_peak": "piek"}.get(
        kind, "vergeleken met"
    )
    series_label = result.get("series_label") or result.get("title") or "reeks"
    span = (xs[-1] - xs[0]).days if len(xs) > 1 else 0

    def side(x: date) -> float:
        """Where ``x`` lies along the series, from 0 (its first period) to 1 (its last)."""
        return (x - xs[0]).days / span if span else 0.5

    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(layout="constrained")
        # the line is what the claim computes (a sum, a ratio, a multiple), so it carries the claim's
        # label, never the title of one of the measures it is computed from
        ax.plot(xs, ys, color=SERIES_COLOUR, linewidth=1.6, label=series_label)
        prov = [(x, y) for x, y, p in zip(xs, ys, series, strict=True) if p["status"] in PROVISIONAL]
        if prov:
            ax.plot(*zip(*prov, strict=True), "o", mfc="white", color=SERIES_COLOUR, ms=4, label="voorlopig")
        if said is not None:  # named in the legend: a label on the line collided with the points' labels
            ax.axhline(said, color=DOSSIER_COLOUR, linestyle="--", linewidth=1, label=f"dossier: {words}")
        ref = result.get("reference")
        labelled_below = []  # heights of the points whose label goes under them
        if ref and ref["period"] in by_period:  # the trough, the peak or the period compared with
            x, ref_y = by_period[ref["period"]]
            labelled_below.append(ref_y)
            ax.plot([x], [ref_y], "v", color=SERIES_COLOUR, ms=7, zorder=5)
            at = side(x)
            ax.annotate(
                f"{reference_word} ({ref['label']})",
                xy=(x, ref_y),
                xytext=(0, -16),
                textcoords="offset points",
                ha="left" if at < 0.15 else "right" if at > 0.85 else "center",  # never out of the plot
                color=SERIES_COLOUR,
                fontsize=9,
                bbox=LABEL_BOX,
                zorder=6,
            )
        same = d.get("period") == n.get("period")
        newest_text = (
            "dossier en nieuwste" if same else "nieuwste"
        ) + f" ({n['label']}): {label(n['value'])}"
        # the dossier's point is labelled below its line, the newest above: they never share a spot
        marks = [(n, NEWEST_COLOUR, newest_text, 12)]
        if d.get("value") is not None and not trend and not same:
            marks.insert(0, (d, DOSSIER_COLOUR, f"dossier ({d['label']}): {label(d['value'])}", -18))
        for block, colour, text, dy in marks:
            if block["period"] in by_period and not trend:
                x, y = by_period[block["period"]]
                if dy < 0:
                    labelled_below.append(y)
                ax.plot([x], [y], "o", color=colour, ms=7, zorder=5)
                left = side(x) < 0.5  # a point in the left half is labelled to its right, and back
                ax.annotate(
                    text,
                    xy=(x, y),
                    xytext=(10 if left else -10, dy),
                    textcoords="offset points",
                    ha="left" if left else "right",
                    color=colour,
                    bbox=LABEL_BOX,
                    zorder=6,
                )
        # keep the dossier's value in view (a line drawn outside the axes would say nothing), and room under
        # a point at the bottom for the label under it, which would otherwise sit on the years
        low, high = min([*ys, said] if said is not None else ys), max([*ys, said] if said is not None else ys)
        pad = (high - low) * 0.08 or abs(high) * 0.05 or 1
        below = pad
        if any(y - low < (high - low) * 0.15 for y in labelled_below):
            below = max(pad, (high - low) * 0.2)
        if said is not None or below != pad:
            ax.set_ylim(low - below, high + pad)
        ax.set_ylabel(unit)
        _value_axis(ax)
        # a tick every five years on long series, every year on short ones (a 2020-2024 series had none)
        years = (xs[-1] - xs[0]).days / 365.25
        ax.xaxis.set_major_locator(mdates.YearLocator(base=5 if years > 10 else 1))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        # under the plot, where no label of a point or of the line can run into it
        fig.legend(loc="outside lower left", frameon=False, fontsize=9)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        else:  # a picture to paste into a document: twice the screen resolution
            fig.savefig(buf, format=fmt, dpi=200, metadata={"Software": None})
        plt.close(fig)

    trough = f" {reference_word.capitalize()}: {ref['label']}." if ref else ""
    line = (
        f" De stippellijn is de waarde uit het dossier ({words}, {label(said)})." if said is not None else ""
    )
    then = (
        f" In {d['label']} was de waarde {label(d['value'])};"
        if d.get("value") is not None and not trend
        else ""
    )
    alt = (
        f"Lijngrafiek van {series_label} ({unit}), "
        f"{series[0]['period'][:4]}–{series[-1]['period'][:4]}.{line}{then}"
        f" In {n['label']}, de nieuwste periode, {'helling' if trend else 'waarde'} "
        f"{nl_number(n['value'], 2) if trend else label(n['value'])}.{trough}"
    )
    return buf.getvalue(), alt


def write_claim_chart(result: dict[str, Any], out: Path, png: bool = False) -> str:
    """The chart as ``out`` (SVG), and beside it as PNG when ``png``; returns the alt text."""
    svg, alt = claim_chart(result)
    atomic_write_bytes(out, svg)
    if png:
        atomic_write_bytes(Path(out).with_suffix(".png"), claim_chart(result, "png")[0])
    return alt


def overview_chart(rows: list[dict[str, Any]], colours: dict[str, str], out: Path) -> str:
    """ "Dossier versus nu": one row per recomputed figure, the newest value's change relative to the
    dossier's (in percent), coloured by status and labelled by title, sorted from the largest fall to the
    largest rise. ``rows``: {title, change (percent), status, status_label}. Writes SVG and PNG; returns
    the alt text."""
    rows = sorted(rows, key=lambda r: r["change"])
    height = 1.5 + 0.34 * len(rows)
    with plt.rc_context({**STYLE, "figure.figsize": (7.5, height)}):
        fig, ax = plt.subplots()
        ys = list(range(len(rows)))
        xs = [r["change"] for r in rows]
        for y, r in zip(ys, rows, strict=True):
            ax.plot(
                [0, r["change"]], [y, y], color=colours[r["status"]], linewidth=2.2, solid_capstyle="butt"
            )
            ax.plot([r["change"]], [y], "o", color=colours[r["status"]], ms=6)
        ax.axvline(0, color="#57606a", linewidth=1)
        ax.set_yticks(ys, [r["title"] for r in rows], fontsize=8.5)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{nl_number(v, 0)}%"))
        span = max([abs(x) for x in xs] + [1.0])
        ax.set_xlim(-span * 1.15, span * 1.15)
        ax.set_xlabel("cijfer nu ten opzichte van het dossier")
        ax.grid(axis="y", visible=False)
        seen = {}
        for r in rows:
            seen.setdefault(r["status"], r["status_label"])
        handles = [
            plt.Line2D([], [], color=colours[k], marker="o", linewidth=2.2, label=v) for k, v in seen.items()
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.45 / height * 3),
            ncol=3,
            frameon=False,
            fontsize=8.5,
        )  # below the axis, never over a point
        fig.tight_layout()
        for fmt in ("svg", "png"):
            buf = io.BytesIO()
            if fmt == "svg":
                fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
            else:
                fig.savefig(buf, format="png", dpi=200, metadata={"Software": None}, bbox_inches="tight")
            atomic_write_bytes(Path(out).with_suffix(f".{fmt}"), buf.getvalue())
        plt.close(fig)
    parts = "; ".join(
        f"{r['title']}: {'+' if r['change'] > 0 else ''}{nl_number(r['change'], 0)}% ({r['status_label']})"
        for r in rows
    )
    return f"Staafgrafiek: per nagerekend cijfer de verandering van het nieuwste cijfer ten opzichte van het dossier. {parts}."

"""Read a chart back from its SVG, the way a browser lays it out: every text's box (from its position, size
and anchor in the SVG and the metrics of the font the SVG names first), and the lines, markers and bars a
label must not cover (the elements dossiercheck.figures tags with an id). Independent of the placement code,
which measures in Matplotlib's display space before the SVG exists.

Ids: ``label-*`` a label (one group may hold several lines); ``series-*``, ``marker-*``, ``bar-*``,
``dossier-line``, ``dossier-band-low/high``, ``reference-line`` what labels must avoid.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache

from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.textpath import text_to_path

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
OBSTACLE = re.compile(r"^(series|marker|bar|dossier-line|dossier-band-low|dossier-band-high|reference-line)")
PHONE_WIDTH_PX = 343  # a 375 px phone less the page's margins


@dataclass
class Text:
    gid: str  # the id of the nearest group with one ("" when none)
    text: str
    x: float
    y: float  # the baseline
    size: float  # in SVG user units
    anchor: str
    bold: bool
    rotated: bool
    box: tuple[float, float, float, float] = (0, 0, 0, 0)  # x0, y0, x1, y1 (y down)


@dataclass
class Chart:
    width_pt: float  # the width attribute, in points
    view_width: float
    view_height: float
    texts: list[Text]
    boxes: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)  # markers, bars
    lines: list[tuple[str, list[tuple[float, float]], float]] = field(default_factory=list)  # points, width

    def labels(self) -> list[Text]:
        return [t for t in self.texts if t.gid.startswith("label-")]

    def group(self, prefix: str) -> list[Text]:
        return [t for t in self.texts if t.gid.startswith(prefix)]

    def smallest_text_on_a_phone(self) -> float:
        """CSS pixels of the smallest text when the chart is shown at most 343 px wide (never wider than
        its own width: 1 pt is 4/3 px)."""
        shown = min(PHONE_WIDTH_PX, self.width_pt * 4 / 3)
        return min(t.size * shown / self.view_width for t in self.texts)


@cache
def _metrics(size: float, bold: bool) -> tuple[float, float]:
    """(ascent, descent) of a line of text as a browser lays it out: the font's own ascender and descender
    (taller than the letters themselves; Chromium's text boxes for these charts are within 0,4 of this)."""
    prop = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    font = FT2Font(findfont(prop))
    return font.ascender / font.units_per_EM * size, -font.descender / font.units_per_EM * size


def _width(text: str, size: float, bold: bool) -> float:
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def _numbers(d: str) -> list[tuple[float, float]]:
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    return list(zip(nums[::2], nums[1::2], strict=False))


def _stroke(style: str) -> float:
    m = re.search(r"stroke-width:\s*([\d.]+)", style or "")
    return float(m.group(1)) if m else 1.0


def read(svg: bytes | str) -> Chart:
    root = ET.fromstring(svg.encode() if isinstance(svg, str) else svg)
    parent = {c: p for p in root.iter() for c in p}
    width_pt = float(root.get("width").removesuffix("pt"))
    _, _, vw, vh = (float(v) for v in root.get("viewBox").split())

    def gid_of(el) -> str:
        while el is not None:
            if el.tag == f"{SVG}g" and el.get("id"):
                return el.get("id")
            el = parent.get(el)
        return ""

    def in_defs(el) -> bool:
        while el is not None:
            if el.tag == f"{SVG}defs":
                return True
            el = parent.get(el)
        return False

    texts = []
    for t in root.iter(f"{SVG}text"):
        style = t.get("style", "")
        size = float(re.search(r"font-size:\s*([\d.]+)px", style).group(1))
        anchor = (re.search(r"text-anchor:\s*(\w+)", style) or [None, "start"])[1]
        bold = bool(re.search(r"font-weight:\s*(700|bold)", style))
        transform = t.get("transform", "")
        rotate = re.search(r"rotate\((-?[\d.]+)", transform)
        rotated = bool(rotate) and abs(float(rotate.group(1))) > 1e-9
        if t.get("x") is not None:
            x, y = float(t.get("x")), float(t.get("y"))
        else:  # a line of a text of several lines: placed by translate(x y), its left end at x
            x, y = (
                float(v) for v in re.search(r"translate\((-?[\d.]+)[ ,]+(-?[\d.]+)\)", transform).groups()
            )
        text = "".join(t.itertext())
        w = _width(text, size, bold)
        ascent, descent = _metrics(size, bold)
        x0 = x - {"start": 0, "middle": w / 2, "end": w}[anchor]
        texts.append(
            Text(gid_of(t), text, x, y, size, anchor, bold, rotated, (x0, y - ascent, x0 + w, y + descent))
        )

    markers = {p.get("id"): _numbers(p.get("d")) for p in root.iter(f"{SVG}path") if p.get("id")}
    chart = Chart(width_pt, vw, vh, texts)
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id") or ""
        if not OBSTACLE.match(gid):
            continue
        for el in g.iter():
            if el.tag == f"{SVG}path" and not in_defs(el):
                pts = _numbers(el.get("d"))
                if el.get("d").strip().endswith("z"):  # a bar: its whole area
                    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                    chart.boxes.append((gid, (min(xs), min(ys), max(xs), max(ys))))
                else:
                    chart.lines.append((gid, pts, _stroke(el.get("style"))))
            elif el.tag == f"{SVG}use":
                shape = markers[el.get(XLINK).lstrip("#")]
                half = _stroke(el.get("style")) / 2
                x, y = float(el.get("x")), float(el.get("y"))
                xs, ys = [p[0] for p in shape], [p[1] for p in shape]
                chart.boxes.append(
                    (gid, (x + min(xs) - half, y + min(ys) - half, x + max(xs) + half, y + max(ys) + half))
                )
    return chart


def _overlap(a, b) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _line_enters(box, pts, width) -> bool:
    """Does a polyline of this stroke width pass through ``box``? Sampled every 0,25 user unit."""
    half = width / 2
    x0, y0, x1, y1 = box[0] - half, box[1] - half, box[2] + half, box[3] + half
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        n = max(1, int(max(abs(bx - ax), abs(by - ay)) / 0.25))
        for k in range(n + 1):
            x, y = ax + (bx - ax) * k / n, ay + (by - ay) * k / n
            if x0 < x < x1 and y0 < y < y1:
                return True
    if len(pts) == 1:
        x, y = pts[0]
        return x0 < x < x1 and y0 < y < y1
    return False


def collisions(chart: Chart) -> list[str]:
    """Every label line that overlaps another label, a marker, a bar or a plotted line, or leaves the
    picture; empty when the chart is clean."""
    found = []
    labels = chart.labels()
    for i, t in enumerate(labels):
        b = t.box
        if b[0] < 0 or b[1] < 0 or b[2] > chart.view_width or b[3] > chart.view_height:
            found.append(f"{t.gid} {t.text!r} leaves the picture")
        for u in labels[i + 1 :]:
            if u.gid != t.gid and _overlap(b, u.box):
                found.append(f"{t.gid} {t.text!r} overlaps {u.gid} {u.text!r}")
        for gid, box in chart.boxes:
            if _overlap(b, box):
                found.append(f"{t.gid} {t.text!r} covers {gid}")
        for gid, pts, width in chart.lines:
            if _line_enters(b, pts, width):
                found.append(f"{t.gid} {t.text!r} lies on {gid}")
    return found


def tick_labels(svg: bytes | str, axis: str = "x") -> list[str]:
    """The texts of an axis' ticks, left to right or bottom to top."""
    text = svg.decode() if isinstance(svg, bytes) else svg
    groups = re.findall(rf'<g id="{axis}tick_\d+">(.*?)</text>', text, re.S)
    return [g.rsplit(">", 1)[-1] for g in groups]

"""What a reader sees on a page, and what must not be in it: English words, jargon, ISO timestamps and
codes, outside the folded "Technische details".

Two renderings are checked: the pandoc page (HTML as it is served) and the Markdown Quarto renders (the
.qmd with its includes expanded). Both drop the technical details (a <details> element in pandoc's HTML; a
``.technical`` callout in the Markdown), code a reader is not meant to read (<code>, `...`), link targets
and attributes; what is left is the text on the screen, plus image alt texts and chart labels.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# English words an editor would meet on a page if text leaked from code, logs or exceptions, and the
# project's own jargon. Dutch words that are also English ("is", "in", "was", "of", "status", "code") are
# left out: they would fail correct Dutch.
ENGLISH = (
    "the", "and", "with", "from", "could", "not", "reach", "found", "table", "source", "sources", "measure",
    "snapshot", "pipeline", "run", "runs", "claim", "claims", "range", "warning", "warnings", "provisional",
    "error", "failed", "unknown", "see", "none", "series", "period", "dimension", "host", "connection",
    "refused", "answered", "updated", "theme", "slug", "value", "figure", "baseline", "readme", "odata",
    "sha256", "hash", "checksum", "manifest", "retrieved", "true", "false", "null", "nan", "none",
)  # fmt: skip
JARGON = ("pijplijn", "claimregister", "kandidaat-bron", "onderzoeksnotities", "momentopname-id")
WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in (*ENGLISH, *JARGON)) + r")\b", re.I)
# an ISO date or timestamp, a snapshot id, a CBS measure or category code, a key=value filter
PATTERNS = {
    "ISO-datum": re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?"),
    "momentopname-id": re.compile(r"\b\d{8}T\d{6}Z\b"),
    "maatcode": re.compile(r"\b[A-Z]{1,3}\d{5,}(?:_\d+)?\b"),
    "filter": re.compile(r"\b[A-Za-z]\w*=\w+"),  # not an index base ("2020=100")
    "periodecode": re.compile(r"\b\d{4}(?:MM|KW|JJ|HJ)\d\d\b"),
}


class _Visible(HTMLParser):
    """The text of an HTML page a reader sees without opening anything: not <details> content, not
    <head>, <script>, <style>, <code>; plus alt and title texts."""

    SKIP = {"details", "head", "script", "style", "code", "pre", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        elif not self.depth:
            for k, v in attrs:
                if k in ("alt", "title", "aria-label") and v:
                    self.out.append(v)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.out.append(data)


def visible_html_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.out).split())


TECHNICAL_BLOCK = re.compile(r"^::: \{[^}]*\.technical[^}]*\}\n.*?^:::\n", re.S | re.M)


def visible_markdown_text(md: str) -> str:
    """The text of a page's Markdown (as Quarto reads it) without its technical callouts, code spans and
    blocks, link targets, attributes and front matter."""
    md = re.sub(r"\A---\n.*?\n---\n", "", md, flags=re.S)
    md = TECHNICAL_BLOCK.sub("", md)
    md = re.sub(r"```.*?```", " ", md, flags=re.S)
    md = re.sub(r"`[^`]*`", " ", md)
    md = re.sub(r"\]\([^)]*\)", "] ", md)  # link and image targets
    md = re.sub(r"\{[^{}]*\}", " ", md)  # attributes, classes, ids
    md = re.sub(r"<https?://[^>]+>", " ", md)
    md = md.replace("\\", "")
    return " ".join(md.split())


def svg_text(svg: str) -> str:
    """The words a chart shows (its <text> elements, with svg.fonttype none)."""
    return " ".join(re.sub(r"<[^>]+>", " ", m) for m in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S))


def problems(text: str) -> list[str]:
    """Every English word, jargon word, ISO timestamp or code in ``text``, with a little context."""
    found = []
    for m in WORDS.finditer(text):
        found.append(f"woord {m.group(0)!r}: …{text[max(0, m.start() - 50) : m.end() + 50]}…")
    for name, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            found.append(f"{name} {m.group(0)!r}: …{text[max(0, m.start() - 50) : m.end() + 50]}…")
    return found

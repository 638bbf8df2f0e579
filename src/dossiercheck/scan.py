"""`dossiercheck scan`: from a document's text to a draft claim registry.

Every statement of the text that names a number (digits, Dutch number words, "een op de vijf",
"verdubbeld", "tweeënhalf miljoen") or asserts a trend or comparison ("vaker", "stijgende", "daling") must
be covered: by a claim whose quote holds it, or by an entry of not_figures.yaml that says why it is no
figure. ``scan`` finds the statements that are not, and ``draft_claims`` writes a draft claim for each
(``draft: true``: never judged) with what the sentence itself tells: the quote, its numbers, the phrase
and what ``wording.read_wording`` reads in it, the period it names and a guess at the unit. An analyst
then fills in the source and metric (``dossiercheck find``, ``dossiercheck describe``) and moves it into a
theme file.

The text is read in blocks (paragraphs; a list item or heading starts a new one) whose whitespace is made
single, so a sentence wrapped over lines (Markdown) is one sentence; each block keeps the line numbers it
came from. A block is split into sentences at . ! ? before a capital or digit, not after an abbreviation
("t.o.v.", "o.a.", "ca.") or a list number ("1. Inkomen").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dossiercheck.errors import RegistryError
from dossiercheck.registry import (
    DRAFT_FILE,
    NOT_FIGURES_FILE,
    claim_files,
    is_draft,
    load_yaml,
    quoted_period,
)
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.wording import (
    FIGURE_MARKS,
    HALVES,
    MAGNITUDES,
    MULTIPLIERS,
    QUALIFIER_WORDS,
    TREND_WORDS,
    Reading,
    read_wording,
    trend_qualifier,
)


def normalise(text: str) -> str:
    """Whitespace made single and curly apostrophes straight: how quotes and text are compared."""
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


# --- the text in blocks and sentences -------------------------------------------------------------------

# YAML front matter at the very start of a Markdown file (title, url, licence): not the document's text.
FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.DOTALL)
# A line that starts a block of its own: a Markdown heading, a bullet, a numbered list item.
_NEW_BLOCK = re.compile(r"^\s*(?:#{1,6}\s|[-*+•]\s|\d{1,2}[.)]\s)")
_MARKER = re.compile(r"^\s*(?:#{1,6}|[-*+•])\s+")  # not part of the sentence (a list number is)
# Dutch abbreviations that end in a full stop inside a sentence (lower case, without that stop). Any run of
# single letters with stops ("t.o.v.", "o.a.", "J.") counts as well.
ABBREVIATIONS = frozenset((
    "bijv", "bv", "ca", "enz", "etc", "incl", "excl", "resp", "mln", "mld", "mrd", "nr", "nrs", "blz", "pag",
    "jl", "jr", "dhr", "mevr", "mw", "dr", "drs", "ir", "ing", "mr", "prof", "st", "zgn", "vs", "gem", "min",
    "max", "art", "afb", "fig", "tab", "hfst", "sept", "okt", "nov", "dec", "jan", "feb", "mrt", "apr", "aug",
))  # fmt: skip
_STOP = re.compile(r"[.!?]+['\")\]”’]*\s+")
_OPENERS = "\"'“‘([•"


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or heading: its words with whitespace made single, and where each of its
    lines starts in ``text`` (for the line number of a sentence)."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        return self.lines[bisect_right(self.starts, offset) - 1]


def read_text(path: Path | str) -> tuple[list[str], int]:
    """The document's lines after any YAML front matter, and the file's line number of the first of them."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegistryError(
            f"{path}: no such file. Give the document's text (plain text or Markdown) with --text."
        ) from None
    except UnicodeDecodeError as e:
        raise RegistryError(
            f"{path} is not UTF-8 text ({e}). Save the document as UTF-8 plain text or Markdown and scan again."
        ) from None
    except OSError as e:
        raise RegistryError(
            f"{path} cannot be read ({e.strerror or e}). Check the path and its permissions."
        ) from None
    m = FRONT_MATTER.match(raw)
    if m is None:
        return raw.splitlines(), 1
    return raw[m.end() :].splitlines(), m.group(0).count("\n") + 1


def blocks(lines: list[str], first_line: int = 1) -> list[Block]:
    """The text's blocks: a blank line ends one; a heading, bullet or numbered item starts one; a heading is
    a block of its own. Heading hashes and bullets are left out; a list number is kept ("1. Inkomen")."""
    out: list[Block] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        parts, starts, numbers, pos = [], [], [], 0
        for number, line in current:
            words = normalise(line)
            if not words:
                continue
            pos += 1 if parts else 0
            starts.append(pos)
            numbers.append(number)
            parts.append(words)
            pos += len(words)
        if parts:
            out.append(Block(" ".join(parts), tuple(starts), tuple(numbers)))
        current.clear()

    for i, line in enumerate(lines):
        number = first_line + i
        if not line.strip():
            flush()
            continue
        if _NEW_BLOCK.match(line):
            flush()
        heading = line.lstrip().startswith("#")
        current.append((number, _MARKER.sub("", line, count=1)))
        if heading:
            flush()
    flush()
    return out


def _ends_sentence(text: str, start: int, stop: re.Match[str]) -> bool:
    """Whether the stop ``stop`` ends the sentence that began at ``start``."""
    after = text[stop.end() :].lstrip(_OPENERS)
    if not after or not (after[0].isupper() or after[0].isdigit()):
        return False
    if not stop.group(0).startswith("."):
        return True
    before = text[start : stop.start()].split()
    token = before[-1].lstrip("(\"'“‘") if before else ""
    # "ca.", letters with stops ("t.o.v.", "o.a."), an initial ("J. Jansen"): not the sentence's end
    if token.lower() in ABBREVIATIONS or re.fullmatch(r"(?:[^\W\d]\.)*[^\W\d]", token):
        return False
    # a list number: "1. Inkomen" (the number is all of the sentence so far)
    return not (len(before) == 1 and re.fullmatch(r"\d{1,2}", token))


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a block's text."""
    spans, start = [], 0
    for stop in _STOP.finditer(text):
        if _ends_sentence(text, start, stop):
            spans.append((start, stop.start() + len(stop.group(0).rstrip())))
            start = stop.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# --- the phrases that state a figure --------------------------------------------------------------------

_QUALIFIER = "|".join(re.escape(words) for words, _ in QUALIFIER_WORDS)
_DIGITS = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_MAGNITUDE = "|".join(MAGNITUDES)
_WORD_NUMBER = "|".join(
    [
        r"\w*(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend)\w*",
        r"\w+ënhalf",
        *HALVES,
        "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien",
        "zeventien|achttien|negentien",
    ]
)
_AMOUNT = (
    rf"(?:(?:een|één)\s+)?half\s+(?:miljoen|miljard)|(?:een|één)\s+(?:{_MAGNITUDE})"
    rf"|(?:{_DIGITS}|{_WORD_NUMBER})(?:\s+(?:{_MAGNITUDE}))?"
)
_TAIL = (
    r"\s*%|\s+(?:procentpunt(?:en)?|procent|euro"
    r"|keer(?:\s+(?:zo\s+)?(?:vaker|vaak|veel|zoveel|groot|hoog|meer))?)"
)
_FIGURE = rf"(?:een|één|1)\s+op\s+de\s+(?:\d+|\w+)|de\s+helft|{'|'.join(MULTIPLIERS)}|{_AMOUNT}"
# "een kleine 1,4 miljoen", "circa 200 tot bijna 500 euro", "Een op de vijf", "bijna verdubbeld", "39 procent"
PHRASE = re.compile(
    rf"(?<![\w.,])(?:(?:{_QUALIFIER})\s+)?"
    rf"(?:(?:{_AMOUNT})(?:{_TAIL})?\s+(?:tot|à)\s+(?:(?:{_QUALIFIER})\s+)?)?"
    rf"(?:{_FIGURE})(?:{_TAIL})?(?![\w])",
    re.IGNORECASE,
)
_TREND = re.compile(rf"\b(?:{TREND_WORDS})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d(?:\s*(?:-|–|tot|à)\s*(?:1[89]|20)\d\d)?")
# "hoger dan in 2023", "ten opzichte van 2022": a year a figure is compared with, not the one it is about
_REFERENCE_YEAR = re.compile(r"\b(?:dan|opzichte van|t\.o\.v\.)\s+(?:in\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_PERSONS = re.compile(r"^(?:\S+\s+)?(?:mensen|personen)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    """A phrase of a sentence that states a figure, and what ``read_wording`` reads in it (None: nothing)."""

    text: str
    start: int
    end: int
    reading: Reading | None

    @property
    def is_year(self) -> bool:
        return bool(_YEAR.fullmatch(self.text))

    @property
    def telling(self) -> bool:
        """A phrase that says what it counts or how precisely: a qualifier, a magnitude, a unit, words."""
        r = self.reading
        return r is not None and (r.qualifier != "exact" or bool(r.magnitude or r.tail) or r.form != "digits")


def phrases(sentence: str) -> list[Phrase]:
    """The phrases of ``sentence`` that state a figure, in order."""
    out = []
    for m in PHRASE.finditer(sentence):
        text = m.group(0)
        try:
            reading = read_wording(text)
        except ValueError:
            reading = None
        out.append(Phrase(text, m.start(), m.end(), reading))
    return out


# --- the registry: what covers the text ------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A claim's quote (or a draft's) and where it is from."""

    text: str
    claim_id: str
    file: str


def read_claims(claims_dir: Path | str) -> tuple[list[Quote], list[Quote]]:
    """The quotes of the claims in a folder of theme files, and those of the drafts among them (``draft:
    true``; the scan's own ``_draft.yaml`` is not read)."""
    claims, drafts = [], []
    for path in claim_files(claims_dir):
        reg = load_yaml(path)
        entries = reg.get("claims") if isinstance(reg, dict) else None
        if not isinstance(entries, list):
            raise RegistryError(
                f"{path}: expected keys 'theme' and 'claims' (a list). Fix the file (README.md, 'How to add a "
                "claim'), or move it out of the claims folder if it is not a theme file."
            )
        for i, c in enumerate(entries):
            if not isinstance(c, dict) or not isinstance(c.get("quote"), str) or not c["quote"].strip():
                raise RegistryError(
                    f"{path}, claim {c.get('id', i + 1) if isinstance(c, dict) else i + 1}: no 'quote'. Every claim "
                    "quotes its sentence verbatim from the document; add it."
                )
            quote = Quote(normalise(c["quote"]), str(c.get("id", i + 1)), path.name)
            (drafts if is_draft(c) else claims).append(quote)
    return claims, drafts


def default_not_figures(claims_dir: Path | str) -> Path | None:
    """not_figures.yaml in the claims folder or beside it (dossiers/<slug>/not_figures.yaml), if any."""
    for candidate in (Path(claims_dir) / NOT_FIGURES_FILE, Path(claims_dir).parent / NOT_FIGURES_FILE):
        if candidate.is_file():
            return candidate
    return None


def read_not_figures(path: Path | str | None) -> list[dict[str, str]]:
    """The entries of a not_figures file: ``{text, reason}``, the text verbatim from the document."""
    if path is None:
        return []
    path = Path(path)
    if not path.is_file():
        raise RegistryError(
            f"{path}: no such file. Give the list of numbers that are not figures with --not-figures, or "
            "leave the option out."
        )
    data = load_yaml(path)
    entries = data.get("not_figures") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RegistryError(
            f"{path}: expected a key 'not_figures' with a list of {{text, reason}} entries. Fix the file."
        )
    for i, e in enumerate(entries):
        if not (
            isinstance(e, dict) and isinstance(e.get("text"), str) and e["text"].strip() and e.get("reason")
        ):
            raise RegistryError(
                f"{path}, entry {i + 1}: each entry needs 'text' (the words, verbatim from the document) and "
                "'reason' (why they are not a figure)."
            )
    return entries


# --- the scan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A sentence with a number or trend word that no claim and no not_figures entry covers."""

    line: int  # where the sentence starts in the text file (1-based)
    sentence: str
    marks: tuple[str, ...]  # the uncovered numbers and trend words, as written
    drafted_in: str = ""  # "<file>: <id>" when a draft in a theme file holds it already


@dataclass
class ScanResult:
    statements: list[Statement] = field(default_factory=list)
    stale_quotes: list[Quote] = field(default_factory=list)  # claims whose quote is not in the text
    stale_not_figures: list[str] = field(default_factory=list)  # not_figures texts not in the text
    claim_ids: set[str] = field(default_factory=set)


def _spans(needle: str, haystack: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), haystack)] if needle else []


def scan(
    text_path: Path | str, claims_dir: Path | str, not_figures_path: Path | str | None = None
) -> ScanResult:
    """The statements of the text that no claim's quote and no not_figures entry covers, and the registry
    entries that no longer match the text. A draft (``draft: true``) covers nothing: it is not a claim."""
    lines, first = read_text(text_path)
    quotes, drafts = read_claims(claims_dir)
    not_figures = read_not_figures(not_figures_path)
    texts = [normalise(e["text"]) for e in not_figures]
    result = ScanResult(claim_ids={q.claim_id for q in quotes + drafts})
    found_quotes: set[int] = set()
    found_texts: set[int] = set()
    for block in blocks(lines, first):
        covered = []
        for i, q in enumerate(quotes):
            spans = _spans(q.text, block.text)
            covered += spans
            if spans:
                found_quotes.add(i)
        for i, t in enumerate(texts):
            spans = _spans(t, block.text)
            covered += spans
            if spans:
                found_texts.add(i)
        drafted = [(span, d) for d in drafts for span in _spans(d.text, block.text)]
        open_marks = [
            m
            for m in FIGURE_MARKS.finditer(block.text)
            if not any(a <= m.start() and m.end() <= b for a, b in covered)
        ]
        for start, end in sentences(block.text):
            marks = [m for m in open_marks if start <= m.start() < end]
            if not marks:
                continue
            holder = next(
                (d for (a, b), d in drafted if all(a <= m.start() and m.end() <= b for m in marks)), None
            )
            result.statements.append(
                Statement(
                    block.line_at(start),
                    block.text[start:end],
                    tuple(m.group(0) for m in marks),
                    f"{holder.file}: {holder.claim_id}" if holder else "",
                )
            )
    result.stale_quotes = [q for i, q in enumerate(quotes) if i not in found_quotes]
    result.stale_not_figures = [e["text"] for i, e in enumerate(not_figures) if i not in found_texts]
    return result


# --- drafts -----------------------------------------------------------------------------------------------

# Words that say nothing of what a sentence is about, left out of a draft's id.
_STOPWORDS = frozenset((
    "de", "het", "een", "van", "in", "op", "en", "is", "was", "zijn", "waren", "wordt", "worden", "werd",
    "werden", "dat", "die", "dit", "deze", "met", "voor", "naar", "door", "aan", "als", "bij", "uit", "om",
    "tot", "ook", "nog", "niet", "maar", "er", "dan", "of", "te", "zo", "al", "heeft", "hebben", "had", "kan",
    "kunnen", "zal", "zullen", "volgens", "over", "onder", "tussen", "sinds", "jaar", "jaren", "meer",
    "minder", "ongeveer", "bijna", "ruim", "circa", "hun", "hij", "zij", "wij", "ze", "we", "daarvan",
    "daarnaast", "hoger", "lager", "dus", "wel", "veel", "vaak",
))  # fmt: skip


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", plain)


def _number(v: float) -> float | int:
    """A value as the YAML shows it: 1400000 for the float 1,4 × 10⁶, 0.2 for a fifth."""
    v = float(f"{v:.12g}")
    return int(v) if v.is_integer() else v


def sentence_period(sentence: str, wording: str | None) -> str | None:
    """The period (CBS code: 2024JJ00, 2023MM01) the sentence names for its figure: registry.quoted_period,
    after leaving out a year the figure is compared with ("3,3 procent hoger dan in 2023")."""
    masked = _REFERENCE_YEAR.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "····", sentence)
    claim: dict[str, Any] = {"quote": masked}
    if wording:
        claim["wording"] = wording
    return quoted_period(claim)


def unit_guess(sentence: str, phrase: Phrase | None) -> str:
    """'%' for a percentage, 'euro' for an amount in euros, 'personen' where the noun after the figure is
    "mensen" or "personen"; else '' (the analyst states it with the table's unit)."""
    if phrase is None or phrase.reading is None:
        return ""
    tail = phrase.reading.tail.lower()
    if tail.startswith("%") or tail == "procent":
        return "%"
    if tail == "euro":
        return "euro"
    return "personen" if not tail and _PERSONS.match(sentence[phrase.end :].strip()) else ""


def draft_for(statement: Statement, taken: set[str]) -> dict[str, Any]:
    """A draft claim for an uncovered statement, from the sentence alone. ``taken``: ids in use (the new
    id is added)."""
    sentence = statement.sentence
    found = phrases(sentence)
    # the phrases that hold the sentence's uncovered numbers; a number outside any phrase ("2024") as written
    numbers: list[str] = []
    chosen: list[Phrase] = []
    pos = 0
    for mark in statement.marks:
        at = sentence.find(mark, pos)
        pos = at + len(mark) if at >= 0 else pos
        if _TREND.fullmatch(mark) and not any(p.start <= at < p.end for p in found):
            continue
        holder = next((p for p in found if p.start <= at < p.end), None)
        if holder is None:
            numbers.append(mark)
        elif holder not in chosen:
            chosen.append(holder)
            numbers.append(holder.text)
    figures = [p for p in chosen if p.reading is not None and not p.is_year]
    main = next((p for p in figures if p.telling), figures[0] if figures else None)
    draft: dict[str, Any] = {"id": "", "draft": True, "quote": sentence, "numbers": numbers}
    if main is not None:
        r = main.reading
        assert r is not None
        draft["wording"] = main.text
        draft["value"] = _number(r.number)
        if r.form == "range" and r.low is not None:
            draft["value_low"] = _number(r.low)
        draft["qualifier"] = r.qualifier
    else:
        trend = next((m for m in statement.marks if _TREND.fullmatch(m)), None)
        if trend is not None:
            draft["wording"] = trend
            qualifier = trend_qualifier(trend)
            if qualifier:
                draft["qualifier"] = qualifier
    period = sentence_period(sentence, draft.get("wording"))
    if period:
        draft["period"] = period
    draft["unit"] = unit_guess(sentence, main)
    draft["id"] = _unique(_slug(sentence, draft.get("wording") or (numbers[0] if numbers else "")), taken)
    return draft


def _slug(sentence: str, figure: str) -> str:
    """Two words of the sentence that say what it is about, then its figure: 'inflatie_3_8_procent'."""
    own = set(_ascii_words(figure))
    words = [
        w
        for w in _ascii_words(sentence)
        if len(w) >= 4 and w not in _STOPWORDS and w not in own and not w.isdigit()
    ]
    return "_".join([*(w[:20] for w in words[:2]), *_ascii_words(figure)])[:60].strip("_") or "zin"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}_{n}"
    taken.add(candidate)
    return candidate


def drafts(result: ScanResult) -> list[dict[str, Any]]:
    """A draft for each uncovered statement that no draft in a theme file holds yet."""
    taken = set(result.claim_ids)
    return [draft_for(s, taken) for s in result.statements if not s.drafted_in]


DRAFT_HEADER = """\
# Draft claims written by `dossiercheck scan`: the sentences of the text below with a number or a trend word
# that no claim and no not_figures entry covers yet. Never judged (draft: true); rerunning scan replaces this
# file and nothing else. For each draft: find its table (dossiercheck find WORDS) and codes (dossiercheck
# describe TABLE), add source, metric and unit, check value, qualifier and period, move it into a theme file
# and remove 'draft: true'. A number that is not a figure (list numbering, a date): add its words to
# not_figures.yaml with a reason instead.
"""


def write_drafts(
    out: Path | str, entries: list[dict[str, Any]], text_path: Path | str, lines: dict[str, int]
) -> bool:
    """Write ``entries`` to ``out`` (the claims folder's _draft.yaml), or remove an earlier draft file when
    there is nothing to draft. Refuses to replace a file that the scan did not write. True: written."""
    out = Path(out)
    if out.exists():
        old = load_yaml(out) if out.is_file() else None
        if not (isinstance(old, dict) and "draft_of" in old):
            raise RegistryError(
                f"{out} exists and was not written by dossiercheck scan (it has no 'draft_of'): it is not "
                f"replaced. Give another file with --out (the default is {DRAFT_FILE} in the claims folder)."
            )
        if not entries:
            out.unlink()
            return False
    if not entries:
        return False
    body = yaml.safe_dump({"draft_of": str(text_path)}, allow_unicode=True, sort_keys=False, width=10_000)
    body += "claims:\n"
    for entry in entries:
        item = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=10_000)
        body += f"  # line {lines[entry['id']]}\n" + "".join(f"  {line}\n" for line in item.splitlines())
    atomic_write_text(out, DRAFT_HEADER + body)
    return True


def scan_document(
    text_path: Path | str,
    claims_dir: Path | str,
    not_figures_path: Path | str | None = None,
    out: Path | str | None = None,
) -> tuple[ScanResult, list[dict[str, Any]], Path]:
    """Scan the text and write the drafts (or remove a stale draft file): the result, the drafts and the
    draft file's path. ``not_figures_path`` None: not_figures.yaml in or beside the claims folder."""
    if not_figures_path is None:
        not_figures_path = default_not_figures(claims_dir)
    out = Path(out) if out else Path(claims_dir) / DRAFT_FILE
    registry_files = {p.resolve() for p in claim_files(claims_dir)}
    if out.resolve() in registry_files or (
        not_figures_path and out.resolve() == Path(not_figures_path).resolve()
    ):
        raise RegistryError(
            f"--out {out} is a file of the registry; the scan never overwrites claims. Leave --out out (drafts "
            f"go to {DRAFT_FILE} in the claims folder) or name another file."
        )
    result = scan(text_path, claims_dir, not_figures_path)
    entries = drafts(result)
    pending = [s for s in result.statements if not s.drafted_in]
    lines = {e["id"]: s.line for e, s in zip(entries, pending, strict=True)}
    write_drafts(out, entries, text_path, lines)
    return result, entries, out

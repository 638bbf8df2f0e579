"""The dossier's wording, read with the precision it was written in.

A figure in the dossier is a phrase: "ruim een miljoen", "een kleine 1,4 miljoen", "39 procent", "bijna
verdubbeld", "een op de vijf". ``read_wording`` turns the phrase into a ``Reading``: its qualifier, the
number it names and its *step*, the unit of the number's last significant digit as written (or, for a
round number in words, the next step a writer would name: "een miljoen" -> "anderhalf miljoen").

Each qualifier admits a band measured in steps around the number (``qualifiers`` in config/config.yaml):

    exact, ongeveer       X - step/2 <= v < X + step/2     "39 procent": 38,5 .. 39,5
    bijna, een kleine     X - step   <= v < X              "een kleine 1,4 miljoen": 1,3 .. 1,4 miljoen
    ruim                  X < v < X + step                 "ruim een miljoen": 1 .. 1,5 miljoen

``band`` returns the absolute band in the claim's own unit; ``judge`` says whether a value is in it;
``suggest`` writes the dossier's phrase anew for another value, in the same style and precision.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from text_to_num import text2num

from dossiercheck.errors import RegistryError
from dossiercheck.fmt import nl_number

# Phrases that open a figure, longest first, and the qualifier each means.
QUALIFIER_WORDS = [
    ("niet boven de", "niet_boven"),
    ("niet boven", "niet_boven"),
    ("niet meer dan", "niet_boven"),
    ("ten minste", "minstens"),
    ("tenminste", "minstens"),
    ("minstens", "minstens"),
    ("meer dan", "meer_dan"),
    ("minder dan", "minder_dan"),
    ("een kleine", "een_kleine"),
    ("maar liefst", "exact"),  # emphasis, not a bound
    ("ongeveer", "ongeveer"),
    ("circa", "circa"),
    ("bijna", "bijna"),
    ("ruim", "ruim"),
]
# Words that multiply the number before them.
MAGNITUDES = {"miljoen": 1e6, "miljard": 1e9, "duizend": 1e3}
# A multiple written as a verb: "verdubbeld" is 2 times, read to one decimal (the issue's "bijna
# verdubbeld" = at least 1,9 and under 2).
MULTIPLIERS = {"verdubbeld": 2, "verdrievoudigd": 3, "verviervoudigd": 4, "vervijfvoudigd": 5}
MULTIPLIER_STEP = 0.1
# Halves a writer names in words.
HALVES = {"anderhalf": 1.5, "anderhalve": 1.5}
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")

# --- what in a text marks a figure (dossiercheck scan, and the registry's coverage test) ------------------
# Numbers in words: the tens and up as part of a compound ("zesenvijftig", "honderdduizend"), two to
# nineteen, magnitudes, halves and multiples. Not "een": it is an article far more often than a number
# (the phrases read it where a magnitude or "op de" follows: "een miljoen", "een op de vijf").
NUMBER_WORDS = "|".join(
    [
        r"\w*(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend)\w*",
        "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien",
        "zeventien|achttien|negentien",
        *MAGNITUDES,
        "helft",
        *HALVES,
        r"\w+ënhalf",
        *MULTIPLIERS,
    ]
)
# Words by which a sentence asserts a trend or a comparison without a number ("vaker", "stijgende").
TREND_WORDS = (
    r"vaker|steeds|groeiend\w*|stijgend\w*|dalend\w*|toenemend\w*|toename|afname|toegenomen|afgenomen|stijging|daling"
    r"|gestegen|gedaald|opgelopen|gestabiliseerd|aan het (?:dalen|stijgen)|(?:neemt|nemen) (?:toe|af)"
    r"|steeg|stegen|stijgt|daalde|daalden|daalt"
    r"|opmars|krapte|sterker dan|hoger dan|lager dan|minder dan|meer dan|groot deel"
)
# A figure's marks in a text: digits ("1,4", "26.600", "2023"), numbers in words, trend and comparison words.
FIGURE_MARKS = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{NUMBER_WORDS})\b|\b(?:{TREND_WORDS})\b", re.IGNORECASE)
# The qualifier a trend or comparison word states (the registry's 'qualifier' for a claim without a
# number); "steeds", "krapte", "gestabiliseerd", "groot deel" state none a table could judge.
TREND_QUALIFIERS = {
    "meer_dan": r"vaker|sterker dan|hoger dan|meer dan",
    "minder_dan": r"minder dan|lager dan",
    "stijgt": r"groeiend\w*|stijgend\w*|toenemend\w*|toename|toegenomen|stijging|gestegen|opgelopen"
    r"|aan het stijgen|(?:neemt|nemen) toe|opmars|steeg|stegen|stijgt",
    "daalt": r"dalend\w*|afname|afgenomen|daling|gedaald|aan het dalen|(?:neemt|nemen) af|daalde|daalden|daalt",
}


def trend_qualifier(words: str) -> str | None:
    """The qualifier a trend or comparison word states: "vaker" -> meer_dan, "dalende" -> daalt,
    "neemt toe" -> stijgt; None for one that states no direction ("steeds", "krapte")."""
    text = " ".join(words.lower().split())
    for qualifier, pattern in TREND_QUALIFIERS.items():
        if re.fullmatch(pattern, text):
            return qualifier
    return None


_SMALL_WORDS = {
    1: "een",
    2: "twee",
    3: "drie",
    4: "vier",
    5: "vijf",
    6: "zes",
    7: "zeven",
    8: "acht",
    9: "negen",
    10: "tien",
}


@dataclass(frozen=True)
class Reading:
    """What a phrase of the dossier says: a qualifier and a number with its step (both in the phrase's
    own units: 1_000_000 for "een miljoen", 0.5 for "de helft", 2 for "verdubbeld")."""

    text: str
    qualifier: str
    number: float
    step: float
    form: str  # digits | words | fraction | one_in | multiplier | range
    low: float | None = None  # ranges: the lower end ("100 tot 200 euro")
    high_exclusive: bool = False  # ranges: "tot bijna 500"
    magnitude: str = ""  # "miljoen" when the phrase names one
    tail: str = ""  # words after the number ("procent", "keer vaker")
    step_down: float | None = None  # the step below the number, where it differs (see _word_number)

    @property
    def below(self) -> float:
        return self.step if self.step_down is None else self.step_down


def _last_digit_unit(text: str) -> float:
    """The unit of the last significant digit of a number written in digits: '1,4' -> 0.1, '39' -> 1,
    '26.600' -> 100 (trailing zeros of a whole number are taken as rounding)."""
    if "," in text:
        return 10.0 ** -len(text.split(",")[1])
    digits = text.replace(".", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10.0**zeros if digits.strip("0") else 1.0


def _word_number(word: str) -> tuple[float, float, float | None]:
    """A number in words, its step and (where it differs) its step downwards: 'zesenvijftig' -> (56, 1);
    'twee' -> (2, 0.5); 'tweeënhalf' -> (2.5, 0.5); 'een' -> (1, 0.5, 0.1). A round number (one digit
    and zeros, or a half) steps by half its leading unit, the next number a writer would name
    ('anderhalf', 'tweeënhalf'); below a leading 1 the next name is a tenth down ('negenhonderdduizend'
    below 'een miljoen'), so "bijna een miljoen" is 900.000 up to a million."""
    w = word.lower().replace("ë", "e")
    if w in HALVES:
        return HALVES[w], 0.5, None
    m = re.fullmatch(r"(\w+?)enhalf", w)
    if m:
        return _word_int(m.group(1)) + 0.5, 0.5, None
    n = _word_int(w)
    lead = 10 ** math.floor(math.log10(n)) if n else 1
    if n % lead == 0:  # one digit and zeros: a round word
        return float(n), lead / 2, (lead / 10 if n == lead else None)
    return float(n), float(_last_digit_unit(str(n))), None


def _word_int(w: str) -> int:
    try:
        return int(text2num(w, "nl"))
    except ValueError:
        raise ValueError(f"{w!r} is not a Dutch number") from None


def _read_number(text: str) -> tuple[float, float, str, str, str, float | None]:
    """(number, step, form, magnitude, tail, step_down) of the part of a phrase after its qualifier."""
    t = text.strip()
    low = t.lower()
    if low in MULTIPLIERS or low.split()[0] in MULTIPLIERS:
        word = low.split()[0]
        return float(MULTIPLIERS[word]), MULTIPLIER_STEP, "multiplier", "", t[len(word) :].strip(), None
    if low.startswith("de helft"):
        return 0.5, 0.1, "fraction", "", t[len("de helft") :].strip(), None
    m = re.match(r"(?:een )?half (miljoen|miljard)\b(.*)$", low)
    if m:  # "een half miljoen": the next amount a writer names is 600.000
        mag = MAGNITUDES[m.group(1)]
        return 0.5 * mag, 0.1 * mag, "words", m.group(1), m.group(2).strip(), None
    m = re.match(r"(een|één|1)\s+op\s+de\s+(\w+)(.*)$", low)
    if m:
        n = _digits_or_words(m.group(2))[0]
        # the tail as written ("Nederlanders"), not lowered: a proposal quotes it
        return 1 / n, 1 / n - 1 / (n + 1), "one_in", "", t[m.start(3) :].strip(), None
    m = _NUMBER.match(t)
    if m:
        number = float(parse_decimal(m.group(0), locale="nl_NL"))
        step, down = _last_digit_unit(m.group(0)), None
        form, rest = "digits", t[m.end() :].strip()
    else:
        word, _, rest = t.partition(" ")
        number, step, down = _word_number(word)
        form = "words"
    magnitude = ""
    first = rest.split(" ", 1)[0].lower() if rest else ""
    if first in MAGNITUDES:
        mag = MAGNITUDES[first]
        number, step, magnitude = number * mag, step * mag, first
        down = None if down is None else down * mag
        rest = rest[len(first) :].strip()
    elif form == "words" and number == 1 and not rest.lower().startswith("keer"):
        raise ValueError("'een' is an article here, not a number")  # "een groeiende groep"
    return number, step, form, magnitude, rest, down


def _digits_or_words(token: str) -> tuple[float, float]:
    try:
        return float(parse_decimal(token, locale="nl_NL")), 1.0
    except NumberFormatError:
        return _word_number(token)[:2]


def _split_qualifier(text: str) -> tuple[str, str]:
    low = text.lower()
    for words, qualifier in QUALIFIER_WORDS:
        if low.startswith(words + " "):
            return qualifier, text[len(words) :].strip()
    return "exact", text.strip()


def _range_low(text: str) -> tuple[float, str] | None:
    """(number, magnitude) of the part before "tot" when it is the lower end of a range: digits ("1",
    "200", "1 miljoen") or one number word, with or without its magnitude ("twee", "een", "anderhalf
    miljoen"; "een" is a number here, not an article); None for anything else ("een groeiende groep")."""
    if _NUMBER.search(text):
        number, _, _, magnitude, _, _ = _read_number(text)
        return number, magnitude
    words = text.lower().split()
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1] not in MAGNITUDES):
        return None
    try:
        number = _word_number(words[0])[0]
    except ValueError:
        return None
    magnitude = words[1] if len(words) == 2 else ""
    return number * MAGNITUDES.get(magnitude, 1.0), magnitude


def read_wording(text: str) -> Reading:
    """Read a phrase of the dossier. Raises ``ValueError`` (with the phrase) when it names no number.
    Any white space (a non-breaking space, a tab) reads as one plain space; ``Reading.text`` keeps the
    phrase as written."""
    plain = " ".join(text.split())
    try:
        range_m = re.match(r"^(.*?\S)\s+(?:tot|à|a)\s+(.+)$", plain)
        low_end = range_m and _range_low(_split_qualifier(range_m.group(1))[1])
        if low_end:
            lo, lo_magnitude = low_end
            hq, htext = _split_qualifier(range_m.group(2))
            hi, hi_step, _, magnitude, tail, _ = _read_number(htext)
            mag = MAGNITUDES.get(magnitude, 1.0)
            if magnitude and not lo_magnitude and lo < hi / mag:
                lo *= mag  # "1 tot 2 miljoen": the lower end counts in the upper end's millions
            exclusive = hq in ("bijna", "een_kleine")
            return Reading(text, "range", hi, hi_step, "range", lo, exclusive, magnitude, tail)
        qualifier, rest = _split_qualifier(plain)
        number, step, form, magnitude, tail, down = _read_number(rest)
    except (ValueError, NumberFormatError, IndexError) as e:
        raise ValueError(f"cannot read a number in {text!r} ({e})") from None
    return Reading(text, qualifier, number, step, form, magnitude=magnitude, tail=tail, step_down=down)


@dataclass(frozen=True)
class Band:
    """The values a phrase admits, in the claim's own unit. ``None``: unbounded on that side."""

    low: float | None
    high: float | None
    low_inclusive: bool = True
    high_inclusive: bool = False

    def contains(self, v: float) -> bool:
        # a hair of tolerance for binary fractions (0,1 steps): 1,9 must be inside "bijna verdubbeld"
        eps = 1e-9 * max(1.0, abs(v))
        if self.low is not None and (v < self.low - eps or (not self.low_inclusive and v <= self.low + eps)):
            return False
        return not (
            self.high is not None
            and (v > self.high + eps or (not self.high_inclusive and v >= self.high - eps))
        )

    def describe(self, fmt) -> str:
        """In Dutch, with ``fmt`` formatting a value of the claim: 'meer dan 1 miljoen en minder dan 1,5 miljoen'."""
        low = None if self.low is None else fmt(self.low)
        high = None if self.high is None else fmt(self.high)
        if low and high:  # the unit once, at the end: "minstens 1,90 en minder dan 2,00 keer ..."
            common = os.path.commonprefix([low[::-1], high[::-1]])[::-1]
            if " " in common:
                low = low[: len(low) - len(common) + common.index(" ")]
        parts = []
        if low is not None:
            parts.append(("minstens " if self.low_inclusive else "meer dan ") + low)
        if high is not None:
            parts.append(("hoogstens " if self.high_inclusive else "minder dan ") + high)
        return " en ".join(parts) or "elke waarde"


def qualifier_spec(qualifier: str, qualifiers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    try:
        return qualifiers[qualifier]
    except KeyError:
        raise RegistryError(
            f"qualifier {qualifier!r} is not defined; use one of: {', '.join(sorted(qualifiers))} "
            "or add it under 'qualifiers' in config/config.yaml."
        ) from None


def band(
    reading: Reading, scale: float, qualifiers: dict[str, dict[str, Any]], qualifier: str | None = None
) -> Band:
    """The band ``reading`` admits, in the claim's unit (``scale`` = claim value / the phrase's number)."""
    q = qualifier or reading.qualifier
    spec = qualifier_spec(q, qualifiers)
    x, up, down = reading.number * scale, reading.step * scale, reading.below * scale
    if q == "range":
        # a range is a band already: its ends are taken as written ("tot bijna 500": under 500)
        return Band(reading.low * scale, x, True, not reading.high_exclusive)
    low = None if spec.get("low") is None else x + spec["low"] * (down if spec["low"] < 0 else up)
    high = None if spec.get("high") is None else x + spec["high"] * (down if spec["high"] < 0 else up)
    return Band(low, high, spec.get("low_inclusive", True), spec.get("high_inclusive", False))


def judge(value: float, admitted: Band) -> str:
    """'holds' when the wording admits ``value``, else 'contradicts'."""
    return "holds" if admitted.contains(value) else "contradicts"


def qualifier_direction(qualifier: str, qualifiers) -> str | None:
    """'up' or 'down' for a trend qualifier, None for any other."""
    try:
        return qualifier_spec(qualifier, qualifiers).get("direction")
    except RegistryError:
        return None


def judge_direction(value: float, qualifier: str, qualifiers) -> str:
    """A trend qualifier ("stijgt", "daalt") judges the sign of a slope."""
    direction = qualifier_spec(qualifier, qualifiers).get("direction")
    if direction not in ("up", "down"):
        raise RegistryError(f"qualifier {qualifier!r} has no direction; a trend needs 'stijgt' or 'daalt'.")
    return "holds" if (value > 0 if direction == "up" else value < 0) else "contradicts"


def claim_scale(reading: Reading, value: float, where: str) -> float:
    """How the claim's unit relates to the phrase's number: a power of ten (1000 for "× 1.000 personen"
    with "een miljoen" -> value 1000 means 1e-3; "de helft" with value 50 in % means 100)."""
    if reading.number == 0:
        raise RegistryError(f"{where}: the wording {reading.text!r} names zero.")
    scale = value / reading.number
    exponent = math.log10(abs(scale)) if scale else float("nan")
    if scale <= 0 or abs(exponent - round(exponent)) > 1e-9:
        raise RegistryError(
            f"{where}: value {value} does not match the wording {reading.text!r} (which names "
            f"{reading.number:g}); state the value in the claim's unit, e.g. {reading.number:g} or "
            f"{reading.number / 1000:g} for a unit of '× 1.000 ...'."
        )
    return 10.0 ** round(exponent)


# --- writing the phrase anew -----------------------------------------------------------------------------


def _words_for(n: float) -> str | None:
    """'een' .. 'tien', 'anderhalf', 'tweeënhalf' .. 'tienënhalf'; None for anything else."""
    whole, half = int(n), n % 1 == 0.5
    if n % 1 not in (0, 0.5) or whole not in _SMALL_WORDS:
        return None
    if half:
        return "anderhalf" if whole == 1 else _SMALL_WORDS[whole] + "ënhalf"
    return _SMALL_WORDS[whole]


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def _number_text(n: float, reading: Reading, step: float) -> str:
    """``n`` (in the phrase's units) written in the style of ``reading``."""
    mag = MAGNITUDES.get(reading.magnitude, 1.0)
    m = n / mag
    words = _words_for(m) if reading.form == "words" else None
    text = words or nl_number(m, _decimals(step / mag))
    return f"{text} {reading.magnitude}".strip()


def _snap(v: float, step: float, how: str) -> float:
    q = v / step
    k = {"floor": math.floor(q + 1e-9), "ceil": math.ceil(q - 1e-9), "round": math.floor(q + 0.5)}[how]
    return k * step


def phrase_for(value: float, reading: Reading, scale: float, qualifiers) -> str:
    """The phrase of ``reading`` written anew for ``value`` (in the claim's unit), in the same style and
    precision, such that the new phrase admits the value: "bijna verdubbeld" at 2,36 -> "meer dan
    verdubbeld"; "39 procent" at 39,6 -> "40 procent"; "ongeveer 7 miljoen" at 8,27 M -> "ongeveer 8 miljoen"."""
    v = value / scale
    q, step = reading.qualifier, reading.step
    tail = f" {reading.tail}" if reading.tail else ""
    if reading.form == "multiplier":
        whole = int(math.floor(v + 1e-9))
        verbs = {n: w for w, n in MULTIPLIERS.items()}
        if whole + 1 in verbs and v >= whole + 1 - MULTIPLIER_STEP:
            return f"bijna {verbs[whole + 1]}{tail}"
        if whole in verbs:
            return ("meer dan " if v > whole else "") + verbs[whole] + tail
        return f"met {nl_number(100 * (v - 1), 0)} procent gestegen"
    if reading.form == "one_in":
        n = max(1, round(1 / v)) if v > 0 else 0
        return f"een op de {_SMALL_WORDS.get(n, str(n))}{tail}" if n else f"geen{tail}"
    if reading.form == "fraction":
        if 0.5 < v < 0.6:
            return f"ruim de helft{tail}"
        if 0.4 <= v < 0.5:
            return f"bijna de helft{tail}"
        if abs(v - 0.5) < 1e-9:
            return f"de helft{tail}"
        return f"{nl_number(100 * v, 0)} procent{tail}"
    if q in ("bijna", "een_kleine"):
        n = _snap(v, reading.below, "ceil")
        prefix = (
            "" if abs(n - v) < 1e-9 * max(1, abs(v)) else ("een kleine " if q == "een_kleine" else "bijna ")
        )
    elif q == "ruim":
        n = _snap(v, step, "floor")
        prefix = "" if abs(n - v) < 1e-9 * max(1, abs(v)) else "ruim "
    else:
        n = _snap(v, step, "round")
        # a bound ("meer dan", "minstens", ...) that no longer holds is replaced by the figure itself
        prefix = {"ongeveer": "ongeveer ", "circa": "circa "}.get(q, "")
    if n == 0:
        # the figure rounds to nothing at the wording's precision: the figure itself, in the phrase's own
        # numbers ("0,30 procent"; a count without decimals), with no "ruim" or "bijna" it would not admit
        plain = prefix if q in ("ongeveer", "circa") else ""
        return f"{plain}{nl_number(v, 2 if abs(v) < 10 else 0)}{tail}"
    return f"{prefix}{_number_text(n, reading, min(step, reading.below))}{tail}"


def replace_phrase(quote: str, old: str, new: str) -> str:
    """The quote with its phrase ``old`` replaced by ``new``, keeping a capital at the sentence's start."""
    # the words of ``old`` with any white space between them (a quote's non-breaking space, a tab)
    m = re.search(r"\s+".join(map(re.escape, old.split())), quote, re.IGNORECASE) if old.strip() else None
    if m is None:
        raise RegistryError(f"the wording {old!r} is not in the quote {quote!r}.")
    if quote[m.start() : m.start() + 1].isupper():
        new = new[:1].upper() + new[1:]
    return quote[: m.start()] + new + quote[m.end() :]


# --- the rest of a proposed sentence ---------------------------------------------------------------------

# Finite verbs that agree with a counted subject, singular -> plural (present and past tense). A verb not
# listed is left as written: a wrong guess ("leeften") is worse than an agreement left for the editor.
VERB_PLURALS = {
    "is": "zijn", "was": "waren",
    "heeft": "hebben", "had": "hadden",
    "wordt": "worden", "werd": "werden",
    "krijgt": "krijgen", "kreeg": "kregen",
    "kan": "kunnen", "kon": "konden",
    "zal": "zullen", "zou": "zouden",
    "moet": "moeten", "moest": "moesten",
    "wil": "willen", "wilde": "wilden",
    "mag": "mogen", "mocht": "mochten",
    "woont": "wonen", "woonde": "woonden",
    "leeft": "leven", "leefde": "leefden",
    "werkt": "werken", "werkte": "werkten",
    "gaat": "gaan", "ging": "gingen",
    "staat": "staan", "stond": "stonden",
    "komt": "komen", "kwam": "kwamen",
    "doet": "doen", "deed": "deden",
    "zit": "zitten", "zat": "zaten",
    "valt": "vallen", "viel": "vielen",
    "blijft": "blijven", "bleef": "bleven",
    "voert": "voeren", "voerde": "voerden",
    "ervaart": "ervaren", "ervoer": "ervoeren",
    "maakt": "maken", "maakte": "maakten",
    "verdient": "verdienen", "verdiende": "verdienden",
}  # fmt: skip
VERB_SINGULARS = {plural: singular for singular, plural in VERB_PLURALS.items()}
_WORDS_AFTER = re.compile(r"(?:\s+[^\W\d_]+){1,3}")


def _counts_one(reading: Reading) -> bool | None:
    """True when ``reading`` counts one ("een miljoen": one million), False for more ("700.000",
    "anderhalf miljoen"); None when the phrase is no count a verb agrees with by number: a share ("15
    procent ... krijgt" and "... krijgen" are both Dutch), a fraction, a multiple, a range."""
    if reading.form not in ("words", "digits") or reading.tail or reading.qualifier == "range":
        return None
    return math.isclose(reading.number / MAGNITUDES.get(reading.magnitude, 1.0), 1.0)


def agree_verb(sentence: str, phrase: str) -> str:
    """``sentence`` with the finite verb that follows the noun counted by ``phrase`` (a phrase of the
    sentence) made to agree with the count: "Ongeveer 700.000 mensen heeft" -> "... mensen hebben", "Een
    miljoen mensen hebben" -> "... mensen heeft". The verb is looked for right after the noun ("mensen
    heeft") or after an adjective ending in -e and its noun ("oudere mensen heeft"), and must be in
    ``VERB_PLURALS``; anything else ("mensen met een beperking heeft", a verb before its subject) leaves
    the sentence as it is."""
    i = sentence.lower().find(phrase.lower())
    if i < 0:
        return sentence
    try:
        one = _counts_one(read_wording(phrase))
    except ValueError:
        return sentence
    if one is None:
        return sentence
    end = i + len(phrase)
    m = _WORDS_AFTER.match(sentence, end)
    if not m:
        return sentence
    words = [(w.start(), w.group(0)) for w in re.finditer(r"[^\W\d_]+", m.group(0))]
    known = VERB_PLURALS.keys() | VERB_SINGULARS.keys()
    if len(words) >= 2 and words[0][1].lower() not in known and words[1][1].lower() in known:
        at, verb = words[1]
    elif (
        len(words) == 3
        and words[0][1].lower().endswith("e")
        and not {words[0][1].lower(), words[1][1].lower()} & known
        and words[2][1].lower() in known
    ):
        at, verb = words[2]
    else:
        return sentence
    new = (VERB_SINGULARS if one else VERB_PLURALS).get(verb.lower())
    if new is None:  # already agrees
        return sentence
    at += end
    return sentence[:at] + new + sentence[at + len(verb) :]


def flatten_brackets(text: str) -> str:
    """Brackets inside a name or title written with commas, for a text that itself goes between
    brackets: "RIVM/CBS (Gezondheidsmonitor)" -> "RIVM/CBS, Gezondheidsmonitor"."""
    while True:
        flat = re.sub(r"\s*\(([^()]*)\)", r", \1", text)
        if flat == text:
            return text.strip(" ,")
        text = flat


def with_bracket(sentence: str, inside: str) -> str:
    """``sentence`` (without its full stop) with ``inside`` between brackets at its end: one pair of
    brackets, never two. Brackets within ``inside`` are flattened; a sentence that itself ends in a bracket
    ("… beperking (lvb)") takes ``inside`` into that bracket, after a semicolon ("(lvb; 1,1 miljoen
    personen, 2019; SCP)")."""
    inside = flatten_brackets(inside)
    sentence = sentence.rstrip()
    if not inside:  # nothing to add: no empty brackets
        return f"{sentence}."
    if sentence.endswith(")"):
        return f"{sentence[:-1]}; {inside})."
    return f"{sentence} ({inside})."

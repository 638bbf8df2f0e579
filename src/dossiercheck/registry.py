"""The claim registry as configuration: read, checked and summarised without the data. Light on purpose
(no pandas): the workflow imports it when it is parsed, before anything runs, and a typo must stop it then.
recompute_claims (claims.py) does the work with the data."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dossiercheck.errors import ClaimError, RegistryError
from dossiercheck.wording import Reading, claim_scale, read_wording

# Every metric kind (metrics.METRICS) and the keys it needs under a claim's 'metric'.
METRIC_FIELDS: dict[str, tuple[str, ...]] = {
    "value": ("measure",),
    "sum": ("measures",),
    "ratio": ("numerator", "denominator"),
    "share": ("numerator", "denominator"),
    "change": ("measure", "from"),
    "change_on_year_earlier": ("measure",),
    "change_on_previous_period": ("measure",),
    "multiple_of_trough": ("measure", "trough_from", "trough_to"),
    "multiple_of_peak": ("measure", "trough_from", "trough_to"),
    "trend": ("measure",),
}


def metric_fields(kind: Any) -> tuple[str, ...]:
    """The keys metric ``kind`` needs; ``ClaimError`` with the valid kinds for an unknown one."""
    if kind not in METRIC_FIELDS:
        raise ClaimError(f"metric kind {kind!r} is unknown; use one of: {', '.join(sorted(METRIC_FIELDS))}.")
    return METRIC_FIELDS[kind]


def selections(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The selections a spec reads, by role, each as {measure, filters}; the measure the table publishes
    the figure in (spec 'published') last, as role 'published'."""
    common = spec.get("filters") or {}
    if spec.get("numerator") or spec.get("denominator"):
        out = {
            role: {
                "measure": spec[role]["measure"],
                "filters": {**common, **(spec[role].get("filters") or {})},
            }
            for role in ("numerator", "denominator")
        }
    elif spec.get("measures"):
        out = {m: {"measure": m, "filters": common} for m in spec["measures"]}
    else:
        out = {"value": {"measure": spec["measure"], "filters": common}}
    if spec.get("published"):
        out["published"] = {"measure": spec["published"], "filters": common}
    return out


# libyaml's parser where PyYAML was built with it (the wheels are): ten times faster than the pure-Python
# one, which matters when the workflow reads every claim file before it can tell that nothing is to do.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path | str) -> Any:
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=YAML_LOADER)  # noqa: S506 - safe
    except yaml.YAMLError as e:
        raise RegistryError(f"{path} is not valid YAML: {e}. Fix the file and run again.") from e


def load_registry(
    path: Path, sources: dict[str, Any] | None = None, qualifiers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A theme's claim file, with the checks JSON Schema cannot express (see ``check_registry``), its
    drafts (``draft: true``) left out: a draft is never judged."""
    reg = load_yaml(path)
    check_registry(reg, path, sources, qualifiers)
    return {**reg, "claims": [c for c in reg["claims"] if not is_draft(c)]}


# What `dossiercheck scan` writes beside the theme files: draft claims for the sentences no claim covers
# yet. Never read as claims: an analyst moves an entry into a theme file when its source is filled in.
DRAFT_FILE = "_draft.yaml"
NOT_FIGURES_FILE = "not_figures.yaml"


def is_draft(claim: Any) -> bool:
    """A draft (``draft: true``): a sentence noted for a claim, without the source to check it against yet."""
    return isinstance(claim, dict) and claim.get("draft") is True


def claim_files(claims_dir: Path | str) -> list[Path]:
    """The theme files of a claims folder (dossiers/<slug>/claims/): every ``*.yaml``
    but the scan's drafts (``_draft.yaml``) and the list of numbers that are not figures."""
    folder = Path(claims_dir)
    if not folder.is_dir():
        raise RegistryError(
            f"{folder} is not a folder of claim files. Give the folder that holds the theme files "
            "(e.g. dossiers/bestaanszekerheid-2023/claims), or create it."
        )
    return sorted(p for p in folder.glob("*.yaml") if p.name not in (DRAFT_FILE, NOT_FIGURES_FILE))


def check_registry(
    reg: Any,
    path: Path | str,
    sources: dict[str, Any] | None = None,
    qualifiers: dict[str, Any] | None = None,
    document_date: date | str | None = None,
) -> None:
    """Everything the configuration alone can tell about a theme's claims, so that a typo stops the run
    when the workflow is parsed, before anything is fetched: unique ids, wording against value, ranges and
    comparisons, cross-checks, metric names and their fields, and (given ``sources`` and ``qualifiers``,
    as the workflow does) that each source and qualifier exists. Each error names the file, the claim and
    the valid choices."""
    if isinstance(document_date, str):
        document_date = date.fromisoformat(document_date)
    if not isinstance(reg, dict) or not isinstance(reg.get("claims"), list):
        raise RegistryError(
            f"{path}: expected keys 'theme' and 'claims' (a list). See README.md, 'How to add a claim'."
        )
    seen: set[str] = set()
    ids = {c.get("id") for c in reg["claims"]}
    for claim in reg["claims"]:
        cid = claim.get("id", "?")
        where = f"{path}, claim {cid}"
        if cid in seen:
            raise RegistryError(f"{path}: claim id {cid!r} appears twice; ids must be unique.")
        seen.add(cid)
        if is_draft(claim):  # not judged, so nothing to check against: it needs no source or metric yet
            continue
        reading = None
        if claim.get("value") is not None:
            reading, scale = claim_reading(claim, where)
            _check_range(claim, reading, scale, where)
        _check_comparison(claim, where)
        if qualifiers is not None:
            for q in {claim.get("qualifier"), reading.qualifier if reading else None} - {None}:
                if q not in qualifiers:
                    raise RegistryError(
                        f"{where}: qualifier {q!r} is not defined; use one of: {', '.join(sorted(qualifiers))} "
                        "(config/config.yaml, 'qualifiers')."
                    )
        main = claim.get("cross_check_of")
        if main is not None and (main not in ids or main == cid):
            raise RegistryError(
                f"{where}: cross_check_of {main!r} is not another claim of this theme; name the id of the "
                "claim this one checks."
            )
        if not claim.get("recomputable", True):
            continue
        _check_named_period(claim, where, document_date)
        if sources is not None and claim.get("source") not in sources:
            raise RegistryError(
                f"{where}: source {claim.get('source')!r} is not in config/sources.yaml (it has: "
                f"{', '.join(sorted(sources))}). Add it there or fix the claim."
            )
        for key, source, spec in claim_reads(claim):
            _check_metric(spec, f"{where}{'' if key == 'metric' else ', ' + key}")
            if sources is not None and source not in sources:
                raise RegistryError(
                    f"{where}: {key} reads source {source!r}, which is not in config/sources.yaml (it has: "
                    f"{', '.join(sorted(sources))})."
                )


def _check_metric(spec: dict[str, Any], where: str) -> None:
    kind = (spec or {}).get("kind")
    try:
        required = metric_fields(kind)
    except ClaimError as e:
        raise RegistryError(f"{where}: {e}") from None
    missing = [k for k in required if k not in spec]
    if missing:
        raise RegistryError(f"{where}: metric {kind} needs {', '.join(missing)} under 'metric'.")


MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_MONTH = "|".join(MONTHS_NL)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_ALONE = re.compile(rf"\b(?:in|over|per|eind|begin|half)\s+({_MONTH})\b(?!\s+\d{{4}})", re.IGNORECASE)
# "in 2021", "In 2020", "over 2022", "van 37 procent in 2012": a year the sentence is about; not "sinds
# 2013" or "tot 2030", which name a reference or a target
_YEAR = re.compile(r"\b(?:in|over|per|eind|begin)\s+(\d{4})\b", re.IGNORECASE)
_RELATIVE = {
    re.compile(r"\bvorig(?:e)? jaar\b", re.IGNORECASE): ("year", -1),
    re.compile(r"\bdit jaar\b", re.IGNORECASE): ("year", 0),
    re.compile(r"\bvorige maand\b", re.IGNORECASE): ("month", -1),
}


def named_periods(quote: str, document_date: date | None = None) -> list[tuple[int, int | None]]:
    """The periods a sentence names as what it is about, as (year, month or None): "in januari 2024",
    "In 2020", "in januari" and "vorig jaar" (both read from the document's date: the latest such month
    not after it). Years after "sinds" or "tot" are references, not the sentence's period."""
    text = " ".join(quote.split())
    found: list[tuple[int, int | None]] = []
    for m in _MONTH_YEAR.finditer(text):
        found.append((int(m.group(2)), MONTHS_NL.index(m.group(1).lower()) + 1))
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        if 1900 <= year <= 2100 and not any(y == year for y, _ in found):
            found.append((year, None))
    if document_date is not None:
        for m in _MONTH_ALONE.finditer(text):
            month = MONTHS_NL.index(m.group(1).lower()) + 1
            year = document_date.year if month <= document_date.month else document_date.year - 1
            found.append((year, month))
        for pattern, (unit, shift) in _RELATIVE.items():
            if pattern.search(text):
                if unit == "year":
                    found.append((document_date.year + shift, None))
                else:
                    y, mth = divmod(document_date.year * 12 + document_date.month - 1 + shift, 12)
                    found.append((y, mth + 1))
    return list(dict.fromkeys(found))


def _period_fits(code: str, named: tuple[int, int | None]) -> bool:
    """Whether a CBS period code covers the year, or the month, a sentence names. Worked out here rather
    than with periods.period_start/period_end: this runs when the workflow is parsed, and periods imports
    pandas."""
    year, month = named
    if int(code[:4]) != year:
        return False
    if month is None:
        return True
    kind, n = code[4:6], int(code[6:8])
    first, length = {"MM": (n, 1), "KW": (3 * n - 2, 3), "HJ": (6 * n - 5, 6)}.get(kind, (1, 12))
    return first <= month < first + length


def _check_named_period(claim: dict[str, Any], where: str, document_date: date | None) -> None:
    """A registry entry whose stated period contradicts the period its sentence names is refused: the
    sentence is judged on the period it names (and a statement about the present, 'period: dossier',
    names none)."""
    spec = claim.get("metric") or {}
    references = {int(str(spec[k])[:4]) for k in ("trough_from", "trough_to", "from") if spec.get(k)}
    named = [p for p in named_periods(claim.get("quote") or "", document_date) if p[0] not in references]
    if not named:
        return
    words = ", ".join(f"{MONTHS_NL[m - 1]} {y}" if m else str(y) for y, m in named)
    period = str(claim.get("period", "dossier"))
    if period == "dossier":
        raise RegistryError(
            f"{where}: the quote names {words}, so it is about that period, not the present; state it as "
            f"'period' (e.g. {_code_for(named[0])}), or leave the period out of 'quote' if it names a reference."
        )
    if not any(_period_fits(period, n) for n in named):
        raise RegistryError(
            f"{where}: period {period} contradicts the quote, which names {words}; state that period "
            f"(e.g. {_code_for(named[0])})."
        )


def _code_for(named: tuple[int, int | None]) -> str:
    year, month = named
    return f"{year}MM{month:02d}" if month else f"{year}JJ00"


# --- what a quote leans on, and where a claim's period comes from --------------------------------------

# Words by which a quote leans on the sentence before it: a pronoun or demonstrative ("Die is …", "Zij
# zijn …", "dat"), a pointer back ("Daarvan …", "hier"), a connective ("Ook …", "Maar liefst …", "Zo
# blijkt …", "En …") or an opening that continues a sentence ("Het betreft …", "voor de hele
# beroepsbevolking is dat …"). A quote that starts with one of them (a whole word, any case) needs the
# dossier's preceding words as 'context'. Not listed: "het" alone (it opens plain sentences, "Het aandeel
# van …") and "hoewel" (a clause whose main clause follows; the words before it do not explain it).
CONTEXT_WORDS = (
    "die", "dat", "deze", "dit", "zij", "ze", "hij", "hun", "het betreft", "daar", "daarvan", "daarbij",
    "daardoor", "daarmee", "daarnaast", "daarom", "hier", "ook", "maar", "en", "want", "dus", "toch", "zo",
    "bovendien", "verder", "tevens", "voor de",
)  # fmt: skip
_LEANS = re.compile(r"^(?:" + "|".join(re.escape(w) for w in CONTEXT_WORDS) + r")\b", re.IGNORECASE)


def leans_on_context(quote: str) -> str | None:
    """The word of ``CONTEXT_WORDS`` the quote starts with ("Daarvan hebben er …" -> "Daarvan"), else None."""
    m = _LEANS.match(" ".join(quote.split()))
    return m.group(0) if m else None


# How a claim's dossier period came about (the result's dossier.basis): the dossier's own words name it
# ("quote": the sentence, the words before it or its heading say "in 2021", "januari 2023"); it is our
# reading of words that do not literally name it ("reading": "vorig jaar", "2014-2020", the year of the
# report the figure comes from); the dossier names none and it was chosen from the dossier's date and the
# source's publication lag ("assumed"); or there is none ("none": nothing named, nothing recomputed).
PERIOD_BASES = ("quote", "reading", "assumed", "none")


def _named_spans(text: str) -> list[tuple[int, int, int | None, str]]:
    """The periods a text literally names as what it is about, as (position, year, month or None, the
    words): "januari 2023", and a year after in/over/per/eind/begin ("in 2018", "In 2020"). Not "sinds
    2013" or "tot 2030" (a reference, a target), not "2014-2020" (a span), not "vorig jaar" (our reading)."""
    spans = [
        (m.start(), int(m.group(2)), MONTHS_NL.index(m.group(1).lower()) + 1, m.group(0))
        for m in _MONTH_YEAR.finditer(text)
    ]
    taken = [(m.start(2), m.end(2)) for m in _MONTH_YEAR.finditer(text)]
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        if 1900 <= year <= 2100 and not any(a <= m.start(1) < b for a, b in taken):
            spans.append((m.start(1), year, None, m.group(1)))
    return sorted(spans)


def _anchor(claim: dict[str, Any], text: str) -> tuple[int, int] | None:
    """Where the claim's own number stands in ``text``: its wording, else the first of its 'numbers' that
    is not a year; (start, end), or None."""
    candidates = [claim.get("wording")] + [
        n for n in claim.get("numbers") or [] if not re.fullmatch(r"\d{4}", n)
    ]
    for words in candidates:
        # a whole phrase: "20" is not the claim's number inside "2021"
        m = words and re.search(rf"(?<!\w){re.escape(' '.join(words.split()))}(?!\w)", text, re.IGNORECASE)
        if m:
            return m.span()
    return None


def quoted_period(claim: dict[str, Any]) -> str | None:
    """The period (a CBS code: 2018JJ00, 2023MM01) the quote names for the claim's own number, or None.
    Where it names several ("van 38.000 in 2018 naar 97.000 in 2021"), the one nearest after the claim's
    wording (38.000 -> 2018, 97.000 -> 2021), else the nearest before it ("in 2021 220.000"); a claim
    without a wording in the quote takes the last one named (the end of a change it describes)."""
    text = " ".join((claim.get("quote") or "").split())
    spans = _named_spans(text)
    if not spans:
        return None
    anchor = _anchor(claim, text)
    if anchor is None:
        chosen = spans[-1]
    else:
        after = [s for s in spans if s[0] >= anchor[1]]
        before = [s for s in spans if s[0] < anchor[0]]
        chosen = after[0] if after else before[-1] if before else spans[-1]
    return _code_for((chosen[1], chosen[2]))


def _names(claim: dict[str, Any], period: str) -> str | None:
    """Which of the dossier's words name ``period`` itself (the year of a year, the month and year of a
    month), as a sentence: "De zin noemt 2018.", "De tekst ervoor noemt januari 2023."; None when none do."""
    year, kind = int(period[:4]), period[4:6]
    month = int(period[6:8]) if kind == "MM" else None
    if kind not in ("JJ", "MM"):
        return None  # a quarter or a half year: no sentence of the dossier names one
    places = (
        ("quote", "De zin"),
        ("context", "De tekst ervoor"),
        ("section", "De kop in het dossier"),
    )
    for key, who in places:
        text = " ".join((claim.get(key) or "").split())
        spans = _named_spans(text)
        own = [s for s in spans if (s[1], s[2]) == (year, month)]
        if not own:
            continue
        words = own[0][3]
        named = list(dict.fromkeys(s[3] for s in spans))
        if len(named) > 1 and key == "quote" and claim.get("wording"):
            listed = ", ".join(named[:-1]) + " en " + named[-1]
            return f"{who} noemt {listed}; bij “{claim['wording']}” hoort {words}."
        return f"{who} noemt {words}."
    return None


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z\"“'‘(])", text, maxsplit=1)[0] if text else ""


def period_basis(
    claim: dict[str, Any], period: str | None, label: str = "", document_date: date | None = None
) -> tuple[str, str]:
    """(basis, why): how the claim's dossier period ``period`` (a CBS code, or None) came about, one of
    ``PERIOD_BASES``, and one plain-Dutch sentence saying so for the page. Decided from the words: the
    quote, its 'context' or its 'section' naming the period's year (or month and year) makes it "quote"; a
    period the registry states that the words do not literally name is "reading"; 'period: dossier' is
    "assumed". The claim's 'period_basis' overrides the decision where it is wrong, and its
    'period_reading' gives the sentence (else: for "reading" the first sentence of 'period_note')."""
    own = " ".join((claim.get("period_reading") or "").split())
    if period is None:
        return "none", own or (
            "Het dossier noemt voor dit cijfer geen periode; het is niet nagerekend, dus er is ook geen gekozen."
        )
    named = _names(claim, period)
    stated = str(claim.get("period", "dossier")) != "dossier" or not claim.get("recomputable", True)
    basis = claim.get("period_basis") or ("quote" if named else "reading" if stated else "assumed")
    if own:
        return basis, own
    shown = label or period
    if basis == "quote":
        return basis, named or f"Het dossier noemt zelf {shown}."
    if basis == "reading":
        return basis, _first_sentence(claim.get("period_note") or "") or (
            f"De woorden van het dossier noemen {shown} niet letterlijk; zo lezen wij ze."
        )
    when = (
        f"op {document_date.day} {MONTHS_NL[document_date.month - 1]} {document_date.year} (de datum van het "
        "dossier)"
        if document_date
        else "bij het verschijnen van het dossier"
    )
    return basis, (
        f"Het dossier noemt voor dit cijfer geen periode; gekozen is de nieuwste waarvoor de bron {when} al een "
        "cijfer gepubliceerd kon hebben."
    )


def claim_reading(claim: dict[str, Any], where: str) -> tuple[Reading, float]:
    """The claim's wording read (qualifier, number, precision) and the scale from the phrase's number to
    the claim's value. Raises ``RegistryError`` naming the claim when the wording and value disagree."""
    wording = claim.get("wording")
    if not wording:
        raise RegistryError(
            f"{where}: a claim with a value needs 'wording', the dossier's own phrase for it."
        )
    if wording.lower() not in " ".join(claim["quote"].split()).lower():
        raise RegistryError(f"{where}: the wording {wording!r} is not in the quote; copy it verbatim.")
    try:
        reading = read_wording(wording)
    except ValueError as e:
        raise RegistryError(
            f"{where}: {e}. Write the phrase as the dossier does, e.g. 'ruim een miljoen'."
        ) from None
    stated = claim.get("qualifier")
    if stated and stated != reading.qualifier:
        raise RegistryError(
            f"{where}: qualifier {stated!r} disagrees with the wording {wording!r}, which reads as "
            f"{reading.qualifier!r}; leave 'qualifier' out or make the two agree."
        )
    return reading, claim_scale(reading, float(claim["value"]), where)


def _check_range(claim: dict[str, Any], reading: Reading, scale: float, where: str) -> None:
    """A range's lower end ('value_low') must be the wording's, in the claim's unit."""
    low = claim.get("value_low")
    if reading.form == "range":
        if low is None:
            raise RegistryError(
                f"{where}: the wording {reading.text!r} is a range; state its lower end as 'value_low' "
                f"({reading.low * scale:g}) beside 'value' (its upper end)."
            )
        if abs(float(low) - reading.low * scale) > 1e-9 * max(1.0, abs(low)):
            raise RegistryError(
                f"{where}: value_low {low:g} does not match the wording {reading.text!r}, whose lower end is "
                f"{reading.low * scale:g}."
            )
    elif low is not None:
        raise RegistryError(f"{where}: value_low is only for a range ('100 tot 200 euro'); leave it out.")


COMPARISONS = {"meer_dan": "above", "minder_dan": "below"}


def _check_comparison(claim: dict[str, Any], where: str) -> None:
    """A comparison without a number ('vaker') names what it compares with and which way."""
    if claim.get("compare_to") is None:
        return
    if claim.get("value") is not None:
        raise RegistryError(
            f"{where}: compare_to is for a comparison without a number; this claim has 'value'."
        )
    if claim.get("qualifier") not in COMPARISONS:
        raise RegistryError(
            f"{where}: a comparison (compare_to) needs qualifier meer_dan ('vaker', 'hoger') or minder_dan "
            f"('lager'); it has {claim.get('qualifier')!r}."
        )


def judge_comparison(value: float, qualifier: str, compare_to: float) -> str:
    """'Ouderen zijn vaker eenzaam': the ratio is above 1. Equal is not 'vaker'."""
    above = value > compare_to
    below = value < compare_to
    return "holds" if (above if COMPARISONS[qualifier] == "above" else below) else "contradicts"


def claim_reads(claim: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(what, source, metric) for every table a claim reads: its own ('metric'); the table that was current
    when the document was written ('earlier'), to tell a revision from an error; and the other reading of
    the sentence ('alternative'), shown beside the chosen one. Each defaults to the claim's source. A claim
    not recomputed, and a draft, read none."""
    if not claim.get("recomputable", True) or is_draft(claim):
        return []
    out = [("metric", claim["source"], claim["metric"])]
    for key in ("earlier", "alternative"):
        extra = claim.get(key)
        if extra:
            out.append((key, extra.get("source") or claim["source"], extra.get("metric") or claim["metric"]))
    return out


def claim_sources(claim: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(source, metric) for every table a claim reads, its own first (``claim_reads``)."""
    return [(source, spec) for _, source, spec in claim_reads(claim)]


def needs_by_source(registries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per source, what the claims read from it: measure codes, and per dimension the codes they select.

    A dimension is narrowed only when every claim on the source selects a code in it; one claim that
    reads the whole dimension means the whole dimension is needed.
    """
    by_source: dict[str, list[dict[str, Any]]] = {}
    for reg in registries:
        for claim in reg["claims"]:
            for source, spec in claim_sources(claim):
                by_source.setdefault(source, []).append(spec)
    needs = {}
    for source, specs in sorted(by_source.items()):
        # every selection a metric reads (a ratio reads two, each with its own filters on top of the common)
        sels = [sel for spec in specs for sel in selections(spec).values()]
        measures = sorted({sel["measure"] for sel in sels})
        dims = set.intersection(*(set(sel["filters"]) for sel in sels))
        filters = {d: sorted({sel["filters"][d] for sel in sels}) for d in sorted(dims)}
        needs[source] = {"measures": measures, "filters": filters}
    return needs

"""Rule ``recompute_claims``: every claim of one theme, recomputed for the dossier's period and the newest.

The registry (``dossiers/<slug>/claims/<theme>.yaml``) says, per claim, what the dossier says (quote, value,
qualifier, period) and how to recompute it (source, metric, measure, filters). Nothing is evaluated
from the YAML: a metric is looked up by name in ``metrics.METRICS``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from dossiercheck.errors import ClaimError, RegistryError
from dossiercheck.fmt import editor_change, editor_value
from dossiercheck.metrics import compute
from dossiercheck.periods import PROVISIONAL, date_nl, label_nl, period_kind, published_by
from dossiercheck.registry import (  # noqa: F401  (re-exported: the registry's reading lives there)
    COMPARISONS,
    check_registry,
    claim_reading,
    claim_sources,
    judge_comparison,
    load_registry,
    load_yaml,
    needs_by_source,
    period_basis,
    quoted_period,
    selections,
)
from dossiercheck.schemas.claims import ClaimResult
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import MOVED, STATUSES, overall_status, period_why
from dossiercheck.wording import (
    Band,
    Reading,
    agree_verb,
    band,
    judge,
    judge_direction,
    phrase_for,
    qualifier_direction,
    read_wording,
    replace_phrase,
    with_bracket,
)

log = logging.getLogger(__name__)

CSV_FLOAT_FORMAT = "%.6f"
# Figures are kept in CSV with six decimals: two runs of the same cells differ by at most this.
CSV_HALF_UNIT = 0.5e-6 + 1e-12


# Trend words and their opposites, for a proposed sentence when a trend turned.
TREND_OPPOSITES = {
    "aan het dalen": "niet meer aan het dalen",
    "aan het stijgen": "niet meer aan het stijgen",
    "dalende": "stijgende",
    "stijgende": "dalende",
    "toegenomen": "afgenomen",
}


def claim_band(claim: dict[str, Any], qualifiers: dict[str, Any]) -> tuple[Reading, float, Band, float]:
    """(reading, scale, band, step): the values the claim's wording admits, in the claim's unit."""
    reading, scale = claim_reading(claim, f"claim {claim['id']}")
    if claim.get("step"):
        reading = dataclasses.replace(reading, step=float(claim["step"]) / scale, step_down=None)
    if claim.get("band"):
        b = claim["band"]
        admitted = Band(b["low"], b["high"], b.get("low_inclusive", True), b.get("high_inclusive", False))
    else:
        admitted = band(reading, scale, qualifiers)
    return reading, scale, admitted, reading.step * scale


def suggested_wording(
    claim: dict[str, Any],
    value: float | None,
    period_label: str,
    publisher: str,
    qualifiers: dict[str, Any],
    reading: Reading | None = None,
    scale: float = 1.0,
) -> str:
    """The dossier's sentence with ``value`` in the same style and precision, then the figure, its period
    and the source: "... meer dan verdubbeld (2,36 keer het dieptepunt van 2013, mei 2026; CBS)."
    ``reading``/``scale`` are the claim's wording as ``claim_band`` read it (None for a trend).

    A new count takes the verb that agrees with it ("Ongeveer 700.000 mensen hebben"); the claim's
    ``correct_term`` puts the source's own words in place of the dossier's; the figure, period and source
    go in one pair of brackets. ``value`` None (a figure no table holds): only the words are corrected,
    and the bracket names the source and the year ("(SCP, 2023)")."""
    quote = " ".join(claim["quote"].split()).rstrip(".")
    unit = claim.get("unit", "")
    term = claim.get("correct_term")
    if value is None:
        if term:
            quote = replace_phrase(quote, term["dossier"], term["source"])
        return with_bracket(quote, ", ".join(x for x in (publisher, period_label) if x))
    if reading is None:  # a trend: turn its word around when the figure now goes the other way
        qualifier = claim.get("qualifier", "")
        turned = qualifier_direction(qualifier, qualifiers) and (
            judge_direction(value, qualifier, qualifiers) == "contradicts"
        )
        for word, opposite in TREND_OPPOSITES.items():
            if turned and word in quote.lower():
                quote = replace_phrase(quote, word, opposite)
                break
        slope = (claim.get("metric") or {}).get("kind", "trend") == "trend"
        if slope:
            figure = f"helling {editor_change(value, unit)}"
        else:  # a change in the claim's own unit ("+4,3% t.o.v. een jaar eerder")
            figure = ("+" if value > 0 else "") + editor_value(value, unit)
    else:
        new = _phrase_that_holds(value, reading, scale, qualifiers)
        if new is None:
            new = editor_value(value, unit)
        quote = agree_verb(replace_phrase(quote, claim["wording"], new), new)
        figure = editor_value(value, unit)
    if term:  # after the number: the registry keeps the two apart (see the schema's correct_term)
        quote = replace_phrase(quote, term["dossier"], term["source"])
    return with_bracket(quote, f"{figure}, {period_label}; {publisher}")


def _holds(phrase: str, value: float, scale: float, qualifiers: dict[str, Any]) -> bool:
    try:  # a proposed phrase must itself hold for the value it describes
        return judge(value, band(read_wording(phrase), scale, qualifiers)) == "holds"
    except (ValueError, RegistryError):
        return False


def _phrase_that_holds(
    value: float, reading: Reading, scale: float, qualifiers: dict[str, Any]
) -> str | None:
    """The dossier's phrase written anew for ``value``: in its own style and precision where that still
    fits ("ongeveer 8 miljoen"); where it cannot ("Een miljoen" at 684.000: the nearest round word, "een half
    miljoen", does not admit it), "ongeveer" and the figure rounded to one, two or three digits
    ("ongeveer 700.000"); None when nothing fits."""
    new = phrase_for(value, reading, scale, qualifiers)
    if reading.form == "multiplier" and new.startswith("met "):
        return new  # "met 80 procent gestegen": a rise short of the next multiplier, in whole percents
    if _holds(new, value, scale, qualifiers):
        if reading.form == "digits" and value > 0:
            # "50 procent" is read in steps of ten; 15 percent in those steps is "20 procent", a third
            # off. A proposal is written no coarser than a tenth of the figure: one digit finer each time.
            finer = reading
            while abs(read_wording(new).number * scale - value) > 0.1 * value and finer.step > 1e-9:
                finer = dataclasses.replace(finer, step=finer.step / 10, step_down=None)
                candidate = phrase_for(value, finer, scale, qualifiers)
                if not _holds(candidate, value, scale, qualifiers):
                    break
                new = candidate
        return new
    if reading.form not in ("words", "digits") or value <= 0:
        return None
    top = math.floor(math.log10(value / scale))
    for digits in range(3):
        plain = dataclasses.replace(
            reading,
            qualifier="ongeveer",
            form="digits",
            step=10.0 ** (top - digits),
            step_down=None,
            magnitude="",
        )
        new = phrase_for(value, plain, scale, qualifiers)
        if _holds(new, value, scale, qualifiers):
            return new
    return None


def baseline_figures(path: Path | None) -> dict[tuple[str, str], dict[str, Any]]:
    """The accepted baseline's figures by (claim id, figure): what 'revised' compares with."""
    if not path or not Path(path).is_file():
        return {}
    from dossiercheck.diff import read_figure_rows

    return {(r["claim_id"], r["figure"]): r for r in read_figure_rows(Path(path))}


def dossier_period(claim: dict[str, Any], dossier_date: date, lag_days: int = 0) -> str:
    """The period the dossier means, from the calendar alone: stated in the claim, or (``period:
    dossier``) the newest month, quarter or year whose figure the source had published by the dossier's
    date (its end plus ``lag_days``). ``recompute_claim`` then takes the newest such period with data."""
    period = str(claim.get("period", "dossier"))
    if period != "dossier":
        period_kind(period)  # raises on a malformed code
        return period
    kind = claim["metric"].get("period_kind", "MM")
    if kind not in ("MM", "KW", "JJ"):
        raise RegistryError(
            f"claim {claim['id']}: cannot derive a {kind} period from the dossier date; state it."
        )
    year, month = dossier_date.year, dossier_date.month
    while True:
        code = {
            "MM": f"{year}MM{month:02d}",
            "KW": f"{year}KW{(month - 1) // 3 + 1:02d}",
            "JJ": f"{year}JJ00",
        }[kind]
        if published_by(code, lag_days) <= dossier_date:
            return code
        month -= {"MM": 1, "KW": 3, "JJ": 12}[kind]
        if month < 1:
            year, month = year - 1, month + 12


def dossier_block(
    claim: dict[str, Any], period: str | None, dossier_date: date | None = None
) -> dict[str, Any]:
    """The result's 'dossier' before any figure: the period, its label, and how it came about ('basis',
    see ``registry.period_basis``, with 'basis_why', one sentence for the page); 'why' is the longer
    account of a period chosen from the calendar, filled in by ``recompute_claim``."""
    label = label_nl(period) if period else ""
    basis, basis_why = period_basis(claim, period, label, dossier_date)
    return {"period": period, "label": label, "why": "", "basis": basis, "basis_why": basis_why}


def _base_result(
    claim: dict[str, Any],
    theme: str,
    d_period: str | None,
    reading: Reading | None = None,
    dossier_date: date | None = None,
) -> dict[str, Any]:
    value = claim.get("value")
    if reading is None and value is not None:
        reading = read_wording(claim["wording"])
    return {
        "id": claim["id"],
        "theme": theme,
        "title": claim.get("title", ""),
        "section": claim.get("section", ""),
        "quote": claim["quote"],
        "quote_context": claim.get("context"),  # the dossier's words just before a quote that leans on them
        "wording": claim.get("wording"),
        "dossier_value": None if value is None else float(value),
        "dossier_value_low": None if claim.get("value_low") is None else float(claim["value_low"]),
        "compare_to": claim.get("compare_to"),
        "reason_kind": claim.get("reason_kind"),
        "codes_verified": bool(claim.get("codes_verified", True)),
        "cross_check_of": claim.get("cross_check_of"),
        "reading": claim.get("reading"),
        "alternative": None,
        "misquote_of_source": None,
        "unit": claim.get("unit", ""),
        "qualifier": claim.get("qualifier") or (reading.qualifier if reading else "exact"),
        "band": None,
        "period_note": claim.get("period_note", ""),
        "series_label": claim.get("series_label") or claim.get("title") or claim["id"],
        "citation": claim.get("citation"),
        "dossier": dossier_block(claim, d_period, dossier_date),
        "newest": None,
        "newest_not_judged": None,
        "reference": None,
        "series": [],
        "provisional": False,
        "change_since_dossier": None,
        "reason": None,
        "revision": None,
        "suggested_wording": None,
        "provenance": {
            "source": claim.get("source", ""),
            "table_id": "",
            "metric": claim.get("metric") or {},
            "measure": "",
        },
    }


def not_recomputable(claim: dict[str, Any], theme: str) -> dict[str, Any]:
    """A claim no public table holds: its citation and the reason, status not_recomputable. Its period is
    the registry's, else the one its quote names for its number ("van 38.000 in 2018"), else none."""
    period = claim.get("period")
    stated = period if period and period != "dossier" else None
    result = _base_result(claim, theme, stated or quoted_period(claim))
    result.update(status="not_recomputable", reason=claim["reason"])
    if claim.get("correct_term"):  # no figure to recompute, but the words the source used instead
        cit = claim.get("citation") or {}
        year = str(cit.get("year") or "")
        result["suggested_wording"] = suggested_wording(claim, None, year, cit.get("publisher") or "", {})
    return result


def source_unavailable(
    claim: dict[str, Any], theme: str, source_entry, why: str, dossier_date: date
) -> dict[str, Any]:
    lag = int(source_entry.get("publication_lag_days") or 0)
    result = _base_result(claim, theme, dossier_period(claim, dossier_date, lag), dossier_date=dossier_date)
    result["provenance"].update(
        publisher=source_entry.get("publisher"), table_id=source_entry.get("table_id", ""),
        statline_url=source_entry.get("url"), measure=_measure_label(claim["metric"]),
    )  # fmt: skip
    successor = source_entry.get("successor")
    status = "source_discontinued" if successor else "source_unavailable"
    result.update(status=status, reason=why + (f" Opvolger: {successor}." if successor else ""))
    return result


def _measure_label(spec: dict[str, Any]) -> str:
    if spec.get("numerator"):
        return f"{spec['numerator']['measure']}/{spec['denominator']['measure']}"
    if spec.get("measures"):
        return "+".join(spec["measures"])
    return spec.get("measure", "")


def _period_why(
    claim: dict[str, Any],
    period: str,
    dossier_date: date,
    source_entry: dict[str, Any],
    calendar: str | None = None,
) -> str:
    """Why this period is the dossier's, in Dutch, for the report. ``calendar`` is the newest period the
    calendar alone allows; when the source has no figure for it, the report says so."""
    if claim.get("period", "dossier") != "dossier":
        return f"De periode {label_nl(period)} staat in het claimregister (zie de toelichting)."
    lag = int(source_entry.get("publication_lag_days") or 0)
    when = date_nl(dossier_date)
    how = (
        f"deze bron publiceert een periode ongeveer {lag} dagen na afloop"
        if lag
        else "een periode telt pas als ze is afgelopen"
    )
    note = source_entry.get("publication_lag_note")
    if calendar and calendar != period:
        return (
            f"Het dossier noemt geen periode. Gebruikt is {label_nl(period)}: de nieuwste periode met een cijfer "
            f"in de bron die op {when} (de datum van het dossier) al gepubliceerd kon zijn; voor latere perioden "
            f"tot en met {label_nl(calendar)} heeft de bron geen cijfer ({how}{'; ' + note if note else ''})."
        )
    return (
        f"Het dossier noemt geen periode. Gebruikt is {label_nl(period)}: de nieuwste periode die op "
        f"{when} (de datum van het dossier) al gepubliceerd kon zijn ({how}{'; ' + note if note else ''})."
    )


def _tolerance(spec: dict[str, Any], decimals: Any, step: float, published_decimals: Any = None) -> float:
    """What a diff between runs allows: half a unit of the source's last published decimal for figures
    read straight from cells (the table's own figure, spec 'published', included), else half the
    precision the dossier wrote its figure in."""
    if spec.get("published") and published_decimals is not None:
        return 0.5 * 10 ** -int(published_decimals)
    if spec["kind"] in ("value", "sum") and decimals is not None:
        return 0.5 * 10 ** -int(decimals)
    return step / 2


@dataclasses.dataclass
class _Recomputing:
    """What recompute_claim's steps hand on to each other: the claim and its table's context, the band its
    wording admits, the result being filled in and, once computed, the figures. ``done``: the result is
    final (a step found the claim cannot go further), the later steps are skipped."""

    claim: dict[str, Any]
    meta: dict[str, Any]
    source_entry: dict[str, Any]
    qualifiers: dict[str, Any]
    dossier_date: date
    spec: dict[str, Any]
    lag: int
    d_period: str
    reading: Reading | None
    scale: float
    admitted: Band | None
    step: float
    judged: bool
    first: dict[str, Any]
    result: dict[str, Any]
    about_present: bool = True
    computed: Any = None
    newest: Any = None
    dossier: Any = None
    done: bool = False

    def verdict(self, value: float) -> str | None:
        """The judgement of one figure against the claim's wording (None: the claim is not judged)."""
        if not self.judged:
            return None
        if self.admitted is None and self.claim.get("compare_to") is not None:
            return judge_comparison(value, self.result["qualifier"], float(self.claim["compare_to"]))
        if self.admitted is None:
            return judge_direction(value, self.result["qualifier"], self.qualifiers)
        return judge(value, self.admitted)

    def block(self, res) -> dict[str, Any]:
        """One computed figure as the result shows it: period, value, inputs, periods used, judgement."""
        statuses = self.computed.status(res.periods_used)
        return {
            "period": res.period,
            "label": label_nl(res.period),
            "value": res.value,
            "inputs": res.inputs,
            "origin": res.origin,  # "published": the table's own figure; "computed": recomputed here
            "periods_used": [
                {"period": p, "label": label_nl(p), "status": statuses.get(p)} for p in res.periods_used
            ],
            "judgement": self.verdict(res.value),
        }


def _select(
    claim: dict[str, Any],
    theme: str,
    meta: dict[str, Any],
    source_entry: dict[str, Any],
    dossier_date: date,
    qualifiers: dict[str, Any],
) -> _Recomputing:
    """Step 1, select: what the claim reads and what its wording admits. The dossier's period, the band of
    values the wording allows, the provenance (table, measures, filters, snapshot) and the tolerance; for a
    manual source, the document it cites, and the end (status not_in_source) when that document does not
    contain the figure."""
    spec = claim["metric"]
    lag = int(source_entry.get("publication_lag_days") or 0)
    d_period = dossier_period(claim, dossier_date, lag)
    reading, scale, admitted, step = (
        claim_band(claim, qualifiers) if claim.get("value") is not None else (None, 1.0, None, 0.0)
    )
    result = _base_result(claim, theme, d_period, reading, dossier_date)
    measures = meta.get("measures") or {}
    first = measures.get(next(iter(selections(spec).values()))["measure"]) or {}
    result["provenance"] = {
        "publisher": source_entry.get("publisher"),
        "source": claim["source"],
        "table_id": meta["table_id"],
        "table_title": meta.get("title"),
        "statline_url": source_entry.get("url"),
        "licence": source_entry.get("licence"),
        "metric": spec,
        "measure": _measure_label(spec),
        "measures": {
            role: {
                **sel,
                "title": (measures.get(sel["measure"]) or {}).get("title"),
                "unit": (measures.get(sel["measure"]) or {}).get("unit"),
            }
            for role, sel in selections(spec).items()
        },
        "measure_title": first.get("title"),
        "measure_unit": first.get("unit"),
        "filters": spec.get("filters") or {},
        "snapshot_id": meta["snapshot_id"],
        "retrieved_at": meta["retrieved_at"],
        "upstream_modified": meta.get("upstream_modified"),
        "raw_files": meta["raw_files"],
    }
    judged = not claim.get("other_definition")
    if admitted is not None:
        result["band"] = {
            "low": admitted.low,
            "high": admitted.high,
            "low_inclusive": admitted.low_inclusive,
            "high_inclusive": admitted.high_inclusive,
            "step": step,
            "text": admitted.describe(functools.partial(editor_value, unit=result["unit"], exact=True)),
            "reason": claim.get("band_reason"),
        }
    own = measures.get(spec.get("published")) or {}
    result["tolerance"] = _tolerance(spec, first.get("decimals"), step, own.get("decimals"))
    state = _Recomputing(
        claim=claim,
        meta=meta,
        source_entry=source_entry,
        qualifiers=qualifiers,
        dossier_date=dossier_date,
        spec=spec,
        lag=lag,
        d_period=d_period,
        reading=reading,
        scale=scale,
        admitted=admitted,
        step=step,
        judged=judged,
        first=first,
        result=result,
    )
    if source_entry.get("kind") == "manual":
        cited = measures.get(spec.get("measure"), {})
        result["provenance"].update(
            {
                k: cited.get(k)
                for k in (
                    "document", "url", "page", "quote", "note", "transcribed_by", "transcribed_at",
                    "verified_against_document",
                )
            }
        )  # fmt: skip
        if cited.get("absent"):
            # the document the dossier cites does not contain the figure: the finding an editor needs most
            result.update(
                status="not_in_source",
                reason=(
                    f"{cited.get('document') or meta['table_id']} bevat dit cijfer niet. {cited.get('note') or ''}"
                ).strip(),
            )
            result["suggested_wording"] = None
            state.done = True
    return state


def _compute(s: _Recomputing, df: pd.DataFrame) -> None:
    """Step 2, compute: the claim's metric on its table, the newest figure, the dossier's period (for a
    sentence about the present: the newest period published by the dossier's date) and its figure, the
    series for the chart. Ends the result (status not_recomputable) when the table cannot give the figure
    at all or not for the dossier's period. A sentence about a named period is not judged on newer
    figures."""
    claim, meta, source_entry, result = s.claim, s.meta, s.source_entry, s.result
    try:
        s.computed = compute(df, s.spec, meta)
        s.newest = s.computed.at(s.computed.newest_period())
    except ClaimError as e:
        log.warning("claim %s cannot be recomputed: %s: %s", claim["id"], meta["table_id"], e)
        result.update(status="not_recomputable", reason=claim_error_nl(e, meta, source_entry))
        result["reason_detail"] = f"{meta['table_id']}: {e}"
        s.done = True
        return
    computed, newest = s.computed, s.newest
    if claim.get("period", "dossier") == "dossier":
        calendar = s.d_period
        s.d_period = computed.latest_published(s.dossier_date, s.lag) or s.d_period
    else:
        calendar = None
    d_period = s.d_period
    result["dossier"] = {
        **dossier_block(claim, d_period, s.dossier_date),
        "why": _period_why(claim, d_period, s.dossier_date, source_entry, calendar),
    }
    result["newest"] = s.block(newest)
    ref = computed.reference
    result["reference"] = {"period": ref, "label": label_nl(ref)} if ref else None
    result["series"] = [
        {
            "period": r.period,
            "start": pd.Timestamp(r.period_start).date().isoformat(),
            "value": r.value,
            "status": r.period_status,
        }
        for r in computed.display().itertuples()
    ]
    s.about_present = about_present = claim.get("period", "dossier") == "dossier"
    try:
        s.dossier = dossier = computed.at(d_period)
    except ClaimError as e:
        # The source has data, but not for the period the dossier means.
        result.update(status="not_recomputable", reason=claim_error_nl(e, meta, source_entry))
        result["reason_detail"] = f"{meta['table_id']}: {e}"
        if not about_present:  # "In 2022 ... 49 procent": 2020's figure says nothing of 2022
            result["newest"]["judgement"] = None
            result["newest_not_judged"] = (
                f"De zin gaat over {label_nl(d_period)}; het nieuwste cijfer staat erbij maar telt niet mee."
            )
        result["provisional"] = any(p["status"] in PROVISIONAL for p in result["newest"]["periods_used"])
        s.done = True
        return
    result["dossier"] = {**result["dossier"], **s.block(dossier)}  # keeps why, basis and basis_why
    result["change_since_dossier"] = newest.value - dossier.value
    if not about_present:
        # A sentence about a period it names ("in januari", "In 2012 voelde nog 39 procent") holds or not
        # for that period; newer figures are shown beside it, never held against it.
        result["newest"]["judgement"] = None
        if newest.period != dossier.period:
            result["newest_not_judged"] = (
                f"De zin gaat over {label_nl(dossier.period)}; nieuwere cijfers staan erbij ter informatie "
                "maar tellen niet mee."
            )
    result["provisional"] = any(
        p["status"] in PROVISIONAL for b in (result["dossier"], result["newest"]) for p in b["periods_used"]
    )


def _judge(
    s: _Recomputing,
    df: pd.DataFrame,
    baseline: dict[tuple[str, str], dict[str, Any]] | None,
    others: dict[str, tuple[pd.DataFrame, dict[str, Any]]] | None,
    history,
) -> None:
    """Step 3, judge: the claim's status and the reason for it. A claim of another definition ends here
    (status other_definition). Otherwise: a revision against the baseline, a near miss, and for a figure
    that does not fit, the table of the time or an earlier snapshot that did (a revision by the source) or
    why it differs; the alternative reading; the overall status, a misquote of what the source counted and
    the sentence for a rounding difference."""
    claim, meta, result, admitted = s.claim, s.meta, s.result, s.admitted
    newest, dossier, verdict = s.newest, s.dossier, s.verdict
    newer = newest.period != dossier.period and result["newest"]["judgement"] is not None
    if not s.judged:
        result.update(status="other_definition", reason=claim.get("reason"))
        s.done = True
        return
    unit = result["unit"]
    old = (baseline or {}).get((claim["id"], "dossier"))
    revised = bool(
        old
        and old["period"] == dossier.period
        and old["table_id"] == meta["table_id"]
        and abs(float(old["value"]) - dossier.value)
        > max(float(old["tolerance"]), result["tolerance"], CSV_HALF_UNIT)
    )
    if revised:
        result["revision"] = {
            "value": float(old["value"]),
            "snapshot_id": old["snapshot_id"],
            "table_id": meta["table_id"],
            "where": "de vastgestelde basislijn",
        }
        result["reason"] = (
            f"Voor {label_nl(dossier.period)} gaf {meta['table_id']} bij de vastgestelde basislijn "
            f"{editor_value(float(old['value']), unit)} (momentopname {old['snapshot_id']}); nu "
            f"{editor_value(dossier.value, unit)}. De formulering "
            f"{'past nog' if result['dossier']['judgement'] == 'holds' else 'past niet meer'}."
        )
    near = (
        result["dossier"]["judgement"] == "contradicts"
        and admitted is not None
        and near_miss(dossier.value, admitted, s.step, s.reading.below * s.scale if s.reading else None)
    )
    if result["dossier"]["judgement"] == "contradicts" and not revised and not near:
        earlier = judge_earlier(claim, dossier.period, others or {}, verdict)
        at_the_time = (earlier or {}).get("result")
        snapshot = None
        if (at_the_time is None or at_the_time["judgement"] != "holds") and history is not None:
            snapshot = judge_snapshots(claim, dossier.period, history(), verdict)
        if snapshot is not None and snapshot["judgement"] == "holds":
            # the same table, fetched earlier, gave a figure that fits: the source revised it since
            revised = True
            when = date_nl(date.fromisoformat(snapshot["retrieved_at"][:10]))
            result["revision"] = {
                "value": snapshot["value"],
                "snapshot_id": snapshot["snapshot_id"],
                "table_id": snapshot["table_id"],
                "where": f"de momentopname van {when}",
            }
            result["reason"] = (
                f"Voor {label_nl(dossier.period)} gaf {snapshot['table_id']} in de momentopname van {when} "
                f"{editor_value(snapshot['value'], unit)}: dat past bij “{claim.get('wording')}”. Nu geeft "
                f"dezelfde tabel {editor_value(dossier.value, unit)}. De bron heeft het cijfer herzien; de "
                "tekst gaf wat de bron eerder publiceerde."
            )
        elif at_the_time is not None and at_the_time["judgement"] == "holds":
            # the table current when the document was written gave a figure that fits: a revision
            revised = True
            result["revision"] = {
                "value": at_the_time["value"],
                "snapshot_id": at_the_time.get("snapshot_id"),
                "table_id": at_the_time["table_id"],
                "where": at_the_time["table_title"] or at_the_time["table_id"],
            }
            result["reason"] = (
                f"Voor {label_nl(dossier.period)} gaf de tabel die gold toen de tekst werd geschreven, "
                f"{_table_words(at_the_time)}, {editor_value(at_the_time['value'], unit)}: dat past bij "
                f"“{claim.get('wording')}”. De huidige tabel {meta['table_id']} geeft "
                f"{editor_value(dossier.value, unit)}. De bron heeft het cijfer herzien; de tekst gaf wat de "
                "bron toen publiceerde."
            )
        else:
            result["reason"] = _differs_reason(
                claim, dossier, meta, unit, at_the_time, earlier, snapshot, s.dossier_date
            )
    if claim.get("alternative"):
        result["alternative"] = alternative_reading(claim, dossier.period, df, meta, others or {}, verdict)
    result["status"] = overall_status(
        result["dossier"]["judgement"], result["newest"]["judgement"], newer, revised, near
    )
    if claim.get("misquote") and result["status"] in ("holds", "newer_data_confirms", "rounding"):
        # the number matches, the sentence does not say what the source counted ("7 procent van de
        # Nederlanders" where the source counted households): the sentence needs a correction all the same
        result["status"] = "differs_from_source"
        result["reason"] = (
            f"Het getal klopt met de bron ({editor_value(dossier.value, s.first.get('unit') or unit)}, "
            f"{label_nl(dossier.period)}), "
            f"maar de zin zegt iets anders dan de bron telde: {claim['misquote']}"
        )
        result["misquote_of_source"] = f"De bron telde iets anders: {claim['misquote']}"
    if result["status"] == "rounding":
        result["reason"] = (
            f"De bron geeft {editor_value(dossier.value, unit)} voor {label_nl(dossier.period)}; het dossier "
            f"schrijft “{claim.get('wording')}”. Dat valt net buiten wat die woorden toelaten "
            f"({result['band']['text'] if result.get('band') else ''}), maar minder dan een halve stap van de "
            "precisie waarin het dossier schrijft: een afrondingsverschil, geen fout."
        )


def _propose(s: _Recomputing) -> None:
    """Step 4, propose: for a figure that moved (or words the page says are wrong), the sentence an editor
    can paste, with the newest figure (a sentence about a named period keeps its period and figure). A
    table CBS stopped updating proposes nothing: the status sends the analyst to its successor."""
    claim, meta, source_entry, result = s.claim, s.meta, s.source_entry, s.result
    if claim.get("compare_to") is None and (
        claim.get("correct_term")  # the page says the words are wrong: corrected, whatever the number
        or (result["status"] in MOVED and not result.get("misquote_of_source"))
    ):  # not proposed: a turned comparison, or a sentence that says what the source did not count where
        # the registry has not the source's own words for it (correct_term): an editor rewrites those
        publisher = source_entry.get("publisher") or meta["table_id"]
        shown = s.newest if s.about_present else s.dossier  # a sentence about a named period keeps its period
        result["suggested_wording"] = suggested_wording(
            claim, shown.value, label_nl(shown.period), publisher, s.qualifiers, s.reading, s.scale
        )
    successor = source_entry.get("successor")
    if successor:
        # Figures from a table CBS stopped: shown, but the status sends the analyst to the successor.
        result["reason"] = (
            f"{meta['table_id']} wordt niet meer bijgewerkt (laatste periode {label_nl(s.newest.period)}); "
            f"opvolger: {successor}. Oordeel op deze tabel: {STATUSES[result['status']].label}."
        )
        result["status"] = "source_discontinued"
        result["suggested_wording"] = None


def recompute_claim(
    claim: dict[str, Any],
    theme: str,
    df: pd.DataFrame,
    meta: dict[str, Any],
    source_entry: dict[str, Any],
    *,
    dossier_date: date,
    qualifiers: dict[str, Any],
    baseline: dict[tuple[str, str], dict[str, Any]] | None = None,
    others: dict[str, tuple[pd.DataFrame, dict[str, Any]]] | None = None,
    history=None,
) -> dict[str, Any]:
    """One claim's full result: figures, judgements, status, provenance, the chart series and, for a
    figure that moved, the sentence an editor can paste. ``others``: the other tables the claim reads
    (its 'earlier' table of the time, its 'alternative' reading) by source id. ``history``: a callable
    giving the earlier snapshots of the claim's own table as (frame, metadata), oldest first; asked only
    when the dossier's figure does not fit, since reading an old snapshot costs a tidy.

    Four steps, in order: select (what the claim reads and admits), compute (its figures), judge (its
    status and reason), propose (the sentence to paste); a step that ends the result skips the rest."""
    s = _select(claim, theme, meta, source_entry, dossier_date, qualifiers)
    if not s.done:
        _compute(s, df)
    if not s.done:
        _judge(s, df, baseline, others, history)
    if not s.done:
        _propose(s)
    return s.result


def alternative_reading(
    claim: dict[str, Any],
    period: str,
    df: pd.DataFrame,
    meta: dict[str, Any],
    others: dict[str, tuple[pd.DataFrame, dict[str, Any]]],
    verdict,
) -> dict[str, Any]:
    """The other way the sentence can be read (claim 'alternative'): its figure for the same period and
    the newest, and whether the wording fits it. Shown beside the registry's choice; never the verdict."""
    alt = claim["alternative"]
    source = alt.get("source") or claim["source"]
    if source != claim["source"]:
        df, meta = others.get(source, (None, {"unavailable": True}))
    out: dict[str, Any] = {"reading": alt["reading"], "unit": alt.get("unit") or claim.get("unit", "")}
    if meta.get("unavailable"):
        out["error"] = f"{source} is niet opgehaald"
        return out
    ref = float(alt.get("compare_to", 0.0))
    try:
        computed = compute(df, alt["metric"], meta)
        for key, p in (("dossier", period), ("newest", computed.newest_period())):
            res = computed.at(p)
            out[key] = {
                "period": p, "label": label_nl(p), "value": res.value, "origin": res.origin,
                "judgement": verdict(res.value - ref) if "compare_to" in alt else verdict(res.value),
            }  # fmt: skip
    except ClaimError as e:
        out["error"] = claim_error_nl(e, meta, {}).removeprefix("Niet na te rekenen: ").rstrip(".")
        out["error_detail"] = f"{meta.get('table_id', source)}: {e}"
    return out


def claim_error_nl(e: ClaimError, meta: dict[str, Any], source_entry: dict[str, Any]) -> str:
    """Why a figure cannot be recomputed from its table, in one Dutch sentence: "Niet na te rekenen:
    CBS-tabel 50120NED heeft geen cijfer voor 2022 (de reeks loopt van 2012 tot en met 2020)."."""
    publisher = source_entry.get("publisher") or meta.get("publisher")
    table = meta.get("table_id") or "de tabel"
    name = f"{publisher}-tabel {table}" if publisher else f"tabel {table}"
    text = e.nl
    text = name + text[len("de tabel") :] if text.startswith("de tabel ") else f"{name}: {text}"
    return f"Niet na te rekenen: {text}."


def near_miss(value: float, admitted: Band, step: float, step_below: float | None = None) -> bool:
    """Outside the band the wording admits by less than half a step of its precision: for a plain figure,
    within one step of the number written ("39 procent" for 39,6). A rounding remark, not a finding.
    Below the band the step is the one a writer would take down from the number (``step_below``: a tenth
    under a round "een miljoen", not the half million up to "anderhalf")."""
    below = step if step_below is None else step_below
    if admitted.low is not None and value < admitted.low:
        return below > 0 and admitted.low - value < below / 2
    if admitted.high is not None and value >= admitted.high:
        return step > 0 and value - admitted.high < step / 2
    return False


def _table_words(t: dict[str, Any]) -> str:
    """A table as a reader knows it: 'Bestaande koopwoningen; ... 2015=100 (83906NED)', or its id."""
    title = t.get("table_title")
    return f"{title} ({t['table_id']})" if title else str(t["table_id"])


def _differs_reason(
    claim: dict[str, Any],
    dossier,
    meta: dict[str, Any],
    unit: str,
    at_the_time,
    earlier,
    snapshot=None,
    dossier_date: date | None = None,
) -> str:
    """What the data shows when the dossier's period does not fit the wording, and nothing more: that the
    author erred only when the table of the time (a predecessor, or a snapshot taken by the time the text
    appeared) gave the same figure then."""
    cited = (meta.get("measures") or {}).get(claim["metric"].get("measure")) or {}
    if cited.get("document"):  # a manual source's figure carries the document it was copied from
        # a report is fixed once published: what it prints is what the author could read
        return (
            f"{meta.get('title') or meta['table_id']} geeft voor {label_nl(dossier.period)} "
            f"{editor_value(dossier.value, unit)}; dat past niet bij “{claim.get('wording') or 'de formulering'}”. "
            "Het dossier geeft het cijfer anders weer dan het document dat het cijfer bevat."
        )
    now = (
        f"Tabel {meta['table_id']} geeft nu voor {label_nl(dossier.period)} {editor_value(dossier.value, unit)}; "
        f"dat past niet bij “{claim.get('wording') or 'de formulering'}”."
    )
    if at_the_time is not None:
        return (
            f"{now} Ook {_table_words(at_the_time)}, de tabel die gold toen de tekst werd geschreven, gaf "
            f"{editor_value(at_the_time['value'], unit)}: het cijfer paste toen al niet."
        )
    if snapshot is not None:
        fetched = date.fromisoformat(snapshot["retrieved_at"][:10])
        also = f"{now} Ook de momentopname van {date_nl(fetched)} gaf {editor_value(snapshot['value'], unit)}"
        if dossier_date is not None and fetched <= dossier_date:
            return f"{also}: het cijfer paste toen al niet."
        return f"{also}; die is van na de tekst, dus of de bron bij het schrijven hetzelfde gaf, is niet na te gaan."
    if earlier and earlier.get("error"):
        return f"{now} Hoe de tabel van toen het cijfer gaf, is niet na te gaan ({earlier['error']})."
    return f"{now} Of de bron bij het schrijven hetzelfde gaf, is niet na te gaan: er is geen eerdere versie bij de hand."


def judge_earlier(
    claim: dict[str, Any],
    period: str,
    frames: dict[str, tuple[pd.DataFrame, dict[str, Any]]],
    verdict,
) -> dict[str, Any] | None:
    """The claim's figure for ``period`` in the table that was current when the document was written
    (``earlier`` in the claim: a predecessor series, a table since replaced), judged by ``verdict`` as the
    current figure is (the wording's band, a direction, a comparison). None when the claim names no such table; {"error": ...} when it cannot tell."""
    spec = claim.get("earlier")
    if not spec:
        return None
    source = spec.get("source") or claim["source"]
    if source not in frames:
        return {"error": f"{source} is niet opgehaald"}
    df, meta = frames[source]
    if meta.get("unavailable"):
        return {"error": f"{source} is niet bereikbaar"}
    try:
        res = compute(df, spec.get("metric") or claim["metric"], meta).at(period)
    except ClaimError as e:
        log.info("claim %s: the earlier table %s has no figure for %s: %s", claim["id"], source, period, e)
        return {"error": f"{meta.get('table_id', source)} heeft geen cijfer voor {label_nl(period)}"}
    return {
        "result": {
            "value": res.value,
            "table_id": meta.get("table_id", source),
            "table_title": meta.get("title"),
            "snapshot_id": meta.get("snapshot_id"),
            "judgement": verdict(res.value),
        }
    }


def judge_snapshots(claim: dict[str, Any], period: str, history, verdict) -> dict[str, Any] | None:
    """The claim's figure for ``period`` in the oldest earlier snapshot of its own table that has it (the
    nearest to when the text was written), judged by ``verdict`` as the current figure is (against the
    wording's band, a direction or a comparison). None when no earlier snapshot has the period."""
    for df, meta in history:
        try:
            res = compute(df, claim["metric"], meta).at(period)
        except ClaimError as e:
            log.info(
                "claim %s: snapshot %s has no figure for %s: %s",
                claim["id"],
                meta.get("snapshot_id"),
                period,
                e,
            )
            continue
        return {
            "value": res.value,
            "table_id": meta["table_id"],
            "snapshot_id": meta["snapshot_id"],
            "retrieved_at": meta["retrieved_at"],
            "judgement": verdict(res.value),
        }
    return None


def earlier_snapshots(source_dir: Path, current: dict[str, Any], entry: dict[str, Any] | None = None):
    """The snapshots of one source taken before the one ``current`` (its tidy metadata) was read from,
    oldest first, as (tidy frame, metadata). A snapshot with the same content gives the same figures and
    is skipped; one that cannot be read is skipped with a warning in the log (it is evidence, not input)."""
    from dossiercheck.snapshot import list_snapshots, read_manifest
    from dossiercheck.sources.tidying import tidy_snapshot

    current_id = current.get("snapshot_id") or ""
    current_content = current_id.rsplit("-", 1)[-1]
    for snap in list_snapshots(source_dir):
        if snap.name >= current_id or snap.name.rsplit("-", 1)[-1] == current_content:
            continue
        try:
            if read_manifest(snap).get("kind") == "manual":
                continue  # a document's transcription: not a table the source revises
            yield tidy_snapshot(snap, entry)
        except Exception as e:  # noqa: BLE001  (a damaged old snapshot must not stop the judgement)
            log.warning(
                "%s: earlier snapshot %s cannot be read (%s); it is left out", source_dir.name, snap.name, e
            )


def results_frame(results: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for r in results:
        d, n, b = r.get("dossier") or {}, r.get("newest") or {}, r.get("band") or {}
        rows.append(
            {
                "claim_id": r["id"],
                "theme": r["theme"],
                "source": r["provenance"]["source"],
                "table_id": r["provenance"]["table_id"],
                "metric": (r["provenance"].get("metric") or {}).get("kind", ""),
                "measure": r["provenance"]["measure"],
                "qualifier": r["qualifier"],
                "wording": r.get("wording"),
                "dossier_value": r["dossier_value"],
                "band_low": b.get("low"),
                "band_high": b.get("high"),
                "band": b.get("text"),
                "unit": r["unit"],
                "dossier_period": d.get("period"),
                "dossier_period_why": period_why(d) or None,  # the sentence the page shows
                "dossier_period_value": d.get("value"),
                "dossier_period_judgement": d.get("judgement"),
                "newest_period": n.get("period", ""),
                "newest_value": n.get("value"),
                "newest_judgement": n.get("judgement"),
                "change_since_dossier": r.get("change_since_dossier"),
                "status": r["status"],
                "provisional": bool(r.get("provisional", False)),
                "snapshot_id": r["provenance"].get("snapshot_id") or "",
                "reason": r.get("reason"),
                "reason_detail": r.get("reason_detail"),
                "reason_kind": r.get("reason_kind"),
                "cross_check_of": r.get("cross_check_of"),
                "codes_verified": bool(r.get("codes_verified", True)),
                "suggested_wording": r.get("suggested_wording"),
            }
        )
    df = pd.DataFrame(rows, columns=list(ClaimResult.to_schema().columns))
    return df.sort_values("claim_id").reset_index(drop=True)


def recompute_claims(
    claims_file: Path,
    sources_file: Path,
    tables: dict[str, tuple[Path, Path]],
    *,
    dossier_date: str | date,
    qualifiers: dict[str, Any],
    out_csv: Path,
    out_json: Path,
    baseline: Path | None = None,
    raw_dir: Path | None = None,
    bundle: Path | None = None,
) -> pd.DataFrame:
    """Recompute every claim in ``claims_file``; ``tables`` maps source key -> (tidy parquet, metadata json);
    ``baseline`` is the accepted figures.csv, if any (a dossier-period figure that moved since is 'revised');
    ``raw_dir`` holds the raw snapshots (data/raw), whose earlier snapshots of a table may show a revision;
    ``bundle`` is the index of the snapshots shipped with the code (data/bundle/BUNDLE.json): a figure read
    from one of them says so, and the pages tell the reader that ``make refresh`` fetches newer ones."""
    if isinstance(dossier_date, str):
        dossier_date = date.fromisoformat(dossier_date)
    registry = load_registry(claims_file)
    sources = load_yaml(sources_file) or {}
    accepted = baseline_figures(baseline)
    theme = registry["theme"]
    frames: dict[str, tuple[pd.DataFrame, dict[str, Any]]] = {}

    def load(source: str, claim_id: str) -> tuple[pd.DataFrame, dict[str, Any]]:
        if source not in tables:
            raise RegistryError(f"claim {claim_id}: source {source!r} was not given to this rule.")
        if source not in frames:
            table, meta = tables[source]
            frames[source] = (pd.read_parquet(table), json.loads(Path(meta).read_text()))
        return frames[source]

    histories: dict[str, list[tuple[pd.DataFrame, dict[str, Any]]]] = {}

    def history_of(source: str, meta: dict[str, Any]):
        def history() -> list[tuple[pd.DataFrame, dict[str, Any]]]:
            if source not in histories:
                histories[source] = (
                    list(earlier_snapshots(Path(raw_dir) / source, meta, sources.get(source)))
                    if raw_dir is not None
                    else []
                )
            return histories[source]

        return history

    results = []
    for claim in registry["claims"]:
        if not claim.get("recomputable", True):
            results.append(not_recomputable(claim, theme))
            continue
        source = claim["source"]
        df, meta = load(source, claim["id"])
        others = {s: load(s, claim["id"]) for s, _ in claim_sources(claim)[1:]}
        if meta.get("unavailable"):
            result = source_unavailable(claim, theme, sources.get(source, {}), meta["reason"], dossier_date)
            result["reason_detail"] = meta.get("detail") or None  # the failure itself: "Technische details"
            results.append(result)
            continue
        results.append(
            recompute_claim(
                claim,
                theme,
                df,
                meta,
                sources.get(source, {}),
                dossier_date=dossier_date,
                qualifiers=qualifiers,
                baseline=accepted,
                others=others,
                history=history_of(source, meta),
            )
        )
    for claim, r in zip(registry["claims"], results, strict=True):
        if claim.get("proposal"):  # an editor's own sentence where the automatic one cannot say it right
            r["suggested_wording"] = " ".join(claim["proposal"].split())
    shipped = (json.loads(Path(bundle).read_text(encoding="utf-8")) if bundle else {}).get("sources", {})
    bundled = {}
    for r in results:
        p = r["provenance"]
        entry = shipped.get(p.get("source"))
        if entry and p.get("snapshot_id") == entry["snapshot_id"]:
            p["bundled"] = True
            bundled[p["source"]] = entry["retrieved_at"]
    frame = ClaimResult.validate(results_frame(results), lazy=True)
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_csv, frame.to_csv(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n"))
    for r in results:
        status = STATUSES[r["status"]]
        r["status_label"] = status.label
    payload = {
        "theme": theme,
        "title": registry.get("title", theme),
        "claims": results,  # in the registry's order, which follows the dossier's text
        "bundled": bundled,  # source -> when its shipped snapshot was taken, for the sources read from the bundle
    }
    atomic_write_text(out_json, json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return frame

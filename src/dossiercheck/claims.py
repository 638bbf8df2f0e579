"""Rule ``recompute_claims``: every claim of one theme, recomputed for the dossier's period and the newest.

The registry (``config/claims/<theme>.yaml``) says, per claim, what the dossier says (quote, value,
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
import yaml

from dossiercheck.errors import ClaimError, RegistryError
from dossiercheck.fmt import editor_change, editor_value
from dossiercheck.metrics import compute, get_metric, selections
from dossiercheck.periods import PROVISIONAL, date_nl, label_nl, period_kind, published_by
from dossiercheck.schemas.claims import ClaimResult
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import MOVED, STATUSES, overall_status
from dossiercheck.wording import (
    Band,
    Reading,
    band,
    claim_scale,
    judge,
    judge_direction,
    phrase_for,
    qualifier_direction,
    read_wording,
    replace_phrase,
)

log = logging.getLogger(__name__)

CSV_FLOAT_FORMAT = "%.6f"
# Figures are kept in CSV with six decimals: two runs of the same cells differ by at most this.
CSV_HALF_UNIT = 0.5e-6 + 1e-12


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise RegistryError(f"{path} is not valid YAML: {e}. Fix the file and run again.") from e


def load_registry(
    path: Path, sources: dict[str, Any] | None = None, qualifiers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A theme's claim file, with the checks JSON Schema cannot express (see ``check_registry``)."""
    reg = load_yaml(path)
    check_registry(reg, path, sources, qualifiers)
    return reg


def check_registry(
    reg: Any,
    path: Path | str,
    sources: dict[str, Any] | None = None,
    qualifiers: dict[str, Any] | None = None,
) -> None:
    """Everything the configuration alone can tell about a theme's claims, so that a typo stops the run
    when the workflow is parsed, before anything is fetched: unique ids, wording against value, ranges and
    comparisons, cross-checks, metric names and their fields, and (given ``sources`` and ``qualifiers``,
    as the workflow does) that each source and qualifier exists. Each error names the file, the claim and
    the valid choices."""
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
        if sources is not None and claim.get("source") not in sources:
            raise RegistryError(
                f"{where}: source {claim.get('source')!r} is not in config/sources.yaml (it has: "
                f"{', '.join(sorted(sources))}). Add it there or fix the claim."
            )
        try:
            metric = get_metric((claim.get("metric") or {}).get("kind"))
        except ClaimError as e:
            raise RegistryError(f"{where}: {e}") from None
        missing = [k for k in metric.required if k not in claim["metric"]]
        if missing:
            raise RegistryError(f"{where}: metric {metric.kind} needs {', '.join(missing)} under 'metric'.")


# Trend words and their opposites, for a proposed sentence when a trend turned.
TREND_OPPOSITES = {
    "aan het dalen": "niet meer aan het dalen",
    "aan het stijgen": "niet meer aan het stijgen",
    "dalende": "stijgende",
    "stijgende": "dalende",
    "toegenomen": "afgenomen",
}


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
    value: float,
    period_label: str,
    publisher: str,
    qualifiers: dict[str, Any],
    reading: Reading | None = None,
    scale: float = 1.0,
) -> str:
    """The dossier's sentence with ``value`` in the same style and precision, then the figure, its period
    and the source: "... meer dan verdubbeld (2,36 keer het dieptepunt van 2013, mei 2026; CBS)."
    ``reading``/``scale`` are the claim's wording as ``claim_band`` read it (None for a trend)."""
    quote = " ".join(claim["quote"].split()).rstrip(".")
    unit = claim.get("unit", "")
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
        quote = replace_phrase(quote, claim["wording"], new)
        figure = editor_value(value, unit)
    return f"{quote} ({figure}, {period_label}; {publisher})."


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
    if _holds(new, value, scale, qualifiers):
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
    from dossiercheck.diff import read_figures

    return {(r["claim_id"], r["figure"]): r for r in read_figures(Path(path)).to_dict("records")}


def needs_by_source(registries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per source, what the claims read from it: measure codes, and per dimension the codes they select.

    A dimension is narrowed only when every claim on the source selects a code in it; one claim that
    reads the whole dimension means the whole dimension is needed.
    """
    by_source: dict[str, list[dict[str, Any]]] = {}
    for reg in registries:
        for claim in reg["claims"]:
            if claim.get("recomputable", True):
                by_source.setdefault(claim["source"], []).append(claim["metric"])
    needs = {}
    for source, specs in sorted(by_source.items()):
        # every selection a metric reads (a ratio reads two, each with its own filters on top of the common)
        sels = [sel for spec in specs for sel in selections(spec).values()]
        measures = sorted({sel["measure"] for sel in sels})
        dims = set.intersection(*(set(sel["filters"]) for sel in sels))
        filters = {d: sorted({sel["filters"][d] for sel in sels}) for d in sorted(dims)}
        needs[source] = {"measures": measures, "filters": filters}
    return needs


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


def _base_result(
    claim: dict[str, Any], theme: str, d_period: str | None, reading: Reading | None = None
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
        "wording": claim.get("wording"),
        "dossier_value": None if value is None else float(value),
        "dossier_value_low": None if claim.get("value_low") is None else float(claim["value_low"]),
        "compare_to": claim.get("compare_to"),
        "reason_kind": claim.get("reason_kind"),
        "codes_verified": bool(claim.get("codes_verified", True)),
        "cross_check_of": claim.get("cross_check_of"),
        "unit": claim.get("unit", ""),
        "qualifier": claim.get("qualifier") or (reading.qualifier if reading else "exact"),
        "band": None,
        "period_note": claim.get("period_note", ""),
        "series_label": claim.get("series_label") or claim.get("title") or claim["id"],
        "citation": claim.get("citation"),
        "dossier": {"period": d_period, "label": label_nl(d_period) if d_period else "", "why": ""},
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


def not_recomputable(claim: dict[str, Any], theme: str, dossier_date: date) -> dict[str, Any]:
    """A claim no public table holds: its citation and the reason, status not_recomputable."""
    period = claim.get("period")
    result = _base_result(claim, theme, period if period and period != "dossier" else None)
    result.update(status="not_recomputable", reason=claim["reason"])
    return result


def source_unavailable(
    claim: dict[str, Any], theme: str, source_entry, why: str, dossier_date: date
) -> dict[str, Any]:
    lag = int(source_entry.get("publication_lag_days") or 0)
    result = _base_result(claim, theme, dossier_period(claim, dossier_date, lag))
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


def names_its_year(claim: dict[str, Any], period: str) -> bool:
    """The sentence names the year of its figure itself ("In 2012 voelde nog 39 procent"): the claim states
    that period and lists its year among the quote's numbers."""
    return claim.get("period", "dossier") != "dossier" and period[:4] in {
        str(n) for n in claim.get("numbers") or []
    }


def _tolerance(spec: dict[str, Any], decimals: Any, step: float) -> float:
    """What a diff between runs allows: half a unit of the source's last published decimal for figures
    read straight from cells, else half the precision the dossier wrote its figure in."""
    if spec["kind"] in ("value", "sum") and decimals is not None:
        return 0.5 * 10 ** -int(decimals)
    return step / 2


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
) -> dict[str, Any]:
    """One claim's full result: figures, judgements, status, provenance, the chart series and, for a
    figure that moved, the sentence an editor can paste."""
    spec = claim["metric"]
    lag = int(source_entry.get("publication_lag_days") or 0)
    d_period = dossier_period(claim, dossier_date, lag)
    reading, scale, admitted, step = (
        claim_band(claim, qualifiers) if claim.get("value") is not None else (None, 1.0, None, 0.0)
    )
    result = _base_result(claim, theme, d_period, reading)
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
            "text": admitted.describe(functools.partial(editor_value, unit=result["unit"])),
            "reason": claim.get("band_reason"),
        }
    result["tolerance"] = _tolerance(spec, first.get("decimals"), step)
    if source_entry.get("kind") == "manual":
        cited = measures.get(spec.get("measure"), {})
        result["provenance"].update(
            {k: cited.get(k) for k in ("document", "url", "page", "transcribed_by", "transcribed_at")}
        )
    try:
        computed = compute(df, spec, meta)
        newest = computed.at(computed.newest_period())
    except ClaimError as e:
        reason = f"{meta['table_id']}: {e}"
        log.warning("claim %s cannot be recomputed: %s", claim["id"], reason)
        result.update(status="not_recomputable", reason=reason)
        return result
    if claim.get("period", "dossier") == "dossier":
        calendar = d_period
        d_period = computed.latest_published(dossier_date, lag) or d_period
    else:
        calendar = None
    result["dossier"] = {
        "period": d_period,
        "label": label_nl(d_period),
        "why": _period_why(claim, d_period, dossier_date, source_entry, calendar),
    }

    def verdict(value: float) -> str | None:
        if not judged:
            return None
        if admitted is None and claim.get("compare_to") is not None:
            return judge_comparison(value, result["qualifier"], float(claim["compare_to"]))
        if admitted is None:
            return judge_direction(value, result["qualifier"], qualifiers)
        return judge(value, admitted)

    def block(res) -> dict[str, Any]:
        statuses = computed.status(res.periods_used)
        return {
            "period": res.period,
            "label": label_nl(res.period),
            "value": res.value,
            "inputs": res.inputs,
            "periods_used": [
                {"period": p, "label": label_nl(p), "status": statuses.get(p)} for p in res.periods_used
            ],
            "judgement": verdict(res.value),
        }

    result["newest"] = block(newest)
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
    try:
        dossier = computed.at(d_period)
    except ClaimError as e:
        # The source has data, but not for the period the dossier means.
        result.update(status="not_recomputable", reason=f"{meta['table_id']}: {e}")
        result["provisional"] = any(p["status"] in PROVISIONAL for p in result["newest"]["periods_used"])
        return result
    result["dossier"] = {**block(dossier), "why": result["dossier"]["why"]}
    result["change_since_dossier"] = newest.value - dossier.value
    if names_its_year(claim, dossier.period):
        # "In 2012 voelde nog 39 procent ...": a sentence about a year it names stays true of that year;
        # newer figures are shown, never held against it.
        result["newest"]["judgement"] = None
        result["newest_not_judged"] = (
            f"De zin gaat over {label_nl(dossier.period)}; nieuwere cijfers staan erbij maar tellen niet mee."
        )
    result["provisional"] = any(
        p["status"] in PROVISIONAL for b in (result["dossier"], result["newest"]) for p in b["periods_used"]
    )
    newer = newest.period != dossier.period and result["newest"]["judgement"] is not None
    if not judged:
        result.update(status="other_definition", reason=claim.get("reason"))
        return result
    old = (baseline or {}).get((claim["id"], "dossier"))
    revised = bool(
        old
        and old["period"] == dossier.period
        and old["table_id"] == meta["table_id"]
        and abs(float(old["value"]) - dossier.value)
        > max(float(old["tolerance"]), result["tolerance"], CSV_HALF_UNIT)
    )
    if revised:
        result["revision"] = {"value": float(old["value"]), "snapshot_id": old["snapshot_id"]}
        result["reason"] = (
            f"Voor {label_nl(dossier.period)} gaf {meta['table_id']} bij de vastgestelde basislijn "
            f"{editor_value(float(old['value']), result['unit'])} (momentopname {old['snapshot_id']}); nu "
            f"{editor_value(dossier.value, result['unit'])}. De formulering "
            f"{'past nog' if result['dossier']['judgement'] == 'holds' else 'past niet meer'}."
        )
    result["status"] = overall_status(
        result["dossier"]["judgement"], result["newest"]["judgement"], newer, revised
    )
    if (
        result["status"] in MOVED and claim.get("compare_to") is None
    ):  # a turned comparison: an editor rewrites
        publisher = source_entry.get("publisher") or meta["table_id"]
        shown = dossier if names_its_year(claim, dossier.period) else newest  # the year the sentence names
        result["suggested_wording"] = suggested_wording(
            claim, shown.value, label_nl(shown.period), publisher, qualifiers, reading, scale
        )
    successor = source_entry.get("successor")
    if successor:
        # Figures from a table CBS stopped: shown, but the status sends the analyst to the successor.
        result["reason"] = (
            f"{meta['table_id']} wordt niet meer bijgewerkt (laatste periode {label_nl(newest.period)}); "
            f"opvolger: {successor}. Oordeel op deze tabel: {STATUSES[result['status']].label}."
        )
        result["status"] = "source_discontinued"
        result["suggested_wording"] = None
    return result


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
                "dossier_period_why": d.get("why") or None,
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
) -> pd.DataFrame:
    """Recompute every claim in ``claims_file``; ``tables`` maps source key -> (tidy parquet, metadata json);
    ``baseline`` is the accepted figures.csv, if any (a dossier-period figure that moved since is 'revised')."""
    if isinstance(dossier_date, str):
        dossier_date = date.fromisoformat(dossier_date)
    registry = load_registry(claims_file)
    sources = load_yaml(sources_file) or {}
    accepted = baseline_figures(baseline)
    theme = registry["theme"]
    frames: dict[str, tuple[pd.DataFrame, dict[str, Any]]] = {}
    results = []
    for claim in registry["claims"]:
        if not claim.get("recomputable", True):
            results.append(not_recomputable(claim, theme, dossier_date))
            continue
        source = claim["source"]
        if source not in tables:
            raise RegistryError(f"claim {claim['id']}: source {source!r} was not given to this rule.")
        if source not in frames:
            table, meta = tables[source]
            frames[source] = (pd.read_parquet(table), json.loads(Path(meta).read_text()))
        df, meta = frames[source]
        if meta.get("unavailable"):
            results.append(
                source_unavailable(claim, theme, sources.get(source, {}), meta["reason"], dossier_date)
            )
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
            )
        )
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
    }
    atomic_write_text(out_json, json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return frame

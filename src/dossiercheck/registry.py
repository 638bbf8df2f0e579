"""The claim registry as configuration: read, checked and summarised without the data. Light on purpose
(no pandas): the workflow imports it when it is parsed, before anything runs, and a typo must stop it then.
recompute_claims (claims.py) does the work with the data."""

from __future__ import annotations

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
    """The selections a spec reads, by role, each as {measure, filters}."""
    common = spec.get("filters") or {}
    if spec.get("numerator") or spec.get("denominator"):
        return {
            role: {
                "measure": spec[role]["measure"],
                "filters": {**common, **(spec[role].get("filters") or {})},
            }
            for role in ("numerator", "denominator")
        }
    if spec.get("measures"):
        return {m: {"measure": m, "filters": common} for m in spec["measures"]}
    return {"value": {"measure": spec["measure"], "filters": common}}


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
        kind = (claim.get("metric") or {}).get("kind")
        try:
            required = metric_fields(kind)
        except ClaimError as e:
            raise RegistryError(f"{where}: {e}") from None
        missing = [k for k in required if k not in claim["metric"]]
        if missing:
            raise RegistryError(f"{where}: metric {kind} needs {', '.join(missing)} under 'metric'.")


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

"""Rule ``recompute_claims``: every claim of one theme, recomputed for the dossier's period and the newest.

The registry (``config/claims/<theme>.yaml``) says, per claim, what the dossier says (quote, value,
qualifier, period) and how to recompute it (source, metric, measure, filters). Nothing is evaluated
from the YAML: a metric is looked up by name in ``metrics.METRICS``.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dossiercheck.compare import judge
from dossiercheck.errors import ClaimError, RegistryError
from dossiercheck.metrics import compute, get_metric, selections
from dossiercheck.periods import PROVISIONAL, label_nl, month_code, period_kind
from dossiercheck.schemas.claims import ClaimResult
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import STATUSES, overall_status

log = logging.getLogger(__name__)

CSV_FLOAT_FORMAT = "%.6f"


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise RegistryError(f"{path} is not valid YAML: {e}. Fix the file and run again.") from e


def load_registry(path: Path) -> dict[str, Any]:
    """A theme's claim file, with the checks JSON Schema cannot express (metric names and fields)."""
    reg = load_yaml(path)
    if not isinstance(reg, dict) or not isinstance(reg.get("claims"), list):
        raise RegistryError(
            f"{path}: expected keys 'theme' and 'claims' (a list). See config/claims/README.md."
        )
    seen: set[str] = set()
    for claim in reg["claims"]:
        cid = claim.get("id", "?")
        if cid in seen:
            raise RegistryError(f"{path}: claim id {cid!r} appears twice; ids must be unique.")
        seen.add(cid)
        if claim.get("recomputable", True):
            try:
                metric = get_metric(claim["metric"]["kind"])
            except ClaimError as e:
                raise RegistryError(f"{path}, claim {cid}: {e}") from None
            missing = [k for k in metric.required if k not in claim["metric"]]
            if missing:
                raise RegistryError(
                    f"{path}, claim {cid}: metric {metric.kind} needs {', '.join(missing)} under 'metric'."
                )
    return reg


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
        measures = sorted({m for s in specs for m in (s.get("measures") or [s["measure"]])})
        dims = set.intersection(*(set(s.get("filters") or {}) for s in specs))
        filters = {d: sorted({s["filters"][d] for s in specs}) for d in sorted(dims)}
        needs[source] = {"measures": measures, "filters": filters}
    return needs


def dossier_period(claim: dict[str, Any], dossier_date: date) -> str:
    """The period the dossier means: stated in the claim, or (``period: dossier``) the dossier's own
    month, quarter or year, according to the period kind the metric reads."""
    period = str(claim.get("period", "dossier"))
    if period != "dossier":
        period_kind(period)  # raises on a malformed code
        return period
    kind = claim["metric"].get("period_kind", "MM")
    if kind == "MM":
        return month_code(dossier_date)
    if kind == "KW":
        return f"{dossier_date.year}KW{(dossier_date.month - 1) // 3 + 1:02d}"
    if kind == "JJ":
        return f"{dossier_date.year}JJ00"
    raise RegistryError(
        f"claim {claim['id']}: cannot derive a {kind} period from the dossier date; state it."
    )


def _base_result(claim: dict[str, Any], theme: str, d_period: str | None) -> dict[str, Any]:
    value = claim.get("value")
    return {
        "id": claim["id"],
        "theme": theme,
        "title": claim.get("title", ""),
        "section": claim.get("section", ""),
        "quote": claim["quote"],
        "dossier_value": None if value is None else float(value),
        "unit": claim.get("unit", ""),
        "qualifier": claim.get("qualifier", "exact"),
        "period_note": claim.get("period_note", ""),
        "rounding": float(claim.get("rounding", 0.0)),
        "citation": claim.get("citation"),
        "dossier": {"period": d_period, "label": label_nl(d_period) if d_period else ""},
        "newest": None,
        "reference": None,
        "series": [],
        "provisional": False,
        "change_since_dossier": None,
        "reason": None,
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
    result = _base_result(claim, theme, dossier_period(claim, dossier_date))
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


def recompute_claim(
    claim: dict[str, Any],
    theme: str,
    df: pd.DataFrame,
    meta: dict[str, Any],
    source_entry: dict[str, Any],
    *,
    dossier_date: date,
    qualifiers: dict[str, Any],
) -> dict[str, Any]:
    """One claim's full result: figures, judgements, status, provenance and the chart series."""
    spec = claim["metric"]
    d_period = dossier_period(claim, dossier_date)
    result = _base_result(claim, theme, d_period)
    measures = meta.get("measures") or {}
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
        "measure_title": (measures.get(next(iter(selections(spec).values()))["measure"]) or {}).get("title"),
        "measure_unit": (measures.get(next(iter(selections(spec).values()))["measure"]) or {}).get("unit"),
        "filters": spec.get("filters") or {},
        "snapshot_id": meta["snapshot_id"],
        "retrieved_at": meta["retrieved_at"],
        "upstream_modified": meta.get("upstream_modified"),
        "raw_files": meta["raw_files"],
    }
    # The tolerance a diff allows: the dossier's own rounding, or else half a unit of the last decimal the
    # source publishes (for figures read straight from one or more cells).
    decimals = (measures.get(next(iter(selections(spec).values()))["measure"]) or {}).get("decimals")
    if result["rounding"]:
        result["tolerance"] = result["rounding"]
    elif spec["kind"] in ("value", "sum") and decimals is not None:
        result["tolerance"] = 0.5 * 10 ** -int(decimals)
    else:
        result["tolerance"] = 0.0
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
        # No period stated: the latest figure that existed for a period starting by the dossier's date.
        d_period = computed.latest_at(dossier_date) or d_period
        result["dossier"] = {"period": d_period, "label": label_nl(d_period)}

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
            "judgement": judge(
                res.value, result["dossier_value"], result["qualifier"], result["rounding"], qualifiers
            ),
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
    result["dossier"] = block(dossier)
    newer = newest.period != dossier.period
    result["status"] = overall_status(result["dossier"]["judgement"], result["newest"]["judgement"], newer)
    successor = source_entry.get("successor")
    if successor:
        # Figures from a table CBS stopped: shown, but the status sends the analyst to the successor.
        result["reason"] = (
            f"{meta['table_id']} wordt niet meer bijgewerkt (laatste periode {label_nl(newest.period)}); "
            f"opvolger: {successor}. Oordeel op deze tabel: {STATUSES[result['status']].label}."
        )
        result["status"] = "source_discontinued"
    result["change_since_dossier"] = newest.value - dossier.value
    result["provisional"] = any(
        p["status"] in PROVISIONAL for b in (result["dossier"], result["newest"]) for p in b["periods_used"]
    )
    return result


def results_frame(results: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for r in results:
        d, n = r.get("dossier") or {}, r.get("newest") or {}
        rows.append(
            {
                "claim_id": r["id"],
                "theme": r["theme"],
                "source": r["provenance"]["source"],
                "table_id": r["provenance"]["table_id"],
                "metric": (r["provenance"].get("metric") or {}).get("kind", ""),
                "measure": r["provenance"]["measure"],
                "qualifier": r["qualifier"],
                "dossier_value": r["dossier_value"],
                "unit": r["unit"],
                "dossier_period": d.get("period"),
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
) -> pd.DataFrame:
    """Recompute every claim in ``claims_file``; ``tables`` maps source key -> (tidy parquet, metadata json)."""
    if isinstance(dossier_date, str):
        dossier_date = date.fromisoformat(dossier_date)
    registry = load_registry(claims_file)
    sources = load_yaml(sources_file) or {}
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

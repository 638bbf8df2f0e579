"""Validation an analyst can read: the tidy table's pandera checks, CBS-aware checks, and schema drift
against the source's previous snapshot, reported per check in plain words (Markdown and JSON).

Each finding names the check, the column, what was expected, how many rows failed, up to ten examples
with their row context, and a suggested fix. Checks are errors unless config.yaml lists them under
``validation_warnings``; a warning is reported but does not stop the run.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors

from dossiercheck.errors import DossiercheckError
from dossiercheck.fmt import nl_number
from dossiercheck.periods import PROVISIONAL
from dossiercheck.schemas.tidy import TidyTable
from dossiercheck.snapshot import atomic_write_text

MAX_EXAMPLES = 10
DEFAULT_WARNINGS = ("provisional_periods", "measure_added", "codes_added")
DEFAULT_ROW_BAND = 0.5  # a new snapshot with half the rows or fewer, or twice or more, is suspect

# pandera's check names, as the stable names analysts and tests use
PANDERA_NAMES = {
    ("period", "str_matches"): "period_code_format",
    ("period_kind", "isin"): "period_kind_known",
    ("period_status", "isin"): "period_status_known",
    ("value_attribute", "isin"): "value_attribute_known",
}
FIXES = {
    "period_code_format": "CBS period codes look like 2023JJ00, 2023KW03, 2023MM10. Check the source's period "
    "column; for a file source, check 'period' in config/sources.yaml.",
    "period_status_known": "Expected Definitief, Voorlopig or Nader voorlopig. CBS may have added a status: report it.",
    "value_attribute_known": "Expected None, Impossible, Confidential or NotAvailable (CBS's ValueAttribute).",
    "null_only_with_reason": "CBS left a cell empty without saying why. Fetch again (make refresh); if it stays, "
    "report it to CBS (infoservice@cbs.nl).",
    "unique_cells": "The same cell appears twice. The download may overlap between pages: fetch again with "
    "make refresh CONFIG=refresh=force.",
    "dimension_codes_clean": "Codes still carry padding; this is a bug in the tidy step. Report it.",
    "percent_range": "A percentage outside 0–100: check the measure's unit, or whether CBS changed the measure.",
    "row_count_band": "The table changed size sharply since the previous snapshot. Check the table on StatLine "
    "(a filter, or a redesign?); if it is right, run again with this check under validation_warnings.",
    "unit_changed": "CBS changed a measure's unit: claims that read it may need a new value or unit.",
    "decimals_changed": "CBS changed a measure's decimals: recomputed figures may move in their last digit.",
    "measure_removed": "A measure the previous snapshot had is gone. If a claim reads it, point the claim at its "
    "new code (see measure_renamed) or at the successor table.",
    "measure_renamed": "A measure has a new code but the same title: update the measure code in dossiers/<slug>/claims/.",
    "measure_added": "CBS added a measure; nothing to do unless a claim should read it.",
    "codes_removed": "Codes of a dimension are gone. If a claim filters on one, update its filters.",
    "codes_added": "CBS added codes to a dimension; nothing to do unless a claim should select them.",
    "provisional_periods": "Figures for these periods are provisional (Voorlopig): CBS may still revise them.",
}


@dataclass
class Finding:
    check: str
    column: str
    expected: str
    failed_rows: int
    examples: list[dict[str, Any]] = field(default_factory=list)
    severity: str = "error"
    fix: str = ""


@dataclass
class Report:
    source: str
    snapshot_id: str | None
    rows: int
    checks_run: int
    findings: list[Finding]
    previous_snapshot: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def passed(self) -> bool:
        return not self.errors


def _examples(df: pd.DataFrame, index: list[int]) -> list[dict[str, Any]]:
    rows = df.loc[[i for i in index[:MAX_EXAMPLES] if i in df.index]].copy()
    for col in rows.columns:
        if pd.api.types.is_datetime64_any_dtype(rows[col]):
            rows[col] = rows[col].dt.strftime("%Y-%m-%d")
    return json.loads(rows.astype(object).where(rows.notna(), None).to_json(orient="records"))


def pandera_findings(df: pd.DataFrame) -> tuple[list[Finding], int]:
    """Run the tidy model lazily; one finding per failing check, with row context. A frame that passes
    is coerced to the declared types in place (no copy of a million rows, and no second validation to
    coerce it after)."""
    schema = TidyTable.to_schema()
    n_checks = sum(len(c.checks) + 1 for c in schema.columns.values()) + len(schema.checks)
    try:
        TidyTable.validate(df, lazy=True, inplace=True)
        return [], n_checks
    except pandera.errors.SchemaErrors as e:
        return findings_from(e, df, schema), n_checks


def raw_report(snapshot_dir, error: pandera.errors.SchemaErrors) -> Report:
    """A report for a raw payload that does not have the shape its source kind promises."""
    from dossiercheck.snapshot import read_manifest

    manifest = read_manifest(snapshot_dir)
    data = error.data if isinstance(error.data, pd.DataFrame) else pd.DataFrame()
    findings = findings_from(error, data, error.schema)
    for f in findings:
        f.check = f"raw.{error.schema.name}.{f.check}"
        f.fix = f.fix or (
            "The source sent a payload of an unexpected shape: fetch again (make refresh CONFIG=refresh=force); "
            "if it stays, CBS may have changed its API: report it."
        )
    return Report(manifest["source"], manifest["snapshot_id"], len(data), len(findings), findings)


def findings_from(error: pandera.errors.SchemaErrors, df: pd.DataFrame, schema) -> list[Finding]:
    """One finding per failing check of a lazy pandera validation, with up to ten rows of context."""
    cases = error.failure_cases
    findings = []
    frame_level = cases["schema_context"] == "DataFrameSchema"
    for check, group in cases[frame_level].groupby("check", sort=True):
        index = sorted({int(i) for i in group["index"].dropna()})
        findings.append(
            Finding(
                check,
                "(rows)",
                _describe(schema, check),
                len(index),
                _examples(df, index),
                fix=FIXES.get(check, ""),
            )
        )
    for (column, check), group in cases[~frame_level].groupby(["column", "check"], sort=True):
        name = PANDERA_NAMES.get((column, str(check).split("(")[0]), f"{column}.{str(check).split('(')[0]}")
        index = sorted({int(i) for i in group["index"].dropna()})
        findings.append(
            Finding(
                name,
                str(column),
                str(check),
                len(index) or len(group),
                _examples(df, index),
                fix=FIXES.get(name, ""),
            )
        )
    return findings


def _describe(schema, check: str) -> str:
    for c in schema.checks:
        if c.name == check:
            return c.description or check
    return check


CHANGE_WORDS = ("ontwikkeling", "mutatie", "verandering", "groei", "t.o.v.", "ten opzichte")


def is_share(measure: dict[str, Any]) -> bool:
    """A percentage that is a share of a whole (0–100), not a change (which may be negative or above 100):
    unit % and a title that does not speak of development, mutation or growth."""
    title = (measure.get("title") or "").lower()
    return measure.get("unit") in ("%", "procent") and not any(w in title for w in CHANGE_WORDS)


def cbs_findings(df: pd.DataFrame, meta: dict[str, Any]) -> list[Finding]:
    """Checks that need CBS's metadata: percentages within 0–100, provisional periods."""
    findings = []
    percent = [m for m, v in (meta.get("measures") or {}).items() if is_share(v or {})]
    bad = df[df["measure"].isin(percent) & ((df["value"] < 0) | (df["value"] > 100))]
    if len(bad):
        findings.append(
            Finding(
                "percent_range",
                "value",
                "0 ≤ value ≤ 100 for measures with unit %",
                len(bad),
                _examples(df, list(bad.index)),
                fix=FIXES["percent_range"],
            )
        )
    prov = df[df["period_status"].isin(PROVISIONAL)]
    if len(prov):
        periods = sorted(prov["period"].unique())
        findings.append(
            Finding(
                "provisional_periods",
                "period_status",
                f"Definitief (provisional: {', '.join(periods[:12])})",
                len(prov),
                _examples(df, list(prov.index)),
                fix=FIXES["provisional_periods"],
            )
        )
    return findings


def _drift(check: str, column: str, expected: str, examples: list[dict[str, Any]], rows: int = 0) -> Finding:
    return Finding(check, column, expected, rows, examples[:MAX_EXAMPLES], fix=FIXES[check])


def drift_findings(
    meta: dict[str, Any], rows: int, previous: dict[str, Any] | None, band: float
) -> list[Finding]:
    """What changed in the table's shape since the previous snapshot, by name."""
    if not previous:
        return []
    out = []
    old, new = previous.get("measures") or {}, meta.get("measures") or {}
    removed, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))

    def title(table: dict[str, Any], code: str) -> str | None:
        return (table[code] or {}).get("title")

    # a measure that left while one with the same title arrived was renamed, not removed and added
    renamed = {}
    for code in removed:
        same_title = [a for a in added if title(new, a) == title(old, code)]
        if len(same_title) == 1:
            renamed[code] = same_title[0]
    for code, to in renamed.items():
        out.append(
            _drift(
                "measure_renamed",
                "measure",
                f"{code} ({title(old, code)})",
                [{"old": code, "new": to, "title": title(old, code)}],
            )
        )
    for check, codes, table in (
        ("measure_removed", [c for c in removed if c not in renamed], old),
        ("measure_added", [a for a in added if a not in renamed.values()], new),
    ):
        if codes:
            out.append(
                _drift(
                    check,
                    "measure",
                    "the measures of the previous snapshot",
                    [{"measure": c, "title": title(table, c)} for c in codes],
                )
            )
    for key, check in (("unit", "unit_changed"), ("decimals", "decimals_changed")):
        changed = [
            {"measure": c, "before": (old[c] or {}).get(key), "after": (new[c] or {}).get(key)}
            for c in sorted(set(old) & set(new))
            if (old[c] or {}).get(key) != (new[c] or {}).get(key)
        ]
        if changed:
            out.append(_drift(check, key, f"the same {key} as the previous snapshot", changed))
    time_dims = set(meta.get("time_dimensions") or ["Perioden"])
    for dim in sorted(set(previous.get("codes") or {}) & set(meta.get("codes") or {})):
        before, after = set(previous["codes"][dim]), set(meta["codes"][dim])
        expected = f"the {dim} codes of the previous snapshot"
        if before - after:
            out.append(_drift("codes_removed", dim, expected, [{"code": c} for c in sorted(before - after)]))
        if after - before and dim not in time_dims:  # new periods are what a refresh is for
            out.append(_drift("codes_added", dim, expected, [{"code": c} for c in sorted(after - before)]))
    before_rows = previous.get("row_count")
    if before_rows and not (before_rows * band < rows < before_rows / band):  # half or double: suspect
        expected = (
            f"more than {nl_number(before_rows * band)} and fewer than {nl_number(before_rows / band)} rows "
            f"(previous snapshot: {nl_number(before_rows)})"
        )
        out.append(
            _drift(
                "row_count_band", "(table)", expected, [{"previous_rows": before_rows, "rows": rows}], rows
            )
        )
    return out


def validate(df, meta, previous=None, *, warnings=DEFAULT_WARNINGS, band=DEFAULT_ROW_BAND) -> Report:
    findings, n_checks = pandera_findings(df)
    findings += cbs_findings(df, meta)
    findings += drift_findings(meta, len(df), previous, band)
    for f in findings:
        f.severity = "warning" if f.check in warnings else "error"
    return Report(
        meta.get("source", "?"),
        meta.get("snapshot_id"),
        len(df),
        n_checks + 11,
        findings,
        (previous or {}).get("snapshot_id"),
    )


def to_markdown(report: Report) -> str:
    head = f"# Validatie van bron {report.source}\n\nMomentopname {report.snapshot_id}, {nl_number(report.rows)} rijen"
    head += (
        f", vergeleken met de vorige momentopname {report.previous_snapshot}.\n\n"
        if report.previous_snapshot
        else ".\n\n"
    )
    if not report.findings:
        return (
            head
            + f"Geslaagd: {report.checks_run} controles op {nl_number(report.rows)} rijen, zonder bevindingen.\n"
        )
    verdict = (
        "**Afgekeurd**: de pijplijn stopt tot dit is opgelost."
        if report.errors
        else "**Geslaagd met waarschuwingen.**"
    )
    lines = [head + verdict, ""]
    for f in sorted(report.findings, key=lambda f: (f.severity != "error", f.check)):
        lines += [
            f"## {'Fout' if f.severity == 'error' else 'Waarschuwing'}: {f.check}",
            "",
            f"- kolom: `{f.column}`",
            f"- verwacht: {f.expected}",
            f"- aantal rijen dat niet voldoet: {nl_number(f.failed_rows)}"
            if f.failed_rows
            else "- betreft de opbouw van de tabel",
            f"- wat te doen: {f.fix}" if f.fix else "",
            "",
        ]
        if f.examples:
            cols = list(dict.fromkeys(k for e in f.examples for k in e))
            lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            lines += ["| " + " | ".join(_cell(e.get(c)) for c in cols) + " |" for e in f.examples]
            lines.append("")
    return "\n".join(line for line in lines if line is not None) + "\n"


def _cell(v: Any) -> str:
    return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")


def write_report(report: Report, folder: Path) -> Path:
    folder = Path(folder)
    md = folder / f"{report.source}.md"
    atomic_write_text(md, to_markdown(report))
    data = {**asdict(report), "passed": report.passed}
    atomic_write_text(
        folder / f"{report.source}.json", json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    return md


class ValidationFailed(DossiercheckError):
    """A source failed validation; the message names the report to read."""


def enforce(report: Report, md: Path) -> None:
    if report.errors:
        names = ", ".join(sorted({f.check for f in report.errors}))
        raise ValidationFailed(
            f"Source {report.source} failed validation ({names}). Read {md}: it says per check what was expected, "
            "which rows failed and what to do."
        )

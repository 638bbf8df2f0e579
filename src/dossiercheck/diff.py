"""Diffs of key figures between runs, vintages and the accepted baseline.

Every run leaves ``figures.csv``: two figures per recomputed claim (the dossier's period and the newest),
with period, period status, value, the tolerance that comes from the claim, and the claim's status. A run
is kept under ``data/runs/<run_id>/``, the id derived from the source snapshots and the claim registry, so
any two runs can be compared without downloading anything.

The comparison itself works on rows (dicts), without pandas: the two jobs that run it (``record_run`` and
each theme's ``write_report_fragments``) would otherwise import pandas for a few dozen rows, 0.3 s of CPU
each. The functions a person or a test calls (``diff``, ``read_figures``, ``figures_from_results``,
``accept_baseline``) still take and give DataFrames; the writers take either.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import shutil
import sys
from collections.abc import Iterable
from contextlib import nullcontext
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossiercheck.errors import DossiercheckError
from dossiercheck.fmt import nl_auto, nl_number
from dossiercheck.history import CLASSES, NOT_MATERIAL, read_history  # noqa: F401  (read by callers)
from dossiercheck.periods import PROVISIONAL
from dossiercheck.snapshot import atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

FIGURE_COLUMNS = [
    "claim_id", "theme", "figure", "source", "table_id", "measure", "period", "period_status",
    "value", "unit", "tolerance", "claim_status", "snapshot_id",
]  # fmt: skip
KEY = ["claim_id", "figure"]
NUMERIC = ("value", "tolerance")

Rows = list[dict[str, Any]]


def _key(row) -> tuple[str, str]:
    return (row["claim_id"], row["figure"])


def _records(d) -> Rows:
    """Rows as dicts, from a DataFrame (NaN and pandas' NA as None) or from rows already."""
    if hasattr(d, "to_dict"):
        return [_plain(r) for r in d.to_dict("records")]
    return list(d)


def figure_rows(results: list[dict[str, Any]]) -> Rows:
    """The figures of one run as rows, in KEY order: for each recomputed claim its dossier-period and
    newest figure."""
    rows = []
    for r in results:
        prov = r.get("provenance") or {}
        for figure in ("dossier", "newest"):
            block = r.get(figure) or {}
            if block.get("value") is None:
                continue
            statuses = {p["period"]: p.get("status") for p in block.get("periods_used", [])}
            rows.append(
                {
                    "claim_id": r["id"], "theme": r["theme"], "figure": figure, "source": prov.get("source", ""),
                    "table_id": prov.get("table_id", ""), "measure": prov.get("measure", ""),
                    "period": block["period"], "period_status": statuses.get(block["period"]) or "",
                    "value": float(block["value"]), "unit": r.get("unit", ""),
                    "tolerance": float(r.get("tolerance") or 0.0), "claim_status": r["status"],
                    "snapshot_id": prov.get("snapshot_id") or "",
                }
            )  # fmt: skip
    return sorted(rows, key=_key)  # stable, as pandas' sort_values on KEY was


def figures_from_results(results: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(figure_rows(results), columns=FIGURE_COLUMNS)


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return f"{v:.6f}" if isinstance(v, float) else str(v)


def figures_csv(figures) -> str:
    """The figures as figures.csv holds them (six decimals: what every comparison sees), from rows or a
    DataFrame; the text pandas' ``to_csv(index=False, float_format="%.6f")`` writes (tests hold them equal)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIGURE_COLUMNS)
    writer.writerows([_cell(r.get(c)) for c in FIGURE_COLUMNS] for r in _records(figures))
    return out.getvalue()


def write_figures(figures, path: Path) -> None:
    atomic_write_text(path, figures_csv(figures))


def _number(text: str) -> float:
    return float(text) if text.strip() else math.nan


def read_figure_rows(path: Path | io.StringIO) -> Rows:
    """figures.csv as rows in KEY order, values and tolerances as floats, every other cell as text."""
    with (
        nullcontext(path)
        if isinstance(path, io.StringIO)
        else open(path, encoding="utf-8-sig", newline="") as f
    ):
        reader = csv.DictReader(f)  # utf-8-sig: a file Excel saved starts with a byte-order mark
        rows = list(reader)
    missing = [c for c in FIGURE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DossiercheckError(f"{path} is not a figures table (it lacks {', '.join(missing)}).")
    try:
        out = [
            {c: (_number(r[c] or "") if c in NUMERIC else r[c] or "") for c in FIGURE_COLUMNS} for r in rows
        ]
    except ValueError as e:
        raise DossiercheckError(f"{path} has a value or tolerance that is not a number ({e}).") from e
    return sorted(out, key=_key)


def read_figures(path: Path | io.StringIO) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(read_figure_rows(path), columns=FIGURE_COLUMNS)
    for col in NUMERIC:
        df[col] = df[col].astype(float)
    return df


def run_id(sources: dict[str, str | None], registry_digest: str) -> str:
    """Same snapshots and same claims, same id."""
    text = json.dumps({"sources": dict(sorted(sources.items())), "registry": registry_digest}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def record_run(claims_files, meta_files, registry_files, out_dir: Path, runs_root: Path) -> str:
    """Write this run's figures and run.json to ``out_dir`` and keep a copy under ``runs_root/<run_id>/``."""
    results = [c for f in sorted(claims_files) for c in json.loads(Path(f).read_text())["claims"]]
    figures = figure_rows(results)
    sources = {}
    for f in sorted(meta_files):
        m = json.loads(Path(f).read_text())
        sources[m["source"]] = m.get("snapshot_id")
    digest = hashlib.sha256(b"".join(Path(f).read_bytes() for f in sorted(registry_files))).hexdigest()
    rid = run_id(sources, digest)
    out_dir = Path(out_dir)
    write_figures(figures, out_dir / "figures.csv")
    atomic_write_text(
        out_dir / "run.json",
        json.dumps(
            {"run_id": rid, "sources": dict(sorted(sources.items())), "registry_sha256": digest}, indent=2
        )
        + "\n",
    )
    keep = Path(runs_root) / rid
    if not keep.exists():
        tmp = Path(runs_root) / f".{rid}.partial"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name in ("figures.csv", "run.json"):
            shutil.copy2(out_dir / name, tmp / name)
        tmp.rename(keep)
    return rid


def record_and_compare(
    claims_files, meta_files, registry_files, out_dir: Path, runs_root: Path, baseline: Path, diff_dir: Path
) -> str:
    """Rule ``record_run``: this run's figures (``record_run``), then the run against the accepted
    baseline (``write_diff``). One job: the comparison always follows the record, and each would otherwise
    pay a process's start-up for milliseconds of work."""
    rid = record_run(claims_files, meta_files, registry_files, out_dir, runs_root)
    write_diff(baseline, Path(out_dir) / "figures.csv", diff_dir)
    return rid


def resolve(spec: str, runs_root: Path, baseline: Path) -> Path:
    """A run id, a run directory, a figures.csv, or 'baseline' -> the figures file it names."""
    if spec == "baseline":
        path = Path(baseline)
    elif Path(spec).is_file():
        path = Path(spec)
    elif Path(spec).is_dir():
        path = Path(spec) / "figures.csv"
    else:
        path = Path(runs_root) / spec / "figures.csv"
    if not path.is_file():
        known = sorted(p.name for p in Path(runs_root).glob("*") if (p / "figures.csv").is_file())
        raise DossiercheckError(
            f"{spec!r} names no figures: {path} does not exist. Give a run id ({', '.join(known) or 'none kept yet'}), "
            "a run directory, or 'baseline' (written by: dossiercheck baseline accept)."
        )
    return path


def classify(old, new) -> str:
    """The class of one figure's change; ``old`` and ``new`` are its rows (dicts or Series), or None."""
    if old is None:
        return "added"
    if new is None:
        return "removed"
    if old["period"] != new["period"]:
        return "new_period"
    if old["table_id"] != new["table_id"]:
        return "source_replaced"
    delta = abs(new["value"] - old["value"])
    tolerance = max(old["tolerance"], new["tolerance"])
    if delta > tolerance + 1e-9:
        return "revised"
    was, now = old["period_status"] in PROVISIONAL, new["period_status"] in PROVISIONAL
    if was and not now:
        return "provisional_became_definitive"
    if now and not was:
        return "definitive_became_provisional"
    if old["claim_status"] != new["claim_status"] and old["claim_status"] != "revised":
        # a baseline that holds 'revised' (the source changed the figure since the baseline before it)
        # settles once accepted: against itself the same figure is no longer revised. Not a change.
        return "status_changed"
    return "within_tolerance" if delta > 0 else "unchanged"


def _by_key(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = _key(r)
        if key in out:  # one would hide the other's change
            raise DossiercheckError(
                f"claim {key[0]!r} has two {key[1]} figures (themes {out[key]['theme']} and {r['theme']}): a "
                "claim id must be unique in its dossier for runs to be compared. Rename one in its claims file."
            )
        out[key] = r
    return out


def diff_rows(a: Iterable[dict[str, Any]], b: Iterable[dict[str, Any]]) -> Rows:
    """One row per figure in either run: its class, old and new value, change and tolerance."""
    old, new = _by_key(a), _by_key(b)
    rows = []
    for key in sorted(old.keys() | new.keys()):
        o, n = old.get(key), new.get(key)
        cls = classify(o, n)
        ov, nv = (None if o is None else float(o["value"])), (None if n is None else float(n["value"]))
        rows.append(
            {
                "claim_id": key[0], "figure": key[1], "class": cls, "material": cls not in NOT_MATERIAL,
                "theme": (n if n is not None else o)["theme"],
                "old_period": None if o is None else o["period"], "new_period": None if n is None else n["period"],
                "old_value": ov, "new_value": nv,
                "abs_change": None if ov is None or nv is None else nv - ov,
                "rel_change": None if not ov or nv is None else (nv - ov) / abs(ov),
                "tolerance": max(x["tolerance"] for x in (o, n) if x is not None),
                "old_status": None if o is None else o["claim_status"], "new_status": None if n is None else n["claim_status"],
                "old_table": None if o is None else o["table_id"], "new_table": None if n is None else n["table_id"],
            }
        )  # fmt: skip
    return rows


def diff(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """``diff_rows`` of two figures tables, as a DataFrame."""
    import pandas as pd

    # the rows as the frames hold them: a missing value stays NaN, as the comparison expects
    return pd.DataFrame(diff_rows(a.to_dict("records"), b.to_dict("records")))


def exit_code(d) -> int:
    return 1 if any(r["material"] for r in _records(d)) else 0


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _fmt(v) -> str:
    return "–" if _missing(v) else nl_auto(float(v))


def _pct(v) -> str:
    return "–" if _missing(v) else f"{nl_number(100 * v, 1)}%"


def to_json(d) -> str:
    # NaN is not JSON: null; floats to 10 decimals, as pandas' to_json wrote them (a change of 0.1 is 0.1)
    records = [
        {k: round(v, 10) if isinstance(v, float) else v for k, v in _plain(r).items()} for r in _records(d)
    ]
    summary = {c: sum(r["class"] == c for r in records) for c in CLASSES}
    return (
        json.dumps(
            {"material": bool(exit_code(records)), "counts": summary, "figures": records},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _rows(d, only_material: bool):
    return [r for r in _records(d) if r["material"] or not only_material]


def to_markdown(d, only_material: bool = False) -> str:
    lines = [
        "| claim | cijfer | wat | oud | nieuw | verschil | relatief | tolerantie |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in _rows(d, only_material):
        # an added or removed figure has no period on one side
        old = f"{_fmt(r['old_value'])} ({r['old_period']})" if isinstance(r["old_period"], str) else "–"
        new = f"{_fmt(r['new_value'])} ({r['new_period']})" if isinstance(r["new_period"], str) else "–"
        lines.append(
            f"| {r['claim_id']} | {r['figure']} | {CLASSES[r['class']]} | {old} | {new} | {_fmt(r['abs_change'])} | {_pct(r['rel_change'])} | {_fmt(r['tolerance'])} |"
        )
    return "\n".join(lines) + "\n"


def to_text(d) -> str:
    head = f"{'claim':<48} {'figure':<8} {'class':<30} {'old':>14} {'new':>14} {'change':>10}"
    out = [head, "-" * len(head)]
    records = _records(d)
    for r in records:
        out.append(
            f"{r['claim_id']:<48} {r['figure']:<8} {r['class']:<30} {_fmt(r['old_value']):>14} {_fmt(r['new_value']):>14} {_fmt(r['abs_change']):>10}"
        )
    material = sum(bool(r["material"]) for r in records)
    out.append(f"{material} material change(s) in {len(records)} figure(s)")
    return "\n".join(out) + "\n"


def to_html(d) -> str:
    """A fragment for the overview report: the material changes only, escaped."""
    rows = _rows(d, only_material=True)
    if not rows:
        return '<p class="diff">Geen cijfer is wezenlijk veranderd sinds de vastgestelde basislijn.</p>\n'
    cells = "".join(
        f"<tr><td>{escape(r['claim_id'])}</td><td>{escape(r['figure'])}</td><td>{escape(CLASSES[r['class']])}</td>"
        f"<td>{escape(_fmt(r['old_value']))}</td><td>{escape(_fmt(r['new_value']))}</td><td>{escape(_pct(r['rel_change']))}</td></tr>"
        for r in rows
    )
    return (
        '<table class="diff"><thead><tr><th>claim</th><th>cijfer</th><th>wat</th><th>oud</th><th>nieuw</th>'
        f"<th>relatief</th></tr></thead><tbody>{cells}</tbody></table>\n"
    )


FORMATS = {"text": to_text, "markdown": to_markdown, "json": to_json, "html": to_html}


HISTORY = "history.json"  # beside the baseline: every accepted change, for the site's page "Wijzigingen"


def accept_baseline(figures: Path, baseline: Path, theme: str | None = None) -> pd.DataFrame:
    """Write the current run's figures as the accepted baseline (for one theme: only its rows change), and
    add to the history beside it what this acceptance changed: when, and per figure that moved, from what
    to what and from which snapshot."""
    import pandas as pd

    new = read_figures(figures)
    previous = read_figures(baseline) if Path(baseline).is_file() else new.iloc[0:0]
    if theme:
        if theme not in set(new["theme"]):
            raise DossiercheckError(
                f"theme {theme!r} has no figures in {figures} (themes: {', '.join(sorted(set(new['theme'])))})."
            )
        old = read_figures(baseline) if Path(baseline).is_file() else new.iloc[0:0]
        new = (
            pd.concat([old[old["theme"] != theme], new[new["theme"] == theme]])
            .sort_values(KEY)
            .reset_index(drop=True)
        )
    Path(baseline).parent.mkdir(parents=True, exist_ok=True)
    record_acceptance(previous, new, Path(baseline).parent / HISTORY, theme)
    write_figures(new, baseline)
    return new


def record_acceptance(
    old: pd.DataFrame, new: pd.DataFrame, history: Path, theme: str | None
) -> dict[str, Any]:
    """Append one acceptance to ``history`` (a JSON list, newest last): the figures that moved materially
    between the old baseline and the new one. The first baseline records its size, not every figure."""
    import pandas as pd

    from dossiercheck.snapshot import utc_now

    d = diff(old, new) if len(old) or len(new) else pd.DataFrame(columns=["material"])
    moved = d[d["material"]] if len(d) else d
    snapshots = new.set_index(KEY)["snapshot_id"].to_dict() if len(new) else {}
    entry: dict[str, Any] = {"accepted_at": utc_now(), "theme": theme, "figures": int(len(new))}
    if len(old) == 0:
        entry["first"] = True
        entry["changes"] = []
    else:
        entry["changes"] = [
            {
                "claim_id": r["claim_id"], "figure": r["figure"], "theme": r["theme"], "class": r["class"],
                "old_period": r["old_period"], "new_period": r["new_period"],
                "old_value": r["old_value"], "new_value": r["new_value"],
                "old_status": r["old_status"], "new_status": r["new_status"],
                "table": r["new_table"] or r["old_table"],
                "snapshot_id": snapshots.get((r["claim_id"], r["figure"])) or None,
            }
            for r in moved.to_dict("records")
        ]  # fmt: skip
    entries = json.loads(history.read_text(encoding="utf-8")) if history.is_file() else []
    entries.append(_plain(entry))
    atomic_write_text(history, json.dumps(entries, indent=2, ensure_ascii=False) + "\n")
    return entry


def _plain(v):
    """JSON-ready: NaN and pandas' missing values as null, numpy numbers as Python's."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    pandas = sys.modules.get("pandas")  # a value from a DataFrame: pandas is loaded already
    if _missing(v) or (pandas is not None and v is pandas.NA):
        return None
    return v.item() if hasattr(v, "item") else v


def write_theme_diff(baseline: Path, claims_json: Path, out_json: Path) -> None:
    """One theme's figures against the accepted baseline (rule ``write_report_fragments``), so that a theme's report
    depends on its own figures only and is not rendered again when another theme's source changes."""
    payload = json.loads(Path(claims_json).read_text())
    # through figures.csv's own form, so that the comparison sees the rounding the baseline has
    new = read_figure_rows(io.StringIO(figures_csv(figure_rows(payload["claims"]))))
    theme = payload["theme"]
    old = read_figure_rows(baseline) if Path(baseline).is_file() else []
    atomic_write_text(out_json, to_json(diff_rows([r for r in old if r["theme"] == theme], new)))


def write_diff(a: Path, b: Path, out_dir: Path, stem: str = "baseline") -> int:
    """The run against the baseline in every format (rule ``record_run``); with no baseline yet, every figure
    is 'added'."""
    d = diff_rows(read_figure_rows(a) if Path(a).is_file() else [], read_figure_rows(b))
    for fmt, ext in (("markdown", "md"), ("json", "json"), ("html", "html"), ("text", "txt")):
        atomic_write_text(Path(out_dir) / f"{stem}.{ext}", FORMATS[fmt](d))
    return exit_code(d)

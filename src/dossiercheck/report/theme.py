"""Rule ``write_report_fragments``: a theme's page body (one section per figure, with its chart) and the
summary at its top, from the theme's claim results; the CSV downloads beside it.

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
from pathlib import Path
from typing import Any

from dossiercheck.figures import write_claim_chart
from dossiercheck.fmt import editor_value
from dossiercheck.periods import moment_nl
from dossiercheck.report.common import (
    SEVERITY,
    _dossier_period_cell,
    _dossier_words,
    _figure_in,
    _measures_line,
    _provenance,
    _source_name,
    _status_span,
    baseline_changes,
    bundle_note,
    html_attr,
    md_escape,
    origin_note,
    provisional_note,
    reading_lines,
    shown_change,
    status_legend,
)
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import JUDGEMENT_NL, REASON_KINDS_NL, STATUSES, period_why

log = logging.getLogger(__name__)


def _technical(c: dict[str, Any]) -> list[str]:
    """A figure's technical details, folded away (a collapsed Quarto callout; a <details> in the pandoc
    rendering): codes, filters, snapshot, checksums and any error text, for the analyst who must trace it."""
    p = c.get("provenance") or {}
    rows: list[str] = []
    if p.get("raw_files"):
        d, n = c.get("dossier") or {}, c.get("newest") or {}
        used = {x["period"]: x["status"] for b in (d, n) for x in b.get("periods_used", [])}
        rows += [
            f"- {_measures_line(p)}",
            f"- Filters: {md_escape(', '.join(f'{k} = {v}' for k, v in p['filters'].items()) or 'geen')}",
            f"- Perioden: {'; '.join(f'{md_escape(k)} ({md_escape(v)})' for k, v in used.items()) or '–'}",
            f"- Momentopname: `{str(p.get('snapshot_id')).replace('`', '')}`",
            "- Controlegetallen (sha256): "
            + "; ".join(f"{md_escape(k)} `{v['sha256'][:12]}`" for k, v in sorted(p["raw_files"].items())),
        ]
    elif p.get("table_id"):
        measure = f", maat `{str(p['measure']).replace('`', '')}`" if p.get("measure") else ""
        rows.append(f"- Tabel {md_escape(p['table_id'])}{measure}")
    if p.get("source"):
        rows.append(f"- Sleutel in de bronnenlijst (config/sources.yaml): `{p['source']}`")
    who = ", ".join(str(x) for x in (p.get("transcribed_by"), moment_nl(p.get("transcribed_at"))) if x)
    if p.get("document") and who:
        rows.append(f"- Overgenomen door: {md_escape(who)}")
    rows.append(f"- Sleutel in het claimregister: `{c['id']}`")
    if c.get("codes_verified") is False:
        rows.append(
            "- De maat- en dimensiecodes zijn nog niet bij de bron gecontroleerd; dat gebeurt de eerste keer "
            "dat dossiercheck de tabel ophaalt."
        )
    if c.get("reason_detail"):
        # escaped like any text from a source: a code block would leave an include shortcode alive
        rows.append(f"- Foutmelding: [{md_escape(c['reason_detail'])}]{{.error-detail}}")
    return [
        '::: {.callout-note .technical collapse="true" title="Technische details"}',
        *rows,
        ":::",
        "",
    ]


def _quote(c: dict[str, Any]) -> list[str]:
    """The dossier's sentence; when it leans on the one before ("Die is…", "Zij zijn…"), that one first."""
    before = c.get("quote_context")
    context = f"[{md_escape(before)}]{{.quote-context}} " if before else ""
    return [f"> {context}{md_escape(c['quote'])}", ""]


def _claim_markdown(c: dict[str, Any], figure: str | None, alt: str | None) -> str:
    status = STATUSES[c["status"]]
    if c.get("cross_check_of"):  # shown under the claim it checks, one heading level down
        heading = f"#### Ter controle: {md_escape(c.get('title') or c['id'])} {{#{c['id']}}}"
    else:
        heading = f"### {md_escape(c.get('title') or c['id'])} {{#{c['id']}}}"
    # every figure has an address: this page#claim id; the link copies it (site.js), or just leads there
    lines = [heading, "", f"[kopieer link](#{c['id']}){{.copy-link}}", "", *_quote(c)]
    # the badge's meaning stands once, in the page's legend; here what this figure needs said
    body = []
    if c.get("suggested_wording"):
        body += [f"**Voorstel voor de zin:** {md_escape(c['suggested_wording'])}"]
    if c.get("baseline_changes"):
        body += [
            f"**Gewijzigd sinds de vastgestelde basislijn:** {md_escape('; '.join(c['baseline_changes']))}."
        ]
    if c.get("provisional"):
        body += [f"**Voorlopig:** {md_escape(provisional_note(c))}"]
    if c.get("reason"):
        kind = REASON_KINDS_NL.get(c.get("reason_kind") or "")
        body += [f"Toelichting{f' ({kind})' if kind else ''}: {md_escape(c['reason'])}"]
    if body:
        lines += [
            f'::: {{.callout-{status.callout} title="Oordeel: {status.label}"}}',
            _status_span(c["status"]),
        ]
        for b in body:
            lines += ["", b]
        lines += [":::", ""]
    else:
        lines += [f"**Oordeel:** {_status_span(c['status'])}", ""]
    unit = c.get("unit") or ""
    judged = c["status"] != "other_definition"
    d, n = c.get("dossier") or {}, c.get("newest") or {}
    empty = d.get("value") is None and n.get("value") is None and not d.get("label")
    if empty and _dossier_words(c) == "–":  # no figure and no period: a table would say nothing
        return _claim_tail(c, d, n, figure, alt, lines)
    lines += ["| | Periode | Waarde | Oordeel |", "|---|---|---|---|"]
    band = (c.get("band") or {}).get("text")
    admits = f" (dat is {md_escape(band)})" if band and judged else ""
    lines.append(f"| Het dossier | {_dossier_period_cell(d)} | {_dossier_words(c)}{admits} | |")
    publisher = md_escape((c.get("provenance") or {}).get("publisher")) or "De bron"
    now = "nu" if d.get("origin") == "published" else "nu, nagerekend"  # the table's own figure or ours
    own = (
        f"{publisher} {now}, periode van het dossier"
        if judged
        else f"{publisher} ter vergelijking, periode van het dossier"
    )
    if d.get("value") is not None:
        lines.append(
            f"| {own} | {md_escape(d['label'])} | {md_escape(editor_value(d['value'], unit))} | "
            f"{JUDGEMENT_NL.get(d.get('judgement'), 'niet beoordeeld')} |"
        )
    if n.get("value") is not None:
        lines.append(
            f"| {publisher}, nieuwste cijfer | {md_escape(n['label'])} | {md_escape(editor_value(n['value'], unit))} | "
            f"{JUDGEMENT_NL.get(n.get('judgement'), 'niet beoordeeld')} |"
        )
    if c.get("change_since_dossier") is not None and n.get("period") != d.get("period"):
        shown = shown_change(d.get("value"), n.get("value"), unit, c["change_since_dossier"])
        lines.append(f"| Verandering sinds de periode van het dossier | | {md_escape(shown)} | |")
    lines.append("")
    return _claim_tail(c, d, n, figure, alt, lines)


def _claim_tail(c, d, n, figure, alt, lines: list[str]) -> str:
    """Under a figure's table: the notes on its period, origin and reading, its chart and its source."""
    unit = c.get("unit") or ""
    if d.get("basis") in ("reading", "assumed") or (d.get("why") and not d.get("basis")):
        why = period_why(d)
        note = " ".join((c.get("period_note") or "").split())
        if why and why not in note:  # a reading taken from the period note is said once, in the note
            lines += [f"*Periode van het dossier: {md_escape(why)}*", ""]
    origin = origin_note(c)
    if origin:
        lines += [f"*{md_escape(origin)}*", ""]
    if c.get("reading") or c.get("alternative"):
        lines += reading_lines(c)
    if c.get("newest_not_judged"):
        lines += [f"*{md_escape(c['newest_not_judged'])}*", ""]
    if c.get("period_note"):
        lines += [f"*{md_escape(c['period_note'])}*", ""]
    if figure:
        attr = html_attr(alt)
        caption = f"{c.get('series_label') or c.get('title')} ({unit}), bron: {_source_name(c['provenance'])}"
        lines += [f'![{md_escape(caption)}]({figure}){{fig-alt="{attr}" alt="{attr}"}}', ""]
        png = figure[: -len(".svg")] + ".png"
        lines += [f"[Grafiek downloaden: [SVG]({figure}) · [PNG]({png})]{{.downloads}}", ""]
    lines += ["::: {.provenance}", _provenance(c, d, n), ":::", "", *_technical(c)]
    return "\n".join(lines)


def theme_summary(payload: dict[str, Any]) -> str:
    """The top of a theme page: how many figures and with what verdict, then one table row per figure
    (what the dossier says, then, now, verdict, proposed sentence, linked to its detail), then what each
    verdict means, once."""
    from dossiercheck.report.overview import correction_kind

    claims = [c for c in payload["claims"] if not c.get("cross_check_of")]
    order = {code: i for i, code in enumerate(SEVERITY)}
    ranked = sorted(enumerate(claims), key=lambda ic: (order.get(ic[1]["status"], len(order)), ic[0]))
    counts = {code: sum(1 for c in claims if c["status"] == code) for code in SEVERITY}
    used = [code for code in SEVERITY if counts[code]]
    lines = [
        "## In het kort {#in-het-kort}",
        "",
        f"Dit thema telt {len(claims)} {'cijfer' if len(claims) == 1 else 'cijfers'} uit het dossier: "
        + ", ".join(f"{counts[code]} {_status_span(code)}" for code in used)
        + (
            ". Wat moet worden aangepast staat bovenaan."
            if any(correction_kind(c) for c in claims)
            else ". Geen enkel cijfer vraagt om een aanpassing."
        ),
        "",
        "::: {.summary-table .column-page}",
        "| Cijfer | Het dossier zegt | Toen volgens de bron | Nu volgens de bron | Oordeel | Voorstel |",
        "|---|---|---|---|---|---|",
    ]
    for _, c in ranked:
        d, n = c.get("dossier") or {}, c.get("newest") or {}
        unit = c.get("unit") or ""
        then = _figure_in(d, unit, assumed=d.get("basis") == "assumed") if d.get("value") is not None else "–"
        newer = n.get("value") is not None and n.get("period") != d.get("period")
        if newer and c.get("newest_not_judged") and d.get("value") is not None:
            # the sentence names its own period: now is that period as the source gives it now; a newer
            # period is for reference only (the detail below says so)
            now = (
                f"{_figure_in(d, unit)}; ter informatie {md_escape(n['label'])}: "
                f"{md_escape(editor_value(n['value'], unit))}"
            )
        elif newer:
            now = _figure_in(n, unit)
        else:
            now = "geen nieuwer cijfer" if d.get("value") is not None else "–"
        proposal = md_escape(c["suggested_wording"]) if c.get("suggested_wording") else "–"
        lines.append(
            f"| [{md_escape(c.get('title') or c['id'])}](#{c['id']}) | {_dossier_words(c)} | {then} | {now} | "
            f"{_status_span(c['status'])} | {proposal} |"
        )
    lines += [":::", "", *status_legend(used)]
    return "\n".join(lines)


def write_theme_page(
    claims_json: Path, baseline: Path, diff_json: Path, out_md: Path, figures_dir: Path, href: str, **kw
) -> None:
    """Rule ``write_report_fragments``: the theme's figures against the accepted baseline
    (``diff.write_theme_diff``, kept as ``diff_json``: the page marks what moved), then the page's fragments
    (``write_report_fragments``). One job: the page always follows its comparison."""
    from dossiercheck.diff import write_theme_diff

    write_theme_diff(baseline, claims_json, diff_json)
    write_report_fragments(claims_json, out_md, figures_dir, f"{href}/figures", diff_json, **kw)


def write_report_fragments(
    claims_json: Path,
    out_md: Path,
    figures_dir: Path,
    figures_href: str,
    diff_json: Path | None = None,
    *,
    claims_csv: Path | None = None,
    downloads_dir: Path | None = None,
    downloads_href: str = "downloads",
    summary_md: Path | None = None,
) -> None:
    """The theme's claims as one Markdown fragment plus an SVG chart (and a PNG to download) per recomputed
    claim, and, given ``claims_csv``, the theme's figures to download with a legend of their columns.

    ``figures_href`` and ``downloads_href`` are how the report document refers to those folders.
    """
    payload = json.loads(Path(claims_json).read_text())
    figures_dir = Path(figures_dir)
    if figures_dir.exists():
        shutil.rmtree(figures_dir)
    figures_dir.mkdir(parents=True)
    changes = baseline_changes(diff_json)
    checks: dict[str, list[dict[str, Any]]] = {}
    for claim in payload["claims"]:
        if claim.get("cross_check_of"):
            checks.setdefault(claim["cross_check_of"], []).append(claim)
    top = ["\n".join(bundle_note([payload]))] if payload.get("bundled") else []
    top.append(theme_summary(payload))
    if claims_csv and downloads_dir:
        top.append(write_downloads(payload["theme"], Path(claims_csv), Path(downloads_dir), downloads_href))
    if summary_md is not None:  # the top of the page, included above the dossier's text
        atomic_write_text(summary_md, "\n".join(top))
        parts = []
    else:
        parts = top
    for main in payload["claims"]:
        if main.get("cross_check_of"):
            continue  # written under the claim it checks
        for claim in [main, *checks.get(main["id"], [])]:
            claim["baseline_changes"] = changes.get(claim["id"], [])
            figure = alt = None
            if claim.get("series"):
                alt = write_claim_chart(claim, figures_dir / f"{claim['id']}.svg", png=True)
                figure = f"{figures_href}/{claim['id']}.svg"
            parts.append(_claim_markdown(claim, figure, alt))
    atomic_write_text(out_md, "\n".join(parts))


def write_downloads(theme: str, claims_csv: Path, downloads_dir: Path, href: str) -> str:
    """The theme's figures as CSV (the rule recompute_claims' own file) and a legend of its columns (from
    the pandera schema that checks it), for a reader to take away; returns the paragraph that offers them."""
    from dossiercheck.schemas.claims import ClaimResult, legend_nl

    if downloads_dir.exists():
        shutil.rmtree(downloads_dir)
    downloads_dir.mkdir(parents=True)
    name = f"{theme}_cijfers.csv"
    shutil.copyfile(claims_csv, downloads_dir / name)
    legend = io.StringIO()
    writer = csv.writer(legend, lineterminator="\n")
    writer.writerow(["kolom", "betekenis"])
    meanings = legend_nl()
    for column in ClaimResult.to_schema().columns:
        writer.writerow([column, meanings[column]])  # a column without a Dutch meaning fails here
    atomic_write_text(downloads_dir / "kolommen.csv", legend.getvalue())
    return (
        f"::: {{.downloads}}\n**Downloaden:** [alle cijfers van dit thema (CSV)]({href}/{name}) · "
        f"[uitleg bij de kolommen (CSV)]({href}/kolommen.csv). Bij elke grafiek staat een SVG en een PNG.\n:::\n"
    )

"""Rules ``write_report_fragments`` and ``render_report``: Markdown fragments and charts from the claim
results, then each page of the reports website (reports/_site) rendered with its navigation and shared assets.

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dossiercheck import __version__
from dossiercheck.diff import CLASSES as CLASSES_NL
from dossiercheck.errors import DossiercheckError
from dossiercheck.figures import write_claim_chart
from dossiercheck.fmt import editor_change, editor_value, nl_auto, nl_number
from dossiercheck.periods import PROVISIONAL, moment_nl
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import JUDGEMENT_NL, REASON_KINDS_NL, STATUSES, period_why
from dossiercheck.wording import flatten_brackets

log = logging.getLogger(__name__)

INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+?)\s*>\}\}")
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: str | None) -> str:
    """Make text from a source (titles, descriptions) inert in Markdown and HTML: every ASCII
    punctuation character is backslash-escaped, so no markup, link or raw HTML survives."""
    if text is None:
        return ""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def _status_span(code: str) -> str:
    return f"[{md_escape(STATUSES[code].label)}]{{.status .status-{code}}}"


def _dossier_words(c: dict[str, Any]) -> str:
    """What the dossier says, in its own words: 'ruim een miljoen' (× 1.000 personen: 1.000)."""
    if c.get("dossier_value") is None:
        words = f"“{md_escape(c['wording'])}”" if c.get("wording") else ""
        if c.get("compare_to") is not None:  # a comparison: what "vaker" or "lager" means in numbers
            than = "meer" if c.get("qualifier") == "meer_dan" else "minder"
            x = float(c["compare_to"])
            bound = md_escape(f"{nl_number(x, 0 if x.is_integer() else 2)} {c.get('unit') or ''}".strip())
            return f"{words} (dat is {than} dan {bound})".strip()
        return words or "–"
    words = c.get("wording") or editor_value(c["dossier_value"], c["unit"])
    return f"“{md_escape(words)}”"


# How the period in the dossier's row came about (claims: dossier.basis), as the table says it.
BASIS_NL = {
    "none": "",
    "quote": "genoemd in de zin",
    "reading": "onze lezing van de zin",
    "assumed": "niet genoemd; aangenomen",
}


def _dossier_period_cell(d: dict[str, Any]) -> str:
    """The dossier's period as the table shows it, with whose it is: the dossier's own words, our reading
    of them, or a choice made because the dossier names none."""
    label = md_escape(d.get("label"))
    basis = BASIS_NL.get(d.get("basis") or "")
    if not label:
        return "niet genoemd"
    return f"{label} ({basis})" if basis else label


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
        lines.append(f"| Verandering sinds het dossier | | {md_escape(shown)} | |")
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


def shown_change(old: float | None, new: float | None, unit: str, change: float) -> str:
    """The change since the dossier as the table's two figures show it: the difference of the rounded
    figures, so −4,7% and 4,3% read "+9,0 procentpunt", not the +9,1 of the unrounded ones."""
    from dossiercheck.fmt import shown_value

    if old is None or new is None:
        return editor_change(change, unit)
    return editor_change(shown_value(new, unit) - shown_value(old, unit), unit)


def _source_name(p: dict[str, Any]) -> str:
    """'CBS-tabel 85773NED' or the publisher and document, as a reader names a source."""
    publisher = flatten_brackets(p.get("publisher") or "") or "de bron"
    if p.get("document"):
        return f"{publisher}, {p['document']}"
    table = p.get("table_id") or ""
    if re.fullmatch(r"\d{5}[A-Za-z]{3}|\d{4,5}[a-z]{2,4}", table):  # a numbered table: "CBS-tabel 85773NED"
        return f"{publisher}-tabel {table}"
    title = p.get("table_title")
    return f"{publisher}, {title}" if title else publisher


def origin_note(c: dict[str, Any]) -> str | None:
    """Whether the figure is the one the table publishes or one recomputed here, and from what."""
    p = c.get("provenance") or {}
    spec = p.get("metric") or {}
    sels = p.get("measures") or {}
    publisher = p.get("publisher") or "de bron"
    blocks = [b for b in (c.get("dossier"), c.get("newest")) if b and b.get("value") is not None]
    if not blocks or c["status"] == "other_definition":
        return None
    published = [b for b in blocks if b.get("origin") == "published"]
    own = sels.get("published") or {}
    # titles only: the codes stand in the source line under the chart
    base = [sel.get("title") or sel["measure"] for role, sel in sels.items() if role != "published"]
    if published:
        text = f"Zoals {publisher} het publiceert: {own.get('title') or own.get('measure')}."
        computed = [b for b in blocks if b.get("origin") != "published"]
        if computed:
            text += (
                f" Voor {', '.join(b['label'] for b in computed)} publiceert de tabel dit cijfer niet; het is "
                f"berekend uit {'; '.join(base)}."
            )
        return text
    if spec.get("kind") in (None, "value"):
        return None  # read straight from one cell: the source line below names it
    return f"Berekend uit {'; '.join(base)}: de tabel publiceert dit cijfer niet zelf."


def reading_lines(c: dict[str, Any]) -> list[str]:
    """The reading the registry chose for an ambiguous sentence, and the other reading's figure."""
    lines = []
    if c.get("reading"):
        lines += [f"**Gelezen als:** {md_escape(c['reading'])} Het oordeel volgt deze lezing.", ""]
    alt = c.get("alternative")
    if alt:
        unit = alt.get("unit") or c.get("unit") or ""
        if alt.get("error"):
            lines += [
                f"**Andere lezing:** {md_escape(alt['reading'])} Niet na te rekenen: {md_escape(alt['error'])}.",
                "",
            ]
            return lines
        parts = []
        for key in ("dossier", "newest"):
            b = alt.get(key)
            if b and (key == "dossier" or b["period"] != (alt.get("dossier") or {}).get("period")):
                verdict = JUDGEMENT_NL.get(b.get("judgement"), "niet beoordeeld")
                parts.append(f"{editor_value(b['value'], unit)} in {b['label']} ({verdict})")
        lines += [
            f"**Andere lezing:** {md_escape(alt['reading'])} Zo gelezen: {md_escape('; '.join(parts))}.",
            "",
        ]
    return lines


# How a period's status reads on a page (periods.PROVISIONAL are the ones flagged).
PERIOD_STATUS_NL = {
    "Voorlopig": "voorlopig",
    "NaderVoorlopig": "nader voorlopig",
    "Onbekend": "onbekend (de tabel noemt deze periode niet in haar eigen lijst van perioden)",
}


def provisional_note(c: dict[str, Any]) -> str:
    """Which of the periods a claim used are not final at the source, each with its status."""
    seen: dict[str, str] = {}
    for block in (c.get("dossier"), c.get("newest")):
        for p in (block or {}).get("periods_used") or []:
            if p.get("status") in PROVISIONAL:
                seen.setdefault(p.get("label") or p["period"], PERIOD_STATUS_NL.get(p["status"], p["status"]))
    if not seen:
        return "een van de gebruikte perioden is bij de bron nog niet definitief."
    parts = [f"{label}: {status}" for label, status in seen.items()]
    return "nog niet definitief bij de bron: " + "; ".join(parts) + ". Het cijfer kan nog veranderen."


def html_attr(text: str | None) -> str:
    """Text for a double-quoted attribute in pandoc's Markdown: HTML-escaped, and Markdown/shortcode
    punctuation made inert so nothing in it is read as markup."""
    return escape(" ".join(str(text or "").split()), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _provenance(c: dict[str, Any], d: dict[str, Any], n: dict[str, Any]) -> str:
    """The source line under a claim: the full query and checksums for a recomputed figure, the citation
    for a figure no public table holds."""
    p = c["provenance"]
    if not p.get("raw_files"):
        cit = c.get("citation") or {}
        if cit:
            # the year with the publisher, "Movisie (2023), Titel": a title that ends in a bracket ("(geen
            # bron vermeld)") is then never followed by a second one
            year = f" ({md_escape(str(cit['year']))})" if cit.get("year") else ""
            link = f", <{cit['url']}>" if cit.get("url") else ""
            publisher = md_escape(flatten_brackets(cit.get("publisher") or ""))
            if cit.get("unsourced"):
                return "**Bron volgens het dossier:** het dossier noemt voor dit cijfer geen bron."
            if cit.get("candidate"):
                return (
                    "**Waarschijnlijke bron** (het dossier noemt er geen; nog niet bevestigd): "
                    f"{publisher}{year}, {md_escape(cit.get('title'))}{link}."
                )
            return f"**Bron volgens het dossier:** {publisher}{year}, {md_escape(cit.get('title'))}{link}."
        table = md_escape(p.get("table_id") or p.get("source"))
        return f"**Bron:** {md_escape(p.get('publisher'))}, tabel {table} (niet opgehaald)."
    if p.get("document"):  # a figure transcribed from a report (a manual source)
        return _document_provenance(p)
    # in words a reader uses; codes, filters, snapshot and checksums stand under "Technische details"
    publisher = md_escape(flatten_brackets(p.get("publisher") or "")) or "de bron"
    table = md_escape(p["table_id"])
    link = f"[{table}]({p['statline_url']})" if p.get("statline_url") else table
    updated = (
        f"Bijgewerkt door {publisher} op {md_escape(moment_nl(p['upstream_modified']))}"
        if p.get("upstream_modified")
        else f"{publisher} geeft geen datum van bijwerken"
    )
    licence = f" Licentie: {md_escape(p['licence'])}." if p.get("licence") else ""
    if _source_name(p).startswith(f"{flatten_brackets(p.get('publisher') or '')}-tabel "):
        named = f"{publisher}-tabel {link}, *{md_escape(p.get('table_title'))}*"
    else:  # a file: its title is its name ("Schulden, ontwikkeling" from a dashboard)
        title = md_escape(p.get("table_title")) or table
        named = (
            f"{publisher}, [{title}]({p['statline_url']})"
            if p.get("statline_url")
            else f"{publisher}, {title}"
        )
    return f"**Bron:** {named}. {updated}; opgehaald op {md_escape(moment_nl(p['retrieved_at']))}.{licence}"


def _document_provenance(p: dict[str, Any]) -> str:
    """The source line of a figure taken from a report: the document, where in it, its own words, and who
    copied the figure from what."""
    link = f" <{p['url']}>" if p.get("url") else ""
    where = f", {md_escape(str(p['page']))}" if p.get("page") else ""
    quote = f" Daar staat: “{md_escape(p['quote'].rstrip('.'))}”." if p.get("quote") else ""
    checked = (
        "Overgenomen uit een eerdere inventarisatie, nog niet nagelezen in het document zelf."
        if p.get("verified_against_document") is False
        else "Nagelezen in het document."
    )
    note = f" {md_escape(p['note'])}" if p.get("note") else ""
    return f"**Bron:** {md_escape(p.get('publisher'))}, {md_escape(p.get('document'))}{where}.{link}{quote}{note} {checked}"


def _measures_line(p: dict[str, Any]) -> str:
    """The measure a figure reads, or each of them for a sum or a ratio (not only the first one's title)."""
    roles = {"numerator": "teller", "denominator": "noemer", "published": "zoals gepubliceerd"}
    common = p.get("filters") or {}
    sels = (p.get("measures") or {}).items()
    if len(sels) > 1:
        parts = []
        for role, sel in sels:
            own = {k: v for k, v in (sel.get("filters") or {}).items() if common.get(k) != v}
            where = f" ({md_escape(', '.join(f'{k}={v}' for k, v in own.items()))})" if own else ""
            name = f"{roles[role]}: " if role in roles else ""
            parts.append(f"{name}`{sel['measure']}` {md_escape(sel.get('title'))}{where}")
        return f"Maten {'; '.join(parts)} ({md_escape(p.get('measure_unit'))})"
    return f"Maat `{p['measure']}` {md_escape(p.get('measure_title'))} ({md_escape(p.get('measure_unit'))})"


def baseline_changes(diff_json: Path | None) -> dict[str, list[str]]:
    """Per claim, the material changes since the accepted baseline (none when no baseline was accepted)."""
    if not diff_json or not Path(diff_json).is_file():
        return {}
    figures = json.loads(Path(diff_json).read_text())["figures"]
    if figures and all(f["class"] == "added" for f in figures):  # no baseline accepted yet
        return {}
    out: dict[str, list[str]] = {}
    for f in figures:
        if f["material"]:
            out.setdefault(f["claim_id"], []).append(f"{f['figure']}: {CLASSES_NL[f['class']]}")
    return out


def bundle_note(payloads: list[dict[str, Any]]) -> list[str]:
    """The callout every page opens with when some of its figures come from the snapshots shipped with the
    code rather than from a fetch of one's own: which sources, taken when, and how to get newer ones."""
    from datetime import date

    from dossiercheck.periods import date_nl

    bundled: dict[str, str] = {}
    for p in payloads:
        bundled.update(p.get("bundled") or {})
    if not bundled:
        return []
    taken = sorted({v[:10] for v in bundled.values()})
    when = (
        date_nl(date.fromisoformat(taken[0]))
        if len(taken) == 1
        else f"{date_nl(date.fromisoformat(taken[0]))} tot {date_nl(date.fromisoformat(taken[-1]))}"
    )
    return [
        '::: {.callout-note title="Cijfers uit de meegeleverde momentopname"}',
        f"De cijfers van {len(bundled)} {'bron' if len(bundled) == 1 else 'bronnen'} op deze pagina komen uit de "
        f"momentopname die met dossiercheck wordt meegeleverd (opgehaald {md_escape(when)}), niet uit een eigen "
        "ophaalronde. Nieuwere cijfers komen er zodra de bronnen opnieuw worden opgehaald; de pagina's worden "
        "dan opnieuw opgebouwd.",
        ":::",
        "",
        *_command_details("Opnieuw ophalen: `make refresh` (zie de README)."),
    ]


# The order findings are listed in where an editor scans them: what needs a correction first.
SEVERITY = (
    "not_in_source", "differs_from_source", "outdated", "revised", "rounding", "source_discontinued",
    "source_unavailable", "other_definition", "newer_data_confirms", "holds", "not_recomputable",
)  # fmt: skip


def _count_phrase(n: int, code: str) -> str:
    return f"{n} {STATUSES[code].label}"


def _figure_in(b: dict[str, Any], unit: str, assumed: bool = False) -> str:
    """A figure with its period, as lists and tables give it: "2,36 keer het dieptepunt van 2013 (mei 2026)";
    a period the dossier does not name says so: "(augustus 2023, aangenomen)"."""
    label = md_escape(b["label"]) + (", aangenomen" if assumed else "")
    return f"{md_escape(editor_value(b['value'], unit))} ({label})"


def theme_summary(payload: dict[str, Any]) -> str:
    """The top of a theme page: how many figures and with what verdict, then one table row per figure
    (what the dossier says, then, now, verdict, proposed sentence, linked to its detail), then what each
    verdict means, once."""
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
        + ". Wat moet worden aangepast staat bovenaan.",
        "",
        "::: {.summary-table .column-page}",
        "| Cijfer | Het dossier zegt | Toen volgens de bron | Nu volgens de bron | Oordeel | Voorstel |",
        "|---|---|---|---|---|---|",
    ]
    for _, c in ranked:
        d, n = c.get("dossier") or {}, c.get("newest") or {}
        unit = c.get("unit") or ""
        then = _figure_in(d, unit, assumed=d.get("basis") == "assumed") if d.get("value") is not None else "–"
        now = (
            _figure_in(n, unit)
            if n.get("value") is not None and n.get("period") != d.get("period")
            else ("geen nieuwer cijfer" if d.get("value") is not None else "–")
        )
        proposal = md_escape(c["suggested_wording"]) if c.get("suggested_wording") else "–"
        lines.append(
            f"| [{md_escape(c.get('title') or c['id'])}](#{c['id']}) | {_dossier_words(c)} | {then} | {now} | "
            f"{_status_span(c['status'])} | {proposal} |"
        )
    lines += [":::", "", *status_legend(used)]
    return "\n".join(lines)


def status_legend(codes: list[str]) -> list[str]:
    """What each verdict on the page means: once, not under every figure."""
    if not codes:
        return []
    return [
        "::: {.legend}",
        "**Wat de oordelen betekenen**",
        "",
        *(f"- {_status_span(code)} {md_escape(STATUSES[code].meaning)}" for code in codes),
        ":::",
        "",
    ]


def _command_details(text: str) -> list[str]:
    """A command for the analyst, folded away from the editor's text."""
    return ['::: {.callout-note .technical collapse="true" title="Technische details"}', text, ":::", ""]


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


def expand_includes(text: str, base: Path, depth: int = 0) -> str:
    """Expand Quarto's ``{{< include file >}}`` shortcodes, as Quarto would, for the pandoc renderer."""
    if depth > 10:
        raise DossiercheckError(
            f"Includes nested more than 10 deep under {base}; is a file including itself?"
        )

    def repl(m: re.Match) -> str:
        path = base / m.group(1)
        if not path.is_file():
            raise DossiercheckError(
                f"{m.group(0)} names {path}, which does not exist. Run the pipeline (make run) to generate it."
            )
        return expand_includes(path.read_text(encoding="utf-8"), path.parent, depth + 1)

    return INCLUDE.sub(repl, text)


def _front_matter(qmd: Path) -> dict[str, Any]:
    text = Path(qmd).read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return (yaml.safe_load(m.group(1)) if m else None) or {}


def project(reports_dir: Path) -> dict[str, Any]:
    """reports/_quarto.yml: the site's title, navigation and the html format every page shares. Both
    renderers read it, so the pages and their links are the same whichever one ran."""
    path = Path(reports_dir) / "_quarto.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}


def _html_format(qmd: Path) -> dict[str, Any]:
    """The html format options of a page: the project's, with the page's own on top (as Quarto merges them)."""
    shared = ((project(Path(qmd).parent).get("format") or {}).get("html")) or {}
    own = ((_front_matter(qmd).get("format") or {}).get("html")) or {}
    return {**(shared if isinstance(shared, dict) else {}), **(own if isinstance(own, dict) else {})}


def stylesheets(qmd: Path) -> list[str]:
    """The ``css`` entries of a page's html format (project and page), as Quarto reads them."""
    css = _html_format(qmd).get("css", [])
    return [css] if isinstance(css, str) else list(css)


def site_navigation(reports_dir: Path, current: str) -> tuple[str, list[dict[str, Any]]]:
    """The site's title and its navbar items (text, the rendered page's href, whether it is ``current``)."""
    site = project(reports_dir).get("website") or {}
    items = []
    for item in (site.get("navbar") or {}).get("left") or []:
        href = re.sub(r"\.qmd$", ".html", str(item.get("href", "")))
        items.append(
            {"text": str(item.get("text", href)), "href": href, "current": href == f"{current}.html"}
        )
    return str(site.get("title") or ""), items


LOCAL_REF = re.compile(r'(?:src|href)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"#?]+)')


def copy_resources(html: str, reports_dir: Path, site_dir: Path) -> list[str]:
    """Copy every local file a rendered page refers to (stylesheet, script, charts, downloads) from
    reports/ to the same place under the site folder, as Quarto's website projects do; pages themselves
    are left to their own render. Each file is written whole (temporary file, then rename): pages rendered
    at the same time may share a stylesheet."""
    copied = []
    for ref in sorted(set(LOCAL_REF.findall(html))):
        source = (reports_dir / ref).resolve()
        if ref.endswith(".html") or not source.is_file() or not source.is_relative_to(reports_dir.resolve()):
            continue
        target = site_dir / ref
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
        copied.append(ref)
    return copied


def choose_renderer(renderer: str) -> str:
    if renderer not in ("auto", "quarto", "pandoc"):
        raise DossiercheckError(f"renderer {renderer!r} is unknown; set renderer to auto, quarto or pandoc.")
    if renderer == "auto":
        return "quarto" if shutil.which("quarto") else "pandoc"
    if renderer == "quarto" and not shutil.which("quarto"):
        raise DossiercheckError(
            "renderer is 'quarto' but Quarto is not installed. Install it (conda env from environment.yml, "
            "or quarto.org), or set renderer: auto in config/config.yaml to use pandoc."
        )
    return renderer


def render_report(
    qmd: Path, out_html: Path, *, renderer: str = "auto", build_root: Path | None = None
) -> str:
    """Render one page of the reports site to ``out_html`` (reports/_site/<page>.html), with the site's
    navigation and a link to the shared stylesheet; the files it refers to are copied beside it. Returns
    the renderer used.

    Quarto renders the page within its website project (reports/_quarto.yml). pandoc produces the same
    page: the site's own template (report_assets/site.html) with the navigation read from _quarto.yml, the
    same stylesheet and scripts, and links between pages pointing at .html."""
    qmd, out_html = Path(qmd).resolve(), Path(out_html).resolve()
    reports_dir, site_dir = qmd.parent, out_html.parent
    build_root = Path(build_root or reports_dir / "_build").resolve()
    build_root.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f"{qmd.stem}-", dir=build_root))  # parallel renders can't collide
    try:
        kind = choose_renderer(renderer)
        if kind == "quarto":
            version = _run(["quarto", "--version"], reports_dir).strip()
            _run(
                ["quarto", "render", qmd.name], reports_dir
            )  # into the project's output-dir, with its navbar
            produced = reports_dir / (project(reports_dir).get("project") or {}).get("output-dir", "_site")
            produced = produced / f"{qmd.stem}.html"
            if produced.resolve() != out_html:
                out_html.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(produced, out_html)
                copy_resources(out_html.read_text(encoding="utf-8"), reports_dir, site_dir)
        else:
            import pypandoc

            version = pypandoc.get_pandoc_version()
            fmt = _html_format(qmd)
            source = build / f"{qmd.stem}.md"
            source.write_text(expand_includes(qmd.read_text(encoding="utf-8"), reports_dir), encoding="utf-8")
            title, nav = site_navigation(reports_dir, qmd.stem)
            meta = {
                "site-title": title or _front_matter(qmd).get("title", ""),
                "nav": nav,
                "lang": project(reports_dir).get("lang") or _front_matter(qmd).get("lang") or "nl",
                "toc-title": fmt.get("toc-title", "Inhoud"),
            }
            (build / "site.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
            footer = build / "footer.html"
            footer.write_text(
                # the renderer is a technical fact: an attribute for whoever checks, not text for the reader
                f'<footer class="renderer" data-renderer="pandoc {escape(str(version))}">Gemaakt met '
                f"dossiercheck {__version__}.</footer>\n",
                encoding="utf-8",
            )
            after = fmt.get("include-after-body") or []
            after = [after] if isinstance(after, str) else list(after)
            assets = resources.files("dossiercheck") / "report_assets"
            produced = build / f"{qmd.stem}.html"
            _run(
                [
                    pypandoc.get_pandoc_path(),
                    str(source),
                    "--from=markdown",
                    "--to=html5",
                    "--standalone",
                    "--wrap=none",
                    f"--template={assets / 'site.html'}",
                    f"--lua-filter={assets / 'quarto_compat.lua'}",
                    f"--metadata-file={build / 'site.yaml'}",
                    *(["--toc", f"--toc-depth={int(fmt.get('toc-depth', 3))}"] if fmt.get("toc") else []),
                    *(f"--css={css}" for css in stylesheets(qmd)),
                    *(f"--include-after-body={reports_dir / a}" for a in after),
                    f"--include-after-body={footer}",
                    f"--output={produced}",
                ],
                reports_dir,
            )
            out_html.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), out_html)
            copy_resources(out_html.read_text(encoding="utf-8"), reports_dir, site_dir)
        log.info("rendered %s with %s %s", out_html, kind, version)
        return kind
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise DossiercheckError(
            f"{Path(cmd[0]).name} failed rendering in {cwd} (exit {proc.returncode}):\n{proc.stderr.strip()[-2000:]}"
        )
    return proc.stdout


# --- the overview --------------------------------------------------------------------------------------

# What the overview lists under "Wat moet er worden aangepast?", most material first: every finding that
# asks the editor to correct a sentence, whatever kind of source it came from. A revision by the source is
# listed on its own (no error of the authors), and so are the sources that could not be fetched.
CHANGED = ("not_in_source", "differs_from_source", "outdated")
REVISED = ("revised",)
NOT_FETCHED = ("source_unavailable", "source_discontinued")


# The findings an editor must act on, in the order of their weight, each group with what it means.
CORRECTION_GROUPS = (
    ("error", "### Het cijfer klopte niet toen het dossier verscheen {#fout}",
     "De bron geeft voor de periode van de zin een ander cijfer, of bevat het cijfer niet."),
    ("counts_other", "### Het getal klopt, maar het telt iets anders {#preciseren}",
     "Het getal staat in de bron, maar over een andere groep of eenheid dan de zin zegt."),
    ("outdated", "### Inmiddels achterhaald {#achterhaald}",
     "Geen fout bij het verschijnen: het cijfer klopte toen, het nieuwste cijfer past niet meer."),
    ("revised", "### Door de bron herzien {#herzien}",
     "Geen fout van de schrijvers: de bron gaf eerder een ander cijfer dan nu."),
    ("wording", "### Andere formulering voorgesteld {#formulering}",
     "Het oordeel vraagt geen correctie van het getal, maar de woorden kunnen preciezer."),
)  # fmt: skip


def correction_kind(c: dict[str, Any]) -> str | None:
    """Which group of the overview's corrections a finding belongs to, or None (no correction asked)."""
    if c.get("cross_check_of"):
        return None
    status = c["status"]
    if status == "differs_from_source":
        return "counts_other" if c.get("misquote_of_source") else "error"
    if status == "not_in_source":
        return "error"
    if status in ("outdated", "revised"):
        return status
    return "wording" if c.get("suggested_wording") else None


def _other_reading_fits(c: dict[str, Any]) -> str | None:
    """The other reading of an ambiguous sentence, when under it the figure does fit (for the period the
    finding is about): the verdict then rests on the reading chosen, and the editor must know."""
    alt = c.get("alternative") or {}
    if alt.get("error"):
        return None
    key = "dossier" if c["status"] in ("differs_from_source", "not_in_source") else "newest"
    block = alt.get(key) or {}
    if block.get("judgement") == "holds":
        return " ".join(str(alt.get("reading") or "een andere lezing").rstrip(".").split())
    return None


def _change_item(t: dict[str, Any], c: dict[str, Any]) -> str:
    """One finding in the overview's list: badge, link, theme, what the dossier says, then and now, and
    the proposed sentence on the next line."""
    n, d = c.get("newest") or {}, c.get("dossier") or {}
    publisher = md_escape(flatten_brackets((c.get("provenance") or {}).get("publisher") or "")) or "de bron"
    assumed = ", een aangenomen periode" if d.get("basis") == "assumed" else ""
    then = (
        f" ({publisher} voor {md_escape(d['label'])}{assumed}: {md_escape(editor_value(d['value'], c['unit']))})"
        if d.get("value") is not None
        else ""
    )
    now = (
        f"; nu {_figure_in(n, c['unit'])}"
        if n.get("value") is not None and n.get("period") != d.get("period")
        else ""
    )
    if now and c.get("newest_not_judged"):  # the sentence names its year: the newest only for reference
        now = (
            f"; ter informatie: het nieuwste cijfer in de bron die hier is nagerekend is "
            f"{md_escape(editor_value(n['value'], c['unit']))} ({md_escape(n['label'])}), maar de zin gaat "
            f"over {md_escape(d.get('label'))}"
        )
    why = ""
    if not then and not now and c.get("reason"):  # no figure to show: what the source says instead
        why = f" {md_escape(c['reason'])}"
    elif c["status"] == "differs_from_source" and c.get("misquote_of_source"):
        why = f" {md_escape(c['misquote_of_source'])}"
    other = _other_reading_fits(c)
    if other:
        other = other[0].lower() + other[1:]
        why += f" Bij een andere lezing past het cijfer wel ({md_escape(other)}); zie de toelichting."
    if (c.get("provenance") or {}).get("verified_against_document") is False:
        why += " *Het cijfer van de bron is nog niet in het document zelf nagelezen.*"
    words = _dossier_words(c)
    said = f"dossier {words}{then}{now}." if words != "–" or then or now else ""  # a sentence with no number
    line = f"- {_status_span(c['status'])} {_link(t, c)} ({md_escape(t['title'])}): {said}{why}"
    if c.get("suggested_wording"):
        line += f"\\\n  Voorstel: *{md_escape(c['suggested_wording'])}*"  # on a line of its own
    return line


def _not_fetched(findings) -> list[str]:
    """The sources that could not be fetched, one line each, with the figures they leave unchecked."""
    by_source: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for t, claims in findings:
        for c in claims:
            if c["status"] in NOT_FETCHED:
                by_source.setdefault(_source_name(c.get("provenance") or {}), []).append((t, c))
    if not by_source:
        return []
    lines = [
        "## Niet opgehaald {#niet-opgehaald}",
        "",
        "Deze bronnen konden niet worden opgehaald; de cijfers die ervan afhangen zijn nu niet nagerekend. Dat "
        "zegt niets over de juistheid van die cijfers.",
        "",
    ]
    for name, items in sorted(by_source.items()):
        stopped = any(c["status"] == "source_discontinued" for _, c in items)
        what = "bron stopgezet (er is een opvolger)" if stopped else "niet bereikbaar"
        links = ", ".join(_link(t, c) for t, c in items)
        lines.append(
            f"- {md_escape(name)}: {what}. {len(items)} {'cijfer' if len(items) == 1 else 'cijfers'}: {links}."
        )
    return [*lines, ""]


def materiality(claim: dict[str, Any]) -> float:
    """How far the newest figure is from what the dossier says, relative to the dossier's value."""
    n = claim.get("newest") or {}
    x = claim.get("dossier_value")
    if n.get("value") is None or not x or claim["status"] in ("source_unavailable",):
        return 0.0
    return abs(n["value"] - x) / abs(x)


def _link(t: dict[str, Any], c: dict[str, Any]) -> str:
    return f"[{md_escape(c.get('title') or c['id'])}]({t['theme']}.html#{c['id']})"


def write_overview(
    claims_files: list[Path],
    out_md: Path,
    diff_json: Path | None = None,
    *,
    figures_dir: Path | None = None,
    figures_href: str = "_generated/index/figures",
) -> None:
    """The overview an editor reads first: what changed since the dossier (most material first, each with
    its title, theme, old and new value and the proposed sentence), a chart "dossier versus nu", the
    statuses per theme in a compact table, the changes since the accepted baseline by theme, and why some
    figures cannot be recomputed. Sources and method have their own page (``write_sources_page``)."""
    from datetime import date

    from dossiercheck.periods import date_nl

    themes = [json.loads(Path(f).read_text()) for f in sorted(claims_files)]
    # a cross-check is shown under the claim it checks, not counted as a finding of its own
    findings = [(t, [c for c in t["claims"] if not c.get("cross_check_of")]) for t in themes]
    lines = [f"*Nagerekend op {date_nl(date.today())}.*", ""]
    n_figures = sum(len(claims) for _, claims in findings)
    n_checks = sum(1 for t in themes for c in t["claims"] if c.get("cross_check_of"))
    lines += [
        f"Dit overzicht volgt {n_figures} {'cijfer' if n_figures == 1 else 'cijfers'} uit het dossier"
        + (
            f" en {n_checks} {'controle' if n_checks == 1 else 'controles'} op een andere tabel"
            if n_checks
            else ""
        )
        + ".",
        "",
        *bundle_note(themes),
        "## Wat moet er worden aangepast? {#veranderd}",
        "",
    ]
    listed = set()
    any_listed = False
    for kind, heading, intro in CORRECTION_GROUPS:
        group = [(t, c) for t, claims in findings for c in claims if correction_kind(c) == kind]
        group.sort(key=lambda tc: (-materiality(tc[1]), tc[0]["theme"], tc[1]["id"]))
        if not group:
            continue
        any_listed = True
        lines += [heading, "", intro, "", *(_change_item(t, c) for t, c in group), ""]
        listed |= {c["id"] for _, c in group}
    if not any_listed:
        lines += ["Geen enkel nagerekend cijfer vraagt om een correctie.", ""]
    rounding = [(t, c) for t, claims in findings for c in claims if c["status"] == "rounding"]
    if rounding:
        lines += [
            "### Afrondingsverschillen {#afronding}",
            "",
            "Geen fout, wel een kleine onnauwkeurigheid: het dossier rondt een cijfer anders af dan de bron.",
            "",
        ]
        for t, c in rounding:
            d = c.get("dossier") or {}
            lines.append(
                f"- {_link(t, c)} ({md_escape(t['title'])}): dossier {_dossier_words(c)}, bron "
                f"{md_escape(editor_value(d['value'], c['unit']))} ({md_escape(d['label'])})."
            )
        lines += [""]
    if figures_dir is not None:
        lines += _overview_chart(findings, Path(figures_dir), figures_href)
    lines += ["## Alle cijfers per thema {#per-thema}", ""]
    lines += _status_table(findings)
    if n_checks:
        lines += [
            f"*Daarnaast {n_checks} controle{'s' if n_checks > 1 else ''} op een andere tabel of reeks, "
            "getoond onder het cijfer dat ze controleren en hier niet meegeteld.*",
            "",
        ]
    lines += _baseline_section(themes, diff_json)
    lines += _not_fetched(findings)
    lines += _reasons_table(findings)
    lines += [
        "Waar elk cijfer vandaan komt (momentopname, controle, licentie) en hoe een oordeel tot stand komt: "
        "[Bronnen en methode](bronnen.html).",
        "",
    ]
    atomic_write_text(out_md, "\n".join(lines))


UNCHECKED = ("not_recomputable", *NOT_FETCHED)


def _reasons_table(findings) -> list[str]:
    """Why figures are not recomputed, one row per reason, adding up to the figures the status table
    counts as not recomputed, unreachable or stopped (the total row says so)."""
    rows: dict[str, int] = {}
    for _, claims in findings:
        for c in claims:
            if c["status"] not in UNCHECKED:
                continue
            if c["status"] in NOT_FETCHED:
                why = "de bron kon niet worden opgehaald"
            elif c.get("reason_kind") in REASON_KINDS_NL:
                why = REASON_KINDS_NL[c["reason_kind"]]
            else:  # the table lacks the period, code or measure the figure needs
                why = "de tabel mist de periode, maat of categorie"
            rows[why] = rows.get(why, 0) + 1
    if not rows:
        return []
    total = sum(rows.values())
    return [
        "## Waarom niet alles is na te rekenen {#niet-na-te-rekenen}",
        "",
        f"{total} cijfers zijn niet nagerekend: de oordelen {_status_span('not_recomputable')}, "
        f"{_status_span('source_unavailable')} en {_status_span('source_discontinued')} in de tabel hierboven. "
        "Waarom:",
        "",
        "| Reden | Aantal |",
        "|---|---:|",
        *(
            f"| {md_escape(k[0].upper() + k[1:])} | {n} |"
            for k, n in sorted(rows.items(), key=lambda kv: -kv[1])
        ),
        f"| **Totaal** | {total} |",
        "",
    ]


CHART_STATUSES = (
    "holds",
    "newer_data_confirms",
    "rounding",
    "outdated",
    "differs_from_source",
    "revised",
    "source_discontinued",
)


def _overview_chart(findings, figures_dir: Path, href: str) -> list[str]:
    """Every recomputed figure against the dossier's words, at a glance (figures.overview_chart): inside,
    above or below the values those words admit, and by how much in the figure's own unit."""
    from dossiercheck.figures import overview_chart

    if figures_dir.exists():
        shutil.rmtree(figures_dir)
    figures_dir.mkdir(parents=True)
    rows = []
    for _, claims in findings:
        for c in claims:
            # "now" is the newest figure, or today's figure for the year a sentence names itself; a figure
            # under another definition, or one that could not be judged, is not measured against the dossier
            now = (c.get("dossier") if c.get("newest_not_judged") else c.get("newest")) or {}
            band = c.get("band")
            if not band and c.get("dossier_value") is not None:  # an exact number: a band of one value
                band = {"low": c["dossier_value"], "high": c["dossier_value"], "high_inclusive": True}
            if now.get("value") is None or not band or c["status"] not in CHART_STATUSES:
                continue
            rows.append(
                {
                    "title": c.get("title") or c["id"],
                    "status": c["status"],
                    "status_label": STATUSES[c["status"]].label,
                    "value": now["value"],
                    "period": now.get("label") or "",
                    "unit": c.get("unit") or "",
                    "band": band,
                }
            )
    if not rows:
        return []
    alt = overview_chart(rows, {k: v.colour for k, v in STATUSES.items()}, figures_dir / "dossier_vs_nu.svg")
    attr = html_attr(alt)
    return [
        "## Dossier versus nu {#dossier-versus-nu}",
        "",
        "Per nagerekend cijfer: valt het cijfer nu binnen wat de woorden van het dossier toelaten (bij "
        "“ruim een miljoen” bijvoorbeeld: meer dan 1 en minder dan 1,5 miljoen), of ligt het hoger of lager? "
        "De stip staat in de kolom lager, binnen of hoger; ernaast staat hoeveel, gerekend vanaf de "
        "dichtstbijzijnde grens en in de eenheid van het cijfer zelf (bij een percentage in procentpunten). "
        "“Nu” is het nieuwste cijfer; bij een zin die zelf een jaar noemt, het cijfer van dat jaar. Cijfers in "
        "verschillende eenheden zijn niet met elkaar te vergelijken; daarom staat de afstand er in woorden en "
        "niet als lengte. De kleur van de stip is het oordeel, dat er ook in woorden bij staat.",
        "",
        f'![Dossier versus nu: per cijfer binnen, boven of onder de woorden van het dossier]({href}/dossier_vs_nu.svg){{fig-alt="{attr}" alt="{attr}"}}',
        "",
        f"[Grafiek downloaden: [SVG]({href}/dossier_vs_nu.svg) · [PNG]({href}/dossier_vs_nu.png)]{{.downloads}}",
        "",
    ]


def _status_table(findings) -> list[str]:
    """Statuses down, themes across: short theme names fit a laptop screen in one line each."""
    codes = [s for s in STATUSES if any(c["status"] == s for _, claims in findings for c in claims)]
    head = "| Oordeel | " + " | ".join(f"[{md_escape(t['title'])}]({t['theme']}.html)" for t, _ in findings)
    lines = [
        "::::: {.column-page}",
        "::: {.table-scroll}",
        head + " | Totaal |",
        "|---|" + "---:|" * (len(findings) + 1),
    ]
    for code in codes:
        counts = [sum(1 for c in claims if c["status"] == code) for _, claims in findings]
        lines.append(
            f"| {_status_span(code)} | "
            + " | ".join(str(n) if n else "·" for n in counts)
            + f" | {sum(counts)} |"
        )
    totals = [len(claims) for _, claims in findings]
    lines.append("| **Totaal** | " + " | ".join(str(n) for n in totals) + f" | {sum(totals)} |")
    return [*lines, ":::", ":::::", "", *status_legend(codes)]


def _baseline_section(themes, diff_json: Path | None) -> list[str]:
    """The changes since the accepted baseline, by theme, with each figure's title and the class in words."""
    lines = ["## Sinds de vastgestelde basislijn {#basislijn}", ""]
    if not diff_json or not Path(diff_json).is_file():
        return []
    figures = json.loads(Path(diff_json).read_text())["figures"]
    if figures and all(f["class"] == "added" for f in figures):
        return [
            *lines,
            "Er is nog geen basislijn vastgesteld. Zodra een analist deze cijfers heeft gecontroleerd en "
            "vastgesteld, staat hier wat er bij een volgende keer narekenen is verschoven.",
            "",
            *_command_details("Vaststellen na controle: `dossiercheck baseline accept` (zie de README)."),
        ]
    claims = {c["id"]: (t, c) for t in themes for c in t["claims"]}
    moved = [f for f in figures if f["material"]]
    if not moved:
        return [*lines, "Geen cijfer is wezenlijk veranderd sinds de vastgestelde basislijn.", ""]
    which = {"dossier": "periode van het dossier", "newest": "nieuwste cijfer"}
    for t in themes:
        rows = [f for f in moved if f["theme"] == t["theme"]]
        if not rows:
            continue
        lines += [
            f"### {md_escape(t['title'])}",
            "",
            "| Cijfer | Welk | Wat er veranderde | Was | Nu |",
            "|---|---|---|---:|---:|",
        ]
        for f in sorted(rows, key=lambda f: (f["claim_id"], f["figure"])):
            owner, c = claims.get(f["claim_id"], (t, {"id": f["claim_id"], "unit": ""}))
            unit = c.get("unit", "")
            old = "–" if f["old_value"] is None else md_escape(editor_value(f["old_value"], unit))
            new = "–" if f["new_value"] is None else md_escape(editor_value(f["new_value"], unit))
            lines.append(
                f"| {_link(owner, c)} | {which.get(f['figure'], f['figure'])} | {md_escape(CLASSES_NL[f['class']])} | "
                f"{old} | {new} |"
            )
        lines += [""]
    return [
        *lines,
        *_command_details("Vaststellen na controle: `dossiercheck baseline accept` (zie de README)."),
    ]


# The qualifiers of config.yaml as the words a writer uses (the keys are the registry's names).
QUALIFIER_WORDS_NL = {
    "exact": "(geen woord: het getal zelf)",
    "range": "… tot …",
    "stijgt": "stijgt, stijgende",
    "daalt": "daalt, dalende",
}

# The validation's warnings as a reader is told them (validate.DEFAULT_WARNINGS).
WARNINGS_NL = {
    "provisional_periods": "sommige perioden zijn nog voorlopig en kunnen nog veranderen",
    "measure_added": "de tabel heeft een maat meer dan bij de vorige keer ophalen",
    "codes_added": "de tabel heeft nieuwe categorieën sinds de vorige keer ophalen",
}

KINDS_NL = {
    "cbs_odata4": "CBS StatLine (OData v4)",
    "cbs_odata3": "CBS StatLine (OData v3)",
    "cbs_bulk_csv": "CBS-dataportaal (CSV-download)",
    "file": "bestand",
    "manual": "overgenomen uit een document",
}


def write_sources_page(
    claims_files: list[Path], meta_files: list[Path], sources_yaml: Path, config_yaml: Path, out_md: Path
) -> None:
    """ "Bronnen en methode": every source with its snapshot, upstream date, validation and licence and the
    figures it serves; then how a status is decided and how the dossier's wording is read."""
    sources = yaml.safe_load(Path(sources_yaml).read_text(encoding="utf-8")) or {}
    config = yaml.safe_load(Path(config_yaml).read_text(encoding="utf-8")) or {}
    metas = {m["source"]: m for m in (json.loads(Path(f).read_text()) for f in meta_files)}
    themes = [json.loads(Path(f).read_text()) for f in sorted(claims_files)]
    serves: dict[str, list[str]] = {}
    for t in themes:
        for c in t["claims"]:
            source = (c.get("provenance") or {}).get("source")
            if source:
                serves.setdefault(source, []).append(_link(t, c))
    lines = [*bundle_note(themes), "## De bronnen {#bronnen}", ""]
    shipped = {k for t in themes for k in (t.get("bundled") or {})}
    for key, entry in sources.items():
        m = metas.get(key, {})
        title = entry.get("title") or key
        lines += [
            f"### {md_escape(title)} {{#bron-{re.sub(r'[^a-z0-9]+', '-', key.lower()).strip('-')}}}",
            "",
        ]
        url = entry.get("url")
        rows = [("Uitgever", md_escape(entry.get("publisher")))]
        if entry.get("table_id"):
            table = md_escape(entry["table_id"])
            rows.append(("Tabel", f"[{table}]({url})" if url else table))
        elif url:  # a file or a report: where it is, not our key for it
            from urllib.parse import urlsplit

            rows.append(("Te vinden op", f"[{md_escape(urlsplit(url).hostname or url)}]({url})"))
        technical = [
            f"- Hoe opgehaald: {md_escape(KINDS_NL.get(entry.get('kind'), entry.get('kind')))}",
            f"- Sleutel in de bronnenlijst (config/sources.yaml): `{key}`",
        ]
        if m.get("unavailable"):
            rows.append(
                (
                    "Opgehaald",
                    "[niet opgehaald]{.status .status-source_unavailable} "
                    + md_escape(m.get("reason", "").removeprefix("Niet opgehaald: ")),
                )
            )
            if m.get("detail"):
                technical.append(
                    f"- Foutmelding bij het ophalen: [{md_escape(m['detail'])}]{{.error-detail}}"
                )
        else:
            val = m.get("validation") or {}
            rows_n = val.get("rows")
            verdict = f"geslaagd: {val.get('checks_run', '?')} controles op {nl_auto(rows_n)} " + (
                "rij" if rows_n == 1 else "rijen"
            )
            notes = [WARNINGS_NL.get(w, w) for w in val.get("warnings") or []]
            if notes:
                verdict += f"; let op: {md_escape('; '.join(notes))}"
            rows += [
                (
                    "Opgehaald",
                    f"op {md_escape(moment_nl(m.get('retrieved_at')))}"
                    + ("; meegeleverd met dossiercheck" if key in shipped else ""),
                ),
                (
                    # a report's figures are copied by hand: the date is when, not when the source changed
                    ("Overgenomen uit het document", md_escape(moment_nl(m.get("upstream_modified"))) or "–")
                    if entry.get("kind") == "manual"
                    else (
                        "Bijgewerkt door de bron",
                        md_escape(moment_nl(m.get("upstream_modified"))) or "de bron geeft geen datum",
                    )
                ),
                ("Controle", verdict),
            ]
            technical += [
                f"- Momentopname: `{str(m.get('snapshot_id')).replace('`', '')}`"
                + (" (in `data/bundle/`)" if key in shipped else ""),
                f"- Wat er precies is gecontroleerd: `data/processed/validation/{key}.md`",
            ]
        if entry.get("publication_lag_note"):
            rows.append(("Publicatie", md_escape(entry["publication_lag_note"])))
        if entry.get("successor"):
            rows.append(("Opvolger", md_escape(entry["successor"])))
        rows += [
            ("Licentie", md_escape(entry.get("licence")) or "niet vermeld"),
            ("Cijfers", ", ".join(serves.get(key, [])) or "–"),
        ]
        lines += [
            "::: {.source-table}",
            "| | |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in rows),
            ":::",
            "",
            '::: {.callout-note .technical collapse="true" title="Technische details"}',
            *technical,
            ":::",
            "",
        ]
    lines += ["## Hoe een oordeel tot stand komt {#oordelen}", ""]
    lines += [
        "Elk cijfer wordt tweemaal nagerekend: voor de periode die het dossier bedoelde (de nieuwste die op de "
        "datum van het dossier gepubliceerd kon zijn, tenzij de zin zelf een periode noemt) en voor de nieuwste "
        "periode. Per periode: past het cijfer bij de formulering van het dossier? Daaruit volgt één oordeel:",
        "",
        "| Oordeel | Betekenis |",
        "|---|---|",
    ]
    lines += [f"| {_status_span(code)} | {md_escape(st.meaning)} |" for code, st in STATUSES.items()]
    lines += ["", "## Hoe de formulering wordt gelezen {#formulering}", ""]
    lines += [
        "Een getal wordt gelezen met de precisie waarmee het is geschreven: de stap is de eenheid van het "
        'laatste betekenisvolle cijfer ("1,4 miljoen": 0,1 miljoen; "39": 1), bij ronde woorden de '
        'volgende stap die een schrijver zou noemen ("een miljoen", dan "anderhalf miljoen"). Elk '
        "voorvoegsel laat een band toe:",
        "",
        "| Woord | Voorbeeld |",
        "|---|---|",
    ]
    for q, spec in (config.get("qualifiers") or {}).items():
        word = QUALIFIER_WORDS_NL.get(q, q.replace("_", " "))
        lines.append(f"| {md_escape(word)} | {md_escape(spec.get('example', ''))} |")
    lines += [""]
    atomic_write_text(out_md, "\n".join(lines))


FIGURE_NL = {"dossier": "periode van het dossier", "newest": "nieuwste periode"}


def write_changes_page(claims_files: list[Path], history_json: Path | None, out_md: Path) -> None:
    """ "Wijzigingen": every accepted baseline, newest first: when, which figures moved, from what to what,
    and the snapshot the new figure came from. The history an editor is asked about a year later."""
    from datetime import date

    from dossiercheck.diff import read_history
    from dossiercheck.periods import date_nl, label_nl

    themes = [json.loads(Path(f).read_text()) for f in sorted(claims_files)]
    claims = {c["id"]: (t, c) for t in themes for c in t["claims"]}
    titles = {t["theme"]: t["title"] for t in themes}
    history = read_history(history_json)
    lines = [*bundle_note(themes)]
    if not history:
        lines += [
            "Er is nog geen basislijn vastgesteld. Zodra een analist de nu nagerekende cijfers heeft "
            "gecontroleerd en vastgesteld, staat hier bij elke nieuwe vaststelling welke cijfers zijn veranderd.",
            "",
            *_command_details("Vaststellen: `dossiercheck baseline accept` (zie de README)."),
        ]
        atomic_write_text(out_md, "\n".join(lines))
        return

    def figure(value, period, unit) -> str:
        if value is None:
            return "–"
        return f"{md_escape(editor_value(value, unit))} ({md_escape(label_nl(period))})" if period else "–"

    for entry in reversed(history):
        when = date_nl(date.fromisoformat(entry["accepted_at"][:10]))
        scope = (
            f" — thema {md_escape(titles.get(entry['theme'], entry['theme']))}" if entry.get("theme") else ""
        )
        lines += [f"## {when}{scope}", ""]
        if entry.get("first"):
            lines += [
                f"Eerste vastgestelde basislijn: {nl_number(entry['figures'])} vastgelegde waarden (van elk "
                "nagerekend cijfer de waarde voor de periode van het dossier en, waar die er is, die voor een "
                "nieuwere periode).",
                "",
            ]
            continue
        if not entry["changes"]:
            lines += ["Opnieuw vastgesteld; geen cijfer is wezenlijk veranderd.", ""]
            continue
        lines += [
            "| Cijfer | Wat veranderde | Was | Werd | Bron van het nieuwe cijfer |",
            "|---|---|---|---|---|",
        ]
        for ch in entry["changes"]:
            t, c = claims.get(ch["claim_id"], ({"theme": ch["theme"]}, {"id": ch["claim_id"]}))
            unit = c.get("unit", "")
            link = _link(t, c) if "title" in t else md_escape(ch["claim_id"])
            what = CLASSES_NL.get(ch["class"], ch["class"])
            if ch["class"] == "status_changed" or ch.get("old_status") != ch.get("new_status"):
                old, new = (
                    STATUSES[s].label if s in STATUSES else "–" for s in (ch["old_status"], ch["new_status"])
                )
                what += f" (oordeel: {old} → {new})"
            taken = re.match(r"(\d{4})(\d\d)(\d\d)T", ch.get("snapshot_id") or "")
            snap = md_escape(ch.get("table") or "–") + (
                f", opgehaald op {date_nl(date(*map(int, taken.groups())))}" if taken else ""
            )
            lines.append(
                f"| {link}, {FIGURE_NL.get(ch['figure'], ch['figure'])} | {md_escape(what)} | "
                f"{figure(ch['old_value'], ch['old_period'], unit)} | {figure(ch['new_value'], ch['new_period'], unit)} | {snap} |"
            )
        lines += [""]
    atomic_write_text(out_md, "\n".join(lines))

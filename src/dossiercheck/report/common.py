"""What every page kind shares: Markdown escaping, a figure's words and period, its provenance in words,
the verdict legend and the order of verdicts.

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import json
import logging
import re
from html import escape
from pathlib import Path
from typing import Any

from dossiercheck.fmt import editor_change, editor_value, nl_number
from dossiercheck.history import CLASSES as CLASSES_NL
from dossiercheck.periods import PROVISIONAL, moment_nl
from dossiercheck.status import JUDGEMENT_NL, STATUSES
from dossiercheck.wording import flatten_brackets

log = logging.getLogger(__name__)


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


def _link(t: dict[str, Any], c: dict[str, Any]) -> str:
    return f"[{md_escape(c.get('title') or c['id'])}]({t['theme']}.html#{c['id']})"


def accept_command(slug: str | None) -> str:
    """The command that accepts this dossier's figures as its baseline (only this dossier's: without
    --dossier the command accepts every dossier checked)."""
    return "dossiercheck baseline accept" + (f" --dossier {slug}" if slug else "")

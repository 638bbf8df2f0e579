"""Rule ``write_dossier_pages``, a dossier's overview page: what must be corrected first, then the state per theme.

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from dossiercheck.fmt import editor_value
from dossiercheck.history import CLASSES as CLASSES_NL
from dossiercheck.report.common import (
    _command_details,
    _dossier_words,
    _figure_in,
    _link,
    _source_name,
    _status_span,
    accept_command,
    bundle_note,
    html_attr,
    md_escape,
    status_legend,
)
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import REASON_KINDS_NL, STATUSES
from dossiercheck.wording import flatten_brackets

log = logging.getLogger(__name__)


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


def write_overview(
    claims_files: list[Path],
    out_md: Path,
    diff_json: Path | None = None,
    *,
    figures_dir: Path | None = None,
    figures_href: str = "_generated/index/figures",
    slug: str | None = None,
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
    lines += _baseline_section(themes, diff_json, slug)
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
    # the verdicts of the unchecked figures on this page, in the status table's order: no other
    present = [s for s in UNCHECKED if any(c["status"] == s for _, claims in findings for c in claims)]
    spans = [_status_span(s) for s in present]
    named = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + f" en {spans[-1]}"
    verdicts = f"het oordeel {named}" if len(spans) == 1 else f"de oordelen {named}"
    return [
        "## Waarom niet alles is na te rekenen {#niet-na-te-rekenen}",
        "",
        f"{total} {'cijfer is' if total == 1 else 'cijfers zijn'} niet nagerekend: {verdicts} in de tabel "
        "hierboven. Waarom:",
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


def _baseline_section(themes, diff_json: Path | None, slug: str | None = None) -> list[str]:
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
            *_command_details(f"Vaststellen na controle: `{accept_command(slug)}` (zie de README)."),
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
        *_command_details(f"Vaststellen na controle: `{accept_command(slug)}` (zie de README)."),
    ]


# The qualifiers of config.yaml as the words a writer uses (the keys are the registry's names).

"""Rules ``write_report_fragments`` and ``render_report``: Markdown fragments and charts from the claim
results, then the theme's Quarto document rendered to one self-contained HTML file.

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import json
import logging
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
from dossiercheck.fmt import editor_change, editor_value, nl_auto
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import JUDGEMENT_NL, REASON_KINDS_NL, STATUSES

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
        return f"“{md_escape(c['wording'])}”" if c.get("wording") else "–"
    words = c.get("wording") or editor_value(c["dossier_value"], c["unit"])
    return f"“{md_escape(words)}”"


def _claim_markdown(c: dict[str, Any], figure: str | None, alt: str | None) -> str:
    status = STATUSES[c["status"]]
    if c.get("cross_check_of"):  # shown under the claim it checks, one heading level down
        heading = f"#### Ter controle: {md_escape(c.get('title') or c['id'])} {{#{c['id']}}}"
    else:
        heading = f"### {md_escape(c.get('title') or c['id'])} {{#{c['id']}}}"
    lines = [heading, ""]
    lines += [f"> {md_escape(c['quote'])}", ""]
    lines += [
        f'::: {{.callout-{status.callout} title="Status: {status.label}"}}',
        f"{_status_span(c['status'])} {md_escape(status.meaning)}",
    ]
    if c.get("suggested_wording"):
        lines += ["", f"**Voorstel voor de zin:** {md_escape(c['suggested_wording'])}"]
    if c.get("baseline_changes"):
        lines += [
            "",
            f"**Gewijzigd sinds de vastgestelde basislijn:** {md_escape('; '.join(c['baseline_changes']))}.",
        ]
    if c.get("provisional"):
        lines += ["", "**Voorlopig:** een van de gebruikte perioden heeft de status Voorlopig bij de bron."]
    if c.get("reason"):
        kind = REASON_KINDS_NL.get(c.get("reason_kind") or "")
        lines += ["", f"Toelichting{f' ({kind})' if kind else ''}: {md_escape(c['reason'])}"]
    if c.get("codes_verified") is False:
        lines += [
            "",
            "**Codes nog niet online gecontroleerd:** de maat- en dimensiecodes van deze tabel komen uit "
            "onderzoeksnotities; de eerste keer dat de pijplijn de tabel bij de bron ophaalt, controleert ze "
            "die codes en noemt ze de codes die de tabel wel heeft.",
        ]
    lines += [":::", ""]
    unit = c.get("unit") or ""
    judged = c["status"] != "other_definition"
    lines += ["| | Periode | Waarde | Oordeel |", "|---|---|---|---|"]
    d, n = c.get("dossier") or {}, c.get("newest") or {}
    band = (c.get("band") or {}).get("text")
    admits = f" (dat is {md_escape(band)})" if band and judged else ""
    lines.append(
        f"| Dossier | {md_escape(d.get('label')) or 'niet genoemd'} | {_dossier_words(c)}{admits} | |"
    )
    own = "Nu berekend, periode van het dossier" if judged else "Ter vergelijking, periode van het dossier"
    if d.get("value") is not None:
        lines.append(
            f"| {own} | {md_escape(d['label'])} | {md_escape(editor_value(d['value'], unit))} | "
            f"{JUDGEMENT_NL.get(d.get('judgement'), 'niet beoordeeld')} |"
        )
    if n.get("value") is not None:
        lines.append(
            f"| Nieuwste cijfer | {md_escape(n['label'])} | {md_escape(editor_value(n['value'], unit))} | "
            f"{JUDGEMENT_NL.get(n.get('judgement'), 'niet beoordeeld')} |"
        )
    if c.get("change_since_dossier") is not None and n.get("period") != d.get("period"):
        lines.append(
            f"| Verandering sinds het dossier | | {md_escape(editor_change(c['change_since_dossier'], unit))} | |"
        )
    lines.append("")
    if c.get("newest_not_judged"):
        lines += [f"*{md_escape(c['newest_not_judged'])}*", ""]
    if d.get("why"):
        lines += [f"*{md_escape(d['why'])}*", ""]
    if c.get("period_note"):
        lines += [f"*{md_escape(c['period_note'])}*", ""]
    if figure:
        attr = html_attr(alt)
        caption = f"{c.get('series_label') or c.get('title')} ({unit}), bron {c['provenance']['table_id']}"
        lines += [f'![{md_escape(caption)}]({figure}){{fig-alt="{attr}" alt="{attr}"}}', ""]
    lines += ["::: {.provenance}", _provenance(c, d, n), ":::", ""]
    return "\n".join(lines)


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
            year = f" ({md_escape(str(cit['year']))})" if cit.get("year") else ""
            link = f", <{cit['url']}>" if cit.get("url") else ""
            return f"**Bron volgens het dossier:** {md_escape(cit.get('publisher'))}, {md_escape(cit.get('title'))}{year}{link}."
        table = md_escape(p.get("table_id") or p.get("source"))
        return f"**Bron:** {md_escape(p.get('publisher'))}, tabel {table} (niet opgehaald)."
    used = {x["period"]: x["status"] for b in (d, n) for x in b.get("periods_used", [])}
    periods = "; ".join(f"{md_escape(k)} ({md_escape(v)})" for k, v in used.items())
    sha = "; ".join(f"{md_escape(k)} `{v['sha256'][:12]}`" for k, v in sorted(p["raw_files"].items()))
    return (
        f"**Bron:** {md_escape(p.get('publisher'))}, tabel [{md_escape(p['table_id'])}]({p.get('statline_url') or ''}) "
        f"{md_escape(p.get('table_title'))}. "
        f"Maat `{p['measure']}` {md_escape(p.get('measure_title'))} ({md_escape(p.get('measure_unit'))}); "
        f"filters: {md_escape(', '.join(f'{k}={v}' for k, v in p['filters'].items()) or 'geen')}; "
        f"perioden: {periods or '–'}. "
        f"Momentopname {md_escape(p['snapshot_id'])}, opgehaald {md_escape(p['retrieved_at'])}, "
        + (
            f"tabel bijgewerkt door de bron op {md_escape(p['upstream_modified'])}; "
            if p.get("upstream_modified")
            else "de bron geeft geen datum van bijwerken; "
        )
        + f"sha256: {sha}. "
        f"Licentie: {md_escape(p.get('licence'))}."
    )


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


def write_report_fragments(
    claims_json: Path, out_md: Path, figures_dir: Path, figures_href: str, diff_json: Path | None = None
) -> None:
    """The theme's claims as one Markdown fragment plus an SVG chart per recomputed claim.

    ``figures_href`` is how the report document refers to ``figures_dir`` (relative to the .qmd).
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
    parts = []
    for main in payload["claims"]:
        if main.get("cross_check_of"):
            continue  # written under the claim it checks
        for claim in [main, *checks.get(main["id"], [])]:
            claim["baseline_changes"] = changes.get(claim["id"], [])
            figure = alt = None
            if claim.get("series"):
                alt = write_claim_chart(claim, figures_dir / f"{claim['id']}.svg")
                figure = f"{figures_href}/{claim['id']}.svg"
            parts.append(_claim_markdown(claim, figure, alt))
    atomic_write_text(out_md, "\n".join(parts))


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


def stylesheets(qmd: Path) -> list[str]:
    """The ``format: html: css:`` entries of a Quarto document's front matter, as Quarto reads them."""
    text = Path(qmd).read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    meta = (yaml.safe_load(m.group(1)) if m else None) or {}
    html = (meta.get("format") or {}).get("html") or {}
    css = html.get("css", []) if isinstance(html, dict) else []
    return [css] if isinstance(css, str) else list(css)


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
    """Render one Quarto document to a self-contained HTML file; returns the renderer used."""
    qmd, out_html = Path(qmd).resolve(), Path(out_html).resolve()
    reports_dir = qmd.parent
    build_root = Path(build_root or reports_dir / "_build").resolve()
    build_root.mkdir(parents=True, exist_ok=True)
    build = Path(
        tempfile.mkdtemp(prefix=f"{qmd.stem}-", dir=build_root)
    )  # own dir: parallel renders can't collide
    try:
        kind = choose_renderer(renderer)
        if kind == "quarto":
            version = _run(["quarto", "--version"], reports_dir).strip()
            _run(["quarto", "render", qmd.name, "--to", "html", "--output-dir", str(build)], reports_dir)
            produced = build / f"{qmd.stem}.html"
        else:
            import pypandoc

            version = pypandoc.get_pandoc_version()
            source = build / f"{qmd.stem}.md"
            source.write_text(expand_includes(qmd.read_text(encoding="utf-8"), reports_dir), encoding="utf-8")
            footer = build / "footer.html"
            footer.write_text(
                f'<footer class="renderer">Gemaakt met dossiercheck {__version__}; '
                f"weergegeven met pandoc {version} (zonder Quarto).</footer>\n",
                encoding="utf-8",
            )
            lua = resources.files("dossiercheck") / "report_assets" / "callouts.lua"
            produced = build / f"{qmd.stem}.html"
            _run(
                [
                    pypandoc.get_pandoc_path(),
                    str(source),
                    "--from=markdown",
                    "--to=html5",
                    "--standalone",
                    "--wrap=none",
                    "--embed-resources",
                    f"--resource-path={reports_dir}",
                    f"--lua-filter={lua}",
                    *(f"--css={reports_dir / css}" for css in stylesheets(qmd)),
                    f"--include-after-body={footer}",
                    f"--output={produced}",
                ],
                reports_dir,
            )
        out_html.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), out_html)
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

CHANGED = ("revised", "differs_from_source", "outdated", "source_discontinued", "source_unavailable")


def materiality(claim: dict[str, Any]) -> float:
    """How far the newest figure is from what the dossier says, relative to the dossier's value."""
    n = claim.get("newest") or {}
    x = claim.get("dossier_value")
    if n.get("value") is None or not x or claim["status"] in ("source_unavailable",):
        return 0.0
    return abs(n["value"] - x) / abs(x)


def write_overview(
    claims_files: list[Path], meta_files: list[Path], out_md: Path, diff_html: Path | None = None
) -> None:
    """The overview fragment: what changed since the dossier (most material first, each linking to its
    theme report), the statuses per theme, and every source with its snapshot and validation."""
    from datetime import date

    from dossiercheck.periods import date_nl

    themes = [json.loads(Path(f).read_text()) for f in sorted(claims_files)]
    lines = [f"*Nagerekend op {date_nl(date.today())}.*", ""]
    lines += ["## Wat is er veranderd sinds het dossier?", ""]
    # a cross-check is shown under the claim it checks, not counted as a finding of its own
    findings = [(t, [c for c in t["claims"] if not c.get("cross_check_of")]) for t in themes]
    changed = [(t, c) for t, claims in findings for c in claims if c["status"] in CHANGED]
    changed.sort(key=lambda tc: (-materiality(tc[1]), tc[0]["theme"], tc[1]["id"]))
    if not changed:
        lines += ["Geen enkel nagerekend cijfer wijkt af van het dossier.", ""]
    for t, c in changed:
        n, d = c.get("newest") or {}, c.get("dossier") or {}
        then = (
            f" (in {md_escape(d['label'])}: {md_escape(editor_value(d['value'], c['unit']))})"
            if d.get("value") is not None
            else ""
        )
        now = (
            f"; nu {md_escape(editor_value(n['value'], c['unit']))} ({md_escape(n['label'])})"
            if n.get("value") is not None
            else ""
        )
        lines.append(
            f"- {_status_span(c['status'])} [{md_escape(c.get('title') or c['id'])}]({t['theme']}.html#{c['id']}) "
            f"({md_escape(t['title'])}): dossier {_dossier_words(c)}{then}{now}."
        )
        if c.get("suggested_wording"):
            lines.append(f"  Voorstel: *{md_escape(c['suggested_wording'])}*")
    if diff_html and Path(diff_html).is_file():
        lines += ["", "## Sinds de vastgestelde basislijn", ""]
        lines += ["```{=html}", Path(diff_html).read_text(encoding="utf-8").strip(), "```"]
        lines += ["", "*Vastleggen na controle: `dossiercheck baseline accept` (zie README).*"]
    lines += ["", "## Alle cijfers per thema", ""]
    # only the statuses that occur: nine empty columns would squeeze the theme names letter by letter
    codes = [s for s in STATUSES if any(c["status"] == s for _, claims in findings for c in claims)]
    lines += ["| Thema | " + " | ".join(md_escape(STATUSES[s].label) for s in codes) + " | Totaal |"]
    lines += ["|---|" + "---:|" * (len(codes) + 1)]
    for t, claims in findings:
        counts = [sum(1 for c in claims if c["status"] == s) for s in codes]
        lines.append(
            f"| [{md_escape(t['title'])}]({t['theme']}.html) | "
            + " | ".join(str(n) for n in counts)
            + f" | {sum(counts)} |"
        )
    n_checks = sum(1 for t in themes for c in t["claims"] if c.get("cross_check_of"))
    if n_checks:
        lines += [
            "",
            f"*Daarnaast {n_checks} controle{'s' if n_checks > 1 else ''} op een andere tabel of reeks, "
            "getoond onder het cijfer dat ze controleren en hier niet meegeteld.*",
        ]
    kinds = {
        k: sum(1 for _, claims in findings for c in claims if c.get("reason_kind") == k)
        for k in REASON_KINDS_NL
    }
    if any(kinds.values()):
        lines += ["", "## Waarom niet alles is na te rekenen", ""]
        lines += ["| Reden | Aantal |", "|---|---:|"]
        lines += [f"| {md_escape(REASON_KINDS_NL[k].capitalize())} | {n} |" for k, n in kinds.items() if n]
    lines += [
        "",
        "## Bronnen",
        "",
        "| Bron | Tabel | Opgehaald | Bijgewerkt door de bron | Validatie |",
        "|---|---|---|---|---|",
    ]
    for f in sorted(meta_files):
        m = json.loads(Path(f).read_text())
        if m.get("unavailable"):
            lines.append(
                f"| {md_escape(m['source'])} | | niet opgehaald | | [niet bereikbaar]{{.status .status-source_unavailable}} {md_escape(m['reason'][:160])} |"
            )
            continue
        val = m.get("validation") or {}
        warned = val.get("warnings") or []
        verdict = f"geslaagd: {val.get('checks_run', '?')} controles op {nl_auto(val.get('rows'))} rijen"
        if warned:
            verdict += f"; waarschuwingen: {md_escape(', '.join(warned))}"
        lines.append(
            f"| {md_escape(m['source'])} | {md_escape(m.get('table_id'))} {md_escape(m.get('title'))} | "
            f"{md_escape(m.get('retrieved_at'))} | {md_escape(m.get('upstream_modified'))} | {verdict} |"
        )
    lines += ["", "*Per bron staat in `data/processed/validation/<bron>.md` wat er is gecontroleerd.*", ""]
    atomic_write_text(out_md, "\n".join(lines))

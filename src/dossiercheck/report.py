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
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dossiercheck import __version__
from dossiercheck.diff import CLASSES as CLASSES_NL
from dossiercheck.errors import DossiercheckError
from dossiercheck.figures import write_claim_chart
from dossiercheck.fmt import nl_auto, nl_signed, qualifier_nl
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import STATUSES

log = logging.getLogger(__name__)

INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+?)\s*>\}\}")
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
JUDGEMENT_NL = {
    "holds": "klopt",
    "holds_within_rounding": "klopt binnen afronding",
    "contradicts": "past niet",
}


def md_escape(text: str | None) -> str:
    """Make text from a source (titles, descriptions) inert in Markdown and HTML: every ASCII
    punctuation character is backslash-escaped, so no markup, link or raw HTML survives."""
    if text is None:
        return ""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def _status_span(code: str) -> str:
    return f"[{md_escape(STATUSES[code].label)}]{{.status .status-{code}}}"


def _claim_markdown(c: dict[str, Any], figure: str | None, alt: str | None) -> str:
    p = c["provenance"]
    status = STATUSES[c["status"]]
    lines = [f"### {md_escape(c.get('title') or c['id'])} {{#{c['id']}}}", ""]
    lines += [f"> {md_escape(c['quote'])}", ""]
    lines += [
        f'::: {{.callout-{status.callout} title="Status: {status.label}"}}',
        f"{_status_span(c['status'])} {md_escape(status.meaning)}",
    ]
    if c.get("baseline_changes"):
        lines += [
            "",
            f"**Gewijzigd sinds de vastgestelde basislijn:** {md_escape('; '.join(c['baseline_changes']))}.",
        ]
    if c.get("provisional"):
        lines += ["", "**Voorlopig:** een van de gebruikte perioden heeft de status Voorlopig bij de bron."]
    if c.get("reason"):
        lines += ["", f"Reden: {md_escape(c['reason'])}"]
    lines += [":::", ""]
    unit = md_escape(c["unit"])
    qualifier = md_escape(qualifier_nl(c["qualifier"]))
    lines += ["| | Periode | Waarde | Oordeel |", "|---|---|---|---|"]
    d, n = c.get("dossier") or {}, c.get("newest") or {}
    stated = "–" if c.get("dossier_value") is None else f"{nl_auto(c['dossier_value'])} {unit}"
    lines.append(f"| Dossier | {md_escape(d.get('label')) or 'niet genoemd'} | {qualifier} {stated} | |")
    if d.get("value") is not None:
        lines.append(
            f"| Nu berekend, periode van het dossier | {md_escape(d['label'])} | "
            f"{nl_auto(d['value'])} {unit} | {JUDGEMENT_NL[d['judgement']]} |"
        )
    if n.get("value") is not None:
        lines.append(
            f"| Nieuwste cijfer | {md_escape(n['label'])} | {nl_auto(n['value'])} {unit} | "
            f"{JUDGEMENT_NL[n['judgement']]} |"
        )
    if c.get("change_since_dossier") is not None:
        change = c["change_since_dossier"]
        lines.append(
            f"| Verandering sinds het dossier | | {nl_signed(change, 0 if abs(change) >= 1000 else 2)} | |"
        )
    lines.append("")
    if c.get("period_note"):
        lines += [f"*{md_escape(c['period_note'])}*", ""]
    if figure:
        attr = alt.replace('"', "&quot;")
        caption = f"{p.get('measure_title') or 'Reeks'} ({c['unit']}), bron {p['table_id']}"
        lines += [f'![{md_escape(caption)}]({figure}){{fig-alt="{attr}" alt="{attr}"}}', ""]
    lines += ["::: {.provenance}", _provenance(c, d, n), ":::", ""]
    return "\n".join(lines)


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
        f"tabel bijgewerkt door de bron op {md_escape(p.get('upstream_modified'))}; sha256: {sha}. "
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
    parts = []
    for claim in payload["claims"]:
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

CHANGED = ("outdated", "revised", "source_discontinued", "source_unavailable")


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

    from dossiercheck.periods import MONTHS_NL

    themes = [json.loads(Path(f).read_text()) for f in sorted(claims_files)]
    today = date.today()
    lines = [f"*Nagerekend op {today.day} {MONTHS_NL[today.month - 1]} {today.year}.*", ""]
    lines += ["## Wat is er veranderd sinds het dossier?", ""]
    changed = [(t, c) for t in themes for c in t["claims"] if c["status"] in CHANGED]
    changed.sort(key=lambda tc: (-materiality(tc[1]), tc[0]["theme"], tc[1]["id"]))
    if not changed:
        lines += ["Geen enkel nagerekend cijfer wijkt af van het dossier.", ""]
    for t, c in changed:
        n = c.get("newest") or {}
        now = (
            f"; nu {nl_auto(n['value'])} {md_escape(c['unit'])} ({md_escape(n['label'])})"
            if n.get("value") is not None
            else ""
        )
        lines.append(
            f"- {_status_span(c['status'])} [{md_escape(c.get('title') or c['id'])}]({t['theme']}.html#{c['id']}) "
            f"({md_escape(t['title'])}): dossier {md_escape(qualifier_nl(c['qualifier']))} "
            f"{nl_auto(c.get('dossier_value'))} {md_escape(c['unit'])}{now}."
        )
    if diff_html and Path(diff_html).is_file():
        lines += ["", "## Sinds de vastgestelde basislijn", ""]
        lines += ["```{=html}", Path(diff_html).read_text(encoding="utf-8").strip(), "```"]
        lines += ["", "*Vastleggen na controle: `dossiercheck baseline accept` (zie README).*"]
    lines += ["", "## Alle cijfers per thema", ""]
    codes = list(STATUSES)
    lines += ["| Thema | " + " | ".join(md_escape(STATUSES[s].label) for s in codes) + " | Totaal |"]
    lines += ["|---|" + "---:|" * (len(codes) + 1)]
    for t in themes:
        counts = [sum(1 for c in t["claims"] if c["status"] == s) for s in codes]
        lines.append(
            f"| [{md_escape(t['title'])}]({t['theme']}.html) | "
            + " | ".join(str(n) for n in counts)
            + f" | {sum(counts)} |"
        )
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

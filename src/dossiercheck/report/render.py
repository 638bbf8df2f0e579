"""Rule ``render_site``: the pages of the reports website that changed, rendered with Quarto, or with
pandoc into the same pages (the site's template, navigation read from reports/_quarto.yml, the same assets).

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import hashlib
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
from dossiercheck.errors import DossiercheckError

log = logging.getLogger(__name__)


INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+?)\s*>\}\}")


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


def project_root(qmd: Path) -> Path:
    """The folder of the Quarto project a page belongs to: the nearest one up from the page that holds a
    _quarto.yml (reports/ for reports/<dossier>/04_wonen.qmd), else the page's own folder."""
    qmd = Path(qmd).resolve()
    for folder in qmd.parents:
        if (folder / "_quarto.yml").is_file():
            return folder
    return qmd.parent


def project(reports_dir: Path) -> dict[str, Any]:
    """reports/_quarto.yml: the site's title, navigation and the html format every page shares. Both
    renderers read it, so the pages and their links are the same whichever one ran."""
    path = Path(reports_dir) / "_quarto.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}


def _html_format(qmd: Path) -> dict[str, Any]:
    """The html format options of a page: the project's, with the page's own on top (as Quarto merges them)."""
    shared = ((project(project_root(qmd)).get("format") or {}).get("html")) or {}
    own = ((_front_matter(qmd).get("format") or {}).get("html")) or {}
    return {**(shared if isinstance(shared, dict) else {}), **(own if isinstance(own, dict) else {})}


def stylesheets(qmd: Path) -> list[str]:
    """The ``css`` entries of a page's html format (project and page), relative to the project, as Quarto
    reads them."""
    css = _html_format(qmd).get("css", [])
    return [css] if isinstance(css, str) else list(css)


def _relative(target: str, page: str) -> str:
    """A project-relative path (``04_wonen.qmd`` -> .html) as a link from the page ``page`` (also
    project-relative), as Quarto rewrites the links of its navigation on every page."""
    target = re.sub(r"\.qmd$", ".html", target)
    return os.path.relpath(target, os.path.dirname(page) or ".").replace(os.sep, "/")


def site_navigation(reports_dir: Path, current: str) -> tuple[str, list[dict[str, Any]]]:
    """The site's title and the navigation of the page ``current`` (project-relative, without .qmd): the
    navbar's items, then those of the sidebar that holds the page (Quarto shows that one), each with its
    text, its href from the page and whether it is the page itself."""
    site = project(reports_dir).get("website") or {}
    page = f"{current}.qmd"
    entries = list((site.get("navbar") or {}).get("left") or [])
    sidebars = site.get("sidebar") or []
    sidebars = [sidebars] if isinstance(sidebars, dict) else sidebars
    for bar in sidebars:
        contents = bar.get("contents") or []
        if any(isinstance(c, dict) and c.get("href") == page for c in contents):
            entries += [c for c in contents if isinstance(c, dict)]
            break
    items = []
    for item in entries:
        href = str(item.get("href", ""))
        items.append(
            {"text": str(item.get("text", href)), "href": _relative(href, page), "current": href == page}
        )
    return str(site.get("title") or ""), items


LOCAL_REF = re.compile(r'(?:src|href)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"#?]+)')


def copy_resources(html: str, page_dir: Path, site_dir: Path, root: Path | None = None) -> list[str]:
    """Copy every local file a rendered page refers to (stylesheet, script, charts, downloads) from the
    page's folder under reports/ to the same place under the page's folder in the site, as Quarto's website
    projects do; pages themselves are left to their own render. Only files inside the project (``root``,
    default the page's folder) are copied. Each file is written whole (temporary file, then rename): pages
    rendered at the same time may share a stylesheet."""
    root = Path(root or page_dir).resolve()
    copied = []
    for ref in sorted(set(LOCAL_REF.findall(html))):
        source = (page_dir / ref).resolve()
        if ref.endswith(".html") or not source.is_file() or not source.is_relative_to(root):
            continue
        target = Path(os.path.normpath(site_dir / ref))
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
    root, site_dir = project_root(qmd), out_html.parent
    page = qmd.relative_to(root).with_suffix("").as_posix()  # e.g. bestaanszekerheid-2023/04_wonen
    build_root = Path(build_root or root / "_build").resolve()
    build_root.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f"{qmd.stem}-", dir=build_root))  # parallel renders can't collide
    try:
        kind = choose_renderer(renderer)
        if kind == "quarto":
            version = _run(["quarto", "--version"], root).strip()
            _run(
                ["quarto", "render", f"{page}.qmd"], root
            )  # into the project's output-dir, with its navigation
            produced = root / (project(root).get("project") or {}).get("output-dir", "_site") / f"{page}.html"
            if produced.resolve() != out_html:
                out_html.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(produced, out_html)
                copy_resources(out_html.read_text(encoding="utf-8"), qmd.parent, site_dir, root)
        else:
            import pypandoc

            version = pypandoc.get_pandoc_version()
            fmt = _html_format(qmd)
            source = build / f"{qmd.stem}.md"
            source.write_text(expand_includes(qmd.read_text(encoding="utf-8"), qmd.parent), encoding="utf-8")
            title, nav = site_navigation(root, page)
            meta = {
                "site-title": title or _front_matter(qmd).get("title", ""),
                "site-root": _relative("index.html", page),
                "nav": nav,
                "lang": project(root).get("lang") or _front_matter(qmd).get("lang") or "nl",
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
                    *(f"--css={_relative(css, page)}" for css in stylesheets(qmd)),
                    *(f"--include-after-body={root / a}" for a in after),
                    f"--include-after-body={footer}",
                    f"--output={produced}",
                ],
                qmd.parent,
            )
            out_html.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), out_html)
            copy_resources(out_html.read_text(encoding="utf-8"), qmd.parent, site_dir, root)
        log.info("rendered %s with %s %s", out_html, kind, version)
        return kind
    finally:
        shutil.rmtree(build, ignore_errors=True)


def quarto_version(html: Path) -> str:
    """The Quarto version a page was rendered with, as Quarto writes it into the page (its generator
    meta tag): asking ``quarto --version`` would start one more Quarto process per render."""
    try:
        m = re.search(r'<meta name="generator" content="([^"]+)"', Path(html).read_text(encoding="utf-8"))
    except OSError:
        return "quarto"
    return m.group(1) if m else "quarto"


def _page_digest(qmd: Path, shared: list[Path], root: Path) -> str:
    """What a page is made of, as one checksum: its .qmd, every file in the folders of the fragments it
    includes (the Markdown, its charts and downloads), and what every page shares (the project, the
    stylesheet, the includes). A page whose checksum is the one it was last rendered from is up to date."""
    h = hashlib.sha256()
    files = {Path(qmd)}
    for m in INCLUDE.finditer(Path(qmd).read_text(encoding="utf-8")):
        folder = (Path(qmd).parent / m.group(1)).parent
        files |= {f for f in folder.rglob("*") if f.is_file()}
    for f in sorted(files) + [
        f for f in shared if f.is_file()
    ]:  # named as in the project: a copy is the same
        h.update(f.resolve().relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def render_site(
    qmds: list[Path], stamp: Path, *, renderer: str = "auto", shared: list[Path] | None = None, jobs: int = 1
) -> list[str]:
    """Render the pages of the site that changed since they were last rendered (rule ``render_site``,
    one job for the whole site). ``stamp`` (the job's output, a JSON file in the site) lists the pages this
    call rendered; ``.pages.json`` beside it keeps, per page, the checksum of what it was last rendered from
    (``_page_digest``): not an output, since Snakemake removes a job's outputs before it runs. Returns the
    pages rendered.

    With Quarto this starts one Quarto process per call: ``quarto render <page>`` when one page changed,
    ``quarto render`` of the whole project when several did (Quarto renders one input per call, and its
    start-up of ~1.7 s per call is what made a page-by-page render of the site slow). With pandoc each
    changed page is rendered on its own (``render_report``), ``jobs`` at a time."""
    from concurrent.futures import ThreadPoolExecutor

    qmds = [Path(q).resolve() for q in qmds]
    if not qmds:
        return []
    root = project_root(qmds[0])
    site = root / (project(root).get("project") or {}).get("output-dir", "_site")
    shared = [Path(f).resolve() for f in (shared or [])]
    stamp = Path(stamp)
    record = stamp.with_name(".pages.json")
    try:
        before = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    digests, stale = {}, []
    for q in qmds:
        rel = q.relative_to(root).with_suffix("").as_posix()
        digests[rel] = _page_digest(q, shared, root)
        if before.get(rel) != digests[rel] or not (site / f"{rel}.html").is_file():
            stale.append(rel)
    kind = choose_renderer(renderer) if stale else renderer
    if stale and kind == "quarto":
        _run(["quarto", "render", f"{stale[0]}.qmd"] if len(stale) == 1 else ["quarto", "render"], root)
        missing = [rel for rel in digests if not (site / f"{rel}.html").is_file()]
        if missing:
            raise DossiercheckError(
                f"quarto render in {root} made no page for {', '.join(missing)}; see its output above."
            )
        log.info(
            "rendered %d page(s) with %s: %s",
            len(stale),
            quarto_version(site / f"{stale[0]}.html"),
            ", ".join(stale),
        )
    elif stale:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:  # pandoc runs as a process of its own
            list(
                pool.map(
                    lambda rel: render_report(root / f"{rel}.qmd", site / f"{rel}.html", renderer="pandoc"),
                    stale,
                )
            )
    for path, payload in ((record, digests), (stamp, {"renderer": kind, "rendered": stale})):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    return stale


def _run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise DossiercheckError(
            f"{Path(cmd[0]).name} failed rendering in {cwd} (exit {proc.returncode}):\n{proc.stderr.strip()[-2000:]}"
        )
    return proc.stdout

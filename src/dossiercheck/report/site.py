"""Rules ``write_site`` and ``write_landing``: the pages of the reports website are generated, not written.

One site holds every dossier checked::

    reports/_quarto.yml                 the Quarto website project: title, navbar, one sidebar per dossier
    reports/index.qmd                   the landing page: every dossier with its counts (reports/_generated/landing.md)
    reports/<slug>/index.qmd            a dossier's overview
    reports/<slug>/<theme>.qmd          one page per theme, its title and intro from dossier.yaml
    reports/<slug>/bronnen.qmd          "Bronnen en methode"
    reports/<slug>/wijzigingen.qmd      "Wijzigingen"
    reports/<slug>/_generated/<page>/   what each page includes (rules write_report_fragments, write_dossier_pages)

Each page is a short Quarto document that includes its generated Markdown, so Quarto (``quarto render`` in
reports/) and the pandoc path render the same pages from the same files. The texts around the figures are
in plain Dutch; what a dossier says in its own words (titles, intros) comes from its dossier.yaml.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

from dossiercheck.dossier import dossier_paths, load_dossier, page_names
from dossiercheck.periods import date_nl
from dossiercheck.report.common import md_escape
from dossiercheck.report.overview import correction_kind
from dossiercheck.snapshot import atomic_write_text

FIXED_PAGES = ("index", "bronnen", "wijzigingen")
LANDING_FRAGMENT = "_generated/landing.md"


def _yaml_string(text: str) -> str:
    """A YAML scalar for front matter (quoted, so a colon or a quote in a title cannot break it)."""
    return json.dumps(str(text), ensure_ascii=False)


def _front(title: str, subtitle: str | None = None, **extra: Any) -> str:
    lines = ["---", f"title: {_yaml_string(title)}"]
    if subtitle:
        lines.append(f"subtitle: {_yaml_string(subtitle)}")
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join([*lines, "---", ""]) + "\n"


def site_title_of(info: dict[str, Any]) -> str:
    """The line under every page title of a dossier: its title, and what this site does with it."""
    return f"{info['title']}: de cijfers nagerekend"


def theme_page_title(info: dict[str, Any], number: int, theme: dict[str, Any]) -> str:
    """'Thema 4: Wonen' when the dossier has several themes; a single theme is just its title."""
    return f"Thema {number}: {theme['title']}" if len(info["themes"]) > 1 else str(theme["title"])


def dossier_intro(info: dict[str, Any]) -> str:
    """What the overview says of the document first: dossier.yaml's ``intro`` when it has one, else who
    published what, when."""
    if info.get("intro"):
        return " ".join(str(info["intro"]).split())
    date = info["date"] if isinstance(info["date"], dt.date) else dt.date.fromisoformat(str(info["date"]))
    what = (
        f"[*{md_escape(info['title'])}*]({info['url']})"
        if info.get("url")
        else f"*{md_escape(info['title'])}*"
    )
    return f"{md_escape(info['publisher'])} publiceerde op {date_nl(date)} {what}."


def theme_page(info: dict[str, Any], number: int, theme: dict[str, Any]) -> str:
    tid = theme["id"]
    return (
        _front(theme_page_title(info, number, theme), site_title_of(info))
        + f"{{{{< include _generated/{tid}/summary.md >}}}}\n\n"
        + "## Wat het dossier zegt\n\n"
        + " ".join(str(theme["intro"]).split())
        + "\n\n*Deze samenvatting is door de analisten geschreven; alle cijfers op deze pagina rekent "
        "dossiercheck opnieuw na, telkens wanneer de bronnen opnieuw worden opgehaald.*\n\n"
        + "## De cijfers, nagerekend\n\n"
        + f"{{{{< include _generated/{tid}/claims.md >}}}}\n"
    )


def overview_page(info: dict[str, Any]) -> str:
    several = len(info["themes"]) > 1
    return (
        _front(site_title_of(info), "Overzicht van alle thema's" if several else "Overzicht")
        + dossier_intro(info)
        + " Deze pagina laat zien welke cijfers daaruit nu nog kloppen: eerst wat er veranderd is, dan de stand"
        + (" per thema" if several else " van elk cijfer")
        + ". Waar elk cijfer vandaan komt en hoe het oordeel tot stand komt, staat op "
        "[Bronnen en methode](bronnen.qmd).\n\n"
        "{{< include _generated/index/overview.md >}}\n"
    )


SOURCES_INTRO = (
    "Elk cijfer op deze pagina's komt uit een openbare bron die dossiercheck zelf ophaalt, ongewijzigd bewaart "
    "(een momentopname, met per bestand het adres, de datum en een controlegetal), controleert en dan "
    "narekent. Hieronder staat per bron wat er is opgehaald en gecontroleerd, en daarna hoe een cijfer zijn "
    "oordeel krijgt."
)
CHANGES_INTRO = (
    "Wanneer de cijfers op deze pagina's opnieuw zijn vastgesteld, en welke daarbij veranderden: van welk "
    "cijfer naar welk, voor welke periode, en uit welke momentopname van de bron het nieuwe cijfer komt."
)


def _fixed_page(title: str, info: dict[str, Any], intro: str, fragment: str) -> str:
    """A page every dossier has: its title, the dossier's name under it, a fixed intro, then the fragment
    its rule writes."""
    return _front(title, site_title_of(info)) + intro + f"\n\n{{{{< include _generated/{fragment} >}}}}\n"


def sources_page(info: dict[str, Any]) -> str:
    return _fixed_page("Bronnen en methode", info, SOURCES_INTRO, "bronnen/bronnen.md")


def changes_page(info: dict[str, Any]) -> str:
    return _fixed_page("Wijzigingen", info, CHANGES_INTRO, "wijzigingen/wijzigingen.md")


def landing_page(site_title: str) -> str:
    return (
        _front(
            site_title, "Gepubliceerde teksten, hun cijfers opnieuw nagerekend bij de bron", sidebar="false"
        )
        + "Elke tekst hieronder onderbouwt zijn betoog met cijfers uit openbare bronnen, zoals het CBS. "
        "dossiercheck haalt die bronnen opnieuw op en rekent elk cijfer na: klopte het toen de tekst verscheen, "
        "en klopt het nu nog? Per tekst staat hier hoeveel cijfers er zijn gevolgd, hoeveel er zijn nagerekend "
        "en hoeveel er om een aanpassing vragen.\n\n"
        f"{{{{< include {LANDING_FRAGMENT} >}}}}\n"
    )


def quarto_project(site_title: str, dossiers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """reports/_quarto.yml: a website project with the landing page in the navbar and one sidebar per
    dossier (Quarto shows the sidebar whose contents hold the page; the landing page has none)."""
    render = ["index.qmd"]
    sidebars = []
    for slug, info in dossiers.items():
        render += [f"{slug}/{p}.qmd" for p in page_names(info)]
        contents = [{"text": "Overzicht", "href": f"{slug}/index.qmd"}]
        contents += [{"text": str(t["title"]), "href": f"{slug}/{t['id']}.qmd"} for t in info["themes"]]
        contents += [
            {"text": "Bronnen en methode", "href": f"{slug}/bronnen.qmd"},
            {"text": "Wijzigingen", "href": f"{slug}/wijzigingen.qmd"},
        ]
        sidebars.append({"id": slug, "title": str(info["title"]), "style": "docked", "contents": contents})
    return {
        "project": {
            "type": "website",
            "output-dir": "_site",
            "render": render,
            "resources": ["*/_generated/*/downloads/*", "*/_generated/*/figures/*.png"],
        },
        "lang": "nl",
        "website": {
            "title": site_title,
            "search": True,
            "page-navigation": True,
            "navbar": {"left": [{"text": "Alle documenten", "href": "index.qmd"}]},
            "sidebar": sidebars,
        },
        "format": {
            "html": {
                "theme": "cosmo",
                "css": "style/report.css",
                "toc": True,
                "toc-title": "Op deze pagina",
                "toc-depth": 2,  # the sections; each figure is reached from the summary table at the top
                "include-after-body": "_includes/copy-link.html",
            }
        },
    }


PROJECT_HEADER = """\
# Generated by dossiercheck (rule write_site) from config/config.yaml's site_title and every
# dossiers/<slug>/dossier.yaml: edit those, not this file. The reports as one Quarto website: a landing
# page that lists every dossier, then per dossier its overview, one page per theme, "Bronnen en methode"
# and "Wijzigingen", with a sidebar per dossier. Render all of it with `quarto render` (in reports/), one
# page with `quarto render <slug>/04_wonen.qmd`. Without Quarto the pipeline renders the same pages with
# pandoc, reading the navigation from this file.
"""


def write_site(
    slugs: list[str], site_title: str, reports_dir: Path | str = "reports", root: Path | str = "."
) -> list[Path]:
    """Write the Quarto project and every page (.qmd) of the dossiers ``slugs`` from their dossier.yaml.
    Returns the files written."""
    reports_dir = Path(reports_dir)
    infos = {slug: load_dossier(slug, root) for slug in slugs}
    written = []

    def put(rel: str, text: str) -> None:
        path = reports_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
        written.append(path)

    put(
        "_quarto.yml",
        PROJECT_HEADER
        + yaml.safe_dump(quarto_project(site_title, infos), allow_unicode=True, sort_keys=False, width=110),
    )
    put("index.qmd", landing_page(site_title))
    for slug, info in infos.items():
        put(f"{slug}/index.qmd", overview_page(info))
        for number, theme in enumerate(info["themes"], start=1):
            put(f"{slug}/{theme['id']}.qmd", theme_page(info, number, theme))
        put(f"{slug}/bronnen.qmd", sources_page(info))
        put(f"{slug}/wijzigingen.qmd", changes_page(info))
    return written


def write_dossier_pages(
    claims_files: list[Path],
    diff_json: Path,
    meta_files: list[Path],
    sources_yaml: Path,
    config_yaml: Path,
    history_json: Path | None,
    *,
    overview_md: Path,
    overview_figures: Path,
    sources_md: Path,
    changes_md: Path,
    slug: str | None = None,
) -> None:
    """Rule ``write_dossier_pages``: what a dossier's overview, "Bronnen en methode" and "Wijzigingen"
    include. One job: all three follow the dossier's claims, so they are rewritten together anyway."""
    from dossiercheck.report.changes import write_changes_page
    from dossiercheck.report.overview import write_overview
    from dossiercheck.report.sources import write_sources_page

    write_overview(claims_files, overview_md, diff_json, figures_dir=overview_figures, slug=slug)
    write_sources_page(claims_files, meta_files, sources_yaml, config_yaml, sources_md)
    write_changes_page(claims_files, history_json, changes_md, slug)


UNCHECKED = ("not_recomputable", "source_unavailable", "source_discontinued")


def dossier_counts(claims_files: list[Path]) -> dict[str, Any]:
    """What the landing page says of one dossier, counted as its overview counts: the figures it follows
    (a cross-check on another table is not a figure of the document), how many of them were recomputed,
    how many ask for a change (the overview's "Wat moet er worden aangepast?"), and when its sources were
    last fetched."""
    claims = [
        c for f in claims_files for c in json.loads(Path(f).read_text(encoding="utf-8"))["claims"]
        if not c.get("cross_check_of")
    ]  # fmt: skip
    fetched = [str((c.get("provenance") or {}).get("retrieved_at") or "") for c in claims]
    fetched = [f for f in fetched if f]
    return {
        "figures": len(claims),
        "checked": sum(1 for c in claims if c["status"] not in UNCHECKED),
        "to_correct": sum(1 for c in claims if correction_kind(c) is not None),
        "fetched": max(fetched) if fetched else None,
    }


def write_landing(claims_by_dossier: dict[str, list[Path]], out_md: Path, root: Path | str = ".") -> None:
    """The landing page's list: per dossier (newest document first) its title linked to its overview, who
    published it when, and its counts."""
    rows = []
    for slug, files in claims_by_dossier.items():
        info = load_dossier(slug, root)
        rows.append((info, slug, dossier_counts(files)))
    rows.sort(key=lambda r: (r[0]["date"], r[1]), reverse=True)
    lines = []
    for info, slug, n in rows:
        fetched = n["fetched"]
        fetched_nl = date_nl(dt.date.fromisoformat(fetched[:10])) if fetched else None
        figures = f"{n['figures']} {'cijfer' if n['figures'] == 1 else 'cijfers'} gevolgd"
        lines += [
            f"## [{md_escape(info['title'])}]({slug}/index.html) {{#{slug}}}",
            "",
            f"{md_escape(info['publisher'])}, verschenen op {date_nl(info['date'])}.",
            "",
            f"{figures}, waarvan {n['checked']} nagerekend; "
            + (
                f"**{n['to_correct']} {'vraagt' if n['to_correct'] == 1 else 'vragen'} om een aanpassing**."
                if n["to_correct"]
                else "geen enkel nagerekend cijfer vraagt om een aanpassing."
            )
            + (f" Bronnen laatst opgehaald op {fetched_nl}." if fetched_nl else ""),
            "",
        ]
    atomic_write_text(out_md, "\n".join(lines))


def landing_inputs(slugs: list[str], root: Path | str = ".") -> dict[str, list[Path]]:
    """Per dossier, the claims JSON files the landing page counts (one per theme)."""
    out = {}
    for slug in slugs:
        info = load_dossier(slug, root)
        base = dossier_paths(slug, root).processed / "claims"
        out[slug] = [base / f"{t['id']}.json" for t in info["themes"]]
    return out

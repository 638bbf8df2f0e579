"""The reports website, one module per page kind; each rule calls one function here.

    theme       a theme's page: one section per figure, its chart, the summary at the top, the downloads
    overview    a dossier's overview: what must be corrected first, then the state per theme
    sources     "Bronnen en methode": what was fetched and checked per source, and the method
    changes     "Wijzigingen": every accepted baseline and what it changed
    site        the pages themselves (.qmd) and the Quarto project, generated from every dossier.yaml;
                the landing page that lists every dossier
    render      one page rendered with Quarto, or with pandoc into the same page
    common      what the page kinds share

Reports read, never compute: every number here comes from the claims JSON.
"""

import importlib

# Each name from the module that defines it, imported when first asked for: a job that renders a page
# should not pay for matplotlib and pandas, which only the theme pages' charts need.
_WHERE = {
    "write_changes_page": "changes",
    "md_escape": "common",
    "correction_kind": "overview",
    "write_overview": "overview",
    "choose_renderer": "render",
    "expand_includes": "render",
    "render_report": "render",
    "write_sources_page": "sources",
    "theme_summary": "theme",
    "write_downloads": "theme",
    "write_report_fragments": "theme",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"dossiercheck.report.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'dossiercheck.report' has no attribute {name!r}")

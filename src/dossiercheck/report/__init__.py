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

from dossiercheck.report.changes import write_changes_page
from dossiercheck.report.common import md_escape
from dossiercheck.report.overview import correction_kind, write_overview
from dossiercheck.report.render import choose_renderer, expand_includes, render_report
from dossiercheck.report.sources import write_sources_page
from dossiercheck.report.theme import theme_summary, write_downloads, write_report_fragments

__all__ = [
    "choose_renderer",
    "correction_kind",
    "expand_includes",
    "md_escape",
    "render_report",
    "theme_summary",
    "write_changes_page",
    "write_downloads",
    "write_overview",
    "write_report_fragments",
    "write_sources_page",
]

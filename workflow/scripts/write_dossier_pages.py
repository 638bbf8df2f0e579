# Adapter: rule write_dossier_pages -> dossiercheck.report.site.write_dossier_pages
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report.site import write_dossier_pages

with run_logged(snakemake.log[0], "write_dossier_pages", end_process=True):
    write_dossier_pages(
        list(snakemake.input.claims),
        snakemake.input.diff,
        list(snakemake.input.metas),
        snakemake.input.sources,
        snakemake.input.config,
        snakemake.input.history[0] if snakemake.input.history else None,
        overview_md=snakemake.output.overview,
        overview_figures=snakemake.output.figures,
        sources_md=snakemake.output.sources,
        changes_md=snakemake.output.changes,
        slug=snakemake.wildcards.dossier,  # the commands it names accept this dossier's figures only
    )

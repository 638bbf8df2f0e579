# Adapter: rule write_sources_page -> dossiercheck.report.write_sources_page
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report import write_sources_page

with run_logged(snakemake.log[0], "write_sources_page"):
    write_sources_page(
        list(snakemake.input.claims),
        list(snakemake.input.metas),
        snakemake.input.sources,
        snakemake.input.config,
        snakemake.output.fragment,
    )

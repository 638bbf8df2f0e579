# Adapter: rule write_overview -> dossiercheck.report.write_overview
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report import write_overview

with run_logged(snakemake.log[0], "write_overview"):
    write_overview(
        list(snakemake.input.claims),
        snakemake.output.fragment,
        snakemake.input.diff,
        figures_dir=snakemake.output.figures,
        figures_href="_generated/index/figures",
    )

# Adapter: rule render_report -> dossiercheck.report.render_report
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report import render_report

with run_logged(snakemake.log[0], "render_report"):
    render_report(snakemake.input.qmd, snakemake.output.html, renderer=snakemake.params.renderer)

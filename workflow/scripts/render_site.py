# Adapter: rule render_site -> dossiercheck.report.render.render_site
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report.render import render_site

with run_logged(snakemake.log[0], "render_site", end_process=True):
    render_site(
        list(snakemake.input.qmds),
        snakemake.output.stamp,
        renderer=snakemake.params.renderer,
        shared=list(snakemake.params.shared),
        jobs=snakemake.threads,
    )

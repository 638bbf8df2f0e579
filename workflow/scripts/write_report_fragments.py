# Adapter: rule write_report_fragments -> dossiercheck.report.write_report_fragments
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report import write_report_fragments

with run_logged(snakemake.log[0], "write_report_fragments"):
    write_report_fragments(
        snakemake.input.claims,
        snakemake.output.fragment,
        snakemake.output.figures,
        f"{snakemake.params.href}/figures",
        snakemake.input.diff,
        claims_csv=snakemake.input.csv,
        downloads_dir=snakemake.output.downloads,
        downloads_href=f"{snakemake.params.href}/downloads",
        summary_md=snakemake.output.summary,
    )

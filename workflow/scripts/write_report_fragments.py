# Adapter: rule write_report_fragments -> dossiercheck.report.theme.write_theme_page
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report.theme import write_theme_page

with run_logged(snakemake.log[0], "write_report_fragments", end_process=True):
    write_theme_page(
        snakemake.input.claims,
        snakemake.params.baseline,
        snakemake.output.diff,
        snakemake.output.fragment,
        snakemake.output.figures,
        snakemake.params.href,
        claims_csv=snakemake.input.csv,
        downloads_dir=snakemake.output.downloads,
        downloads_href=f"{snakemake.params.href}/downloads",
        summary_md=snakemake.output.summary,
    )

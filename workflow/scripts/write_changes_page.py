# Adapter: rule write_changes_page -> dossiercheck.report.write_changes_page
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report import write_changes_page

with run_logged(snakemake.log[0], "write_changes_page"):
    write_changes_page(
        list(snakemake.input.claims),
        snakemake.input.history[0] if snakemake.input.history else None,
        snakemake.output.fragment,
    )

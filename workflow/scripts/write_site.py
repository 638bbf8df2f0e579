# Adapter: rule write_site -> dossiercheck.report.site.write_site
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report.site import write_site

with run_logged(snakemake.log[0], "write_site", end_process=True):
    write_site(list(snakemake.params.dossiers), snakemake.params.site_title)

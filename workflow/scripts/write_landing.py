# Adapter: rule write_landing -> dossiercheck.report.site.write_landing
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.report.site import landing_inputs, write_landing

with run_logged(snakemake.log[0], "write_landing", end_process=True):
    write_landing(landing_inputs(list(snakemake.params.dossiers)), snakemake.output.fragment)

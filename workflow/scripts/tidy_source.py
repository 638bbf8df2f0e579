# Adapter: rule tidy_source -> dossiercheck.sources.tidying.tidy_source
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.logs import run_logged
from dossiercheck.sources.tidying import tidy_source

with run_logged(snakemake.log[0], "tidy_source", end_process=True):
    tidy_source(
        snakemake.input.manifest,
        snakemake.output.table,
        snakemake.output.meta,
        snakemake.params.entry,
        # config/config.yaml's validation settings: which failed checks are warnings, the row-count band
        validation_dir=snakemake.params.validation_dir,
        warnings=snakemake.params.warnings,
        row_band=snakemake.params.row_band,
    )

# Adapter: rule record_run -> dossiercheck.diff.record_and_compare
from pathlib import Path

import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.diff import record_and_compare
from dossiercheck.logs import run_logged

with run_logged(snakemake.log[0], "record_run", end_process=True):
    record_and_compare(
        list(snakemake.input.claims),
        list(snakemake.input.metas),
        list(snakemake.input.registry),
        Path(snakemake.output.figures).parent,
        snakemake.params.runs_root,
        snakemake.params.baseline,
        Path(snakemake.output.md).parent,
    )

# Adapter: rule diff_baseline -> dossiercheck.diff.write_diff
from pathlib import Path

import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.diff import write_diff
from dossiercheck.logs import run_logged

with run_logged(snakemake.log[0], "diff_baseline"):
    write_diff(snakemake.params.baseline, snakemake.input.figures, Path(snakemake.output.md).parent)

# Adapter: rule diff_baseline -> dossiercheck.diff.write_diff
from pathlib import Path

from dossiercheck.diff import write_diff
from dossiercheck.logs import run_logged

with run_logged(snakemake.log[0], "diff_baseline"):
    write_diff(snakemake.params.baseline, snakemake.input.figures, Path(snakemake.output.md).parent)

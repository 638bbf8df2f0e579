# Adapter: rule diff_theme -> dossiercheck.diff.write_theme_diff
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.diff import write_theme_diff
from dossiercheck.logs import run_logged

with run_logged(snakemake.log[0], "diff_theme"):
    write_theme_diff(snakemake.params.baseline, snakemake.input.claims, snakemake.output.json)

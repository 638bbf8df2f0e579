# Adapter: rule tidy_source -> dossiercheck.tidy.tidy_source
from dossiercheck.logs import run_logged
from dossiercheck.tidy import tidy_source

with run_logged(snakemake.log[0], "tidy_source"):
    tidy_source(
        snakemake.input.manifest, snakemake.output.table, snakemake.output.meta, snakemake.params.entry
    )

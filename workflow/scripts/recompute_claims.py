# Adapter: rule recompute_claims -> dossiercheck.claims.recompute_claims
import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.claims import recompute_claims
from dossiercheck.logs import run_logged

with run_logged(snakemake.log[0], "recompute_claims", end_process=True):
    recompute_claims(
        snakemake.input.claims,
        snakemake.input.sources,
        {s: (snakemake.input[f"table_{s}"], snakemake.input[f"meta_{s}"]) for s in snakemake.params.sources},
        dossier_date=snakemake.params.dossier_date,
        qualifiers=snakemake.params.qualifiers,
        out_csv=snakemake.output.csv,
        out_json=snakemake.output.json,
        baseline=snakemake.input.baseline[0] if snakemake.input.baseline else None,
        raw_dir=snakemake.params.raw_dir,
        bundle=snakemake.input.bundle[0] if snakemake.input.bundle else None,
    )

# Adapter: rule fetch_source -> dossiercheck.fetch.fetch_source
from pathlib import Path

import _package  # noqa: F401  (the dossiercheck package, installed or from src/)

from dossiercheck.fetch import fetch_source
from dossiercheck.http import HttpSettings
from dossiercheck.logs import run_logged

with run_logged(snakemake.log[0], "fetch_source", end_process=True):
    pointer = Path(snakemake.output.pointer)
    fetch_source(
        snakemake.wildcards.source,
        snakemake.params.entry,
        raw_root=pointer.parent.parent,
        pointer=pointer,
        base_urls=snakemake.params.base_urls,
        http=HttpSettings(**snakemake.params.http),
        needs=snakemake.params.needs,
        refresh=snakemake.config["refresh"],  # not a param: see workflow/rules/fetch.smk
        on_unavailable=snakemake.params.on_unavailable,
        bundle_dir=Path(snakemake.params.bundle_dir),
        use_bundle=snakemake.config.get("use_bundle", "first"),  # not a param either: `make refresh` sets it
    )

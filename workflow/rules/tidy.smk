rule tidy_source:
    input:
        manifest=current_manifest,
    output:
        table="data/processed/tables/{source}.parquet",
        meta="data/processed/tables/{source}.meta.json",
    params:
        entry=lambda wc: SOURCES[wc.source],  # file sources: the column mapping lives here
        # the validation report is written whether the rule passes or fails, so it is not an output
        # (Snakemake deletes the outputs of a failed job)
        validation_dir="data/processed/validation",
        warnings=config["validation_warnings"],
        row_band=config["validation_row_band"],
    log:
        "logs/tidy_source/{source}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/tidy_source.py"

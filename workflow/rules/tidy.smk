rule tidy_source:
    input:
        manifest=current_manifest,
    output:
        table="data/processed/tables/{source}.parquet",
        meta="data/processed/tables/{source}.meta.json",
    log:
        "logs/tidy_source/{source}.log",
    script:
        "../scripts/tidy_source.py"

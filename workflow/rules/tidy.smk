rule tidy_source:
    input:
        manifest=current_manifest,
    output:
        table="data/processed/tables/{source}.parquet",
        meta="data/processed/tables/{source}.meta.json",
    params:
        entry=lambda wc: SOURCES[wc.source],  # file sources: the column mapping lives here
    log:
        "logs/tidy_source/{source}.log",
    script:
        "../scripts/tidy_source.py"

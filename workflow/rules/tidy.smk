rule tidy_source:
    input:
        pointer="data/raw/{source}/current.json",
    output:
        table="data/processed/tables/{source}.parquet",
        meta="data/processed/tables/{source}.meta.json",
    log:
        "logs/tidy_source/{source}.log",
    script:
        "../scripts/tidy_source.py"

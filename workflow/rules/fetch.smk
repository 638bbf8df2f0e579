rule fetch_source:
    # Runs when data/raw/<source>/current.json is missing, or when forced (make refresh).
    # Raw snapshots themselves are never outputs: Snakemake must not delete them on failure.
    output:
        pointer="data/raw/{source}/current.json",
    params:
        entry=lambda wc: SOURCES[wc.source],
        base_urls={"cbs_odata4_url": config["cbs_odata4_url"], "cbs_odata3_url": config["cbs_odata3_url"]},
        http=http_settings(),
    log:
        "logs/fetch_source/{source}.log",
    script:
        "../scripts/fetch_source.py"

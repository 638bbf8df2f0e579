checkpoint fetch_source:
    # Runs when data/raw/<source>/current.json is missing, when forced (make refresh), or when what the
    # claims need from the source changed. It is a checkpoint so that tidy_source can depend on the
    # snapshot's own (immutable) manifest: a refresh that finds nothing new reruns nothing downstream.
    output:
        pointer="data/raw/{source}/current.json",
    params:
        # config["refresh"] is read by the adapter, not passed as a param: a changed param makes
        # Snakemake rerun the fetch and everything after it, which a refresh must not do.
        entry=lambda wc: SOURCES[wc.source],
        needs=lambda wc: NEEDS.get(wc.source, {}),
        base_urls={k: config[k] for k in ("cbs_odata4_url", "cbs_odata3_url", "cbs_dataderden_url", "cbs_csv_url", "files_mirror_url")},
        http=http_settings(),
        on_unavailable=config["unavailable_sources"],
        # the snapshots shipped with the code: a fresh clone builds its site from them without a network
        bundle_dir="data/bundle",
    resources:
        cbs_api=1,  # with --resources cbs_api=N (workflow/profiles/default): at most N sources at once
    log:
        "logs/fetch_source/{source}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/fetch_source.py"

rule recompute_claims:
    input:
        unpack(theme_tables),
        claims=f"{CLAIMS_DIR}/{{theme}}.yaml",
        sources="config/sources.yaml",
        # a dossier-period figure that moved since the accepted baseline is 'revised'
        baseline=baseline_if_any,
        # the index of the snapshots shipped with the code: figures read from them say so on the pages
        bundle=bundle_if_any,
    output:
        csv="data/processed/claims/{theme}.csv",
        json="data/processed/claims/{theme}.json",
    params:
        # dossiers/<slug>/dossier.yaml's date: a changed date reruns every theme
        dossier_date=DOSSIER_DATE,
        qualifiers=config["qualifiers"],
        sources=lambda wc: theme_sources(wc.theme),
        # earlier snapshots of a table may show that the source revised a figure since the text
        raw_dir="data/raw",
    log:
        "logs/recompute_claims/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/recompute_claims.py"

rule recompute_claims:
    input:
        unpack(theme_tables),
        claims="dossiers/{dossier}/claims/{theme}.yaml",
        sources="config/sources.yaml",
        # a dossier-period figure that moved since the accepted baseline is 'revised'
        baseline=baseline_if_any,
        # the index of the snapshots shipped with the code: figures read from them say so on the pages
        bundle=bundle_if_any,
    output:
        csv="data/processed/{dossier}/claims/{theme}.csv",
        json="data/processed/{dossier}/claims/{theme}.json",
    params:
        # dossiers/<slug>/dossier.yaml's date: a changed date reruns every theme of that dossier
        dossier_date=lambda wc: dossier_date(wc.dossier),
        qualifiers=config["qualifiers"],
        sources=lambda wc: theme_sources(wc.dossier, wc.theme),
        # earlier snapshots of a table may show that the source revised a figure since the text
        raw_dir="data/raw",
    log:
        "logs/recompute_claims/{dossier}/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/recompute_claims.py"

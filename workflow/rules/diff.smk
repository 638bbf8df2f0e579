rule record_run:
    # this run's figures of one dossier, kept under data/runs/<dossier>/<run_id>/ too (the id comes from
    # the snapshots and claims)
    input:
        claims=claims_of("json"),
        metas=metas_of,
        registry=lambda wc: [f"dossiers/{wc.dossier}/claims/{t}.yaml" for t in themes(wc.dossier)],
    output:
        figures="data/processed/{dossier}/run/figures.csv",
        run="data/processed/{dossier}/run/run.json",
    params:
        runs_root=lambda wc: f"data/runs/{wc.dossier}",
    log:
        "logs/record_run/{dossier}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/record_run.py"


rule diff_baseline:
    # the current run against dossiers/<dossier>/baseline/figures.csv (all figures are "added" until one
    # is accepted)
    input:
        figures="data/processed/{dossier}/run/figures.csv",
        baseline=baseline_if_any,
    output:
        md="data/processed/{dossier}/diff/baseline.md",
        json="data/processed/{dossier}/diff/baseline.json",
        html="data/processed/{dossier}/diff/baseline.html",
        txt="data/processed/{dossier}/diff/baseline.txt",
    params:
        baseline=lambda wc: str(PATHS[wc.dossier].baseline),
    log:
        "logs/diff_baseline/{dossier}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/diff_baseline.py"


rule diff_theme:
    # one theme's figures against the accepted baseline: its page depends on its own figures only
    input:
        claims="data/processed/{dossier}/claims/{theme}.json",
        baseline=baseline_if_any,
    output:
        json="data/processed/{dossier}/diff/themes/{theme}.json",
    params:
        baseline=lambda wc: str(PATHS[wc.dossier].baseline),
    log:
        "logs/diff_theme/{dossier}/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/diff_theme.py"

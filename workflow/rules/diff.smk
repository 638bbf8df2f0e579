rule record_run:
    # this run's figures of one dossier, kept under data/runs/<dossier>/<run_id>/ too (the id comes from
    # the snapshots and claims), and compared with dossiers/<dossier>/baseline/figures.csv (every figure is
    # "added" until one is accepted): data/processed/<dossier>/diff/baseline.{md,json,html,txt}
    input:
        claims=claims_of("json"),
        metas=metas_of,
        registry=lambda wc: [f"dossiers/{wc.dossier}/claims/{t}.yaml" for t in themes(wc.dossier)],
        baseline=baseline_if_any,
    output:
        figures="data/processed/{dossier}/run/figures.csv",
        run="data/processed/{dossier}/run/run.json",
        md="data/processed/{dossier}/diff/baseline.md",
        json="data/processed/{dossier}/diff/baseline.json",
        html="data/processed/{dossier}/diff/baseline.html",
        txt="data/processed/{dossier}/diff/baseline.txt",
    params:
        runs_root=lambda wc: f"data/runs/{wc.dossier}",
        baseline=lambda wc: str(PATHS[wc.dossier].baseline),
    log:
        "logs/record_run/{dossier}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/record_run.py"

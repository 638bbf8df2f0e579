rule record_run:
    # this run's figures, kept under data/runs/<run_id>/ too (the id comes from the snapshots and claims)
    input:
        claims=expand("data/processed/claims/{theme}.json", theme=THEMES),
        metas=expand("data/processed/tables/{source}.meta.json", source=sorted(SOURCES)),
        registry=expand(f"{CLAIMS_DIR}/{{theme}}.yaml", theme=THEMES),
    output:
        figures="data/processed/run/figures.csv",
        run="data/processed/run/run.json",
    params:
        runs_root="data/runs",
    log:
        "logs/record_run/run.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/record_run.py"


rule diff_baseline:
    # the current run against dossiers/<slug>/baseline/figures.csv (all figures are "added" until one is accepted)
    input:
        figures="data/processed/run/figures.csv",
        baseline=baseline_if_any,
    output:
        md="data/processed/diff/baseline.md",
        json="data/processed/diff/baseline.json",
        html="data/processed/diff/baseline.html",
        txt="data/processed/diff/baseline.txt",
    params:
        baseline=BASELINE,
    log:
        "logs/diff_baseline/baseline.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/diff_baseline.py"


rule diff_theme:
    # one theme's figures against the accepted baseline: its report depends on its own figures only
    input:
        claims="data/processed/claims/{theme}.json",
        baseline=baseline_if_any,
    output:
        json="data/processed/diff/themes/{theme}.json",
    params:
        baseline=BASELINE,
    log:
        "logs/diff_theme/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/diff_theme.py"

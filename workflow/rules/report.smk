rule write_report_fragments:
    input:
        claims="data/processed/claims/{theme}.json",
        diff="data/processed/diff/themes/{theme}.json",  # marks figures moved since the accepted baseline
    output:
        fragment="reports/_generated/{theme}/claims.md",
        figures=directory("reports/_generated/{theme}/figures"),
    params:
        # how the .qmd (in reports/) refers to the figures
        figures_href=lambda wc: f"_generated/{wc.theme}/figures",
    log:
        "logs/write_report_fragments/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_report_fragments.py"


rule render_report:
    input:
        qmd="reports/{theme}.qmd",
        fragment="reports/_generated/{theme}/claims.md",
        figures="reports/_generated/{theme}/figures",
        css="reports/style/report.css",
    output:
        html="reports/_output/{theme}.html",
    params:
        renderer=config["renderer"],
    log:
        "logs/render_report/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/render_report.py"


rule write_overview:
    input:
        claims=expand("data/processed/claims/{theme}.json", theme=THEMES),
        metas=expand("data/processed/tables/{source}.meta.json", source=sorted(SOURCES)),
        diff="data/processed/diff/baseline.html",
    output:
        fragment="reports/_generated/index/overview.md",
    log:
        "logs/write_overview/index.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_overview.py"


rule render_overview:
    input:
        qmd="reports/index.qmd",
        fragment="reports/_generated/index/overview.md",
        css="reports/style/report.css",
    output:
        html="reports/_output/index.html",
    params:
        renderer=config["renderer"],
    log:
        "logs/render_report/index.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/render_report.py"

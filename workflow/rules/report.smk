rule write_report_fragments:
    input:
        claims="data/processed/claims/{theme}.json",
    output:
        fragment="reports/_generated/{theme}/claims.md",
        figures=directory("reports/_generated/{theme}/figures"),
    params:
        # how the .qmd (in reports/) refers to the figures
        figures_href=lambda wc: f"_generated/{wc.theme}/figures",
    log:
        "logs/write_report_fragments/{theme}.log",
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
    script:
        "../scripts/render_report.py"

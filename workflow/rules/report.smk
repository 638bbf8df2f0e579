# The reports are one website, reports/_site/: the overview (index), one page per theme and "Bronnen en
# methode" (bronnen), each rendered on its own so a changed source re-renders only its themes' pages.
# Every page shares reports/_quarto.yml (navigation), the stylesheet and the copy-link script.
SITE_SHARED = ["reports/_quarto.yml", "reports/style/report.css", "reports/style/site.js", "reports/_includes/copy-link.html"]


rule write_report_fragments:
    input:
        claims="data/processed/claims/{theme}.json",
        csv="data/processed/claims/{theme}.csv",  # offered for download on the theme's page
        diff="data/processed/diff/themes/{theme}.json",  # marks figures moved since the accepted baseline
    output:
        fragment="reports/_generated/{theme}/claims.md",
        summary="reports/_generated/{theme}/summary.md",  # the top of the page: counts, table, legend
        figures=directory("reports/_generated/{theme}/figures"),
        downloads=directory("reports/_generated/{theme}/downloads"),
    params:
        # how the .qmd (in reports/) refers to the generated files
        href=lambda wc: f"_generated/{wc.theme}",
    log:
        "logs/write_report_fragments/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_report_fragments.py"


rule render_report:
    input:
        SITE_SHARED,
        qmd="reports/{theme}.qmd",
        fragment="reports/_generated/{theme}/claims.md",
        summary="reports/_generated/{theme}/summary.md",
        figures="reports/_generated/{theme}/figures",
        downloads="reports/_generated/{theme}/downloads",
    output:
        html="reports/_site/{theme}.html",
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
        diff="data/processed/diff/baseline.json",
    output:
        fragment="reports/_generated/index/overview.md",
        figures=directory("reports/_generated/index/figures"),
    log:
        "logs/write_overview/index.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_overview.py"


rule write_sources_page:
    input:
        claims=expand("data/processed/claims/{theme}.json", theme=THEMES),
        metas=expand("data/processed/tables/{source}.meta.json", source=sorted(SOURCES)),
        sources="config/sources.yaml",
        config="config/config.yaml",
    output:
        fragment="reports/_generated/bronnen/bronnen.md",
    log:
        "logs/write_sources_page/bronnen.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_sources_page.py"


rule render_overview:
    input:
        SITE_SHARED,
        qmd="reports/index.qmd",
        fragment="reports/_generated/index/overview.md",
        figures="reports/_generated/index/figures",
    output:
        html="reports/_site/index.html",
    params:
        renderer=config["renderer"],
    log:
        "logs/render_report/index.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/render_report.py"


rule render_sources_page:
    input:
        SITE_SHARED,
        qmd="reports/bronnen.qmd",
        fragment="reports/_generated/bronnen/bronnen.md",
    output:
        html="reports/_site/bronnen.html",
    params:
        renderer=config["renderer"],
    log:
        "logs/render_report/bronnen.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/render_report.py"


rule write_changes_page:
    # "Wijzigingen": every accepted baseline and what it changed (dossiers/<slug>/baseline/history.json)
    input:
        claims=expand("data/processed/claims/{theme}.json", theme=THEMES),
        history=history_if_any,
    output:
        fragment="reports/_generated/wijzigingen/wijzigingen.md",
    log:
        "logs/write_changes_page/wijzigingen.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_changes_page.py"


rule render_changes_page:
    input:
        SITE_SHARED,
        qmd="reports/wijzigingen.qmd",
        fragment="reports/_generated/wijzigingen/wijzigingen.md",
    output:
        html="reports/_site/wijzigingen.html",
    params:
        renderer=config["renderer"],
    log:
        "logs/render_report/wijzigingen.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/render_report.py"

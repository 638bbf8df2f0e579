# The reports are one website, reports/_site/: a landing page listing every dossier, then per dossier
# (reports/_site/<dossier>/) its overview (index), one page per theme, "Bronnen en methode" (bronnen) and
# "Wijzigingen". The pages (.qmd) and the Quarto project (reports/_quarto.yml) are generated from each
# dossiers/<dossier>/dossier.yaml (rule write_site); each page includes Markdown its own rule writes from the
# claims, and is rendered on its own, so a changed source re-renders only the pages of its themes.
SITE_ASSETS = ["reports/style/report.css", "reports/_includes/copy-link.html"]


rule write_site:
    # the Quarto project and every page of every dossier, from their dossier.yaml (titles, intros, themes)
    input:
        dossiers=every_dossier("dossiers/{dossier}/dossier.yaml"),
    output:
        project="reports/_quarto.yml",
        landing="reports/index.qmd",
        pages=dossier_qmds(),
    params:
        dossiers=DOSSIERS,
        site_title=config["site_title"],
    log:
        "logs/write_site/site.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_site.py"


rule write_landing:
    # the landing page's list: every dossier with its counts (figures, recomputed, to correct)
    input:
        claims=every_dossier("data/processed/{dossier}/claims/{theme}.json"),
        dossiers=every_dossier("dossiers/{dossier}/dossier.yaml"),
    output:
        fragment="reports/_generated/landing.md",
    params:
        dossiers=DOSSIERS,
    log:
        "logs/write_landing/landing.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_landing.py"


rule write_report_fragments:
    input:
        claims="data/processed/{dossier}/claims/{theme}.json",
        csv="data/processed/{dossier}/claims/{theme}.csv",  # offered for download on the theme's page
        diff="data/processed/{dossier}/diff/themes/{theme}.json",  # marks figures moved since the baseline
    output:
        fragment="reports/{dossier}/_generated/{theme}/claims.md",
        summary="reports/{dossier}/_generated/{theme}/summary.md",  # the top of the page: counts, table, legend
        figures=directory("reports/{dossier}/_generated/{theme}/figures"),
        downloads=directory("reports/{dossier}/_generated/{theme}/downloads"),
    params:
        # how the page (reports/<dossier>/<theme>.qmd) refers to the generated files
        href=lambda wc: f"_generated/{wc.theme}",
    log:
        "logs/write_report_fragments/{dossier}/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_report_fragments.py"


rule write_overview:
    input:
        claims=claims_of("json"),
        diff="data/processed/{dossier}/diff/baseline.json",
    output:
        fragment="reports/{dossier}/_generated/index/overview.md",
        figures=directory("reports/{dossier}/_generated/index/figures"),
    log:
        "logs/write_overview/{dossier}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_overview.py"


rule write_sources_page:
    input:
        claims=claims_of("json"),
        metas=metas_of,
        sources="config/sources.yaml",
        config="config/config.yaml",
    output:
        fragment="reports/{dossier}/_generated/bronnen/bronnen.md",
    log:
        "logs/write_sources_page/{dossier}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_sources_page.py"


rule write_changes_page:
    # "Wijzigingen": every accepted baseline and what it changed (dossiers/<dossier>/baseline/history.json)
    input:
        claims=claims_of("json"),
        history=history_if_any,
    output:
        fragment="reports/{dossier}/_generated/wijzigingen/wijzigingen.md",
    log:
        "logs/write_changes_page/{dossier}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_changes_page.py"


rule render_page:
    input:
        SITE_ASSETS,
        unpack(page_fragments),
        project="reports/_quarto.yml",
        qmd="reports/{dossier}/{page}.qmd",
    output:
        html="reports/_site/{dossier}/{page}.html",
    params:
        renderer=config["renderer"],
    log:
        "logs/render_report/{dossier}/{page}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/render_report.py"


rule render_landing:
    input:
        SITE_ASSETS,
        project="reports/_quarto.yml",
        qmd="reports/index.qmd",
        fragment="reports/_generated/landing.md",
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

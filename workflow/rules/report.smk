# The reports are one website, reports/_site/: a landing page listing every dossier, then per dossier
# (reports/_site/<dossier>/) its overview (index), one page per theme, "Bronnen en methode" (bronnen) and
# "Wijzigingen". The pages (.qmd) and the Quarto project (reports/_quarto.yml) are generated from each
# dossiers/<dossier>/dossier.yaml (rule write_site); each page includes Markdown its own rule writes from the
# claims; rule render_site renders the pages whose inputs changed, so a changed source re-renders only the
# pages that show its figures.
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
    # one theme's page: its figures against the accepted baseline (kept as diff/themes/<theme>.json; the page
    # marks what moved), then the Markdown, charts and downloads its page includes
    input:
        claims="data/processed/{dossier}/claims/{theme}.json",
        csv="data/processed/{dossier}/claims/{theme}.csv",  # offered for download on the theme's page
        baseline=baseline_if_any,
    output:
        diff="data/processed/{dossier}/diff/themes/{theme}.json",
        fragment="reports/{dossier}/_generated/{theme}/claims.md",
        summary="reports/{dossier}/_generated/{theme}/summary.md",  # the top of the page: counts, table, legend
        figures=directory("reports/{dossier}/_generated/{theme}/figures"),
        downloads=directory("reports/{dossier}/_generated/{theme}/downloads"),
    params:
        # how the page (reports/<dossier>/<theme>.qmd) refers to the generated files
        href=lambda wc: f"_generated/{wc.theme}",
        baseline=lambda wc: str(PATHS[wc.dossier].baseline),
    log:
        "logs/write_report_fragments/{dossier}/{theme}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_report_fragments.py"


rule write_dossier_pages:
    # what a dossier's overview, "Bronnen en methode" and "Wijzigingen" include (all three follow its claims)
    input:
        claims=claims_of("json"),
        diff="data/processed/{dossier}/diff/baseline.json",
        metas=metas_of,
        sources="config/sources.yaml",
        config="config/config.yaml",
        history=history_if_any,  # every accepted baseline and what it changed (dossiers/<dossier>/baseline/)
    output:
        overview="reports/{dossier}/_generated/index/overview.md",
        figures=directory("reports/{dossier}/_generated/index/figures"),
        sources="reports/{dossier}/_generated/bronnen/bronnen.md",
        changes="reports/{dossier}/_generated/wijzigingen/wijzigingen.md",
    log:
        "logs/write_dossier_pages/{dossier}.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/write_dossier_pages.py"


rule render_site:
    # every page of the site in one job: only the pages whose inputs changed since they were last rendered
    # are rendered again (reports/_site/.rendered.json keeps what each was made from), with pandoc a few at a
    # time, with Quarto in one Quarto process (its start-up is paid once, not once per page)
    input:
        SITE_ASSETS,
        site_fragments(),
        project="reports/_quarto.yml",
        qmds=["reports/index.qmd", *dossier_qmds()],
    output:
        stamp="reports/_site/.rendered.json",
    params:
        renderer=config["renderer"],
        shared=SITE_ASSETS + ["reports/_quarto.yml"],
    threads: workflow.cores
    log:
        "logs/render_site/site.log",
    conda:
        "../envs/dossiercheck.yaml"
    script:
        "../scripts/render_site.py"

# dossiercheck: recompute the figures every dossier under dossiers/ quotes (config's 'dossiers' says which),
# and publish one site with a page per theme of each.
#
#   snakemake --cores 2            everything: fetch, tidy, recompute, report   (or: make run)
#   snakemake --cores 2 -n         what would run, and why
#   snakemake --cores 2 --forcerun fetch_source     ask the sources again (make refresh)
#
# Rules live in workflow/rules/, each calls one function of the installed dossiercheck package
# through a short adapter in workflow/scripts/.

import sys

from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/fetch.smk"
include: "workflow/rules/tidy.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/diff.smk"


rule all:
    # everything: the claims of every theme of every dossier and the whole site
    input:
        every_dossier("data/processed/{dossier}/claims/{theme}.csv"),
        "reports/_site/.rendered.json",  # every page: reports/_site/index.html, reports/_site/<dossier>/
        every_dossier("data/processed/{dossier}/diff/baseline.md"),
    default_target: True


rule check:
    # everything but the site: fetch, tidy, validate and recompute every claim of every dossier
    input:
        every_dossier("data/processed/{dossier}/claims/{theme}.csv"),
        every_dossier("data/processed/{dossier}/run/figures.csv"),


rule diff:
    # each dossier's figures against its accepted baseline: data/processed/<dossier>/diff/baseline.{md,json,html,txt}
    input:
        every_dossier("data/processed/{dossier}/diff/baseline.md"),


onerror:
    # Snakemake has printed an error block per failed job; end with one summary an analyst can act on.
    from dossiercheck.logs import failure_summary

    print("\n" + (failure_summary() or "dossiercheck: the run stopped; see the error above."), file=sys.stderr)


onsuccess:
    # A run that read snapshots shipped with the code, or went on without some sources, says so last.
    from dossiercheck.logs import success_summary

    summary = success_summary()
    if summary:
        print(f"\n{summary}", file=sys.stderr)

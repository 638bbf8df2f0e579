# dossiercheck: recompute the figures of Movisie's dossier "Bestaanszekerheid, meer dan geld".
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
    # everything: the claims of every theme and their rendered reports
    input:
        expand("data/processed/claims/{theme}.csv", theme=THEMES),
        expand("reports/_site/{theme}.html", theme=THEMES),
        "reports/_site/index.html",
        "reports/_site/bronnen.html",
        "reports/_site/wijzigingen.html",
        "data/processed/diff/baseline.md",
    default_target: True


rule check:
    # everything but the rendered reports: fetch, tidy, validate and recompute every claim
    input:
        expand("data/processed/claims/{theme}.csv", theme=THEMES),
        "data/processed/run/figures.csv",


rule diff:
    # the current figures against the accepted baseline: data/processed/diff/baseline.{md,json,html,txt}
    input:
        "data/processed/diff/baseline.md",


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

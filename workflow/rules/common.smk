# The claim registries drive the DAG: each dossier is a folder (dossiers/<slug>/: dossier.yaml, claims/,
# baseline/), its themes are its claim files, the sources are what they name. config's 'dossiers' says which
# folders a run checks; a source two dossiers read is fetched and tidied once.
from pathlib import Path

from dossiercheck.registry import check_registry, claim_sources, needs_by_source
from dossiercheck.configcheck import load_checked
from dossiercheck.dossier import check_themes, dossier_paths, load_dossier, page_names, selected_slugs
from dossiercheck.errors import RegistryError
from dossiercheck.snapshot import pointed_manifest


def _load_validated(path, schema):
    """The file read with libyaml, checked against its schema (errors name the claim or source, the field
    and the valid choices) and completed with the schema's defaults (configcheck.load_checked)."""
    try:
        return load_checked(path, Path(workflow.basedir) / "workflow" / "schemas" / Path(schema).name)
    except RegistryError as e:
        raise ValueError(f"{e}\nNothing was fetched or changed: fix the file and run again.") from None


SOURCES = _load_validated("config/sources.yaml", "../schemas/sources.schema.yaml")
try:
    DOSSIERS = selected_slugs(config["dossiers"])
except RegistryError as e:
    raise ValueError(f"{e}\nNothing was fetched or changed: fix config/config.yaml and run again.") from None
PATHS = {d: dossier_paths(d) for d in DOSSIERS}
INFO = {}  # slug -> dossier.yaml, checked
REGISTRY = {}  # slug -> theme -> its claims file, checked
for _d in DOSSIERS:
    REGISTRY[_d] = {
        p.stem: _load_validated(p, "../schemas/claims.schema.yaml")
        for p in sorted(PATHS[_d].claims.glob("[0-9][0-9]_*.yaml"))
    }
    try:
        INFO[_d] = load_dossier(
            _d, schema_file=Path(workflow.basedir) / "workflow" / "schemas" / "dossier.schema.yaml"
        )
        check_themes(INFO[_d], sorted(REGISTRY[_d]), str(PATHS[_d].file))
    except RegistryError as e:
        raise ValueError(f"{e}\nNothing was fetched or changed: fix the file and run again.") from None
    for _theme, _reg in REGISTRY[_d].items():
        _where = f"{PATHS[_d].claims}/{_theme}.yaml"
        if _reg["theme"] != _theme:
            raise ValueError(f"{_where} says theme: {_reg['theme']}; it must match the file name.")
        try:  # everything the configuration alone can tell, before anything is fetched
            check_registry(_reg, _where, SOURCES, config["qualifiers"], INFO[_d]["date"].isoformat())
        except RegistryError as e:
            raise ValueError(f"{e}\nNothing was fetched or changed: fix the claim and run again.") from None


def themes(dossier):
    """A dossier's themes in its dossier.yaml's order (the order of its pages)."""
    return [t["id"] for t in INFO[dossier]["themes"]]


def dossier_date(dossier):
    """dossiers/<slug>/dossier.yaml's date: every 'period: dossier' claim of it is judged against it."""
    return INFO[dossier]["date"].isoformat()


def dossier_sources(dossier):
    """The sources a dossier's claims read (only these are fetched for it)."""
    return sorted({s for theme in REGISTRY[dossier] for s in theme_sources(dossier, theme)})


NEEDS = needs_by_source([reg for d in DOSSIERS for reg in REGISTRY[d].values()])

BUNDLE_INDEX = "data/bundle/BUNDLE.json"  # the snapshots shipped with the code (`make bundle`)


wildcard_constraints:
    source="|".join(sorted(SOURCES)),
    dossier="|".join(DOSSIERS),
    theme="|".join(sorted({t for d in DOSSIERS for t in REGISTRY[d]})),


def theme_sources(dossier, theme):
    """The sources one theme's claims read."""
    return sorted({source for c in REGISTRY[dossier][theme]["claims"] for source, _ in claim_sources(c)})


def theme_tables(wildcards):
    srcs = theme_sources(wildcards.dossier, wildcards.theme)
    return {
        **{f"table_{s}": f"data/processed/tables/{s}.parquet" for s in srcs},
        **{f"meta_{s}": f"data/processed/tables/{s}.meta.json" for s in srcs},
    }



def current_manifest(wildcards):
    """The manifest of the snapshot fetch_source chose. Snapshots never change once written, so its
    timestamp changes only when a new snapshot is taken: that, not a rewritten pointer, reruns tidy.
    A pointer edited to lead outside data/raw/<source>/ is refused (snapshot.pointed_manifest)."""
    pointer = checkpoints.fetch_source.get(source=wildcards.source).output.pointer
    manifest = pointed_manifest(pointer)
    if manifest is None:  # unavailable, recorded as such (unavailable_sources: report)
        return pointer
    return str(manifest)


def http_settings():
    """The http_* config keys as HttpSettings arguments."""
    return {
        "connect_timeout": float(config["http_connect_timeout"]),
        "read_timeout": float(config["http_read_timeout"]),
        "retries": int(config["http_retries"]),
        "backoff": float(config["http_backoff"]),
    }


def bundle_if_any(wildcards):
    """The shipped bundle's index as an input when the repository has one."""
    return [BUNDLE_INDEX] if Path(BUNDLE_INDEX).is_file() else []


def history_if_any(wildcards):
    """The history of the dossier's accepted baselines, when there is one."""
    path = PATHS[wildcards.dossier].history
    return [str(path)] if path.is_file() else []


def baseline_if_any(wildcards):
    """The dossier's accepted baseline as an input when there is one; before the first accept, nothing."""
    path = PATHS[wildcards.dossier].baseline
    return [str(path)] if path.is_file() else []


def claims_of(ext):
    """An input function: every theme's claims (.json or .csv) of the wildcard's dossier."""
    return lambda wc: [f"data/processed/{wc.dossier}/claims/{t}.{ext}" for t in themes(wc.dossier)]


def metas_of(wildcards):
    """The tidy tables' metadata of the sources the wildcard's dossier reads."""
    return [f"data/processed/tables/{s}.meta.json" for s in dossier_sources(wildcards.dossier)]


def every_dossier(pattern):
    """``pattern`` (with {dossier} and, if it names it, {theme}) for every theme of every dossier checked."""
    if "{theme}" in pattern:
        return [pattern.format(dossier=d, theme=t) for d in DOSSIERS for t in themes(d)]
    return [pattern.format(dossier=d) for d in DOSSIERS]


def dossier_qmds():
    """Every page (.qmd) rule write_site generates for the dossiers checked."""
    return [f"reports/{d}/{p}.qmd" for d in DOSSIERS for p in page_names(INFO[d])]


def page_fragments(dossier, page):
    """What a dossier's page includes: its generated Markdown and the charts and downloads beside it."""
    base = f"reports/{dossier}/_generated"
    if page == "index":
        return [f"{base}/index/overview.md", f"{base}/index/figures"]
    if page in ("bronnen", "wijzigingen"):
        return [f"{base}/{page}/{page}.md"]
    return [f"{base}/{page}/{name}" for name in ("claims.md", "summary.md", "figures", "downloads")]


def site_fragments():
    """What every page of the site includes, the landing page's list first."""
    return ["reports/_generated/landing.md"] + [
        f for d in DOSSIERS for p in page_names(INFO[d]) for f in page_fragments(d, p)
    ]

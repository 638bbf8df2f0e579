# The claim registry drives the DAG: the themes are the claim files, the sources are what they name.
# The dossier is a folder (dossiers/<slug>/, named by config's 'dossier'): dossier.yaml, claims/, baseline/.
from pathlib import Path

from dossiercheck.registry import check_registry, claim_sources, needs_by_source
from dossiercheck.configcheck import load_checked
from dossiercheck.dossier import check_themes, dossier_paths, load_dossier
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
DOSSIER = dossier_paths(config["dossier"])
CLAIMS_DIR = str(DOSSIER.claims)
REGISTRY = {
    p.stem: _load_validated(p, "../schemas/claims.schema.yaml")
    for p in sorted(Path(CLAIMS_DIR).glob("[0-9][0-9]_*.yaml"))
}
THEMES = sorted(REGISTRY)
try:  # its date is the one every 'period: dossier' claim is judged against
    _info = load_dossier(
        config["dossier"], schema_file=Path(workflow.basedir) / "workflow" / "schemas" / "dossier.schema.yaml"
    )
    check_themes(_info, THEMES, str(DOSSIER.file))
except RegistryError as e:
    raise ValueError(f"{e}\nNothing was fetched or changed: fix the file and run again.") from None
DOSSIER_DATE = _info["date"].isoformat()

for _theme, _reg in REGISTRY.items():
    if _reg["theme"] != _theme:
        raise ValueError(f"{CLAIMS_DIR}/{_theme}.yaml says theme: {_reg['theme']}; it must match the file name.")
    try:  # everything the configuration alone can tell, before anything is fetched
        check_registry(_reg, f"{CLAIMS_DIR}/{_theme}.yaml", SOURCES, config["qualifiers"], DOSSIER_DATE)
    except RegistryError as e:
        raise ValueError(f"{e}\nNothing was fetched or changed: fix the claim and run again.") from None


NEEDS = needs_by_source(list(REGISTRY.values()))
BASELINE = str(DOSSIER.baseline)  # changed only by `dossiercheck baseline accept`
HISTORY = str(DOSSIER.history)  # every acceptance and what it changed (page "Wijzigingen")
BUNDLE_INDEX = "data/bundle/BUNDLE.json"  # the snapshots shipped with the code (`make bundle`)


wildcard_constraints:
    source="|".join(sorted(SOURCES)),
    theme="|".join(THEMES),


def theme_sources(theme):
    return sorted({source for c in REGISTRY[theme]["claims"] for source, _ in claim_sources(c)})


def theme_tables(wildcards):
    srcs = theme_sources(wildcards.theme)
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
    """The history of accepted baselines, when there is one."""
    return [HISTORY] if Path(HISTORY).is_file() else []


def baseline_if_any(wildcards):
    """The accepted baseline as an input when there is one; before the first accept, nothing."""
    return [BASELINE] if Path(BASELINE).is_file() else []

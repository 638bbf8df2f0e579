# The claim registry drives the DAG: the themes are the claim files, the sources are what they name.
import json
from pathlib import Path

import yaml

from dossiercheck.claims import needs_by_source


def _load_validated(path, schema):
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except yaml.YAMLError as e:
        raise ValueError(f"{path} is not valid YAML, so nothing was run. Fix the file and run again.\n{e}") from None
    validate(data, schema)
    return data


SOURCES = _load_validated("config/sources.yaml", "../schemas/sources.schema.yaml")
REGISTRY = {
    p.stem: _load_validated(p, "../schemas/claims.schema.yaml")
    for p in sorted(Path("config/claims").glob("[0-9][0-9]_*.yaml"))
}
THEMES = sorted(REGISTRY)

for _theme, _reg in REGISTRY.items():
    if _reg["theme"] != _theme:
        raise ValueError(f"config/claims/{_theme}.yaml says theme: {_reg['theme']}; it must match the file name.")
    for _claim in _reg["claims"]:
        if _claim.get("recomputable", True) and _claim["source"] not in SOURCES:
            raise ValueError(
                f"config/claims/{_theme}.yaml, claim {_claim['id']}: source {_claim['source']!r} is not in "
                f"config/sources.yaml (it has: {', '.join(sorted(SOURCES))}). Add it there or fix the claim."
            )


NEEDS = needs_by_source(list(REGISTRY.values()))
BASELINE = "config/baseline/figures.csv"  # changed only by `dossiercheck baseline accept`


wildcard_constraints:
    source="|".join(sorted(SOURCES)),
    theme="|".join(THEMES),


def theme_sources(theme):
    return sorted({c["source"] for c in REGISTRY[theme]["claims"] if c.get("recomputable", True)})


def theme_tables(wildcards):
    srcs = theme_sources(wildcards.theme)
    return {
        **{f"table_{s}": f"data/processed/tables/{s}.parquet" for s in srcs},
        **{f"meta_{s}": f"data/processed/tables/{s}.meta.json" for s in srcs},
    }



def current_manifest(wildcards):
    """The manifest of the snapshot fetch_source chose. Snapshots never change once written, so its
    timestamp changes only when a new snapshot is taken: that, not a rewritten pointer, reruns tidy."""
    pointer = checkpoints.fetch_source.get(source=wildcards.source).output.pointer
    with open(pointer, encoding="utf-8") as f:
        snapshot = json.load(f)["snapshot_dir"]
    if snapshot is None:  # unavailable, recorded as such (unavailable_sources: report)
        return pointer
    return f"data/raw/{wildcards.source}/{snapshot}/manifest.json"


def http_settings():
    """The http_* config keys as HttpSettings arguments."""
    return {
        "connect_timeout": float(config["http_connect_timeout"]),
        "read_timeout": float(config["http_read_timeout"]),
        "retries": int(config["http_retries"]),
        "backoff": float(config["http_backoff"]),
    }


def baseline_if_any(wildcards):
    """The accepted baseline as an input when there is one; before the first accept, nothing."""
    return [BASELINE] if Path(BASELINE).is_file() else []

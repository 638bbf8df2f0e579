"""Makes the dossiercheck package importable in a rule's job: installed (make run's .venv), or, in the conda
environment of workflow/envs/dossiercheck.yaml (snakemake --sdm conda, e.g. on a cluster node), from this
workflow's own src/. Snakemake puts this folder on sys.path and sets __file__ to the script's real path."""

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("dossiercheck") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

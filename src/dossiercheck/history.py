"""What can happen to a figure between two runs (the closed vocabulary every diff, page and summary
uses), and the record of accepted baselines (dossiers/<slug>/baseline/history.json). Kept apart from
``dossiercheck.diff``, which needs pandas to compare runs: a page that only names a change, or lists the
accepted baselines, does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The closed vocabulary of what can happen to a figure between two runs, and what each means.
CLASSES = {
    "unchanged": "hetzelfde cijfer",
    "within_tolerance": "binnen de afronding van het dossier veranderd",
    "revised": "herzien: zelfde periode, ander cijfer",
    "new_period": "een nieuwere periode",
    "provisional_became_definitive": "voorlopig cijfer is definitief geworden",
    "definitive_became_provisional": "definitief cijfer is weer voorlopig",
    "source_replaced": "uit een andere (opvolgende) tabel",
    "status_changed": "het oordeel over de uitspraak is veranderd",
    "added": "nieuw cijfer",
    "removed": "cijfer verdwenen",
}
NOT_MATERIAL = {"unchanged", "within_tolerance"}


def read_history(path: Path | None) -> list[dict[str, Any]]:
    if not path or not Path(path).is_file():
        return []
    return json.loads(Path(path).read_text(encoding="utf-8"))

"""The second dossier shipped as an example: CBS's news release "Inflatie 3,3 procent in 2024"
(dossiers/cbs-inflatie-2024/). It validates, its theme is its claim file, and every number in its text is a
claim or listed as not a figure."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

import jsonschema
import yaml
from conftest import ROOT, shared_path

from dossiercheck.claims import load_registry
from dossiercheck.dossier import load_dossier
from dossiercheck.scan import scan

SLUG = "cbs-inflatie-2024"
FOLDER = ROOT / "dossiers" / SLUG
SCHEMAS = ROOT / "workflow" / "schemas"


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_dossier_yaml_validates_with_the_release_date_and_one_theme():
    info = load_dossier(SLUG, ROOT, SCHEMAS / "dossier.schema.yaml")
    # the release's front matter: published 15 January 2025 by CBS
    assert info["date"] == date(2025, 1, 15) and info["publisher"] == "CBS"
    assert info["title"] == "Inflatie 3,3 procent in 2024"
    assert [t["id"] for t in info["themes"]] == ["01_inflatie"]
    assert sorted(p.name for p in (FOLDER / "claims").iterdir()) == ["01_inflatie.yaml"]
    # the text is read from ../shared, never kept in the folder
    assert PurePosixPath(info["text"]) == PurePosixPath("../shared/documents/cbs-inflatie-2024/text.md")
    assert sorted(p.name for p in FOLDER.iterdir()) == ["claims", "dossier.yaml", "not_figures.yaml"]


def test_the_claims_validate_and_every_figure_is_recomputed_or_says_why_not():
    reg = load(FOLDER / "claims" / "01_inflatie.yaml")
    jsonschema.validate(reg, load(SCHEMAS / "claims.schema.yaml"))
    load_registry(FOLDER / "claims" / "01_inflatie.yaml")  # the checks JSON Schema cannot make
    sources = load(ROOT / "config" / "sources.yaml")
    recomputed = {c["id"]: c["source"] for c in reg["claims"] if c.get("recomputable", True)}
    # the two CPI figures of the release (2024 and 2023), both from the CPI table; nothing else is
    assert recomputed == {"i1_inflatie_2024": "86141NED", "i1_inflatie_2023": "86141NED"}
    assert all(s in sources for s in recomputed.values())
    for c in reg["claims"]:
        if not c.get("recomputable", True):
            assert c["reason_kind"] and c["reason"] and c["citation"]["publisher"], c["id"]


def test_every_number_in_the_release_is_a_claim_or_not_a_figure():
    text = shared_path("documents", SLUG, "text.md")
    result = scan(text, FOLDER / "claims", FOLDER / "not_figures.yaml")
    assert [s.sentence for s in result.statements] == []
    assert result.stale_quotes == [] and result.stale_not_figures == []

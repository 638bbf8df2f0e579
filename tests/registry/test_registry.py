"""The claim registry as shipped: valid, consistent, and covering every number in the dossier."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, shared_path
from helpers.shared_site import THEMES

from dossiercheck.claims import load_registry, needs_by_source
from dossiercheck.metrics import METRICS
from dossiercheck.wording import read_wording

CLAIM_FILES = sorted((ROOT / "config" / "claims").glob("[0-9][0-9]_*.yaml"))
NUMBER_WORDS = (
    r"\w*(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend)\w*"
    r"|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien"
    r"|zeventien|achttien|negentien|miljoen|miljard|helft|anderhalf|tweeënhalf|verdubbeld"
)
# Words by which a sentence asserts a trend or a comparison without a number ("vaker", "stijgende").
TREND_WORDS = (
    r"vaker|steeds|groeiend\w*|stijgend\w*|dalend\w*|toenemend\w*|toename|afname|toegenomen|afgenomen|stijging|daling"
    r"|gestegen|gedaald|opgelopen|gestabiliseerd|aan het (?:dalen|stijgen)|(?:neemt|nemen) (?:toe|af)"
    r"|opmars|krapte|sterker dan|hoger dan|lager dan|minder dan|meer dan|groot deel"
)
NUMBER = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{NUMBER_WORDS})\b|\b(?:{TREND_WORDS})\b", re.IGNORECASE)


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


@pytest.fixture(scope="module")
def registries():
    return {p.stem: load(p) for p in CLAIM_FILES}


def test_seven_themes(registries):
    assert sorted(registries) == THEMES
    assert all(reg["theme"] == name for name, reg in registries.items())


def test_every_claim_file_validates_against_the_schema(registries):
    schema = load(ROOT / "workflow" / "schemas" / "claims.schema.yaml")
    for name, reg in registries.items():
        jsonschema.validate(reg, schema)
        load_registry(ROOT / "config" / "claims" / f"{name}.yaml")  # the checks JSON Schema cannot make


def test_sources_and_config_validate():
    jsonschema.validate(
        load(ROOT / "config" / "sources.yaml"), load(ROOT / "workflow" / "schemas" / "sources.schema.yaml")
    )
    jsonschema.validate(
        load(ROOT / "config" / "config.yaml"), load(ROOT / "workflow" / "schemas" / "config.schema.yaml")
    )


def test_ids_unique_sources_exist_metrics_known_qualifiers_defined(registries):
    sources = load(ROOT / "config" / "sources.yaml")
    qualifiers = load(ROOT / "config" / "config.yaml")["qualifiers"]
    ids = [c["id"] for reg in registries.values() for c in reg["claims"]]
    assert len(ids) == len(set(ids)), "claim ids must be unique across themes"
    for reg in registries.values():
        for c in reg["claims"]:
            # the qualifier is stated, or read from the dossier's own phrase (which must be in the quote)
            if c.get("wording"):
                assert c["wording"].lower() in c["quote"].lower(), c["id"]
            qualifier = c.get("qualifier") or read_wording(c["wording"]).qualifier
            assert qualifier in qualifiers, c["id"]
            if c.get("recomputable", True):
                assert c["source"] in sources, c["id"]
                assert c["metric"]["kind"] in METRICS, c["id"]
            for n in c.get("numbers", []):
                assert n in c["quote"], f"{c['id']}: number {n!r} is not in its quote"


def test_every_source_is_read_by_a_claim(registries):
    needs = needs_by_source(list(registries.values()))
    assert set(needs) == set(load(ROOT / "config" / "sources.yaml"))


def test_every_number_in_the_dossier_is_a_claim_or_listed_as_not_a_figure(registries):
    """Scan the dossier for numbers (digits and Dutch number words) and for the words by which it asserts a
    trend or a comparison without a number (vaker, steeds, stijgende, toename, ...). Each must lie inside
    some claim's quote, or inside an entry of config/claims/not_figures.yaml, which says why it is not a
    figure."""
    lines = [
        norm(line)
        for line in shared_path("dossier", "bestaanszekerheid-meer-dan-geld.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    quotes = [norm(c["quote"]) for reg in registries.values() for c in reg["claims"]]
    not_figures = load(ROOT / "config" / "claims" / "not_figures.yaml")["not_figures"]
    used, uncovered = set(), []
    for quote in quotes:
        assert any(quote in line for line in lines), f"quote not found verbatim in the dossier: {quote!r}"
    for line in lines:
        spans = [(m.start(), m.end()) for q in quotes for m in re.finditer(re.escape(q), line)]
        for i, entry in enumerate(not_figures):
            for m in re.finditer(re.escape(norm(entry["text"])), line):
                spans.append((m.start(), m.end()))
                used.add(i)
        for m in NUMBER.finditer(line):
            if not any(a <= m.start() and m.end() <= b for a, b in spans):
                uncovered.append(f"{m.group(0)!r} in: …{line[max(0, m.start() - 60) : m.end() + 60]}…")
    assert not uncovered, "numbers that are neither in a claim nor listed as not a figure:\n" + "\n".join(
        uncovered
    )
    stale = [e["text"] for i, e in enumerate(not_figures) if i not in used]
    assert not stale, f"not_figures entries that no longer match the dossier: {stale}"
    assert all(e.get("reason") for e in not_figures)


def test_the_rules_conda_environment_is_the_packages_dependency_list():
    """workflow/envs/dossiercheck.yaml (for `--sdm conda`) lists pyproject.toml's dependencies, and the same
    Python and Quarto as environment.yml."""
    import tomllib

    env = load(ROOT / "workflow" / "envs" / "dossiercheck.yaml")
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    person = load(ROOT / "environment.yml")
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    assert plain == [d for d in person["dependencies"] if isinstance(d, str)]
    for rule_file in (ROOT / "workflow" / "rules").glob("*.smk"):
        text = rule_file.read_text()
        assert text.count("script:") == text.count('conda:\n        "../envs/dossiercheck.yaml"'), rule_file


def test_a_rule_finds_the_package_in_src_where_it_is_not_installed():
    """In a job's conda environment the package is not installed: workflow/scripts/_package.py puts src/ on
    sys.path. `python -S` (no site-packages, so no installed dossiercheck) shows it."""
    import subprocess
    import sys

    probe = "import sys; sys.path.insert(0, 'workflow/scripts'); import _package, dossiercheck; print(dossiercheck.__file__)"
    out = subprocess.run([sys.executable, "-S", "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()) == ROOT / "src" / "dossiercheck" / "__init__.py"


def test_the_metric_kinds_are_declared_once():
    """registry.METRIC_FIELDS (read when the workflow is parsed, without pandas) says what metrics.METRICS
    computes, kind by kind, and the claims schema allows exactly those kinds."""
    from dossiercheck.registry import METRIC_FIELDS

    assert {k: m.required for k, m in METRICS.items()} == METRIC_FIELDS
    schema = load(ROOT / "workflow" / "schemas" / "claims.schema.yaml")
    kinds = schema["properties"]["claims"]["items"]["properties"]["metric"]["properties"]["kind"]["enum"]
    assert sorted(kinds) == sorted(METRIC_FIELDS)


def test_parsing_the_workflow_needs_no_pandas():
    """The Snakefile's own imports (the registry checks, the schema check, the pointer) stay light: every
    snakemake call, a no-op rerun too, pays for them."""
    import subprocess
    import sys

    probe = (
        "import sys; import dossiercheck.registry, dossiercheck.configcheck, dossiercheck.snapshot, "
        "dossiercheck.logs; print(sorted(m for m in ('pandas', 'pandera', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_kind_of_source_is_one_module_with_its_reading():
    """A kind is one module: its class fetches, and the module's read_table and describe_table read the
    snapshot (HttpSource.read/describe hand over to them)."""
    import sys

    from dossiercheck.sources import source_classes

    kinds = source_classes()
    assert sorted(kinds) == ["cbs_bulk_csv", "cbs_odata3", "cbs_odata4", "file", "manual"]
    for cls in kinds.values():
        module = sys.modules[cls.__module__]
        assert callable(module.read_table) and callable(module.describe_table), cls.__module__

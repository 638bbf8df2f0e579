"""The claim registry as shipped: valid, consistent, and covering every number in the dossier."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path, PurePosixPath

import jsonschema
import pytest
import yaml
from conftest import ROOT, shared_path
from helpers.shared_site import THEMES

from dossiercheck.claims import load_registry, needs_by_source
from dossiercheck.metrics import METRICS
from dossiercheck.registry import PERIOD_BASES, leans_on_context, period_basis, quoted_period
from dossiercheck.scan import normalise as norm
from dossiercheck.scan import scan
from dossiercheck.wording import read_wording

# The dossier the configuration checks, and its claim registry (one file per theme)
DOSSIER = (
    ROOT / "dossiers" / "bestaanszekerheid-2023"
)  # the first dossier, the one these checks were written for
CLAIM_FILES = sorted((DOSSIER / "claims").glob("[0-9][0-9]_*.yaml"))


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dossier_text() -> Path:
    """The dossier's text, where its dossier.yaml's 'text' says: ../shared/dossier/<file> beside the checkout
    (the tests' ../shared, moved by DOSSIERCHECK_SHARED)."""
    text = PurePosixPath(load(DOSSIER / "dossier.yaml")["text"])
    assert text.parts[:2] == ("..", "shared"), f"{text}: the text is read from ../shared, never committed"
    return shared_path(*text.parts[2:])


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
        load_registry(DOSSIER / "claims" / f"{name}.yaml")  # the checks JSON Schema cannot make


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


def test_every_number_in_the_dossier_is_a_claim_or_listed_as_not_a_figure():
    """`dossiercheck scan` on the dossier: every number (digits and Dutch number words) and every word by
    which it asserts a trend or a comparison without a number (vaker, steeds, stijgende, toename, ...) lies
    inside some claim's quote, or inside an entry of the dossier's not_figures.yaml, which says why it is
    not a figure. And the registry is not stale: every quote and every not_figures text is in the dossier.
    The text is read where the dossier's dossier.yaml says ('text', under ../shared: not committed)."""
    result = scan(dossier_text(), DOSSIER / "claims", DOSSIER / "not_figures.yaml")
    uncovered = [
        f"line {s.line}: {', '.join(map(repr, s.marks))} in: {s.sentence}" for s in result.statements
    ]
    assert not uncovered, "numbers that are neither in a claim nor listed as not a figure:\n" + "\n".join(
        uncovered
    )
    assert not result.stale_quotes, f"quotes not found verbatim in the dossier: {result.stale_quotes}"
    assert not result.stale_not_figures, (
        f"not_figures entries that no longer match the dossier: {result.stale_not_figures}"
    )
    not_figures = load(DOSSIER / "not_figures.yaml")["not_figures"]
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


def test_the_frame_helpers_import_nothing_from_the_kinds_of_source():
    """Every sources/<kind>.py imports its frame helpers from tidy.py; were tidy.py to import from
    sources/ (as its dispatch on ``kind`` once did), the two would import each other. The dispatch lives in
    sources/tidying.py. Read from tidy.py's own text, imports inside functions included."""
    import ast

    tree = ast.parse((ROOT / "src" / "dossiercheck" / "tidy.py").read_text(encoding="utf-8"))
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # tidy.py sits in the package dossiercheck: `from .sources import x` is dossiercheck.sources
            module = node.module if not node.level else ".".join(filter(None, ("dossiercheck", node.module)))
            # each name too: `from dossiercheck import sources` imports dossiercheck.sources
            imported += [module, *(f"{module}.{alias.name}" for alias in node.names)]
    assert "dossiercheck.schemas.tidy" in imported  # the walk sees tidy.py's imports at all
    wrong = [m for m in imported if m == "dossiercheck.sources" or m.startswith("dossiercheck.sources.")]
    assert not wrong, f"tidy.py imports from sources/: {wrong}"


# --- quotes that lean on the words before them, and where each period comes from -------------------------


def test_a_quote_that_starts_with_a_pronoun_or_connective_has_its_context(registries):
    """A quote that starts with a word of registry.CONTEXT_WORDS ("Daarvan", "Zij", "Ook", "Maar", "voor
    de", "Het betreft", …) is not understandable alone: it needs the dossier's words before it as
    'context'."""
    missing = [
        f"{c['id']}: starts with {leans_on_context(c['quote'])!r}"
        for reg in registries.values()
        for c in reg["claims"]
        if leans_on_context(c["quote"]) and not c.get("context")
    ]
    assert not missing, "quotes that need a 'context':\n" + "\n".join(missing)


def test_every_context_stands_in_the_dossier_right_before_its_quote(registries):
    """Copied, never paraphrased: each context and its quote occur in the dossier's text (whitespace made
    single), the context ending where the quote begins (across a paragraph's bullet at most)."""
    text = norm(dossier_text().read_text(encoding="utf-8"))
    wrong = []
    for reg in registries.values():
        for c in reg["claims"]:
            quote = norm(c["quote"])
            assert quote in text, f"{c['id']}: quote not in the dossier"
            if c.get("context"):
                context = norm(c["context"])
                if context not in text:
                    wrong.append(f"{c['id']}: context not in the dossier: {context!r}")
                elif not re.search(re.escape(context) + r"[\s•]*" + re.escape(quote), text):
                    wrong.append(f"{c['id']}: context does not come right before the quote")
    assert not wrong, "\n".join(wrong)


def dossier_blocks(registries):
    """Each claim's 'dossier' as the pipeline starts it, from the configuration alone: the period the
    calendar gives (the data may move a 'period: dossier' claim to an earlier one; its basis is the same)."""
    from dossiercheck.claims import dossier_block, dossier_period, not_recomputable

    sources = load(ROOT / "config" / "sources.yaml")
    when = date.fromisoformat(str(load(DOSSIER / "dossier.yaml")["date"]))
    for name, reg in registries.items():
        for c in reg["claims"]:
            if not c.get("recomputable", True):
                yield c, not_recomputable(c, name)["dossier"]
            else:
                lag = int(sources[c["source"]].get("publication_lag_days") or 0)
                yield c, dossier_block(c, dossier_period(c, when, lag), when)


def test_every_claim_gets_a_basis_and_one_sentence_for_it(registries):
    for c, d in dossier_blocks(registries):
        assert d["basis"] in PERIOD_BASES, c["id"]
        assert d["basis_why"].strip().endswith("."), c["id"]
        assert not re.search(r"[.!?]\s+[A-Z]", d["basis_why"]), f"{c['id']}: more than one sentence"
        # a reading is told in the registry's words (period_reading or period_note), not the general sentence
        if d["basis"] == "reading":
            assert c.get("period_reading") or c.get("period_note"), c["id"]
        # no period shown where the quote names one
        if quoted_period(c):
            assert d["label"], f"{c['id']}: the quote names a period, the page would say 'niet genoemd'"


def test_a_stated_basis_overrides_a_decision_that_was_wrong(registries):
    """period_basis is for where the words mislead the automatic decision; one that agrees with it is noise."""
    for c, d in dossier_blocks(registries):
        if c.get("period_basis"):
            auto = {k: v for k, v in c.items() if k != "period_basis"}
            assert period_basis(auto, d["period"], d["label"])[0] != c["period_basis"], c["id"]
            assert d["basis"] == c["period_basis"], c["id"]


def test_the_periods_of_some_claims_worked_out_by_hand(registries):
    blocks = {c["id"]: d for c, d in dossier_blocks(registries)}
    # "van 38.000 in 2018 naar 97.000 in 2021": not recomputed, so the period is the quote's, each claim's
    # own year the one after its number
    assert (
        blocks["t4_jongeren_huur_boven_1000_2018"]["label"],
        blocks["t4_jongeren_huur_boven_1000_2018"]["basis"],
    ) == ("2018", "quote")
    assert (
        blocks["t4_jongeren_huur_boven_1000"]["label"],
        blocks["t4_jongeren_huur_boven_1000"]["basis"],
    ) == ("2021", "quote")
    # "Volgens de SER waren er in 2021 220.000 werkende armen": 2021, named before the number
    assert (blocks["t2_werkende_armen_220000"]["period"], blocks["t2_werkende_armen_220000"]["basis"]) == (
        "2021JJ00",
        "quote",
    )
    # "vorig jaar" in a 2023 dossier: 2022 by our reading; "in de periode 2014-2020": 2020 by our reading
    assert blocks["t4_daklozen_26600"]["basis"] == "reading"
    assert blocks["t4_sociale_huur_honderdduizend_minder"]["basis"] == "reading"
    # "In 2021 heeft volgens het Nivel 8 procent …": the sentence names the registry's 2021
    assert blocks["t3_zorgmijden_8_procent"]["basis_why"] == "De zin noemt 2021."
    # "Daarvan hebben er een kleine 1,4 miljoen …": no period in the words, CBS's month chosen from the date
    assert blocks["t1_problematische_schulden_1_4_miljoen"]["basis"] == "assumed"
    # a sentence that names no period and is not recomputed shows none
    assert (blocks["t1_een_op_de_vijf_strijd"]["period"], blocks["t1_een_op_de_vijf_strijd"]["basis"]) == (
        None,
        "none",
    )

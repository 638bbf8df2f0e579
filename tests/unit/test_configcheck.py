"""Reading a configuration file as the workflow does when it is parsed (configcheck.load_checked): checked
against its schema, then completed with the schema's defaults, as Snakemake's ``validate`` completes them."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from dossiercheck.configcheck import load_checked
from dossiercheck.errors import RegistryError

SCHEMA = ROOT / "workflow" / "schemas" / "claims.schema.yaml"
SHIPPED = ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims" / "01_inkomen.yaml"


def test_defaults_are_filled_in_and_explicit_values_kept(tmp_path):
    reg = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    explicit = {c["id"] for c in reg["claims"] if c.get("recomputable") is False}
    implicit = [c for c in reg["claims"] if "recomputable" not in c]
    assert explicit and implicit  # the shipped file has both kinds, so both are tested
    path = tmp_path / "01_inkomen.yaml"
    path.write_text(yaml.safe_dump(reg, allow_unicode=True), encoding="utf-8")
    loaded = load_checked(path, SCHEMA)
    by_id = {c["id"]: c for c in loaded["claims"]}
    # the schema says recomputable defaults to true and codes_verified to true
    assert all(by_id[c["id"]]["recomputable"] is True for c in implicit)
    assert all(by_id[i]["recomputable"] is False for i in explicit)
    assert all(by_id[c["id"]]["codes_verified"] is True for c in reg["claims"] if "codes_verified" not in c)
    # nothing else changed: every key the file had has its value
    for claim in reg["claims"]:
        assert {k: by_id[claim["id"]][k] for k in claim} == claim


def test_a_wrong_key_names_the_claim_and_the_allowed_keys(tmp_path):
    reg = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    first = reg["claims"][0]
    first["recomputeable"] = False  # the typo an editor makes
    path = tmp_path / "01_inkomen.yaml"
    path.write_text(yaml.safe_dump(reg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_checked(path, SCHEMA)
    assert f"claim {first['id']}" in str(e.value)
    assert "'recomputeable' was unexpected" in str(e.value) and "recomputable" in str(e.value)


def test_a_file_that_is_not_yaml_says_so(tmp_path):
    path = tmp_path / "02_werk.yaml"
    path.write_text("theme: 02_werk\nclaims:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"(?s)02_werk\.yaml is not valid YAML.*line 3.*Fix the file"):
        load_checked(path, SCHEMA)


def test_a_broken_file_gets_the_messages_of_the_file_as_written(tmp_path):
    # load_checked checks and fills in defaults in one pass; a file that fails is checked again as read,
    # so the messages are those of the unfilled file (the oracle: check_against_schema on it directly)
    from dossiercheck.configcheck import check_against_schema

    reg = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    reg["claims"][0]["recomputeable"] = False  # an unknown key
    del reg["claims"][1]["quote"]  # a required field
    path = tmp_path / "01_inkomen.yaml"
    path.write_text(yaml.safe_dump(reg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError) as direct:
        check_against_schema(yaml.safe_load(path.read_text(encoding="utf-8")), SCHEMA, str(path))
    with pytest.raises(RegistryError) as loaded:
        load_checked(path, SCHEMA)
    assert str(loaded.value) == str(direct.value)
    assert "'recomputeable' was unexpected" in str(loaded.value) and "'quote' is a required" in str(
        loaded.value
    )


def _schema(tmp_path, text):
    path = tmp_path / "s.schema.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_required_field_with_a_default_is_still_required(tmp_path):
    # filling in the default first would let a file without 'a' pass; the plain check must see it as written
    schema = _schema(tmp_path, "type: object\nproperties:\n  a: {type: integer, default: 1}\nrequired: [a]\n")
    path = tmp_path / "f.yaml"
    path.write_text("b: 2\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="'a' is a required property"):
        load_checked(path, schema)


@pytest.mark.parametrize(("const", "one_pass"), [("false", True), ("true", False)])
def test_a_condition_on_a_defaulted_field_decides_whether_one_pass_is_enough(tmp_path, const, one_pass):
    # 'if x is <const> then y is required', x defaulting to true: with const false the condition is false
    # whether x is absent or filled in, so one pass is enough; with const true, filling x in would make
    # the condition true, so the file must be checked as written
    from dossiercheck.configcheck import _filling_hides_nothing

    schema = _schema(
        tmp_path,
        "type: object\nproperties:\n  x: {type: boolean, default: true}\n  y: {type: string}\n"
        f"if: {{properties: {{x: {{const: {const}}}}}, required: [x]}}\nthen: {{required: [y]}}\n",
    )
    assert _filling_hides_nothing(str(schema)) is one_pass


def test_the_shipped_registries_are_checked_in_one_pass_and_the_config_is_not():
    # claims and sources: no defaulted field is required or decides a condition (read from the schemas:
    # recomputable defaults to true and is only tested for false); config.schema requires fields it gives
    # defaults (cbs_odata4_url, cbs_odata3_url), so one pass could hide a missing one
    from dossiercheck.configcheck import _filling_hides_nothing

    schemas = ROOT / "workflow" / "schemas"
    assert _filling_hides_nothing(str(schemas / "claims.schema.yaml"))
    assert _filling_hides_nothing(str(schemas / "sources.schema.yaml"))
    assert not _filling_hides_nothing(str(schemas / "config.schema.yaml"))

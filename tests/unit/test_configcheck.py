"""Reading a configuration file as the workflow does when it is parsed (configcheck.load_checked): checked
against its schema, then completed with the schema's defaults, as Snakemake's ``validate`` completes them."""

from __future__ import annotations

import jsonschema
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
    # load_checked checks in one pass and fills in defaults only after; a file that fails gets the messages
    # of the file as written (the oracle: check_against_schema on it directly)
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
    # filling in the default while checking would let a file without 'a' pass
    schema = _schema(tmp_path, "type: object\nproperties:\n  a: {type: integer, default: 1}\nrequired: [a]\n")
    path = tmp_path / "f.yaml"
    path.write_text("b: 2\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="'a' is a required property"):
        load_checked(path, schema)


@pytest.mark.parametrize("const", ["true", "false"])
def test_a_condition_on_a_defaulted_field_is_judged_on_the_file_as_written(tmp_path, const):
    # 'if x is <const> then y is required', x defaulting to true, a file without x or y: as written the
    # condition is false (x is absent), so the file passes and gets x filled in, whatever the const
    schema = _schema(
        tmp_path,
        "type: object\nproperties:\n  x: {type: boolean, default: true}\n  y: {type: string}\n"
        f"if: {{properties: {{x: {{const: {const}}}}}, required: [x]}}\nthen: {{required: [y]}}\n",
    )
    path = tmp_path / "f.yaml"
    path.write_text("{}\n", encoding="utf-8")
    assert load_checked(path, schema) == {"x": True}


@pytest.mark.parametrize(
    "shipped", [*sorted((ROOT / "dossiers").glob("*/claims/*.yaml")), ROOT / "config" / "sources.yaml"]
)
def test_every_shipped_file_is_completed_as_the_two_pass_recipe_completes_it(shipped):
    # the oracle: python-jsonschema's FAQ recipe as it was used before, a plain check and then a second
    # pass that fills in each default while it validates
    schema_file = (
        SCHEMA if shipped.parent.name == "claims" else ROOT / "workflow" / "schemas" / "sources.schema.yaml"
    )
    schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
    plain = jsonschema.Draft202012Validator
    check_properties = plain.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, subschema):
        for name, sub in properties.items():
            if "default" in sub and isinstance(instance, dict):
                instance.setdefault(name, sub["default"])
        yield from check_properties(validator, properties, instance, subschema)

    expected = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    plain(schema).validate(expected)
    jsonschema.validators.extend(plain, {"properties": set_defaults})(schema).validate(expected)
    assert load_checked(shipped, schema_file) == expected

"""Checking a configuration file against its JSON Schema, with messages an analyst can act on: the file, the
claim or source the error is in, the field, and for a closed list the valid choices."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema

from dossiercheck.errors import RegistryError
from dossiercheck.registry import load_yaml


@functools.cache
def _validators(schema_file: str) -> tuple[jsonschema.protocols.Validator, jsonschema.protocols.Validator]:
    """The schema's validator, and one that also fills in the schema's defaults (the recipe in
    python-jsonschema's FAQ, as Snakemake's ``validate`` does); read once per schema file."""
    schema = load_yaml(schema_file)
    plain = jsonschema.Draft202012Validator
    check_properties = plain.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, subschema):
        for name, sub in properties.items():
            if "default" in sub and isinstance(instance, dict):
                instance.setdefault(name, sub["default"])
        yield from check_properties(validator, properties, instance, subschema)

    filling = jsonschema.validators.extend(plain, {"properties": set_defaults})
    return plain(schema), filling(schema)


# keywords whose outcome a filled-in key can turn from failing to passing
_DECIDING = ("if", "oneOf", "anyOf", "not", "dependentSchemas", "contains", "propertyNames")


@functools.cache
def _filling_hides_nothing(schema_file: str) -> bool:
    """Whether a file the defaults-filling validator passes is sure to pass the plain one too: no property
    with a default is required, named in a condition (if/oneOf/anyOf/not/...) or counted (minProperties).
    Only then may ``load_checked`` check and fill in one pass; otherwise it checks the file as written
    first. (Filling a default can only add a key; adding a key can make a file pass only in those ways.)"""
    schema = load_yaml(schema_file)
    defaulted: set[str] = set()
    defaults: dict[str, list[Any]] = {}  # every default a name has, wherever it is declared

    def walk(node, visit):
        if isinstance(node, dict):
            visit(node)
            for v in node.values():
                walk(v, visit)
        elif isinstance(node, list):
            for v in node:
                walk(v, visit)

    def collect(node):
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict) and "default" in sub:
                defaulted.add(name)
                defaults.setdefault(name, []).append(sub["default"])

    walk(schema, collect)

    def names_in(node, seen: set[str]) -> set[str] | None:
        """Every property name a subschema mentions, following local $refs; None for a ref elsewhere."""
        found: set[str] = set()
        unknown = False

        def visit(n):
            nonlocal unknown
            found.update(n.get("properties") or {})
            found.update(n.get("required") or [])
            ref = n.get("$ref")
            if ref is not None:
                if not str(ref).startswith("#/$defs/"):
                    unknown = True
                elif ref not in seen:
                    seen.add(ref)
                    inner = names_in((schema.get("$defs") or {}).get(ref.split("/")[-1], {}), seen)
                    if inner is None:
                        unknown = True
                    else:
                        found.update(inner)

        walk(node, visit)
        return None if unknown else found

    safe = True

    def check(node):
        nonlocal safe
        if defaulted & set(node.get("required") or []):
            safe = False
        for key, needs in (node.get("dependentRequired") or {}).items():
            if defaulted & {key, *needs}:
                safe = False
        if "minProperties" in node and defaulted & set(node.get("properties") or {}):
            safe = False
        for keyword in _DECIDING:
            if keyword in node:
                mentioned = names_in(node[keyword], set())
                if keyword == "if" and mentioned and isinstance(node["if"], dict):
                    # 'if: {properties: {x: {const: C}}, required: [x]}' with x defaulting to another value
                    # than C is false whether x is absent or filled in: x decides nothing
                    for name, sub in (node["if"].get("properties") or {}).items():
                        const = isinstance(sub, dict) and set(sub) == {"const"}
                        if const and all(d != sub["const"] for d in defaults.get(name, [])):
                            mentioned.discard(name)
                if mentioned is None or defaulted & mentioned:
                    safe = False

    def walk_outside_conditions(node):
        # an 'if' is judged whole above (a required there is a condition, not a requirement)
        if isinstance(node, dict):
            check(node)
            for k, v in node.items():
                if k != "if":
                    walk_outside_conditions(v)
        elif isinstance(node, list):
            for v in node:
                walk_outside_conditions(v)

    walk_outside_conditions(schema)
    return safe


def load_checked(path: Path | str, schema_file: Path | str, where: str | None = None) -> Any:
    """A configuration file read, checked against its schema and completed with the schema's defaults.
    Raises ``RegistryError`` with every place that is wrong (``check_against_schema``), or with the YAML
    parser's own message when the file is not YAML."""
    data = load_yaml(path)
    if not _filling_hides_nothing(str(schema_file)):
        check_against_schema(data, schema_file, where or str(path))  # as written, before any default
    # one pass that checks and fills in the defaults (every workflow run reads every claim file: two
    # passes cost a no-op 0.07 s); a file that fails is checked again, unfilled and as read, for the
    # messages, so that a default filled in never changes an error
    first = next(_validators(str(schema_file))[1].iter_errors(data), None)
    if first is not None:
        check_against_schema(load_yaml(path), schema_file, where or str(path))
        raise first  # the defaults made a valid file invalid: a fault in the schema itself
    return data


def schema_errors(data: Any, schema_file: Path | str, where: str) -> list[str]:
    validator = _validators(str(schema_file))[0]
    out = []
    for e in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(e.absolute_path)
        place = where
        if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
            claim = data["claims"][path[1]]
            place += f", claim {claim.get('id', f'number {path[1] + 1}') if isinstance(claim, dict) else path[1] + 1}"
            path = path[2:]
        elif path and isinstance(data, dict) and path[0] in data and "claims" not in data:
            place += f", source {path[0]}"
            path = path[1:]
        field = ".".join(str(p) for p in path)
        if e.validator == "enum":
            message = f"{e.instance!r} is not allowed; use one of: {', '.join(map(str, e.validator_value))}"
        elif e.validator == "additionalProperties":
            allowed = sorted(e.schema.get("properties") or {})
            message = f"{e.message}; the allowed keys are: {', '.join(allowed)}"
        else:
            message = e.message
        out.append(f"{place}: {field + ': ' if field else ''}{message}")
    return out


def check_against_schema(data: Any, schema_file: Path | str, where: str) -> None:
    """Raise ``RegistryError`` listing (at most ten of) the file's schema errors, each with its place."""
    errors = schema_errors(data, schema_file, where)
    if errors:
        more = f"\n(and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise RegistryError("\n".join(errors[:10]) + more)

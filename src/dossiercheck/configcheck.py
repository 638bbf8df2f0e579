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


def load_checked(path: Path | str, schema_file: Path | str, where: str | None = None) -> Any:
    """A configuration file read, checked against its schema and completed with the schema's defaults.
    Raises ``RegistryError`` with every place that is wrong (``check_against_schema``), or with the YAML
    parser's own message when the file is not YAML."""
    data = load_yaml(path)
    # one pass that checks and fills in the defaults (every workflow run reads every claim file: two
    # passes cost a no-op 0.07 s); only a file that fails is checked again, unfilled and as read, for the
    # messages, so that a default filled in never hides or changes an error
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

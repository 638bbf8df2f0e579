"""Checking a configuration file against its JSON Schema, with messages an analyst can act on: the file, the
claim or source the error is in, the field, and for a closed list the valid choices."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import jsonschema

from dossiercheck.errors import RegistryError
from dossiercheck.registry import load_yaml

# The defaults a check met, to be filled in once the file has passed: (the object, the key, its default).
_to_fill: list[tuple[dict, str, Any]] = []


@functools.cache
def _validators(schema_file: str) -> tuple[jsonschema.protocols.Validator, jsonschema.protocols.Validator]:
    """The schema's validator, and one that also notes the schema's defaults wherever a key is absent
    (python-jsonschema's FAQ recipe for defaults, deferred: it fills in nothing while it checks, so it
    finds exactly the errors the plain one finds); read once per schema file."""
    schema = load_yaml(schema_file)
    plain = jsonschema.Draft202012Validator
    check_properties = plain.VALIDATORS["properties"]

    def note_defaults(validator, properties, instance, subschema):
        if isinstance(instance, dict):
            _to_fill.extend(
                (instance, name, sub["default"])
                for name, sub in properties.items()
                if isinstance(sub, dict) and "default" in sub and name not in instance
            )
        yield from check_properties(validator, properties, instance, subschema)

    noting = jsonschema.validators.extend(plain, {"properties": note_defaults})
    return plain(schema), noting(schema)


def load_checked(path: Path | str, schema_file: Path | str, where: str | None = None) -> Any:
    """A configuration file read, checked against its schema and completed with the schema's defaults.
    Raises ``RegistryError`` with every place that is wrong (``check_against_schema``), or with the YAML
    parser's own message when the file is not YAML.

    One pass checks the file and notes the defaults it lacks (every workflow run, a no-op too, reads every
    claim file: a second pass to fill them in cost 0.07 s); they are filled in only once it has passed."""
    data = load_yaml(path)
    _to_fill.clear()
    if next(_validators(str(schema_file))[1].iter_errors(data), None) is not None:
        # raises: the noting check finds what the plain one finds; this lists every error with its place
        check_against_schema(data, schema_file, where or str(path))
    for instance, name, default in _to_fill:
        instance.setdefault(name, copy.deepcopy(default))
    _to_fill.clear()
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

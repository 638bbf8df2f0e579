"""Checking a configuration file against its JSON Schema, with messages an analyst can act on: the file, the
claim or source the error is in, the field, and for a closed list the valid choices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from dossiercheck.errors import RegistryError


def schema_errors(data: Any, schema_file: Path | str, where: str) -> list[str]:
    schema = yaml.safe_load(Path(schema_file).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
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

"""A stand-in for the ``quarto`` command (Quarto itself cannot be installed on these machines), put on PATH
by tests that count how many Quarto processes a run starts. Each call appends its arguments, one JSON line,
to $QUARTO_CALLS. ``quarto render <page>.qmd`` writes that page, ``quarto render`` every page the project's
``render`` list names, each into the project's output-dir with Quarto's generator tag; nothing is rendered
for real (the pandoc path and the browser tests check the pages themselves)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml


def main(argv: list[str]) -> int:
    with open(os.environ["QUARTO_CALLS"], "a", encoding="utf-8") as f:
        f.write(json.dumps(argv) + "\n")
    if argv[:1] == ["--version"]:
        print("1.10.0")
        return 0
    if argv[:1] != ["render"]:
        return 2
    project = yaml.safe_load(Path("_quarto.yml").read_text(encoding="utf-8"))["project"]
    pages = argv[1:2] or project["render"]
    for page in pages:
        out = Path(project.get("output-dir", "_site")) / Path(page).with_suffix(".html")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            f'<html><head><meta name="generator" content="quarto-1.10.0"></head><body>{page}</body></html>'
        )
    return 0


def install(folder: Path, calls: Path) -> dict[str, str]:
    """An executable ``quarto`` in ``folder`` that runs this stub; the environment that puts it first on
    PATH and records its calls in ``calls``."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "quarto"
    exe.write_text(f'#!/bin/sh\nexec {sys.executable} {Path(__file__).resolve()} "$@"\n')
    exe.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "QUARTO_CALLS": str(calls)}


def calls(path: Path) -> list[list[str]]:
    return [json.loads(line) for line in Path(path).read_text().splitlines()] if Path(path).is_file() else []


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Running the Snakemake workflow as a user does: a fresh copy, the snakemake command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")


def workflow_copy(dest: Path) -> Path:
    """The workflow as a user has it, without anything a previous run produced."""
    ignore = shutil.ignore_patterns("_output", "_build", "_generated", "_screenshots", ".quarto")
    for name in ("Snakefile", "workflow", "config", "reports"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def snakemake(cwd: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def ran_jobs(proc: subprocess.CompletedProcess) -> list[str]:
    """'rule(wildcards)' for every job a Snakemake run says it ran (the target rule 'all' left out)."""
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", proc.stdout + proc.stderr):
        m = re.match(r"(?:local)?rule (\w+):", block.strip())
        if m and m.group(1) != "all":
            wc = re.search(r"wildcards: ([^\n]*)", block)
            jobs.append(f"{m.group(1)}({wc.group(1)})" if wc else m.group(1))
    return sorted(jobs)

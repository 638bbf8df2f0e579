"""Running the Snakemake workflow as a user does: a fresh copy, the snakemake command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

from conftest import ROOT

SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")

# What the workflow is made of: everything else in a checkout is the user's (outputs, their own state).
WORKFLOW_PARTS = ("Snakefile", "workflow", "config", "dossiers", "reports")
# Folder names that only a run makes (Quarto's and pandoc's output, generated fragments, screenshots,
# Snakemake's state, logs, caches): never copied, whether or not git knows to ignore them.
BUILD_OUTPUTS = frozenset(
    {
        "_site",
        "_output",
        "_build",
        "_generated",
        "_screenshots",
        ".quarto",
        ".snakemake",
        "logs",
        "__pycache__",
    }
)
# Folders whose content is the publication's state, not the workflow's: each dossier's accepted baseline and
# its history, dossiers/<slug>/baseline/ (tracked or not). A test that needs a baseline accepts its own.
USER_STATE = "baseline"


def _is_output(rel: PurePosixPath) -> bool:
    return any(part in BUILD_OUTPUTS for part in rel.parts)


def _is_user_state(rel: PurePosixPath) -> bool:
    return len(rel.parts) > 3 and rel.parts[0] == "dossiers" and rel.parts[2] == USER_STATE


def workflow_files(root: Path = ROOT) -> list[PurePosixPath] | None:
    """The workflow's files in ``root`` as git sees them: tracked ones, and new ones git does not ignore
    (a file being written is part of the workflow under test), never a build output nor the user's
    untracked state. None where ``root`` is not the top of a git work tree (an unpacked archive, a copy inside another
    repository)."""

    def ls(*args: str) -> list[PurePosixPath]:
        out = subprocess.run(
            ["git", "ls-files", "-z", *args, "--", *WORKFLOW_PARTS],
            cwd=root, capture_output=True, check=True,
        )  # fmt: skip
        return [PurePosixPath(p) for p in out.stdout.decode().split("\0") if p]

    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        if Path(top).resolve() != Path(root).resolve():
            return None  # root is a folder inside another repository (a copy, say), not a checkout
        tracked = ls("--cached")
        untracked = ls("--others", "--exclude-standard")
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted(
        p
        for p in {*tracked, *untracked}
        if not _is_output(p) and not _is_user_state(p) and (root / p).is_file()
    )  # a tracked file deleted in the work tree is gone for the user too


def workflow_copy(dest: Path, root: Path = ROOT) -> Path:
    """The workflow as a fresh clone has it: none of what a previous run produced in ``root`` (its site,
    data, logs, Snakemake's state), whatever the user has run there."""
    dest.mkdir(parents=True, exist_ok=True)
    files = workflow_files(root)
    if files is None:
        ignore = shutil.ignore_patterns(*BUILD_OUTPUTS)
        for name in WORKFLOW_PARTS:
            src = root / name
            if src.is_dir():
                shutil.copytree(src, dest / name, ignore=ignore)
            else:
                shutil.copy2(src, dest / name)
        for state in (dest / "dossiers").glob(f"*/{USER_STATE}"):
            shutil.rmtree(state)
        return dest
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, dest / rel)
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

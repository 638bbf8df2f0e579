"""The dossiercheck command as an analyst runs it: a real process, its output and exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOSSIERCHECK = str(Path(sys.executable).parent / "dossiercheck")


def run_cli(*args: str, cwd: Path | str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([DOSSIERCHECK, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)

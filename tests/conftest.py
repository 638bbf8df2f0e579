"""Shared test fixtures: where ../shared is, and a local HTTP server in the shape of the CBS APIs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # tests/helpers as a plain import for test modules

from helpers.cbs_server import CbsServer  # noqa: E402

SHARED = Path(os.environ.get("DOSSIERCHECK_SHARED", ROOT.parent / "shared")).resolve()


def shared_path(*parts: str) -> Path:
    """A path inside ../shared; skips the test where ../shared is absent, fails on CI (CI=true)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = (
            f"{path} is not there: these tests read real CBS responses from ../shared "
            "(set DOSSIERCHECK_SHARED to its location)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message + " On CI ../shared must be present.")
        pytest.skip(message)
    return path


@pytest.fixture
def odata4_dir() -> Path:
    return shared_path("cbs", "odata4")


@pytest.fixture
def cbs_server():
    server = CbsServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()

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


def on_ci() -> bool:
    """CI is set to a true value (true, 1, yes, on; any case): what a user's clone may lack is a failure there."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def skip_or_fail(reason: str) -> None:
    """Skip a test whose prerequisite is missing, with the reason; on CI, fail with it instead."""
    if on_ci():
        pytest.fail(reason + " On CI this must be present.")
    pytest.skip(reason)


def shared_path(*parts: str) -> Path:
    """A path inside ../shared (or $DOSSIERCHECK_SHARED): every test that reads real recordings goes through
    here. Skips the test where it is absent, fails on CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        skip_or_fail(
            f"{path} is not there: these tests read real CBS responses from ../shared "
            "(set DOSSIERCHECK_SHARED to its location)."
        )
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

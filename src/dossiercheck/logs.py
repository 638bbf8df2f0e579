"""Logging for rule adapters: to the rule's log file and to the terminal, and errors in plain words."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from dossiercheck.errors import DossiercheckError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@contextlib.contextmanager
def run_logged(log_file: str | Path, rule: str) -> Iterator[logging.Logger]:
    """Log to ``log_file`` and stderr; a ``DossiercheckError`` ends the rule with its message alone
    (no traceback: the message says what to do), any other error with the full traceback in the log."""
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [logging.FileHandler(log_file, mode="w", encoding="utf-8")]
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.INFO)  # progress and decisions (reused, downloaded) belong on the terminal too
    handlers.append(stderr)
    logging.basicConfig(level=logging.INFO, format=FORMAT, handlers=handlers, force=True)
    logger = logging.getLogger(f"dossiercheck.rule.{rule}")
    try:
        yield logger
    except DossiercheckError as e:
        logger.error("%s", e)
        sys.exit(1)
    except Exception:
        logger.exception("unexpected error; the traceback above is for a developer")
        raise

"""Logging for rule adapters: to the rule's log file and to the terminal, and errors in plain words."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from dossiercheck.errors import DossiercheckError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
STARTUP_MARK = "cpu"  # starts the log line with a job's CPU; bench/run.py reads it


@contextlib.contextmanager
def run_logged(log_file: str | Path, rule: str, end_process: bool = False) -> Iterator[logging.Logger]:
    """Log to ``log_file`` and stderr; a ``DossiercheckError`` ends the rule with its message alone
    (no traceback: the message says what to do), any other error with the full traceback in the log.

    ``end_process``: a rule's job (workflow/scripts/) ends its process as soon as its work is done and
    its log and output streams are flushed, without the interpreter's tear-down: freeing every object
    of pandas, pyarrow and pandera one by one costs a table job 0.27 s of CPU (more than a third of its
    start-up) and serves no one, since the process ends. Every output is already written and closed by
    then (atomic writes); only a job's last statement may use it."""
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [logging.FileHandler(log_file, mode="w", encoding="utf-8")]
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.INFO)  # progress and decisions (reused, downloaded) belong on the terminal too
    # urllib3's retry warnings name its internals (the terminal gets http.AnnouncedRetry's line instead),
    # and dossiercheck.details holds what only a developer needs: both go to the log file alone
    stderr.addFilter(lambda record: not record.name.startswith(("urllib3", "dossiercheck.details")))
    handlers.append(stderr)
    logging.basicConfig(level=logging.INFO, format=FORMAT, handlers=handlers, force=True)
    logger = logging.getLogger(f"dossiercheck.rule.{rule}")
    # The CPU this process spent before its work began (the interpreter, Snakemake's script preamble, the
    # imports) and on the work, for the log file alone: the benchmark adds them up over a run's jobs.
    startup = time.process_time()
    try:
        yield logger
        logging.getLogger("dossiercheck.details").info(
            "%s: %.3f s CPU before the work (start-up and imports), %.3f s CPU on the work",
            STARTUP_MARK,
            startup,
            time.process_time() - startup,
        )
    except DossiercheckError as e:
        logger.error("%s", e)
        sys.exit(1)
    except Exception:
        logger.exception("unexpected error; the traceback above is for a developer")
        raise
    if end_process:
        logging.shutdown()  # flushes and closes the log file
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def failed_sources(workdir: str | Path = ".") -> list[tuple[str, str, str]]:
    """(step, source, message) for every source whose fetch or tidy step failed in the last run: its log
    (logs/<rule>/<source>.log, rewritten by each attempt) ends in an error and no output newer than the log
    exists. For the one summary a failed run ends with (Snakefile's onerror)."""
    workdir = Path(workdir)
    out = []
    for rule, output in (
        ("fetch_source", "data/raw/{}/current.json"),
        ("tidy_source", "data/processed/tables/{}.parquet"),
    ):
        for log_file in sorted((workdir / "logs" / rule).glob("*.log")):
            source = log_file.stem
            done = workdir / output.format(source)
            if done.exists() and done.stat().st_mtime >= log_file.stat().st_mtime:
                continue
            text = log_file.read_text(encoding="utf-8", errors="replace")
            errors = [i for i, line in enumerate(text.splitlines()) if " ERROR " in line]
            if not errors:
                continue
            lines = text.splitlines()
            first = lines[errors[-1]].split(": ", 1)[-1]
            rest = [ln for ln in lines[errors[-1] + 1 :] if not ln.startswith("Traceback")]
            message = " ".join([first, *rest]).strip()
            out.append(("fetch" if rule == "fetch_source" else "tidy", source, message))
    return out


def failure_summary(workdir: str | Path = ".") -> str:
    """The last thing a failed run prints: each source that failed, why, and what to do."""
    failed = failed_sources(workdir)
    if not failed:
        return ""
    lines = [f"dossiercheck: the run stopped; {len(failed)} source(s) failed:"]
    for step, source, message in failed:
        lines.append(f"  - {source} ({'ophalen' if step == 'fetch' else 'controle'}): {message}")
    if any(step == "fetch" for step, _, _ in failed):
        lines.append(
            "What to do: check the network or proxy, or point the source's URL key (cbs_odata4_url, "
            "cbs_odata3_url, cbs_csv_url, files_mirror_url) at a mirror in config/config.yaml. To go on "
            'without these sources, run with CONFIG="unavailable_sources=report": their claims then say '
            "'bron niet bereikbaar'."
        )
    if any(step == "tidy" for step, _, _ in failed):
        lines.append(
            "What to do: read data/processed/validation/<source>.md for what failed; list a check under "
            "validation_warnings in config/config.yaml only if you accept it."
        )
    return "\n".join(lines)


def success_summary(workdir: str | Path = ".") -> str:
    """The last lines of a run that built its site from the snapshots shipped with the code, or without
    some sources: which, and what fetches newer data. Empty when every source was fetched here."""
    import json

    bundled, missing = [], []
    for pointer in sorted(Path(workdir, "data", "raw").glob("*/current.json")):
        try:
            p = json.loads(pointer.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if p.get("bundled"):
            bundled.append((pointer.parent.name, str(p.get("retrieved_at", ""))[:10]))
        elif p.get("unavailable"):
            missing.append(pointer.parent.name)
    lines = []
    if bundled:
        taken = sorted({d for _, d in bundled})
        lines.append(
            f"dossiercheck: {len(bundled)} source(s) come from the snapshots shipped with the code "
            f"(data/bundle/, taken {', '.join(taken)}); the pages say so. `make refresh` fetches newer data."
        )
    if missing:
        lines.append(
            f"dossiercheck: {len(missing)} source(s) could not be fetched ({', '.join(missing)}); their claims "
            "say 'bron niet bereikbaar' on the pages."
        )
    return "\n".join(lines)

"""How strong the tests are, as a figure: mutmut makes one-character slips in the core modules (an
operator, a constant, a comparison; `[tool.mutmut]` in pyproject.toml names the modules and the tests) and
runs the tests against each. Prints per module how many mutants the tests killed, how many survived and
how many no test reaches, and the kill rate. Not part of CI: a full run takes minutes.

    make mutation                                   # or: .venv/bin/python bench/mutation.py
    .venv/bin/python bench/mutation.py --survivors  # and list every surviving mutant by name
    .venv/bin/python bench/mutation.py --only claims,status   # the mutants of some modules only
    .venv/bin/mutmut show <name>                    # the diff of one mutant
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = str(Path(sys.executable).parent / "mutmut")

# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), grouped as this table counts them.
KILLED = {1, 3, 37}  # a test failed (3: pytest's internal error), or the type check caught it
TIMEOUT = {36, 24, -24}  # the tests ran far longer than without the mutant: caught, by the timeout
SURVIVED = {0}
NO_TESTS = {5, 33}  # no selected test runs the mutated function


def modules() -> list[str]:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return list(cfg["only_mutate"])


def results(module: str) -> dict[str, int]:
    """Exit code per mutant name of one module, from mutmut's record of the last run."""
    meta = ROOT / "mutants" / f"{module}.meta"
    if not meta.is_file():
        return {}
    return json.loads(meta.read_text())["exit_code_by_key"]


def table(mods: list[str]) -> tuple[list[str], list[str]]:
    lines = [
        f"{'module':<28} {'mutants':>8} {'killed':>7} {'timeout':>8} {'survived':>9} {'no test':>8} "
        f"{'kill rate':>10} {'of tested':>10}"
    ]
    survivors = []
    totals = collections.Counter()
    for module in mods:
        codes = results(module)
        c = collections.Counter()
        for name, code in codes.items():
            group = (
                "killed" if code in KILLED else "timeout" if code in TIMEOUT
                else "survived" if code in SURVIVED else "no_tests" if code in NO_TESTS else "other"
            )  # fmt: skip
            c[group] += 1
            if group in ("survived", "no_tests", "other"):
                survivors.append(f"{group:<9} {name}")
        c["all"] = len(codes)
        totals.update(c)
        lines.append(_row(Path(module).stem, c))
    lines.append(_row("all", totals))
    return lines, survivors


def _row(name: str, c: collections.Counter) -> str:
    caught = c["killed"] + c["timeout"]
    tested = caught + c["survived"] + c["other"]
    rate = f"{100 * caught / c['all']:.1f}%" if c["all"] else "–"
    of_tested = f"{100 * caught / tested:.1f}%" if tested else "–"
    return (
        f"{name:<28} {c['all']:>8} {c['killed']:>7} {c['timeout']:>8} {c['survived']:>9} {c['no_tests']:>8} "
        f"{rate:>10} {of_tested:>10}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--survivors", action="store_true", help="list every mutant the tests did not kill")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse mutants/ from the last run (mutmut retests only what changed)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print the table of the last run, run nothing"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--only", default="", help="comma-separated module names (claims,wording): test only their mutants"
    )
    args = parser.parse_args()
    mods = modules()
    names: list[str] = []
    if args.only:
        wanted = {m.strip() for m in args.only.split(",") if m.strip()}
        mods = [m for m in mods if Path(m).stem in wanted]
        names = [f"dossiercheck.{Path(m).stem}.*" for m in mods]
    if not args.report_only:
        if not args.keep:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        log = ROOT / "mutants.log"
        # the tests run in mutants/, a copy: ../shared is found from here, not from there
        env = {
            **os.environ,
            "DOSSIERCHECK_SHARED": os.environ.get("DOSSIERCHECK_SHARED", str(ROOT.parent / "shared")),
        }
        start = time.perf_counter()
        with open(log, "w") as out:
            proc = subprocess.run(
                [MUTMUT, "run", "--max-children", str(args.jobs), *names],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
            )  # fmt: skip
        took = time.perf_counter() - start
        if proc.returncode != 0:
            print(f"mutmut stopped with exit code {proc.returncode}; its output is in {log}", file=sys.stderr)
            return 2
        print(f"mutmut over {len(mods)} modules in {took:.0f} s ({args.jobs} jobs); its output: {log.name}\n")
    lines, survivors = table(mods)
    print("\n".join(lines))
    print(
        "\nkill rate: mutants caught (a test failed, or ran into the timeout) of all mutants; "
        "of tested: of those some selected test runs."
    )
    if args.survivors and survivors:
        print("\nnot killed (see one with: .venv/bin/mutmut show <name>):")
        print("\n".join(survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())

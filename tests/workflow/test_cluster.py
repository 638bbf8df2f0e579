"""Scale out: the workflow through Snakemake's cluster-generic executor with a local submit command, so
every rule runs as its own job in its own process, as on SLURM (workflow/profiles/slurm)."""

from __future__ import annotations

import re

import pytest
from conftest import skip_or_fail
from helpers.shared_site import M, config_args, shared_site
from helpers.workflow import snakemake, workflow_copy

pytestmark = pytest.mark.workflow


def test_every_rule_runs_as_a_separate_job(tmp_path):
    try:
        import snakemake_executor_plugin_cluster_generic  # noqa: F401
    except ImportError:
        skip_or_fail("this test needs snakemake-executor-plugin-cluster-generic (make test installs it)")
    wf = workflow_copy(tmp_path)
    # the "cluster": a submit command that notes each job script and its own process id, then runs it
    (wf / "submit.sh").write_text('echo "$$ $1" >> jobs.txt\nbash "$1"\n')
    server = shared_site()
    server.start()
    try:
        proc = snakemake(
            wf, "--executor", "cluster-generic", "--cluster-generic-submit-cmd", "sh submit.sh",
            "--jobs", "2", "--seconds-between-status-checks", "1",
            f"data/processed/{M}/claims/04_wonen.csv", *config_args(server),
        )  # fmt: skip
    finally:
        server.stop()
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    jobs = [line.split(" ", 1) for line in (wf / "jobs.txt").read_text().splitlines()]
    pids = [pid for pid, _ in jobs]
    assert len(pids) == len(set(pids))  # one process per job
    # Snakemake names each job script snakejob.<rule>.<jobid>.sh
    rules = {
        re.match(r"snakejob\.([a-z_]+)\.\d+\.sh$", script.rsplit("/", 1)[-1]).group(1) for _, script in jobs
    }
    # fetch and tidy per source, and the claims of the theme, each submitted as its own job
    assert {"fetch_source", "tidy_source", "recompute_claims"} <= rules
    assert (wf / "data" / "processed" / M / "claims" / "04_wonen.csv").is_file()

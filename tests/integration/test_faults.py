"""The fault catalogue: each fault gives a clear message, and nothing stored before is lost or changed.
(Faults tested elsewhere: 429/5xx then success, a hang, truncated JSON, invalid UTF-8, a repeating
nextLink, 404, a discontinued table, an unknown code - test_cbs_odata4.py; a tampered raw file and a
source id like ../../etc - test_snapshot_tidy.py; duplicated observations - test_validate.py; a source
title with HTML - test_report.py and test_pipeline.py.)"""

from __future__ import annotations

import errno

import pytest
from conftest import ROOT, shared_path
from helpers.cbs_server import Fault
from helpers.cli import run_cli
from helpers.fetching import fetch, tree_digest
from helpers.workflow import snakemake, workflow_copy

from dossiercheck.errors import SnapshotError, SourceError, SourceUnavailable
from dossiercheck.snapshot import SnapshotWriter, list_snapshots, verify


@pytest.fixture
def with_snapshot(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    first = fetch(cbs_server, tmp_path)
    return first, tree_digest(tmp_path / "raw")


def test_connection_reset_mid_body(cbs_server, tmp_path, with_snapshot):
    first, before = with_snapshot
    cbs_server.faults["/CBS/85773NED/Observations"] = [Fault(reset=True)]
    again = fetch(cbs_server, tmp_path, refresh="force")
    assert again["reused"] is True and again["snapshot_id"] == first["snapshot_id"]
    assert "could not reach" in again["note"] and "/85773NED/Observations" in again["note"]
    assert tree_digest(tmp_path / "raw") == before


def test_connection_reset_without_a_snapshot_says_what_to_do(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    cbs_server.faults["/CBS/85773NED/Observations"] = [Fault(reset=True)]
    with pytest.raises(SourceUnavailable, match="no earlier snapshot"):
        fetch(cbs_server, tmp_path)
    assert list_snapshots(tmp_path / "raw" / "85773NED") == []


def test_an_empty_observation_set_is_refused(cbs_server, tmp_path, with_snapshot):
    _, before = with_snapshot
    cbs_server.faults["/CBS/85773NED/Observations"] = [Fault(body=b'{"@odata.context": "x", "value": []}')]
    with pytest.raises(SourceError, match="Observations came back empty.*previous snapshot is kept"):
        fetch(cbs_server, tmp_path, refresh="force")
    assert tree_digest(tmp_path / "raw") == before


def test_disk_full_while_writing_a_snapshot(cbs_server, tmp_path, with_snapshot, monkeypatch):
    _, before = with_snapshot
    real_add, calls = SnapshotWriter.add, []

    def add(self, name, body, **meta):
        calls.append(name)
        if len(calls) == 3:  # the third file: the disk fills up
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_add(self, name, body, **meta)

    monkeypatch.setattr(SnapshotWriter, "add", add)
    with pytest.raises(SnapshotError, match="could not be written.*No space left on device.*Free space"):
        fetch(cbs_server, tmp_path, refresh="force")
    assert tree_digest(tmp_path / "raw") == before
    assert not list((tmp_path / "raw" / "85773NED").glob(".partial-*"))


def test_a_run_killed_mid_download_is_cleaned_up_on_the_next_run(cbs_server, tmp_path, with_snapshot):
    first, before = with_snapshot
    debris = tmp_path / "raw" / "85773NED" / ".partial-killed"
    debris.mkdir()
    (debris / "Properties.json").write_bytes(b'{"Identifier": "85773NED", "Mod')  # cut off by the kill
    again = fetch(cbs_server, tmp_path, refresh="force")
    assert again["snapshot_id"] == first["snapshot_id"]  # same content: the existing snapshot stays in use
    assert not debris.exists()
    verify(tmp_path / "raw" / "85773NED" / first["snapshot_dir"])
    assert tree_digest(tmp_path / "raw") == before


def test_malformed_claim_yaml_stops_before_anything_runs(tmp_path):
    wf = workflow_copy(tmp_path)
    path = wf / "dossiers" / "bestaanszekerheid-2023" / "claims" / "02_werk.yaml"
    path.write_text(
        path.read_text().replace(
            "  - id: t2_ruim_miljoen_langs_de_kant", "  - id: t2_ruim_miljoen\n   broken: [", 1
        )
    )
    proc = snakemake(wf, "-n")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr  # snakemake -n reports on stdout
    assert (
        "dossiers/bestaanszekerheid-2023/claims/02_werk.yaml is not valid YAML" in out
        and "Fix the file" in out
    )
    # a well-formed file with a wrong field: the schema says which
    path.write_text(
        (ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims" / "02_werk.yaml")
        .read_text()
        .replace('wording: "Ruim een miljoen"', 'wordng: "Ruim een miljoen"', 1)
    )
    proc = snakemake(wf, "-n")
    out = proc.stdout + proc.stderr
    # the file, the claim, the field and the keys that are allowed
    assert (
        proc.returncode != 0
        and "dossiers/bestaanszekerheid-2023/claims/02_werk.yaml, claim t2_ruim_miljoen_langs_de_kant" in out
    )
    assert "'wordng' was unexpected" in out and "wording" in out.split("allowed keys are:")[1]


def test_fault_messages_reach_the_analyst_without_a_traceback(tmp_path):
    proc = run_cli("tidy", str(tmp_path), "--out", str(tmp_path / "x.parquet"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1  # one readable paragraph, not a stack


TYPOS = [
    # (the text in 04_wonen.yaml, its typo, what the message must say besides the claim id)
    (
        "    qualifier: daalt\n",
        "    qualifier: daaltt\n",
        "use one of: ",
    ),  # the schema has no list: the registry check
    ("      kind: multiple_of_trough\n", "      kind: multiple_of_trogh\n", "use one of: value, sum, ratio"),
    ("    source: 85773NED\n", "    source: 85773NDE\n", "is not in config/sources.yaml (it has: "),
]


@pytest.mark.parametrize("good, typo, says", TYPOS, ids=["qualifier", "metric", "source"])
def test_a_typo_in_a_claim_stops_the_run_before_anything_is_fetched(tmp_path, good, typo, says):
    """A real run (not a dry run) against a server that serves every source: the typo must stop it when
    the workflow is parsed, naming the file, the claim and the valid choices, and nothing may be asked."""
    from helpers.shared_site import config_args, shared_site

    wf = workflow_copy(tmp_path)
    path = wf / "dossiers" / "bestaanszekerheid-2023" / "claims" / "04_wonen.yaml"
    text = path.read_text()
    assert good in text
    path.write_text(text.replace(good, typo, 1))
    server = shared_site()
    server.start()
    try:
        proc = snakemake(wf, "check", *config_args(server))
    finally:
        server.stop()
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "dossiers/bestaanszekerheid-2023/claims/04_wonen.yaml, claim t4_" in out and says in out, out[
        -2000:
    ]
    assert "Nothing was fetched" in out
    assert server.requests == [] and not (wf / "data" / "raw").exists()


def test_a_retry_is_one_readable_line_and_the_details_go_to_the_rules_log(tmp_path, capfd):
    """What a rule prints while a source cannot be reached: one line per retry, naming the source, in words;
    urllib3's own warnings (its class names, the pool) only in the rule's log file."""
    import logging

    from dossiercheck.logs import run_logged

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    log_file = tmp_path / "logs" / "fetch_source" / "85773NED.log"
    try:
        with pytest.raises(SystemExit), run_logged(log_file, "fetch_source"):
            fetch(None, tmp_path)  # port 9: refused; FAST allows 2 retries
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    err = capfd.readouterr().err
    retries = [line for line in err.splitlines() if "nieuwe poging" in line]
    assert [r.split(": ", 1)[1] for r in retries] == [
        "85773NED: 127.0.0.1 onbereikbaar (verbinding geweigerd), nieuwe poging 1 van 2 over 0 s",
        "85773NED: 127.0.0.1 onbereikbaar (verbinding geweigerd), nieuwe poging 2 van 2 over 0 s",
    ]
    assert "Retrying (" not in err and "NewConnectionError" not in err
    assert "the connection was refused" in err  # the error itself, in words
    logged = log_file.read_text()
    assert "Retrying (" in logged and "NewConnectionError" in logged  # the details, for a developer

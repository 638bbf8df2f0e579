"""The command line an analyst uses to explore a table, run as a real process."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from helpers.cli import run_cli as run


def test_fetch_then_tidy(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    fetched = run("fetch", "86141NED", "--base-url", cbs_server.url, "--out", str(tmp_path / "raw"))
    assert fetched.returncode == 0, fetched.stderr
    snapshot = Path(fetched.stdout.strip())
    assert (snapshot / "manifest.json").is_file() and snapshot.parent.name == "86141NED"
    tidied = run("tidy", str(snapshot), "--out", str(tmp_path / "t.parquet"))
    assert tidied.returncode == 0, tidied.stderr
    import json

    raw = json.loads((odata4_dir / "86141NED" / "Observations.json").read_bytes())["value"]
    assert len(pd.read_parquet(tmp_path / "t.parquet")) == len(raw)  # one tidy row per recorded observation
    for m in json.loads((odata4_dir / "86141NED" / "MeasureCodes.json").read_bytes())["value"]:
        assert f"{m['Identifier']}  {m['Title']} ({m['Unit']})" in tidied.stdout  # measures, titles, units


def test_v3_fetch(cbs_server, tmp_path):
    from conftest import shared_path

    cbs_server.root = shared_path("cbs", "odata3")
    fetched = run("fetch", "80137ned", "--api", "v3", "--base-url", cbs_server.host, "--out", str(tmp_path))
    assert fetched.returncode == 0, fetched.stderr
    assert (Path(fetched.stdout.strip()) / "TypedDataSet.json").is_file()


def test_failures_are_one_paragraph_and_non_zero(tmp_path):
    proc = run(
        "fetch", "85773NED", "--base-url", "http://127.0.0.1:9/CBS", "--out", str(tmp_path), "--retries", "0"
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("dossiercheck fetch: CBS table 85773NED: could not reach")
    assert "Traceback" not in proc.stderr
    bad = run("tidy", str(tmp_path / "nope"), "--out", str(tmp_path / "x.parquet"))
    assert bad.returncode == 1 and "no manifest.json" in bad.stderr and "Traceback" not in bad.stderr
    bad_id = run("fetch", "../../etc", "--out", str(tmp_path))
    assert bad_id.returncode == 1 and "cannot be used as a folder name" in bad_id.stderr

"""Benchmark: the pipeline's cost, measured in one run on this machine, printed as one table.

    .venv/bin/python bench/run.py [--repeat 3] [--rows 1000000]     (or: make bench)

Everything is served from a local HTTP server built from ../shared (tests/helpers/shared_site.py), so the
same client code runs as against CBS. Figures are medians of --repeat runs. Needs `pip install cbsodata`
for the peer comparison (the row is skipped without it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.chdir(ROOT / "tests")

from helpers.shared_site import config_args, shared_site  # noqa: E402
from helpers.workflow import snakemake, workflow_copy  # noqa: E402

PY = sys.executable
TARGETS = {"cold, no rendering": 30.0, "no-op rerun": 1.5, "1M observations": 20.0}


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def child(code: str) -> dict:
    """Run ``code`` in a fresh Python; it prints a JSON dict, to which the child's peak RSS is added."""
    wrapper = (
        code
        + "\nimport resource, json as _j; _r['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(_j.dumps(_r))"
    )
    out = subprocess.run([PY, "-c", wrapper], capture_output=True, text=True, cwd=ROOT / "tests")
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def ran_jobs(log: str) -> list[str]:
    """'rule(wildcards)' for every job a Snakemake log says it ran."""
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", log):
        m = re.match(r"(?:local)?rule (\w+):", block.strip())
        if m and m.group(1) != "all":
            wc = re.search(r"wildcards: ([^\n]*)", block)
            jobs.append(f"{m.group(1)}({wc.group(1)})" if wc else m.group(1))
    return sorted(jobs)


def pipeline(server, repeat):
    rows = []
    cfg = config_args(server)

    def cold(target):
        with tempfile.TemporaryDirectory() as tmp:
            wf = workflow_copy(Path(tmp))
            proc = snakemake(wf, *target, *cfg)
            assert proc.returncode == 0, proc.stderr[-2000:]

    rows.append(("cold, all themes + overview rendered (pandoc)", timed(lambda: cold([]), repeat), "s", None))
    rows.append(("cold, no rendering (snakemake check)", timed(lambda: cold(["check"]), repeat), "s", 30.0))
    with tempfile.TemporaryDirectory() as tmp:
        wf = workflow_copy(Path(tmp))
        assert snakemake(wf, *cfg).returncode == 0
        rows.append(("no-op rerun", timed(lambda: snakemake(wf, *cfg), repeat), "s", 1.5))
        # one source changes upstream: 85773NED gets a new Modified and one revised cell
        raw = json.loads((ROOT.parent / "shared/cbs/odata4/85773NED/Observations.json").read_bytes())
        raw["value"][-8]["Value"] = (raw["value"][-8]["Value"] or 0) + 1
        props = json.loads((ROOT.parent / "shared/cbs/odata4/85773NED/Properties.json").read_bytes())
        props["Modified"] = "2026-07-22T06:30:00+02:00"
        server.routes["/CBS/85773NED/Observations"] = json.dumps(raw).encode()
        server.routes["/CBS/85773NED/Properties"] = json.dumps(props).encode()
        t = time.perf_counter()
        first = snakemake(wf, "--forcerun", "fetch_source", "--until", "fetch_source", *cfg)
        second = snakemake(wf, *cfg)
        elapsed = time.perf_counter() - t
        del server.routes["/CBS/85773NED/Observations"], server.routes["/CBS/85773NED/Properties"]
        jobs = ran_jobs(second.stdout + second.stderr)
        rows.append(
            (f"refresh after one source changed (2 passes); then ran: {', '.join(jobs)}", elapsed, "s", None)
        )
        assert first.returncode == 0 and second.returncode == 0
    return rows


def ingest(table: str, kind: str, url_key: str, url: str, repeat: int, check: bool = True) -> dict:
    """Fetch + tidy (+ validate) ``table`` ``repeat`` times in a fresh Python: median seconds, rows, peak RSS."""
    return child(f"""
import time, tempfile
from pathlib import Path
from dossiercheck.fetch import fetch_source
from dossiercheck.tidy import tidy_snapshot
from dossiercheck.validate import validate
ts = []
for _ in range({repeat}):
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        p = fetch_source("{table}", {{"kind": "{kind}", "table_id": "{table}"}}, Path(tmp), Path(tmp) / "{table}" / "current.json", base_urls={{"{url_key}": "{url}"}})
        df, meta = tidy_snapshot(Path(tmp) / "{table}" / p["snapshot_dir"])
        if {check}:
            assert validate(df, meta).passed
        ts.append(time.perf_counter() - t)
ts.sort(); _r = {{"s": ts[len(ts) // 2], "rows": len(df)}}
""")


def tables(server, repeat):
    rows = []
    for table in sorted(
        p.name for p in (ROOT.parent / "shared/cbs/odata4").iterdir() if (p / "Observations.json").is_file()
    ):
        r = ingest(table, "cbs_odata4", "cbs_odata4_url", server.url, repeat)
        rows.append((f"{table}: fetch + tidy + validate, {r['rows']:,} rows", r["s"], "s", None))
        rows.append((f"{table}: peak RSS", r["peak_rss_mb"], "MB", None))
    return rows


def peer(server, repeat):
    """80137ned (v3, TypedDataSet): dossiercheck's fetch + tidy vs cbsodata.get_data vs a bare json.loads."""
    server.root = ROOT.parent / "shared/cbs/odata3"
    # cbsodata starts from the table's service document, recorded as _service.json
    server.routes["/ODataFeed/odata/80137ned/"] = (
        ROOT.parent / "shared/cbs/odata3/80137ned/_service.json"
    ).read_bytes()
    # cbsodata 1.3 asks for the UntypedDataSet; it gets the very bytes dossiercheck reads as TypedDataSet
    server.routes["/ODataFeed/odata/80137ned/UntypedDataSet"] = (
        ROOT.parent / "shared/cbs/odata3/80137ned/TypedDataSet.json"
    ).read_bytes()
    host = server.host.removeprefix("http://")
    ours = ingest("80137ned", "cbs_odata3", "cbs_odata3_url", server.host, repeat, check=False)
    rows = [("80137ned v3: dossiercheck fetch + tidy (cells)", ours["s"], "s", None)]
    try:
        theirs = child(f"""
import time, cbsodata
cbsodata.options.use_https = False
ts = []
for _ in range({repeat}):
    t = time.perf_counter(); data = cbsodata.get_data("80137ned", typed=True, catalog_url="{host}"); ts.append(time.perf_counter() - t)
ts.sort(); _r = {{"s": ts[len(ts) // 2], "rows": len(data)}}
""")
        rows.append(("80137ned v3: cbsodata.get_data (peer)", theirs["s"], "s", None))
        rows.append(
            (
                "  per-row ratio cbsodata / dossiercheck (target ≥ 3)",
                (theirs["s"] / theirs["rows"]) / (ours["s"] / (ours["rows"] / 12)),
                "×",
                None,
            )
        )
    except Exception as e:  # noqa: BLE001 - the peer is optional
        rows.append(
            (f"80137ned v3: cbsodata unavailable ({str(e).splitlines()[-1][:60]})", float("nan"), "", None)
        )
    body = (ROOT.parent / "shared/cbs/odata3/80137ned/TypedDataSet.json").read_bytes()
    rows.append(
        (
            "80137ned v3: bare json.loads of the same bytes (floor)",
            timed(lambda: json.loads(body), repeat),
            "s",
            None,
        )
    )
    server.root = ROOT.parent / "shared/cbs/odata4"
    return rows


def synthetic(server, rows_wanted, repeat):
    """A v4 table of ``rows_wanted`` observations: 2 measures x 500 regions x periods, pages of 100,000."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import v4

    table, regions, page_size = "99999BIG", 500, 100_000
    periods = [f"{1900 + i // 12}MM{i % 12 + 1:02d}" for i in range(rows_wanted // (2 * regions))]
    obs = (
        {
            "Id": i,
            "Measure": m,
            "ValueAttribute": "None",
            "Value": float(i % 997),
            "StringValue": None,
            "RegioS": f"GM{r:04d}",
            "Perioden": p,
        }
        for i, (m, r, p) in enumerate(
            (m, r, p) for m in ("M1", "M2") for r in range(regions) for p in periods
        )
    )
    rows = list(obs)
    base = f"/CBS/{table}"
    routes = {
        f"{base}/Properties": v4.properties(table),
        f"{base}/Dimensions": v4.collection(
            table,
            "Dimensions",
            [v4.dimension(table, "RegioS", "GeoDimension"), v4.dimension(table, "Perioden", "TimeDimension")],
        ),
        f"{base}/MeasureCodes": v4.collection(
            table,
            "MeasureCodes",
            [{"Identifier": m, "Title": m, "Unit": "aantal", "Decimals": 0} for m in ("M1", "M2")],
        ),
        f"{base}/RegioSCodes": v4.collection(
            table,
            "RegioSCodes",
            [{"Identifier": f"GM{r:04d}", "Title": f"Gemeente {r}"} for r in range(regions)],
        ),
        f"{base}/PeriodenCodes": v4.collection(
            table, "PeriodenCodes", [{"Identifier": p, "Title": p, "Status": "Definitief"} for p in periods]
        ),
    }
    for k in range(0, len(rows), page_size):
        nxt = f"{v4.CBS}/{table}/Observations?$skip={k + page_size}" if k + page_size < len(rows) else None
        routes[f"{base}/Observations" + (f"?$skip={k}" if k else "")] = v4.collection(
            table, "Observations", rows[k : k + page_size], nxt
        )
    server.routes.update(routes)
    del rows
    r = ingest(table, "cbs_odata4", "cbs_odata4_url", server.url, repeat)
    return [
        (f"synthetic v4 table, {r['rows']:,} observations: fetch + tidy + validate", r["s"], "s", 20.0),
        ("synthetic v4 table: peak RSS", r["peak_rss_mb"], "MB", 1536.0),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    server = shared_site()
    server.start()
    try:
        rows = pipeline(server, args.repeat) + tables(server, args.repeat) + peer(server, args.repeat)
        rows += synthetic(server, args.rows, max(1, args.repeat // 2))
    finally:
        server.stop()
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  unit  target")
    for name, value, unit, target in rows:
        verdict = "" if target is None else (f"≤ {target:g} {'ok' if value <= target else 'MISSED'}")
        print(f"{name:<{width}}  {value:>10.3f}  {unit:<4}  {verdict}")
    shutil.rmtree(ROOT / "tests" / ".pytest_cache", ignore_errors=True)


if __name__ == "__main__":
    main()

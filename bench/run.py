"""Benchmark: the pipeline's cost, measured in one run on this machine, printed as one table.

    .venv/bin/python bench/run.py [--repeat 3] [--rows 1000000] [--dossiers 20] [--sources 40]
                                  [--only pipeline tables peer synthetic dossiers]
    (or: make bench)

Everything is served from a local HTTP server built from ../shared (tests/helpers/shared_site.py), so the
same client code runs as against CBS. Figures are medians of --repeat runs. The peer comparison needs
cbsodata (`pip install -e ".[bench]"`, which `make bench` does); without it that row says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
os.chdir(ROOT / "tests")

from helpers.shared_site import FILE_COPIES as FILE_SOURCES  # noqa: E402
from helpers.shared_site import config_args, shared_site  # noqa: E402
from helpers.workflow import snakemake, workflow_copy  # noqa: E402

import dossiers  # noqa: E402

PY = sys.executable
# the targets: a number is an upper bound, ("≥", n) a lower one
TARGETS = {
    "page KB": 300.0,  # issue 15
    # issue 25 (restated against the floors printed beside them)
    "cold, no rendering": 10.0,
    "cold, rendered": 20.0,
    "no-op over stock": 0.3,  # seconds over stock Snakemake with the same jobs and params
    "start-up, no table": 0.25,  # CPU per job before its work: fetch, record, pages, render
    "start-up, table": 0.6,  # tidy, recompute
    "quarto processes": 1,  # per cold run
    "1M peak RSS MB": 350.0,
    "cbsodata per-row ratio": ("≥", 1.0),  # at or below cbsodata.get_data on the same bytes
    "÷ floor": 1.3,  # within 1.3 times a bare json.loads of the same pages
    "small table tidy + validate": 0.040,
}
# the rules whose jobs read a table (pandas, pandera, pyarrow before their work), and those that draw charts
# (matplotlib): each floor is what those imports cost a fresh interpreter. The rest (fetch, record_run's
# comparison of runs, the pages) need no more than Snakemake's script preamble.
TABLE_RULES = {"tidy_source", "recompute_claims"}
FLOOR_IMPORTS = {
    "table": "snakemake.script, pandas, pandera.pandas, pyarrow.parquet",
    "charts": "snakemake.script, matplotlib.pyplot",
    "none": "snakemake.script",
}
FLOOR_OF = {"tidy_source": "table", "recompute_claims": "table", "write_report_fragments": "charts",
            "write_dossier_pages": "charts"}  # fmt: skip


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# The child's own peak: VmHWM, which starts afresh at exec. (getrusage's ru_maxrss does not: on Linux a
# child started by fork + exec inherits the parent's high-water mark, here the benchmark's own payloads.)
PEAK_RSS = """
def _peak_mb():
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


def child(code: str) -> dict:
    """Run ``code`` in a fresh Python; it prints a JSON dict, to which the child's peak RSS is added."""
    wrapper = code + PEAK_RSS + "\nimport json as _j; _r['peak_rss_mb'] = _peak_mb(); print(_j.dumps(_r))"
    out = subprocess.run([PY, "-c", wrapper], capture_output=True, text=True, cwd=ROOT / "tests")
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def pipeline(server, repeat):
    rows = []
    cfg = config_args(server)

    jobs_cpu: dict[str, list[tuple[float, float]]] = {}

    def cold(target):
        with tempfile.TemporaryDirectory() as tmp:
            wf = workflow_copy(Path(tmp))
            proc = snakemake(wf, *target, *cfg)
            assert proc.returncode == 0, proc.stderr[-2000:]
            jobs_cpu.clear()
            jobs_cpu.update(job_cpu(wf / "logs"))

    rows.append(
        (
            "cold, every dossier's pages rendered (pandoc)",
            timed(lambda: cold([]), repeat),
            "s",
            TARGETS["cold, rendered"],
        )
    )
    rendered_cpu = dict(jobs_cpu)
    rows.append(
        (
            "cold, no rendering (snakemake check)",
            timed(lambda: cold(["check"]), repeat),
            "s",
            TARGETS["cold, no rendering"],
        )
    )
    check_cpu = dict(jobs_cpu)
    # where the cold run's CPU goes: every job is a Python process that starts, imports, then works. The
    # floor of a job's start-up: the interpreter and Snakemake's script preamble; for a job that reads a
    # table, pandas, pandera and pyarrow too (the design keeps one process per job and validates every table)
    floor = {kind: import_cpu(modules) for kind, modules in FLOOR_IMPORTS.items()}
    for kind, modules in FLOOR_IMPORTS.items():
        rows.append((f"  floor: start-up of a job importing {modules}", floor[kind], "s", None))
    # the cold runs' own floor: their jobs' start-up floors spread over the cores (one process per job
    # is kept, so this much CPU is paid before any job works), and what their jobs took in all
    cores = os.cpu_count() or 1
    for label, cpu in [("cold, rendered", rendered_cpu), ("cold, check", check_cpu)]:
        jobs = sum(len(v) for v in cpu.values())
        start = sum(len(v) * floor[FLOOR_OF.get(rule, "none")] for rule, v in cpu.items())
        rows.append(
            (f"  floor of {label}: {jobs} jobs' start-up floors ÷ {cores} cores", start / cores, "s", None)
        )
        used = sum(a + b for v in cpu.values() for a, b in v)
        rows.append(
            (f"  {label}: its jobs' CPU, start-up and work, ÷ {cores} cores", used / cores, "s", None)
        )
    for rule, cpu in sorted(rendered_cpu.items()):
        kind = FLOOR_OF.get(rule, "none")
        rows.append(
            (
                f"  {rule}: CPU before the work per job (mean of {len(cpu)}; floor {floor[kind]:.2f})",
                statistics.mean(c[0] for c in cpu),
                "s",
                TARGETS["start-up, table" if rule in TABLE_RULES else "start-up, no table"],
            )
        )
        rows.append((f"  {len(cpu)} × {rule}: CPU on the work", sum(c[1] for c in cpu), "s", None))
    rows.append(
        (
            "  Quarto processes a cold run starts (a stand-in quarto on PATH counts them)",
            quarto_calls(cfg),
            "",
            TARGETS["quarto processes"],
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        wf = workflow_copy(Path(tmp))
        assert snakemake(wf, *cfg).returncode == 0
        rows += site_sizes(wf / "reports" / "_site")
        noop = timed(lambda: snakemake(wf, *cfg), repeat)
        rows.append(("no-op rerun", noop, "s", None))
        # every job, the fetch checkpoints and the target rule too
        jobs = len(dossiers.jobs_run(snakemake(wf, "-n", "-F", *cfg))) + 1
        stock = stock_noop(jobs, repeat)
        rows += stock
        rows.append(
            (
                "  no-op over stock Snakemake with params",
                noop - stock[-1][1],
                "s",
                TARGETS["no-op over stock"],
            )
        )
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
        fetched, jobs = len(dossiers.jobs_run(first)), dossiers.jobs_run(second)
        rows.append(("refresh after 85773NED changed (2 passes; the jobs below)", elapsed, "s", None))
        rows.append((f"  ran fetch_source for each of {fetched} sources (forced)", float("nan"), "", None))
        rows += [(f"  ran {job}", float("nan"), "", None) for job in jobs]
        assert first.returncode == 0 and second.returncode == 0
    return rows


def import_cpu(modules: str, repeat: int = 3) -> float:
    """CPU seconds (user + system) a fresh interpreter takes to import ``modules``: the median of ``repeat``."""
    code = f"import {modules}; import os; t = os.times(); print(t.user + t.system)"
    return statistics.median(
        float(subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(repeat)
    )


def quarto_calls(cfg) -> int:
    """The Quarto processes a cold run of the whole workflow starts, renderer quarto, counted by a
    stand-in on PATH (tests/helpers/quarto_stub.py; Quarto itself cannot be installed here)."""
    from helpers import quarto_stub

    with tempfile.TemporaryDirectory() as tmp:
        wf = workflow_copy(Path(tmp) / "wf")
        env = quarto_stub.install(Path(tmp) / "bin", Path(tmp) / "calls.jsonl")
        proc = snakemake(wf, *cfg, "renderer=quarto", env=env)  # the last of the --config values
        assert proc.returncode == 0, proc.stderr[-2000:]
        return len(quarto_stub.calls(Path(tmp) / "calls.jsonl"))


STOCK = """
N = {n}
rule all:
    input: expand("out/{{i}}.txt", i=range(N - 1))
rule make:
    output: "out/{{i}}.txt"
{params}    shell: "echo {{wildcards.i}} > {{output}}"
"""


def job_cpu(logs: Path) -> dict[str, list[tuple[float, float]]]:
    """Per rule, each job's (CPU before its work, CPU on its work) as its log records it (logs.run_logged)."""
    import re

    from dossiercheck.logs import STARTUP_MARK

    line = re.compile(rf"{STARTUP_MARK}: ([\d.]+) s CPU before the work .*?, ([\d.]+) s CPU on the work")
    out: dict[str, list[tuple[float, float]]] = {}
    for log in sorted(logs.rglob("*.log")):  # logs/<rule>/<source>.log, logs/<rule>/<dossier>/<theme>.log
        m = line.search(log.read_text())
        if m:
            rule = log.relative_to(logs).parts[0]
            out.setdefault(rule, []).append((float(m.group(1)), float(m.group(2))))
    return out


def stock_noop(jobs: int, repeat: int) -> list:
    """The peer for the no-op rerun: stock Snakemake, in this environment, deciding that nothing is to do
    in a workflow with as many jobs as ours (one rule, each job writing one line), with and without a
    ``params`` entry per job. (With params Snakemake hashes them to see whether they changed, and where
    pandas is installed it imports pandas to do that: about 0.4 s that any workflow with params pays.)"""
    rows = []
    for label, params in (("", ""), (", with params", "    params: n=N\n")):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "Snakefile").write_text(STOCK.format(n=jobs, params=params))
            assert snakemake(Path(tmp)).returncode == 0
            rows.append(
                (
                    f"  peer: stock Snakemake no-op, {jobs} jobs{label}",
                    timed(lambda: snakemake(Path(tmp)), repeat),  # noqa: B023 - used at once
                    "s",
                    None,
                )
            )
    return rows


def ingest(source: str, entry: dict, base_urls: dict, repeat: int) -> dict:
    """Fetch, tidy and validate ``source`` (its config/sources.yaml ``entry``) ``repeat`` times in a fresh
    Python: the median of the whole and its phases, the tidy rows, and the child's peak RSS."""
    return child(f"""
import json, time, tempfile
from pathlib import Path
from dossiercheck.fetch import fetch_source
from dossiercheck.sources.tidying import tidy_snapshot
from dossiercheck.validate import validate
entry, base_urls = json.loads({json.dumps(json.dumps(entry))}), json.loads({json.dumps(json.dumps(base_urls))})
runs = []
for _ in range({repeat}):
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        p = fetch_source("{source}", entry, Path(tmp), Path(tmp) / "{source}" / "current.json", base_urls=base_urls)
        t1 = time.perf_counter()
        df, meta = tidy_snapshot(Path(tmp) / "{source}" / p["snapshot_dir"], entry)
        t2 = time.perf_counter()
        report = validate(df, meta)
        t3 = time.perf_counter()
        assert report.passed, report
        runs.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2))
        rows = len(df)
        del df, meta, report  # the peak is one ingest's, not two tables held at once
runs.sort(); mid = runs[len(runs) // 2]
_r = {{"s": mid[0], "fetch": mid[1], "tidy": mid[2], "validate": mid[3], "rows": rows}}
""")


def urls(server) -> dict[str, str]:
    """Every base URL key pointed at the local server (as the tests' --config does)."""
    args = config_args(server)[1:]
    return dict(a.split("=", 1) for a in args if a.split("=", 1)[0].endswith("_url"))


def floor(bodies: list[bytes], repeat: int) -> float:
    """A bare ``json.loads`` of every page: the least any Python client must spend on the payload."""
    return timed(lambda: [json.loads(b) for b in bodies], repeat)


def raw_floor(bodies: list[bytes], repeat: int) -> float:
    """What keeping every raw response costs before any parsing: each page written to a file of its own,
    fsynced and hashed (SHA-256), as a snapshot stores it (snapshot.SnapshotWriter.add). Not a floor of
    any client: of this design's promise that the last good data survives a crash, with its provenance."""
    import hashlib

    def once():
        with tempfile.TemporaryDirectory() as tmp:
            for i, body in enumerate(bodies):
                with open(Path(tmp) / f"{i}.json", "wb") as f:
                    f.write(body)
                    f.flush()
                    os.fsync(f.fileno())
                hashlib.sha256(body).hexdigest()

    return timed(once, repeat)


def cbsodata_get(host: str, table: str, repeat: int) -> dict:
    """The peer: ``cbsodata.get_data`` (typed) on the same server, in a fresh Python."""
    return child(f"""
import time, cbsodata
cbsodata.options.use_https = False
ts = []
for _ in range({repeat}):
    t = time.perf_counter(); data = cbsodata.get_data("{table}", typed=True, catalog_url="{host}"); ts.append(time.perf_counter() - t)
ts.sort(); _r = {{"s": ts[len(ts) // 2], "rows": len(data)}}
""")


def tables(server, repeat):
    """Every recorded table: fetch + tidy + validate and peak RSS; for JSON sources, the bare json.loads
    of their data as the floor. The v4 tables in ../shared, then the registry's file and bulk sources."""
    import yaml

    rows = []
    shared = ROOT.parent / "shared/cbs/odata4"
    registry = yaml.safe_load((ROOT / "config/sources.yaml").read_text())
    todo = [
        (p.name, {"kind": "cbs_odata4", "table_id": p.name}, sorted(p.glob("Observations*.json")))
        for p in sorted(shared.iterdir())
        if (p / "Observations.json").is_file()
    ] + [
        (source, entry, None)
        for source, entry in registry.items()
        if source in {*FILE_SOURCES, "83841NED"}  # what shared_site serves besides the v4 tables
    ]
    for source, entry, pages in todo:
        r = ingest(source, entry, urls(server), repeat)
        rows.append(
            (f"{source} ({entry['kind']}): fetch + tidy + validate, {r['rows']:,} cells", r["s"], "s", None)
        )
        if pages:
            base = floor([p.read_bytes() for p in pages], repeat)
            rows.append(
                (
                    f"{source}:   ÷ bare json.loads of its observations ({base * 1000:.1f} ms)",
                    r["s"] / base,
                    "×",
                    None,
                )
            )
        rows.append((f"{source}:   peak RSS", r["peak_rss_mb"], "MB", None))
    return rows


ROUNDS = 3  # ours and the peer measured in turn, so that a slower minute of a shared machine hits both


def in_turn(source, entry, base_urls, bodies, repeat, also=None):
    """``source`` ingested, its pages bare-parsed and stored raw (``raw_floor``) in turn, ROUNDS times (and
    ``also`` run each round): a ratio of figures taken a minute apart, not an hour, on a shared machine."""
    ours, bases, raws = [], [], []
    for _ in range(ROUNDS):
        ours.append(ingest(source, entry, base_urls, repeat))
        bases.append(floor(bodies, repeat))
        raws.append(raw_floor(bodies, repeat))
        if also is not None:
            also()
    return ours, bases, raws


def design_floor_rows(name: str, ours, bases, raws) -> list:
    """The floor with this design's two promises added (every raw page kept, every table validated):
    a bare parse, the raw snapshot (``raw_floor``) and the validation the run itself measured. What is
    left between it and the run is the tidy work proper: Arrow's parse and the long format."""
    median = statistics.median
    return [
        (
            f"{name}: raw snapshot alone, every page written + fsynced + hashed (kept raw)",
            median(raws),
            "s",
            None,
        ),
        (
            f"{name}:   dossiercheck ÷ (bare parse + raw snapshot + its own validation)",
            median(o["s"] / (b + r + o["validate"]) for o, b, r in zip(ours, bases, raws, strict=True)),
            "×",
            None,
        ),
    ]


def compare_v3(name: str, table: str, server, bodies: list[bytes], repeat: int) -> list:
    """dossiercheck against cbsodata and the json.loads floor on one v3 table served by ``server``.

    Per row, both read the same data-set rows, so the per-row ratio is the ratio of the times. The three
    are measured in turn, ROUNDS times; each figure is the median over the rounds, and each ratio the
    median of the rounds' ratios (a ratio of two measurements taken a minute apart, not an hour)."""
    median = statistics.median
    theirs = []
    peer_error = None

    def peer_round():
        nonlocal peer_error
        if peer_error is None:
            try:
                theirs.append(cbsodata_get(server.host.removeprefix("http://"), table, repeat))
            except Exception as e:  # noqa: BLE001 - the peer is optional
                peer_error = str(e).splitlines()[-1][:60]

    ours, bases, raws = in_turn(
        table,
        {"kind": "cbs_odata3", "table_id": table},
        {"cbs_odata3_url": server.host},
        bodies,
        repeat,
        peer_round,
    )
    mid = sorted(ours, key=lambda r: r["s"])[len(ours) // 2]
    base = median(bases)
    rows = [
        (f"{name}: dossiercheck fetch + tidy + validate ({mid['rows']:,} cells)", mid["s"], "s", None),
        (
            f"{name}:   of which fetch {mid['fetch']:.3f}, tidy {mid['tidy']:.3f}, validate {mid['validate']:.3f} s",
            mid["s"],
            "s",
            None,
        ),
        (f"{name}: bare json.loads of the data set pages (floor)", base, "s", None),
        (
            f"{name}:   dossiercheck ÷ floor",
            median(o["s"] / b for o, b in zip(ours, bases, strict=True)),
            "×",
            TARGETS["÷ floor"] if mid["rows"] > 100_000 else None,
        ),
        *(design_floor_rows(name, ours, bases, raws) if mid["rows"] > 100_000 else []),
        (
            f"{name}:   tidy + validate",
            median(o["tidy"] + o["validate"] for o in ours),
            "s",
            TARGETS["small table tidy + validate"] if mid["rows"] < 100_000 else None,
        ),
    ]
    if peer_error is not None:
        return rows + [(f"{name}: cbsodata unavailable ({peer_error})", float("nan"), "", None)]
    return rows + [
        (
            f"{name}: cbsodata.get_data, {theirs[0]['rows']:,} rows (peer)",
            median(t["s"] for t in theirs),
            "s",
            None,
        ),
        (
            f"{name}:   cbsodata ÷ floor",
            median(t["s"] / b for t, b in zip(theirs, bases, strict=True)),
            "×",
            None,
        ),
        (
            f"{name}:   cbsodata time ÷ dossiercheck time",
            median(t["s"] / o["s"] for t, o in zip(theirs, ours, strict=True)),
            "×",
            TARGETS["cbsodata per-row ratio"] if mid["rows"] > 100_000 else None,
        ),
    ]


def peer(server, repeat):
    """80137ned (v3, recorded) through dossiercheck, cbsodata and a bare json.loads."""
    v3 = ROOT.parent / "shared/cbs/odata3/80137ned"
    server.root = v3.parent
    # cbsodata starts from the table's service document, recorded as _service.json
    server.routes["/ODataFeed/odata/80137ned/"] = (v3 / "_service.json").read_bytes()
    # cbsodata 1.3 asks for the UntypedDataSet even when typed; it gets the bytes dossiercheck reads
    body = (v3 / "TypedDataSet.json").read_bytes()
    server.routes["/ODataFeed/odata/80137ned/UntypedDataSet"] = body
    try:
        return compare_v3("80137ned v3", "80137ned", server, [body], repeat)
    finally:
        server.root = ROOT.parent / "shared/cbs/odata4"


def synthetic_tables(server, observations, repeat):
    """The synthetic table in v4 shape (the 1M target) and in v3 shape (against cbsodata)."""
    import synthetic

    v4 = synthetic.v4_routes("99999BIG", observations)
    server.routes.update(v4)
    ours, bases, raws = in_turn(
        "99999BIG",
        {"kind": "cbs_odata4", "table_id": "99999BIG"},
        {"cbs_odata4_url": server.url},
        [b for k, b in v4.items() if "/Observations" in k],
        repeat,
    )
    for key in v4:
        del server.routes[key]
    r = sorted(ours, key=lambda o: o["s"])[len(ours) // 2]
    rows = [
        (f"synthetic v4, {r['rows']:,} observations: fetch + tidy + validate", r["s"], "s", None),
        (
            f"synthetic v4:   of which fetch {r['fetch']:.2f}, tidy {r['tidy']:.2f}, validate {r['validate']:.2f} s",
            r["s"],
            "s",
            None,
        ),
        ("synthetic v4:   peak RSS", max(o["peak_rss_mb"] for o in ours), "MB", TARGETS["1M peak RSS MB"]),
        (
            "synthetic v4: bare json.loads of the observation pages (floor)",
            statistics.median(bases),
            "s",
            None,
        ),
        (
            "synthetic v4:   dossiercheck ÷ floor",
            statistics.median(o["s"] / b for o, b in zip(ours, bases, strict=True)),
            "×",
            TARGETS["÷ floor"],
        ),
        *design_floor_rows("synthetic v4", ours, bases, raws),
    ]
    v3 = synthetic.v3_routes("99999BIG", observations, feed=f"{server.host}/ODataFeed/odata")
    server.routes.update(v3)
    bodies = [b for k, b in v3.items() if "/TypedDataSet" in k]
    rows += compare_v3("synthetic v3", "99999BIG", server, bodies, repeat)
    for key in v3:
        del server.routes[key]
    return rows


def site_sizes(site: Path) -> list:
    """The published site's weight: in all, its shared assets, and per page the HTML plus the shared assets
    it loads (the target: under 300 KB) with its own charts listed apart."""
    import re

    def kb(paths) -> float:
        return sum(p.stat().st_size for p in paths) / 1024

    rows = [("site: everything in reports/_site", kb(p for p in site.rglob("*") if p.is_file()), "KB", None)]
    shared = [p for p in (site / "style").rglob("*") if p.is_file()]
    rows.append(("site: shared assets (style/)", kb(shared), "KB", None))
    for page in sorted(site.glob("*.html")):
        refs = set(re.findall(r'src="(?!https?:|data:)([^"#]+)', page.read_text(encoding="utf-8")))
        charts = [site / r for r in refs if r.endswith(".svg") and (site / r).is_file()]
        rows.append((f"site: {page.name} + shared assets", kb([page, *shared]), "KB", TARGETS["page KB"]))
        rows.append((f"site: {page.name}   its own charts ({len(charts)})", kb(charts), "KB", None))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dossiers", type=int, default=20, help="synthetic dossiers (part 'dossiers')")
    parser.add_argument("--sources", type=int, default=40, help="synthetic sources they share")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["pipeline", "tables", "peer", "synthetic", "dossiers"],
        help="measure only these parts (default: all)",
    )
    args = parser.parse_args()
    parts = {
        "pipeline": lambda: pipeline(server, args.repeat),
        "tables": lambda: tables(server, args.repeat),
        "peer": lambda: peer(server, args.repeat),
        "synthetic": lambda: synthetic_tables(server, args.rows, args.repeat),
        "dossiers": lambda: dossiers.measure(
            server, timed, job_cpu, args.dossiers, args.sources, args.repeat
        ),
    }
    server = shared_site()
    server.start()
    try:
        rows = [
            row for part, measure in parts.items() if not args.only or part in args.only for row in measure()
        ]
    finally:
        server.stop()
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  unit  target")
    for name, value, unit, target in rows:
        verdict = ""
        if target is not None:
            op, bound = target if isinstance(target, tuple) else ("≤", target)
            met = value <= bound if op == "≤" else value >= bound
            verdict = f"{op} {bound:g} {'ok' if met else 'MISSED'}"
        shown = "" if value != value else f"{value:.0f}" if unit == "jobs" else f"{value:.3f}"  # nan: text
        print(f"{name:<{width}}  {shown:>10}  {unit:<4}  {verdict}")
    shutil.rmtree(ROOT / "tests" / ".pytest_cache", ignore_errors=True)


if __name__ == "__main__":
    main()

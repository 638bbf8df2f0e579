"""The cost of one more dossier: N synthetic dossiers sharing M synthetic CBS v4 sources (bench/run.py
--only dossiers; defaults 20 and 40).

A workflow copy gets N dossiers instead of the real ones and M small tables instead of config/sources.yaml.
Every table has 3 measures x 2 regions x 5 years; every dossier has 1-3 themes and reads 6 of the tables
with one claim each (kind ``value``), assigned so that each table is read by the same number of dossiers
(3 with the defaults): sharing is what the workflow promises to pay for once. Each claim quotes the very
value the table holds, so every figure comes out correct.

Measured: the DAG build (``snakemake -n``) for growing N, the cold ``check`` and the cold full run for N,
the no-op rerun, and the jobs per rule of the cold run. Checked (cheaply, no timing): every run exits 0,
each source is fetched exactly once, every dossier has its overview page.
"""

from __future__ import annotations

import collections
import shutil
import tempfile
from pathlib import Path

import synthetic  # bench/synthetic.py: the v4 metadata routes
import yaml
from helpers import v4
from helpers.shared_site import config_args
from helpers.workflow import ran_jobs as jobs_run  # noqa: F401  (bench/run.py uses it too)
from helpers.workflow import snakemake, workflow_copy

MEASURES = ("M000001", "M000002", "M000003")
REGIONS = ("NL01  ", "GM0001")  # padded as CBS pads some region codes; claims name them unpadded
YEARS = tuple(range(2019, 2024))
READS_PER_DOSSIER = 6  # the tables each dossier reads, one claim each
DATE = "2025-01-15"  # every dossier's date: all of YEARS had ended by then


def table_id(i: int) -> str:
    return f"9{i:04d}SYN"


def cell(i: int, m: int, r: int, y: int) -> int:
    """The value of table i's cell (measure m, region r, year index y): distinct small integers."""
    return 1000 + 100 * i + 20 * m + 10 * r + y


def table_routes(i: int) -> dict[str, bytes]:
    """Table i in CBS's OData v4 shape (tests/helpers/v4), one Observations page of 30 cells."""
    table = table_id(i)
    base = f"/CBS/{table}"
    obs = [
        {
            "Id": k,
            "Measure": measure,
            "ValueAttribute": "None",
            "Value": float(cell(i, m, r, y)),
            "StringValue": None,
            "RegioS": region,
            "Perioden": f"{year}JJ00",
        }
        for k, (m, measure, r, region, y, year) in enumerate(
            (m, measure, r, region, y, year)
            for m, measure in enumerate(MEASURES)
            for r, region in enumerate(REGIONS)
            for y, year in enumerate(YEARS)
        )
    ]
    codes = [
        {"Identifier": code, "Index": k + 1, "Title": title, "Description": "", "DimensionGroupId": None}
        for k, (code, title) in enumerate(zip(REGIONS, ("Nederland", "Gemeente 1"), strict=True))
    ]
    measures = [
        {"Identifier": measure, "Index": m + 1, "Title": f"Maat {m + 1}", "Description": "", "MeasureGroupId": None,
         "DataType": "Double", "Unit": "aantal", "Decimals": 0, "PresentationType": "Absolute"}
        for m, measure in enumerate(MEASURES)
    ]  # fmt: skip
    periods = [
        {"Identifier": f"{year}JJ00", "Index": y + 1, "Title": str(year), "Description": "",
         "DimensionGroupId": "0", "Status": "Definitief"}
        for y, year in enumerate(YEARS)
    ]  # fmt: skip
    return {
        **synthetic.metadata_routes(table, measures, codes, periods),
        f"{base}/Observations": v4.collection(table, "Observations", obs),
    }


def sources(m: int) -> dict:
    """config/sources.yaml for the M synthetic tables."""
    return {
        table_id(i): {
            "publisher": "CBS",
            "kind": "cbs_odata4",
            "table_id": table_id(i),
            "title": f"Synthetische tabel {i + 1}",
            "url": f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table_id(i)}",
            "licence": "CC BY 4.0",
        }
        for i in range(m)
    }


def reads(d: int, m: int) -> list[int]:
    """The tables dossier d reads. With N = M/2 dossiers, (2d + 13j) mod M over j < 6 gives every table to
    exactly 3 dossiers: for a table s and each j whose parity matches s, one d solves 2d = s - 13j (mod M),
    and three of the six j have that parity; the three d differ (by 13 mod M/2, which is odd)."""
    return list(dict.fromkeys((2 * d + 13 * j) % m for j in range(READS_PER_DOSSIER)))


def write_dossiers(root: Path, n: int, m: int) -> None:
    """Replace root/dossiers/ by n synthetic dossiers reading the m tables of ``sources(m)``."""
    shutil.rmtree(root / "dossiers")
    for d in range(n):
        folder = root / "dossiers" / slug(d)
        (folder / "claims").mkdir(parents=True)
        themes = [f"{t + 1:02d}_thema_{t + 1}" for t in range(1 + d % 3)]
        claims: dict[str, list] = {t: [] for t in themes}
        for j, i in enumerate(reads(d, m)):
            mi, r, y = j % len(MEASURES), (d + j) % len(REGIONS), (d + j) % len(YEARS)
            value = cell(i, mi, r, y)
            claims[themes[j % len(themes)]].append(
                {
                    "id": f"d{d:02d}_c{j}",
                    "title": f"Cijfer {j + 1}",
                    "quote": f"In {YEARS[y]} was het aantal {value}.",
                    "wording": str(value),
                    "value": value,
                    "unit": "aantal",
                    "period": f"{YEARS[y]}JJ00",
                    "source": table_id(i),
                    "metric": {
                        "kind": "value",
                        "measure": MEASURES[mi],
                        "period_kind": "JJ",
                        "filters": {"RegioS": REGIONS[r].strip()},
                    },
                }
            )
        dump(
            folder / "dossier.yaml",
            {
                "title": f"Synthetisch dossier {d + 1}",
                "publisher": "Bench",
                "url": f"https://example.org/dossier-{d + 1}",
                "date": DATE,
                "themes": [
                    {"id": t, "title": f"Thema {k + 1}", "intro": f"Thema {k + 1} van dossier {d + 1}."}
                    for k, t in enumerate(themes)
                ],
            },
        )
        for t, items in claims.items():
            dump(folder / "claims" / f"{t}.yaml", {"theme": t, "title": t, "claims": items})
        dump(folder / "not_figures.yaml", {"not_figures": []})


def slug(d: int) -> str:
    return f"synth-{d + 1:02d}"


def dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def measure(
    server, timed, job_cpu, dossiers: int = 20, sources_n: int = 40, repeat: int = 3, steps=(1, 5, 10)
) -> list:
    """The rows (label, value, unit, target) for ``dossiers`` dossiers over ``sources_n`` sources.
    ``timed`` and ``job_cpu`` are bench/run.py's (a median of repeats; each job's CPU from its log)."""
    for i in range(sources_n):
        server.routes.update(table_routes(i))
    cfg = config_args(server, unavailable_sources="fail")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        wf = workflow_copy(Path(tmp) / "wf")
        write_dossiers(wf, dossiers, sources_n)
        (wf / "config" / "sources.yaml").write_text(yaml.safe_dump(sources(sources_n)), encoding="utf-8")

        readers = collections.Counter(i for d in range(dossiers) for i in reads(d, sources_n))
        rows.append(
            (
                f"dossiers: {dossiers} dossiers, {sum(readers.values())} claims on {len(readers)} sources, "
                f"each read by {min(readers.values())}–{max(readers.values())} dossiers",
                float("nan"),
                "",
                None,
            )
        )

        # (a) the DAG build: a dry run, no job runs
        parse = {}
        for n in sorted({*(s for s in steps if s < dossiers), dossiers}):
            only = ["dossiers=" + ",".join(slug(d) for d in range(n))]

            def dry(only=only):
                proc = snakemake(wf, "-n", *cfg, *only)
                assert proc.returncode == 0, proc.stderr[-3000:]

            parse[n] = timed(dry, repeat)
            rows.append((f"dossiers: DAG build (snakemake -n), {n} dossier(s)", parse[n], "s", None))
        ns = sorted(parse)
        slope = (parse[ns[-1]] - parse[ns[0]]) / (ns[-1] - ns[0]) if len(ns) > 1 else float("nan")
        rows.append((f"dossiers:   per dossier more ({ns[0]} → {ns[-1]}, slope)", slope, "s", None))

        # (b) cold: the check (fetch, tidy, recompute; no pages), then the pages on top of it. The two
        # passes together do a cold full run's jobs, each once; measuring the full run apart would repeat
        # the check's jobs (about a third of the time) for one more figure. Each pass once: it takes minutes.
        passes = {}

        def run(name, *target):
            def go():
                proc = snakemake(wf, *target, *cfg, timeout=1800)
                assert proc.returncode == 0, proc.stderr[-3000:]
                passes[name] = jobs_run(proc)

            return timed(go, 1)

        t_check = run("check", "check")
        t_pages = run("pages")
        t_full = t_check + t_pages
        jobs = passes["check"] + passes["pages"]
        scope = f"{dossiers} dossiers × {sources_n} sources"
        rows += [
            (f"dossiers: cold check (fetch, tidy, recompute), {scope}", t_check, "s", None),
            ("dossiers: then the pages on top (pandoc)", t_pages, "s", None),
            (f"dossiers: cold full run (the two passes), {scope}", t_full, "s", None),
            # (e) derived
            ("dossiers:   cold check per dossier", t_check / dossiers, "s", None),
            ("dossiers:   cold check per source", t_check / sources_n, "s", None),
            ("dossiers:   cold full run per dossier", t_full / dossiers, "s", None),
            ("dossiers:   cold full run per source", t_full / sources_n, "s", None),
            ("dossiers:   cold full run per job", t_full / len(jobs), "s", None),
        ]
        # where a job's second goes: each is a Python process that starts, imports, then works
        per_rule = job_cpu(wf / "logs")
        cpu = [c for per_job in per_rule.values() for c in per_job]
        # what one more small source costs a cold run: its fetch and its tidy job (issue 25: at most 1 s CPU)
        own = [c for rule in ("fetch_source", "tidy_source") for c in per_rule.get(rule, [])]
        rows.append(
            (
                "dossiers:   one more small source: CPU of its fetch + tidy jobs",
                sum(map(sum, own)) / sources_n,
                "s",
                1.0,
            )
        )
        rows += [
            (
                f"dossiers:   {len(cpu)} jobs' CPU before the work (start-up, imports)",
                sum(c[0] for c in cpu),
                "s",
                None,
            ),
            (f"dossiers:   {len(cpu)} jobs' CPU on the work", sum(c[1] for c in cpu), "s", None),
        ]

        # (c) nothing changed: Snakemake only decides that
        def noop():
            proc = snakemake(wf, *cfg)
            assert proc.returncode == 0 and not jobs_run(proc), jobs_run(proc)

        rows.append((f"dossiers: no-op rerun, {dossiers} dossiers", timed(noop, repeat), "s", None))

        # (d) jobs per rule of the cold run: a source is fetched and tidied once, whoever reads it
        per_rule = collections.Counter(job.split("(")[0] for job in jobs)
        for rule, count in sorted(per_rule.items()):
            rows.append((f"dossiers:   cold run, jobs of {rule}", count, "jobs", None))
        rows.append(("dossiers:   cold run, jobs in all", len(jobs), "jobs", None))

        used = {i for d in range(dossiers) for i in reads(d, sources_n)}
        fetched = collections.Counter(j for j in jobs if j.startswith("fetch_source("))
        assert len(fetched) == len(used) and set(fetched.values()) == {1}, fetched  # each once
        site = wf / "reports" / "_site"
        missing = [slug(d) for d in range(dossiers) if not (site / slug(d) / "index.html").is_file()]
        assert not missing, f"no overview page for {missing}"
    for i in range(sources_n):
        for key in table_routes(i):
            server.routes.pop(key, None)
    return rows

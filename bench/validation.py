"""How much validation adds to ingesting a table: fetch + tidy versus the validation step, per recorded
CBS table in ../shared, served from a local HTTP server. Prints medians of several repetitions.

    .venv/bin/python bench/validation.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers.cbs_server import CbsServer  # noqa: E402

from dossiercheck import validate as v  # noqa: E402
from dossiercheck.fetch import fetch_source  # noqa: E402
from dossiercheck.sources.tidying import tidy_snapshot  # noqa: E402

SHARED = ROOT.parent / "shared" / "cbs" / "odata4"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    server = CbsServer(root=SHARED)
    server.start()
    tables = sorted(p.name for p in SHARED.iterdir() if (p / "Observations.json").is_file())
    print(
        f"{'table':<10} {'rows':>7} {'fetch s':>8} {'tidy s':>8} {'validate s':>11} {'validate/ingest':>16}"
    )
    try:
        for table in tables:
            fetch_t, tidy_t, val_t = [], [], []
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    t0 = time.perf_counter()
                    p = fetch_source(
                        table,
                        {"kind": "cbs_odata4", "table_id": table},
                        Path(tmp),
                        Path(tmp) / table / "current.json",
                        base_urls={"cbs_odata4_url": server.url},
                    )
                    t1 = time.perf_counter()
                    df, meta = tidy_snapshot(Path(tmp) / table / p["snapshot_dir"])
                    t2 = time.perf_counter()
                    report = v.validate(df, meta)
                    t3 = time.perf_counter()
                    assert report.passed
                fetch_t.append(t1 - t0)
                tidy_t.append(t2 - t1)
                val_t.append(t3 - t2)
            f, t, vv = (statistics.median(x) for x in (fetch_t, tidy_t, val_t))
            print(f"{table:<10} {len(df):>7} {f:>8.3f} {t:>8.3f} {vv:>11.3f} {vv / (f + t):>15.0%}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

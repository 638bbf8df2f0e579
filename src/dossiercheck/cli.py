"""Command line: explore a table before writing a claim for it.

    dossiercheck fetch 85773NED                       # OData v4 -> data/raw/85773NED/<snapshot>/
    dossiercheck fetch 80137ned --api v3 --out /tmp/raw
    dossiercheck tidy data/raw/85773NED/<snapshot> --out 85773NED.parquet

The pipeline itself runs through Snakemake (make run); these commands call the same functions.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from dossiercheck import __version__
from dossiercheck.errors import DossiercheckError
from dossiercheck.http import HttpSettings


def _fetch(args: argparse.Namespace) -> int:
    from dossiercheck.fetch import fetch_source
    from dossiercheck.sources import cbs_odata3, cbs_odata4

    kind = "cbs_odata3" if args.api == "v3" else "cbs_odata4"
    default = cbs_odata3.DEFAULT_BASE_URL if args.api == "v3" else cbs_odata4.DEFAULT_BASE_URL
    key = "cbs_odata3_url" if args.api == "v3" else "cbs_odata4_url"
    out = Path(args.out)
    pointer = fetch_source(
        args.table_id,
        {"kind": kind, "table_id": args.table_id},
        out,
        out / args.table_id / "current.json",
        base_urls={key: args.base_url or default},
        http=HttpSettings(retries=args.retries),
        refresh="force" if args.force else "check",
    )
    snapshot = out / args.table_id / pointer["snapshot_dir"]
    print(snapshot)
    if pointer.get("note"):
        print(pointer["note"], file=sys.stderr)
    return 0


def _tidy(args: argparse.Namespace) -> int:
    from dossiercheck.snapshot import atomic_write_bytes
    from dossiercheck.tidy import tidy_snapshot

    df, meta = tidy_snapshot(Path(args.snapshot_dir))
    atomic_write_bytes(Path(args.out), df.to_parquet(index=False))
    print(
        f"{args.out}: {len(df)} rows, {df['measure'].nunique()} measures, periods {df['period'].min()}…{df['period'].max()}"
    )
    for code, m in sorted(meta["measures"].items())[:50]:
        print(f"  {code}  {m.get('title')} ({m.get('unit')})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dossiercheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"dossiercheck {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show progress (pages, rows)")
    sub = parser.add_subparsers(dest="command", required=True)

    f = sub.add_parser("fetch", help="download one CBS table into a raw snapshot")
    f.add_argument("table_id", help="CBS table id as CBS writes it, e.g. 85773NED or 03759ned")
    f.add_argument("--api", choices=("v4", "v3"), default="v4", help="OData v4 (default) or v3")
    f.add_argument("--base-url", help="API base URL (default: CBS's own; use for a proxy or mirror)")
    f.add_argument("--out", default="data/raw", help="folder for snapshots (default: data/raw)")
    f.add_argument("--force", action="store_true", help="download even if the table is unchanged")
    f.add_argument("--retries", type=int, default=3, help="retries on 429/5xx/connection errors")
    f.set_defaults(func=_fetch)

    t = sub.add_parser("tidy", help="turn a raw snapshot into a tidy long table (parquet)")
    t.add_argument("snapshot_dir", help="a folder data/raw/<source>/<snapshot>/")
    t.add_argument("--out", required=True, help="the .parquet file to write")
    t.set_defaults(func=_tidy)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    try:
        return args.func(args)
    except DossiercheckError as e:
        print(f"dossiercheck {args.command}: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # pandera's SchemaErrors and the like: say what, not a stack
        print(f"dossiercheck {args.command}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

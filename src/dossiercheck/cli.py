"""Command line: explore a table before writing a claim for it.

    dossiercheck fetch 85773NED                       # OData v4 -> data/raw/85773NED/<snapshot>/
    dossiercheck fetch 80137ned --api v3 --out /tmp/raw
    dossiercheck tidy data/raw/85773NED/<snapshot> --out 85773NED.parquet

The pipeline itself runs through Snakemake (make run); these commands call the same functions.
"""

from __future__ import annotations

import argparse
import logging
import os
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


def _diff(args: argparse.Namespace) -> int:
    from dossiercheck import diff as d

    a = d.read_figures(d.resolve(args.a, args.runs, args.baseline))
    b = d.read_figures(d.resolve(args.b, args.runs, args.baseline))
    result = d.diff(a, b)
    text = d.FORMATS[args.format](result)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return d.exit_code(result)


def _baseline(args: argparse.Namespace) -> int:
    from dossiercheck import diff as d

    figures = d.accept_baseline(Path(args.run) / "figures.csv", Path(args.baseline), args.theme)
    print(
        f"{args.baseline}: {len(figures)} figures accepted"
        + (f" (theme {args.theme} updated)" if args.theme else "")
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    """Exit 0: every source was asked and none has anything new; 1: something to act on (newer data, a
    source not fetched yet, a source gone); 2: at least one source could not be asked, so nobody knows
    (a CI gate must not pass on that)."""
    from dossiercheck.upstream import newer_sources

    rows = newer_sources(
        Path(args.config), Path(args.sources), Path(args.claims), Path(args.raw), Path(args.bundle)
    )
    marks = {
        "newer": "NEWER", "same": "same", "not_fetched": "NOT FETCHED", "gone": "GONE",
        "unreachable": "UNREACHABLE", "manual": "manual",
    }  # fmt: skip
    for r in rows:
        upstream = r.get("upstream_modified") or r.get("note") or "-"
        print(
            f"{marks[r['state']]:<11} {r['source']:<24} snapshot {r.get('snapshot_modified') or '-'}  upstream {upstream}"
        )
        if r["state"] in ("newer", "gone") and r["claims"]:
            print(f"{'':<11} claims affected: {', '.join(r['claims'])}")
    by = {state: [r["source"] for r in rows if r["state"] == state] for state in marks}
    asked = [r for r in rows if r["state"] != "manual"]
    summary = f"{len(by['newer'])} of {len(asked)} sources have newer data upstream"
    if by["not_fetched"]:
        summary += f"; {len(by['not_fetched'])} not fetched yet ({', '.join(by['not_fetched'])})"
    if by["gone"]:
        summary += f"; {len(by['gone'])} gone upstream ({', '.join(by['gone'])}): see their successor above"
    if by["unreachable"]:
        summary += (
            f"; {len(by['unreachable'])} could not be asked ({', '.join(by['unreachable'])}): check the network "
            "or proxy, or point their URL in config/config.yaml at a mirror, and run dossiercheck status again"
        )
    elif by["newer"] or by["not_fetched"]:
        summary += "; run: make refresh"
    print(summary)
    if by["unreachable"]:
        return 2
    return 1 if by["newer"] or by["not_fetched"] or by["gone"] else 0


def _bundle(args: argparse.Namespace) -> int:
    """Copy the snapshots in use (data/raw/<source>/current.json) into the bundle the repository ships."""
    import yaml

    from dossiercheck.bundle import make_bundle

    sources = yaml.safe_load(Path(args.sources).read_text(encoding="utf-8")) or {}
    recordings = args.recordings
    if recordings is None:  # the recordings beside the project, when they are there (a developer's machine)
        shared = Path(os.environ.get("DOSSIERCHECK_SHARED", "../shared")) / "cbs" / "FILES.tsv"
        recordings = shared if shared.is_file() else None
    payload = make_bundle(Path(args.raw), Path(args.out), sources, recordings=recordings)
    how: dict[str, int] = {}
    for entry in payload["sources"].values():
        for f in entry["files"]:
            how[f["origin"]["how"]] = how.get(f["origin"]["how"], 0) + 1
    print(
        f"{args.out}: {len(payload['sources'])} sources, {payload['bytes'] / 1e6:.1f} MB; files by origin: "
        + ", ".join(f"{k} {v}" for k, v in sorted(how.items()))
    )
    print(f"Commit {args.out} with the site it built: a fresh clone then builds that site without a network.")
    return 0


def _watch(args: argparse.Namespace) -> int:
    """After `make refresh`: what moved since the accepted baseline, in data/processed/watch/summary.md."""
    import yaml

    from dossiercheck.watch import watch

    sources = yaml.safe_load(Path(args.sources).read_text(encoding="utf-8")) or {}
    claims = sorted(Path(args.claims).glob("[0-9][0-9]_*.json"))
    code = watch(
        Path(args.diff), claims, Path(args.raw), sources, Path(args.out), site_url=args.site_url,
        history=Path(args.history),
    )  # fmt: skip
    print(Path(args.out).read_text(encoding="utf-8"))
    print(
        {0: "Nothing moved.", 1: f"Something moved: review {args.out}.", 2: "Could not check everything."}[
            code
        ]
    )
    return code


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

    d = sub.add_parser("diff", help="compare the figures of two runs (exit 0: nothing material, 1: changes)")
    d.add_argument("a", help="a run id, a run folder, a figures.csv, or 'baseline'")
    d.add_argument("b", help="the same, for the newer side")
    d.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    d.add_argument("--out", help="write to this file instead of the terminal")
    d.add_argument("--runs", default="data/runs", help="where runs are kept (default: data/runs)")
    d.add_argument("--baseline", default="config/baseline/figures.csv", help="the accepted baseline")
    d.set_defaults(func=_diff)

    b = sub.add_parser("baseline", help="accept the current figures as the baseline")
    b.add_argument("action", choices=("accept",))
    b.add_argument("--theme", help="accept only this theme's figures, e.g. 04_wonen")
    b.add_argument("--run", default="data/processed/run", help="the run to accept (default: the current one)")
    b.add_argument("--baseline", default="config/baseline/figures.csv")
    b.set_defaults(func=_baseline)

    st = sub.add_parser(
        "status",
        help="which sources have newer data upstream (exit 0: nothing new, 1: something new or gone, "
        "2: some could not be asked)",
    )
    st.add_argument("--config", default="config/config.yaml")
    st.add_argument("--sources", default="config/sources.yaml")
    st.add_argument("--claims", default="config/claims")
    st.add_argument("--raw", default="data/raw")
    st.add_argument("--bundle", default="data/bundle", help="the snapshots shipped with the code")
    st.set_defaults(func=_status)

    w = sub.add_parser(
        "watch",
        help="after make refresh: what moved since the accepted baseline (exit 0: nothing, 1: something moved, "
        "2: could not check), written to data/processed/watch/summary.md",
    )
    w.add_argument("--diff", default="data/processed/diff/baseline.json")
    w.add_argument("--claims", default="data/processed/claims")
    w.add_argument("--raw", default="data/raw")
    w.add_argument("--sources", default="config/sources.yaml")
    w.add_argument("--history", default="config/baseline/history.json")
    w.add_argument("--out", default="data/processed/watch/summary.md")
    w.add_argument("--site-url", default="reports/_site", help="where the pages are, for the links")
    w.set_defaults(func=_watch)

    bu = sub.add_parser("bundle", help="ship the snapshots in use now with the code (data/bundle/)")
    bu.add_argument("--raw", default="data/raw")
    bu.add_argument("--out", default="data/bundle")
    bu.add_argument("--sources", default="config/sources.yaml")
    bu.add_argument(
        "--recordings",
        help="an index of recorded files (tab-separated, with sha256 and origin columns) that says where each "
        "file came from (default: ../shared/cbs/FILES.tsv when it exists)",
    )
    bu.set_defaults(func=_bundle)
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
        return ERROR_EXIT.get(args.command, 1)
    except Exception as e:  # pandera's SchemaErrors and the like: say what, not a stack
        print(f"dossiercheck {args.command}: {type(e).__name__}: {e}", file=sys.stderr)
        return ERROR_EXIT.get(args.command, 1)


# diff and status use 1 for "something changed", so an error is 2 there: a CI gate can tell them apart
ERROR_EXIT = {"diff": 2, "status": 2, "watch": 2}


if __name__ == "__main__":
    sys.exit(main())

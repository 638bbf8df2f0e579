"""Command line: explore a table before writing a claim for it.

    dossiercheck fetch 85773NED                       # OData v4 -> data/raw/85773NED/<snapshot>/
    dossiercheck fetch 80137ned --api v3 --out /tmp/raw
    dossiercheck tidy data/raw/85773NED/<snapshot> --out 85773NED.parquet
    dossiercheck init demo-2025 --title "…" --publisher CBS --date 2025-01-15 --url https://…   # a new dossier
    dossiercheck scan                                 # the configured dossier's sentences no claim covers
    dossiercheck scan demo-2025                       # that dossier's: its text and claims
    dossiercheck scan --text document.md --claims dossiers/<slug>/claims   # any text: drafts -> _draft.yaml
    dossiercheck find koopwoningen prijsindex                     # search CBS's catalogue
    dossiercheck describe 85773NED                                # a table's measures and codes

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
    from dossiercheck.sources.tidying import tidy_snapshot

    df, meta = tidy_snapshot(Path(args.snapshot_dir))
    atomic_write_bytes(Path(args.out), df.to_parquet(index=False))
    print(
        f"{args.out}: {len(df)} rows, {df['measure'].nunique()} measures, periods {df['period'].min()}…{df['period'].max()}"
    )
    for code, m in sorted(meta["measures"].items())[:50]:
        print(f"  {code}  {m.get('title')} ({m.get('unit')})")
    return 0


def _dossier_path(given: str | None, part: str, slug: str | None = None) -> str:
    """``given``, or the part (claims, not_figures, baseline, history, processed, site) of one dossier:
    ``slug`` (a command's --dossier), else the only one config/config.yaml checks."""
    if given:
        return given
    from dossiercheck.dossier import configured_slug, dossier_paths

    return str(getattr(dossier_paths(configured_slug(given=slug)), part))


def _slugs(given: str | None) -> list[str]:
    """The dossiers a command covers: --dossier's, else every one config/config.yaml checks."""
    from dossiercheck.dossier import configured_slug, configured_slugs

    return [configured_slug(given=given)] if given else configured_slugs()


def _diff(args: argparse.Namespace) -> int:
    from dossiercheck import diff as d

    if args.runs is None:
        args.runs = _runs_of(
            args.dossier, [x for x in (args.a, args.b) if x != "baseline" and not Path(x).exists()]
        )
    if "baseline" in (args.a, args.b):  # two runs or files need no dossier; a run kept for one names it
        held_by = Path(args.runs).name if Path(args.runs).parent == Path("data/runs") else None
        args.baseline = _dossier_path(args.baseline, "baseline", args.dossier or held_by)
    a = d.read_figures(d.resolve(args.a, args.runs, args.baseline))
    b = d.read_figures(d.resolve(args.b, args.runs, args.baseline))
    result = d.diff(a, b)
    text = d.FORMATS[args.format](result)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return d.exit_code(result)


def _runs_of(slug: str | None, ids: list[str]) -> str:
    """Where runs are kept: data/runs/<dossier>/ (--dossier's, or the one that holds the run ids given), else
    data/runs/ (runs kept elsewhere are named by folder)."""
    root = Path("data/runs")
    if slug:
        return str(root / slug)
    holders = {p.parent.parent for i in ids for p in root.glob(f"*/{i}/figures.csv")}
    return str(holders.pop()) if len(holders) == 1 else str(root)


def _baseline(args: argparse.Namespace) -> int:
    from dossiercheck import diff as d
    from dossiercheck.dossier import dossier_paths

    if args.run or args.baseline or args.dossier:  # one dossier (named, or the only one), or its files named
        run = args.run or str(Path(_dossier_path(None, "processed", args.dossier)) / "run")
        pairs = [(run, _dossier_path(args.baseline, "baseline", args.dossier))]
    else:  # every dossier checked: each its own run and baseline
        pairs = [(dossier_paths(s).processed / "run", dossier_paths(s).baseline) for s in _slugs(None)]
    for run, baseline in pairs:
        figures = d.accept_baseline(Path(run) / "figures.csv", Path(baseline), args.theme)
        print(
            f"{baseline}: {len(figures)} figures accepted"
            + (f" (theme {args.theme} updated)" if args.theme else "")
        )
    return 0


def _status(args: argparse.Namespace) -> int:
    """Exit 0: every source was asked and none has anything new; 1: something to act on (newer data, a
    source not fetched yet, a source gone); 2: at least one source could not be asked, so nobody knows
    (a CI gate must not pass on that)."""
    from dossiercheck.dossier import dossier_paths
    from dossiercheck.upstream import newer_sources

    claims = (
        [Path(c) for c in args.claims]
        if args.claims
        else [dossier_paths(s).claims for s in _slugs(args.dossier)]
    )
    rows = newer_sources(Path(args.config), Path(args.sources), claims, Path(args.raw), Path(args.bundle))
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

    from dossiercheck.dossier import dossier_paths, load_dossier
    from dossiercheck.registry import claim_sources, load_yaml
    from dossiercheck.watch import Watched, watch_dossiers

    sources = yaml.safe_load(Path(args.sources).read_text(encoding="utf-8")) or {}
    slugs = _slugs(args.dossier)
    watched, read = [], set()
    for slug in slugs:
        paths = dossier_paths(slug)
        for f in sorted(paths.claims.glob("[0-9][0-9]_*.yaml")):
            read |= {s for c in (load_yaml(f) or {}).get("claims") or [] for s, _ in claim_sources(c)}
        watched.append(
            Watched(
                load_dossier(slug)["title"] if len(slugs) > 1 else None,
                paths.processed / "diff" / "baseline.json",
                sorted((paths.processed / "claims").glob("[0-9][0-9]_*.json")),
                f"{args.site_url.rstrip('/')}/{slug}",
                paths.history,
            )
        )
    # only the sources these dossiers read: the pipeline fetches no other
    code = watch_dossiers(
        watched, Path(args.raw), {k: v for k, v in sources.items() if k in read}, Path(args.out)
    )
    print(Path(args.out).read_text(encoding="utf-8"))
    print(
        {0: "Nothing moved.", 1: f"Something moved: review {args.out}.", 2: "Could not check everything."}[
            code
        ]
    )
    return code


def _shorten(sentence: str, mark: str, width: int = 160) -> str:
    """The sentence, or for a long one the words around ``mark``."""
    if len(sentence) <= width:
        return sentence
    at = max(0, sentence.find(mark))
    start = max(0, at - width // 2)
    return ("…" if start else "") + sentence[start : start + width].strip() + "…"


def _scan(args: argparse.Namespace) -> int:
    """Exit 0: every number and trend word of the text is covered; 1: something to act on (statements no
    claim covers, drafts written; or registry entries the text no longer has); 2: an error."""
    from dossiercheck.dossier import configured_slug, dossier_paths, load_dossier, text_path
    from dossiercheck.scan import scan_document

    if args.text is None or args.claims is None:  # the named (else the configured) dossier's text and claims
        slug = args.slug or configured_slug(how="by its name: dossiercheck scan SLUG")
        paths = dossier_paths(slug)
        if args.slug and not paths.folder.is_dir():
            raise DossiercheckError(
                f"{paths.folder}/ is not there: name a folder under dossiers/, or start one with "
                f"dossiercheck init {slug} (see dossiercheck init --help)."
            )
        args.claims = args.claims or str(paths.claims)
        if args.text is None:
            text = text_path(load_dossier(slug), slug=slug)
            if text is None or not text.is_file():
                raise DossiercheckError(
                    f"{paths.file} names no text that is present ({text}): add its 'text' (the path from the "
                    f"repository's root), put the text in {paths.text}, or give it with --text FILE."
                )
            args.text = str(text)
    result, drafts, out = scan_document(args.text, args.claims, args.not_figures, args.out)
    for s in result.statements:
        print(f"{args.text}:{s.line}: {', '.join(s.marks)}")
        print(f"    {_shorten(s.sentence, s.marks[0])}")
        if s.drafted_in:
            print(f"    (a draft in {s.drafted_in}: finish it, or it is never checked)")
    for q in result.stale_quotes:
        print(f"{q.file}: claim {q.claim_id}: its quote is not in {args.text}; copy it anew from the text.")
    for text in result.stale_not_figures:
        print(f"not_figures: {text!r} is not in {args.text}; remove it or copy it anew.")
    if not result.statements:
        print(f"Every number and trend word in {args.text} is in a claim or in not_figures.")
    else:
        print(
            f"{len(result.statements)} statements with a number or trend word are not covered by a claim or by "
            f"not_figures; {len(drafts)} drafts written to {out}. Per draft: find its table (dossiercheck find "
            "WORDS) and codes (dossiercheck describe TABLE), add source, metric and unit, move it into a theme "
            "file and remove 'draft: true'; or list its words in not_figures with a reason."
        )
    return 1 if result.statements or result.stale_quotes or result.stale_not_figures else 0


def _init(args: argparse.Namespace) -> int:
    """Write dossiers/<slug>/ and say what comes next; exit 2 (nothing written) on a wrong option."""
    from dossiercheck.dossier import TEXT_FILE, init_dossier

    written = init_dossier(
        args.slug, args.title, args.date, args.url, args.publisher, themes=args.theme, text=args.text,
        copy_text=args.copy_text, licence=args.licence,
    )  # fmt: skip
    print(f"Wrote dossiers/{args.slug}/:")
    for path in written:
        print(f"  {path}")
    if args.text and not args.copy_text and not Path(args.text).is_file():
        print(f"Note: {args.text} is not there yet; put the text there before scanning.")
    elif not args.text:
        print(
            f"Note: no text yet; add its path as 'text' in dossiers/{args.slug}/dossier.yaml, or put it in "
            f"dossiers/{args.slug}/{TEXT_FILE} if its licence allows a copy."
        )
    print(
        "Next:\n"
        f"  1. dossiers/{args.slug}/dossier.yaml: check every key, and write each theme's intro (it says 'Nog te "
        "schrijven').\n"
        f"  2. dossiercheck scan {args.slug}: drafts a claim for every sentence with a number or trend word.\n"
        "  3. Per draft: dossiercheck find WORDS (its table) and dossiercheck describe TABLE (its measures and "
        "codes); move it into its theme file in claims/ (see the comment there).\n"
        f'  4. make run (every dossier; only this one: make run CONFIG="dossiers={args.slug}"), then read '
        f"reports/_site/{args.slug}/index.html"
    )
    return 0


def _describe(args: argparse.Namespace) -> int:
    import yaml

    from dossiercheck.catalog import describe, format_description

    sources = Path(args.sources)
    entry = None
    if sources.is_file():  # a table the registry reads: its entry (a file source needs its column mapping)
        entry = (yaml.safe_load(sources.read_text(encoding="utf-8")) or {}).get(args.table_id)
    meta, snapshot, fetched = describe(
        args.table_id, Path(args.raw), api=args.api, base_url=args.base_url,
        http=HttpSettings(retries=args.retries), entry=entry,
    )  # fmt: skip
    if fetched:
        print(f"(no snapshot of {args.table_id} under {args.raw} yet: fetched it)", file=sys.stderr)
    sys.stdout.write(format_description(meta, snapshot, None if args.all else args.limit))
    return 0


def _find(args: argparse.Namespace) -> int:
    """Exit 0: tables found; 1: none matched every word; 2: the catalogue could not be had."""
    from dossiercheck.catalog import catalog, search

    apis = ("v4", "v3") if args.api == "both" else (args.api,)
    urls = {"v4": args.v4_url, "v3": args.v3_url}
    found = 0
    for api in apis:
        entries, note = catalog(
            api,
            Path(args.raw),
            refresh=args.refresh,
            base_url=urls[api],
            http=HttpSettings(retries=args.retries),
        )
        hits = search(entries, args.words)
        found += len(hits)
        print(f"{note}: {len(hits)} of {len(entries)} tables match {' '.join(args.words)!r}")
        for e in hits[: args.limit]:
            stopped = f"  [discontinued: {e.status}]" if e.discontinued else ""
            print(f"  {e.identifier:<10} {e.modified or '?':<10}  {e.title}{stopped}")
        if len(hits) > args.limit:
            print(f"  … and {len(hits) - args.limit} more: add a word, or --limit {len(hits)}")
    if found:
        print(
            "Next: dossiercheck describe ID"
            + (" (add --api v3 for a table from the v3 catalogue)" if "v3" in apis else "")
        )
    return 0 if found else 1


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
    d.add_argument("--runs", help="where runs are kept (default: the dossier's, data/runs/<dossier>)")
    d.add_argument("--baseline", help="the accepted baseline (default: the dossier's baseline/figures.csv)")
    d.add_argument("--dossier", help="whose baseline 'baseline' means, when several dossiers are checked")
    d.set_defaults(func=_diff)

    b = sub.add_parser("baseline", help="accept the current figures as the baseline")
    b.add_argument("action", choices=("accept",))
    b.add_argument("--theme", help="accept only this theme's figures, e.g. 04_wonen")
    b.add_argument("--dossier", help="accept only this dossier's figures (default: every dossier checked)")
    b.add_argument(
        "--run", help="the run to accept (default: the dossier's current one, data/processed/<dossier>/run)"
    )
    b.add_argument("--baseline", help="default: the dossier's baseline/figures.csv")
    b.set_defaults(func=_baseline)

    st = sub.add_parser(
        "status",
        help="which sources have newer data upstream (exit 0: nothing new, 1: something new or gone, "
        "2: some could not be asked)",
    )
    st.add_argument("--config", default="config/config.yaml")
    st.add_argument("--sources", default="config/sources.yaml")
    st.add_argument("--dossier", help="only the sources this dossier reads (default: every dossier checked)")
    st.add_argument(
        "--claims",
        action="append",
        help="a claims folder; repeat for several (default: the claims/ of every dossier checked)",
    )
    st.add_argument("--raw", default="data/raw")
    st.add_argument("--bundle", default="data/bundle", help="the snapshots shipped with the code")
    st.set_defaults(func=_status)

    w = sub.add_parser(
        "watch",
        help="after make refresh: what moved since the accepted baseline (exit 0: nothing, 1: something moved, "
        "2: could not check), written to data/processed/watch/summary.md",
    )
    w.add_argument("--dossier", help="only this dossier (default: every dossier checked, a section each)")
    w.add_argument("--raw", default="data/raw")
    w.add_argument("--sources", default="config/sources.yaml")
    w.add_argument("--out", default="data/processed/watch/summary.md")
    w.add_argument(
        "--site-url",
        default="reports/_site",
        help="where the site is, for the links (<site-url>/<dossier>/…)",
    )
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

    sc = sub.add_parser(
        "scan",
        help="list the sentences of a text with a number or trend word that no claim covers, and write draft "
        "claims for them (exit 0: all covered, 1: drafts written or stale entries, 2: error)",
    )
    sc.add_argument(
        "slug",
        nargs="?",
        help="the dossier to scan, a folder under dossiers/ (default: the one config/config.yaml names)",
    )
    sc.add_argument(
        "--text",
        help="the document's text, plain text or Markdown (default: the dossier's, named by the 'text' of its "
        "dossier.yaml, else its text.md)",
    )
    sc.add_argument("--claims", help="the folder of theme files (default: the dossier's claims/)")
    sc.add_argument(
        "--not-figures",
        help="the list of numbers that are not figures (default: not_figures.yaml in or beside --claims)",
    )
    sc.add_argument(
        "--out", help="where the drafts go (default: _draft.yaml in --claims; only it is replaced)"
    )
    sc.set_defaults(func=_scan)

    ini = sub.add_parser(
        "init",
        help="start a dossier for a new document: dossiers/<slug>/ with dossier.yaml, claims/ and "
        "not_figures.yaml (exit 0: written, 2: nothing written, with what to fix)",
    )
    ini.add_argument(
        "slug", help="the folder's name: lowercase letters, digits, hyphens, e.g. cbs-inflatie-2024"
    )
    ini.add_argument("--title", required=True, help="the document's title, as the publisher gives it")
    ini.add_argument(
        "--publisher", required=True, help="who published it, as readers know it (e.g. CBS, Movisie)"
    )
    ini.add_argument("--date", required=True, help="its publication date, YYYY-MM-DD")
    ini.add_argument("--url", required=True, help="where it is published (http:// or https://)")
    ini.add_argument(
        "--text",
        help="the text's file (plain text or Markdown); its path is recorded, relative to the repository's root",
    )
    ini.add_argument(
        "--copy-text",
        action="store_true",
        help="copy --text into the folder as text.md instead (only when the licence allows a copy)",
    )
    ini.add_argument(
        "--licence", help="who holds the text's rights (default: a sentence that no copy is kept)"
    )
    ini.add_argument(
        "--theme",
        action="append",
        help="a theme, id=title, e.g. 01_inflatie=Inflatie (repeat for more; default: 01_cijfers=Cijfers)",
    )
    ini.set_defaults(func=_init)

    de = sub.add_parser(
        "describe", help="a CBS table's title, measures and codes (from its newest snapshot, else fetched)"
    )
    de.add_argument("table_id", help="CBS table id as CBS writes it, e.g. 85773NED or 80137ned")
    de.add_argument("--api", choices=("v4", "v3"), default="v4", help="for a fetch: OData v4 (default) or v3")
    de.add_argument("--raw", default="data/raw", help="where snapshots are (default: data/raw)")
    de.add_argument("--base-url", help="API base URL for a fetch (default: CBS's own)")
    de.add_argument("--sources", default="config/sources.yaml", help="the table's entry, if it has one")
    de.add_argument("--limit", type=int, default=20, help="codes shown per dimension (default 20)")
    de.add_argument("--all", action="store_true", help="show every code")
    de.add_argument("--retries", type=int, default=3, help="retries on 429/5xx/connection errors")
    de.set_defaults(func=_describe)

    fi = sub.add_parser(
        "find",
        help="search CBS's catalogue by title and description (exit 0: found, 1: nothing, 2: error)",
    )
    fi.add_argument("words", nargs="+", help="words that must all occur (any case, accents optional)")
    fi.add_argument("--api", choices=("v4", "v3", "both"), default="v4", help="which catalogue (default v4)")
    fi.add_argument("--raw", default="data/raw", help="where the catalogue is kept (default: data/raw)")
    fi.add_argument(
        "--refresh", action="store_true", help="fetch the catalogue even if it is under a week old"
    )
    fi.add_argument("--limit", type=int, default=25, help="tables shown per catalogue (default 25)")
    fi.add_argument("--v4-url", help="OData v4 base URL (default https://datasets.cbs.nl/odata/v1/CBS)")
    fi.add_argument("--v3-url", help="OData v3 host (default https://opendata.cbs.nl)")
    fi.add_argument("--retries", type=int, default=3, help="retries on 429/5xx/connection errors")
    fi.set_defaults(func=_find)
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
ERROR_EXIT = {"diff": 2, "status": 2, "watch": 2, "scan": 2, "describe": 2, "find": 2, "init": 2}


if __name__ == "__main__":
    sys.exit(main())

"""What CBS has: search its catalogue (`dossiercheck find`) and describe one table (`dossiercheck describe`),
for the analyst who fills in a draft claim's source and metric.

The catalogues are CBS's own lists of tables: OData v4 ``<base>/Datasets`` (base
https://datasets.cbs.nl/odata/v1/CBS; ``Status`` "Gediscontinueerd" marks a stopped table) and OData v3
``https://opendata.cbs.nl/ODataCatalog/Tables`` (``Frequency`` "Stopgezet", ``OutputStatus``
"Gediscontinueerd"). Each is kept as a raw snapshot (snapshot.SnapshotWriter: untouched pages and a
manifest) under ``data/raw/_catalog_v4`` and ``_catalog_v3`` (the leading underscore keeps them apart
from the sources, whose ids start with a letter or digit) and searched there; a catalogue younger than a
week is not asked for again.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests

from dossiercheck.errors import SnapshotError, SourceError, SourceUnavailable
from dossiercheck.http import HttpSettings, make_session
from dossiercheck.snapshot import SnapshotWriter, latest_good, verify
from dossiercheck.sources import cbs_odata3, cbs_odata4
from dossiercheck.sources.base import _short

log = logging.getLogger(__name__)

CATALOG_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class CatalogApi:
    """One CBS catalogue: where it is asked for and kept, and how its pages chain."""

    api: str  # v4 | v3
    label: str
    folder: str  # under data/raw
    default_url: str
    path: str  # after the base URL
    params: dict[str, str]
    next_key: str
    option: str  # the command-line option that points it elsewhere


CATALOGS = {
    "v4": CatalogApi(
        "v4",
        "CBS catalogue (OData v4)",
        "_catalog_v4",
        cbs_odata4.DEFAULT_BASE_URL,
        "Datasets",
        # only what find shows and searches (the full rows carry long texts nobody searches)
        {"$select": "Identifier,Title,Description,Status,Modified,Language,DatasetType"},
        "@odata.nextLink",
        "--v4-url",
    ),
    "v3": CatalogApi(
        "v3",
        "CBS catalogue (OData v3)",
        "_catalog_v3",
        cbs_odata3.DEFAULT_BASE_URL,
        "ODataCatalog/Tables",
        {"$format": "json"},
        "odata.nextLink",
        "--v3-url",
    ),
}


@dataclass(frozen=True)
class CatalogEntry:
    api: str
    identifier: str
    title: str
    modified: str  # the date CBS last changed the table, YYYY-MM-DD ('' when the catalogue gives none)
    status: str  # as CBS writes it: Regulier, Gediscontinueerd; v3: its Frequency when that is Stopgezet
    discontinued: bool
    search_text: str  # title and descriptions, folded (fold)


def fold(text: str) -> str:
    """Lower case without accents: 'Beëindigde' -> 'beeindigde', so a search needs neither."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def entry_of(api: str, row: dict[str, Any]) -> CatalogEntry:
    if api == "v4":
        status = str(row.get("Status") or "")
        discontinued = status in cbs_odata4.DISCONTINUED
        texts = [row.get("Title"), row.get("Description")]
    else:
        frequency, output = str(row.get("Frequency") or ""), str(row.get("OutputStatus") or "")
        discontinued = frequency in cbs_odata3.DISCONTINUED or output in cbs_odata3.DISCONTINUED
        status = frequency if frequency in cbs_odata3.DISCONTINUED else output
        texts = [row.get("Title"), row.get("ShortTitle"), row.get("Summary"), row.get("ShortDescription")]
    return CatalogEntry(
        api,
        str(row.get("Identifier") or "").strip(),
        " ".join(str(row.get("Title") or "").split()),
        str(row.get("Modified") or "")[:10],
        status,
        discontinued,
        fold(" ".join(str(t) for t in texts if t)),
    )


# --- the catalogue as a snapshot --------------------------------------------------------------------------


def _get(session: requests.Session, cat: CatalogApi, url: str, params, settings: HttpSettings):
    """One page of the catalogue: (response, rows, next link)."""
    try:
        r = session.get(url, params=params, timeout=settings.timeout)
    except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as e:
        timed_out = isinstance(e, requests.Timeout) or "TimeoutError" in str(e)
        what = f"no answer within {settings.read_timeout:g} s" if timed_out else _short(e)
        raise SourceUnavailable(
            f"{cat.label}: could not reach {url} ({what}, after {settings.retries} retries). Check the network "
            f"or proxy, or give a mirror with {cat.option}."
        ) from e
    if r.status_code == 429 or r.status_code >= 500:
        raise SourceUnavailable(
            f"{cat.label}: {url} answered HTTP {r.status_code} after {settings.retries} retries; the server is "
            "down or busy. Try again later."
        )
    if r.status_code != 200:
        raise SourceError(
            f"{cat.label}: {url} answered HTTP {r.status_code}; expected 200. Check {cat.option} (default "
            f"{cat.default_url})."
        )
    try:
        body = orjson.loads(r.content)
    except orjson.JSONDecodeError as e:
        raise SourceError(
            f"{cat.label}: the answer from {r.url} is not valid JSON ({e}); it may have been cut off. Nothing "
            "was stored; try again later."
        ) from e
    rows = body.get("value") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        raise SourceError(
            f"{cat.label}: the answer from {r.url} has no 'value' list, so it is not CBS's catalogue. Check "
            f"{cat.option} (default {cat.default_url}); nothing was stored."
        )
    return r, rows, body.get(cat.next_key)


def _follow(link: str, cat: CatalogApi, base: str) -> str:
    """A next link as CBS writes it (its own host), through the configured base URL."""
    parts = urlsplit(link)
    query = f"?{parts.query}" if parts.query else ""
    if cat.api == "v3":
        return cbs_odata3.rebase_host(link, base)
    tail = parts.path[parts.path.rfind("/" + cat.path) :]
    return f"{base.rstrip('/')}{tail}{query}"


def fetch_catalog(
    api: str, raw_root: Path, base_url: str | None = None, http: HttpSettings | None = None
) -> Path:
    """Download a catalogue, page by page, into a new snapshot under ``raw_root/_catalog_<api>/``; a failed
    download leaves every earlier snapshot as it was. Returns the snapshot folder."""
    cat = CATALOGS[api]
    http = http or HttpSettings()
    base = (base_url or cat.default_url).rstrip("/")
    session = make_session(http, label=cat.label)
    url, params, seen, count, page = f"{base}/{cat.path}", dict(cat.params), set(), 0, 1
    stem = cat.path.rsplit("/", 1)[-1]
    with SnapshotWriter(Path(raw_root) / cat.folder, f"cbs_catalog_{api}", "cbs_catalog") as writer:
        while True:
            r, rows, link = _get(session, cat, url, params, http)
            count += len(rows)
            name = f"{stem}.json" if page == 1 else f"{stem}.{page:04d}.json"
            writer.add(
                name, r.content, url=r.url, query=params or {}, http_status=r.status_code,
                etag=r.headers.get("ETag"), last_modified=r.headers.get("Last-Modified"),
                content_type=r.headers.get("Content-Type"),
            )  # fmt: skip
            if not link:
                break
            if link in seen:
                raise SourceError(
                    f"{cat.label}: the server sent the same {cat.next_key} twice ({link}); following it would "
                    "loop forever. Nothing was stored; try again later."
                )
            seen.add(link)
            url, params, page = _follow(link, cat, base), None, page + 1
        if count == 0:
            raise SourceError(
                f"{cat.label}: {base}/{cat.path} lists no tables. Check {cat.option} (default {cat.default_url}); "
                "nothing was stored."
            )
        writer.table_meta = {"api": api, "base_url": base, "title": cat.label, "rows": count, "pages": page}
        return writer.commit()


def read_catalog(snapshot_dir: Path, manifest: dict[str, Any] | None = None) -> list[CatalogEntry]:
    """Every table of a catalogue snapshot (its pages in the order they were fetched); its checksums are
    verified unless its verified ``manifest`` is given."""
    manifest = manifest or verify(snapshot_dir)
    api = manifest.get("api", "v4")
    out = []
    for f in manifest["files"]:
        try:
            rows = orjson.loads((Path(snapshot_dir) / f["name"]).read_bytes())["value"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as e:
            raise SnapshotError(
                f"{snapshot_dir / f['name']}: not a catalogue page ({e}). Delete {snapshot_dir} and run "
                "`dossiercheck find` again with --refresh."
            ) from e
        out += [entry_of(api, row) for row in rows]
    return out


def _taken_at(manifest: dict[str, Any]) -> datetime:
    return datetime.strptime(manifest["retrieved_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def catalog(
    api: str,
    raw_root: Path,
    *,
    refresh: bool = False,
    base_url: str | None = None,
    http: HttpSettings | None = None,
    now: datetime | None = None,
) -> tuple[list[CatalogEntry], str]:
    """The catalogue's tables and a note on where they come from: the newest snapshot when it is younger
    than a week (and not ``refresh``), else a new download; when CBS cannot be reached, the snapshot there
    is, however old (the note says so), and with none, ``SourceUnavailable``."""
    cat = CATALOGS[api]
    folder = Path(raw_root) / cat.folder
    cached = latest_good(folder)
    manifest = verify(cached) if cached is not None else None
    now = now or datetime.now(UTC)
    if manifest is not None and not refresh and now - _taken_at(manifest) < CATALOG_MAX_AGE:
        return read_catalog(cached, manifest), f"{cat.label} of {_taken_at(manifest):%Y-%m-%d} ({cached})"
    try:
        snapshot = fetch_catalog(api, raw_root, base_url, http)
    except SourceUnavailable as e:
        if manifest is None:
            raise SourceUnavailable(
                f"{e} There is no earlier copy in {folder} to search instead; run again when CBS answers."
            ) from e
        when = f"{_taken_at(manifest):%Y-%m-%d}"
        log.warning("%s Searching the copy of %s (%s) instead.", e, when, cached)
        return read_catalog(cached, manifest), f"{cat.label} of {when} ({cached}): CBS could not be reached"
    return read_catalog(snapshot), f"{cat.label}, fetched now ({snapshot})"


def search(entries: list[CatalogEntry], words: list[str]) -> list[CatalogEntry]:
    """The tables whose title or description holds every one of ``words`` (any case, any accents; a word
    may be part of a longer one: 'huur' finds 'huurtoeslag'). Current tables first, then the most recently
    changed."""
    wanted = [fold(w) for w in words if w.strip()]
    hits = sorted((e for e in entries if all(w in e.search_text for w in wanted)), key=lambda e: e.identifier)
    hits.sort(key=lambda e: e.modified, reverse=True)  # sorts are stable: each keeps the order before
    hits.sort(key=lambda e: e.discontinued)
    return hits


# --- describing one table ---------------------------------------------------------------------------------


def api_entry(table_id: str, api: str, base_url: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The sources.yaml entry and base URLs `dossiercheck fetch` uses for a table on ``api`` (v4 or v3)."""
    if api == "v3":
        return {"kind": "cbs_odata3", "table_id": table_id}, {
            "cbs_odata3_url": base_url or cbs_odata3.DEFAULT_BASE_URL
        }
    return {"kind": "cbs_odata4", "table_id": table_id}, {
        "cbs_odata4_url": base_url or cbs_odata4.DEFAULT_BASE_URL
    }


def describe(
    table_id: str,
    raw_root: Path,
    *,
    api: str = "v4",
    base_url: str | None = None,
    http: HttpSettings | None = None,
    entry: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], Path, bool]:
    """A table's title, measures and codes (sources.tidying.table_metadata, the pipeline's own reading) from
    its newest snapshot under ``raw_root/<table_id>/``, fetched first (as `dossiercheck fetch` does) when there
    is none. Returns (metadata, snapshot folder, fetched now). ``entry``: the table's sources.yaml entry, if it has one."""
    from dossiercheck.fetch import fetch_source
    from dossiercheck.sources.tidying import table_metadata

    raw_root = Path(raw_root)
    snapshot = latest_good(raw_root / table_id)
    fetched = snapshot is None
    if fetched:
        fetch_entry, urls = api_entry(table_id, api, base_url)
        pointer = fetch_source(
            table_id, fetch_entry, raw_root, raw_root / table_id / "current.json", base_urls=urls, http=http
        )
        snapshot = raw_root / table_id / pointer["snapshot_dir"]
    return table_metadata(snapshot, verify(snapshot), entry), snapshot, fetched


def format_description(meta: dict[str, Any], snapshot: Path, limit: int | None = 20) -> str:
    """The description as the analyst reads it: title and status, measures (code, title, unit), and per
    dimension its codes with their titles (the first and last ``limit``/2 of a long list; None: all)."""
    status = meta.get("upstream_status") or ""
    stopped = status in cbs_odata4.DISCONTINUED | cbs_odata3.DISCONTINUED
    lines = [
        f"{meta.get('table_id')}  {meta.get('title') or '(no title)'}",
        f"  snapshot {snapshot} (taken {str(meta.get('retrieved_at', ''))[:10]}); CBS last changed it "
        f"{str(meta.get('upstream_modified') or '?')[:10]}" + (f"; status {status}" if status else ""),
    ]
    if stopped:
        lines.append(
            "  DISCONTINUED: CBS no longer updates this table. Look for its successor: dossiercheck find WORDS"
        )
    measures = meta.get("measures") or {}
    lines.append(f"Measures ({len(measures)}), for metric.measure:")
    width = max((len(c) for c in measures), default=0)
    for code, m in measures.items():
        unit = f"  [{m['unit']}]" if m.get("unit") else ""
        lines.append(f"  {code:<{width}}  {' '.join(str(m.get('title') or '').split())}{unit}")
    for dim, codes in (meta.get("codes") or {}).items():
        lines.append(f"{dim} ({len(codes)} codes), for metric.filters.{dim}:")
        items = list(codes.items())
        shown = (
            items
            if limit is None or len(items) <= limit
            else items[: limit // 2] + [None] + items[-(limit // 2) :]
        )
        width = max((len(c) for c, _ in items), default=0)
        for item in shown:
            if item is None:
                lines.append(f"  … {len(items) - 2 * (limit // 2)} more (--all lists every code)")
            else:
                lines.append(f"  {item[0]:<{width}}  {' '.join(str(item[1] or '').split())}")
    return "\n".join(lines) + "\n"

"""What every HTTP source shares: one way to ask, one way to store, one way to fail."""

from __future__ import annotations

import functools
import logging
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import msgspec
import orjson

from dossiercheck.errors import SourceError, SourceNotFound, SourceUnavailable
from dossiercheck.snapshot import SnapshotWriter

if TYPE_CHECKING:  # requests is imported where a request is made: a tidy job, which reads these
    import requests  # modules' table readers and never fetches, would pay 0.1 s of CPU to import it

    from dossiercheck.http import HttpSettings

log = logging.getLogger(__name__)
# what a developer needs and an analyst does not: to the rule's log only (logs.run_logged)
details = logging.getLogger("dossiercheck.details")


class Unchanged(Exception):  # noqa: N818 (a signal, not an error)
    """Raised by a fetcher when the source says nothing changed since the previous snapshot."""


@dataclass
class Needs:
    """What the claims read from a source: measure codes and, per dimension, the codes they select.

    Fetchers use it to ask the server only for those cells, and to refuse early, with the codes the table
    does have, when a claim asks for one it does not have.
    """

    measures: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> Needs:
        data = data or {}
        return cls(
            sorted(data.get("measures") or []), {k: sorted(v) for k, v in (data.get("filters") or {}).items()}
        )


@dataclass
class FetchRequest:
    source: str
    entry: dict[str, Any]
    needs: Needs
    previous: dict[str, Any] | None  # manifest of the snapshot in use, when an unchanged source may be reused
    base_urls: dict[str, str]


class HttpSource:
    """Base of the HTTP fetchers: errors become SourceUnavailable (try later, or reuse the last snapshot)
    or SourceError (the source answered with something unusable; a person must look)."""

    kind = "http"
    url_key = "files_mirror_url"  # the config key that points this kind of source at another host

    def __init__(self, session: requests.Session, settings: HttpSettings, request: FetchRequest):
        self.session = session
        self.settings = settings
        self.request = request

    @property
    def label(self) -> str:
        table = self.request.entry.get("table_id")
        return f"CBS table {table}" if self.kind.startswith("cbs") else f"source {self.request.source}"

    def not_found_hint(self) -> str:
        successor = self.request.entry.get("successor")
        if successor:
            return f"config/sources.yaml names its successor {successor}: point the claims at that table."
        return (
            "The id may be wrong, or the publisher may have replaced the table: look it up in the catalogue "
            "(https://opendata.cbs.nl/statline for CBS) and record the successor in config/sources.yaml."
        )

    def raise_if_unchanged(self, modified: str | None, selection_key: str, selection: Any) -> None:
        """Signal Unchanged when the table's upstream date and what we ask of it equal the last snapshot's."""
        prev = self.request.previous
        if prev and prev.get("upstream_modified") == modified and prev.get(selection_key) == selection:
            raise Unchanged(
                f"{self.label} is unchanged upstream since {modified}; reusing snapshot {prev['snapshot_id']} "
                "without downloading data."
            )

    def warn_discontinued(self, marker: str) -> None:
        """CBS marks a stopped table in its metadata; say so, and name the successor if sources.yaml has one."""
        successor = self.request.entry.get("successor")
        log.warning(
            "%s is discontinued (%s): CBS no longer updates it. %s",
            self.label,
            marker,
            f"Its successor is {successor} (config/sources.yaml)."
            if successor
            else "Find its successor on StatLine and record it as 'successor' in config/sources.yaml.",
        )

    def get(self, url: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None):
        import requests

        try:
            response = self.session.get(url, params=params, headers=headers, timeout=self.settings.timeout)
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,  # the connection dropped in the middle of a body
        ) as e:
            timed_out = isinstance(e, requests.Timeout) or "TimeoutError" in str(e)
            what = (
                f"timed out (no answer within {self.settings.read_timeout:g} s, "
                f"{self.settings.retries} retries)"
                if timed_out
                else _short(e)
            )
            raise SourceUnavailable(
                f"{self.label}: could not reach {url}: {what}. Check the network or proxy, or point "
                f"{self.url_key} at a mirror (config/config.yaml, or --config {self.url_key}=URL)."
            ) from e
        status = response.status_code
        if status == 304:
            return response
        if status == 429 or status >= 500:
            raise SourceUnavailable(
                f"{self.label}: {url} answered HTTP {status} after {self.settings.retries} retries. "
                "The server may be down or busy; try again later."
            )
        if status == 404:
            raise SourceNotFound(f"{self.label}: {url} answered 404 Not Found. {self.not_found_hint()}")
        if status != 200:
            raise SourceError(
                f"{self.label}: {url} answered HTTP {status}; expected 200. Check the id and the base URL in "
                "config/config.yaml."
            )
        return response

    def get_json(self, url: str, params: dict[str, str] | None = None) -> tuple[requests.Response, Any]:
        response = self.get(url, params)
        try:
            return response, orjson.loads(response.content)  # rejects invalid UTF-8 as well
        except (orjson.JSONDecodeError, UnicodeDecodeError) as e:
            raise SourceError(
                f"{self.label}: the response from {response.url} is not valid JSON ({e}); it may have been cut "
                "off. Nothing was stored; run again later."
            ) from e

    def store(self, writer: SnapshotWriter, name: str, response: requests.Response, params=None) -> None:
        writer.add(
            name,
            response.content,
            url=response.url,
            query=params or {},
            http_status=response.status_code,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
        )

    # A kind of source is one module with one class and three things to do (sources/__init__.py):
    def fetch(self, writer: SnapshotWriter) -> dict[str, Any]:  # pragma: no cover - interface
        """Download into ``writer`` (the snapshot being written); return what the manifest records."""
        raise NotImplementedError

    # Reading a snapshot needs pandas, a fetch does not: each kind's module defines ``read_table`` and
    # ``describe_table`` as functions that import it when called, and these two hand over to them.
    @classmethod
    def read(cls, snapshot_dir, manifest: dict[str, Any], entry=None):
        """The snapshot as the long table every kind ends in (tidy.long_frame), its raw shape checked."""
        return sys.modules[cls.__module__].read_table(snapshot_dir, manifest, entry)

    @classmethod
    def describe(cls, snapshot_dir, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
        """{"measures": {code: {title, unit, decimals}}, "codes": {dimension: {code: title}}}."""
        return sys.modules[cls.__module__].describe_table(snapshot_dir, manifest, entry)


def rebase(url: str, base_url: str, table_id: str) -> str:
    """Point an absolute CBS URL (a ``nextLink`` or ``CodesUrl``) at the configured base URL.

    CBS writes its own host into every link. Behind a proxy or with a local mirror the client must keep
    talking to the configured host, so everything from ``/<table_id>/`` onwards is kept and put after
    ``base_url`` (which ends just before the table id).
    """
    parts = urlsplit(url)
    marker = f"/{table_id.lower()}/"
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    idx = path.lower().find(marker)
    if idx < 0:
        raise SourceError(
            f"CBS table {table_id}: a link in the response ({url}) does not point into this table, so it "
            "cannot be followed through the configured base URL. Report this with the raw response."
        )
    rest = parts.path[idx + 1 :]
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}/{rest}{query}"


def values(label: str, body: Any, endpoint: str) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise SourceError(
            f"{label}: the {endpoint} response has no 'value' list, so it is not an OData collection. "
            "Check the base URL in config/config.yaml; nothing was stored."
        )
    return body["value"]


def check_needs(label: str, what: str, wanted: list[str], have: dict[str, str | None]) -> None:
    """Refuse, before any data is downloaded, a code the claims ask for that the table does not have."""
    missing = [c for c in wanted if c not in have]
    if missing:
        listed = "; ".join(f"{code} ({title})" if title else code for code, title in list(have.items())[:40])
        more = f" … and {len(have) - 40} more" if len(have) > 40 else ""
        raise SourceError(
            f"{label}: the claims ask for {what} {', '.join(missing)}, which the table does not have. "
            f"It has: {listed}{more}. Fix the claim in dossiers/<slug>/claims/ (CBS may have renamed the code)."
        )


@functools.cache
def _page_decoder(next_key: str) -> msgspec.json.Decoder:
    page = msgspec.defstruct(
        "Page",
        [("value", list[msgspec.Raw]), ("next_link", str | None, msgspec.field(name=next_key, default=None))],
    )
    return msgspec.json.Decoder(page)


def read_page(
    label: str, response: requests.Response, page_name: str, next_key: str
) -> tuple[int, str | None]:
    """The row count and next link of one page of data, checking that the whole body is well-formed JSON
    and UTF-8 without building its rows (msgspec skips them; the tidy step reads them): a page can hold
    hundreds of thousands of rows, and a full parse here would double the cost of reading them."""
    try:
        response.content.decode("utf-8")  # msgspec does not look inside the strings it skips
        body = _page_decoder(next_key).decode(response.content)
    except msgspec.ValidationError as e:  # well-formed JSON, but not an OData collection
        raise SourceError(
            f"{label}: the {page_name} response has no 'value' list, so it is not an OData collection "
            f"({e}). Check the base URL in config/config.yaml; nothing was stored."
        ) from e
    except (msgspec.DecodeError, UnicodeDecodeError) as e:
        raise SourceError(
            f"{label}: the response from {response.url} is not valid JSON ({e}); it may have been cut off. "
            "Nothing was stored; run again later."
        ) from e
    return len(body.value), body.next_link


def follow_pages(source: HttpSource, writer, url, params, next_key: str, page_name: str, rebase_link):
    """GET ``url`` and every page its ``next_key`` links to, storing each page. Returns (pages, rows).

    ``rebase_link`` turns a link as the server wrote it into one through the configured base URL."""
    seen: set[str] = set()
    page, rows = 1, 0
    while True:
        resp = source.get(url, params)
        page_rows, next_link = read_page(source.label, resp, page_name, next_key)
        if page == 1 and page_rows == 0 and not next_link:
            raise SourceError(
                f"{source.label}: {page_name} came back empty ({url}"
                + (f", filter {params.get('$filter')}" if params and params.get("$filter") else "")
                + "). A table with no data is not stored: check the codes in the claims, or whether CBS emptied "
                "the table; the previous snapshot is kept."
            )
        rows += page_rows
        name = f"{page_name}.json" if page == 1 else f"{page_name}.{page:04d}.json"
        source.store(writer, name, resp, params)
        log.info("%s: %s page %d, %d rows so far", source.label, page_name, page, rows)
        if not next_link:
            return page, rows
        if next_link in seen:
            raise SourceError(
                f"{source.label}: the server sent the same {next_key} twice ({next_link}); following it would "
                "loop forever. Nothing was stored; try again later or report it to CBS."
            )
        seen.add(next_link)
        # Never re-add our own query to a nextLink: it already carries it (cbsodata PR #15).
        url, params, page = rebase_link(next_link), None, page + 1


def _short(exc: Exception) -> str:
    """What went wrong with a connection, in words, without urllib3's internals (those go to the log)."""
    text = str(exc)
    lowered = text.lower()
    for needle, words in (
        ("refused", "the connection was refused (nothing listens there, or a firewall blocks it)"),
        ("name or service not known", "the host name could not be resolved (no network or DNS)"),
        ("nodename nor servname", "the host name could not be resolved (no network or DNS)"),
        ("temporary failure in name resolution", "the host name could not be resolved (no network or DNS)"),
        ("network is unreachable", "the network is unreachable"),
        ("no route to host", "there is no route to the host"),
        ("certificate", "the server's certificate was not accepted"),
        ("proxy", "the proxy could not be used"),
        ("reset by peer", "the connection was reset"),
        ("incompleteread", "the connection dropped in the middle of the answer"),
        ("connection broken", "the connection dropped in the middle of the answer"),
    ):
        if needle in lowered:
            details.info("connection error in full: %s", text)
            return words
    return text if len(text) <= 200 else text[:200] + "…"


class DownloadSource(HttpSource):
    """GET one file, conditionally on the previous snapshot's validators."""

    def download(self, url: str, name: str, writer, conditional: bool = True) -> bytes:
        headers = {}
        prev = self.request.previous
        old = next(
            (f for f in (prev or {}).get("files", []) if f["name"] == name and f.get("url") == url), None
        )
        old = old if conditional else None
        if old and old.get("etag"):
            headers["If-None-Match"] = old["etag"]
        if old and old.get("last_modified"):
            headers["If-Modified-Since"] = old["last_modified"]
        response = self.get(url, headers=headers or None)
        if response.status_code == 304:
            raise Unchanged(
                f"{self.label}: {url} is unchanged (HTTP 304 Not Modified); reusing snapshot {prev['snapshot_id']}."
            )
        self.store(writer, name, response)
        writer.files[-1]["data"] = (
            True  # the file the tidy table is made of (its sha256 goes into provenance)
        )
        return response.content

"""CBS StatLine OData v4 (``https://datasets.cbs.nl/odata/v1/CBS/<id>``): fetch one table into a raw snapshot.

Endpoints read, each stored untouched: ``Properties`` (singleton), ``Dimensions``, ``MeasureCodes``, one
``<Dimension>Codes`` per dimension, and ``Observations`` page by page (``Observations.json``,
``Observations.0002.json``, ...) following ``@odata.nextLink`` until it is absent.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import requests

from dossiercheck.errors import SourceError, SourceUnavailable
from dossiercheck.http import HttpSettings
from dossiercheck.snapshot import SnapshotWriter

log = logging.getLogger(__name__)

KIND = "cbs_odata4"
DEFAULT_BASE_URL = "https://datasets.cbs.nl/odata/v1/CBS"
DISCONTINUED = {"Gediscontinueerd", "Stopgezet"}


def table_url(base_url: str, table_id: str, endpoint: str = "") -> str:
    url = f"{base_url.rstrip('/')}/{table_id}"
    return f"{url}/{endpoint}" if endpoint else url


def rebase(url: str, base_url: str, table_id: str) -> str:
    """Point an absolute CBS URL (a ``nextLink`` or ``CodesUrl``) at the configured base URL.

    CBS writes its own host into every link. Behind a proxy or with a local mirror the client must keep
    talking to the configured host, so everything from ``/<table_id>/`` onwards is kept and put after
    ``base_url``.
    """
    parts = urlsplit(url)
    marker = f"/{table_id}/"
    path = parts.path
    idx = path.find(marker)
    if idx < 0:
        idx = path.lower().find(marker.lower())
    if idx < 0:
        raise SourceError(
            f"CBS table {table_id}: a link in the response ({url}) does not point into this table, so it "
            "cannot be followed through the configured base URL. Report this with the raw response."
        )
    rest = path[idx + 1 :]
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}/{rest}{query}"


class Odata4Client:
    """Fetches one CBS OData v4 table. All network errors become ``SourceUnavailable``/``SourceError``."""

    def __init__(self, session: requests.Session, base_url: str = DEFAULT_BASE_URL, settings=None):
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.settings = settings or HttpSettings()

    def get(self, table_id: str, url: str, params: dict[str, str] | None = None) -> requests.Response:
        try:
            response = self.session.get(url, params=params, timeout=self.settings.timeout)
        except (requests.ConnectionError, requests.Timeout) as e:
            raise SourceUnavailable(
                f"CBS table {table_id}: could not reach {url} ({_short(e)}). Check the network or proxy; "
                "to use a mirror set cbs_odata4_url (config/config.yaml or --config cbs_odata4_url=URL)."
            ) from e
        if response.status_code in (429,) or response.status_code >= 500:
            raise SourceUnavailable(
                f"CBS table {table_id}: {url} answered HTTP {response.status_code} after "
                f"{self.settings.retries} retries. CBS may be down or busy; try again later."
            )
        if response.status_code == 404:
            raise SourceError(
                f"CBS table {table_id}: {url} answered 404 Not Found. The table id may be wrong, or CBS may "
                "have replaced the table: look it up on https://opendata.cbs.nl/statline and put the "
                "successor in config/sources.yaml."
            )
        if response.status_code != 200:
            raise SourceError(
                f"CBS table {table_id}: {url} answered HTTP {response.status_code}; expected 200. "
                "Check the table id and the base URL in config/config.yaml."
            )
        return response

    def get_json(self, table_id: str, url: str, params=None) -> tuple[requests.Response, Any]:
        response = self.get(table_id, url, params)
        try:
            payload = json.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise SourceError(
                f"CBS table {table_id}: the response from {response.url} is not valid JSON ({e}); it may have "
                "been cut off. Nothing was stored; run again later."
            ) from e
        return response, payload

    def fetch(self, table_id: str, writer: SnapshotWriter, obs_filter: str | None = None) -> dict[str, Any]:
        """Fetch every endpoint of ``table_id`` into ``writer``. Returns table-level manifest fields."""

        def store(name: str, response: requests.Response, params=None) -> None:
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

        url = table_url(self.base_url, table_id, "Properties")
        resp, props = self.get_json(table_id, url)
        if not isinstance(props, dict) or "Identifier" not in props:
            raise SourceError(
                f"CBS table {table_id}: {url} did not return a v4 Properties object. Is cbs_odata4_url "
                "pointing at the OData v4 API (…/odata/v1/CBS)?"
            )
        store("Properties.json", resp)
        status = props.get("Status")
        if status in DISCONTINUED:
            log.warning(
                "CBS table %s is marked %r: CBS no longer updates it. Find its successor on StatLine and "
                "record it in config/sources.yaml.",
                table_id,
                status,
            )

        resp, dims = self.get_json(table_id, table_url(self.base_url, table_id, "Dimensions"))
        store("Dimensions.json", resp)
        for name in ["MeasureCodes"] + [
            f"{d['Identifier']}Codes" for d in _values(table_id, dims, "Dimensions")
        ]:
            resp, body = self.get_json(table_id, table_url(self.base_url, table_id, name))
            _values(table_id, body, name)
            store(f"{name}.json", resp)

        params = {"$filter": obs_filter} if obs_filter else None
        url = table_url(self.base_url, table_id, "Observations")
        seen: set[str] = set()
        page, rows = 1, 0
        while url:
            resp, body = self.get_json(table_id, url, params)
            values = _values(table_id, body, "Observations")
            rows += len(values)
            store("Observations.json" if page == 1 else f"Observations.{page:04d}.json", resp, params)
            log.info("CBS table %s: Observations page %d, %d rows so far", table_id, page, rows)
            next_link = body.get("@odata.nextLink")
            if not next_link:
                break
            if next_link in seen:
                raise SourceError(
                    f"CBS table {table_id}: the server sent the same @odata.nextLink twice ({next_link}); "
                    "following it would loop forever. Nothing was stored; try again later or report it to CBS."
                )
            seen.add(next_link)
            # Never re-add our own query to a nextLink: it already carries it (cbsodata PR #15).
            url, params, page = rebase(next_link, self.base_url, table_id), None, page + 1

        return {
            "table_id": table_id,
            "base_url": self.base_url,
            "title": props.get("Title"),
            "upstream_modified": props.get("Modified"),
            "upstream_status": status,
            "observation_count": props.get("ObservationCount"),
            "observations_filter": obs_filter,
            "observation_rows": rows,
            "observation_pages": page,
        }


def _values(table_id: str, body: Any, endpoint: str) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise SourceError(
            f"CBS table {table_id}: the {endpoint} response has no 'value' list, so it is not an OData v4 "
            "collection. Check cbs_odata4_url; nothing was stored."
        )
    return body["value"]


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"

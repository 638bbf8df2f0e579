"""CBS StatLine OData v3 (``https://opendata.cbs.nl``; third-party tables on ``https://dataderden.cbs.nl``).

Stored untouched: ``TableInfos``, ``DataProperties``, ``CategoryGroups``, one file per dimension
(``Perioden``, ``RegioS``, ...), and the data set page by page (``TypedDataSet.json``,
``TypedDataSet.0002.json``, ... or ``UntypedDataSet`` when the claims need CBS's missing-value symbols).

Data comes from the bulk Feed (``ODataFeed``: pages of 10,000 rows chained by ``odata.nextLink``) unless
the source asks for ``api: odataapi``, the standard API, which CBS limits to 10,000 cells a request.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from dossiercheck.errors import SourceError
from dossiercheck.sources.base import HttpSource, check_needs, follow_pages, values

log = logging.getLogger(__name__)

KIND = "cbs_odata3"
DEFAULT_BASE_URL = "https://opendata.cbs.nl"
DEFAULT_DATADERDEN_URL = "https://dataderden.cbs.nl"
DIMENSION_TYPES = {"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"}
DISCONTINUED = {"Stopgezet", "Gediscontinueerd"}
API_CELL_LIMIT = 10_000


def rebase_host(url: str, base_url: str) -> str:
    """Follow an absolute v3 link (``https://opendata.cbs.nl/ODataFeed/...``) through the configured host."""
    parts = urlsplit(url)
    return f"{base_url.rstrip('/')}{parts.path}" + (f"?{parts.query}" if parts.query else "")


class Odata3Source(HttpSource):
    kind = KIND
    url_key = "cbs_odata3_url"

    @property
    def base_url(self) -> str:
        urls = self.request.base_urls
        if self.request.entry.get("catalog") == "dataderden":
            return (urls.get("cbs_dataderden_url") or DEFAULT_DATADERDEN_URL).rstrip("/")
        return (urls.get("cbs_odata3_url") or DEFAULT_BASE_URL).rstrip("/")

    def url(self, endpoint: str, api: str = "ODataFeed") -> str:
        return f"{self.base_url}/{api}/odata/{self.request.entry['table_id']}/{endpoint}"

    def fetch(self, writer) -> dict[str, Any]:
        entry, needs = self.request.entry, self.request.needs
        table_id = entry["table_id"]
        fmt = {"$format": "json"}
        api = "ODataApi" if entry.get("api") == "odataapi" else "ODataFeed"
        dataset = entry.get("dataset", "TypedDataSet")

        resp, body = self.get_json(self.url("TableInfos"), fmt)
        info = (values(self.label, body, "TableInfos") or [{}])[0]
        if info.get("Frequency") in DISCONTINUED or info.get("OutputStatus") in DISCONTINUED:
            self.warn_discontinued(info.get("Frequency") or info.get("OutputStatus"))
        selection = {"measures": needs.measures, "filters": needs.filters, "api": api, "dataset": dataset}
        self.raise_if_unchanged(info.get("Modified"), "selection", selection)
        self.store(writer, "TableInfos.json", resp, fmt)

        resp, body = self.get_json(self.url("DataProperties"), fmt)
        props = values(self.label, body, "DataProperties")
        self.store(writer, "DataProperties.json", resp, fmt)
        resp, body = self.get_json(self.url("CategoryGroups"), fmt)
        self.store(writer, "CategoryGroups.json", resp, fmt)

        dims = [p["Key"] for p in props if p.get("Type") in DIMENSION_TYPES]
        topics = {p["Key"]: p.get("Title") for p in props if p.get("Type") == "Topic"}
        padded: dict[str, dict[str, str]] = {}
        titles: dict[str, dict[str, str | None]] = {}
        for dim in dims:
            resp, body = self.get_json(self.url(dim), fmt)
            rows = values(self.label, body, dim)
            # v3 pads keys with spaces to a fixed width; a $filter must use the padded key.
            padded[dim] = {str(r["Key"]).strip(): r["Key"] for r in rows}
            titles[dim] = {str(r["Key"]).strip(): r.get("Title") for r in rows}
            self.store(writer, f"{dim}.json", resp, fmt)

        check_needs(self.label, "measure", needs.measures, topics)
        for dim, wanted in needs.filters.items():
            if dim not in padded:
                check_needs(self.label, "dimension", [dim], dict.fromkeys(dims))
            check_needs(self.label, f"{dim} code", wanted, titles[dim])

        params = dict(fmt)
        clauses = []
        for dim, wanted in sorted(needs.filters.items()):
            ors = [f"{dim} eq '{padded[dim][c]}'" for c in wanted]
            clauses.append(ors[0] if len(ors) == 1 else "(" + " or ".join(ors) + ")")
        if clauses:
            params["$filter"] = " and ".join(clauses)
        if needs.measures:
            params["$select"] = ",".join([*dims, *needs.measures])
        if api == "ODataApi":
            cells = len(needs.measures or topics)
            for dim in dims:
                cells *= len(needs.filters.get(dim) or padded[dim])
            if cells > API_CELL_LIMIT:
                raise SourceError(
                    f"{self.label}: the query asks for about {cells:,} cells; CBS's ODataApi refuses more than "
                    f"{API_CELL_LIMIT:,}. Remove 'api: odataapi' from the source in config/sources.yaml to use the "
                    "bulk Feed, or narrow the claims' filters."
                )
        pages, rows = follow_pages(
            self,
            writer,
            self.url(dataset, api),
            params,
            "odata.nextLink",
            dataset,
            lambda link: rebase_host(link, self.base_url),
        )
        return {
            "table_id": table_id,
            "base_url": self.base_url,
            "title": info.get("Title"),
            "upstream_modified": info.get("Modified"),
            "upstream_status": info.get("Frequency"),
            "observation_count": info.get("RecordCount"),
            "selection": selection,
            "observations_filter": params.get("$filter"),
            "observation_rows": rows,
            "observation_pages": pages,
            "dataset": dataset,
        }

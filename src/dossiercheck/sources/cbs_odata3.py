"""CBS StatLine OData v3 (``https://opendata.cbs.nl``; third-party tables on ``https://dataderden.cbs.nl``).

Stored untouched: ``TableInfos``, ``DataProperties``, ``CategoryGroups``, one file per dimension
(``Perioden``, ``RegioS``, ...), and the data set page by page (``TypedDataSet.json``,
``TypedDataSet.0002.json``, ... or ``UntypedDataSet`` when the claims need CBS's missing-value symbols).

Data comes from the bulk Feed (``ODataFeed``: pages of 10,000 rows chained by ``odata.nextLink``) unless
the source asks for ``api: odataapi``, the standard API, which CBS limits to 10,000 cells a request.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossiercheck.errors import SnapshotError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow
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


# --- reading a snapshot ---------------------------------------------------------------------------
V3_SYMBOLS = {"": "Impossible", ".": "NotAvailable", "x": "Confidential"}
# A TypedDataSet turns every symbol into null, losing which one it was: NotAvailable is the honest rest.
V3_TYPED_NULL = "NotAvailable"


def read_v3_dataset(
    paths: list[Path], fields: list[str], types: dict[str, pyarrow.DataType] | None = None
) -> pd.DataFrame:
    """The columns ``fields`` of a v3 TypedDataSet/UntypedDataSet (all pages), texts stripped of padding;
    ``types``: the Arrow type each field should have (tidy.read_columns)."""
    import pandas as pd

    from dossiercheck.tidy import read_columns, strip_distinct

    df = read_columns(paths, fields, types)
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            df[col] = strip_distinct(df[col], lambda v: v)
    return df


def _arrow_types(props: list[dict[str, Any]], typed: bool) -> dict[str, pyarrow.DataType]:
    """What each data-set column should hold: dimension keys and every untyped cell are text, a typed
    Double topic a float; other typed topics (Long, String, ...) are left for pyarrow to infer."""
    import pyarrow

    types = {}
    for p in props:
        if p.get("Type") in ("Dimension", "GeoDimension", "GeoDetail", "TimeDimension") or (
            p.get("Type") == "Topic" and not typed
        ):
            types[p["Key"]] = pyarrow.large_string()  # what pandas text is made of: no copy
        elif p.get("Type") == "Topic" and p.get("Datatype") in ("Double", "Float"):
            types[p["Key"]] = pyarrow.float64()
    return types


def _v3_cells(values: pd.Series, typed: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers and ValueAttributes of one v3 topic column."""
    import pandas as pd

    if typed:
        import numpy as np

        num = values if values.dtype == "float64" else pd.to_numeric(values, errors="coerce").astype(float)
        # one of two texts per cell: taken from a two-value array, not spelled out a million times
        attr = pd.array(["None", V3_TYPED_NULL], dtype="str").take(num.isna().to_numpy().astype(np.intp))
        return num, pd.Series(attr, index=values.index)
    text = values.fillna("").astype(str).str.strip()
    attr = text.map(V3_SYMBOLS).fillna("None")
    num = pd.to_numeric(text.where(text != "-", "0"), errors="coerce").astype(float)
    bad = num.isna() & (attr == "None")
    if bad.any():
        raise SnapshotError(
            f"v3 data holds values that are neither numbers nor CBS symbols: {list(text[bad][:5])}"
        )
    return num, attr


def read_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    import pandas as pd

    from dossiercheck.schemas import raw
    from dossiercheck.tidy import (
        load_values,
        long_frame,
        one_time_dimension,
        pages,
    )

    snapshot_dir = Path(snapshot_dir)
    table_id = manifest["table_id"]
    props = load_values(snapshot_dir / "DataProperties.json")
    raw.V3DataProperties.validate(pd.DataFrame.from_records(props), lazy=True)
    dims = [p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension", "GeoDetail")]
    time_dim = one_time_dimension(table_id, [p["Key"] for p in props if p.get("Type") == "TimeDimension"])
    dataset = manifest.get("dataset", "TypedDataSet")
    wide = read_v3_dataset(
        [snapshot_dir / n for n in pages(manifest, dataset)],
        [p["Key"] for p in props if p.get("Key")],
        _arrow_types(props, typed=dataset == "TypedDataSet"),
    )
    topics = [p["Key"] for p in props if p.get("Type") == "Topic" and p["Key"] in wide.columns]
    wide = raw.v3_dataset_schema(dims, time_dim, topics, typed=dataset == "TypedDataSet").validate(
        wide, lazy=True
    )
    obs = wide.melt(id_vars=[*dims, time_dim], value_vars=topics, var_name="Measure", value_name="cell")
    obs["Value"], obs["ValueAttribute"] = _v3_cells(obs["cell"], typed=dataset == "TypedDataSet")
    periods = pd.DataFrame.from_records(load_values(snapshot_dir / f"{time_dim}.json"))
    periods = periods.assign(Identifier=periods["Key"].str.strip())
    if "Status" not in periods:  # some v3 tables give no period status; their figures count as definitive
        periods["Status"] = "Definitief"
    periods = raw.PeriodCodes.validate(periods, lazy=True)
    status = dict(zip(periods["Identifier"], periods["Status"], strict=True))
    return long_frame(table_id, obs, dims, status, time_dim)


def describe_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    from dossiercheck.tidy import (
        load_values,
    )

    snapshot_dir = Path(snapshot_dir)
    props = load_values(snapshot_dir / "DataProperties.json")
    measures = {
        p["Key"]: {"title": p.get("Title"), "unit": p.get("Unit"), "decimals": p.get("Decimals")}
        for p in props
        if p.get("Type") == "Topic"
    }
    codes = {
        p["Key"]: {
            str(c["Key"]).strip(): c.get("Title") for c in load_values(snapshot_dir / f"{p['Key']}.json")
        }
        for p in props
        if p.get("Type") in ("Dimension", "TimeDimension", "GeoDimension", "GeoDetail")
    }
    return {"measures": measures, "codes": codes}

"""CBS StatLine OData v4 (``https://datasets.cbs.nl/odata/v1/CBS/<id>``): one table into a raw snapshot.

Endpoints read, each stored untouched: ``Properties`` (singleton), ``Dimensions``, ``MeasureCodes``, one
``<Dimension>Codes`` (and ``<Dimension>Groups`` where the dimension has groups) per dimension, and
``Observations`` page by page (``Observations.json``, ``Observations.0002.json``, ...) following
``@odata.nextLink``. Observations are filtered on the server to what the claims read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossiercheck.errors import SnapshotError

if TYPE_CHECKING:
    import pandas as pd

from dossiercheck.errors import SourceError
from dossiercheck.sources.base import HttpSource, check_needs, follow_pages, rebase, values

log = logging.getLogger(__name__)

KIND = "cbs_odata4"
DEFAULT_BASE_URL = "https://datasets.cbs.nl/odata/v1/CBS"
DISCONTINUED = {"Gediscontinueerd", "Stopgezet"}


def table_url(base_url: str, table_id: str, endpoint: str = "") -> str:
    url = f"{base_url.rstrip('/')}/{table_id}"
    return f"{url}/{endpoint}" if endpoint else url


def odata_filter(measures: list[str], filters: dict[str, list[str]]) -> str | None:
    """``(Measure eq 'A' or Measure eq 'B') and (RegioS eq 'NL01')``; None when nothing narrows it."""

    def any_of(field: str, codes: list[str]) -> str:
        quoted = [f"{field} eq '{c.replace(chr(39), chr(39) * 2)}'" for c in codes]
        return quoted[0] if len(quoted) == 1 else "(" + " or ".join(quoted) + ")"

    parts = ([any_of("Measure", measures)] if measures else []) + [
        any_of(dim, codes) for dim, codes in sorted(filters.items()) if codes
    ]
    return " and ".join(parts) or None


class Odata4Source(HttpSource):
    kind = KIND
    url_key = "cbs_odata4_url"

    @property
    def base_url(self) -> str:
        return (self.request.base_urls.get("cbs_odata4_url") or DEFAULT_BASE_URL).rstrip("/")

    def fetch(self, writer) -> dict[str, Any]:
        table_id = self.request.entry["table_id"]
        base = self.base_url
        needs = self.request.needs
        obs_filter = self.request.entry.get("observations_filter") or odata_filter(
            needs.measures, needs.filters
        )

        url = table_url(base, table_id, "Properties")
        resp, props = self.get_json(url)
        if not isinstance(props, dict) or "Identifier" not in props:
            raise SourceError(
                f"{self.label}: {url} did not return a v4 Properties object. Is cbs_odata4_url pointing at "
                "the OData v4 API (…/odata/v1/CBS)?"
            )
        status = props.get("Status")
        if status in DISCONTINUED:
            self.warn_discontinued(status)
        self.raise_if_unchanged(props.get("Modified"), "observations_filter", obs_filter)
        self.store(writer, "Properties.json", resp)

        resp, dims_body = self.get_json(table_url(base, table_id, "Dimensions"))
        self.store(writer, "Dimensions.json", resp)
        dims = values(self.label, dims_body, "Dimensions")
        codes: dict[str, dict[str, str | None]] = {}
        for name in ["MeasureCodes"] + [f"{d['Identifier']}Codes" for d in dims]:
            resp, body = self.get_json(table_url(base, table_id, name))
            rows = values(self.label, body, name)
            codes[name] = {str(r["Identifier"]).strip(): r.get("Title") for r in rows}
            self.store(writer, f"{name}.json", resp)
        for d in dims:
            if d.get("ContainsGroups") and d.get("GroupsUrl"):
                self._store_groups(writer, base, table_id, f"{d['Identifier']}Groups")

        check_needs(self.label, "measure", needs.measures, codes["MeasureCodes"])
        for dim, wanted in needs.filters.items():
            if f"{dim}Codes" not in codes:
                check_needs(self.label, "dimension", [dim], {d["Identifier"]: d.get("Title") for d in dims})
            check_needs(self.label, f"{dim} code", wanted, codes[f"{dim}Codes"])

        params = {"$filter": obs_filter} if obs_filter else None
        pages, rows = follow_pages(
            self,
            writer,
            table_url(base, table_id, "Observations"),
            params,
            "@odata.nextLink",
            "Observations",
            lambda link: rebase(link, base, table_id),
        )
        return {
            "table_id": table_id,
            "base_url": base,
            "title": props.get("Title"),
            "upstream_modified": props.get("Modified"),
            "upstream_status": status,
            "observation_count": props.get("ObservationCount"),
            "observations_filter": obs_filter,
            "observation_rows": rows,
            "observation_pages": pages,
        }

    def _store_groups(self, writer, base: str, table_id: str, name: str) -> None:
        # Groups only carry the hierarchy shown on StatLine; a table that lists GroupsUrl but answers 404
        # (seen in recorded responses) loses nothing the pipeline needs, so that is not an error.
        try:
            resp, body = self.get_json(table_url(base, table_id, name))
        except SourceError as e:
            if "404" not in str(e):
                raise
            log.info("%s: %s not available (404); continuing without it", self.label, name)
            return
        values(self.label, body, name)
        self.store(writer, f"{name}.json", resp)


# --- reading a snapshot ---------------------------------------------------------------------------


def read_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> pd.DataFrame:
    import pandas as pd
    import pyarrow

    from dossiercheck.schemas import raw
    from dossiercheck.tidy import load_values, long_frame, one_time_dimension, pages, read_columns

    snapshot_dir = Path(snapshot_dir)
    dims = load_values(snapshot_dir / "Dimensions.json")
    time_dim = one_time_dimension(
        manifest["table_id"], [d["Identifier"] for d in dims if d.get("Kind") == "TimeDimension"]
    )
    other = [d["Identifier"] for d in dims if d["Identifier"] != time_dim]
    fields = ["Measure", "ValueAttribute", "Value", *other, time_dim]
    obs = read_columns(
        [snapshot_dir / n for n in pages(manifest, "Observations")],
        fields,
        # large_string: what pandas text is made of, so the columns reach pandas without a copy
        {f: pyarrow.float64() if f == "Value" else pyarrow.large_string() for f in fields},
    )
    absent = [d for d in [*other, time_dim] if d not in obs.columns]
    if absent:
        raise SnapshotError(
            f"{manifest['table_id']}: Dimensions.json lists {', '.join(absent)}, but no observation in "
            f"{snapshot_dir} carries it, so its cells cannot be told apart. Fetch the table again "
            '(make refresh CONFIG="refresh=force"); if it persists, CBS changed the table: report it.'
        )
    obs = raw.V4Observations.validate(obs, lazy=True)
    raw.V4MeasureCodes.validate(
        pd.DataFrame.from_records(load_values(snapshot_dir / "MeasureCodes.json")), lazy=True
    )
    periods = pd.DataFrame.from_records(load_values(snapshot_dir / f"{time_dim}Codes.json"))
    periods = raw.PeriodCodes.validate(
        periods.assign(Identifier=periods["Identifier"].str.strip()), lazy=True
    )
    status = dict(zip(periods["Identifier"], periods["Status"], strict=True))
    return long_frame(manifest["table_id"], obs, other, status, time_dim)


def describe_table(snapshot_dir: Path, manifest: dict[str, Any], entry=None) -> dict[str, Any]:
    from dossiercheck.tidy import load_values

    snapshot_dir = Path(snapshot_dir)
    measures = {
        m["Identifier"]: {"title": m.get("Title"), "unit": m.get("Unit"), "decimals": m.get("Decimals")}
        for m in load_values(snapshot_dir / "MeasureCodes.json")
    }
    codes = {
        d["Identifier"]: {
            str(c["Identifier"]).strip(): c.get("Title")
            for c in load_values(snapshot_dir / f"{d['Identifier']}Codes.json")
        }
        for d in load_values(snapshot_dir / "Dimensions.json")
    }
    return {"measures": measures, "codes": codes}

"""Every recorded OData v4 table in ../shared/cbs/odata4 through the real client and the tidy step."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import SHARED, shared_path
from helpers.fetching import fetch

from dossiercheck.errors import SourceError
from dossiercheck.snapshot import list_snapshots
from dossiercheck.sources.tidying import tidy_source

ODATA4 = SHARED / "cbs" / "odata4"
TABLES = (
    sorted(p.name for p in ODATA4.iterdir() if (p / "Properties.json").is_file()) if ODATA4.is_dir() else []
)


@pytest.mark.parametrize("table", [t for t in TABLES if (ODATA4 / t / "Observations.json").is_file()])
def test_recorded_table_fetches_and_tidies(cbs_server, odata4_dir, tmp_path, table):
    cbs_server.root = odata4_dir
    entry = {"kind": "cbs_odata4", "table_id": table}
    pointer = fetch(cbs_server, tmp_path, table, entry)
    manifest = tmp_path / "raw" / table / pointer["snapshot_dir"] / "manifest.json"
    df = tidy_source(manifest, tmp_path / "t.parquet", tmp_path / "t.json")

    raw = json.loads((odata4_dir / table / "Observations.json").read_bytes())["value"]
    assert len(df) == len(raw)
    dims = [
        d["Identifier"] for d in json.loads((odata4_dir / table / "Dimensions.json").read_bytes())["value"]
    ]
    time_dim = next(
        d["Identifier"]
        for d in json.loads((odata4_dir / table / "Dimensions.json").read_bytes())["value"]
        if d["Kind"] == "TimeDimension"
    )
    key_cols = ["measure", *[d for d in dims if d != time_dim], "period"]
    indexed = df.set_index(key_cols)
    # Eight rows spread evenly over the file, compared field by field.
    for row in raw[:: max(1, len(raw) // 7)][:8]:
        key = (row["Measure"], *[str(row[d]).strip() for d in dims if d != time_dim], row[time_dim].strip())
        tidy = indexed.loc[key]
        assert tidy["value_attribute"] == row["ValueAttribute"]
        if row["Value"] is None:
            assert pd.isna(tidy["value"])
        else:
            assert tidy["value"] == pytest.approx(row["Value"])
        assert tidy["table_id"] == table


def test_metadata_only_recording_fails_clearly(cbs_server, odata4_dir, tmp_path):
    """83163NED was recorded without observations: the client must say so, not store half a table."""
    shared_path("cbs", "odata4", "83163NED", "Properties.json")
    cbs_server.root = odata4_dir
    with pytest.raises(SourceError, match=r"83163NED.*Observations.*404 Not Found"):
        fetch(cbs_server, tmp_path, "83163NED", {"kind": "cbs_odata4", "table_id": "83163NED"})
    assert list_snapshots(tmp_path / "raw" / "83163NED") == []

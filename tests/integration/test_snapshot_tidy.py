"""Raw snapshots (atomic, verified) and the tidy long table, on real and hand-made payloads."""

from __future__ import annotations

import json

import pandas as pd
import pandera.errors
import pytest
from helpers import v4
from helpers.fetching import FAST, fetch

from dossiercheck.errors import SnapshotError
from dossiercheck.schemas.tidy import TidyTable
from dossiercheck.snapshot import SnapshotWriter, check_source_id, list_snapshots, verify
from dossiercheck.sources.cbs_odata4 import read_table as tidy_odata4
from dossiercheck.sources.tidying import tidy_source

SMALL = {"kind": "cbs_odata4", "table_id": "99999TST"}  # helpers.v4.small_table


def test_an_interrupted_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), SnapshotWriter(tmp_path / "S", "S", "cbs_odata4") as w:
        w.add("Properties.json", b"{}")
        raise RuntimeError("connection reset mid-body")
    assert list((tmp_path / "S").iterdir()) == []


def test_a_tampered_raw_file_is_detected(tmp_path):
    with SnapshotWriter(tmp_path / "S", "S", "cbs_odata4") as w:
        w.add("Observations.json", b'{"value": []}')
        snap = w.commit()
    verify(snap)
    (snap / "Observations.json").write_bytes(b'{"value": [1]}')
    with pytest.raises(SnapshotError, match="no longer matches its checksum.*delete the snapshot folder"):
        verify(snap)


@pytest.mark.parametrize("bad", ["../../etc", "a/b", "", ".hidden", "x" * 65])
def test_source_ids_cannot_escape_the_raw_folder(bad):
    with pytest.raises(SnapshotError, match="cannot be used as a folder name"):
        check_source_id(bad)


def test_tidy_real_85773NED(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    pointer = fetch(cbs_server, tmp_path)
    manifest = tmp_path / "raw" / "85773NED" / pointer["snapshot_dir"] / "manifest.json"
    df = tidy_source(manifest, tmp_path / "t.parquet", tmp_path / "t.meta.json")
    raw = json.loads((odata4_dir / "85773NED" / "Observations.json").read_bytes())["value"]
    assert len(df) == len(raw) == 4264
    # A handful of cells, compared with the raw JSON rows (looked up by Measure and Perioden).
    by_key = {(r["Measure"], r["Perioden"]): r for r in raw}
    for measure, period in [
        ("M001505_2", "2013MM06"),
        ("M001505_2", "2026MM05"),
        ("M001534", "2020JJ00"),
        ("M005104", "1995MM01"),
        ("M001532_2", "2024KW03"),
    ]:
        row = df[(df.measure == measure) & (df.period == period)].iloc[0]
        cell = by_key[(measure, period)]
        assert cell["ValueAttribute"] == row.value_attribute
        assert (pd.isna(row.value) and cell["Value"] is None) or row.value == cell["Value"]
        assert row.period_status == "Definitief"
    assert set(df.period_kind) == {"JJ", "KW", "MM"}
    # parquet round trip gives the same, still valid, table
    TidyTable.validate(pd.read_parquet(tmp_path / "t.parquet"))
    meta = json.loads((tmp_path / "t.meta.json").read_text())
    assert meta["measures"]["M001505_2"] == {
        "title": "Prijsindex verkoopprijzen",
        "unit": "2020=100",
        "decimals": 1,
    }


def test_tidy_strips_padding_and_keeps_status(cbs_server, tmp_path):
    cbs_server.routes.update(v4.small_table())
    fetched = fetch(cbs_server, tmp_path, "99999TST", SMALL)
    snap = tmp_path / "raw" / "99999TST" / fetched["snapshot_dir"]
    manifest = verify(snap)
    df = tidy_odata4(snap, manifest)
    # Five hand-made rows (see helpers/v4.small_table); "NL01  " is padded there.
    assert len(df) == 5
    assert set(df.RegioS) == {"NL01", "GM0363"}
    status = dict(zip(df.period, df.period_status, strict=False))
    assert status == {"2023MM01": "Definitief", "2023MM02": "Voorlopig", "2023MM03": "NaderVoorlopig"}
    empty = df[df.period == "2023MM03"].iloc[0]
    assert pd.isna(empty.value) and empty.value_attribute == "Impossible"
    assert df[(df.RegioS == "NL01") & (df.period == "2023MM02")].value.iloc[0] == 12.5


def test_a_null_value_without_a_reason_fails_validation(cbs_server, tmp_path):
    cbs_server.routes.update(v4.small_table())
    fetched = fetch(cbs_server, tmp_path, "99999TST", SMALL, FAST)
    snap = tmp_path / "raw" / "99999TST" / fetched["snapshot_dir"]
    manifest = verify(snap)
    df = tidy_odata4(snap, manifest)
    df.loc[0, "value"] = None  # ValueAttribute stays "None": CBS gave no reason for the gap
    with pytest.raises(pandera.errors.SchemaErrors, match="null_only_with_reason"):
        TidyTable.validate(df, lazy=True)
    assert len(list_snapshots(tmp_path / "raw" / "99999TST")) == 1


def test_a_pointer_edited_to_lead_elsewhere_is_refused(cbs_server, odata4_dir, tmp_path):
    """current.json names a snapshot folder beside it; anything else is refused with what to do, never read."""
    from dossiercheck.errors import SnapshotError
    from dossiercheck.snapshot import pointed_manifest

    cbs_server.root = odata4_dir
    pointer = fetch(cbs_server, tmp_path)
    path = tmp_path / "raw" / "85773NED" / "current.json"
    assert pointed_manifest(path) == tmp_path / "raw" / "85773NED" / pointer["snapshot_dir"] / "manifest.json"
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "manifest.json").write_text("{}")
    for target in ("../../outside", str(tmp_path / "outside"), "20260722T063000Z-00000000"):
        path.write_text(json.dumps({**pointer, "snapshot_dir": target}))
        with pytest.raises(SnapshotError, match="Delete (it|current.json) and run again") as err:
            pointed_manifest(path)
        assert str(path) in str(err.value)

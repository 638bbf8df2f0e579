"""Validation on real payloads and on mutated copies of them (made here, in memory): each mutation must
fail with the expected check name and nothing else, and the report must be readable on its own."""

from __future__ import annotations

import json

import pytest
from conftest import shared_path
from helpers.fetching import fetch
from helpers.shared_site import bulk_zip

from dossiercheck import validate as v
from dossiercheck.sources.tidying import tidy_snapshot, tidy_source


def real(cbs_server, tmp_path, table):
    cbs_server.root = shared_path("cbs", "odata4")
    pointer = fetch(cbs_server, tmp_path, table, {"kind": "cbs_odata4", "table_id": table})
    return tidy_snapshot(tmp_path / "raw" / table / pointer["snapshot_dir"])


def checks(report, severity="error"):
    return {f.check for f in report.findings if f.severity == severity}


@pytest.mark.parametrize("table", ["03759ned", "37789ksz", "80590ned", "85224NED", "85773NED", "86141NED"])
def test_every_recorded_v4_table_passes(cbs_server, tmp_path, table):
    df, meta = real(cbs_server, tmp_path, table)
    report = v.validate(df, meta)
    assert report.passed, [(f.check, f.examples[:2]) for f in report.errors]


def test_the_other_recorded_payloads_pass(cbs_server, tmp_path):
    from dossiercheck.fetch import fetch_source

    cbs_server.root = shared_path("cbs", "odata3")
    cbs_server.routes["/csv/CBS/nl/83841NED"] = bulk_zip()
    for source, entry in {
        "80137ned": {"kind": "cbs_odata3", "table_id": "80137ned"},
        "83841NED": {"kind": "cbs_bulk_csv", "table_id": "83841NED"},
    }.items():
        p = fetch_source(source, entry, tmp_path / "raw", tmp_path / "raw" / source / "current.json",
                         base_urls={"cbs_odata3_url": cbs_server.host, "cbs_csv_url": f"{cbs_server.host}/csv/CBS/nl"})  # fmt: skip
        df, meta = tidy_snapshot(tmp_path / "raw" / source / p["snapshot_dir"], entry)
        report = v.validate(df, meta)
        assert report.passed, (source, [(f.check, f.examples[:2]) for f in report.errors])
    # 83841NED's 2022 is Voorlopig and 2023/2024 have no status in its code list: warnings, not errors
    assert checks(report, "warning") == {"provisional_periods"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda df: df.__setitem__("period", df["period"].where(df.index != 5, "2023MM13")),
            "period_code_format",
        ),
        (
            lambda df: df.__setitem__("period_status", df["period_status"].where(df.index != 7, "Herzien")),
            "period_status_known",
        ),
        (lambda df: df.loc.__setitem__((3, "value"), None), "null_only_with_reason"),
    ],
    ids=["bad period code", "unknown Status", "null value with ValueAttribute None"],
)
def test_mutated_cells_fail_with_their_check(cbs_server, tmp_path, mutate, expected):
    df, meta = real(cbs_server, tmp_path, "85773NED")
    mutate(df)
    report = v.validate(df, meta)
    assert checks(report) == {expected}
    (finding,) = report.errors
    assert finding.failed_rows == 1 and len(finding.examples) == 1


def test_a_duplicated_cell(cbs_server, tmp_path):
    import pandas as pd

    df, meta = real(cbs_server, tmp_path, "85773NED")
    df = pd.concat([df, df.iloc[[10]]], ignore_index=True)
    report = v.validate(df, meta)
    assert checks(report) == {"unique_cells"}
    assert report.errors[0].failed_rows == 2  # the cell and its copy


def test_a_percentage_of_140(cbs_server, tmp_path):
    df, meta = real(cbs_server, tmp_path, "85224NED")
    assert meta["measures"]["M001796_2"]["unit"] == "%"  # netto arbeidsparticipatie
    row = df.index[(df.measure == "M001796_2")][0]
    df.loc[row, "value"] = 140.0
    report = v.validate(df, meta)
    assert checks(report) == {"percent_range"}
    assert report.errors[0].examples[0]["value"] == 140.0


def test_drift_unit_change_renamed_measure_and_half_the_rows(cbs_server, tmp_path):
    df, meta = real(cbs_server, tmp_path, "85773NED")
    previous = json.loads(
        json.dumps({**meta, "row_count": len(df), "snapshot_id": "20260101T000000Z-00000000"})
    )
    assert v.validate(df, meta, previous).passed  # the same table twice: no drift

    unit = json.loads(json.dumps(previous))
    unit["measures"]["M001534"]["unit"] = "x 1 000 euro"  # CBS wrote euro before; now it is euro
    assert checks(v.validate(df, meta, unit)) == {"unit_changed"}

    renamed = json.loads(json.dumps(previous))
    renamed["measures"]["M001505_1"] = renamed["measures"].pop("M001505_2")  # it used to be called _1
    report = v.validate(df, meta, renamed)
    assert checks(report) == {"measure_renamed"}
    assert report.errors[0].examples == [
        {"old": "M001505_1", "new": "M001505_2", "title": "Prijsindex verkoopprijzen"}
    ]

    halved = df.iloc[: len(df) // 2]
    assert checks(v.validate(halved, meta, previous)) == {"row_count_band"}


def test_the_report_reads_on_its_own_and_the_error_points_to_it(cbs_server, tmp_path):
    df, meta = real(cbs_server, tmp_path, "85773NED")
    df.loc[5, "period"] = "2023MM13"
    report = v.validate(df, meta)
    md_path = v.write_report(report, tmp_path / "validation")
    md = md_path.read_text()
    assert md.startswith("# Validatie van bron 85773NED")
    assert "**Afgekeurd**" in md and "## Fout: period_code_format" in md
    assert "- kolom: `period`" in md and "- aantal rijen dat niet voldoet: 1" in md
    assert "2023MM13" in md and "| table_id | measure | period |" in md  # the failing row, in context
    assert "wat te doen: CBS period codes look like" in md
    data = json.loads((tmp_path / "validation" / "85773NED.json").read_text())
    assert data["passed"] is False and data["findings"][0]["check"] == "period_code_format"
    with pytest.raises(v.ValidationFailed, match=f"Read {md_path}"):
        v.enforce(report, md_path)


def test_tidy_writes_a_passing_record_and_stops_on_a_failing_one(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    pointer = fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    manifest = tmp_path / "raw" / "85773NED" / pointer["snapshot_dir"] / "manifest.json"
    tidy_source(manifest, tmp_path / "t.parquet", tmp_path / "t.json", validation_dir=tmp_path / "val")
    md = (tmp_path / "val" / "85773NED.md").read_text()
    assert "Geslaagd:" in md and "controles op 4.264 rijen" in md
    # the same check as a warning does not stop the run
    df, meta = tidy_snapshot(manifest.parent)
    df.loc[5, "period"] = "2023MM13"
    report = v.validate(df, meta, warnings=["period_code_format"])
    assert report.passed and checks(report, "warning") == {"period_code_format"}


def test_a_raw_payload_of_the_wrong_shape_gets_a_report_too(cbs_server, tmp_path):
    body = json.loads(shared_path("cbs", "odata4", "85773NED", "Observations.json").read_bytes())
    body["value"][2]["ValueAttribute"] = "Geheim"  # not in CBS's vocabulary
    cbs_server.root = shared_path("cbs", "odata4")
    cbs_server.routes["/CBS/85773NED/Observations"] = json.dumps(body).encode()
    pointer = fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    manifest = tmp_path / "raw" / "85773NED" / pointer["snapshot_dir"] / "manifest.json"
    with pytest.raises(
        v.ValidationFailed, match=r"raw\.V4Observations\.ValueAttribute\.isin.*Read .*85773NED\.md"
    ):
        tidy_source(manifest, tmp_path / "t.parquet", tmp_path / "t.json", validation_dir=tmp_path / "val")
    md = (tmp_path / "val" / "85773NED.md").read_text()
    assert "Geheim" in md and "## Fout: raw.V4Observations.ValueAttribute.isin" in md
    assert not (tmp_path / "t.parquet").exists()  # nothing half-validated is written


def test_the_previous_snapshot_is_described_without_tidying_it_again(cbs_server, tmp_path, monkeypatch):
    import time

    from dossiercheck.sources import tidying

    cbs_server.root = shared_path("cbs", "odata4")
    first = fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    props = json.loads(shared_path("cbs", "odata4", "85773NED", "Properties.json").read_bytes())
    props["Modified"] = "2026-07-22T06:30:00+02:00"
    cbs_server.routes["/CBS/85773NED/Properties"] = json.dumps(props).encode()
    time.sleep(1.1)
    second = fetch(cbs_server, tmp_path, "85773NED", {"kind": "cbs_odata4", "table_id": "85773NED"})
    assert second["snapshot_id"] != first["snapshot_id"]
    monkeypatch.setattr(
        tidying, "tidy_snapshot", lambda *a, **k: pytest.fail("the previous snapshot was tidied again")
    )
    previous = tidying.previous_metadata(tmp_path / "raw" / "85773NED" / second["snapshot_dir"])
    assert previous["snapshot_id"] == first["snapshot_id"]
    raw = json.loads(shared_path("cbs", "odata4", "85773NED", "Observations.json").read_bytes())["value"]
    assert previous["row_count"] == len(raw) and "M001505_2" in previous["measures"]


def test_every_other_drift_and_cell_check_by_name(cbs_server, tmp_path):
    """The checks no other test reaches, each provoked on its own on the real 86141NED (CPI) and judged by
    name and severity: errors stop a run, the configured warnings (measure_added, codes_added) do not."""
    df, meta = real(cbs_server, tmp_path, "86141NED")
    previous = json.loads(
        json.dumps({**meta, "row_count": len(df), "snapshot_id": "20260101T000000Z-00000000"})
    )
    same = v.validate(df, meta, previous)
    # the recording's newest months are Voorlopig: that warning is there throughout, and nothing else
    assert same.passed and checks(same, "warning") == {"provisional_periods"} and not same.errors

    def warned(report):
        return checks(report, "warning") - {"provisional_periods"}

    odd = df.copy()
    odd.loc[4, "value_attribute"] = "Geheim"  # not one of CBS's four ValueAttributes
    assert checks(v.validate(odd, meta)) == {"value_attribute_known"}

    padded = df.copy()
    padded["Bestedingscategorieen"] = padded["Bestedingscategorieen"].astype(str)
    padded.loc[2, "Bestedingscategorieen"] = "T001112 "  # a code with v3's padding left on
    assert checks(v.validate(padded, meta)) == {"dimension_codes_clean"}

    decimals = json.loads(json.dumps(previous))
    decimals["measures"]["M000215"]["decimals"] = 1  # CPI had one decimal before; now two
    report = v.validate(df, meta, decimals)
    assert checks(report) == {"decimals_changed"}
    assert report.errors[0].examples == [{"measure": "M000215", "before": 1, "after": 2}]

    gone = json.loads(json.dumps(previous))
    gone["measures"]["M999999"] = {"title": "Een maat die er niet meer is", "unit": "%", "decimals": 1}
    assert checks(v.validate(df, meta, gone)) == {"measure_removed"}

    new_measure = json.loads(json.dumps(previous))
    del new_measure["measures"]["M000289"]  # the previous snapshot lacked the weights
    report = v.validate(df, meta, new_measure)
    assert report.passed and warned(report) == {"measure_added"}

    codes = json.loads(json.dumps(previous))
    codes["codes"]["Bestedingscategorieen"]["CPI999999"] = "Een categorie die er niet meer is"
    assert checks(v.validate(df, meta, codes)) == {"codes_removed"}

    fewer_codes = json.loads(json.dumps(previous))
    del fewer_codes["codes"]["Bestedingscategorieen"]["CPI011000"]  # new since the previous snapshot
    report = v.validate(df, meta, fewer_codes)
    assert report.passed and warned(report) == {"codes_added"}

    twice = json.loads(json.dumps(previous))
    twice["row_count"] = len(df) // 2  # the table doubled since the previous snapshot: as suspect as halving
    assert checks(v.validate(df, meta, twice)) == {"row_count_band"}

"""The OData v4 client against a local server: real recorded responses and hand-made faults."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from helpers import v4
from helpers.cbs_server import Fault
from helpers.fetching import HOUSE_PRICES, fetch, tree_digest

from dossiercheck.errors import SnapshotError, SourceError, SourceUnavailable
from dossiercheck.http import HttpSettings
from dossiercheck.snapshot import list_snapshots, read_manifest, verify
from dossiercheck.sources.tidying import tidy_snapshot

ENTRY = HOUSE_PRICES
SMALL = {"kind": "cbs_odata4", "table_id": "99999TST"}


def test_real_85773NED_is_stored_untouched(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    pointer = fetch(cbs_server, tmp_path)
    snap = tmp_path / "raw" / "85773NED" / pointer["snapshot_dir"]
    manifest = verify(snap)
    names = {f["name"] for f in manifest["files"]}
    assert names == {
        "Properties.json",
        "Dimensions.json",
        "MeasureCodes.json",
        "PeriodenCodes.json",
        "Observations.json",
    }
    for entry in manifest["files"]:
        recorded = (odata4_dir / "85773NED" / entry["name"]).read_bytes()
        assert (snap / entry["name"]).read_bytes() == recorded  # byte for byte what the server sent
        assert entry["sha256"] == hashlib.sha256(recorded).hexdigest()
        assert entry["http_status"] == 200
        assert entry["url"].startswith(cbs_server.url + "/85773NED/")
        assert entry["content_type"].startswith("application/json")
    props = json.loads((odata4_dir / "85773NED" / "Properties.json").read_bytes())
    assert manifest["upstream_modified"] == props["Modified"] == "2026-06-22T06:30:00+02:00"
    assert manifest["observation_rows"] == props["ObservationCount"] == 4264
    assert manifest["client"].startswith("dossiercheck/")
    assert manifest["retrieved_at"].endswith("Z")


def test_paging_follows_next_links_through_the_configured_host(cbs_server, tmp_path):
    cbs_server.routes.update(v4.small_table())
    pointer = fetch(cbs_server, tmp_path, "99999TST", SMALL)
    manifest = read_manifest(tmp_path / "raw" / "99999TST" / pointer["snapshot_dir"])
    pages = sorted(f["name"] for f in manifest["files"] if f["name"].startswith("Observations"))
    assert pages == ["Observations.0002.json", "Observations.0003.json", "Observations.json"]
    assert manifest["observation_rows"] == 5  # 2 + 2 + 1 rows in the three hand-made pages
    # The nextLinks name datasets.cbs.nl; the requests still reached this server, each page once.
    assert [r for r in cbs_server.requests if "Observations" in r] == [
        "/CBS/99999TST/Observations",
        "/CBS/99999TST/Observations?$skip=2",
        "/CBS/99999TST/Observations?$skip=4",
    ]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_or_failing_server_twice_then_200_is_retried(cbs_server, odata4_dir, tmp_path, status):
    cbs_server.root = odata4_dir
    cbs_server.faults["/CBS/85773NED/Properties"] = [Fault(status=status), Fault(status=status)]
    fetch(cbs_server, tmp_path)
    assert cbs_server.count("/85773NED/Properties") == 3


def test_persistent_503_without_snapshot_says_what_to_do(cbs_server, tmp_path):
    cbs_server.faults["/CBS/85773NED/Properties"] = [Fault(status=503)] * 3
    with pytest.raises(SourceUnavailable) as err:
        fetch(cbs_server, tmp_path)
    msg = str(err.value)
    assert "CBS table 85773NED" in msg and "HTTP 503" in msg and "no earlier snapshot" in msg
    assert list_snapshots(tmp_path / "raw" / "85773NED") == []


def test_a_hang_times_out(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    http = HttpSettings(connect_timeout=1, read_timeout=0.3, retries=0, backoff=0)
    cbs_server.faults["/CBS/85773NED/Properties"] = [Fault(hang=2)]
    with pytest.raises(SourceUnavailable, match="could not reach .*/85773NED/Properties"):
        fetch(cbs_server, tmp_path, http=http)


def test_a_hang_mid_download_keeps_the_previous_snapshot(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    first = fetch(cbs_server, tmp_path)
    before = tree_digest(tmp_path / "raw")
    http = HttpSettings(connect_timeout=1, read_timeout=0.3, retries=1, backoff=0)
    cbs_server.faults["/CBS/85773NED/Observations"] = [Fault(hang=1), Fault(hang=1)]
    again = fetch(cbs_server, tmp_path, http=http, refresh="force")
    assert again["reused"] is True and again["snapshot_id"] == first["snapshot_id"]
    assert "timed out (no answer within 0.3 s, 1 retries)" in again["note"]
    assert tree_digest(tmp_path / "raw") == before
    assert not list((tmp_path / "raw" / "85773NED").glob(".partial-*"))


def test_unreachable_host_fails_within_seconds_and_names_the_fix(tmp_path):
    start = time.monotonic()
    with pytest.raises(SourceUnavailable) as err:
        fetch(None, tmp_path)  # port 9 on loopback: connection refused
    assert time.monotonic() - start < 10
    msg = str(err.value)
    assert "85773NED" in msg
    assert "http://127.0.0.1:9/CBS/85773NED/Properties" in msg
    assert "cbs_odata4_url" in msg  # what to do: point at a mirror, or retry when CBS can be reached


def test_unreachable_host_reuses_last_good_snapshot(cbs_server, odata4_dir, tmp_path, caplog):
    cbs_server.root = odata4_dir
    first = fetch(cbs_server, tmp_path)
    before = tree_digest(tmp_path / "raw")
    second = fetch(None, tmp_path)
    assert second["reused"] is True
    assert second["snapshot_id"] == first["snapshot_id"]
    assert "reusing the last good snapshot" in caplog.text
    assert tree_digest(tmp_path / "raw") == before


@pytest.mark.parametrize(
    ("path", "fault", "match"),
    [
        ("/CBS/85773NED/Observations", Fault(body=b'{"value": [{"Id": 0, "Meas'), "not valid JSON"),
        ("/CBS/85773NED/Observations", Fault(body=b"\xff\xfe not utf-8 \xff"), "not valid JSON"),
        # well-formed JSON whose one text holds a byte that is not UTF-8 (the page reader skips texts)
        (
            "/CBS/85773NED/Observations",
            Fault(body=b'{"value": [{"Id": 0, "Measure": "M\xe9", "Value": 1.0}]}'),
            "not valid JSON",
        ),
        ("/CBS/85773NED/Observations", Fault(body=b'{"value": 3}'), "no 'value' list"),
        ("/CBS/85773NED/Properties", Fault(status=404), "404 Not Found.*successor"),
        ("/CBS/85773NED/MeasureCodes", Fault(body=b'{"no": "value"}'), "no 'value' list"),
    ],
)
def test_bad_answers_fail_clearly_and_keep_the_previous_snapshot(
    cbs_server, odata4_dir, tmp_path, path, fault, match
):
    cbs_server.root = odata4_dir
    fetch(cbs_server, tmp_path)
    before = tree_digest(tmp_path / "raw")
    cbs_server.faults[path] = [fault]
    with pytest.raises(SourceError, match=match):
        fetch(cbs_server, tmp_path, refresh="force")
    assert tree_digest(tmp_path / "raw") == before
    assert not list((tmp_path / "raw" / "85773NED").glob(".partial-*"))


def test_a_repeating_next_link_is_refused(cbs_server, tmp_path):
    routes = v4.small_table()
    cbs_server.routes.update(routes)
    fetch(cbs_server, tmp_path, "99999TST", SMALL)
    before = tree_digest(tmp_path / "raw")
    # page 2 points back at itself
    routes["/CBS/99999TST/Observations?$skip=2"] = v4.collection(
        "99999TST", "Observations", [], f"{v4.CBS}/99999TST/Observations?$skip=2"
    )
    cbs_server.routes.update(routes)
    with pytest.raises(SourceError, match="same @odata.nextLink twice"):
        fetch(cbs_server, tmp_path, "99999TST", SMALL, refresh="force")
    assert tree_digest(tmp_path / "raw") == before


def test_a_discontinued_table_warns_and_names_its_successor(cbs_server, tmp_path, caplog):
    cbs_server.routes.update(v4.small_table())
    fetch(cbs_server, tmp_path, "99999TST", SMALL)
    before = tree_digest(tmp_path / "raw")
    cbs_server.routes["/CBS/99999TST/Properties"] = v4.properties(
        "99999TST", status="Gediscontinueerd", modified="2026-09-01T00:00:00+02:00"
    )
    time.sleep(1.1)
    fetch(cbs_server, tmp_path, "99999TST", dict(SMALL, successor="88888TST"))
    assert "discontinued (Gediscontinueerd)" in caplog.text and "Its successor is 88888TST" in caplog.text
    # the final data of a discontinued table is still data: a new snapshot, the old one untouched
    after = tree_digest(tmp_path / "raw")
    assert {k: v for k, v in after.items() if k in before} == before and len(after) > len(before)


def test_404_names_the_successor_from_sources_yaml(cbs_server, tmp_path):
    with pytest.raises(SourceError, match="names its successor 85773NED"):
        fetch(
            cbs_server,
            tmp_path,
            "83906NED",
            {"kind": "cbs_odata4", "table_id": "83906NED", "successor": "85773NED"},
        )


def test_an_unchanged_table_is_not_downloaded_again(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    first = fetch(cbs_server, tmp_path)
    second = fetch(cbs_server, tmp_path)  # refresh="check": Properties.Modified is the same
    assert second["snapshot_id"] == first["snapshot_id"] and second["reused"] is True
    assert cbs_server.count("/Properties") == 2
    assert cbs_server.count("/Observations") == 1  # observations were not asked for again
    assert "unchanged upstream since 2026-06-22T06:30:00+02:00" in second["note"]


def test_a_forced_download_with_identical_content_keeps_the_snapshot(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    first = fetch(cbs_server, tmp_path)
    again = fetch(cbs_server, tmp_path, refresh="force")
    assert cbs_server.count("/Observations") == 2  # really downloaded
    assert again["snapshot_id"] == first["snapshot_id"]
    assert len(list_snapshots(tmp_path / "raw" / "85773NED")) == 1


def test_a_newer_table_gives_a_new_snapshot(cbs_server, odata4_dir, tmp_path):
    cbs_server.routes.update(v4.small_table())
    first = fetch(cbs_server, tmp_path, "99999TST", SMALL)
    cbs_server.routes["/CBS/99999TST/Properties"] = v4.properties(
        "99999TST", modified="2026-07-22T06:30:00+02:00"
    )
    time.sleep(1.1)  # snapshot ids carry the second they were taken
    second = fetch(cbs_server, tmp_path, "99999TST", SMALL)
    assert second["snapshot_id"] != first["snapshot_id"] and second["reused"] is False
    assert len(list_snapshots(tmp_path / "raw" / "99999TST")) == 2


def test_observations_are_filtered_on_the_server_to_what_the_claims_read(cbs_server, tmp_path):
    cbs_server.routes.update(v4.small_table())
    needs = {"measures": ["M000001"], "filters": {"RegioS": ["NL01", "GM0363"]}}
    pointer = fetch(cbs_server, tmp_path, "99999TST", SMALL, needs=needs)
    first_page = [r for r in cbs_server.requests if "/Observations" in r][0]
    assert first_page == (
        "/CBS/99999TST/Observations?$filter=Measure eq 'M000001' and (RegioS eq 'GM0363' or RegioS eq 'NL01')"
    )
    manifest = read_manifest(tmp_path / "raw" / "99999TST" / pointer["snapshot_dir"])
    assert manifest["observations_filter"].startswith("Measure eq 'M000001'")


def test_an_unknown_measure_is_refused_with_the_codes_the_table_has(cbs_server, odata4_dir, tmp_path):
    cbs_server.root = odata4_dir
    fetch(cbs_server, tmp_path)
    before = tree_digest(tmp_path / "raw")
    with pytest.raises(SourceError) as err:
        fetch(cbs_server, tmp_path, needs={"measures": ["M001505_9"]}, refresh="force")
    msg = str(err.value)
    assert "CBS table 85773NED" in msg and "M001505_9" in msg
    assert "M001505_2 (Prijsindex verkoopprijzen)" in msg  # the codes it does have, with titles
    assert tree_digest(tmp_path / "raw") == before


def test_an_unknown_dimension_code_is_refused(cbs_server, tmp_path):
    cbs_server.routes.update(v4.small_table())
    with pytest.raises(SourceError, match=r"RegioS code GM9999.*NL01 \(Nederland\); GM0363 \(Amsterdam\)"):
        fetch(cbs_server, tmp_path, "99999TST", SMALL, needs={"filters": {"RegioS": ["GM9999"]}})


def test_observations_without_a_listed_dimension_fail_tidy_clearly(cbs_server, tmp_path):
    """The hand-made table lists RegioS in Dimensions; here its observations lack that field."""
    routes = v4.small_table()
    for key in [k for k in routes if "/Observations" in k]:
        body = json.loads(routes[key])
        for row in body["value"]:
            del row["RegioS"]
        routes[key] = json.dumps(body).encode()
    cbs_server.routes.update(routes)
    pointer = fetch(cbs_server, tmp_path, "99999TST", SMALL)
    with pytest.raises(SnapshotError, match="lists RegioS, but no observation .* carries it"):
        tidy_snapshot(tmp_path / "raw" / "99999TST" / pointer["snapshot_dir"])

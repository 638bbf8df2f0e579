"""The example dossier dossiers/cbs-inflatie-2024/ recomputed from the recorded CBS table 86141NED
(../shared/cbs/odata4/86141NED, "Alle bestedingen" only), fetched and tidied as the workflow does. The
expected figures are read by hand from the recording's Observations rows, named by their Id below."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml
from conftest import ROOT, shared_path
from helpers.fetching import FAST

from dossiercheck.claims import needs_by_source, recompute_claim
from dossiercheck.fetch import fetch_source
from dossiercheck.sources.tidying import tidy_snapshot

CLAIMS = ROOT / "dossiers" / "cbs-inflatie-2024" / "claims" / "01_inflatie.yaml"

# From ../shared/cbs/odata4/86141NED/Observations.json, Bestedingscategorieen T001112 (Alle bestedingen):
#   Id 1369  M000238 (Jaarmutatie CPI, %)  2024JJ00  3.3     Id 1278  M000238  2023JJ00  3.8
#   Id 1365  M000215 (CPI 2025=100)        2024JJ00  96.9    Id 1274  M000215  2023JJ00  93.76
#   Id 1183  M000215                       2022JJ00  90.29
# The claims quote CBS's own year-on-year figure (metric 'published': M000238), so the figure is 3,3 for
# 2024 and 3,8 for 2023; recomputed from the index it is 96.9 / 93.76 - 1 = 3.349 % and 93.76 / 90.29 - 1 =
# 3.843 %, inside the bands of "3,3 procent" ([3,25; 3,35)) and "3,8 procent" ([3,75; 3,85)) too.
ROWS = {
    1369: ("M000238", "2024JJ00", 3.3),
    1278: ("M000238", "2023JJ00", 3.8),
    1365: ("M000215", "2024JJ00", 96.9),
    1274: ("M000215", "2023JJ00", 93.76),
    1183: ("M000215", "2022JJ00", 90.29),
}
EXPECTED = {
    "i1_inflatie_2024": {"period": "2024JJ00", "value": 3.3, "index": 96.9, "year_earlier": 93.76},
    "i1_inflatie_2023": {"period": "2023JJ00", "value": 3.8, "index": 93.76, "year_earlier": 90.29},
}


def test_the_rows_the_expectations_are_read_from():
    rows = json.loads(shared_path("cbs", "odata4", "86141NED", "Observations.json").read_bytes())["value"]
    by_id = {r["Id"]: r for r in rows}
    for row_id, (measure, period, value) in ROWS.items():
        r = by_id[row_id]
        assert (r["Measure"], r["Perioden"], r["Value"]) == (measure, period, value)
        assert r["Bestedingscategorieen"] == "T001112"
    # the recording holds "Alle bestedingen" only: tobacco's 29,0 procent is not in it
    assert {r["Bestedingscategorieen"] for r in rows} == {"T001112"}


def test_the_cpi_claims_hold_when_recomputed_from_the_recording(cbs_server, tmp_path):
    cbs_server.root = shared_path("cbs", "odata4")
    reg = yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))
    sources = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text(encoding="utf-8"))
    qualifiers = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))["qualifiers"]
    entry = sources["86141NED"]
    pointer = fetch_source(
        "86141NED",
        entry,
        tmp_path / "raw",
        tmp_path / "raw" / "86141NED" / "current.json",
        base_urls={"cbs_odata4_url": cbs_server.url},
        http=FAST,
        needs=needs_by_source([reg])["86141NED"],
    )
    df, meta = tidy_snapshot(tmp_path / "raw" / "86141NED" / pointer["snapshot_dir"], entry)
    results = {
        c["id"]: recompute_claim(
            c, "01_inflatie", df, meta, entry, dossier_date=date(2025, 1, 15), qualifiers=qualifiers
        )
        for c in reg["claims"]
        if c.get("recomputable", True)
    }
    assert sorted(results) == sorted(EXPECTED)
    for claim_id, want in EXPECTED.items():
        r = results[claim_id]
        assert r["status"] == "holds", (claim_id, r["status"])
        d = r["dossier"]
        assert d["period"] == want["period"] and d["origin"] == "published"
        assert d["value"] == pytest.approx(want["value"])
        assert d["inputs"]["value"] == pytest.approx(want["index"])
        assert d["inputs"]["year_earlier"] == pytest.approx(want["year_earlier"])
        # the recomputation from the index agrees with CBS's own figure to one decimal
        assert round(100 * (want["index"] / want["year_earlier"] - 1), 1) == want["value"]

"""Claims on tables ../shared does not hold, recomputed through the real client, tidy step and claims
code from small fixtures made here in the exact OData v3 shape: 80799ned (daklozen)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from conftest import ROOT
from test_cbs_odata4 import FAST

from dossiercheck.claims import needs_by_source, recompute_claim
from dossiercheck.errors import SourceError
from dossiercheck.fetch import fetch_source
from dossiercheck.tidy import tidy_snapshot

# Dakloze mensen (x 1 000), Totaal personen, per 1 January: the series as CBS published it (research notes).
HOMELESS = {
    "2009": 17.8,
    "2012": 27.3,
    "2018": 39.3,
    "2020": 36.4,
    "2021": 32.0,
    "2022": 26.6,
    "2023": 30.6,
    "2024": 33.0,
}
BASE = "/ODataFeed/odata/80799ned"


def v3_80799ned(person_codes=("T009002", "3000", "4000")) -> dict[str, bytes]:
    def body(rows):
        return json.dumps(
            {"odata.metadata": f"https://opendata.cbs.nl{BASE}/$metadata", "value": rows}
        ).encode()

    props = [
        {
            "ID": 0,
            "Position": 0,
            "Type": "Dimension",
            "Key": "Persoonskenmerken",
            "Title": "Persoonskenmerken",
        },
        {"ID": 1, "Position": 1, "Type": "TimeDimension", "Key": "Perioden", "Title": "Perioden"},
        {
            "ID": 2,
            "Position": 2,
            "Type": "Topic",
            "Key": "DaklozeMensen_1",
            "Title": "Dakloze mensen",
            "Unit": "x 1 000",
            "Decimals": 1,
        },
    ]
    titles = {"T009002": "Totaal personen", "3000": "Mannen", "4000": "Vrouwen"}
    rows, i = [], 0
    for code in person_codes:
        for year, value in HOMELESS.items():
            share = 1.0 if code == "T009002" else 0.5
            rows.append(
                {
                    "ID": i,
                    "Persoonskenmerken": f"{code:<8}",
                    "Perioden": f"{year}JJ00",
                    "DaklozeMensen_1": round(value * share, 1),
                }
            )
            i += 1
    return {
        f"{BASE}/TableInfos": body(
            [
                {
                    "Identifier": "80799ned",
                    "Title": "Daklozen; persoonskenmerken",
                    "Modified": "2025-05-06T02:00:00",
                    "Frequency": "Perjaar",
                }
            ]
        ),
        f"{BASE}/DataProperties": body(props),
        f"{BASE}/CategoryGroups": body([]),
        f"{BASE}/Persoonskenmerken": body(
            [
                {"Key": f"{c:<8}", "Title": titles.get(c, c), "Description": None, "CategoryGroupID": None}
                for c in person_codes
            ]
        ),
        f"{BASE}/Perioden": body(
            [{"Key": f"{y}JJ00", "Title": y, "Description": None, "Status": "Definitief"} for y in HOMELESS]
        ),
        f"{BASE}/TypedDataSet": body(rows),
    }


def slope_by_hand(points: dict[str, float]) -> float:
    """Ordinary least squares, written out: sum((x - mx)(y - my)) / sum((x - mx)^2), x in years."""
    xs, ys = [int(k) for k in points], list(points.values())
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


@pytest.fixture
def registry():
    reg = yaml.safe_load((ROOT / "config" / "claims" / "04_wonen.yaml").read_text())
    sources = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    qualifiers = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
    return reg, sources, qualifiers


def fetch_80799ned(server, tmp_path, registry):
    reg, sources, _ = registry
    pointer = fetch_source(
        "80799ned",
        sources["80799ned"],
        tmp_path / "raw",
        tmp_path / "raw" / "80799ned" / "current.json",
        base_urls={"cbs_odata3_url": server.host},
        http=FAST,
        needs=needs_by_source([reg])["80799ned"],
    )
    return tmp_path / "raw" / "80799ned" / pointer["snapshot_dir"]


def test_homeless_claims_from_a_v3_fixture(cbs_server, tmp_path, registry):
    reg, sources, qualifiers = registry
    cbs_server.routes.update(v3_80799ned())
    snap = fetch_80799ned(cbs_server, tmp_path, registry)
    # the claims' codes went into the query, padded as v3 wants them
    data_request = next(r for r in cbs_server.requests if "TypedDataSet" in r)
    assert (
        "$filter=Persoonskenmerken eq 'T009002 '" in data_request
        and "$select=Persoonskenmerken,Perioden,DaklozeMensen_1" in data_request
    )
    df, meta = tidy_snapshot(snap, sources["80799ned"])
    claims = {c["id"]: c for c in reg["claims"]}
    kw = {"dossier_date": pd.Timestamp("2023-10-01").date(), "qualifiers": qualifiers}

    count = recompute_claim(claims["t4_daklozen_26600"], "04_wonen", df, meta, sources["80799ned"], **kw)
    assert (
        count["dossier"]["value"] == 26.6 and count["dossier"]["judgement"] == "holds"
    )  # 26.600 on 1 Jan 2022
    assert count["newest"]["period"] == "2024JJ00" and count["newest"]["value"] == 33.0
    assert count["status"] == "outdated"  # 33.000 is not 26.600

    trend = recompute_claim(
        claims["t4_daklozen_dalende_trend"], "04_wonen", df, meta, sources["80799ned"], **kw
    )
    dossier_slope = slope_by_hand({y: HOMELESS[y] for y in ("2018", "2020", "2021", "2022")})
    newest_slope = slope_by_hand({y: HOMELESS[y] for y in ("2021", "2022", "2023", "2024")})
    assert trend["dossier"]["value"] == pytest.approx(dossier_slope) and dossier_slope < 0
    assert trend["newest"]["value"] == pytest.approx(newest_slope) and newest_slope > 0
    assert trend["dossier"]["judgement"] == "holds" and trend["newest"]["judgement"] == "contradicts"
    assert trend["status"] == "outdated"  # the decline stopped in 2023 and reversed in 2024


def test_a_wrong_code_fails_the_first_online_run_loudly(cbs_server, tmp_path, registry):
    cbs_server.routes.update(v3_80799ned(person_codes=("A048583", "3000", "4000")))  # no T009002
    with pytest.raises(SourceError) as err:
        fetch_80799ned(cbs_server, tmp_path, registry)
    msg = str(err.value)
    assert "CBS table 80799ned" in msg and "Persoonskenmerken code T009002" in msg
    assert "3000 (Mannen)" in msg and "fix the claim in config/claims/" in msg.lower()

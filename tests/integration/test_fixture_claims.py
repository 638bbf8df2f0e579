"""Claims on tables ../shared does not hold, recomputed through the real client, tidy step and claims
code from small fixtures made here in the exact OData v3 shape: 80799ned (daklozen)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from conftest import ROOT, shared_path
from helpers.fetching import FAST

from dossiercheck.claims import needs_by_source, recompute_claim
from dossiercheck.errors import SourceError
from dossiercheck.fetch import fetch_source
from dossiercheck.sources.tidying import tidy_snapshot

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
    reg = yaml.safe_load(
        (ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims" / "04_wonen.yaml").read_text()
    )
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
    # "vorig jaar" in a text of 2023: a sentence about 2022, which holds for 2022; the 33.000 of 2024 is
    # shown beside it and not held against it
    assert count["status"] == "holds" and count["newest"]["judgement"] is None

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
    assert "3000 (Mannen)" in msg and "fix the claim in dossiers/<slug>/claims/" in msg.lower()


# --- the other tables ../shared holds no observations of -------------------------------------------------
# Each fixture below is in the exact shape CBS sends, with the codes the claims use. Their figures are
# made up for the test (they are not CBS's): what is tested is what the pipeline does with them, and every
# expected value is worked out here by hand from the fixture's own rows.


def recompute_source(server, tmp_path, source: str, base_urls: dict[str, str]) -> dict[str, dict]:
    """Fetch ``source`` as the workflow does (with what every claim on it needs), tidy it, and recompute
    every claim that reads it."""
    sources = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    qualifiers = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
    registries = {
        p.stem: yaml.safe_load(p.read_text())
        for p in sorted((ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims").glob("0*.yaml"))
    }
    pointer = fetch_source(
        source,
        sources[source],
        tmp_path / "raw",
        tmp_path / "raw" / source / "current.json",
        base_urls=base_urls,
        http=FAST,
        needs=needs_by_source(list(registries.values()))[source],
    )
    df, meta = tidy_snapshot(tmp_path / "raw" / source / pointer["snapshot_dir"], sources[source])
    kw = {"dossier_date": pd.Timestamp("2023-10-01").date(), "qualifiers": qualifiers}
    return {
        c["id"]: recompute_claim(c, theme, df, meta, sources[source], **kw)
        for theme, reg in registries.items()
        for c in reg["claims"]
        if c.get("source") == source and c.get("recomputable", True)
    }


def test_unemployment_by_origin_from_a_v3_fixture(cbs_server, tmp_path):
    from helpers.v3 import v3_table

    rate = {  # werkloosheidspercentage (made up): (Nederland, buiten Nederland)
        "2021": (3.1, 7.0),
        "2022": (2.8, 6.0),
        "2023": (2.9, 6.2),
        "2024": (3.0, 6.9),
    }
    rows = [
        {
            "Geslacht": "T001038",
            "Leeftijd": "52052",
            "Herkomst": code,
            "Perioden": f"{year}JJ00",
            "Werkloosheidspercentage_13": pair[i],
        }
        for year, pair in rate.items()
        for i, code in enumerate(("H008519", "H008520"))
    ]
    cbs_server.routes.update(
        v3_table(
            "85456NED",
            "Arbeidsdeelname; herkomst",
            {
                "Geslacht": {"T001038": "Totaal mannen en vrouwen"},
                "Leeftijd": {"52052": "15 tot 75 jaar"},
                "Herkomst": {"H008519": "Nederland", "H008520": "Buiten Nederland"},
            },
            [f"{y}JJ00" for y in rate],
            {"Werkloosheidspercentage_13": ("Werkloosheidspercentage", "%", 1)},
            rows,
        )
    )
    out = recompute_source(cbs_server, tmp_path, "85456NED", {"cbs_odata3_url": cbs_server.host})
    # both origins went into one query: the ratio's two selections share the common filters
    data_request = next(r for r in cbs_server.requests if "TypedDataSet" in r)
    assert "(Herkomst eq 'H008519 ' or Herkomst eq 'H008520 ')" in data_request
    row = out["t2_migratieachtergrond_twee_keer_vaker_werkloos"]
    # 2022 is the newest year published by 1 October 2023 (45 days after its end): 6,0 / 2,8 = 2,14.
    # "twee keer vaker", a number in words: half a step of 0,5 either way, 1,75 up to 2,25: holds.
    assert row["dossier"]["period"] == "2022JJ00"
    assert row["dossier"]["value"] == pytest.approx(6.0 / 2.8) and row["dossier"]["judgement"] == "holds"
    # 2024: 6,9 / 3,0 = 2,3, above 2,25: no longer "twee keer"
    assert row["newest"]["value"] == pytest.approx(2.3) and row["newest"]["judgement"] == "contradicts"
    assert row["status"] == "outdated" and row["codes_verified"] is False
    # at the dossier's precision (steps of 0,5) 2,3 is "tweeënhalf keer": 2,25 up to 2,75
    assert row["suggested_wording"] == (
        "Mensen met een migratieachtergrond zijn tweeënhalf keer vaker werkloos dan mensen zonder die "
        "achtergrond (2,30 keer zo vaak, 2024; CBS)."
    )


def test_social_rent_from_a_v3_fixture_is_context_not_a_verdict(cbs_server, tmp_path):
    from helpers.v3 import v3_table

    stock = {  # (alle woningen, eigendom woningcorporatie), made up
        "2012": (7_266_000, 2_295_000),
        "2014": (7_449_000, 2_302_000),
        "2020": (7_892_000, 2_295_000),
        "2021": (7_966_000, 2_298_000),
    }
    rows = [
        {
            "RegioS": "NL01",
            "StatusVanBewoning": "T001235",
            "Perioden": f"{year}JJ00",
            "TotaleWoningvoorraad_1": total,
            "EigendomWoningcorporatie_4": corp,
        }
        for year, (total, corp) in stock.items()
    ]
    cbs_server.routes.update(
        v3_table(
            "82900NED",
            "Voorraad woningen; eigendom, type verhuurder, bewoning, regio",
            {
                "StatusVanBewoning": {"T001235": "Totaal", "A028725": "Bewoond"},
                "RegioS": {"NL01": "Nederland"},
            },
            [f"{y}JJ00" for y in stock],
            {
                "TotaleWoningvoorraad_1": ("Totale woningvoorraad", "aantal", 0),
                "EigendomWoningcorporatie_4": ("Eigendom woningcorporatie", "aantal", 0),
            },
            rows,
        )
    )
    out = recompute_source(cbs_server, tmp_path, "82900NED", {"cbs_odata3_url": cbs_server.host})
    share2012 = out["t4_sociale_huur_37_procent_2012"]
    assert share2012["dossier"]["value"] == pytest.approx(100 * 2_295_000 / 7_266_000)  # 31,6 %
    share2021 = out["t4_sociale_huur_37_naar_34_procent"]
    assert share2021["dossier"]["value"] == pytest.approx(100 * 2_298_000 / 7_966_000)  # 28,8 %
    decline = out["t4_sociale_huur_honderdduizend_minder"]
    assert decline["dossier"]["value"] == 2_302_000 - 2_295_000  # 2014 minus 2020: 7.000 fewer
    # corporation-owned stock is not what the dossier's figures count: shown, never judged
    for row in (share2012, share2021, decline):
        assert row["status"] == "other_definition" and row["dossier"]["judgement"] is None
        assert row["suggested_wording"] is None and "gereguleerde" in row["reason"]


def v4_routes_from_portal_metadata(table: str, observations: list[dict]) -> dict[str, bytes]:
    """83843NED as the v4 API would send it, with its measures and code lists taken from CBS's own
    description of the table in ../shared (the portal's D-83843NED.json has the same fields as v4's
    MeasureCodes and <Dimension>Codes); only the observations are made here."""
    from helpers.v4 import collection, dimension, properties

    portal = json.loads(shared_path("cbs", "metadata", table, f"D-{table}.json").read_bytes())
    base = f"/CBS/{table}"
    routes = {
        f"{base}/Properties": properties(table, modified="2025-10-08T00:00:00+02:00"),
        f"{base}/Dimensions": collection(
            table, "Dimensions", [dimension(table, d["Identifier"], d["Kind"]) for d in portal["Dimensions"]]
        ),
        f"{base}/MeasureCodes": collection(table, "MeasureCodes", portal["Measures"]),
        f"{base}/Observations": collection(table, "Observations", observations),
    }
    for d in portal["Dimensions"]:
        codes = [{**c, "Status": "Definitief"} if d["Kind"] == "TimeDimension" else c for c in d["CodeList"]]
        routes[f"{base}/{d['Identifier']}Codes"] = collection(table, f"{d['Identifier']}Codes", codes)
    return routes


def test_poverty_persons_from_83843ned(cbs_server, tmp_path):
    persons = {"2019": 870.0, "2020": 830.0, "2021": 812.0, "2022": 637.0}  # × 1.000, made up but 2022
    obs = [
        {
            "Id": i,
            "Measure": "M006774_1",
            "ValueAttribute": "None",
            "Value": value,
            "StringValue": None,
            "Geslacht": "T001038",
            "KenmerkenVanPersonen": "T009002",
            "InkomensgrensHuishouden": "1050290",
            "DuurInkomenspositie": "A028721",
            "Perioden": f"{year}JJ00",
        }
        for i, (year, value) in enumerate(persons.items())
    ]
    cbs_server.routes.update(v4_routes_from_portal_metadata("83843NED", obs))
    out = recompute_source(cbs_server, tmp_path, "83843NED", {"cbs_odata4_url": cbs_server.url})
    row = out["t1_bijna_miljoen_in_armoede"]
    # 2022 appeared on 8 November 2023 (312 days after the year): on 1 October 2023 the newest was 2021
    assert row["dossier"]["period"] == "2021JJ00" and row["dossier"]["value"] == 812.0
    # "Bijna een miljoen" (× 1.000): a round word; bijna admits a step down (a tenth): 900 up to 1000
    assert row["dossier"]["judgement"] == "contradicts"
    assert row["newest"]["period"] == "2022JJ00" and row["newest"]["judgement"] == "contradicts"
    # the table is frozen (successor 86127NED): its verdict is shown, the status sends the analyst on.
    # 812 is 88 below the band, more than half of the step down from a round million (a tenth): a miss,
    # not a rounding gap
    assert row["status"] == "source_discontinued" and "86127NED" in row["reason"]
    assert "wijkt af van de bron" in row["reason"]


def test_energy_prices_below_the_2022_peak(tmp_path):
    """86141NED's real metadata and code lists from ../shared; observations of 'Elektriciteit, gas en
    andere brandstoffen' (CPI045000), which the recorded download filtered out, made up here."""
    from helpers.cbs_server import CbsServer
    from helpers.v4 import collection

    months = [f"{y}MM{m:02d}" for y in (2021, 2022, 2023, 2024) for m in range(1, 13)]
    index = {p: 100.0 + i for i, p in enumerate(months)}  # rising by 1 a month ...
    index["2022MM10"] = 250.0  # ... with a peak in October 2022
    index["2023MM08"] = 160.0
    obs = [
        {
            "Id": i,
            "Measure": "M000215",
            "ValueAttribute": "None",
            "Value": v,
            "StringValue": None,
            "Bestedingscategorieen": "CPI045000",
            "Perioden": p,
        }
        for i, (p, v) in enumerate(index.items())
    ]
    server = CbsServer(root=shared_path("cbs", "odata4"))
    server.routes["/CBS/86141NED/Observations"] = collection("86141NED", "Observations", obs)
    server.start()
    try:
        out = recompute_source(server, tmp_path, "86141NED", {"cbs_odata4_url": server.url})
    finally:
        server.stop()
    row = out["t4_energieprijzen_lager_gestabiliseerd"]
    # August 2023 was published by 1 October (10 days after the month); September was not
    assert row["dossier"]["period"] == "2023MM08"
    assert row["dossier"]["value"] == pytest.approx(160.0 / 250.0)
    # "op een lager niveau": below the peak (a multiple under 1), then and in December 2024 (147 / 250)
    assert row["dossier"]["judgement"] == "holds"
    assert row["newest"]["period"] == "2024MM12" and row["newest"]["value"] == pytest.approx(147.0 / 250.0)
    assert row["status"] == "newer_data_confirms" and row["reference"]["period"] == "2022MM10"

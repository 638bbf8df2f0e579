"""Bulk CSV, file downloads (CSV in cp1252, XLSX) and hand-transcribed figures, through fetch and tidy."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest
from conftest import shared_path
from helpers.fetching import FAST, tree_digest
from helpers.shared_site import bulk_zip as shared_bulk_zip

from dossiercheck.errors import SourceError
from dossiercheck.fetch import fetch_source
from dossiercheck.sources.files import decode_text
from dossiercheck.sources.tidying import tidy_snapshot
from dossiercheck.validate import validate


def fetch_kind(server, tmp_path, source, entry, **kw):
    pointer = fetch_source(
        source,
        entry,
        tmp_path / "raw",
        tmp_path / "raw" / source / "current.json",
        base_urls={"cbs_csv_url": f"{server.host}/csv/CBS/nl"} if server else {},
        http=FAST,
        **kw,
    )
    return pointer, tmp_path / "raw" / source / pointer["snapshot_dir"]


@pytest.fixture
def bulk_zip():
    """The 83841NED bulk download as CBS serves it (a zip of its CSVs), and the folder it was made from."""
    return shared_bulk_zip("83841NED"), shared_path("cbs", "bulk-csv", "83841NED")


def test_bulk_csv_83841NED(cbs_server, tmp_path, bulk_zip):
    data, folder = bulk_zip
    cbs_server.routes["/csv/CBS/nl/83841NED"] = data
    entry = {"kind": "cbs_bulk_csv", "table_id": "83841NED"}
    _, snap = fetch_kind(cbs_server, tmp_path, "83841NED", entry, needs={"measures": ["1050010_2"]})
    df, meta = tidy_snapshot(snap)
    raw = pd.read_csv(folder / "Observations.csv", sep=";", dtype=str, keep_default_na=False)
    assert len(df) == len(raw) == 11_460
    # raw row 0, by hand: 1050010_1;1050010;1050290;A028721;2011JJ00;481,8;;None -> 481.8
    # raw row 1: 1050010_2 ... 2011JJ00;6,9 -> 6.9 (decimal comma)
    key = {
        "KenmerkenVanHuishoudens": "1050010",
        "InkomensgrensHuishouden": "1050290",
        "DuurInkomenspositie": "A028721",
    }
    sel = df[(df.period == "2011JJ00") & (df[list(key)] == pd.Series(key)).all(axis=1)].set_index("measure")
    assert sel.loc["1050010_1", "value"] == 481.8 and sel.loc["1050010_2", "value"] == 6.9
    assert meta["measures"]["1050010_1"]["unit"] == "x 1 000"
    assert meta["codes"]["DuurInkomenspositie"]["A028724"] == "Vier jaar of langer"
    # PeriodenCodes.csv (as recorded) ends at 2022JJ00 'Voorlopig'; the observations run to 2024:
    statuses = df.groupby("period").period_status.first()
    assert statuses["2021JJ00"] == "Definitief" and statuses["2022JJ00"] == "Voorlopig"
    assert statuses["2023JJ00"] == statuses["2024JJ00"] == "Onbekend"


def test_bulk_csv_unchanged_is_not_downloaded_again(cbs_server, tmp_path, bulk_zip):
    cbs_server.routes["/csv/CBS/nl/83841NED"] = bulk_zip[0]
    entry = {"kind": "cbs_bulk_csv", "table_id": "83841NED"}
    first, _ = fetch_kind(cbs_server, tmp_path, "83841NED", entry)
    second, _ = fetch_kind(cbs_server, tmp_path, "83841NED", entry)
    assert second["snapshot_id"] == first["snapshot_id"]
    assert "HTTP 304 Not Modified" in second["note"]  # the server was asked with If-None-Match


def test_bulk_csv_unknown_measure_and_broken_zip(cbs_server, tmp_path, bulk_zip):
    cbs_server.routes["/csv/CBS/nl/83841NED"] = bulk_zip[0]
    entry = {"kind": "cbs_bulk_csv", "table_id": "83841NED"}
    fetch_kind(cbs_server, tmp_path, "83841NED", entry)
    before = tree_digest(tmp_path / "raw")
    with pytest.raises(SourceError, match=r"measure 9999_1.*1050010_1 \(Particuliere huishoudens\)"):
        fetch_kind(cbs_server, tmp_path, "83841NED", entry, needs={"measures": ["9999_1"]}, refresh="force")
    cbs_server.routes["/csv/CBS/nl/83841NED"] = bulk_zip[0][: len(bulk_zip[0]) // 2]  # cut off
    with pytest.raises(SourceError, match="not a zip file"):
        fetch_kind(cbs_server, tmp_path, "83841NED", entry, refresh="force")
    assert tree_digest(tmp_path / "raw") == before


DEBTS = {
    "kind": "file",
    "publisher": "CBS",
    "title": "Schuldenproblematiek in beeld: ontwikkeling",
    "url": "https://www.cbs.nl/nl-nl/visualisaties/dashboard-bevolking/schuldenproblematiek",
    "download_url": None,  # set per test to the local server
    "table": {
        "period": {"column": "jaar"},  # "2015" (a year) and "2020-01" (a month: the peildatum)
        "dimensions": ["Groep"],
        "measures": {"schuldenaren": {"unit": "huishoudens"}, "aandeel_schuldenaren": {"unit": "%"}},
    },
}


def test_debts_dashboard_csv_in_cp1252(cbs_server, tmp_path):
    path = shared_path("cbs", "dashboards", "schuldenproblematiek", "Ontwikkeling_NL.csv")
    raw = path.read_bytes()
    text, encoding = decode_text(raw)
    cbs_server.routes["/dashboard/Ontwikkeling_NL.csv"] = raw
    entry = dict(DEBTS, download_url=f"{cbs_server.host}/dashboard/Ontwikkeling_NL.csv")
    _, snap = fetch_kind(cbs_server, tmp_path, "schulden_nl", entry)
    assert (snap / "Ontwikkeling_NL.csv").read_bytes() == raw  # stored untouched
    df, meta = tidy_snapshot(snap, entry)
    assert validate(df, meta).passed
    # raw line 2, by hand: "2015";661730;8,6;7004220;"Totaal huishoudens (oud)"
    row = df[(df.period == "2015JJ00") & (df.Groep == "Totaal huishoudens (oud)")].set_index("measure")
    assert row.loc["schuldenaren", "value"] == 661730 and row.loc["aandeel_schuldenaren", "value"] == 8.6
    # a peildatum: "2023-01";726210;8,8;7543350;"Totaal huishoudens"
    row = df[(df.period == "2023MM01") & (df.Groep == "Totaal huishoudens")].set_index("measure")
    assert row.loc["schuldenaren", "value"] == 726210 and row.loc["aandeel_schuldenaren", "value"] == 8.8
    assert len(df) == 2 * (len(text.strip().splitlines()) - 1)  # two measures per data line
    assert meta["measures"]["aandeel_schuldenaren"]["unit"] == "%"


def test_all_debts_dashboard_files_decode(tmp_path):
    folder = shared_path("cbs", "dashboards", "schuldenproblematiek")
    encodings = {f.name: decode_text(f.read_bytes())[1] for f in sorted(folder.glob("*.csv"))}
    assert len(encodings) == 6
    # At least one of them holds bytes that are not UTF-8 (é, ë in cp1252): that one must come out as cp1252.
    assert "cp1252" in encodings.values()
    for f in folder.glob("*.csv"):
        text, _ = decode_text(f.read_bytes())
        assert "\ufffd" not in text and "Ã" not in text  # no mojibake


def rivm_entry(download_url: str | list[str]) -> dict:
    """A file source over RIVM's "Gezondheid per wijk en buurt" workbooks, reading loneliness (Eenzaam_28)."""
    return {
        "kind": "file",
        "publisher": "RIVM/CBS",
        "title": "Gezondheid per wijk en buurt",
        "url": "https://www.rivm.nl/",
        "download_url": download_url,
        "table": {
            "period": {"column": "Perioden"},
            "dimensions": ["WijkenEnBuurten", "Leeftijd", "Marges"],
            "measures": {"Eenzaam_28": {"unit": "%"}},
        },
    }


def test_rivm_xlsx_with_padded_text(cbs_server, tmp_path):
    path = shared_path("cbs", "rivm", "gezondheid-wijk-buurt", "2012_18plus.xlsx")
    cbs_server.routes["/rivm/2012_18plus.xlsx"] = path.read_bytes()
    entry = rivm_entry(f"{cbs_server.host}/rivm/2012_18plus.xlsx")
    _, snap = fetch_kind(cbs_server, tmp_path, "rivm_gezondheid_2012", entry)
    df, meta = tidy_snapshot(snap, entry)
    assert len(df) == 17_341
    assert validate(df, meta).passed
    # first data row of the sheet, by hand: WijkenEnBuurten 'NL01      ', 2012JJ00, Eenzaam_28 39.6
    nl = df[(df.WijkenEnBuurten == "NL01") & (df.Marges == "MW00000")]
    assert nl.value.iloc[0] == 39.6
    assert not df.WijkenEnBuurten.str.endswith(" ").any()


def test_a_series_in_several_files_is_one_table(cbs_server, tmp_path):
    """RIVM publishes one workbook per year and age group; one source reads them all as one table, and a
    rerun where only some files changed stores every file again (a snapshot is whole)."""
    names = ["2012_18-65.xlsx", "2012_65plus.xlsx", "2020_65plus.xlsx"]
    for name in names:
        cbs_server.routes[f"/rivm/{name}"] = shared_path(
            "cbs", "rivm", "gezondheid-wijk-buurt", name
        ).read_bytes()
    entry = rivm_entry([f"{cbs_server.host}/rivm/{n}" for n in names])
    first, snap = fetch_kind(cbs_server, tmp_path, "rivm", entry)
    df, _ = tidy_snapshot(snap, entry)
    assert len(df) == 3 * 17_341  # three files of 17,341 rows each
    nl = df[(df.WijkenEnBuurten == "NL01") & (df.Marges == "MW00000")].set_index(["period", "Leeftijd"])
    # the NL01 rows of the three workbooks, read by hand: 18-65 in 2012 38,1; 65+ in 2012 45,3; in 2020 49,5
    assert nl.loc[("2012JJ00", "53115"), "value"] == 38.1
    assert nl.loc[("2012JJ00", "80200"), "value"] == 45.3
    assert nl.loc[("2020JJ00", "80200"), "value"] == 49.5
    # nothing changed upstream: every file answers 304 and the snapshot is reused
    again, _ = fetch_kind(cbs_server, tmp_path, "rivm", entry)
    assert again["snapshot_dir"] == first["snapshot_dir"]
    # one file changed: a new snapshot with all three files in it
    cbs_server.routes[f"/rivm/{names[0]}"] = shared_path(
        "cbs", "rivm", "gezondheid-wijk-buurt", "2012_18plus.xlsx"
    ).read_bytes()
    third, snap3 = fetch_kind(cbs_server, tmp_path, "rivm", entry)
    assert third["snapshot_dir"] != first["snapshot_dir"]
    assert sorted(p.name for p in snap3.glob("*.xlsx")) == sorted(names)
    entry["download_url"].append(f"{cbs_server.host}/other/{names[1]}")
    with pytest.raises(SourceError, match="same file name"):
        fetch_kind(cbs_server, tmp_path, "rivm", entry, refresh="force")


def test_statline_download_csv_with_title_path_headers(cbs_server, tmp_path):
    """StatLine's "Download CSV" of 70072ned, as an analyst saves it: headers are title paths with the unit
    in brackets, regions by name. Its figure for Nederland must be the one the OData data set gives."""
    path = shared_path("cbs", "statline-csv", "Regionale_kerncijfers_Nederland_11122025_133649.csv")
    cbs_server.routes["/statline/kerncijfers.csv"] = path.read_bytes()
    entry = {
        "kind": "file",
        "publisher": "CBS",
        "title": "Regionale kerncijfers Nederland (StatLine-export)",
        "url": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/70072ned",
        "download_url": f"{cbs_server.host}/statline/kerncijfers.csv",
        "table": {
            "format": "statline_csv",
            "period": {"column": "Perioden"},
            "dimensions": ["Regio's"],
            "measures": {"Totaal particuliere huishoudens": None, "Gemiddelde huishoudensgrootte": None},
        },
    }
    _, snap = fetch_kind(cbs_server, tmp_path, "kerncijfers", entry)
    df, meta = tidy_snapshot(snap, entry)
    assert validate(df, meta).passed
    # the units come from the headers: "... (aantal)", "... (personen per 1 huishouden)"
    assert meta["measures"]["Totaal particuliere huishoudens"]["unit"] == "aantal"
    assert meta["measures"]["Gemiddelde huishoudensgrootte"]["unit"] == "personen per 1 huishouden"
    nl = df[df["Regio's"] == "Nederland"].set_index("measure")
    import json

    typed = json.loads(shared_path("cbs", "odata3", "70072ned", "TypedDataSet.json").read_bytes())["value"]
    same = next(
        r["TotaalParticuliereHuishoudens_82"]
        for r in typed
        if r["RegioS"].strip() == "NL01" and r["Perioden"] == "2025JJ00"
    )
    assert nl.loc["Totaal particuliere huishoudens", "value"] == same == 8_430_352
    assert nl.loc["Totaal particuliere huishoudens", "period"] == "2025JJ00"
    assert nl.loc["Gemiddelde huishoudensgrootte", "value"] == 2.1  # "2,1": a decimal comma
    assert len(df) == 2 * 729  # Nederland and 728 municipalities


MANUAL = {
    "kind": "manual",
    "publisher": "Commissie Sociaal Minimum",
    "title": "Een zeker bestaan (deel 1)",
    "url": "https://www.rijksoverheid.nl/documenten/rapporten/2023/06/12/een-zeker-bestaan",
    "figures": [
        {
            "id": "tekort_alleenstaande_max",
            "title": "Maandelijks tekort alleenstaande, bovengrens",
            "value": 200,
            "unit": "euro per maand",
            "period": "2023JJ00",
            "page": "12",
            "transcribed_by": "analist",
            "transcribed_at": "2026-11-20",
        }
    ],
}


def test_manual_figures_become_a_table_with_their_citation(tmp_path):
    _, snap = fetch_kind(None, tmp_path, "csm_2023", MANUAL)
    df, meta = tidy_snapshot(snap)
    assert list(df.measure) == ["tekort_alleenstaande_max"] and df.value.iloc[0] == 200.0
    m = meta["measures"]["tekort_alleenstaande_max"]
    assert (m["page"], m["transcribed_by"], m["transcribed_at"]) == ("12", "analist", "2026-11-20")
    assert m["document"] == "Een zeker bestaan (deel 1)"


def test_a_bad_manual_figure_is_refused(tmp_path):
    bad = dict(MANUAL, figures=[dict(MANUAL["figures"][0], period="2023", value="ongeveer 200")])
    _, snap = fetch_kind(None, tmp_path, "csm_bad", bad)
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        tidy_snapshot(snap)
    assert "period" in str(err.value) and "value" in str(err.value)

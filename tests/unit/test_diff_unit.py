"""diff in-process, on figures tables made by hand: classes, the four renderings, the files a run leaves,
the baseline. Every expected figure is worked out in a comment from the rows below."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dossiercheck import diff as d
from dossiercheck.errors import DossiercheckError


def fig(
    claim,
    figure,
    period,
    value,
    tolerance=0.05,
    theme="04_wonen",
    status="holds",
    pstatus="Definitief",
    table="T1",
):
    return {
        "claim_id": claim, "theme": theme, "figure": figure, "source": table, "table_id": table, "measure": "M1",
        "period": period, "period_status": pstatus, "value": value, "unit": "keer", "tolerance": tolerance,
        "claim_status": status, "snapshot_id": "s1",
    }  # fmt: skip


OLD = pd.DataFrame(
    [
        fig("a", "dossier", "2023MM08", 1.93),
        fig("a", "newest", "2026MM04", 2.30),
        fig("b", "dossier", "2022JJ00", 650.0, tolerance=0.5),
        fig("gone", "dossier", "2022JJ00", 1.0),
    ],
    columns=d.FIGURE_COLUMNS,
)
NEW = pd.DataFrame(
    [
        fig("a", "dossier", "2023MM08", 1.85),  # moved 0,08 > 0,05: revised
        fig("a", "newest", "2026MM05", 2.36),  # a later month: new period
        fig("b", "dossier", "2022JJ00", 650.3, tolerance=0.5),  # moved 0,3 ≤ 0,5: within tolerance
        fig("c", "dossier", "2022JJ00", 3.0, theme="06_sociale_relaties"),  # added
    ],
    columns=d.FIGURE_COLUMNS,
)


@pytest.fixture
def diffed():
    return d.diff(OLD, NEW).set_index(["claim_id", "figure"])


def test_classes_values_and_changes(diffed):
    assert diffed["class"].to_dict() == {
        ("a", "dossier"): "revised", ("a", "newest"): "new_period", ("b", "dossier"): "within_tolerance",
        ("c", "dossier"): "added", ("gone", "dossier"): "removed",
    }  # fmt: skip
    a = diffed.loc[("a", "dossier")]
    assert a["abs_change"] == pytest.approx(-0.08) and a["rel_change"] == pytest.approx(-0.08 / 1.93)
    assert bool(a["material"]) and not bool(diffed.loc[("b", "dossier"), "material"])
    assert diffed.loc[("c", "dossier"), "theme"] == "06_sociale_relaties"  # an added figure keeps its theme
    assert diffed.loc[("gone", "dossier"), "old_value"] == 1.0 and pd.isna(
        diffed.loc[("gone", "dossier"), "new_value"]
    )
    assert diffed.loc[("b", "dossier"), "tolerance"] == 0.5  # the wider of the two
    assert d.exit_code(d.diff(OLD, NEW)) == 1 and d.exit_code(d.diff(OLD, OLD)) == 0
    assert d.exit_code(d.diff(OLD.iloc[0:0], OLD.iloc[0:0])) == 0


def test_a_table_change_and_a_status_change():
    moved = pd.DataFrame([fig("a", "dossier", "2023MM08", 1.93, table="T2")], columns=d.FIGURE_COLUMNS)
    assert d.diff(OLD.iloc[:1], moved)["class"].tolist() == ["source_replaced"]
    judged = pd.DataFrame(
        [fig("a", "dossier", "2023MM08", 1.93, status="outdated")], columns=d.FIGURE_COLUMNS
    )
    assert d.diff(OLD.iloc[:1], judged)["class"].tolist() == ["status_changed"]
    assert d.diff(OLD.iloc[:1], OLD.iloc[:1])["class"].tolist() == ["unchanged"]


def test_an_accepted_revision_settles_without_a_status_change():
    # the baseline was accepted while the figure was 'revised' (against the baseline before it); the next
    # run, against this baseline, finds the same 1,93 'outdated': the acceptance settling, not a change
    accepted = pd.DataFrame(
        [fig("a", "dossier", "2023MM08", 1.93, status="revised")], columns=d.FIGURE_COLUMNS
    )
    settled = pd.DataFrame(
        [fig("a", "dossier", "2023MM08", 1.93, status="outdated")], columns=d.FIGURE_COLUMNS
    )
    assert d.diff(accepted, settled)["class"].tolist() == ["unchanged"]
    # the other way (a figure becoming revised) is a change of verdict
    assert d.diff(settled, accepted)["class"].tolist() == ["status_changed"]


def test_the_json_counts_every_class():
    out = json.loads(d.to_json(d.diff(OLD, NEW)))
    assert out["material"] is True
    assert out["counts"] == {
        **dict.fromkeys(d.CLASSES, 0),
        "revised": 1,
        "new_period": 1,
        "within_tolerance": 1,
        "added": 1,
        "removed": 1,
    }
    assert [f["claim_id"] for f in out["figures"]] == ["a", "a", "b", "c", "gone"]
    empty = json.loads(d.to_json(d.diff(OLD.iloc[0:0], OLD.iloc[0:0])))
    assert empty == {"material": False, "counts": dict.fromkeys(d.CLASSES, 0), "figures": []}


def test_the_markdown_and_text_tables():
    md = d.to_markdown(d.diff(OLD, NEW)).splitlines()
    assert md[0] == "| claim | cijfer | wat | oud | nieuw | verschil | relatief | tolerantie |"
    # 1,93 -> 1,85: −0,08, −4,1% of 1,93 (0,08 / 1,93 = 4,15 %, one decimal), tolerance 0,05
    assert (
        "| a | dossier | herzien: zelfde periode, ander cijfer | 1,93 (2023MM08) | 1,85 (2023MM08) | −0,08 | −4,1% | 0,05 |"
        in md
    )
    assert "| c | dossier | nieuw cijfer | – | 3 (2022JJ00) | – | – | 0,05 |" in md
    only = d.to_markdown(d.diff(OLD, NEW), only_material=True)
    assert "| b |" not in only and "| a |" in only  # within tolerance is not material
    text = d.to_text(d.diff(OLD, NEW)).splitlines()
    assert text[-1] == "4 material change(s) in 5 figure(s)"
    assert text[2].split() == ["a", "dossier", "revised", "1,93", "1,85", "−0,08"]
    assert (
        d.to_text(d.diff(OLD.iloc[0:0], OLD.iloc[0:0])).splitlines()[-1]
        == "0 material change(s) in 0 figure(s)"
    )


def test_the_html_fragment_is_escaped_and_material_only():
    hostile = pd.DataFrame([fig("<b>x</b>", "dossier", "2022JJ00", 2.0)], columns=d.FIGURE_COLUMNS)
    html = d.to_html(d.diff(hostile.iloc[0:0], hostile))
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x" not in html
    assert "<td>nieuw cijfer</td><td>–</td><td>2</td><td>–</td>" in html
    assert (
        d.to_html(d.diff(OLD, OLD))
        == '<p class="diff">Geen cijfer is wezenlijk veranderd sinds de vastgestelde basislijn.</p>\n'
    )


def test_figures_round_trip_through_their_csv(tmp_path):
    path = tmp_path / "figures.csv"
    d.write_figures(NEW, path)
    assert (
        path.read_text()
        .splitlines()[1]
        .startswith("a,04_wonen,dossier,T1,T1,M1,2023MM08,Definitief,1.850000,")
    )
    back = d.read_figures(path)
    assert back["value"].tolist() == [1.85, 2.36, 650.3, 3.0] and back["tolerance"].dtype.kind == "f"
    (tmp_path / "bad.csv").write_text("claim_id,value\na,1\n")
    with pytest.raises(DossiercheckError, match="is not a figures table \\(it lacks theme, figure"):
        d.read_figures(tmp_path / "bad.csv")


def test_figures_csv_is_the_text_pandas_writes(tmp_path):
    # figures.csv is written without pandas (the jobs that write it would import pandas for a few rows);
    # the oracle is pandas' own to_csv, as the file was written before, on cells that need quoting
    rows = [
        fig("a", "dossier", "2023MM08", 1.85),
        fig('komma, "quote"', "newest", "2026MM05", 2.0, theme="04 wonen\nregel"),
        fig("ü€", "dossier", "2022JJ00", 650.3333333, tolerance=0.0, pstatus=""),
    ]
    frame = pd.DataFrame(rows, columns=d.FIGURE_COLUMNS)
    expected = frame.to_csv(index=False, float_format="%.6f", lineterminator="\n")
    assert d.figures_csv(rows) == expected and d.figures_csv(frame) == expected
    # and read back as pandas read it: text as text (an empty status stays ''), numbers as floats
    path = tmp_path / "f.csv"
    path.write_text(expected, encoding="utf-8")
    by_pandas = pd.read_csv(path, dtype=str, keep_default_na=False)
    by_pandas[["value", "tolerance"]] = by_pandas[["value", "tolerance"]].astype(float)
    by_pandas = by_pandas.sort_values(d.KEY).to_dict("records")
    assert d.read_figure_rows(path) == by_pandas
    (tmp_path / "nan.csv").write_text(expected.replace("1.850000", "x"), encoding="utf-8")
    with pytest.raises(DossiercheckError, match="not a number"):
        d.read_figure_rows(tmp_path / "nan.csv")


def test_figures_from_results_take_both_periods_with_their_status():
    result = {
        "id": "a", "theme": "04_wonen", "unit": "keer", "tolerance": 0.05, "status": "outdated",
        "provenance": {"source": "T1", "table_id": "T1", "measure": "M1", "snapshot_id": "s1"},
        "dossier": {"period": "2023MM08", "value": 1.93, "periods_used": [{"period": "2013MM02", "status": "Definitief"}, {"period": "2023MM08", "status": "Voorlopig"}]},
        "newest": {"period": "2026MM05", "value": 2.36, "periods_used": [{"period": "2026MM05", "status": "Definitief"}]},
    }  # fmt: skip
    out = d.figures_from_results(
        [result, {"id": "z", "theme": "x", "status": "not_recomputable", "dossier": {}}]
    )
    assert out[["figure", "period", "period_status", "value", "claim_status"]].values.tolist() == [
        ["dossier", "2023MM08", "Voorlopig", 1.93, "outdated"],  # the status of the figure's own period
        ["newest", "2026MM05", "Definitief", 2.36, "outdated"],
    ]


def test_runs_are_kept_by_an_id_of_their_inputs(tmp_path):
    assert d.run_id({"b": "2", "a": "1"}, "r") == d.run_id({"a": "1", "b": "2"}, "r")  # order does not count
    assert d.run_id({"a": "1"}, "r") != d.run_id({"a": "2"}, "r") != d.run_id({"a": "2"}, "s")
    claims = tmp_path / "04_wonen.json"
    claims.write_text(json.dumps({"claims": []}))
    meta = tmp_path / "T1.meta.json"
    meta.write_text(json.dumps({"source": "T1", "snapshot_id": "s1"}))
    reg = tmp_path / "04_wonen.yaml"
    reg.write_text("claims: []\n")
    rid = d.record_run([claims], [meta], [reg], tmp_path / "run", tmp_path / "runs")
    import hashlib

    assert rid == d.run_id({"T1": "s1"}, hashlib.sha256(b"claims: []\n").hexdigest())
    kept = tmp_path / "runs" / rid
    assert (kept / "figures.csv").read_bytes() == (tmp_path / "run" / "figures.csv").read_bytes()
    assert json.loads((kept / "run.json").read_text())["sources"] == {"T1": "s1"}
    assert d.resolve(rid, tmp_path / "runs", tmp_path / "none.csv") == kept / "figures.csv"
    assert d.resolve(str(kept), tmp_path / "runs", tmp_path / "none.csv") == kept / "figures.csv"
    assert d.resolve("baseline", tmp_path / "runs", kept / "figures.csv") == kept / "figures.csv"
    with pytest.raises(DossiercheckError, match=f"'nope' names no figures.*\\({rid}\\)"):
        d.resolve("nope", tmp_path / "runs", tmp_path / "none.csv")


def test_accepting_a_baseline_for_one_theme_keeps_the_others(tmp_path):
    d.write_figures(OLD, tmp_path / "run.csv")
    base = tmp_path / "baseline" / "figures.csv"
    d.accept_baseline(tmp_path / "run.csv", base)
    d.write_figures(NEW, tmp_path / "run2.csv")
    out = d.accept_baseline(tmp_path / "run2.csv", base, theme="06_sociale_relaties")
    # 04_wonen's rows stay the old run's; only 06's (claim c) come from the new one
    assert out[["claim_id", "value"]].values.tolist() == [
        ["a", 1.93],
        ["a", 2.30],
        ["b", 650.0],
        ["c", 3.0],
        ["gone", 1.0],
    ]
    with pytest.raises(DossiercheckError, match="theme '09_x' has no figures"):
        d.accept_baseline(tmp_path / "run2.csv", base, theme="09_x")


def test_the_diff_files_and_a_first_run_without_baseline(tmp_path):
    d.write_figures(NEW, tmp_path / "b.csv")
    assert d.write_diff(tmp_path / "none.csv", tmp_path / "b.csv", tmp_path / "out") == 1  # all added
    got = json.loads((tmp_path / "out" / "baseline.json").read_text())
    assert got["counts"]["added"] == 4 and {p.suffix for p in (tmp_path / "out").iterdir()} == {
        ".md",
        ".json",
        ".html",
        ".txt",
    }
    d.write_figures(NEW, tmp_path / "a.csv")
    assert d.write_diff(tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "out") == 0


def test_a_themes_diff_reads_its_own_rows(tmp_path):
    d.write_figures(OLD, tmp_path / "base.csv")
    claims = tmp_path / "claims.json"
    result = {
        "id": "b", "theme": "04_wonen", "unit": "keer", "tolerance": 0.5, "status": "holds",
        "provenance": {"source": "T1", "table_id": "T1", "measure": "M1", "snapshot_id": "s1"},
        "dossier": {"period": "2022JJ00", "value": 651.0, "periods_used": [{"period": "2022JJ00", "status": "Definitief"}]},
    }  # fmt: skip
    claims.write_text(json.dumps({"theme": "04_wonen", "claims": [result]}))
    d.write_theme_diff(tmp_path / "base.csv", claims, tmp_path / "t.json")
    out = {
        (f["claim_id"], f["figure"]): f["class"]
        for f in json.loads((tmp_path / "t.json").read_text())["figures"]
    }
    # 650 -> 651 moves 1 > 0,5: revised; a's figures are gone from this theme's run; 06's rows are not looked at
    assert out == {
        ("b", "dossier"): "revised",
        ("a", "dossier"): "removed",
        ("a", "newest"): "removed",
        ("gone", "dossier"): "removed",
    }


def test_a_figure_without_a_value_is_compared_not_a_crash(tmp_path):
    # an empty value cell (a figure read as NaN) in either table: the comparison goes on; NaN - x is
    # NaN, never above the tolerance, and the value is written as '–'
    empty = pd.DataFrame([fig("a", "dossier", "2023MM08", float("nan"))], columns=d.FIGURE_COLUMNS)
    diffed = d.diff(empty, NEW.iloc[:1])
    assert diffed["class"].tolist() == ["unchanged"]
    assert "| – (2023MM08) | 1,85 (2023MM08) |" in d.to_markdown(diffed)
    assert json.loads(d.to_json(diffed))["figures"][0]["old_value"] is None


def test_a_figures_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    # Excel's "CSV UTF-8" starts the file with a BOM; pandas read such files, so must this
    path = tmp_path / "figures.csv"
    path.write_text(d.figures_csv(NEW), encoding="utf-8-sig")
    assert [r["claim_id"] for r in d.read_figure_rows(path)] == ["a", "a", "b", "c"]


def test_a_claim_id_twice_in_a_dossier_is_refused_by_name(tmp_path):
    twice = [
        fig("x", "dossier", "2022JJ00", 10.0, theme="01_a"),
        fig("x", "dossier", "2022JJ00", 5.0, theme="02_b"),
    ]
    with pytest.raises(
        DossiercheckError, match="claim 'x' has two dossier figures \\(themes 01_a and 02_b\\)"
    ):
        d.diff_rows([], twice)


def test_json_floats_are_written_as_pandas_wrote_them():
    # the oracle: DataFrame.to_json (10 decimals), which wrote these files before; 7.0 -> 7.1 is a
    # change of 0.1, not 0.09999999999999964
    old = pd.DataFrame([fig("a", "dossier", "2022JJ00", 7.0)], columns=d.FIGURE_COLUMNS)
    new = pd.DataFrame([fig("a", "dossier", "2022JJ00", 7.1)], columns=d.FIGURE_COLUMNS)
    diffed = d.diff(old, new)
    ours = json.loads(d.to_json(diffed))["figures"]
    assert ours == json.loads(diffed.to_json(orient="records"))
    assert ours[0]["abs_change"] == 0.1

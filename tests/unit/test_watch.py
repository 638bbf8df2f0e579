"""The watch's summary and exit code, the history an acceptance leaves, and the page "Wijzigingen", on
figures written here by hand (the baseline's CSV shape, the diff's JSON shape, a theme's claims JSON)."""

from __future__ import annotations

import json

import pandas as pd

from dossiercheck.diff import FIGURE_COLUMNS, accept_baseline, diff, read_figures, to_json
from dossiercheck.report import write_changes_page
from dossiercheck.watch import watch


def figures(rows):
    """Rows (claim_id, figure, period, value, claim_status, snapshot_id) as figures.csv holds them."""
    out = []
    for claim_id, figure, period, value, status, snap in rows:
        out.append(
            {"claim_id": claim_id, "theme": "04_wonen", "figure": figure, "source": "T1", "table_id": "T1",
             "measure": "M1", "period": period, "period_status": "Definitief", "value": value, "unit": "euro",
             "tolerance": 0.5, "claim_status": status, "snapshot_id": snap}
        )  # fmt: skip
    return pd.DataFrame(out, columns=FIGURE_COLUMNS)


# the new snapshot, as fetch names one: taken on 1 July 2026 (the page says "opgehaald op 1 juli 2026")
S2 = "20260701T000000Z-0123abcd"

OLD = [
    ("c_prijs", "dossier", "2023MM08", 430_000.0, "outdated", "s1"),
    ("c_prijs", "newest", "2026MM05", 487_000.0, "outdated", "s1"),
    ("c_vast", "dossier", "2023MM08", 12.0, "holds", "s1"),
]
NEW = [
    ("c_prijs", "dossier", "2023MM08", 431_000.0, "outdated", S2),  # revised by 1.000 (tolerance 0,5)
    ("c_prijs", "newest", "2026MM06", 490_000.0, "outdated", S2),  # a new month
    ("c_vast", "dossier", "2023MM08", 12.0, "holds", S2),  # unchanged
]
CLAIMS = {
    "theme": "04_wonen", "title": "Wonen",
    "claims": [
        {"id": "c_prijs", "title": "Gemiddelde prijs", "unit": "euro", "status": "outdated",
         "suggested_wording": "Een woning kost 490.000 euro (490.000 euro, juni 2026; CBS)."},
        {"id": "c_vast", "title": "Vast", "unit": "euro", "status": "holds"},
    ],
}  # fmt: skip


def setup(tmp_path, old, new, pointers=None):
    (tmp_path / "claims").mkdir(parents=True)
    (tmp_path / "claims" / "04_wonen.json").write_text(json.dumps(CLAIMS))
    diff_json = tmp_path / "baseline.json"
    diff_json.write_text(to_json(diff(figures(old), figures(new))))
    raw = tmp_path / "raw"
    for source, pointer in (pointers or {"T1": {"snapshot_dir": "x", "reused": False}}).items():
        (raw / source).mkdir(parents=True)
        (raw / source / "current.json").write_text(json.dumps(pointer))
    return diff_json, [tmp_path / "claims" / "04_wonen.json"], raw


def test_a_revision_and_a_new_month_are_findings(tmp_path):
    diff_json, claims, raw = setup(tmp_path, OLD, NEW)
    out = tmp_path / "summary.md"
    assert watch(diff_json, claims, raw, {"T1": {}}, out, site_url="https://example.org/site/") == 1
    text = out.read_text()
    assert "## Herzien door de bron: zelfde periode, ander cijfer (1)" in text
    assert (
        "- [Gemiddelde prijs](https://example.org/site/04_wonen.html#c_prijs) (Wonen, periode van het dossier): "
        "430.000 euro (augustus 2023) → 431.000 euro (augustus 2023); herzien: zelfde periode, ander cijfer."
    ) in text
    assert "## Nieuwe perioden (1)" in text and "487.000 euro (mei 2026) → 490.000 euro (juni 2026)" in text
    # the proposal once per claim, under its first finding
    assert text.count("  Voorstel: *Een woning kost 490.000 euro") == 1
    assert "Vast" not in text  # unchanged: not a finding
    assert "## Niet gecontroleerd" not in text


def test_nothing_moved_is_exit_0_and_says_so(tmp_path):
    diff_json, claims, raw = setup(tmp_path, OLD, OLD)
    out = tmp_path / "summary.md"
    assert watch(diff_json, claims, raw, {"T1": {}}, out) == 0
    assert "Niets veranderd" in out.read_text()


def test_a_source_not_asked_makes_nothing_moved_unknown(tmp_path):
    # the fetch fell back on the last snapshot: the figures are the same, but nobody knows whether they are
    pointers = {"T1": {"snapshot_dir": "x", "unreachable": True, "note": "the source could not be reached"}}
    diff_json, claims, raw = setup(tmp_path, OLD, OLD, pointers)
    out = tmp_path / "summary.md"
    assert watch(diff_json, claims, raw, {"T1": {}}, out) == 2
    assert (
        "## Niet gecontroleerd" in out.read_text()
        and "- T1: the source could not be reached" in out.read_text()
    )
    # with a finding, the review comes first (exit 1), and the unasked source is still listed
    diff_json, claims, raw = setup(tmp_path / "b", OLD, NEW, pointers)
    assert watch(diff_json, claims, raw, {"T1": {}}, out) == 1 and "## Niet gecontroleerd" in out.read_text()


def test_a_source_that_is_gone_is_a_finding_with_its_successor(tmp_path):
    # as fetch records a 404: the Dutch sentence, the failure, and its cause
    gone = {"unavailable": True, "reason": "Niet opgehaald: CBS heeft tabel T1 niet (meer).",
            "detail": "CBS table T1 answered 404 (not found).", "cause": "not_found"}  # fmt: skip
    diff_json, claims, raw = setup(tmp_path, OLD, OLD, {"T1": gone})
    out = tmp_path / "summary.md"
    assert watch(diff_json, claims, raw, {"T1": {"successor": "T9"}}, out) == 1
    assert (
        "- T1: Niet opgehaald: CBS heeft tabel T1 niet (meer). Opvolger volgens config/sources.yaml: T9."
        in out.read_text()
    )
    # an unreachable source is no finding of its own: listed as not checked, and with nothing else moved the
    # watch could not check (exit 2), whatever the 404 in a message might suggest
    unreachable = dict(gone, cause="unreachable")
    diff_json, claims, raw = setup(tmp_path / "u", OLD, OLD, {"T1": unreachable})
    assert watch(diff_json, claims, raw, {"T1": {}}, out) == 2 and "## Niet gecontroleerd" in out.read_text()


def test_acceptance_keeps_a_history_and_the_page_shows_it(tmp_path):
    run = tmp_path / "figures.csv"
    baseline = tmp_path / "baseline" / "figures.csv"
    figures(OLD).to_csv(run, index=False)
    accept_baseline(run, baseline)
    figures(NEW).to_csv(run, index=False)
    accept_baseline(run, baseline)
    history = json.loads((tmp_path / "baseline" / "history.json").read_text())
    assert [h.get("first", False) for h in history] == [True, False]
    assert history[0]["figures"] == 3
    changes = {(c["claim_id"], c["figure"]): c for c in history[1]["changes"]}
    assert set(changes) == {("c_prijs", "dossier"), ("c_prijs", "newest")}  # c_vast did not move
    d = changes[("c_prijs", "dossier")]
    assert (d["class"], d["old_value"], d["new_value"], d["snapshot_id"], d["table"]) == (
        "revised", 430_000.0, 431_000.0, S2, "T1",
    )  # fmt: skip
    assert read_figures(baseline)["value"].tolist() == [431_000.0, 490_000.0, 12.0]
    (tmp_path / "claims.json").write_text(json.dumps(CLAIMS))
    out = tmp_path / "wijzigingen.md"
    write_changes_page([tmp_path / "claims.json"], tmp_path / "baseline" / "history.json", out)
    page = out.read_text()
    assert page.index("Eerste vastgestelde basislijn: 3 vastgelegde waarden (") > page.index(
        "| Cijfer |"
    )  # newest first
    # (Markdown: the dot in a number is escaped, so that "1." is never read as a list)
    assert (
        "| [Gemiddelde prijs](04_wonen.html#c_prijs), nieuwste periode | een nieuwere periode | "
        "487\\.000 euro (mei 2026) | 490\\.000 euro (juni 2026) | T1, opgehaald op 1 juli 2026 |"
    ) in page
    # no history yet: the page says how one comes about
    write_changes_page([tmp_path / "claims.json"], tmp_path / "none.json", out)
    assert "`dossiercheck baseline accept`" in out.read_text()


def test_a_verdict_that_changed_on_the_same_figure_is_its_own_finding(tmp_path):
    # c_vast: same period, same 12, but its verdict went from holds to outdated (the newest figure moved)
    new = [*NEW[:2], ("c_vast", "dossier", "2023MM08", 12.0, "outdated", S2)]
    diff_json, claims, raw = setup(tmp_path, OLD, new)
    out = tmp_path / "summary.md"
    assert watch(diff_json, claims, raw, {"T1": {}}, out) == 1
    text = out.read_text()
    assert "## Ander oordeel over de zin (1)" in text
    # (a small amount in euro is written with one decimal)
    assert (
        "12,0 euro (augustus 2023) → 12,0 euro (augustus 2023); het oordeel over de uitspraak is veranderd; "
        "oordeel: klopt → achterhaald."
    ) in text

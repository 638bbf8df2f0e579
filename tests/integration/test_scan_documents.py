"""`dossiercheck scan` on the real texts in ../shared, run as an analyst runs it."""

from __future__ import annotations

import shutil

import yaml
from conftest import ROOT, shared_path
from helpers.cli import run_cli

from dossiercheck.scan import scan


def test_the_cbs_news_release_gives_drafts_for_its_figures(tmp_path):
    """CBS's news release "Inflatie 3,3 procent in 2024" (Markdown with front matter) against an empty
    registry: every sentence with a number is a draft. Checked by hand against the text (line numbers of
    the file, front matter included):
    - line 18 "In 2023 was de inflatie 3,8 procent.": 3,8 procent, the year 2023;
    - line 22 "In 2024 was tabak 29,0 procent duurder dan het jaar ervoor.": 29,0 procent in 2024;
    - line 22 "… accijnsverhogingen per april 2024.": no figure, but a month: 2024MM04;
    - line 28, wrapped onto 29: the euro area fell "van 5,4 procent in 2023 naar 2,4 procent in 2024", a
      trend word ("daalde") and two figures; the first is the wording, its year the one after it.
    The front matter's title ("Inflatie 3,3 procent in 2024") is not the text; the heading on line 14 is."""
    claims = tmp_path / "claims"
    claims.mkdir()
    text = shared_path("documents", "cbs-inflatie-2024", "text.md")
    proc = run_cli("scan", "--text", str(text), "--claims", str(claims))
    assert proc.returncode == 1, proc.stderr
    assert f"{text}:18: 2023, 3,8\n    In 2023 was de inflatie 3,8 procent.\n" in proc.stdout
    assert "10 statements with a number or trend word are not covered" in proc.stdout
    written = yaml.safe_load((claims / "_draft.yaml").read_text(encoding="utf-8"))
    by_quote = {d["quote"]: d for d in written["claims"]}
    assert len(by_quote) == 10 and all(d["draft"] is True for d in by_quote.values())
    d = by_quote["In 2023 was de inflatie 3,8 procent."]
    assert (d["wording"], d["value"], d["qualifier"], d["period"], d["unit"]) == (
        "3,8 procent",
        3.8,
        "exact",
        "2023JJ00",
        "%",
    )
    d = by_quote["In 2024 was tabak 29,0 procent duurder dan het jaar ervoor."]
    assert (d["wording"], d["value"], d["period"], d["unit"]) == ("29,0 procent", 29, "2024JJ00", "%")
    d = by_quote["De prijsstijging is vooral het gevolg van accijnsverhogingen per april 2024."]
    assert (d["numbers"], d["period"], "wording" in d) == (["2024"], "2024MM04", False)
    d = by_quote[
        "De inflatie in de eurozone daalde volgens voorlopige cijfers van 5,4 procent in 2023 naar 2,4 procent in 2024."
    ]
    assert d["numbers"] == ["5,4 procent", "2023", "2,4 procent", "2024"]
    assert (d["wording"], d["value"], d["period"]) == ("5,4 procent", 5.4, "2023JJ00")
    assert "Inflatie 3,3 procent in 2024" in by_quote  # the heading, not the front matter
    assert not any("CC BY" in q or "86141NED" in q for q in by_quote)


def test_the_dossier_is_covered_and_a_removed_exclusion_shows(tmp_path):
    """The shipped registry covers the dossier (exit 0, no draft file). Without the not_figures entry
    "zestig maatregelen" (line 41), that sentence is uncovered; an entry the dossier does not have is stale."""
    text = shared_path("dossier", "bestaanszekerheid-meer-dan-geld.txt")
    dossier = tmp_path / "dossier"
    shutil.copytree(ROOT / "dossiers" / "bestaanszekerheid-2023", dossier)
    claims = dossier / "claims"
    proc = run_cli("scan", "--text", str(text), "--claims", str(claims))  # not_figures.yaml beside claims/
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (claims / "_draft.yaml").exists()
    not_figures = yaml.safe_load((dossier / "not_figures.yaml").read_text(encoding="utf-8"))
    entries = [e for e in not_figures["not_figures"] if e["text"] != "zestig maatregelen"]
    entries.append({"text": "negenennegentig ballonnen", "reason": "not in the dossier"})
    (dossier / "not_figures.yaml").write_text(yaml.safe_dump({"not_figures": entries}), encoding="utf-8")
    result = scan(text, claims, dossier / "not_figures.yaml")
    assert [(s.line, s.marks) for s in result.statements] == [(41, ("zestig",))]
    assert result.statements[0].sentence.startswith(
        "Het SCP analyseerde enkele jaren geleden zestig maatregelen"
    )
    assert result.stale_not_figures == ["negenennegentig ballonnen"]
    proc = run_cli("scan", "--text", str(text), "--claims", str(claims))
    assert proc.returncode == 1 and "'negenennegentig ballonnen' is not in" in proc.stdout
    draft = yaml.safe_load((claims / "_draft.yaml").read_text(encoding="utf-8"))["claims"]
    assert [(d["numbers"], d["wording"], d["value"]) for d in draft] == [(["zestig"], "zestig", 60)]


def test_scan_errors_say_what_to_do(tmp_path):
    proc = run_cli("scan", "--text", str(tmp_path / "nope.md"), "--claims", str(tmp_path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(
        f"dossiercheck scan: {tmp_path / 'nope.md'}: no such file. Give the document's"
    )
    (tmp_path / "t.md").write_text("Er zijn 5 thema's.\n", encoding="utf-8")
    (tmp_path / "01_x.yaml").write_text("theme: [unclosed\n", encoding="utf-8")
    proc = run_cli("scan", "--text", str(tmp_path / "t.md"), "--claims", str(tmp_path))
    assert (
        proc.returncode == 2
        and "01_x.yaml is not valid YAML" in proc.stderr
        and "Fix the file" in proc.stderr
    )


def test_scan_without_paths_reads_the_configured_dossier(tmp_path, monkeypatch):
    """`dossiercheck scan` with no --text and --claims, in a checkout: config/config.yaml names the dossier,
    whose claims/ and not_figures.yaml are read, and whose text is where its dossier.yaml's 'text' says
    (../shared/dossier/…, moved by DOSSIERCHECK_SHARED). A dossier whose text is absent says to give --text."""
    text = shared_path("dossier", "bestaanszekerheid-meer-dan-geld.txt")
    monkeypatch.setenv("DOSSIERCHECK_SHARED", str(text.parents[1]))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("dossier: bestaanszekerheid-2023\n", encoding="utf-8")
    shutil.copytree(
        ROOT / "dossiers" / "bestaanszekerheid-2023", tmp_path / "dossiers" / "bestaanszekerheid-2023"
    )
    proc = run_cli("scan", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Every number and trend word in {text} is in a claim" in proc.stdout
    monkeypatch.setenv("DOSSIERCHECK_SHARED", str(tmp_path / "elsewhere"))
    proc = run_cli("scan", cwd=tmp_path)
    assert proc.returncode == 2 and "give it with --text FILE" in proc.stderr, proc.stdout + proc.stderr

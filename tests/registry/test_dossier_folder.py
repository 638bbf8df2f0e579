"""A dossier is a folder: dossiers/<slug>/ holds the document's dossier.yaml, its claim registry, the numbers
that are not figures and the accepted baseline; config/ keeps only what every dossier shares."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
import yaml
from conftest import ROOT
from helpers.workflow import snakemake, workflow_copy

from dossiercheck.dossier import dossier_paths, load_dossier, text_path
from dossiercheck.errors import RegistryError

SCHEMA = ROOT / "workflow" / "schemas" / "dossier.schema.yaml"
SLUG = "bestaanszekerheid-2023"
# The dossier's seven themes, in the order of its text ("Zeven thema's uitgelicht"), typed by hand
THEME_FILES = [
    "01_inkomen.yaml", "02_werk.yaml", "03_gezondheid.yaml", "04_wonen.yaml", "05_onderwijs.yaml",
    "06_sociale_relaties.yaml", "07_zinvol_bestaan.yaml",
]  # fmt: skip


def test_config_names_the_dossier_folder_and_no_registry_is_left_in_config():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert config["dossiers"] == "all" and "dossier_date" not in config and "dossier" not in config
    assert not (ROOT / "config" / "claims").exists() and not (ROOT / "config" / "baseline").exists()
    assert sorted(p.name for p in (ROOT / "config").iterdir()) == ["config.yaml", "sources.yaml"]


def test_the_folder_holds_the_themes_not_figures_and_the_baseline():
    folder = ROOT / "dossiers" / SLUG
    assert sorted(p.name for p in (folder / "claims").iterdir()) == THEME_FILES
    for part in ("dossier.yaml", "not_figures.yaml", "baseline/figures.csv", "baseline/history.json"):
        assert (folder / part).is_file(), part
    tracked = subprocess.run(
        ["git", "ls-files", "dossiers"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    if tracked:  # a git checkout: the publisher's text is never committed, only named
        assert not [p for p in tracked if p.endswith((".txt", ".md", ".pdf"))], tracked


def test_dossier_yaml_validates_and_its_date_is_the_one_the_claims_are_judged_against():
    """The schema holds, the themes are the claim files, and the date is 1 October 2023: the autumn of 2023,
    before the elections of 22 November (the newest source the text cites is of 9 June 2023). Every claim
    judged against it says so in words ('1 oktober 2023 (de datum van het dossier)', claims._period_why),
    which the workflow tests read back from a run."""
    info = load_dossier(SLUG, ROOT, SCHEMA)
    assert info["date"] == date(2023, 10, 1)
    assert info["title"] == "Bestaanszekerheid, meer dan geld" and info["publisher"] == "Movisie"
    assert info["url"] == "https://www.movisie.nl/publicatie/dossier-bestaanszekerheid-meer-dan-geld"
    assert [f"{t['id']}.yaml" for t in info["themes"]] == THEME_FILES
    assert all(t["title"] and t["intro"] for t in info["themes"])
    # the intro is the theme page's "Wat het dossier zegt", word for word (whitespace aside)
    from dossiercheck.report.site import theme_page

    page = theme_page(info, 4, info["themes"][3])
    intro = page.split("## Wat het dossier zegt\n\n")[1].split("\n\n")[0]
    assert info["themes"][3]["intro"] == " ".join(intro.split())
    assert page.startswith('---\ntitle: "Thema 4: Wonen"\n')
    text = text_path(info, ROOT)
    assert text is not None and text.name == "bestaanszekerheid-meer-dan-geld.txt"


def _folder(tmp_path, text: str | None):
    folder = tmp_path / "dossiers" / "demo"
    folder.mkdir(parents=True)
    if text is not None:
        (folder / "dossier.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_missing_folder_file_or_date_says_what_to_add(tmp_path):
    with pytest.raises(RegistryError, match=r"dossiers/elders/ is not there"):
        load_dossier("elders", tmp_path)
    _folder(tmp_path, None)
    with pytest.raises(RegistryError, match=r"dossiers/demo/dossier.yaml is not there"):
        load_dossier("demo", tmp_path)
    (tmp_path / "dossiers" / "demo" / "dossier.yaml").write_text("title: Demo\n", encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_dossier("demo", tmp_path, SCHEMA)
    assert str(e.value) == (
        "dossiers/demo/dossier.yaml: no 'date'; add the document's publication date (YYYY-MM-DD)"
    )


def test_an_unquoted_date_is_read_and_a_wrong_one_is_refused(tmp_path):
    themes = "themes: [{id: 01_een, title: Een, intro: Over een.}]\n"
    folder = _folder(tmp_path, f"title: Demo\npublisher: X\ndate: 2021-03-31\n{themes}")
    assert load_dossier("demo", tmp_path, SCHEMA)["date"] == date(2021, 3, 31)
    (folder / "dossier.yaml").write_text(f"title: Demo\npublisher: X\ndate: 'maart 2021'\n{themes}")
    with pytest.raises(RegistryError, match=r"dossiers/demo/dossier.yaml.*date"):
        load_dossier("demo", tmp_path, SCHEMA)
    (folder / "dossier.yaml").write_text(f"title: Demo\npublisher: X\ndate: '2021-02-30'\n{themes}")
    with pytest.raises(RegistryError, match=r"'2021-02-30' is not a date"):
        load_dossier("demo", tmp_path, SCHEMA)


def test_the_paths_of_a_dossier(tmp_path):
    p = dossier_paths("demo", tmp_path)
    assert p.claims == tmp_path / "dossiers" / "demo" / "claims"
    assert p.not_figures == tmp_path / "dossiers" / "demo" / "not_figures.yaml"
    assert p.baseline == tmp_path / "dossiers" / "demo" / "baseline" / "figures.csv"
    assert p.history == tmp_path / "dossiers" / "demo" / "baseline" / "history.json"


def test_the_workflow_stops_on_a_dossier_without_a_date(tmp_path):
    """Parsing alone (a dry run) refuses it, naming the file and what to add; nothing is fetched."""
    wf = workflow_copy(tmp_path)
    path = wf / "dossiers" / SLUG / "dossier.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('date: "2023-10-01"\n', ""), encoding="utf-8")
    proc = snakemake(wf, "-n")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"dossiers/{SLUG}/dossier.yaml: no 'date'; add the document's publication date (YYYY-MM-DD)" in out
    assert not (wf / "data").exists()


def test_the_themes_listed_are_the_theme_files():
    from dossiercheck.dossier import check_themes

    info = {"themes": [{"id": "01_een"}, {"id": "02_twee"}]}
    check_themes(info, ["01_een", "02_twee"], "d.yaml")  # the same two: nothing to say
    with pytest.raises(RegistryError) as e:
        check_themes(info, ["01_een", "03_drie"], "d.yaml")
    assert "claims/ has 03_drie, which its themes do not list" in str(e.value)
    assert "its themes list 02_twee, which has no file in claims/" in str(e.value)

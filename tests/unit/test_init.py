"""`dossiercheck init`: a new document becomes a folder dossiers/<slug>/ the pipeline accepts, in one command;
`dossiercheck scan <slug>` then reads that folder's text and claims."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from dossiercheck.cli import main
from dossiercheck.configcheck import load_checked
from dossiercheck.dossier import check_themes, init_dossier, load_dossier, text_path
from dossiercheck.registry import claim_files, load_yaml
from dossiercheck.scan import read_not_figures

DOSSIER_SCHEMA = ROOT / "workflow" / "schemas" / "dossier.schema.yaml"
CLAIMS_SCHEMA = ROOT / "workflow" / "schemas" / "claims.schema.yaml"
# The placeholder intro, typed here by hand: the page shows it until the analyst writes the real one
PLACEHOLDER = "Nog te schrijven: wat het document over dit thema zegt, in gewone taal."
OPTIONS = ["--title", "Inflatie 3,3 procent in 2024", "--publisher", "CBS", "--date", "2025-01-15",
           "--url", "https://www.cbs.nl/nl-nl/nieuws/2025/03/inflatie-3-3-procent-in-2024"]  # fmt: skip


def _files(folder: Path) -> set[str]:
    """Every file and folder under ``folder`` (hidden ones too), relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_the_folder_it_writes_is_one_the_schemas_and_the_theme_check_accept(tmp_path):
    written = init_dossier(
        "demo-2025", "Inflatie 3,3 procent in 2024", "2025-01-15", "https://www.cbs.nl/x", "CBS",
        themes=["01_inflatie=Inflatie", "02_sociale_relaties"], root=tmp_path,
    )  # fmt: skip
    folder = tmp_path / "dossiers" / "demo-2025"
    assert sorted(written) == sorted(
        folder / name
        for name in (
            "dossier.yaml",
            "not_figures.yaml",
            "claims/01_inflatie.yaml",
            "claims/02_sociale_relaties.yaml",
        )
    )
    # nothing but the folder: the hidden folder it was written in is gone
    assert [p.name for p in (tmp_path / "dossiers").iterdir()] == ["demo-2025"]
    info = load_dossier("demo-2025", tmp_path, DOSSIER_SCHEMA)
    assert info["date"] == date(2025, 1, 15)
    assert (info["title"], info["publisher"], info["url"]) == (
        "Inflatie 3,3 procent in 2024", "CBS", "https://www.cbs.nl/x",
    )  # fmt: skip
    # a theme without '=Title' is titled by its id's words: 02_sociale_relaties -> "Sociale relaties"
    assert info["themes"] == [
        {"id": "01_inflatie", "title": "Inflatie", "intro": PLACEHOLDER},
        {"id": "02_sociale_relaties", "title": "Sociale relaties", "intro": PLACEHOLDER},
    ]
    assert "keeps no copy" in info["licence"] and "text" not in info
    files = claim_files(folder / "claims")
    for path in files:
        reg = load_checked(path, CLAIMS_SCHEMA)
        assert reg["theme"] == path.stem and reg["claims"] == []
    check_themes(info, [p.stem for p in files], "demo-2025")  # raises when they differ
    assert read_not_figures(folder / "not_figures.yaml") == []
    # every key is explained in a comment just above it
    lines = (folder / "dossier.yaml").read_text(encoding="utf-8").splitlines()
    for key in ("title", "publisher", "url", "date", "licence", "themes"):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[at - 1].startswith("# "), key
    assert "dossiercheck scan demo-2025" in (folder / "claims" / "01_inflatie.yaml").read_text(
        encoding="utf-8"
    )


def test_without_themes_there_is_one_theme_01_cijfers(tmp_path):
    init_dossier("demo", "Titel", "2024-02-29", "http://example.org/d", "Movisie", root=tmp_path)
    info = load_dossier("demo", tmp_path, DOSSIER_SCHEMA)
    assert info["themes"] == [{"id": "01_cijfers", "title": "Cijfers", "intro": PLACEHOLDER}]
    assert [p.name for p in claim_files(tmp_path / "dossiers" / "demo" / "claims")] == ["01_cijfers.yaml"]


# Each wrong option with words its message must hold: what is wrong, and the fix
REFUSALS = [
    (["Mijn_Dossier"], "lowercase letters, digits and hyphens"),
    (["demo", "--date", "2025-02-30"], "as YYYY-MM-DD"),  # 2025 is no leap year
    (["demo", "--date", "15-01-2025"], "as YYYY-MM-DD"),
    (["demo", "--url", "www.cbs.nl/x"], "starting with https://"),
    (["demo", "--theme", "1_inflatie"], "two digits, an underscore"),
    (
        ["demo", "--theme", "01_Wonen"],
        "e.g. --theme 04_wonen=Wonen",
    ),  # capitals: the schemas allow lowercase letters, digits and underscores
    (["demo", "--theme", "01_een", "--theme", "01_een=Een"], "give each theme once"),
    (["demo", "--copy-text"], "needs --text FILE"),
    (["demo", "--text", "nergens.md", "--copy-text"], "no such file"),
    (["demo", "--publisher", " "], "give who published the document"),
]


@pytest.mark.parametrize(("args", "fix"), REFUSALS)
def test_a_wrong_option_writes_nothing_and_says_the_fix(tmp_path, monkeypatch, capsys, args, fix):
    monkeypatch.chdir(tmp_path)
    # the later option wins in argparse: the wrong one overrides the good one in OPTIONS
    assert main(["init", *OPTIONS, *args]) == 2
    assert fix in capsys.readouterr().err
    assert _files(tmp_path) == set()


def test_an_existing_folder_is_left_as_it_is(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dossiers" / "demo").mkdir(parents=True)
    (tmp_path / "dossiers" / "demo" / "dossier.yaml").write_text("title: Eigen werk\n", encoding="utf-8")
    assert main(["init", "demo", *OPTIONS]) == 2
    assert "dossiers/demo/ exists already: nothing is written. Choose another name" in capsys.readouterr().err
    assert _files(tmp_path) == {"dossiers", "dossiers/demo", "dossiers/demo/dossier.yaml"}
    assert (tmp_path / "dossiers" / "demo" / "dossier.yaml").read_text(
        encoding="utf-8"
    ) == "title: Eigen werk\n"


def test_an_error_halfway_leaves_no_half_folder(tmp_path, monkeypatch):
    """The copy of the text is the last step: when it fails, the files written before it go too."""
    (tmp_path / "doc.md").write_text("Tekst.\n", encoding="utf-8")

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    with pytest.raises(OSError, match="No space left"):
        init_dossier(
            "demo", "T", "2025-01-15", "https://x.nl", "P", text=tmp_path / "doc.md", copy_text=True,
            root=tmp_path,
        )  # fmt: skip
    assert _files(tmp_path / "dossiers") == set()


def test_copy_text_copies_it_and_text_path_finds_the_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.md").write_text("Er werden 800 woningen gebouwd.\n", encoding="utf-8")
    assert main(["init", "demo", *OPTIONS, "--text", "doc.md", "--copy-text"]) == 0
    copy = tmp_path / "dossiers" / "demo" / "text.md"
    assert copy.read_text(encoding="utf-8") == "Er werden 800 woningen gebouwd.\n"
    info = load_dossier("demo", tmp_path, DOSSIER_SCHEMA)
    assert "text" not in info and "is a copy of it" in info["licence"]
    assert text_path(info, tmp_path, "demo") == copy
    assert text_path(info, tmp_path) is None  # without the slug, as the callers before it: no text named


def test_text_path_prefers_the_text_dossier_yaml_names(tmp_path):
    (tmp_path / "dossiers" / "demo").mkdir(parents=True)
    (tmp_path / "dossiers" / "demo" / "text.md").write_text("kopie\n", encoding="utf-8")
    assert text_path({"text": "elders/doc.md"}, tmp_path, "demo") == tmp_path / "elders" / "doc.md"
    assert text_path({}, tmp_path, "ander") is None  # no text named, no text.md in dossiers/ander/


def test_text_is_recorded_relative_to_the_repository_root_not_copied(tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIERCHECK_SHARED", raising=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "doc.md").write_text("Tekst.\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    # ../shared/doc.md seen from repo/, as the two examples name theirs
    init_dossier("demo", "T", "2025-01-15", "https://x.nl", "P", text="../shared/doc.md")
    assert load_yaml(repo / "dossiers" / "demo" / "dossier.yaml")["text"] == "../shared/doc.md"
    assert not (repo / "dossiers" / "demo" / "text.md").exists()
    # a file given by its full path inside DOSSIERCHECK_SHARED is recorded under ../shared/, which
    # text_path maps back to it
    monkeypatch.setenv("DOSSIERCHECK_SHARED", str(tmp_path / "elders"))
    (tmp_path / "elders" / "documents").mkdir(parents=True)
    (tmp_path / "elders" / "documents" / "d.md").write_text("Tekst.\n", encoding="utf-8")
    init_dossier(
        "demo-2", "T", "2025-01-15", "https://x.nl", "P", text=tmp_path / "elders" / "documents" / "d.md"
    )
    info = load_dossier("demo-2")
    assert info["text"] == "../shared/documents/d.md"
    assert text_path(info) == tmp_path / "elders" / "documents" / "d.md"


def test_init_then_scan_by_name_drafts_the_two_figures(tmp_path, monkeypatch, capsys):
    """No config/ in tmp_path: a named dossier needs none. Two sentences with one number each, typed by
    hand, give two drafts whose quote is the sentence and whose value is the number."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.md").write_text(
        "# Wonen\n\nDe huren stegen met 3,3 procent.\n\nEr werden 800 woningen gebouwd.\n", encoding="utf-8"
    )
    assert main(["init", "demo", *OPTIONS, "--text", "doc.md", "--theme", "01_wonen=Wonen"]) == 0
    out = capsys.readouterr().out
    for step in (
        "dossiercheck scan demo",
        "dossiercheck find WORDS",
        "dossiercheck describe TABLE",
        "make run",
    ):
        assert step in out
    assert main(["scan", "demo"]) == 1  # 1: drafts written
    drafts = load_yaml(tmp_path / "dossiers" / "demo" / "claims" / "_draft.yaml")
    assert drafts["draft_of"] == "doc.md"
    assert [(c["quote"], c["value"], c["draft"]) for c in drafts["claims"]] == [
        ("De huren stegen met 3,3 procent.", 3.3, True),
        ("Er werden 800 woningen gebouwd.", 800, True),
    ]


def test_scan_by_name_reads_the_copied_text_and_refuses_an_unknown_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.md").write_text("Er werden 800 woningen gebouwd.\n", encoding="utf-8")
    assert main(["init", "demo", *OPTIONS, "--text", "doc.md", "--copy-text"]) == 0
    (tmp_path / "doc.md").unlink()  # the scan reads the copy, not the file it was made from
    assert main(["scan", "demo"]) == 1
    assert (
        load_yaml(tmp_path / "dossiers" / "demo" / "claims" / "_draft.yaml")["draft_of"]
        == "dossiers/demo/text.md"
    )
    capsys.readouterr()
    assert main(["scan", "elders"]) == 2
    assert "dossiers/elders/ is not there" in capsys.readouterr().err
    # without a name and without config/config.yaml the scan says where to run it
    assert main(["scan"]) == 2
    assert "config/config.yaml is not there" in capsys.readouterr().err

"""The workflow copy the workflow tests run in holds what a fresh clone holds, whatever the user has run in
their checkout: a site, data, logs and Snakemake's state are left behind, an accepted baseline too."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT
from helpers.workflow import workflow_copy


def _tree(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def checkout(tmp_path):
    """A checkout after `make run` and `baseline accept`: the workflow's own files, tracked or new, and
    everything a run leaves."""
    root = tmp_path / "checkout"
    workflow = {
        "Snakefile": "include: 'workflow/rules/x.smk'\n",
        "workflow/rules/x.smk": "rule all:\n",
        "config/config.yaml": "dossiers: all\n",
        "dossiers/demo/dossier.yaml": "date: 2023-10-01\n",
        "dossiers/demo/claims/01_een.yaml": "claims: []\n",
        "reports/_includes/copy-link.html": "<script></script>\n",
        "reports/style/report.css": "body {}\n",
    }
    new = {"dossiers/demo/claims/08_nieuw.yaml": "claims: []\n"}  # being written: not yet added to git
    outputs = {
        "reports/_site/index.html": "<html>",
        # the pages and project rule write_site generates from dossier.yaml (git ignores them)
        "reports/_quarto.yml": "project: {}\n",
        "reports/index.qmd": "# Alle documenten\n",
        "reports/demo/01_een.qmd": "# Een\n",
        "reports/_generated/04_wonen/claims.md": "x",
        "reports/_output/x.html": "x",
        "reports/.quarto/x": "x",
        "reports/_screenshots/a.png": "x",
        "workflow/scripts/__pycache__/a.pyc": "x",
        "dossiers/demo/baseline/figures.csv": "claim_id\n",  # the user's accepted baseline, untracked
        "dossiers/demo/baseline/history.json": "[]\n",
        "data/raw/85773NED/current.json": "{}",
        "data/processed/claims/04_wonen.csv": "x",
        ".snakemake/log/x.log": "x",
        "logs/fetch/x.log": "x",
    }
    for rel, text in {**workflow, **new, **outputs}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root, set(workflow), set(new)


def test_a_git_checkout_is_copied_as_a_clone_has_it(checkout, tmp_path):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    root, workflow, new = checkout
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", *sorted(workflow)], cwd=root, check=True)
    (root / ".gitignore").write_text((ROOT / ".gitignore").read_text())  # the repository's own rules
    (root / "reports" / "style" / "report.css").write_text(
        "body { margin: 0 }\n"
    )  # an edit not yet committed
    dest = workflow_copy(tmp_path / "copy", root=root)
    assert _tree(dest) == workflow | new
    assert (
        dest / "reports" / "style" / "report.css"
    ).read_text() == "body { margin: 0 }\n"  # the work tree's
    # a baseline the publication committed is its state, not the workflow's: not copied either
    subprocess.run(["git", "add", "dossiers/demo/baseline"], cwd=root, check=True)
    assert _tree(workflow_copy(tmp_path / "copy2", root=root)) == workflow | new


def test_an_archive_without_git_is_copied_without_outputs(checkout, tmp_path):
    root, workflow, new = checkout
    dest = workflow_copy(tmp_path / "copy", root=root)
    assert _tree(dest) == workflow | new


def test_the_repository_copy_has_no_build_output(tmp_path):
    """The copy of this very checkout, which may hold a site and data from `make run`."""
    dest = workflow_copy(tmp_path / "copy")
    assert (dest / "Snakefile").is_file() and (dest / "config" / "sources.yaml").is_file()
    made_by_runs = {"_site", "_output", "_build", "_generated", ".snakemake", "logs", "baseline"}
    assert not [p for p in dest.rglob("*") if p.name in made_by_runs]
    copied = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
    assert {"reports/style/report.css", "reports/_includes/copy-link.html"} <= copied
    # the pages are generated from dossier.yaml by the run, never copied from an earlier one
    assert not [p for p in copied if p.endswith(".qmd") or p == "reports/_quarto.yml"]
    # the dossier's folder is the workflow's: its dossier.yaml and every theme file of its registry
    claims = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dossiers").glob("*/claims/*.yaml")}
    assert claims and copied >= claims | {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "dossiers").glob("*/dossier.yaml")
    }


def test_a_copy_inside_another_repository_is_copied_as_a_folder(checkout, tmp_path):
    """mutmut's mutants/ is such a copy: git answers for the repository around it, which tracks none of
    its files; the copy is made from the folder itself."""
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    root, workflow, new = checkout
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # the repository around the checkout
    dest = workflow_copy(tmp_path / "copy", root=root)
    assert _tree(dest) == workflow | new

"""A dossier is a folder: ``dossiers/<slug>/`` holds everything about one checked document.

    dossiers/<slug>/dossier.yaml          title, publisher, url, date, licence, text, themes (id, title, intro)
    dossiers/<slug>/claims/NN_<theme>.yaml the claim registry, one file per theme
    dossiers/<slug>/not_figures.yaml      numbers in the text that are not figures (read by `dossiercheck scan`)
    dossiers/<slug>/baseline/             the accepted figures (figures.csv) and what each acceptance changed

``config/config.yaml`` names the folders to check (``dossiers: all``, or a list of slugs); the sources
stay shared in ``config/sources.yaml``: a table two dossiers quote is fetched and tidied once. What the
pipeline makes of a dossier stays apart from every other's:

    data/processed/<slug>/          its claims, run and diff (data/processed/tables/ is shared)
    data/runs/<slug>/<run id>/      its earlier runs
    reports/<slug>/                 its pages (generated from dossier.yaml) and their fragments
    reports/_site/<slug>/           its rendered pages; reports/_site/index.html lists every dossier The document's own text is the publisher's: it is not kept in the folder, and
``text`` names where it is read from when present (relative to the repository's root).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossiercheck.errors import RegistryError
from dossiercheck.registry import NOT_FIGURES_FILE, load_yaml

DOSSIERS_DIR = "dossiers"
DOSSIER_FILE = "dossier.yaml"
REPORTS_DIR = "reports"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CONFIG_FILE = "config/config.yaml"
# The text's default place beside the repository; DOSSIERCHECK_SHARED moves it (as for the tests' recordings)
SHARED_PREFIX = "../shared/"


@dataclass(frozen=True)
class DossierPaths:
    """Where one dossier's parts are, relative to the repository's root (as the pipeline runs there)."""

    folder: Path

    @property
    def file(self) -> Path:
        return self.folder / DOSSIER_FILE

    @property
    def claims(self) -> Path:
        return self.folder / "claims"

    @property
    def not_figures(self) -> Path:
        return self.folder / NOT_FIGURES_FILE

    @property
    def baseline(self) -> Path:
        return self.folder / "baseline" / "figures.csv"

    @property
    def history(self) -> Path:
        return self.folder / "baseline" / "history.json"

    @property
    def slug(self) -> str:
        return self.folder.name

    @property
    def root(self) -> Path:
        return self.folder.parent.parent

    @property
    def processed(self) -> Path:
        """Its claims (claims/), its run (run/) and diffs (diff/)."""
        return self.root / "data" / "processed" / self.slug

    @property
    def runs(self) -> Path:
        return self.root / "data" / "runs" / self.slug

    @property
    def pages(self) -> Path:
        """Its pages (.qmd, generated) and, under _generated/, what they include."""
        return self.root / REPORTS_DIR / self.slug

    @property
    def site(self) -> Path:
        return self.root / REPORTS_DIR / "_site" / self.slug


def dossier_paths(slug: str, root: Path | str = ".") -> DossierPaths:
    """The parts of ``dossiers/<slug>/`` under ``root``."""
    return DossierPaths(Path(root) / DOSSIERS_DIR / slug)


def available_slugs(root: Path | str = ".") -> list[str]:
    """Every folder under dossiers/ with a dossier.yaml, in name order."""
    base = Path(root) / DOSSIERS_DIR
    return sorted(p.parent.name for p in base.glob(f"*/{DOSSIER_FILE}") if SLUG.match(p.parent.name))


def selected_slugs(choice: Any, root: Path | str = ".") -> list[str]:
    """The dossiers config's ``dossiers`` names: ``all`` (every folder under dossiers/), a list of slugs,
    or slugs separated by commas (as ``--config dossiers=a,b`` gives them). Unknown names are an error
    that lists the ones there are."""
    there = available_slugs(root)
    if choice in (None, "", "all"):
        chosen = there
    else:
        items = choice if isinstance(choice, list) else str(choice).split(",")
        chosen = [str(s).strip() for s in items if str(s).strip()]
        unknown = [s for s in chosen if s not in there]
        if unknown:
            raise RegistryError(
                f"config 'dossiers' names {', '.join(unknown)}, which is not a folder under {DOSSIERS_DIR}/ with a "
                f"{DOSSIER_FILE} (there are: {', '.join(there) or 'none'}). Use one of those, or 'all', or "
                f"create it with `dossiercheck init`."
            )
    if not chosen:
        raise RegistryError(
            f"there is no dossier to check: {DOSSIERS_DIR}/ has no folder with a {DOSSIER_FILE}. Create one "
            f"with `dossiercheck init <slug> --title ... --date ... --url ...`."
        )
    return list(dict.fromkeys(chosen))


def configured_slugs(config_path: Path | str = CONFIG_FILE) -> list[str]:
    """The dossiers ``config/config.yaml`` says to check (its key ``dossiers``), relative to its root."""
    path = Path(config_path)
    if not path.is_file():
        raise RegistryError(
            f"{path} is not there: run from the repository's root, or give the paths (see --help)."
        )
    config = load_yaml(path) or {}
    return selected_slugs(config.get("dossiers", "all") if isinstance(config, dict) else "all")


def configured_slug(config_path: Path | str = CONFIG_FILE, given: str | None = None) -> str:
    """One dossier: ``given`` (a command's --dossier), else the only one configured; with several, an error
    that lists them, so a command about one dossier never guesses."""
    slugs = configured_slugs(config_path)
    if given:
        return selected_slugs([given])[0] if given not in slugs else given
    if len(slugs) > 1:
        raise RegistryError(
            f"there are {len(slugs)} dossiers ({', '.join(slugs)}): say which with --dossier SLUG."
        )
    return slugs[0]


def load_dossier(slug: str, root: Path | str = ".", schema_file: Path | str | None = None) -> dict[str, Any]:
    """``dossiers/<slug>/dossier.yaml``, read and (given its schema) checked. Its ``date`` comes back as a
    ``datetime.date``; a missing folder, file or date is a ``RegistryError`` that says what to add."""
    paths = dossier_paths(slug, root)
    where = f"{DOSSIERS_DIR}/{slug}/{DOSSIER_FILE}"
    if not paths.folder.is_dir():
        raise RegistryError(
            f"{DOSSIERS_DIR}/{slug}/ is not there. Name an existing folder under {DOSSIERS_DIR}/, or create it "
            f"with `dossiercheck init {slug} --title ... --date ... --url ...`."
        )
    if not paths.file.is_file():
        raise RegistryError(
            f"{where} is not there; create it with the document's title, publisher, url, date and themes."
        )
    info = load_yaml(paths.file)
    if not isinstance(info, dict):
        raise RegistryError(f"{where}: expected keys (title, date, themes, …). Fix the file.")
    if not info.get("date"):
        raise RegistryError(f"{where}: no 'date'; add the document's publication date (YYYY-MM-DD)")
    if isinstance(info["date"], dt.date):  # YAML reads an unquoted 2023-10-01 as a date
        info["date"] = info["date"].isoformat()
    if schema_file is not None:
        from dossiercheck.configcheck import check_against_schema

        check_against_schema(info, schema_file, where)
    try:
        info["date"] = dt.date.fromisoformat(str(info["date"]))
    except ValueError:
        raise RegistryError(
            f"{where}: date {info['date']!r} is not a date; write the document's publication date as YYYY-MM-DD"
        ) from None
    return info


def text_path(info: dict[str, Any], root: Path | str = ".") -> Path | None:
    """Where the document's text is read from (its ``text``, relative to the repository's root; a path
    under ../shared/ follows DOSSIERCHECK_SHARED when set), or None when the dossier names none."""
    text = info.get("text")
    if not text:
        return None
    shared = os.environ.get("DOSSIERCHECK_SHARED")
    if shared and str(text).startswith(SHARED_PREFIX):
        return Path(shared) / str(text)[len(SHARED_PREFIX) :]
    return Path(root) / str(text)


def check_themes(info: dict[str, Any], claim_themes: list[str], where: str) -> None:
    """The themes dossier.yaml lists are the theme files of claims/: one page per theme needs both its
    title and intro (dossier.yaml) and its claims (claims/<id>.yaml)."""
    listed = [t["id"] for t in info.get("themes") or []]
    unlisted = sorted(set(claim_themes) - set(listed))
    without = sorted(set(listed) - set(claim_themes))
    problems = []
    if unlisted:
        problems.append(
            f"claims/ has {', '.join(unlisted)}, which its themes do not list (add id, title, intro)"
        )
    if without:
        problems.append(
            f"its themes list {', '.join(without)}, which has no file in claims/ (add claims/<id>.yaml)"
        )
    if problems:
        raise RegistryError(f"{where}: " + "; ".join(problems) + ".")

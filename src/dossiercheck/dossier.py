"""A dossier is a folder: ``dossiers/<slug>/`` holds everything about one checked document.

    dossiers/<slug>/dossier.yaml          title, publisher, url, date, licence, text, themes (id, title, intro)
    dossiers/<slug>/claims/NN_<theme>.yaml the claim registry, one file per theme
    dossiers/<slug>/not_figures.yaml      numbers in the text that are not figures (read by `dossiercheck scan`)
    dossiers/<slug>/text.md               the document's text, only where its licence allows a copy
    dossiers/<slug>/baseline/             the accepted figures (figures.csv) and what each acceptance changed

``config/config.yaml`` names the folders to check (``dossiers: all``, or a list of slugs); the sources
stay shared in ``config/sources.yaml``: a table two dossiers quote is fetched and tidied once. What the
pipeline makes of a dossier stays apart from every other's:

    data/processed/<slug>/          its claims, run and diff (data/processed/tables/ is shared)
    data/runs/<slug>/<run id>/      its earlier runs
    reports/<slug>/                 its pages (generated from dossier.yaml) and their fragments
    reports/_site/<slug>/           its rendered pages; reports/_site/index.html lists every dossier

The document's own text is the publisher's: it is not kept in the folder, and ``text`` names where it is
read from when present (relative to the repository's root); a dossier.yaml without ``text`` reads the
folder's ``text.md`` when there is one. ``dossiercheck init`` (``init_dossier``) writes a new folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossiercheck.errors import RegistryError
from dossiercheck.registry import NOT_FIGURES_FILE, load_yaml

DOSSIERS_DIR = "dossiers"
DOSSIER_FILE = "dossier.yaml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# The folder's own copy of the text, read when dossier.yaml names no ``text``
TEXT_FILE = "text.md"
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
    def text(self) -> Path:
        return self.folder / TEXT_FILE

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


def configured_slug(
    config_path: Path | str = CONFIG_FILE, given: str | None = None, how: str = "with --dossier SLUG"
) -> str:
    """One dossier: ``given`` (a command's --dossier), else the only one configured; with several, an error
    that lists them, so a command about one dossier never guesses."""
    slugs = configured_slugs(config_path)
    if given:
        return selected_slugs([given])[0] if given not in slugs else given
    if len(slugs) > 1:
        raise RegistryError(f"there are {len(slugs)} dossiers ({', '.join(slugs)}): say which {how}.")
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


def text_path(info: dict[str, Any], root: Path | str = ".", slug: str | None = None) -> Path | None:
    """Where the document's text is read from (its ``text``, relative to the repository's root; a path
    under ../shared/ follows DOSSIERCHECK_SHARED when set). Without ``text``: given the dossier's ``slug``,
    the folder's own ``text.md`` when it is there; else None."""
    text = info.get("text")
    if not text:
        own = dossier_paths(slug, root).text if slug else None
        return own if own is not None and own.is_file() else None
    shared = os.environ.get("DOSSIERCHECK_SHARED")
    if shared and str(text).startswith(SHARED_PREFIX):
        return Path(shared) / str(text)[len(SHARED_PREFIX) :]
    return Path(root) / str(text)


def page_names(info: dict[str, Any]) -> list[str]:
    """A dossier's pages, in the order of its navigation: overview, themes, sources, changes."""
    return ["index", *(t["id"] for t in info["themes"]), "bronnen", "wijzigingen"]


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


# --- a new dossier folder (`dossiercheck init`) -------------------------------------------------------------

# A theme id is the name of its claims file: both schemas must accept it. dossier.schema.yaml allows digits
# after the underscore, claims.schema.yaml (its 'theme') does not, so a new folder uses what both allow.
THEME_RULE = re.compile(r"^\d{2}_[a-z0-9_]+$")
DEFAULT_THEME = ("01_cijfers", "Cijfers")
# The intro a theme page shows until the analyst writes one: plainly not a finished text.
INTRO_PLACEHOLDER = "Nog te schrijven: wat het document over dit thema zegt, in gewone taal."


def _q(value: str) -> str:
    """A YAML scalar for any string: a JSON string is a valid double-quoted YAML scalar."""
    return json.dumps(value, ensure_ascii=False)


def _folded(value: str, indent: str) -> str:
    """A folded block scalar (``>-``) holding ``value`` on lines of at most about 110 characters."""
    import textwrap

    lines = textwrap.wrap(" ".join(value.split()), width=110 - len(indent))
    return ">-\n" + "".join(f"{indent}{line}\n" for line in lines)


def parse_theme(spec: str) -> tuple[str, str]:
    """``01_inflatie=Inflatie`` -> (id, title); without ``=Title`` the title is the id's words
    (``06_sociale_relaties`` -> "Sociale relaties"). A bad id says the rule and gives an example."""
    theme_id, _, title = spec.partition("=")
    theme_id, title = theme_id.strip(), title.strip()
    if not THEME_RULE.match(theme_id):
        raise RegistryError(
            f"--theme {spec!r}: the theme id {theme_id!r} must be two digits, an underscore and lowercase "
            "words joined by underscores (no digits after the first two), e.g. --theme 04_wonen=Wonen or "
            "--theme 06_sociale_relaties."
        )
    return theme_id, title or theme_id[3:].replace("_", " ").capitalize()


def _recorded_text_path(text: Path | str, root: Path | str) -> str:
    """``text`` as dossier.yaml records it: relative to the repository's root, and a file in
    DOSSIERCHECK_SHARED as ../shared/… (text_path reads it back from there)."""
    full = os.path.abspath(text)
    shared = os.environ.get("DOSSIERCHECK_SHARED")
    if shared and os.path.commonpath([full, os.path.abspath(shared)]) == os.path.abspath(shared):
        return SHARED_PREFIX + Path(os.path.relpath(full, os.path.abspath(shared))).as_posix()
    return Path(os.path.relpath(full, os.path.abspath(root))).as_posix()


def _dossier_yaml(slug: str, info: dict[str, Any], copied: bool, themes: list[tuple[str, str]]) -> str:
    out = [
        f'# {info["publisher"]}, "{info["title"]}" ({info["date"]}): the document this folder checks, written by\n'
        "# `dossiercheck init`. Its claims are in claims/ (one file per theme), the numbers in its text that are\n"
        "# not figures in not_figures.yaml. Checked against workflow/schemas/dossier.schema.yaml.\n",
        "# The document's title, as the publisher gives it; the pages show it.\n",
        f"title: {_q(info['title'])}\n",
        "# Who published the document: the name readers know it by (e.g. CBS, Movisie), not a web address.\n",
        f"publisher: {_q(info['publisher'])}\n",
        "# Where the document is published (http:// or https://); the pages link to it.\n",
        f"url: {_q(info['url'])}\n",
        "# The document's publication date (YYYY-MM-DD). Claims whose period is 'dossier' are recomputed for the\n"
        "# newest month, quarter or year their source had published by this date; if the text was written well\n"
        "# before it was published, give the date it was written and say why here.\n",
        f"date: {_q(info['date'])}\n",
        "# Who holds the text's rights, and whether this repository may keep a copy of it (the claims quote\n"
        "# single sentences of it either way). Check the publisher's terms and correct this when needed.\n",
        f"licence: {_folded(info['licence'], '  ')}",
    ]
    if "text" in info:
        out += [
            "# Where `dossiercheck scan` and the registry's coverage test read the text, when it is present\n"
            "# (relative to the repository's root; never committed). Without this key, text.md in this folder.\n",
            f"text: {_q(info['text'])}\n",
        ]
    elif copied:
        out.append(
            f"# The text: {TEXT_FILE} in this folder, a copy made by `dossiercheck init --copy-text` (read because\n"
            "# no 'text' key is given). Commit it only when the licence above allows a copy; to read the text\n"
            "# from elsewhere instead, add text: <path from the repository's root>.\n"
        )
    else:
        out.append(
            "# The text, for `dossiercheck scan` and the registry's coverage test: add where it is read from\n"
            f"# (relative to the repository's root; never committed), e.g. text: ../shared/documents/{slug}/text.md\n"
            f"# Without it, {TEXT_FILE} in this folder is read when there is one.\n"
        )
    out.append(
        "# The themes, one page each: id = the file in claims/ (two digits, an underscore, lowercase words: 04_wonen),\n"
        "# title = the page's title in Dutch, intro = what the document says on the theme, in plain Dutch and in\n"
        "# this repository's words (a summary, not the publisher's). Replace every 'Nog te schrijven' intro\n"
        "# before the pages are published. A new theme needs its file claims/<id>.yaml too.\n"
        "themes:\n"
    )
    for theme_id, title in themes:
        out.append(
            f"  - id: {theme_id}\n    title: {_q(title)}\n    intro: {_folded(INTRO_PLACEHOLDER, '      ')}"
        )
    return "".join(out)


def _claims_yaml(slug: str, theme_id: str, title: str) -> str:
    return (
        f'# The claims of theme {theme_id} ("{title}"): one entry per figure the text quotes on this theme.\n'
        "# Checked against workflow/schemas/claims.schema.yaml. How to add a claim:\n"
        f"#   1. `dossiercheck scan {slug}` writes a draft (draft: true) to claims/_draft.yaml for every\n"
        "#      sentence with a number or trend word that no claim and no not_figures.yaml entry covers yet;\n"
        "#   2. `dossiercheck find WORDS` finds the table that holds the figure (CBS's catalogue), and\n"
        "#      `dossiercheck describe TABLE` lists its measures and codes (for metric.measure, metric.filters);\n"
        "#   3. move the draft below (replace [] with the list), add source, metric and unit, check value,\n"
        "#      qualifier and period, and remove 'draft: true'. Then scan again.\n"
        "# Examples: dossiers/cbs-inflatie-2024/claims/01_inflatie.yaml (short), dossiers/bestaanszekerheid-2023/\n"
        '# claims/; README.md, "How to add a claim".\n'
        f"theme: {theme_id}\n"
        f"title: {_q(title)}\n"
        "claims: []\n"
    )


def _not_figures_yaml(info: dict[str, Any]) -> str:
    return (
        f"# Numbers, and trend or comparison words (vaker, steeds, toename, meer dan, ...), in {info['publisher']}'s\n"
        f'# "{info["title"]}" that are not figures to check: list numbering, dates, titles, counts of things in\n'
        '# a list. One entry each: - {text: "the words around it, copied verbatim from the text", reason: "why\n'
        '# it is not a figure"}. `dossiercheck scan` counts a number inside one of these texts as covered, and\n'
        "# reports a text here that the document no longer has.\n"
        "not_figures: []\n"
    )


def init_dossier(
    slug: str,
    title: str,
    date: str,
    url: str,
    publisher: str,
    *,
    themes: list[str] | None = None,
    text: Path | str | None = None,
    copy_text: bool = False,
    licence: str | None = None,
    root: Path | str = ".",
) -> list[Path]:
    """Write a new folder ``dossiers/<slug>/`` under ``root``: dossier.yaml (every key commented), one empty
    claims file per theme, an empty not_figures.yaml and, with ``copy_text``, the text as text.md. Returns
    the paths written. Everything is checked before anything is written, and the files are written into a
    hidden folder beside it that is renamed at the end: an error leaves no half folder.

    ``publisher`` is required rather than guessed from the url: the pages name the document by it, as
    readers know it ("CBS", "Movisie"); a host name (www.cbs.nl) would be a plausible-looking wrong name that
    reaches the pages unnoticed, where one more option costs the analyst a word.

    ``text`` is recorded as given (relative to the repository's root) and not copied: publishers' licences
    often forbid a copy. ``copy_text`` copies it to text.md instead, read because dossier.yaml then names no
    ``text``. ``themes``: "01_inflatie=Inflatie" (or "01_inflatie"); none given: one theme, 01_cijfers."""
    paths = dossier_paths(slug, root)
    if not SLUG.match(slug):
        raise RegistryError(
            f"the name {slug!r} is not a folder name this repository uses: write it in lowercase letters, "
            "digits and hyphens, starting with a letter or digit, e.g. cbs-inflatie-2024."
        )
    if paths.folder.exists():
        raise RegistryError(
            f"{DOSSIERS_DIR}/{slug}/ exists already: nothing is written. Choose another name, or edit that "
            "folder's files."
        )
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise ValueError
        dt.date.fromisoformat(date)
    except ValueError:
        raise RegistryError(
            f"--date {date!r} is not a date: give the document's publication date as YYYY-MM-DD, e.g. 2025-01-15."
        ) from None
    if not re.match(r"^https?://[^/\s]+", url):
        raise RegistryError(
            f"--url {url!r} is not a web address: give where the document is published, starting with "
            "https:// (or http://)."
        )
    title, publisher = " ".join(title.split()), " ".join(publisher.split())  # one line each
    if not title:
        raise RegistryError("--title is empty: give the document's title, as the publisher gives it.")
    if not publisher:
        raise RegistryError("--publisher is empty: give who published the document, e.g. --publisher CBS.")
    parsed = [parse_theme(spec) for spec in themes] if themes else [DEFAULT_THEME]
    twice = sorted({t for t, _ in parsed if [i for i, _ in parsed].count(t) > 1})
    if twice:
        raise RegistryError(f"--theme {', '.join(twice)} is given twice: give each theme once.")
    if copy_text and text is None:
        raise RegistryError("--copy-text needs --text FILE: the file to copy into the folder as text.md.")
    if copy_text and not Path(text).is_file():
        raise RegistryError(
            f"--text {text}: no such file, so there is nothing to copy. Give the text's file."
        )

    if licence is None and copy_text:
        licence = (
            f"The text is {publisher}'s; {DOSSIERS_DIR}/{slug}/{TEXT_FILE} is a copy of it. Replace this with "
            "the licence that allows the copy (e.g. CC BY 4.0), or remove the copy before committing."
        )
    elif licence is None:
        licence = (
            f"The text is {publisher}'s: this repository keeps no copy of it. The claims quote single "
            "sentences of it, to check them; read the whole text at the url above."
        )
    info: dict[str, Any] = {
        "title": title,
        "publisher": publisher,
        "url": url,
        "date": date,
        "licence": licence,
    }
    if text is not None and not copy_text:
        info["text"] = _recorded_text_path(text, root)
    files = {
        DOSSIER_FILE: _dossier_yaml(slug, info, copy_text, parsed),
        NOT_FIGURES_FILE: _not_figures_yaml(info),
    }
    for theme_id, theme_title in parsed:
        files[f"claims/{theme_id}.yaml"] = _claims_yaml(slug, theme_id, theme_title)

    paths.folder.parent.mkdir(parents=True, exist_ok=True)
    # a plain mkdir (not mkdtemp, whose folder only its owner may read): the folder keeps the usual modes
    tmp = paths.folder.parent / f".{slug}.init-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        for name, content in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(content, encoding="utf-8")
        # what was written reads back as what was meant (a quoting slip would show here, not in the pipeline)
        written = load_yaml(tmp / DOSSIER_FILE)
        meant = {**info, "themes": [{"id": i, "title": t, "intro": INTRO_PLACEHOLDER} for i, t in parsed]}
        if {k: written.get(k) for k in meant} != {**meant, "licence": " ".join(info["licence"].split())}:
            raise RegistryError(
                f"{DOSSIER_FILE} did not read back as written; nothing is written. Please report this."
            )
        if copy_text:
            shutil.copyfile(text, tmp / TEXT_FILE)
            files[TEXT_FILE] = ""
        os.rename(tmp, paths.folder)  # fails when the folder appeared meanwhile: nothing is replaced
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [paths.folder / name for name in files]

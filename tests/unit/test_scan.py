"""`dossiercheck scan` on small hand-written texts: sentences, coverage, and each draft written by hand."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT

from dossiercheck.errors import RegistryError
from dossiercheck.scan import blocks, draft_for, drafts, read_text, scan, scan_document, sentences

CLAIM_SCHEMA = yaml.safe_load((ROOT / "workflow" / "schemas" / "claims.schema.yaml").read_text())


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text)]


def test_sentences_keep_abbreviations_decimals_and_list_numbers():
    text = (
        "Het aantal steeg t.o.v. 2022 met 1,4 miljoen. Dat komt o.a. door de groei. Ca. 5 procent is nieuw. "
        "Volgens dhr. J. Jansen is 26.600 te laag! Klopt dat? 3 op de 10 zeggen ja."
    )
    assert split(text) == [
        "Het aantal steeg t.o.v. 2022 met 1,4 miljoen.",
        "Dat komt o.a. door de groei.",
        "Ca. 5 procent is nieuw.",
        "Volgens dhr. J. Jansen is 26.600 te laag!",
        "Klopt dat?",
        "3 op de 10 zeggen ja.",
    ]
    # a list number is not a sentence; a full stop before a lower-case word ends none
    assert split("1. Inkomen: zie armoede. Het kost 3,5 mld. euro per jaar.") == [
        "1. Inkomen: zie armoede.",
        "Het kost 3,5 mld. euro per jaar.",
    ]


def test_blocks_join_wrapped_lines_and_start_anew_at_items_and_headings():
    lines, first = read_text_lines(
        "---\ntitle: x\nnote: >-\n  two lines\n---\n\n# Kop 1\nEen zin over\ntwee regels.\n\n"
        " • Een punt.\n • Nog een\n   punt.\n 1. Genummerd\n"
    )
    assert first == 6  # the front matter is lines 1-5
    got = [(b.text, b.lines) for b in blocks(lines, first)]
    assert got == [
        ("Kop 1", (7,)),
        ("Een zin over twee regels.", (8, 9)),
        ("Een punt.", (11,)),
        ("Nog een punt.", (12, 13)),
        ("1. Genummerd", (14,)),
    ]
    assert blocks(lines, first)[1].line_at(len("Een zin over ")) == 9


def read_text_lines(content: str, tmp: Path | None = None):
    import tempfile

    folder = Path(tmp or tempfile.mkdtemp())
    path = folder / "t.md"
    path.write_text(content, encoding="utf-8")
    return read_text(path)


TEXT = """\
---
title: Een klein document
---

# Armoede in 2022

Bijna een miljoen mensen leeft in armoede. Dat zijn er vaker dan vroeger.
Nederland telt ongeveer 7 miljoen huishoudens. Daarvan hebben er een kleine 1,4 miljoen
problematische schulden.

 • Een op de vijf Nederlanders voert strijd. De huren zijn in januari 2023 gestegen.
 • Zie ook thema 7. Ze betalen circa 200 tot bijna 500 euro per maand te veel.
 • Ruim 1,2 miljoen personen werken niet. Het gaat om 31 procent.
"""


@pytest.fixture
def document(tmp_path):
    text = tmp_path / "text.md"
    text.write_text(TEXT, encoding="utf-8")
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "01_inkomen.yaml").write_text(
        yaml.safe_dump(
            {
                "theme": "01_inkomen",
                "claims": [
                    {"id": "armoede", "quote": "Bijna een miljoen mensen leeft in armoede."},
                    {"id": "werk", "draft": True, "quote": "Ruim 1,2 miljoen personen werken niet."},
                ],
            }
        ),
        encoding="utf-8",
    )
    (claims / "not_figures.yaml").write_text(
        yaml.safe_dump({"not_figures": [{"text": "Zie ook thema 7", "reason": "a cross-reference"}]}),
        encoding="utf-8",
    )
    return text, claims


def test_a_small_document_gives_these_drafts(document):
    """Each expected draft written by hand from TEXT: the claim 'armoede' covers its sentence, not_figures
    covers "Zie ook thema 7", and the draft in 01_inkomen.yaml holds "Ruim 1,2 miljoen" (not drafted again)."""
    text, claims = document
    result = scan(text, claims, claims / "not_figures.yaml")
    assert [(s.line, s.marks) for s in result.statements] == [
        (5, ("2022",)),
        (7, ("vaker",)),
        (8, ("7", "miljoen")),
        (8, ("1,4", "miljoen")),  # the sentence starts on line 8 and ends on 9
        (11, ("vijf",)),
        (11, ("2023", "gestegen")),
        (12, ("200", "500")),
        (13, ("1,2", "miljoen")),
        (13, ("31",)),
    ]
    assert result.statements[7].drafted_in == "01_inkomen.yaml: werk"
    assert result.stale_quotes == [] and result.stale_not_figures == []
    got = drafts(result)
    expected = [
        # the heading names a year and nothing else: its period, no wording
        {"id": "armoede_2022", "draft": True, "quote": "Armoede in 2022", "numbers": ["2022"],
         "period": "2022JJ00", "unit": ""},
        # a comparison without a number: the word is the wording, "vaker" states meer_dan
        {"id": "vroeger_vaker", "draft": True, "quote": "Dat zijn er vaker dan vroeger.", "numbers": [],
         "wording": "vaker", "qualifier": "meer_dan", "unit": ""},
        {"id": "nederland_telt_ongeveer_7_miljoen", "draft": True,
         "quote": "Nederland telt ongeveer 7 miljoen huishoudens.", "numbers": ["ongeveer 7 miljoen"],
         "wording": "ongeveer 7 miljoen", "value": 7_000_000, "qualifier": "ongeveer", "unit": ""},
        {"id": "problematische_schulden_een_kleine_1_4_miljoen", "draft": True,
         "quote": "Daarvan hebben er een kleine 1,4 miljoen problematische schulden.",
         "numbers": ["een kleine 1,4 miljoen"], "wording": "een kleine 1,4 miljoen", "value": 1_400_000,
         "qualifier": "een_kleine", "unit": ""},
        {"id": "nederlanders_voert_een_op_de_vijf", "draft": True,
         "quote": "Een op de vijf Nederlanders voert strijd.", "numbers": ["Een op de vijf"],
         "wording": "Een op de vijf", "value": 0.2, "qualifier": "exact", "unit": ""},
        # a year is no figure to read, so the trend word is the wording; "januari 2023" is 2023MM01
        {"id": "huren_januari_gestegen", "draft": True,
         "quote": "De huren zijn in januari 2023 gestegen.", "numbers": ["2023"], "wording": "gestegen",
         "qualifier": "stijgt", "period": "2023MM01", "unit": ""},
        # a range: its upper end is the value, the lower end value_low
        {"id": "betalen_maand_circa_200_tot_bijna_500_euro", "draft": True,
         "quote": "Ze betalen circa 200 tot bijna 500 euro per maand te veel.",
         "numbers": ["circa 200 tot bijna 500 euro"], "wording": "circa 200 tot bijna 500 euro", "value": 500,
         "value_low": 200, "qualifier": "range", "unit": "euro"},
        {"id": "gaat_31_procent", "draft": True, "quote": "Het gaat om 31 procent.", "numbers": ["31 procent"],
         "wording": "31 procent", "value": 31, "qualifier": "exact", "unit": "%"},
    ]  # fmt: skip
    assert got == expected
    item = CLAIM_SCHEMA["properties"]["claims"]["items"]
    for entry in got:  # each can be moved into a theme file as it is
        jsonschema.validate(entry, item)


def test_the_draft_file_is_replaced_and_nothing_else(document):
    text, claims = document
    theme = (claims / "01_inkomen.yaml").read_bytes()
    result, entries, out = scan_document(text, claims)
    assert out == claims / "_draft.yaml"
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["draft_of"] == str(text) and written["claims"] == entries
    assert "  # line 8\n  - id: nederland_telt_ongeveer_7_miljoen\n" in out.read_text(encoding="utf-8")
    # the draft file is not a claim file: a second scan reads the same claims and writes the same drafts
    again, entries2, _ = scan_document(text, claims)
    assert entries2 == entries and (claims / "01_inkomen.yaml").read_bytes() == theme
    # once every statement is covered (here: by not_figures), the draft file goes
    (claims / "not_figures.yaml").write_text(
        yaml.safe_dump(
            {
                "not_figures": [{"text": "Zie ook thema 7", "reason": "a cross-reference"}]
                + [{"text": s.sentence, "reason": "test"} for s in result.statements]
            }
        ),
        encoding="utf-8",
    )
    done, none, _ = scan_document(text, claims)
    assert done.statements == [] and none == [] and not out.exists()


def test_the_scan_never_overwrites_what_it_did_not_write(document, tmp_path):
    text, claims = document
    with pytest.raises(RegistryError, match="scan never overwrites claims"):
        scan_document(text, claims, out=claims / "01_inkomen.yaml")
    mine = tmp_path / "notes.yaml"
    mine.write_text("claims: []\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="was not written by dossiercheck scan"):
        scan_document(text, claims, out=mine)
    assert mine.read_text(encoding="utf-8") == "claims: []\n"


def test_stale_entries_are_named(document):
    text, claims = document
    (claims / "02_werk.yaml").write_text(
        yaml.safe_dump(
            {"theme": "02_werk", "claims": [{"id": "weg", "quote": "Een zin die er niet staat."}]}
        ),
        encoding="utf-8",
    )
    (claims / "not_figures.yaml").write_text(
        yaml.safe_dump({"not_figures": [{"text": "thema 9", "reason": "gone"}]}), encoding="utf-8"
    )
    result = scan(text, claims, claims / "not_figures.yaml")
    assert [(q.file, q.claim_id) for q in result.stale_quotes] == [("02_werk.yaml", "weg")]
    assert result.stale_not_figures == ["thema 9"]
    assert ("7",) in [s.marks for s in result.statements]  # "Zie ook thema 7" is no longer covered


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"\xff\xfe niet utf-8", "is not UTF-8 text"),
        (None, "no such file"),
    ],
)
def test_an_unreadable_text_says_what_to_do(tmp_path, content, match):
    path = tmp_path / "t.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RegistryError, match=match):
        scan(path, tmp_path)


def test_a_claim_without_a_quote_is_named(tmp_path):
    (tmp_path / "t.txt").write_text("Het zijn er 5.", encoding="utf-8")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "01_x.yaml").write_text("theme: 01_x\nclaims:\n  - id: leeg\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"01_x.yaml, claim leeg: no 'quote'"):
        scan(tmp_path / "t.txt", tmp_path / "c")
    with pytest.raises(RegistryError, match="is not a folder of claim files"):
        scan(tmp_path / "t.txt", tmp_path / "nope")


def test_a_reference_year_is_not_the_period():
    """ "hoger dan in 2023" compares with 2023; the sentence is about 2024 (registry.quoted_period alone
    would take the year after the figure)."""
    from dossiercheck.scan import Statement

    s = Statement(
        1, "De prijzen waren in 2024 gemiddeld 3,3 procent hoger dan in 2023.", ("2024", "3,3", "2023")
    )
    d = draft_for(s, set())
    assert (d["wording"], d["period"], d["unit"], d["numbers"]) == (
        "3,3 procent",
        "2024JJ00",
        "%",
        ["2024", "3,3 procent", "2023"],
    )
    # two figures, two years: the wording's own (the first figure, the year after it)
    s = Statement(
        1,
        "Het daalde van 5,4 procent in 2023 naar 2,4 procent in 2024.",
        ("daalde", "5,4", "2023", "2,4", "2024"),
    )
    assert draft_for(s, set())["period"] == "2023JJ00"
    # ids stay unique
    taken = {"gaat_31_procent"}
    assert draft_for(Statement(1, "Het gaat om 31 procent.", ("31",)), taken)["id"] == "gaat_31_procent_2"


# --- a draft is never judged --------------------------------------------------------------------------------


def test_a_draft_is_never_judged_nor_read_as_a_claim(tmp_path):
    """The loader leaves out entries with draft: true and the scan's _draft.yaml; the checks and the
    sources the workflow fetches ignore drafts; the schema lets a draft lack what a claim is judged with."""
    from dossiercheck.configcheck import load_checked
    from dossiercheck.registry import check_registry, claim_files, load_registry, needs_by_source

    finished = {
        "id": "af", "quote": "Het zijn er 5.", "wording": "5", "value": 5, "unit": "personen",
        "source": "T1", "metric": {"kind": "value", "measure": "M1"},
    }  # fmt: skip
    draft = {
        "id": "concept",
        "draft": True,
        "quote": "Het zijn er 7.",
        "numbers": ["7"],
        "wording": "7",
        "value": 7,
    }
    reg = {"theme": "01_x", "claims": [finished, draft]}
    path = tmp_path / "01_x.yaml"
    path.write_text(yaml.safe_dump(reg), encoding="utf-8")
    assert [c["id"] for c in load_registry(path)["claims"]] == ["af"]
    # no source, no metric: not an error for a draft, even with the sources and qualifiers given
    check_registry(reg, path, sources={"T1": {}}, qualifiers={"exact": {}})
    assert needs_by_source([reg]) == {"T1": {"measures": ["M1"], "filters": {}}}  # the draft reads nothing
    schema = ROOT / "workflow" / "schemas" / "claims.schema.yaml"
    assert load_checked(path, schema)["claims"][1]["id"] == "concept"
    unfinished = {**draft, "draft": False}
    path.write_text(yaml.safe_dump({"theme": "01_x", "claims": [unfinished]}), encoding="utf-8")
    with pytest.raises(RegistryError, match=r"claim concept: 'source' is a required property"):
        load_checked(path, schema)
    # a draft still needs an id no other claim has
    with pytest.raises(RegistryError, match="appears twice"):
        check_registry({"theme": "01_x", "claims": [finished, {**draft, "id": "af"}]}, path)
    (tmp_path / "_draft.yaml").write_text("draft_of: t.md\nclaims: []\n", encoding="utf-8")
    (tmp_path / "not_figures.yaml").write_text("not_figures: []\n", encoding="utf-8")
    assert claim_files(tmp_path) == [path]

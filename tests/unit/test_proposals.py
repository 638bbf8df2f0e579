"""The proposed sentence ("Voorstel voor de zin") reads as correct Dutch: its verb agrees with a new count,
it has one pair of brackets for its figure, and where the page says the dossier's words are wrong it puts
the source's own words in their place. Every expected sentence is written out by hand."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT
from helpers.frames import frame, meta

from dossiercheck.claims import claim_band, not_recomputable, suggested_wording
from dossiercheck.wording import agree_verb, flatten_brackets, read_wording, with_bracket

QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]


def proposal(quote: str, wording: str, value: float, claim_value: float, unit: str, **kw) -> str:
    claim = {"id": "x", "quote": quote, "wording": wording, "value": claim_value, "unit": unit, **kw}
    reading, scale, _, _ = claim_band(claim, QUALIFIERS)
    return suggested_wording(claim, value, "2025", "CBS", QUALIFIERS, reading, scale)


# --- the verb agrees with the count ----------------------------------------------------------------------


def test_a_count_no_longer_one_takes_a_plural_verb():
    # the editor's case: "Een miljoen" at 684.000 is written "ongeveer 700.000" (see test_wording), a
    # count of more than one: "heeft" becomes "hebben"
    assert proposal(
        "Een miljoen mensen heeft geen toegang tot de arbeidsmarkt",
        "Een miljoen",
        684.0,
        1000,
        "× 1.000 personen",
    ) == ("Ongeveer 700.000 mensen hebben geen toegang tot de arbeidsmarkt (684.000 personen, 2025; CBS).")


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("heeft", "hebben"),
        ("is", "zijn"),
        ("wordt", "worden"),
        ("krijgt", "krijgen"),
        ("kan", "kunnen"),
        ("woont", "wonen"),
        ("leeft", "leven"),
        ("leefde", "leefden"),  # past tense
    ],
)
def test_each_listed_verb_turns_both_ways(singular, plural):
    assert agree_verb(f"Ongeveer 700.000 mensen {singular} hier", "Ongeveer 700.000") == (
        f"Ongeveer 700.000 mensen {plural} hier"
    )
    assert (
        agree_verb(f"Een miljoen mensen {plural} hier", "Een miljoen")
        == f"Een miljoen mensen {singular} hier"
    )
    # already agreeing: left alone
    assert (
        agree_verb(f"Twee miljoen mensen {plural} hier", "Twee miljoen")
        == f"Twee miljoen mensen {plural} hier"
    )


def test_a_plural_count_that_becomes_one_takes_a_singular_verb():
    # "Twee miljoen" is a word in steps of half a million (scale 1e-3: the claim counts thousands); 1.000
    # (thousand) = 1 million rounds to the word "een miljoen", which admits it: "hebben" becomes "heeft"
    got = proposal("Twee miljoen mensen hebben geen werk", "Twee miljoen", 1000.0, 2000, "× 1.000 personen")
    assert got.startswith("Een miljoen mensen heeft geen werk (")


def test_an_adjective_between_the_count_and_its_noun():
    assert agree_verb("Ongeveer 700.000 oudere mensen woont alleen", "Ongeveer 700.000") == (
        "Ongeveer 700.000 oudere mensen wonen alleen"
    )


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        # the noun phrase goes on ("met een beperking"): the verb is not right after it
        ("Ongeveer 700.000 mensen met een beperking heeft geen werk", "Ongeveer 700.000"),
        # the verb stands before its subject
        ("Volgens het CBS heeft ongeveer 700.000 mensen geen werk", "ongeveer 700.000"),
        # a verb not in the table: no guess
        ("Ongeveer 700.000 mensen fietst naar het werk", "Ongeveer 700.000"),
        # a share: "15 procent van de leerlingen krijgt" and "... krijgen" are both Dutch
        ("Ongeveer 15 procent van de leerlingen krijgt daarmee te maken", "Ongeveer 15 procent"),
        # a relative clause after the noun ("die willen")
        ("Ongeveer 700.000 mensen die willen werken staan langs de kant", "Ongeveer 700.000"),
        # the noun is the last word
        ("Nederland telt ongeveer 8 miljoen huishoudens", "ongeveer 8 miljoen"),
    ],
)
def test_a_verb_not_found_leaves_the_sentence_as_it_is(sentence, phrase):
    assert agree_verb(sentence, phrase) == sentence


def test_a_proposal_whose_verb_is_not_found_keeps_it():
    # same numbers as the editor's case, the verb after "met een beperking": left as written
    assert proposal(
        "Een miljoen mensen met een beperking heeft geen werk", "Een miljoen", 684.0, 1000, "× 1.000 personen"
    ) == ("Ongeveer 700.000 mensen met een beperking heeft geen werk (684.000 personen, 2025; CBS).")


# --- one pair of brackets --------------------------------------------------------------------------------


def test_brackets_in_the_publisher_are_flattened():
    claim = {
        "id": "x",
        "quote": "In 2012 voelde 39 procent zich eenzaam.",
        "wording": "39 procent",
        "unit": "%",
        "value": 39,
    }
    reading, scale, _, _ = claim_band(claim, QUALIFIERS)
    # 45,0 in steps of 1: "45 procent"
    got = suggested_wording(claim, 45.0, "2022", "RIVM/CBS (Gezondheidsmonitor)", QUALIFIERS, reading, scale)
    assert got == "In 2012 voelde 45 procent zich eenzaam (45,0%, 2022; RIVM/CBS, Gezondheidsmonitor)."
    assert flatten_brackets("Stichting Lezen & Schrijven (onderzoek door ecbo en ROA)") == (
        "Stichting Lezen & Schrijven, onderzoek door ecbo en ROA"
    )
    assert flatten_brackets("A (b (c))") == "A, b, c"


def test_a_sentence_ending_in_a_bracket_takes_the_figure_into_it():
    # the lvb sentence: "1,2 miljoen" (step 100.000) at 1,1 million is "1,1 miljoen"; the figure goes into
    # the sentence's own bracket after a semicolon, never "(lvb) (...)"
    got = proposal(
        "Speciale aandacht verdienen hier de 1,2 miljoen mensen met een licht verstandelijke beperking (lvb).",
        "1,2 miljoen",
        1_100_000.0,
        1_200_000,
        "personen",
    )
    assert got == (
        "Speciale aandacht verdienen hier de 1,1 miljoen mensen met een licht verstandelijke beperking "
        "(lvb; 1,1 miljoen personen, 2025; CBS)."
    )
    assert with_bracket("een zin (a)", "b (c)") == "een zin (a; b, c)."
    assert with_bracket("een zin", "b") == "een zin (b)."
    assert with_bracket("een zin (a)", "") == "een zin (a)."  # nothing to add: no empty brackets


def test_the_cited_source_line_has_no_double_brackets():
    from dossiercheck.report.common import _provenance

    c = {
        "provenance": {"source": "", "table_id": ""},
        "citation": {
            "publisher": "Movisie",
            "title": "Bestaanszekerheid, meer dan geld (geen bron vermeld)",
            "year": 2023,
        },
    }
    line = _provenance(c, {}, {})
    plain = line.replace("\\", "")  # as the page shows it, without Markdown's escapes
    assert ") (" not in plain and "((" not in plain and "))" not in plain
    # the year with the publisher, as a Dutch reference names them: "Movisie (2023), Titel" (the title's
    # own punctuation escaped for Markdown, the line's own brackets and comma not)
    assert line == (
        r"**Bron volgens het dossier:** Movisie (2023), Bestaanszekerheid\, meer dan geld \(geen bron "
        r"vermeld\)."
    )
    # the registry's way to say the dossier names no source, and a source that is only likely
    unsourced = dict(c, citation={"publisher": "Movisie", "title": "Bestaanszekerheid", "unsourced": True})
    assert _provenance(unsourced, {}, {}) == (
        "**Bron volgens het dossier:** het dossier noemt voor dit cijfer geen bron."
    )
    candidate = dict(c, citation={"publisher": "Aedes", "title": "Cijfers", "year": 2019, "candidate": True})
    assert _provenance(candidate, {}, {}) == (
        "**Waarschijnlijke bron** (het dossier noemt er geen; nog niet bevestigd): Aedes (2019), Cijfers."
    )


# --- the source's own words where the page says the dossier's are wrong -------------------------------------

PARTICIPATIE = {
    "id": "t_70", "title": "Netto arbeidsparticipatie", "quote": "voor de hele beroepsbevolking is dat 70 procent",
    "wording": "70 procent", "value": 70, "unit": "%", "period": "dossier", "source": "T1",
    "metric": {"kind": "value", "measure": "M1", "period_kind": "JJ"},
    "correct_term": {"dossier": "de hele beroepsbevolking", "source": "de bevolking van 15 tot 75 jaar"},
}  # fmt: skip


def test_a_term_is_corrected_while_the_number_holds():
    from test_judgement import run

    df = frame([("M1", "2022JJ00", 72.2), ("M1", "2025JJ00", 73.2)])
    r = run(PARTICIPATIE, df, meta(M1=("%", 1)))
    # "70 procent" is read in steps of ten (trailing zero): 65 up to 75; 72,2 (2022, public by October
    # 2023) and 73,2 (2025) both hold
    assert r["status"] == "newer_data_confirms"
    # the newest figure, as the sentence speaks of the present; "70 procent" still fits 73,2 and is within
    # a tenth of it, so the number stays; only the words change
    assert (
        r["suggested_wording"] == "voor de bevolking van 15 tot 75 jaar is dat 70 procent (73,2%, 2025; CBS)."
    )
    # without correct_term the claim that holds has no proposal
    plain = {k: v for k, v in PARTICIPATIE.items() if k != "correct_term"}
    assert run(plain, df, meta(M1=("%", 1)))["suggested_wording"] is None


def test_a_misquote_is_corrected_with_the_sources_words(tmp_path):
    from test_judgement import FIG, manual_tables, run

    df, m = manual_tables(
        tmp_path,
        [dict(FIG, id="hh", title="Huishoudens", value=7, unit="% van de huishoudens", period="2020JJ00")],
    )
    claim = {
        "id": "t_7", "title": "7", "quote": "In 2020 leefde 7 procent van de Nederlanders in energiearmoede.",
        "wording": "7 procent", "value": 7, "unit": "%", "source": "R1", "period": "2020JJ00",
        "metric": {"kind": "value", "measure": "hh", "period_kind": "JJ"}, "misquote": "huishoudens, geen personen.",
        "correct_term": {"dossier": "van de Nederlanders", "source": "van de huishoudens"},
    }  # fmt: skip
    r = run(claim, df, m, entry={"kind": "manual", "publisher": "TNO"})
    # 7 holds for "7 procent" (6,5 up to 7,5): still a finding, for the words
    assert r["status"] == "differs_from_source"
    assert (
        r["suggested_wording"]
        == "In 2020 leefde 7 procent van de huishoudens in energiearmoede (7,0%, 2020; TNO)."
    )


def test_a_figure_no_table_holds_gets_its_words_corrected():
    claim = {
        "id": "t_scp", "quote": "In een studie naar toenemende klassentegenstellingen constateert het SCP dat het zo is.",
        "unit": "vergelijking", "qualifier": "meer_dan", "recomputable": False, "reason_kind": "report",
        "reason": "Het SCP beschrijft de klassentegenstellingen als hardnekkig, niet als toenemend.",
        "citation": {"publisher": "SCP", "title": "Eigentijdse ongelijkheid", "year": 2023},
        "correct_term": {"dossier": "toenemende klassentegenstellingen", "source": "hardnekkige klassentegenstellingen"},
    }  # fmt: skip
    assert not_recomputable(claim, "01_inkomen")["suggested_wording"] == (
        "In een studie naar hardnekkige klassentegenstellingen constateert het SCP dat het zo is (SCP, 2023)."
    )
    plain = {k: v for k, v in claim.items() if k != "correct_term"}
    assert not_recomputable(plain, "01_inkomen")["suggested_wording"] is None


def test_every_correction_in_the_registry_fits_its_quote():
    """Each correct_term names words of its own quote, apart from the number's phrase (which is rewritten
    first); every misquote has one (the schema requires it)."""
    seen = 0
    for path in sorted((ROOT / "dossiers" / "bestaanszekerheid-2023" / "claims").glob("[0-9][0-9]_*.yaml")):
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]:
            term = c.get("correct_term")
            if c.get("misquote"):
                assert term, c["id"]
            if not term:
                continue
            seen += 1
            quote = " ".join(c["quote"].split()).lower()
            at = quote.find(term["dossier"].lower())
            assert at >= 0, c["id"]
            if c.get("wording"):
                w = quote.find(c["wording"].lower())
                assert at + len(term["dossier"]) <= w or w + len(c["wording"]) <= at, c["id"]
                read_wording(c["wording"])
    assert seen >= 5  # the three misquotes, the 70 procent of the whole labour force, the SCP's classes

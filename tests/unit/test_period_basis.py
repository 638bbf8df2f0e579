"""Where a claim's dossier period comes from (quote, reading, assumed, none), the period a quote names for
its own number, and a quote that leans on the words before it. Claims are made by hand; every expected
value is worked out from the claim's words in a comment."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from conftest import ROOT
from helpers.frames import frame, meta

from dossiercheck.claims import not_recomputable, recompute_claim, source_unavailable
from dossiercheck.registry import PERIOD_BASES, leans_on_context, period_basis, quoted_period

QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
DOSSIER_DATE = date(2023, 10, 1)
ASSUMED_1_OKT = (
    "Het dossier noemt voor dit cijfer geen periode; gekozen is de nieuwste waarvoor de bron op 1 oktober 2023 "
    "(de datum van het dossier) al een cijfer gepubliceerd kon hebben."
)
NONE = "Het dossier noemt voor dit cijfer geen periode; het is niet nagerekend, dus er is ook geen gekozen."
TWO_YEARS = "Het aantal is gestegen van 38.000 in 2018 naar 97.000 in 2021."


# --- a quote that leans on the words before it ------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "word"),
    [
        ("Daarvan hebben er een kleine 1,4 miljoen schulden.", "Daarvan"),
        ("Die is in Nederland sterker.", "Die"),
        ("Het betreft 5 procent van de leerlingen.", "Het betreft"),
        ("voor de hele beroepsbevolking is dat 70 procent", "voor de"),
        ("Maar liefst 50 procent.", "Maar"),
        ("  Zo blijkt uit een rapport dat …", "Zo"),  # leading whitespace is not a word
        # whole words only: "Zesenvijftig" is not "ze", "Een" is not "en", "Dienst" is not "die"
        ("Zesenvijftig procent van de ouderen.", None),
        ("Een paar met kinderen.", None),
        ("Dienstverlening is duur.", None),
        # "Het" alone opens a plain sentence; "hoewel" is not listed (its main clause follows it)
        ("Het aandeel van sociale huurwoningen daalt.", None),
        ("hoewel het aantal aan het dalen is", None),
    ],
)
def test_a_quote_leans_on_the_words_before_it_when_it_starts_with_a_listed_word(quote, word):
    assert leans_on_context(quote) == word


def test_the_context_is_carried_into_the_result():
    claim = {
        "id": "c", "quote": "Daarvan hebben er 5 schulden.", "context": "Nederland telt 7 huishoudens.",
        "recomputable": False, "reason": "x", "qualifier": "exact",
    }  # fmt: skip
    assert not_recomputable(claim, "99")["quote_context"] == "Nederland telt 7 huishoudens."
    assert not_recomputable({**claim, "context": None}, "99")["quote_context"] is None


# --- the period a quote names for the claim's own number ------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        # two years: the one right after the claim's number (38.000 -> "in 2018", 97.000 -> "in 2021")
        ({"quote": TWO_YEARS, "wording": "38.000"}, "2018JJ00"),
        ({"quote": TWO_YEARS, "wording": "97.000"}, "2021JJ00"),
        # no wording: the first of 'numbers' that is not a year is the anchor ("38.000", not "2021")
        ({"quote": TWO_YEARS, "numbers": ["2021", "38.000"]}, "2018JJ00"),
        # no year after the number: the nearest before it
        (
            {"quote": "Volgens de SER waren er in 2021 220.000 werkende armen.", "wording": "220.000"},
            "2021JJ00",
        ),
        # a month with its year is a month
        ({"quote": "In januari 2023 waren het er 5.", "wording": "5"}, "2023MM01"),
        # the number is a whole phrase: "20" inside "2019" is not it; the "20" after 2021 is, so 2023 follows
        ({"quote": "In 2019 was het 10, in 2021 was het 20, in 2023 nog 5.", "wording": "20"}, "2023JJ00"),
        # no wording: the last period named, the end of the change the sentence describes
        ({"quote": "Van 37 procent in 2012 tot 34 procent in 2021."}, "2021JJ00"),
        # a reference, a span and a relative period are no period the quote names
        ({"quote": "Sinds 2013 bijna verdubbeld.", "wording": "bijna verdubbeld"}, None),
        ({"quote": "Een daling in de periode 2014-2020.", "wording": "daling"}, None),
        ({"quote": "Vorig jaar waren het er 26.600.", "wording": "26.600"}, None),
    ],
)
def test_the_period_a_quote_names_for_its_own_number(claim, expected):
    assert quoted_period(claim) == expected


def test_both_claims_of_a_sentence_with_two_years_get_their_own_year_when_not_recomputed():
    base = {"quote": TWO_YEARS, "unit": "jongeren", "recomputable": False, "reason": "x"}
    early = not_recomputable({**base, "id": "c2018", "wording": "38.000", "value": 38000}, "99")
    late = not_recomputable({**base, "id": "c2021", "wording": "97.000", "value": 97000}, "99")
    assert early["dossier"] == {
        "period": "2018JJ00", "label": "2018", "why": "", "basis": "quote",
        "basis_why": "De zin noemt 2018 en 2021; bij “38.000” hoort 2018.",
    }  # fmt: skip
    assert late["dossier"] == {
        "period": "2021JJ00", "label": "2021", "why": "", "basis": "quote",
        "basis_why": "De zin noemt 2018 en 2021; bij “97.000” hoort 2021.",
    }  # fmt: skip


def test_a_period_the_registry_states_wins_over_the_quote_for_a_claim_not_recomputed():
    claim = {"id": "c", "quote": TWO_YEARS, "wording": "38.000", "value": 38000, "recomputable": False}
    r = not_recomputable({**claim, "reason": "x", "period": "2019JJ00"}, "99")
    # 2019 is stated, the quote names 2018 and 2021 but not 2019: our reading, in the general sentence
    assert (r["dossier"]["period"], r["dossier"]["label"], r["dossier"]["basis"]) == (
        "2019JJ00",
        "2019",
        "reading",
    )
    assert (
        r["dossier"]["basis_why"]
        == "De woorden van het dossier noemen 2019 niet letterlijk; zo lezen wij ze."
    )


def test_a_claim_without_a_period_says_so():
    r = not_recomputable({"id": "c", "quote": "Het is veel.", "qualifier": "meer_dan", "reason": "x"}, "99")
    assert (r["dossier"]["period"], r["dossier"]["label"], r["dossier"]["basis"]) == (None, "", "none")
    assert r["dossier"]["basis_why"] == NONE


# --- the basis, decided from the words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "period", "label", "expected"),
    [
        # the quote names the year
        (
            {"quote": "In 2012 voelde nog 39 procent zich eenzaam.", "period": "2012JJ00"},
            "2012JJ00",
            "2012",
            ("quote", "De zin noemt 2012."),
        ),
        # the quote names the month and its year
        (
            {"quote": "In januari 2023 waren het er 5.", "period": "2023MM01"},
            "2023MM01",
            "januari 2023",
            ("quote", "De zin noemt januari 2023."),
        ),
        # a year named is not a month named: the month is our reading (no note: the general sentence)
        (
            {"quote": "In 2023 waren het er 5.", "period": "2023MM01"},
            "2023MM01",
            "januari 2023",
            ("reading", "De woorden van het dossier noemen januari 2023 niet letterlijk; zo lezen wij ze."),
        ),
        # "in januari" without a year: the year is read from the dossier's date, so a reading
        (
            {"quote": "In januari kostte een woning 400.000 euro.", "period": "2023MM01"},
            "2023MM01",
            "januari 2023",
            ("reading", "De woorden van het dossier noemen januari 2023 niet letterlijk; zo lezen wij ze."),
        ),
        # the words before the quote name the year
        (
            {
                "quote": "Dit was opgelopen tot 49 procent.",
                "context": "In 2022 voelde 39 procent zich eenzaam.",
                "period": "2022JJ00",
            },
            "2022JJ00",
            "2022",
            ("quote", "De tekst ervoor noemt 2022."),
        ),
        # the dossier's heading names it ("over 2019")
        (
            {"quote": "Het is 5.", "section": "Cijfers over 2019", "period": "2019JJ00"},
            "2019JJ00",
            "2019",
            ("quote", "De kop in het dossier noemt 2019."),
        ),
        # "vorig jaar": a reading, told by the first sentence of the period note
        (
            {
                "quote": "waren er vorig jaar 26.600 mensen",
                "period": "2022JJ00",
                "period_note": '"Vorig jaar" in een dossier uit 2023: de telling van 2022. Meer uitleg volgt hier.',
            },
            "2022JJ00",
            "2022",
            ("reading", '"Vorig jaar" in een dossier uit 2023: de telling van 2022.'),
        ),
        # a span: a reading, told by period_reading (which wins over the note)
        (
            {
                "quote": "een daling in de periode 2014-2020",
                "period": "2020JJ00",
                "period_note": "Noot.",
                "period_reading": "De zin noemt 2014-2020; gelezen als de afname tot 2020.",
            },
            "2020JJ00",
            "2020",
            ("reading", "De zin noemt 2014-2020; gelezen als de afname tot 2020."),
        ),
        # a quarter: no sentence names one, so a stated quarter is a reading even where its year is named
        (
            {"quote": "In 2023 waren het er 5.", "period": "2023KW01"},
            "2023KW01",
            "1e kwartaal 2023",
            (
                "reading",
                "De woorden van het dossier noemen 1e kwartaal 2023 niet letterlijk; zo lezen wij ze.",
            ),
        ),
        # period: dossier, nothing named: assumed, from the dossier's date
        (
            {"quote": "Nederland telt 7 miljoen huishoudens.", "period": "dossier"},
            "2022JJ00",
            "2022",
            ("assumed", ASSUMED_1_OKT),
        ),
        # a reference year ("in 2013") that is not the period: still assumed
        (
            {"quote": "Sinds het dieptepunt in 2013 bijna verdubbeld."},
            "2023MM08",
            "augustus 2023",
            ("assumed", ASSUMED_1_OKT),
        ),
        # the registry overrides: "(CBS, 2022)" after the sentence, read as 2022's figure
        (
            {
                "quote": "Ruim een miljoen staat langs de kant.",
                "period_basis": "reading",
                "period_note": "Het dossier verwijst naar CBS, 2022. Verder.",
            },
            "2022JJ00",
            "2022",
            ("reading", "Het dossier verwijst naar CBS, 2022."),
        ),
        # an override to quote where no words match: the general sentence
        (
            {"quote": "Het is 5.", "period_basis": "quote"},
            "2022JJ00",
            "2022",
            ("quote", "Het dossier noemt zelf 2022."),
        ),
        # period_reading tells an assumed period too, and a claim without a period
        (
            {"quote": "Het is 5.", "period_reading": "Eigen zin."},
            "2022JJ00",
            "2022",
            ("assumed", "Eigen zin."),
        ),
        ({"quote": "Het is 5.", "period_reading": "Eigen zin."}, None, "", ("none", "Eigen zin.")),
    ],
)
def test_the_basis_of_a_period(claim, period, label, expected):
    assert period_basis(claim, period, label, DOSSIER_DATE) == expected
    assert expected[0] in PERIOD_BASES


def test_an_assumed_period_without_the_dossiers_date_says_when_in_words():
    basis, why = period_basis({"quote": "Het is 5."}, "2022JJ00", "2022")
    assert (basis, why) == (
        "assumed",
        "Het dossier noemt voor dit cijfer geen periode; gekozen is de nieuwste waarvoor de bron bij het "
        "verschijnen van het dossier al een cijfer gepubliceerd kon hebben.",
    )


# --- the basis in the results ---------------------------------------------------------------------------


def test_a_recomputed_claim_keeps_its_basis_beside_the_figure():
    claim = {
        "id": "c", "quote": "In augustus 2023 kostte een woning gemiddeld 430.000 euro.", "wording": "430.000",
        "value": 430_000, "unit": "euro", "period": "2023MM08", "source": "T1",
        "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"},
    }  # fmt: skip
    df = frame([("M1", "2023MM08", 430_000.0), ("M1", "2026MM05", 487_000.0)])
    r = recompute_claim(
        claim,
        "99",
        df,
        meta(M1=("euro", 0)),
        {"publisher": "CBS"},
        dossier_date=DOSSIER_DATE,
        qualifiers=QUALIFIERS,
    )
    # the figure block (value, judgement) and the basis sit side by side in 'dossier'
    d = r["dossier"]
    assert (d["period"], d["label"], d["value"], d["judgement"]) == (
        "2023MM08",
        "augustus 2023",
        430_000.0,
        "holds",
    )
    assert (d["basis"], d["basis_why"]) == ("quote", "De zin noemt augustus 2023.")
    # period: dossier: the month chosen is the newest published by 1 October 2023 (no lag: September has
    # ended, but the table has no September, so August), assumed
    r = recompute_claim(
        {**claim, "quote": "Een woning kostte gemiddeld 430.000 euro.", "period": "dossier"},
        "99", df, meta(M1=("euro", 0)), {"publisher": "CBS"}, dossier_date=DOSSIER_DATE, qualifiers=QUALIFIERS,
    )  # fmt: skip
    assert (r["dossier"]["period"], r["dossier"]["basis"], r["dossier"]["basis_why"]) == (
        "2023MM08",
        "assumed",
        ASSUMED_1_OKT,
    )


def test_a_claim_whose_source_is_unavailable_has_a_basis():
    claim = {
        "id": "c", "quote": "In 2021 waren het er 5.", "wording": "5", "value": 5, "period": "2021JJ00",
        "metric": {"kind": "value", "measure": "M", "period_kind": "JJ"},
    }  # fmt: skip
    r = source_unavailable(claim, "99", {}, "weg.", DOSSIER_DATE)
    assert (r["dossier"]["period"], r["dossier"]["basis"], r["dossier"]["basis_why"]) == (
        "2021JJ00",
        "quote",
        "De zin noemt 2021.",
    )

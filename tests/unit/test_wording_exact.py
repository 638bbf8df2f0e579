"""The wording module pinned to exact results: whole readings, whole bands, whole phrases, whole messages.

Every expected value is worked out by hand from the rules in src/dossiercheck/wording.py and the qualifiers
in config/config.yaml (a qualifier admits X + low * step up to X + high * step; a negative offset counts in
the step below the number, a positive one in the step above). The comments give the working.
"""

import pytest
import yaml
from conftest import ROOT

from dossiercheck.errors import RegistryError
from dossiercheck.wording import (
    Band,
    Reading,
    _decimals,
    band,
    claim_scale,
    judge_direction,
    phrase_for,
    qualifier_spec,
    read_wording,
    replace_phrase,
)

QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]


# --- reading a phrase: the whole Reading -----------------------------------------------------------------

READINGS = [
    # "0": no significant digit, so its zero is not rounding: step 1 (not 10)
    ("0 procent", Reading("0 procent", "exact", 0.0, 1.0, "digits", tail="procent")),
    # "nul" in words: a round word with lead 1 (zero has no log), so it steps by 1/2; 0 is not the lead
    # itself, so no separate step down
    ("nul procent", Reading("nul procent", "exact", 0.0, 0.5, "words", tail="procent")),
    # "anderhalf" is a half: it steps by a half, times the miljoen: 1,5 miljoen in steps of 500.000
    (
        "ongeveer anderhalf miljoen",
        Reading(
            "ongeveer anderhalf miljoen", "ongeveer", 1_500_000.0, 500_000.0, "words", magnitude="miljoen"
        ),
    ),
    # "tien": one digit and a zero, lead 10: steps by 5; it is the lead itself, so a tenth of it down (1)
    (
        "ongeveer tien procent",
        Reading("ongeveer tien procent", "ongeveer", 10.0, 5.0, "words", tail="procent", step_down=1.0),
    ),
    # "twintig": lead 10, 20 is a multiple of it: a round word stepping by 5; not the lead: no step down
    ("twintig procent", Reading("twintig procent", "exact", 20.0, 5.0, "words", tail="procent")),
    # "honderdtwintig" is not one digit and zeros (120 % 100 = 20): its last significant digit, the tens
    ("honderdtwintig euro", Reading("honderdtwintig euro", "exact", 120.0, 10.0, "words", tail="euro")),
    # a multiplier verb followed by more words: still the verb, 2 in steps of 0,1, the rest is the tail
    (
        "bijna verdubbeld ten opzichte van 2013",
        Reading(
            "bijna verdubbeld ten opzichte van 2013",
            "bijna",
            2.0,
            0.1,
            "multiplier",
            tail="ten opzichte van 2013",
        ),
    ),
    # one in five: 1/5, stepping to the next named fraction 1/6; no magnitude, the tail as written
    (
        "een op de vijf Nederlanders",
        Reading("een op de vijf Nederlanders", "exact", 1 / 5, 1 / 5 - 1 / 6, "one_in", tail="Nederlanders"),
    ),
    # the magnitude is the first word after the number; the words after it are the tail
    (
        "ruim 2 miljoen werkende mensen",
        Reading(
            "ruim 2 miljoen werkende mensen",
            "ruim",
            2_000_000.0,
            1_000_000.0,
            "digits",
            magnitude="miljoen",
            tail="werkende mensen",
        ),
    ),
    # "een keer": "een" before "keer" is a number (1), a round word with lead 1: up by 1/2, down by 1/10
    (
        "een keer zo vaak",
        Reading("een keer zo vaak", "exact", 1.0, 0.5, "words", tail="keer zo vaak", step_down=0.1),
    ),
    # a range with digits on the left and words on the right is still a range: 100 up to tweehonderd
    # (a round word, lead 100: steps by 50)
    (
        "100 tot tweehonderd euro",
        Reading("100 tot tweehonderd euro", "range", 200.0, 50.0, "range", 100.0, False, "", "euro"),
    ),
    # "tot een kleine 500": the upper end excluded, as with "tot bijna"; 500 steps by 100
    (
        "200 tot een kleine 500 euro",
        Reading("200 tot een kleine 500 euro", "range", 500.0, 100.0, "range", 200.0, True, "", "euro"),
    ),
    # both ends with their magnitude: 1 miljoen up to 2 miljoen (step 1 miljoen), tail "mensen"
    (
        "1 miljoen tot 2 miljoen mensen",
        Reading(
            "1 miljoen tot 2 miljoen mensen",
            "range",
            2_000_000.0,
            1_000_000.0,
            "range",
            1_000_000.0,
            False,
            "miljoen",
            "mensen",
        ),
    ),
]


@pytest.mark.parametrize(
    ("words", "expected"), READINGS, ids=[w.encode("ascii", "replace").decode() for w, _ in READINGS]
)
def test_a_phrase_is_read_whole(words, expected):
    assert read_wording(words) == expected


@pytest.mark.parametrize(
    ("words", "message"),
    [
        # a word that is no number: the message names the word, inside the message naming the phrase
        ("veel mensen", "cannot read a number in 'veel mensen' ('veel' is not a Dutch number)"),
        # "een" followed by neither a magnitude nor "keer" is an article
        (
            "een groeiende groep",
            "cannot read a number in 'een groeiende groep' ('een' is an article here, not a number)",
        ),
    ],
)
def test_a_phrase_without_a_number_says_why(words, message):
    # the message reaches the registry's error ("claim x: cannot read ..."), so it is pinned whole
    with pytest.raises(ValueError) as e:
        read_wording(words)
    assert str(e.value) == message


# --- bands -----------------------------------------------------------------------------------------------


def test_a_range_is_scaled_at_both_ends():
    # "100 tot 200 euro" in a claim unit ten times the phrase's: 1000 up to and including 2000
    assert band(read_wording("100 tot 200 euro"), 10.0, QUALIFIERS) == Band(1000.0, 2000.0, True, True)


# qualifiers a config may add: a positive offset counts in the step above, a negative one in the step below
CUSTOM = {
    "boven": {"low": 0.5, "high": 1.5},
    "onder": {"low": -2, "high": -1},
}


def test_an_offset_counts_in_the_step_on_its_own_side():
    r = read_wording("een miljoen")  # 1 miljoen, step up 500.000 (anderhalf), step down 100.000
    # boven: 1.000.000 + 0,5 * 500.000 = 1.250.000 up to 1.000.000 + 1,5 * 500.000 = 1.750.000
    assert band(r, 1.0, CUSTOM, "boven") == Band(1_250_000.0, 1_750_000.0, True, False)
    # onder: 1.000.000 - 2 * 100.000 = 800.000 up to 1.000.000 - 1 * 100.000 = 900.000
    assert band(r, 1.0, CUSTOM, "onder") == Band(800_000.0, 900_000.0, True, False)


def test_the_hair_of_tolerance_is_relative_and_one_billionth():
    # the hair is 1e-9 times the value (at least 1e-9): at 1.299.999,9999 it is 0,0013, so a value
    # 0,0001 under the low end 1.300.000 still counts as on it
    assert Band(1_300_000.0, 1_400_000.0).contains(1_299_999.9999)
    # under 1 the hair is 1e-9: 1,5e-9 below the low end 1 is outside, 0,5e-9 below is on it
    assert not Band(1.0, 2.0).contains(1 - 1.5e-9)
    assert Band(1.0, 2.0).contains(1 - 0.5e-9)


def test_the_hair_itself_is_on_the_inclusive_side():
    # at 0 and 1e-9 the hair is exactly 1e-9, so these values sit exactly one hair from the end:
    # one hair below an inclusive low end 1e-9 (v = 0): in
    assert Band(1e-9, 1.0).contains(0.0)
    # one hair above an exclusive low end 0 (v = 1e-9): still out
    assert not Band(0.0, 1.0, False).contains(1e-9)
    # one hair above an inclusive high end 0 (v = 1e-9): in
    assert Band(None, 0.0, True, True).contains(1e-9)
    # one hair below an exclusive high end 1e-9 (v = 0): still out
    assert not Band(None, 1e-9).contains(0.0)


def test_a_description_names_the_unit_once_even_when_it_has_spaces():
    # "1 miljoen euro" and "2 miljoen euro" share " miljoen euro": the low end keeps only "1"
    fmt = lambda v: f"{v:g} miljoen euro"  # noqa: E731
    assert Band(1, 2).describe(fmt) == "minstens 1 en minder dan 2 miljoen euro"


def test_an_undefined_qualifier_names_the_defined_ones():
    with pytest.raises(RegistryError) as e:
        qualifier_spec("x", {"ruim": {}, "bijna": {}})
    assert str(e.value) == (
        "qualifier 'x' is not defined; use one of: bijna, ruim or add it under 'qualifiers' in config/config.yaml."
    )


# --- trends ----------------------------------------------------------------------------------------------


def test_a_flat_trend_is_no_fall():
    assert judge_direction(0.0, "daalt", QUALIFIERS) == "contradicts"
    assert judge_direction(-0.1, "daalt", QUALIFIERS) == "holds"


def test_a_qualifier_without_direction_is_no_trend():
    with pytest.raises(RegistryError) as e:
        judge_direction(1.0, "ruim", QUALIFIERS)
    assert str(e.value) == "qualifier 'ruim' has no direction; a trend needs 'stijgt' or 'daalt'."


# --- the claim's scale -----------------------------------------------------------------------------------


def test_a_wording_of_one_has_scale_one():
    # "1 procent" with value 1: scale 1 / 1 = 1 = 10^0
    assert claim_scale(read_wording("1 procent"), 1.0, "c") == 1.0


def test_a_wording_of_zero_is_refused():
    with pytest.raises(RegistryError) as e:
        claim_scale(read_wording("0 procent"), 0.0, "claim z")
    assert str(e.value) == "claim z: the wording '0 procent' names zero."


def test_a_value_of_zero_matches_no_wording():
    # value 0 against "39 procent": scale 0 is no power of ten; the message suggests 39 or 39 / 1000
    with pytest.raises(RegistryError) as e:
        claim_scale(read_wording("39 procent"), 0.0, "c")
    assert str(e.value) == (
        "c: value 0.0 does not match the wording '39 procent' (which names 39); state the value in the "
        "claim's unit, e.g. 39 or 0.039 for a unit of '× 1.000 ...'."
    )


# --- writing the phrase anew -----------------------------------------------------------------------------

PHRASES = [
    # "twee" steps by a half (500.000): 2,6 miljoen floors to 2,5 miljoen, in words "tweeënhalf"
    ("ruim twee miljoen", 2_600_000, "ruim tweeënhalf miljoen"),
    # 4,95 keer: whole 4, and 4,95 >= 5 - 0,1: bijna the next verb, vervijfvoudigd
    ("verdubbeld", 4.95, "bijna vervijfvoudigd"),
    # 1 / 0,9 = 1,1 rounds to 1: one in one
    ("een op de vijf", 0.9, "een op de een"),
    # 1 / 0,05 = 20: beyond tien, written in digits
    ("een op de vijf", 0.05, "een op de 20"),
    # "ruim de helft" admits under 0,6 only; 0,6 and 0,7 are written in whole percents
    ("de helft", 0.6, "60 procent"),
    ("de helft", 0.7, "70 procent"),
    # "bijna de helft" admits 0,4 itself
    ("de helft", 0.4, "bijna de helft"),
    # "bijna 40 procent": step 10 (trailing zero); 38,2 ceils to 40, 41 to 50
    ("bijna 40 procent", 38.2, "bijna 40 procent"),
    ("bijna 40 procent", 41, "bijna 50 procent"),
    # 1,5e-9 under 1 is more than the hair (1e-9 below 1): still "bijna"; same above 1 for "ruim"
    ("bijna 1 procent", 1 - 1.5e-9, "bijna 1 procent"),
    ("ruim 1 procent", 1 + 1.5e-9, "ruim 1 procent"),
    # 0,0001 from 2 miljoen is within the hair (2e-3 at two million): the number itself
    ("bijna 2 miljoen", 1_999_999.9999, "2 miljoen"),
    ("ruim 2 miljoen", 2_000_000.0001, "2 miljoen"),
    # "39 procent" rounds 1,2 to 1: written as the step's whole number
    ("39 procent", 1.2, "1 procent"),
    # 0,3 rounds to 0: the value itself, to two decimals
    ("39 procent", 0.3, "0,30 procent"),
]


@pytest.mark.parametrize(
    ("words", "value", "expected"),
    PHRASES,
    ids=[f"{w}@{v}-{e}".encode("ascii", "replace").decode() for w, v, e in PHRASES],
)
def test_a_phrase_is_written_anew_exactly(words, value, expected):
    assert phrase_for(value, read_wording(words), 1.0, QUALIFIERS) == expected


def test_a_step_a_hair_under_one_takes_no_decimals():
    # float noise (a stated step divided by the scale) can make a step of 1 into 0,9999999999990:
    # written with no decimals, as 1 is
    assert _decimals(1 - 1e-12) == 0
    assert _decimals(0.1) == 1
    assert _decimals(0.05) == 2


def test_a_phrase_is_replaced_at_its_first_place():
    # the first "de helft" is at the sentence's start: replaced there, with its capital
    assert replace_phrase("De helft zegt ja, de helft nee", "de helft", "ruim de helft") == (
        "Ruim de helft zegt ja, de helft nee"
    )
    with pytest.raises(RegistryError) as e:
        replace_phrase("Ruim een miljoen mensen", "twee miljoen", "x")
    assert str(e.value) == "the wording 'twee miljoen' is not in the quote 'Ruim een miljoen mensen'."


@pytest.mark.parametrize(
    ("words", "value", "expected"),
    [
        # "300" in steps of 100: 10 rounds to 0, so the figure itself, a count of ten or more without
        # decimals, one under ten with two; "ongeveer" and "circa" stay, they admit the figure itself
        ("300", 10, "10"),
        ("300", 9.99, "9,99"),
        ("ongeveer 300", 10, "ongeveer 10"),
        ("circa 300", 9.5, "circa 9,50"),
    ],
    ids=["count-10", "count-9.99", "ongeveer-10", "circa-9.5"],
)
def test_a_figure_that_rounds_to_nothing_is_written_as_itself(words, value, expected):
    assert phrase_for(value, read_wording(words), 1.0, QUALIFIERS) == expected


# --- issue 24: white space and ranges in the dossier's number words ----------------------------------------


@pytest.mark.parametrize("space", ["\u00a0", "\t", "\u202f"], ids=["nbsp", "tab", "narrow-nbsp"])
def test_any_white_space_reads_like_a_plain_space(space):
    # "1,2 miljoen mensen": 1.200.000 in steps of 100.000 (its last digit, times the miljoen), tail
    # "mensen"; a non-breaking space or a tab anywhere in it must give the same reading (text as written)
    for written in (f"1,2{space}miljoen{space}mensen", f"1,2 miljoen{space}mensen", f"1,2{space}miljoen"):
        tail = "mensen" if written.endswith("mensen") else ""
        assert read_wording(written) == Reading(
            written, "exact", 1_200_000.0, 100_000.0, "digits", magnitude="miljoen", tail=tail
        )
    # in words and after a qualifier: "ruim een miljoen" is 1.000.000, a round word stepping by 500.000
    # up (anderhalf) and 100.000 down (negenhonderdduizend)
    written = f"ruim{space}een{space}miljoen"
    assert read_wording(written) == Reading(
        written, "ruim", 1_000_000.0, 500_000.0, "words", magnitude="miljoen", step_down=100_000.0
    )


def test_a_phrase_with_odd_spaces_is_found_in_its_quote():
    # the proposal normalises the quote's spaces; the wording as the registry holds it is still found
    assert replace_phrase("Ruim een miljoen mensen", "ruim een\u00a0miljoen", "ongeveer 1,2 miljoen") == (
        "Ongeveer 1,2 miljoen mensen"
    )


@pytest.mark.parametrize(
    ("words", "low", "high", "step", "tail"),
    [
        # the lower end names no magnitude: it takes the upper end's ("1 tot 2 miljoen" is 1 up to 2
        # million); the upper end, 2 miljoen, steps by its last digit: 1 miljoen
        ("1 tot 2 miljoen", 1_000_000.0, 2_000_000.0, 1_000_000.0, ""),
        ("1,5 tot 2 miljoen mensen", 1_500_000.0, 2_000_000.0, 1_000_000.0, "mensen"),
        # a lower end already larger than the upper's bare number is a full number: 500.000, not 500.000
        # million
        ("500.000 tot 1 miljoen", 500_000.0, 1_000_000.0, 1_000_000.0, ""),
        # number words on both sides (issue 24c): 2 up to 3 million; "drie" is a round word with lead 1,
        # stepping by a half: 500.000
        ("twee tot drie miljoen", 2_000_000.0, 3_000_000.0, 500_000.0, ""),
        ("ongeveer twee tot drie miljoen mensen", 2_000_000.0, 3_000_000.0, 500_000.0, "mensen"),
        # "een" as the lower end of a range is a number, not an article
        ("een tot twee miljoen", 1_000_000.0, 2_000_000.0, 500_000.0, ""),
        # words without a magnitude: 100 up to 200 euro; "tweehonderd" is round with lead 100: step 50
        ("honderd tot tweehonderd euro", 100.0, 200.0, 50.0, "euro"),
    ],
)
def test_a_range_reads_both_ends(words, low, high, step, tail):
    magnitude = "miljoen" if "miljoen" in words else ""
    assert read_wording(words) == Reading(words, "range", high, step, "range", low, False, magnitude, tail)

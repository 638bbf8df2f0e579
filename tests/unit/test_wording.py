"""The dossier's wording read with its precision: every qualifier on hand-worked cases at both edges.

Each band below is worked out by hand from the rule in config/config.yaml: the step is the unit of the
number's last significant digit as written (or, for a round number in words, the next step a writer
names), and a qualifier admits X + low * step up to X + high * step.
"""

import pytest
import yaml
from conftest import ROOT

from dossiercheck.errors import RegistryError
from dossiercheck.status import overall_status
from dossiercheck.wording import band, claim_scale, judge, judge_direction, phrase_for, read_wording

QUALIFIERS = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]


def verdict(words: str, value: float, claim_value: float | None = None) -> str:
    r = read_wording(words)
    scale = 1.0 if claim_value is None else claim_scale(r, claim_value, "test")
    return judge(value, band(r, scale, QUALIFIERS))


# (wording, value just inside, value just outside) at the low edge, then at the high edge
EDGES = [
    # "ruim een miljoen": above 1 million, under anderhalf miljoen
    (
        "ruim een miljoen",
        [(1_000_001, "holds"), (1_000_000, "contradicts"), (1_499_999, "holds"), (1_500_000, "contradicts")],
    ),
    # "een kleine 1,4 miljoen": step 0,1 miljoen: 1,3 up to (not including) 1,4 miljoen
    (
        "een kleine 1,4 miljoen",
        [(1_300_000, "holds"), (1_299_999, "contradicts"), (1_399_999, "holds"), (1_400_000, "contradicts")],
    ),
    # "bijna een miljoen": below a leading 1 the next name is 900.000
    (
        "bijna een miljoen",
        [(900_000, "holds"), (899_999, "contradicts"), (999_999, "holds"), (1_000_000, "contradicts")],
    ),
    # "ongeveer 7 miljoen": step 1 miljoen, half of it either side
    (
        "ongeveer 7 miljoen",
        [(6_500_000, "holds"), (6_499_999, "contradicts"), (7_499_999, "holds"), (7_500_000, "contradicts")],
    ),
    # "39 procent": 38,5 rounds to 39, 39,5 to 40
    ("39 procent", [(38.5, "holds"), (38.49, "contradicts"), (39.49, "holds"), (39.5, "contradicts")]),
    # "bijna verdubbeld": at least 1,9 and under 2
    ("bijna verdubbeld", [(1.9, "holds"), (1.89, "contradicts"), (1.999, "holds"), (2.0, "contradicts")]),
    # "twee keer vaker" (a ratio of two survey rates): twee in words steps by a half: 1,75 .. 2,25
    ("twee keer vaker", [(1.75, "holds"), (1.74, "contradicts"), (2.24, "holds"), (2.25, "contradicts")]),
    # "26.600": the last significant digit is the hundreds: 26.550 .. 26.650
    ("26.600", [(26_550, "holds"), (26_549, "contradicts"), (26_649, "holds"), (26_650, "contradicts")]),
    # "70 procent": trailing zero taken as rounding: step 10, 65 .. 75
    ("70 procent", [(65, "holds"), (64.9, "contradicts"), (74.9, "holds"), (75, "contradicts")]),
    # "Zesenvijftig procent" in words, not a round word: step 1
    (
        "Zesenvijftig procent",
        [(55.5, "holds"), (55.4, "contradicts"), (56.4, "holds"), (56.5, "contradicts")],
    ),
    # "Tweeënhalf miljoen": a half in words steps by a half: 2,25 .. 2,75 miljoen
    (
        "Tweeënhalf miljoen",
        [(2_250_000, "holds"), (2_249_999, "contradicts"), (2_749_999, "holds"), (2_750_000, "contradicts")],
    ),
    # "Een op de vijf": 1/5, up to the next named fraction (een op de zes): 0,2 ± (1/5 - 1/6)/2
    (
        "Een op de vijf",
        [(0.2 - 1 / 60, "holds"), (0.183, "contradicts"), (0.2166, "holds"), (0.2 + 1 / 60, "contradicts")],
    ),
    # "ruim de helft": above 50 percent, under 60
    ("ruim de helft", [(0.5001, "holds"), (0.5, "contradicts"), (0.5999, "holds"), (0.6, "contradicts")]),
    # "bijna de helft": 40 up to 50 percent
    ("Bijna de helft", [(0.4, "holds"), (0.3999, "contradicts"), (0.4999, "holds"), (0.5, "contradicts")]),
    # "ruim een half miljoen": above 500.000, under 600.000
    (
        "ruim een half miljoen",
        [(500_001, "holds"), (500_000, "contradicts"), (599_999, "holds"), (600_000, "contradicts")],
    ),
    # "niet boven de 30 procent": 30 or less, no lower bound
    ("niet boven de 30 procent", [(-1e9, "holds"), (30, "holds"), (30.01, "contradicts")]),
    # "minstens 19 procent": 19 or more
    ("minstens 19 procent", [(19, "holds"), (18.99, "contradicts"), (1e9, "holds")]),
    # "meer dan anderhalf keer": above 1,5
    ("meer dan anderhalf keer", [(1.5001, "holds"), (1.5, "contradicts"), (1e9, "holds")]),
    # "minder dan 30 procent": under 30
    ("minder dan 30 procent", [(29.99, "holds"), (30, "contradicts")]),
    # "ongeveer 100 tot 200 euro": the range itself, both ends included
    (
        "ongeveer 100 tot 200 euro",
        [(100, "holds"), (99.99, "contradicts"), (200, "holds"), (200.01, "contradicts")],
    ),
    # "circa 200 tot bijna 500 euro": 200 up to, not including, 500
    (
        "circa 200 tot bijna 500 euro",
        [(200, "holds"), (199.99, "contradicts"), (499.99, "holds"), (500, "contradicts")],
    ),
]


# ids in ASCII: pytest escapes "ë" in an id, and a tool that passes the id back (mutmut) is not found
@pytest.mark.parametrize(
    ("words", "cases"), EDGES, ids=[w.encode("ascii", "replace").decode() for w, _ in EDGES]
)
def test_every_qualifier_at_both_edges(words, cases):
    for value, expected in cases:
        assert verdict(words, value) == expected, (words, value)


def test_bands_are_read_in_the_claims_unit():
    # "ruim een miljoen" in a claim counting × 1.000 personen (value 1000): 1000 < v < 1500
    assert verdict("Ruim een miljoen", 1217, claim_value=1000) == "holds"  # 2025: 1.217.000 people
    assert verdict("Ruim een miljoen", 1500, claim_value=1000) == "contradicts"
    # "de helft" as 50 (%): step 10 procentpunt
    assert verdict("Bijna de helft", 40, claim_value=50) == "holds"
    with pytest.raises(RegistryError, match="does not match the wording"):
        claim_scale(read_wording("Ruim een miljoen"), 1200, "claim x")


def test_phrases_that_name_no_number_are_refused():
    with pytest.raises(ValueError, match="cannot read a number"):
        read_wording("een groeiende groep")


def test_trend_direction():
    assert judge_direction(-3.2, "daalt", QUALIFIERS) == "holds"
    assert judge_direction(0.5, "daalt", QUALIFIERS) == "contradicts"
    assert judge_direction(0.5, "stijgt", QUALIFIERS) == "holds"
    assert judge_direction(0.0, "stijgt", QUALIFIERS) == "contradicts"  # flat is no rise


@pytest.mark.parametrize(
    ("words", "value", "expected"),
    [
        # the newest house-price multiple 2,36: no longer "bijna", but above 2
        ("bijna verdubbeld", 2.36, "meer dan verdubbeld"),
        ("bijna verdubbeld", 1.95, "bijna verdubbeld"),
        ("bijna verdubbeld", 2.95, "bijna verdrievoudigd"),
        # 39,6 percent, written to the unit as the dossier did
        ("39 procent", 39.6, "40 procent"),
        # 8,27 million households at the dossier's precision (1 miljoen)
        ("ongeveer 7 miljoen", 8_269_560, "ongeveer 8 miljoen"),
        # a bijna/een kleine figure: the next step above the value
        ("een kleine 1,4 miljoen", 1_520_000, "een kleine 1,6 miljoen"),
        # ruim: the step below the value; in words where the dossier used words
        ("ruim een miljoen", 1_600_000, "ruim anderhalf miljoen"),
        ("ruim een miljoen", 2_100_000, "ruim twee miljoen"),
        ("twee keer vaker", 1.55, "anderhalf keer vaker"),
        ("Een op de vijf", 0.25, "een op de vier"),
        ("Bijna de helft", 0.55, "ruim de helft"),
    ],
)
def test_phrase_for_a_new_value_keeps_style_and_holds(words, value, expected):
    r = read_wording(words)
    new = phrase_for(value, r, 1.0, QUALIFIERS)
    assert new == expected
    # the proposed phrase must itself admit the value it describes
    assert judge(value, band(read_wording(new), 1.0, QUALIFIERS)) == "holds"


@pytest.mark.parametrize(
    ("dossier", "newest", "newer", "revised", "status"),
    [
        ("holds", "contradicts", True, False, "outdated"),
        ("holds", "holds", True, False, "newer_data_confirms"),
        ("holds", "holds", False, False, "holds"),
        ("contradicts", "holds", True, False, "differs_from_source"),  # the dossier was off, not the source
        ("contradicts", "contradicts", False, False, "differs_from_source"),
        ("holds", "contradicts", True, True, "revised"),  # a revision outranks everything
        ("contradicts", "contradicts", True, True, "revised"),
    ],
)
def test_status_precedence(dossier, newest, newer, revised, status):
    assert overall_status(dossier, newest, newer, revised) == status


def test_a_claim_may_state_its_own_step_or_band_and_the_registry_checks_the_wording():
    from dossiercheck.claims import claim_band

    claim = {"id": "c", "quote": "Ruim een miljoen mensen ...", "wording": "Ruim een miljoen", "value": 1000}
    # read from the wording, in × 1.000: 1000 < v < 1500
    _, _, b, step = claim_band(claim, QUALIFIERS)
    assert (b.low, b.high, step) == (1000, 1500, 500)
    # a step of 100 (× 1.000) stated in the claim: ruim admits 1000 < v < 1100
    _, _, b, step = claim_band(dict(claim, step=100, band_reason="r"), QUALIFIERS)
    assert (b.low, b.high, step) == (1000, 1100, 100) and b.contains(1099) and not b.contains(1100)
    # a band stated outright wins over the qualifier
    _, _, b, _ = claim_band(dict(claim, band={"low": 900, "high": 1300}, band_reason="r"), QUALIFIERS)
    assert b.contains(900) and not b.contains(1300)
    with pytest.raises(RegistryError, match="is not in the quote"):
        claim_band(dict(claim, wording="ruim twee miljoen"), QUALIFIERS)
    with pytest.raises(RegistryError, match="disagrees with the wording"):
        claim_band(dict(claim, qualifier="bijna"), QUALIFIERS)


def test_proposed_sentence_for_a_trend_that_turned():
    from dossiercheck.claims import suggested_wording

    claim = {
        "quote": "hoewel het aantal mensen zonder woning volgens de officiële cijfers van het CBS aan het dalen is",
        "unit": "× 1.000 personen per jaar",
        "qualifier": "daalt",
    }
    # a slope of +0,5 (× 1.000 personen per jaar) is 500 people a year more
    assert suggested_wording(claim, 0.5, "2024", "CBS", QUALIFIERS) == (
        "hoewel het aantal mensen zonder woning volgens de officiële cijfers van het CBS niet meer aan het "
        "dalen is (helling +500 personen per jaar, 2024; CBS)."
    )
    # a slope that still goes the written way keeps the word; the figure is added
    assert suggested_wording(claim, -0.5, "2024", "CBS", QUALIFIERS) == (
        "hoewel het aantal mensen zonder woning volgens de officiële cijfers van het CBS aan het dalen is "
        "(helling −500 personen per jaar, 2024; CBS)."
    )


def _registry_file(tmp_path, *claims):
    path = tmp_path / "01_inkomen.yaml"
    path.write_text(yaml.safe_dump({"theme": "01_inkomen", "claims": list(claims)}, allow_unicode=True))
    return path


CSM = {
    "id": "csm",
    "quote": "Een paar kan te maken krijgen met een tekort van circa 200 tot bijna 500 euro per maand.",
    "wording": "circa 200 tot bijna 500 euro",
    "value": 500,
    "value_low": 200,
    "recomputable": False,
}


def test_a_range_states_both_ends_as_the_wording_does(tmp_path):
    from dossiercheck.claims import load_registry

    load_registry(_registry_file(tmp_path, CSM))  # 200 and 500, as written
    with pytest.raises(RegistryError, match="state its lower end as 'value_low' \\(200\\)"):
        load_registry(_registry_file(tmp_path, {k: v for k, v in CSM.items() if k != "value_low"}))
    with pytest.raises(RegistryError, match="value_low 150 does not match"):
        load_registry(_registry_file(tmp_path, dict(CSM, value_low=150)))
    with pytest.raises(RegistryError, match="only for a range"):
        load_registry(
            _registry_file(
                tmp_path,
                dict(
                    CSM, quote="Ruim een miljoen mensen.", wording="Ruim een miljoen", value=1e6, value_low=1
                ),
            )
        )


def test_a_comparison_without_a_number_and_a_cross_check_name_what_they_need(tmp_path):
    from dossiercheck.claims import judge_comparison, load_registry

    vaker = {
        "id": "ouderen",
        "quote": "dat ouderen gemiddeld vaker eenzaam zijn",
        "qualifier": "meer_dan",
        "compare_to": 1,
        "recomputable": False,
    }
    load_registry(_registry_file(tmp_path, vaker))
    with pytest.raises(RegistryError, match="needs qualifier meer_dan"):
        load_registry(_registry_file(tmp_path, dict(vaker, qualifier="stijgt")))
    # "vaker": a ratio above 1; equal is not "vaker"; "op een lager niveau": below 1
    assert judge_comparison(1.19, "meer_dan", 1) == "holds"
    assert judge_comparison(1.0, "meer_dan", 1) == "contradicts"
    assert judge_comparison(0.62, "minder_dan", 1) == "holds"
    assert judge_comparison(1.01, "minder_dan", 1) == "contradicts"
    check = dict(vaker, id="check", cross_check_of="ouderen")
    load_registry(_registry_file(tmp_path, vaker, check))
    with pytest.raises(RegistryError, match="cross_check_of 'ouderen2' is not another claim"):
        load_registry(_registry_file(tmp_path, vaker, dict(check, cross_check_of="ouderen2")))


def test_a_proposal_falls_back_to_a_rounded_figure_when_the_round_word_cannot_hold():
    from dossiercheck.claims import claim_band, suggested_wording

    claim = {
        "id": "x",
        "quote": "Een miljoen mensen heeft geen toegang tot de arbeidsmarkt",
        "wording": "Een miljoen",
        "value": 1000,
        "unit": "× 1.000 personen",
    }
    reading, scale, _, _ = claim_band(claim, QUALIFIERS)
    # 684.000: the round words next to it ("een half miljoen": 450.000 up to 550.000) do not admit it;
    # "ongeveer 700.000" (one digit, step 100.000: 650.000 up to 750.000) does; a count of more than one
    # takes the plural verb ("hebben", not the dossier's "heeft")
    assert suggested_wording(claim, 684.0, "2025", "CBS", QUALIFIERS, reading, scale) == (
        "Ongeveer 700.000 mensen hebben geen toegang tot de arbeidsmarkt (684.000 personen, 2025; CBS)."
    )


@pytest.mark.parametrize(
    ("text", "number", "step", "form", "magnitude", "tail"),
    [
        ("de helft van de huishoudens", 0.5, 0.1, "fraction", "", "van de huishoudens"),
        ("een half miljoen", 500_000, 100_000, "words", "miljoen", ""),  # next named: 600.000
        ("1,4 miljoen", 1_400_000, 100_000, "digits", "miljoen", ""),
        ("26.600", 26_600, 100, "digits", "", ""),  # trailing zeros read as rounding
        ("39 procent", 39, 1, "digits", "", "procent"),
        ("verdubbeld", 2, 0.1, "multiplier", "", ""),
    ],
)
def test_how_a_number_in_a_phrase_is_read(text, number, step, form, magnitude, tail):
    r = read_wording(text)
    assert (r.number, r.form, r.magnitude, r.tail) == (pytest.approx(number), form, magnitude, tail)
    assert r.step == pytest.approx(step)


def test_one_in_n_and_its_step():
    r = read_wording("een op de vijf Nederlanders")
    # 1/5 = 0,2; the next a writer names is one in six: a step of 1/5 − 1/6 = 1/30
    assert (r.number, r.form, r.tail) == (pytest.approx(0.2), "one_in", "Nederlanders")
    assert r.step == pytest.approx(1 / 30)


def test_bands_describe_themselves_in_dutch():
    from dossiercheck.wording import Band

    euro = lambda v: f"{v:g} euro"  # noqa: E731
    assert Band(1, 2, True, False).describe(euro) == "minstens 1 en minder dan 2 euro"  # the unit once
    assert Band(1, 2, False, True).describe(euro) == "meer dan 1 en hoogstens 2 euro"
    assert Band(None, 5, True, True).describe(euro) == "hoogstens 5 euro"
    assert Band(3, None, False, False).describe(euro) == "meer dan 3 euro"
    assert Band(None, None).describe(euro) == "elke waarde"
    assert Band(1, 2).describe(lambda v: f"{v:g}") == "minstens 1 en minder dan 2"
    # contains: both edges as the band says
    assert Band(1, 2, True, False).contains(1) and not Band(1, 2, True, False).contains(2)
    assert not Band(1, 2, False, True).contains(1) and Band(1, 2, False, True).contains(2)
    assert Band(None, 2, True, True).contains(-1e9) and Band(1, None).contains(1e9)


@pytest.mark.parametrize(
    ("words", "value", "expected"),
    [
        ("een op de vijf", 0.25, "een op de vier"),  # 1/0,25 = 4
        ("Een op de vijf Nederlanders", 0.25, "een op de vier Nederlanders"),  # the tail as written
        ("een op de vijf", 0.0, "geen"),
        ("de helft", 0.55, "ruim de helft"),
        ("de helft", 0.45, "bijna de helft"),
        ("de helft", 0.5, "de helft"),
        ("de helft", 0.3, "30 procent"),
        ("verdubbeld", 2.5, "meer dan verdubbeld"),
        ("verdubbeld", 2.0, "verdubbeld"),
        ("een kleine 1,4 miljoen", 1_400_000, "1,4 miljoen"),  # exactly the number: no "een kleine"
        ("ruim een miljoen", 2_000_000, "twee miljoen"),  # exactly: no "ruim"
        # a bound that no longer holds: the figure itself, at the bound's precision (steps of ten)
        ("meer dan 30 procent", 22, "20 procent"),
        ("circa 200 euro", 260, "circa 300 euro"),  # steps of 100
    ],
)
def test_phrases_written_anew_in_each_form(words, value, expected):
    assert phrase_for(value, read_wording(words), 1.0, QUALIFIERS) == expected

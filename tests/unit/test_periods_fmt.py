from datetime import date

import pytest

from dossiercheck.fmt import nl_number, nl_percent, nl_signed
from dossiercheck.periods import label_nl, period_kind, period_start


@pytest.mark.parametrize(
    ("code", "kind", "start"),
    [
        ("2023JJ00", "JJ", date(2023, 1, 1)),
        ("2023KW03", "KW", date(2023, 7, 1)),
        ("2023MM10", "MM", date(2023, 10, 1)),
        ("2023HJ02", "HJ", date(2023, 7, 1)),
    ],
)
def test_period_codes(code, kind, start):
    assert period_kind(code) == kind
    assert period_start(code) == start


@pytest.mark.parametrize("bad", ["2023MM13", "2023KW05", "2023", "2023JJ01", " 2023MM01", "2023mm01"])
def test_malformed_period_codes_are_refused(bad):
    with pytest.raises(ValueError, match="not a CBS period code"):
        period_kind(bad)


def test_dutch_labels():
    assert label_nl("2023MM10") == "oktober 2023"
    assert label_nl("2026KW01") == "1e kwartaal 2026"
    assert label_nl("2022JJ00") == "2022"


def test_dutch_number_formats():
    assert nl_number(26600) == "26.600"
    assert nl_number(1234567.891, 2) == "1.234.567,89"
    assert nl_percent(34.0) == "34,0%"
    assert nl_number(1.9527, 2) == "1,95"
    assert nl_signed(0.4085) == "+0,41"
    assert nl_signed(-1.5, 1) == "−1,5"
    assert nl_number(None) == "–"


@pytest.mark.parametrize(
    ("text", "code"),
    [("2015", "2015JJ00"), (" 2020-01 ", "2020MM01"), ("2023KW02", "2023KW02"), ("2012JJ00", "2012JJ00")],
)
def test_periods_as_files_write_them(text, code):
    from dossiercheck.periods import parse_period

    assert parse_period(text) == code


@pytest.mark.parametrize("bad", ["2020-13", "20", "jan 2020", ""])
def test_unreadable_periods_are_refused(bad):
    from dossiercheck.periods import parse_period

    with pytest.raises(ValueError):
        parse_period(bad)

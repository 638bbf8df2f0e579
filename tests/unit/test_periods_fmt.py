from datetime import date

import pytest

from dossiercheck.fmt import LOCALE, nl_number, nl_percent, nl_signed
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


@pytest.mark.parametrize("n", [0, 7, 999, 1000, 86705, 1_000_000, 1_234_567_890, -1, -26600, 2.0, -3.0])
def test_whole_numbers_are_written_as_babel_writes_them(n):
    # nl_number writes a whole number without Babel's locale data; the oracle is Babel's nl pattern itself
    from babel.numbers import format_decimal

    expected = format_decimal(n, format="#,##0", locale=LOCALE).replace("-", "−")
    assert nl_number(n) == expected
    assert nl_number(86705) == "86.705"  # by hand: groups of three, joined by a dot
    assert nl_number(-0.0) == "0"  # Babel writes '-0'; a page never shows a minus on nothing


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


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (999_999, "999.999 personen"),  # below a million: in full
        (1_000_000, "1 miljoen personen"),  # from a million on: in millions
        (1_160_000, "1,16 miljoen personen"),  # under ten million: two decimals
        (10_060_000, "10,1 miljoen personen"),  # from ten million: one decimal (10,06 rounds to 10,1)
        (100_600_000, "101 miljoen personen"),  # from a hundred million: none
        (-1_160_000, "−1,16 miljoen personen"),
    ],
)
def test_counts_as_an_editor_writes_them(value, text):
    from dossiercheck.fmt import editor_value

    assert editor_value(value, "personen") == text


def test_counts_in_thousands_and_signed_changes():
    from dossiercheck.fmt import editor_change, editor_value

    assert editor_value(1157, "× 1.000 personen") == "1,16 miljoen personen"  # 1.157 thousand
    assert editor_value(650, "× 1.000 personen") == "650.000 personen"
    assert editor_change(60, "× 1.000 personen") == "+60.000 personen"
    assert editor_change(-196.1, "× 1.000 personen") == "−196.100 personen"
    assert editor_change(0, "× 1.000 personen") == "±0 personen"
    assert editor_change(0.6, "%") == "+0,6 procentpunt"
    assert editor_change(-4.7, "% t.o.v. een jaar eerder") == "−4,7 procentpunt"
    # a claim counted in percentage points is written as a change in a percentage is: one decimal
    # (RIVM's 47,0% in 2020 against 39,6% in 2012 is 7,4 procentpunt, not 7,40)
    assert editor_value(47.0 - 39.6, "procentpunt sinds 2012") == "7,4 procentpunt sinds 2012"
    assert editor_change(47.0 - 39.6, "procentpunt") == "+7,4 procentpunt"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (8_269_560, "8.269.560"),
        (1000.4, "1.000"),  # from a thousand on: no decimals
        (999.5, "999,5"),  # from ten on: one
        (26.6, "26,6"),
        (10.0, "10"),  # a whole number: none
        (9.99, "9,99"),  # below ten: two
        (1.953, "1,95"),
        (-26.6, "−26,6"),
        (None, "–"),
    ],
)
def test_a_bare_figure_with_the_decimals_it_needs(value, text):
    from dossiercheck.fmt import nl_auto

    assert nl_auto(value) == text


def test_signs_and_missing_values():
    assert nl_signed(0) == "±0,00"
    assert nl_signed(-0.004, 2) == "−0,00"  # the sign is the value's, the digits are rounded
    assert nl_signed(None) == "–" and nl_percent(None) == "–"
    assert nl_percent(39.56) == "39,6%" and nl_percent(39.56, 2) == "39,56%"
    assert nl_number(-1234.5, 1) == "−1.234,5"


def test_period_labels_and_dates_in_dutch():
    from datetime import date

    from dossiercheck.periods import date_nl

    assert date_nl(date(2023, 10, 1)) == "1 oktober 2023"
    assert date_nl(date(2021, 1, 1)) == "1 januari 2021"  # its calendar year, not its ISO week's (2020)
    assert label_nl("2021MM01") == "januari 2021"  # likewise
    assert label_nl("2024KW04") == "4e kwartaal 2024"
    assert label_nl("2023HJ02") == "2e halfjaar 2023"
    assert label_nl("2023HJ01") == "1e halfjaar 2023"


def test_period_kinds_and_starts_at_their_edges():
    from dossiercheck.periods import parse_period

    assert period_kind("2023W012") == "W" and period_kind("2023X000") == "X0"
    assert period_start("2023KW01") == date(2023, 1, 1) and period_start("2023KW04") == date(2023, 10, 1)
    assert period_start("2023HJ01") == date(2023, 1, 1)
    assert period_start("2023MM12") == date(2023, 12, 1)
    assert parse_period("2023-12") == "2023MM12" and parse_period("2023-01") == "2023MM01"


@pytest.mark.parametrize(
    ("stamp", "text"),
    [
        ("2026-06-22T06:30:00+02:00", "22 juni 2026"),  # CBS's Modified, the day where it was stamped
        ("2026-12-02T06:26:43Z", "2 december 2026"),  # a snapshot's retrieved_at
        ("2023-10-01", "1 oktober 2023"),
        ("geen datum", "geen datum"),  # not a date: as it is
        (None, ""),
    ],
    ids=["cbs-modified", "retrieved-at", "date", "text", "none"],
)
def test_a_moment_as_a_reader_writes_it(stamp, text):
    from dossiercheck.periods import moment_nl

    assert moment_nl(stamp) == text


def test_a_bound_of_a_band_is_never_rounded():
    from dossiercheck.fmt import editor_value

    def editor_bound(v, unit):
        return editor_value(v, unit, exact=True)

    # "3,3 procent" admits 3,25 to 3,35: written with the second decimal it needs, not rounded to 3,2 / 3,3
    assert (editor_bound(3.25, "%"), editor_bound(3.35, "%")) == ("3,25%", "3,35%")
    # as a figure where that is exact: one decimal for a percentage, two below ten
    assert editor_bound(65.0, "% van de volwassenen") == "65,0% van de volwassenen"
    assert editor_bound(1.9, "keer het dieptepunt") == "1,90 keer het dieptepunt"
    assert editor_bound(12.25, "euro") == "12,25 euro"  # one decimal would round it
    assert editor_bound(950_000, "personen") == "950.000 personen"
    assert editor_bound(None, "%") == "–"

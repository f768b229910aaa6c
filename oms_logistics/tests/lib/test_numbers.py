import math

import pytest
from oms_lib import numbers
from oms_lib.problems import ParseError

parse = numbers.parse_number


def _error(*args):
    with pytest.raises(ParseError) as info:
        parse(*args)
    return info.value


@pytest.mark.parametrize("text, dec, thou, expected", [
    ("1.234,56", ",", ".", 1234.56),
    ("12,5", ",", "", 12.5),
    ("12,5", ",", ".", 12.5),
    ("1.234", ",", ".", 1234.0),
    ("1.234.567,5", ",", ".", 1234567.5),
    ("1,234.56", ".", ",", 1234.56),
    ("1234.56", ".", ",", 1234.56),
    ("12.5", ".", "", 12.5),
    ("1\u00a0234,56", ",", " ", 1234.56),
    ("1\u202f234\u202f567", ".", " ", 1234567.0),
    ("1 234,5", ",", " ", 1234.5),
    ("1'234.5", ".", "'", 1234.5),
    ("  +7 ", ".", "", 7.0),
    ("\u00a0-3\u00a0", ".", "", -3.0),
    ("\u22123", ".", "", -3.0),
    ("-1.234,5", ",", ".", -1234.5),
    (",5", ",", "", 0.5),
    ("5.", ".", "", 5.0),
    ("007", ".", "", 7.0),
    ("1e3", ".", "", 1000.0),
    ("-2.5E-1", ".", "", -0.25),
])
def test_valid_text(text, dec, thou, expected):
    assert parse(text, dec, thou) == pytest.approx(expected)


@pytest.mark.parametrize("text, dec, thou", [
    ("1,23,4", ".", ","),
    ("1,2345", ".", ","),
    ("12,34.5", ".", ","),
    ("1234,567", ".", ","),
    ("12.5", ",", ""),       # wrong decimal separator
    ("12.5", ",", "."),      # "." is a thousands separator here: bad grouping
    ("1.234 567,5", ",", "."),  # mixed separators
    ("1,234", ".", ""),      # no thousands separator configured
    ("1e3", ",", ""),        # scientific notation only with "."
    ("1e3", ",", "."),
    ("12,5x", ",", ""),
    ("abc", ".", ""),
    ("nan", ".", ""),
    ("inf", ".", ""),
    ("1e999", ".", ""),
    ("--3", ".", ""),
    ("+-3", ".", ""),
    ("-", ".", ""),
    ("3-", ".", ""),
    ("1 234", ".", ""),
    ("\u0663", ".", ""),     # Arabic-Indic digit
    (".", ".", ""),
])
def test_bad_text(text, dec, thou):
    error = _error(text, dec, thou)
    assert error.kind == "bad_number"
    assert error.params == {"value": text.strip()}


def test_bad_number_value_is_stripped_text():
    assert _error(" 12,5x ", ",", "").params == {"value": "12,5x"}


def test_cell_numbers_pass_through():
    assert parse(3) == 3.0 and type(parse(3)) is float
    assert parse(2.5, ",", ".") == 2.5
    assert parse(-4) == -4.0


@pytest.mark.parametrize("value", [True, False, math.nan, math.inf, object()])
def test_bad_cell_values(value):
    assert _error(value).kind == "bad_number"


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0"])
def test_empty_is_missing_value(value):
    error = _error(value)
    assert error.kind == "missing_value"
    assert error.params == {}


@pytest.mark.parametrize("dec, thou", [(",", ","), (".", "."), ("x", ""), (".", "_")])
def test_invalid_separator_configuration(dec, thou):
    with pytest.raises(ValueError) as info:
        parse("1", dec, thou)
    assert not isinstance(info.value, ParseError)

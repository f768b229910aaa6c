import pytest
from oms_lib import codes
from oms_lib.problems import ParseError

code = codes.cell_to_code


def _error(*args, **kwargs):
    with pytest.raises(ParseError) as info:
        code(*args, **kwargs)
    assert info.value.kind == "bad_code"
    return info.value


def test_text_kept_as_is():
    assert code("  aBc-01 ") == "aBc-01"
    assert code("0012") == "0012"
    assert code("12345678901234567890") == "12345678901234567890"  # text is safe


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty(value):
    assert code(value) == ""


def test_numbers():
    assert code(17850) == "17850"
    assert code(17850.0) == "17850"
    assert code(123456789012345) == "123456789012345"  # 15 digits: fine


@pytest.mark.parametrize("fmt, expected", [
    ("0000000000000", "0412345678905"),
    ('"0000000000000"', "0412345678905"),
    ("0000000000000;-0000000000000", "0412345678905"),
    ("\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0", "0412345678905"),
    ("General", "412345678905"),
    ("0", "412345678905"),
    ("0.00", "412345678905"),
    ("@", "412345678905"),
    ("", "412345678905"),
    (None, "412345678905"),
])
def test_zero_padding_formats(fmt, expected):
    assert code(412345678905, fmt) == expected


def test_zero_padding_float_value():
    assert code(123.0, "00000") == "00123"
    assert code(123, "00") == "123"


def test_more_than_15_digits_rejected():
    assert _error(1234567890123456).params == {"value": "1234567890123456"}
    assert _error(1.234567890123456e15).params == {"value": "1234567890123456"}
    _error(1234567890123460)  # what Excel keeps of a 16-digit code


def test_non_integral_and_odd_values_rejected():
    assert _error(12.5).params == {"value": "12.5"}
    _error(float("nan"))
    _error(float("inf"))
    _error(True)
    _error(object())


def test_strip_float_suffix():
    assert code("17850.0", strip_float_suffix=True) == "17850"
    assert code(" 17850.000 ", strip_float_suffix=True) == "17850"
    assert code("17850.0") == "17850.0"
    assert code("17850.5", strip_float_suffix=True) == "17850.5"
    assert code("A17850.0", strip_float_suffix=True) == "A17850.0"
    assert code("17850.", strip_float_suffix=True) == "17850."

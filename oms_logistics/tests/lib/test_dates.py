from datetime import date, datetime, timedelta

import pytest
from oms_lib import dates
from oms_lib.problems import ParseError

EPOCH_1904 = datetime(1904, 1, 1)


def _error(*args):
    with pytest.raises(ParseError) as info:
        dates.parse_date(*args)
    return info.value


def test_serial_1900_system():
    assert dates.parse_date(45000) == date(2023, 3, 15)
    assert type(dates.parse_date(45000)) is date
    assert dates.parse_date(45000.0) == date(2023, 3, 15)
    assert dates.parse_date(45000.5) == datetime(2023, 3, 15, 12, 0)
    assert dates.parse_date(45000.75, "%d/%m/%Y") == datetime(2023, 3, 15, 18, 0)
    # time fraction rounded to the millisecond, not 07:59:59.999999
    assert dates.parse_date(45000 + 1 / 3) == datetime(2023, 3, 15, 8, 0)


def test_serial_1904_system():
    assert dates.parse_date(45000, epoch=EPOCH_1904) == date(2027, 3, 16)
    assert dates.parse_date(0.0 + 1, epoch=EPOCH_1904) == date(1904, 1, 2)


def test_serial_early_1900_dates_follow_excel():
    assert dates.parse_date(1) == date(1900, 1, 1)
    assert dates.parse_date(59) == date(1900, 2, 28)
    assert dates.parse_date(61) == date(1900, 3, 1)
    assert _error(60).kind == "bad_date"  # Excel's fictitious 1900-02-29


@pytest.mark.parametrize("serial", [0, 0.5, -1, 2958466, float("nan"), float("inf")])
def test_serial_out_of_range(serial):
    error = _error(serial)
    assert error.kind == "bad_date"
    assert error.params == {"value": str(serial), "format": "%Y-%m-%d"}


def test_serial_max():
    assert dates.parse_date(2958465) == date(9999, 12, 31)
    assert _error(2958465, "%Y-%m-%d", EPOCH_1904).kind == "bad_date"  # overflows


def test_text_with_format():
    assert dates.parse_date("15/03/2023", "%d/%m/%Y") == date(2023, 3, 15)
    assert dates.parse_date(" 5/3/2023 ", "%d/%m/%Y") == date(2023, 3, 5)


def test_unreadable_text_date():
    error = _error("31/02/2024", "%d/%m/%Y")
    assert error.kind == "bad_date"
    assert error.params == {"value": "31/02/2024", "format": "%d/%m/%Y"}
    assert _error("15/03/2023").params == {"value": "15/03/2023", "format": "%Y-%m-%d"}
    assert _error("2024-02-30").kind == "bad_date"
    assert _error("45000").kind == "bad_date"


def test_iso_always_accepted():
    assert dates.parse_date("2023-03-15", "%d/%m/%Y") == date(2023, 3, 15)
    assert dates.parse_date("2023-03-15 10:30:00", "%d/%m/%Y") == datetime(2023, 3, 15, 10, 30)
    assert dates.parse_date("2023-03-15T10:30") == datetime(2023, 3, 15, 10, 30)
    assert dates.parse_date("2023-03-15 00:00:00") == date(2023, 3, 15)


def test_time_directives_give_datetime():
    fmt = "%d/%m/%Y %H:%M"
    assert dates.parse_date("15/03/2023 00:00", fmt) == datetime(2023, 3, 15)
    assert type(dates.parse_date("15/03/2023 00:00", fmt)) is datetime
    assert type(dates.parse_date(date(2023, 3, 15), fmt)) is datetime
    assert type(dates.parse_date(45000, fmt)) is datetime
    assert dates.format_has_time("%d/%m/%Y") is False
    assert dates.format_has_time("%d%%H") is False


def test_date_objects_pass_through():
    assert dates.parse_date(date(2023, 3, 15)) == date(2023, 3, 15)
    assert type(dates.parse_date(datetime(2023, 3, 15))) is date
    assert dates.parse_date(datetime(2023, 3, 15, 9, 5)) == datetime(2023, 3, 15, 9, 5)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_empty_is_missing_value(value):
    assert _error(value).kind == "missing_value"


@pytest.mark.parametrize("value", [True, timedelta(days=1), object()])
def test_other_types_rejected(value):
    assert _error(value).kind == "bad_date"

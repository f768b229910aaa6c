"""Date parsing for spreadsheet/CSV cells.

Return type rule (applies to every kind of source value): the result is a
``datetime.datetime`` when the value carries a time of day other than
midnight, or when ``fmt`` contains time directives (``%H %I %M %S %f %p %X
%c %z``); otherwise it is a ``datetime.date``.
"""
import math
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from .problems import ParseError

EPOCH_1900 = datetime(1899, 12, 30)  # Excel "1900 date system" (Windows)
EPOCH_1904 = datetime(1904, 1, 1)    # Excel "1904 date system" (old Mac)
MIN_SERIAL = 1
MAX_SERIAL = 2958465  # 9999-12-31 in the 1900 date system

_MIDNIGHT = time(0)
_MS_PER_DAY = 86_400_000

_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?)?",
    re.ASCII,
)
_TIME_DIRECTIVE = re.compile(r"%[HIMSfpXcz]")


@lru_cache(maxsize=64)
def format_has_time(fmt: str) -> bool:
    """Whether a strptime format contains time-of-day directives."""
    return _TIME_DIRECTIVE.search(fmt.replace("%%", "")) is not None


def _finish(result, with_time):
    """Apply the module's return-type rule to a datetime."""
    if with_time or result.time() != _MIDNIGHT or result.tzinfo is not None:
        return result
    return result.date()


def serial_to_datetime(serial, epoch=EPOCH_1900) -> datetime:
    """Convert an Excel serial number (days since ``epoch``, fraction = time)
    to a datetime.  Raises ``ValueError`` when out of range."""
    if not math.isfinite(serial) or not MIN_SERIAL <= serial <= MAX_SERIAL:
        raise ValueError(serial)
    days = int(serial)
    ms = round((serial - days) * _MS_PER_DAY)
    if days <= 60 and epoch == EPOCH_1900:
        # Excel's 1900 system counts a non-existent 1900-02-29 (serial 60).
        if days == 60:
            raise ValueError(serial)
        days += 1
    return epoch + timedelta(days=days, milliseconds=ms)


def parse_date(value, fmt="%Y-%m-%d", epoch=EPOCH_1900):
    """Return ``value`` as a ``date`` (or ``datetime``, see module docstring).

    * ``datetime``/``date`` values pass through (openpyxl already converts
      date-formatted cells with the workbook's date system).
    * ``int``/``float`` values are Excel serial numbers counted from
      ``epoch`` (1900 system: ``datetime(1899, 12, 30)``; 1904 system:
      ``datetime(1904, 1, 1)``); the fraction is the time of day.  Serials
      below 1 or above 2958465 are rejected.
    * Text is parsed with ``fmt`` (``time.strptime`` syntax), then as ISO
      ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS]`` (also with a ``T``).

    Raises ``ParseError("missing_value")`` for empty values and
    ``ParseError("bad_date", value=text, format=fmt)`` otherwise.
    """
    with_time = format_has_time(fmt)
    cls = type(value)
    if cls is str:
        text = value.strip()
        if not text:
            raise ParseError("missing_value")
        if fmt != "%Y-%m-%d":  # that one is handled by the ISO fast path
            try:
                return _finish(datetime.strptime(text, fmt), with_time)
            except ValueError:
                pass
        match = _ISO.fullmatch(text)
        if match is not None:
            y, m, d, hh, mi, ss, frac = match.groups()
            try:
                result = datetime(
                    int(y), int(m), int(d),
                    int(hh or 0), int(mi or 0), int(ss or 0),
                    int((frac or "0").ljust(6, "0")),
                )
            except ValueError:
                pass
            else:
                return _finish(result, with_time)
        raise ParseError("bad_date", value=text, format=fmt)
    if value is None:
        raise ParseError("missing_value")
    if isinstance(value, datetime):
        return _finish(value, with_time)
    if isinstance(value, date):
        return datetime.combine(value, _MIDNIGHT) if with_time else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            result = serial_to_datetime(value, _as_datetime(epoch))
        except (ValueError, OverflowError):
            raise ParseError("bad_date", value=str(value), format=fmt) from None
        return _finish(result, with_time)
    raise ParseError("bad_date", value=str(value), format=fmt)


def _as_datetime(epoch):
    if type(epoch) is datetime:
        return epoch
    if isinstance(epoch, date) and not isinstance(epoch, datetime):
        return datetime.combine(epoch, _MIDNIGHT)
    return epoch

"""Conversion of cells holding codes (customer refs, product codes,
barcodes...) to text, without losing leading zeros or precision."""
import math
import re
from decimal import Decimal
from functools import lru_cache

from .problems import ParseError

#: Excel keeps at most 15 significant digits: larger integers may already
#: have been rounded (a 16-digit code typed in Excel ends up with a 0).
MAX_DIGITS = 15

_FLOAT_SUFFIX = re.compile(r"([0-9]+)\.0+", re.ASCII)
_ZEROS = re.compile(r"0+", re.ASCII)


@lru_cache(maxsize=256)
def zero_pad_width(number_format) -> int:
    """Width of a zero-padding number format such as ``"0000000000000"``
    (first ``;`` section, quotes and backslash escapes ignored); 0 when the
    format is not made of zeros only."""
    if not number_format:
        return 0
    section = number_format.split(";", 1)[0].replace('"', "").replace("\\", "")
    return len(section) if _ZEROS.fullmatch(section) else 0


def cell_to_code(value, number_format="General", strip_float_suffix=False) -> str:
    """Return a cell value as code text.

    * ``None``/empty -> ``""``; text is stripped, never re-cased.
    * ``strip_float_suffix=True`` turns text like ``"17850.0"`` into
      ``"17850"`` (ids written as floats in CSV exports).
    * Integral numbers -> digits; when ``number_format`` is made of zeros
      (``"0000000000000"``) the text is zero-padded to that width.
    * Numbers with more than 15 digits, non-integral numbers, booleans and
      other types raise ``ParseError("bad_code", value=...)``.
    """
    cls = type(value)
    if cls is str:
        text = value.strip()
        if strip_float_suffix and text:
            match = _FLOAT_SUFFIX.fullmatch(text)
            if match is not None:
                return match.group(1)
        return text
    if value is None:
        return ""
    if cls is int:
        number = value
    elif cls is float or (isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)):
        if isinstance(value, Decimal):
            finite = value.is_finite()
        else:
            finite = math.isfinite(value)
        if not finite or value != int(value):
            raise ParseError("bad_code", value=repr(value) if cls is float else str(value))
        number = int(value)
    else:
        raise ParseError("bad_code", value=str(value))
    text = str(number)
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ParseError("bad_code", value=text)
    if number_format and number_format != "General":
        width = zero_pad_width(number_format)
        if width > len(text):
            text = text.zfill(width)
    return text

"""Locale-aware number parsing for spreadsheet/CSV cells.

Note: this module is named ``numbers`` like the stdlib module; it is only
ever imported relatively (``from . import numbers``), which is safe.
"""
import math
import re
from decimal import Decimal
from functools import cache

from .problems import ParseError

DECIMAL_SEPARATORS = (".", ",")
THOUSANDS_SEPARATORS = ("", ",", ".", " ", "'")

# Characters accepted for a configured thousands separator (space-like
# separators, typographic apostrophe used in Switzerland).
_THOUSANDS_ALIASES = {
    " ": " \u00a0\u202f",
    "'": "'\u2019",
}
_THOUSANDS_NORMALIZE = {"\u00a0": " ", "\u202f": " ", "\u2019": "'"}
_MINUS_SIGNS = ("-", "\u2212")  # ASCII hyphen-minus and Unicode minus sign

_SCIENTIFIC = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+", re.ASCII)


@cache
def _number_pattern(decimal_sep, thousands_sep):
    """Compiled pattern for an unsigned number with the given separators
    (cached: compiled once per separator pair)."""
    if decimal_sep not in DECIMAL_SEPARATORS:
        raise ValueError(f"unsupported decimal separator {decimal_sep!r}")
    thousands_sep = _THOUSANDS_NORMALIZE.get(thousands_sep, thousands_sep)
    if thousands_sep not in THOUSANDS_SEPARATORS:
        raise ValueError(f"unsupported thousands separator {thousands_sep!r}")
    accepted = _THOUSANDS_ALIASES.get(thousands_sep, thousands_sep)
    if thousands_sep and decimal_sep in accepted:
        raise ValueError("decimal and thousands separators must differ")
    dec = re.escape(decimal_sep)
    if thousands_sep:
        group = "[" + re.escape(accepted) + "]"
        # Either plain digits, or 1-3 digits followed by groups of exactly 3;
        # the separator used must be the same all along (backreference).
        int_part = rf"(?:[0-9]{{1,3}}(?P<sep>{group})[0-9]{{3}}(?:(?P=sep)[0-9]{{3}})*|[0-9]+)"
    else:
        int_part = "[0-9]+"
    return re.compile(rf"(?:{int_part}(?:{dec}[0-9]*)?|{dec}[0-9]+)", re.ASCII)


def validate_separators(decimal_sep, thousands_sep):
    """Raise ``ValueError`` for an unsupported separator configuration."""
    _number_pattern(decimal_sep, thousands_sep)


def parse_number(value, decimal_sep=".", thousands_sep=""):
    """Return ``value`` as a float.

    * ``int``/``float``/``Decimal`` cell values pass through (``bool`` is
      rejected, NaN and infinities too).
    * Text is stripped (spaces, nbsp), may start with ``+`` or ``-`` and must
      use exactly the configured separators: with ``decimal_sep=","`` and
      ``thousands_sep="."``, ``"1.234,56"`` gives ``1234.56`` and ``"1.234"``
      gives ``1234.0``.  Thousands separators must delimit groups of three
      digits.  ``thousands_sep=" "`` also accepts U+00A0 and U+202F;
      ``"'"`` also accepts U+2019.
    * Scientific notation (``"1e3"``) is accepted only when ``decimal_sep``
      is ``"."``.

    Raises ``ParseError("missing_value")`` for empty values and
    ``ParseError("bad_number", value=text)`` for anything else.
    """
    cls = type(value)
    if cls is float or cls is int:
        if cls is float and not math.isfinite(value):
            raise ParseError("bad_number", value=str(value))
        return float(value)
    if value is None:
        raise ParseError("missing_value")
    if cls is not str:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            result = float(value)
            if math.isfinite(result):
                return result
        raise ParseError("bad_number", value=str(value))

    text = value.strip()
    if not text:
        raise ParseError("missing_value")
    body = text
    negative = False
    first = body[0]
    if first == "+":
        body = body[1:]
    elif first in _MINUS_SIGNS:
        body = body[1:]
        negative = True

    match = _number_pattern(decimal_sep, thousands_sep).fullmatch(body)
    if match is not None:
        if thousands_sep:
            sep = match.group("sep")
            if sep:
                body = body.replace(sep, "")
        if decimal_sep != ".":
            body = body.replace(decimal_sep, ".")
    elif decimal_sep != "." or _SCIENTIFIC.fullmatch(body) is None:
        raise ParseError("bad_number", value=text)
    result = float(body)
    if not math.isfinite(result):  # e.g. "1e999"
        raise ParseError("bad_number", value=text)
    return -result if negative else result

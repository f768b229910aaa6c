"""Problem records and the exception raised by the cell parsers.

The library never builds user-facing sentences: a problem is a ``kind`` plus
``params`` so that the Odoo side can format a translated message.
"""
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

#: Every problem kind the library can produce.
KINDS = frozenset({
    "bad_number",         # text is not a number            params: value
    "zero_quantity",      # quantity is 0                    params: value
    "negative_quantity",  # negative qty on a non-return row params: value
    "bad_price",          # price is not a number            params: value
    "bad_date",           # not a date                       params: value, format
    "bad_code",           # number unusable as a code        params: value
    "missing_value",      # required target empty            params: target
    "missing_column",     # required target not mapped (file-level) params: target
    "unknown_column",     # column not in the mapping (file-level warning) params: index
    "cancellation",       # cancelled row (cancel_mode "report") params: value
    "non_product_code",   # product code listed as non-product params: value
    "duplicate_column",   # 2 columns mapped to one target (file-level) params: target, other
    "bad_flag",           # return flag not understood       params: value
    "bad_file",           # unreadable file (file-level)     params: reason[, encoding, sheet]
    "no_header",          # header row empty/missing (file-level) params: row
})


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found while reading or parsing a file.

    ``row`` is the 1-based row number in the file (``None`` for file-level
    problems); ``column`` is the header text as read from the file (``None``
    when no column is concerned); ``params`` is a tuple of ``(key, value)``
    pairs so that the object stays hashable.
    """
    row: "int | None"
    column: "str | None"
    kind: str
    severity: str = ERROR
    params: tuple = ()

    @property
    def params_dict(self) -> dict:
        return dict(self.params)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class ParseError(ValueError):
    """Raised by the cell parsers (numbers, dates, codes) and by the reader."""

    def __init__(self, kind: str, **params):
        super().__init__(kind, params)
        self.kind = kind
        self.params = params

    def __str__(self):
        if not self.params:
            return self.kind
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.kind}({args})"

    def __reduce__(self):  # picklable despite the keyword-only params
        return (_rebuild_parse_error, (self.kind, self.params))

    def to_problem(self, row=None, column=None, severity=ERROR, **extra) -> Problem:
        """Turn the error into a :class:`Problem` located at ``row``/``column``."""
        params = {**self.params, **extra} if extra else self.params
        return Problem(row, column, self.kind, severity, tuple(params.items()))


def _rebuild_parse_error(kind, params):
    return ParseError(kind, **params)

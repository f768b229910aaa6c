"""ORM-free helpers for the batch sales-order import (no Odoo imports here).

Pipeline:

1. ``reader.read_table(data, filename, ...)`` reads an uploaded XLSX/CSV
   file into a ``Table``: stripped header texts and, for every non-blank
   row, its real row number and raw ``Cell`` objects (value + Excel number
   format), plus the workbook date system (epoch).  Unreadable files raise
   ``problems.ParseError`` (kinds ``bad_file`` / ``no_header``).
2. ``mapping.parse_table(table, mapping, options)`` applies a
   ``{header: target}`` mapping (``mapping.guess_mapping`` proposes one) and
   ``ImportOptions`` (separators, date format, cancellations, non-product
   codes).  Each cell becomes a typed value (``numbers.parse_number``,
   ``dates.parse_date``, ``codes.cell_to_code``) or a ``problems.Problem``
   (row, column, kind, severity, params); the original text of every mapped
   cell is kept in ``ParsedRow.raw``.
3. The Odoo models (outside this package) resolve customers, products,
   units and warehouses through the ORM, and turn ``Problem.kind`` +
   ``params`` into translated messages.
"""
from . import codes, dates, mapping, numbers, problems, reader  # noqa: F401
from .problems import KINDS, ParseError, Problem  # noqa: F401

__all__ = ["codes", "dates", "mapping", "numbers", "problems", "reader",
           "KINDS", "ParseError", "Problem"]

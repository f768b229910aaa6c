"""Read an uploaded XLSX or CSV file into a :class:`Table` of raw cells."""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from .dates import EPOCH_1900
from .problems import ParseError

CSV_DELIMITERS = ",;\t|"
SNIFF_BYTES = 8192

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or a password-protected .xlsx
_XLSX_EXTENSIONS = (".xlsx", ".xlsm")
_FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(slots=True)
class Cell:
    value: object
    number_format: str = "General"


@dataclass
class Table:
    """Raw content of a sheet.

    ``rows`` holds ``(row_number, cells)`` pairs where ``row_number`` is the
    1-based row number in the file (record number for CSV) and ``cells`` is
    aligned with ``headers``.  Blank rows are not included.
    """
    headers: list
    rows: list = field(default_factory=list)
    epoch: datetime = EPOCH_1900
    sheet: "str | None" = None


def _is_blank(value):
    return value is None or (type(value) is str and not value.strip())


def _header_text(value):
    if value is None:
        return ""
    if type(value) is float and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _headers_from(values):
    headers = [_header_text(v) for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def read_table(data: bytes, filename: str, *, sheet=None, delimiter=None,
               encoding=None, header_row: int = 1) -> Table:
    """Read ``data`` (the raw file content: decode base64 attachment data
    first) into a :class:`Table`.

    The format is chosen from the extension of ``filename`` (``.xlsx``,
    ``.xlsm``) or the zip signature; anything else is read as CSV.

    Raises ``ParseError("bad_file", reason=...)`` with ``reason`` in
    ``"empty"``, ``"xls"``, ``"ods"``, ``"encrypted"``, ``"corrupt"``,
    ``"encoding"``, ``"binary"``, ``"sheet_not_found"`` (param ``sheet``),
    and ``ParseError("no_header", row=header_row)`` when the header row is
    missing or empty.
    """
    if header_row < 1:
        raise ValueError("header_row must be >= 1")
    if not data:
        raise ParseError("bad_file", reason="empty")
    name = (filename or "").lower()
    head = bytes(data[:8])
    if head == _OLE_MAGIC:
        reason = "encrypted" if name.endswith(_XLSX_EXTENSIONS) else "xls"
        raise ParseError("bad_file", reason=reason)
    if name.endswith(".xls"):
        raise ParseError("bad_file", reason="xls")
    if name.endswith((".ods", ".odt")):
        raise ParseError("bad_file", reason="ods")
    if name.endswith(_XLSX_EXTENSIONS) or head.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, sheet, header_row)
    return _read_csv(data, delimiter, encoding, header_row)


# -- XLSX --------------------------------------------------------------------

def _read_xlsx(data, sheet, header_row):
    import openpyxl  # imported lazily: CSV-only users do not pay for it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, XML errors... all mean "corrupt"
        raise ParseError("bad_file", reason="corrupt") from exc
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise ParseError("bad_file", reason="sheet_not_found", sheet=sheet)
            ws = wb[sheet]
        elif wb.worksheets:
            ws = wb.worksheets[0]
        else:
            raise ParseError("bad_file", reason="corrupt")
        epoch = wb.epoch
        if not isinstance(epoch, datetime) and isinstance(epoch, date):
            epoch = datetime(epoch.year, epoch.month, epoch.day)
        try:
            ws.reset_dimensions()  # never trust the file's <dimension> element
        except AttributeError:
            pass
        try:
            headers, rows = _xlsx_rows(ws, header_row)
        except ParseError:
            raise
        except Exception as exc:
            raise ParseError("bad_file", reason="corrupt") from exc
        return Table(headers=headers, rows=rows, epoch=epoch, sheet=ws.title)
    finally:
        wb.close()


def _xlsx_rows(ws, header_row):
    headers = None
    ncols = 0
    rows = []
    append = rows.append
    # With reset dimensions, openpyxl yields an empty tuple for each missing
    # row, so enumerate() gives the real row numbers.
    for number, raw in enumerate(ws.iter_rows(), start=1):
        if headers is None:
            if number == header_row:
                headers = _headers_from(c.value for c in raw)
                if not headers:
                    raise ParseError("no_header", row=header_row)
                ncols = len(headers)
            continue
        cells = []
        blank = True
        for c in raw[:ncols]:
            value = c.value
            if blank and not _is_blank(value):
                blank = False
            cells.append(Cell(value, c.number_format or "General"))
        if blank:
            continue
        if len(cells) < ncols:
            cells.extend(Cell(None) for _ in range(ncols - len(cells)))
        append((number, cells))
    if headers is None:
        raise ParseError("no_header", row=header_row)
    return headers, rows


# -- CSV ---------------------------------------------------------------------

def _decode(data, encoding):
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError("bad_file", reason="encoding", encoding=encoding) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel "Unicode text" export
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ParseError("bad_file", reason="encoding", encoding="utf-16") from None
    for candidate in _FALLBACK_ENCODINGS:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise ParseError("bad_file", reason="encoding", encoding=_FALLBACK_ENCODINGS[-1])


def sniff_delimiter(text: str) -> str:
    """Guess the delimiter among ``, ; TAB |`` from the start of ``text``."""
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # do not cut a line in two
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        pass
    # Fallback: the candidate occurring most in the first line.
    first_line = sample.split("\n", 1)[0]
    counts = [(first_line.count(d), d) for d in CSV_DELIMITERS]
    best = max(counts)
    return best[1] if best[0] else ","


def _read_csv(data, delimiter, encoding, header_row):
    text = _decode(bytes(data), encoding)
    if "\x00" in text:
        raise ParseError("bad_file", reason="binary")
    if not text.strip():
        raise ParseError("no_header", row=header_row)
    if not delimiter:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = None
    ncols = 0
    rows = []
    append = rows.append
    general = "General"
    try:
        for number, values in enumerate(reader, start=1):
            if headers is None:
                if number == header_row:
                    headers = _headers_from(values)
                    if not headers:
                        raise ParseError("no_header", row=header_row)
                    ncols = len(headers)
                continue
            if len(values) > ncols:
                values = values[:ncols]
            for value in values:
                if value and not value.isspace():
                    break
            else:
                continue  # blank row
            cells = [Cell(v, general) for v in values]
            if len(cells) < ncols:
                cells.extend(Cell(None) for _ in range(ncols - len(cells)))
            append((number, cells))
    except csv.Error as exc:
        raise ParseError("bad_file", reason="corrupt") from exc
    if headers is None:
        raise ParseError("no_header", row=header_row)
    return Table(headers=headers, rows=rows, epoch=EPOCH_1900, sheet=None)

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from oms_lib import mapping, reader
from oms_lib.problems import ParseError
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def _read_error(data, filename, **kwargs):
    with pytest.raises(ParseError) as info:
        reader.read_table(data, filename, **kwargs)
    return info.value


def _values(table):
    return [(number, [c.value for c in cells]) for number, cells in table.rows]


# -- XLSX ------------------------------------------------------------------------

def test_xlsx_openpyxl_structure(openpyxl_bytes):
    data = openpyxl_bytes(
        [
            [" Customer ", "Product", "Qty", None, None],
            ["C1", "P1", 2],
            [None, None, None],             # blank row (row 3)
            ["  ", None, " "],              # whitespace-only row (row 4)
            ["C2", "P2", 3, None, "extra"],  # cell beyond the headers: dropped
            ["C3"],                          # short row: padded
        ],
        title="Data",
    )
    table = reader.read_table(data, "orders.xlsx")
    assert table.headers == ["Customer", "Product", "Qty"]
    assert table.sheet == "Data"
    assert table.epoch == datetime(1899, 12, 30)
    assert _values(table) == [
        (2, ["C1", "P1", 2]),
        (5, ["C2", "P2", 3]),
        (6, ["C3", None, None]),
    ]
    assert all(isinstance(c, reader.Cell) for _, cells in table.rows for c in cells)


def test_xlsx_detected_by_magic_bytes(openpyxl_bytes):
    data = openpyxl_bytes([["a"], ["x"]])
    assert reader.read_table(data, "upload.bin").headers == ["a"]


def test_xlsx_keeps_number_format(openpyxl_bytes):
    data = openpyxl_bytes(
        [["Product"], [412345678905]], formats={(2, 1): "0000000000000"}
    )
    table = reader.read_table(data, "f.xlsx")
    cell = table.rows[0][1][0]
    assert cell.value == 412345678905
    assert cell.number_format == "0000000000000"


def test_xlsxwriter_workbook(xlsxwriter_bytes):
    data = xlsxwriter_bytes(
        [
            ["Customer", "Product", "Quantity", "Date", "Price", "Notes", ""],
            ["17850", 412345678905, 6, datetime(2023, 3, 15), 2.55, "x"],
            [None, None, None, None],
            [17850.0, 4123, 1.5, 45000, "3,5"],
        ],
        formats={(2, 2): "0000000000000", (4, 2): "0000000000000", (2, 4): "dd/mm/yyyy"},
    )
    table = reader.read_table(data, "orders.XLSX")
    assert table.headers == ["Customer", "Product", "Quantity", "Date", "Price", "Notes"]
    assert table.sheet == "Orders"
    assert [number for number, _ in table.rows] == [2, 4]
    result = mapping.parse_table(
        table,
        {"Customer": "customer", "Product": "product", "Quantity": "quantity",
         "Date": "date", "Price": "price", "Notes": "ignore"},
        mapping.ImportOptions(decimal_sep=","),
    )
    assert result.problems == []
    first, second = result.rows
    assert first.values == {
        "customer": "17850", "product": "0412345678905", "quantity": 6.0,
        "date": date(2023, 3, 15), "price": 2.55,
    }
    assert second.values["customer"] == "17850"
    assert second.values["product"] == "0000000004123"
    assert second.values["date"] == date(2023, 3, 15)  # serial in a General cell
    assert second.values["price"] == 3.5
    assert second.raw["price"] == "3,5"
    assert second.raw["customer"] == "17850"  # XlsxWriter stores 17850.0 as 17850


def _date_workbook(openpyxl_bytes, epoch=None):
    return openpyxl_bytes(
        [
            ["Customer", "Product", "Quantity", "Date"],
            ["C1", "P1", 1, datetime(2024, 2, 29)],   # date-formatted cell
            ["C1", "P1", 1, 45000],                     # serial in a General cell
            ["C1", "P1", 1, datetime(2024, 2, 29, 13, 45)],
        ],
        formats={(2, 4): "yyyy-mm-dd", (4, 4): "yyyy-mm-dd hh:mm"},
        epoch=epoch,
    )


_DATE_MAPPING = {"Customer": "customer", "Product": "product",
                 "Quantity": "quantity", "Date": "date"}


def test_xlsx_1904_date_system(openpyxl_bytes):
    data = _date_workbook(openpyxl_bytes, epoch=CALENDAR_MAC_1904)
    # the file really is a 1904 workbook
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"date1904" in archive.read("xl/workbook.xml")
    table = reader.read_table(data, "mac.xlsx")
    assert table.epoch == datetime(1904, 1, 1)
    result = mapping.parse_table(table, _DATE_MAPPING, mapping.ImportOptions())
    assert result.problems == []
    dates = [row.values["date"] for row in result.rows]
    assert dates == [
        date(2024, 2, 29),
        date(2027, 3, 16),  # serial 45000 counted from 1904-01-01
        datetime(2024, 2, 29, 13, 45),
    ]


def test_xlsx_1900_date_system(openpyxl_bytes):
    table = reader.read_table(_date_workbook(openpyxl_bytes), "win.xlsx")
    assert table.epoch == datetime(1899, 12, 30)
    result = mapping.parse_table(table, _DATE_MAPPING, mapping.ImportOptions())
    assert result.problems == []
    assert [row.values["date"] for row in result.rows] == [
        date(2024, 2, 29), date(2023, 3, 15), datetime(2024, 2, 29, 13, 45),
    ]


def test_xlsx_serial_in_date_formatted_cell(openpyxl_bytes):
    data = openpyxl_bytes([["Date"], [45000]], formats={(2, 1): "dd/mm/yyyy"})
    table = reader.read_table(data, "f.xlsx")
    cell = table.rows[0][1][0]
    assert cell.value == datetime(2023, 3, 15)  # converted by openpyxl
    assert cell.number_format == "dd/mm/yyyy"


def test_xlsx_named_sheet_and_header_row():
    wb = openpyxl.Workbook()
    wb.active.title = "Readme"
    wb.active["A1"] = "ignore me"
    ws = wb.create_sheet("Lines")
    ws.append(["Report title"])
    ws.append(["Customer", "Product"])
    ws.append(["C1", "P1"])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    table = reader.read_table(data, "f.xlsx", sheet="Lines", header_row=2)
    assert table.sheet == "Lines"
    assert table.headers == ["Customer", "Product"]
    assert _values(table) == [(3, ["C1", "P1"])]
    assert reader.read_table(data, "f.xlsx").headers == ["ignore me"]
    error = _read_error(data, "f.xlsx", sheet="Nope")
    assert (error.kind, error.params) == ("bad_file", {"reason": "sheet_not_found", "sheet": "Nope"})


def test_xlsx_empty_sheet_has_no_header(openpyxl_bytes):
    assert _read_error(openpyxl_bytes([]), "f.xlsx").kind == "no_header"
    data = openpyxl_bytes([[None], ["a"]])
    assert _read_error(data, "f.xlsx").params == {"row": 1}


def test_bad_files():
    assert _read_error(b"", "f.csv").params == {"reason": "empty"}
    assert _read_error(b"whatever", "old.xls").params == {"reason": "xls"}
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert _read_error(ole, "upload").params == {"reason": "xls"}
    assert _read_error(ole, "protected.xlsx").params == {"reason": "encrypted"}
    assert _read_error(b"PK\x03\x04garbage", "f.xlsx").params == {"reason": "corrupt"}
    assert _read_error(b"not a zip", "f.xlsx").params == {"reason": "corrupt"}
    assert _read_error(b"a,b\x00\x01", "f.csv").params == {"reason": "binary"}
    assert _read_error(b"\x81\x8d", "f.csv").params == {"reason": "encoding", "encoding": "cp1252"}
    assert _read_error("é".encode("cp1252"), "f.csv", encoding="utf-8").params == {
        "reason": "encoding", "encoding": "utf-8"}
    assert _read_error(b"\n\n", "f.csv").kind == "no_header"
    assert _read_error(b",,\na,b", "f.csv").kind == "no_header"


# -- CSV -------------------------------------------------------------------------

def test_csv_semicolon_and_decimal_comma():
    data = b"Cliente;Producto;Cantidad;Precio\nC1;P1;1,5;1.234,56\nC2;P2;2;3,5\n"
    table = reader.read_table(data, "pedidos.csv")
    assert table.headers == ["Cliente", "Producto", "Cantidad", "Precio"]
    assert table.sheet is None
    assert _values(table) == [(2, ["C1", "P1", "1,5", "1.234,56"]), (3, ["C2", "P2", "2", "3,5"])]
    result = mapping.parse_table(
        table, mapping.guess_mapping(table.headers),
        mapping.ImportOptions(decimal_sep=",", thousands_sep="."),
    )
    assert result.problems == []
    assert [(r.values["quantity"], r.values["price"]) for r in result.rows] == [
        (1.5, 1234.56), (2.0, 3.5)]


def test_csv_cp1252():
    data = "Customer,Description\nC1,Caf\u00e9 cr\u00e8me\n".encode("cp1252")
    table = reader.read_table(data, "f.csv")
    assert _values(table) == [(2, ["C1", "Caf\u00e9 cr\u00e8me"])]
    table = reader.read_table(data, "f.csv", encoding="cp1252")
    assert table.rows[0][1][1].value == "Caf\u00e9 cr\u00e8me"


def test_csv_utf8_bom_and_utf16():
    text = "Descripci\u00f3n;Cantidad\nPi\u00f1a;3\n"
    table = reader.read_table(b"\xef\xbb\xbf" + text.encode(), "f.csv")
    assert table.headers == ["Descripci\u00f3n", "Cantidad"]
    table = reader.read_table(text.replace(";", "\t").encode("utf-16"), "f.txt")
    assert table.headers == ["Descripci\u00f3n", "Cantidad"]
    assert _values(table) == [(2, ["Pi\u00f1a", "3"])]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_sniffed_delimiters(delimiter):
    lines = [["Customer", "Product", "Qty"], ["C1", "P1", "1"], ["C2", "P2", "2"]]
    data = "\r\n".join(delimiter.join(line) for line in lines).encode()
    table = reader.read_table(data, "f.csv")
    assert table.headers == ["Customer", "Product", "Qty"]
    assert _values(table) == [(2, ["C1", "P1", "1"]), (3, ["C2", "P2", "2"])]


def test_csv_explicit_delimiter_quotes_and_blank_rows():
    data = (
        b'Customer;Description;Qty\n'
        b'C1;"two\nlines; quoted";1\n'
        b';;\n'
        b'\n'
        b'   ;  ;\n'
        b'C2;plain\n'
    )
    table = reader.read_table(data, "f.csv", delimiter=";")
    assert _values(table) == [
        (2, ["C1", "two\nlines; quoted", "1"]),
        (6, ["C2", "plain", None]),  # record numbers, short row padded
    ]


def test_csv_single_column_falls_back():
    table = reader.read_table(b"Product\nP1\nP2\n", "f.csv")
    assert table.headers == ["Product"]
    assert len(table.rows) == 2


def test_csv_sniffing_with_decimal_commas_in_data():
    data = "Cliente;Descripci\u00f3n;Precio\nC1;Caja, grande;1,5\nC2;Bolsa;2\n".encode()
    table = reader.read_table(data, "f.csv")
    assert table.headers == ["Cliente", "Descripci\u00f3n", "Precio"]
    assert _values(table) == [(2, ["C1", "Caja, grande", "1,5"]), (3, ["C2", "Bolsa", "2"])]


def test_csv_header_only():
    table = reader.read_table(b"Customer;Product;Qty", "f.csv")
    assert table.headers == ["Customer", "Product", "Qty"]
    assert table.rows == []

from datetime import date, datetime

import pytest
from oms_lib import mapping, reader
from oms_lib.problems import ParseError, Problem

ImportOptions = mapping.ImportOptions

RETAIL_HEADERS = ["InvoiceNo", "StockCode", "Description", "Quantity",
                  "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
BASIC = {"Customer": "customer", "Product": "product", "Qty": "quantity",
         "Ref": "reference", "Return": "is_return", "Price": "price"}


def _table(headers, *rows, start=2):
    return reader.Table(
        headers=list(headers),
        rows=[(start + i, [reader.Cell(v) for v in row]) for i, row in enumerate(rows)],
    )


def _csv_table(text, **kwargs):
    return reader.read_table(text.encode(), "f.csv", **kwargs)


def _parse(table, mapping_=None, **options):
    return mapping.parse_table(table, mapping_ or BASIC, ImportOptions(**options))


def _kinds(result):
    return [(p.row, p.column, p.kind) for p in result.problems]


# -- guess_mapping ------------------------------------------------------------------

def test_guess_mapping_online_retail():
    assert mapping.guess_mapping(RETAIL_HEADERS) == {
        "InvoiceNo": "reference", "StockCode": "product", "Description": "description",
        "Quantity": "quantity", "InvoiceDate": "date", "UnitPrice": "price",
        "CustomerID": "customer",
    }


def test_guess_mapping_spanish_and_spelling_variants():
    headers = ["Cliente", "Entrega", "C\u00f3digo", "CANTIDAD", "Unidad", "Precio unitario",
               "Fecha", "Pedido", "Almac\u00e9n", "Descripci\u00f3n", "Devoluci\u00f3n", "Notas"]
    assert mapping.guess_mapping(headers) == {
        "Cliente": "customer", "Entrega": "delivery", "C\u00f3digo": "product",
        "CANTIDAD": "quantity", "Unidad": "uom", "Precio unitario": "price",
        "Fecha": "date", "Pedido": "reference", "Almac\u00e9n": "warehouse",
        "Descripci\u00f3n": "description", "Devoluci\u00f3n": "is_return",
    }
    assert mapping.guess_mapping(["customer_id", " Unit Price ", "qty", "SKU", "is-return"]) == {
        "customer_id": "customer", " Unit Price ": "price", "qty": "quantity",
        "SKU": "product", "is-return": "is_return",
    }


def test_guess_mapping_gives_each_target_once():
    assert mapping.guess_mapping(["Customer", "Partner", "Product"]) == {
        "Customer": "customer", "Product": "product"}


# -- column-level problems ------------------------------------------------------------

def test_unknown_column_reported_once():
    table = _table(["Customer", "Product", "Qty", "Country", ""],
                   *[("C1", "P1", "1", "UK", None)] * 50)
    result = _parse(table)
    assert result.problems == [
        Problem(None, "Country", "unknown_column", "warning", (("index", 4),)),
    ]
    assert not result.has_errors
    assert len(result.rows) == 50
    assert "Country" not in result.rows[0].raw


def test_unnamed_column_with_data_is_reported():
    table = _table(["Customer", "", "Product", "Qty"], ("C1", "lost?", "P1", "1"))
    assert _kinds(_parse(table)) == [(None, "", "unknown_column")]


def test_duplicate_mapping():
    table = _table(["Customer", "Client", "Product", "Qty"], ("C1", "C9", "P1", "1"))
    result = _parse(table, {"Customer": "customer", "Client": "customer",
                            "Product": "product", "Qty": "quantity"})
    assert result.problems == [Problem(None, "Client", "duplicate_column", "error",
                                       (("target", "customer"), ("other", "Customer")))]
    assert result.rows[0].values["customer"] == "C1"


def test_duplicate_header_text():
    table = _table(["Customer", "Product", "Qty", "Qty"], ("C1", "P1", "1", "2"))
    assert _kinds(_parse(table)) == [(None, "Qty", "duplicate_column")]


def test_ignored_and_missing_columns():
    table = _table(["Customer", "Notes"], ("C1", "n"))
    result = _parse(table, {"Customer": "customer", "Notes": "ignore", "Absent": "price"})
    assert [(p.kind, p.params_dict) for p in result.problems] == [
        ("missing_column", {"target": "product"}),
        ("missing_column", {"target": "quantity"}),
    ]
    assert result.rows[0].values == {"customer": "C1"}


def test_invalid_target_is_a_programming_error():
    with pytest.raises(ValueError):
        _parse(_table(["Customer"], ("C1",)), {"Customer": "client"})
    with pytest.raises(ValueError):
        ImportOptions(cancel_mode="drop")
    with pytest.raises(ValueError):
        ImportOptions(non_product_mode="hide")
    with pytest.raises(ValueError):
        ImportOptions(decimal_sep=",", thousands_sep=",")


# -- rows ---------------------------------------------------------------------------

def test_blank_rows_ignored_and_real_row_numbers_kept():
    table = _csv_table("Customer,Product,Qty\nC1,P1,1\n,,\n\nC2,P2,abc\n")
    result = _parse(table)
    assert result.rows_read == 2
    assert [r.row for r in result.rows] == [2, 5]
    assert _kinds(result) == [(5, "Qty", "bad_number")]


def test_quantity_rules():
    table = _table(
        ["Customer", "Product", "Qty", "Return"],
        ("C1", "P1", "abc", ""),   # 2
        ("C1", "P1", "0", ""),     # 3
        ("C1", "P1", "-3", ""),    # 4
        ("C1", "P1", "-3", "yes"),  # 5
        ("C1", "P1", "3", "X"),    # 6: return line made negative
        ("C1", "P1", "3", "maybe"),  # 7
        ("C1", "P1", "", "0"),     # 8
        ("C1", "P1", 4, 1),        # 9: numeric cells
        ("C1", "P1", "2", "S\u00ed"),  # 10
    )
    result = _parse(table)
    assert [(p.row, p.column, p.kind, p.params_dict) for p in result.problems] == [
        (2, "Qty", "bad_number", {"value": "abc"}),
        (3, "Qty", "zero_quantity", {"value": "0"}),
        (4, "Qty", "negative_quantity", {"value": "-3"}),
        (7, "Return", "bad_flag", {"value": "maybe"}),
        (8, "Qty", "missing_value", {"target": "quantity"}),
    ]
    rows = {r.row: r for r in result.rows}
    assert len(rows) == 9  # every non-blank row is returned, even with problems
    assert rows[2].values["quantity"] is None
    assert rows[3].values["quantity"] == 0.0
    assert rows[4].values["quantity"] == -3.0 and not rows[4].is_return
    assert rows[5].values["quantity"] == -3.0 and rows[5].is_return
    assert rows[6].values["quantity"] == -3.0 and rows[6].is_return
    assert rows[6].raw["quantity"] == "3"
    assert rows[6].values["is_return"] is True
    assert rows[7].values["is_return"] is None
    assert rows[8].values["is_return"] is False
    assert rows[9].values["quantity"] == -4.0 and rows[9].raw["quantity"] == "4"
    assert rows[10].is_return and rows[10].values["quantity"] == -2.0
    assert result.error_rows() == {2, 3, 4, 7, 8}


def test_missing_required_values():
    table = _table(["Customer", "Product", "Qty"], ("", None, " "), ("C1", "P1", "1"))
    result = _parse(table)
    assert [(p.row, p.column, p.kind, p.params_dict) for p in result.problems] == [
        (2, "Customer", "missing_value", {"target": "customer"}),
        (2, "Product", "missing_value", {"target": "product"}),
        (2, "Qty", "missing_value", {"target": "quantity"}),
    ]
    assert result.rows[0].values == {"customer": "", "product": "", "quantity": None}
    assert result.rows[0].raw == {"customer": "", "product": "", "quantity": " "}


def test_prices():
    table = _table(["Customer", "Product", "Qty", "Price"],
                   ("C1", "P1", "1", ""), ("C1", "P1", "1", "12,5"), ("C1", "P1", "1", "2.5x"),
                   ("C1", "P1", "1", 7))
    result = _parse(table, decimal_sep=",")
    assert [r.values["price"] for r in result.rows] == [None, 12.5, None, 7.0]
    assert [(p.row, p.kind, p.params_dict) for p in result.problems] == [
        (4, "bad_price", {"value": "2.5x"})]


def test_decimal_comma_applies_to_every_numeric_column():
    table = _table(["Customer", "Product", "Qty", "Price"], ("C1", "P1", "1.000", "1.234,5"))
    row = _parse(table, decimal_sep=",", thousands_sep=".").rows[0]
    assert (row.values["quantity"], row.values["price"]) == (1000.0, 1234.5)


def test_codes_dates_and_text_values():
    table = _table(
        ["Customer", "Product", "Qty", "Date", "Description", "UoM", "Warehouse", "Delivery"],
        ("17850.0", "85123A", "6", "01/12/2010", "  WHITE HANGING  ", "Units", "WH", "D-1"),
        (1234567890123456, 12.5, "1", "31/02/2024", 42, None, "", None),
    )
    mapping_ = {h: t for h, t in zip(table.headers, (
        "customer", "product", "quantity", "date", "description", "uom", "warehouse", "delivery"), strict=True)}
    result = _parse(table, mapping_, date_format="%d/%m/%Y", strip_float_suffix=True)
    first, second = result.rows
    assert first.values == {
        "customer": "17850", "product": "85123A", "quantity": 6.0, "date": date(2010, 12, 1),
        "description": "WHITE HANGING", "uom": "Units", "warehouse": "WH", "delivery": "D-1",
    }
    assert first.raw["customer"] == "17850.0"
    assert first.raw["description"] == "  WHITE HANGING  "
    assert [(p.row, p.column, p.kind, p.params_dict) for p in result.problems] == [
        (3, "Customer", "bad_code", {"value": "1234567890123456"}),
        (3, "Product", "bad_code", {"value": "12.5"}),
        (3, "Date", "bad_date", {"value": "31/02/2024", "format": "%d/%m/%Y"}),
    ]
    assert second.values["customer"] is None and second.values["date"] is None
    assert second.values["description"] == "42"
    assert second.values["uom"] == "" and second.values["delivery"] == ""
    assert second.raw["customer"] == "1234567890123456"


def test_zero_padded_code_cell():
    table = reader.Table(headers=["Customer", "Product", "Qty"], rows=[
        (2, [reader.Cell("C1"), reader.Cell(412345678905, "0000000000000"), reader.Cell(1)])])
    row = _parse(table).rows[0]
    assert row.values["product"] == "0412345678905"
    assert row.raw["product"] == "412345678905"


def test_date_datetime_cells_and_serials():
    table = _table(["Customer", "Product", "Qty", "Date"],
                   ("C1", "P1", 1, datetime(2023, 3, 15)), ("C1", "P1", 1, 45000),
                   ("C1", "P1", 1, datetime(2023, 3, 15, 8, 30)), ("C1", "P1", 1, None))
    result = _parse(table, {**BASIC, "Date": "date"})
    assert [r.values["date"] for r in result.rows] == [
        date(2023, 3, 15), date(2023, 3, 15), datetime(2023, 3, 15, 8, 30), None]
    assert result.rows[0].raw["date"] == "2023-03-15 00:00:00"


# -- cancellations and non-product codes ----------------------------------------------

CANCEL_ROWS = (
    ("C536379", "17850", "P1", "-1"),  # 2: cancellation with negative qty
    ("536380", "17850", "P1", "2"),    # 3: normal
    ("C536381", "17850", "P1", "4"),   # 4: cancellation with positive qty
    ("c536382", "17850", "P1", "-1"),  # 5: prefix is case-sensitive
)


def _cancel_table():
    return _table(["Ref", "Customer", "Product", "Qty"], *CANCEL_ROWS)


def test_cancellation_return_mode():
    result = _parse(_cancel_table(), cancel_prefix="C", cancel_mode="return")
    assert _kinds(result) == [(5, "Qty", "negative_quantity")]
    rows = {r.row: r for r in result.rows}
    assert rows[2].is_return and rows[2].values["quantity"] == -1.0
    assert not rows[3].is_return and rows[3].values["quantity"] == 2.0
    assert rows[4].is_return and rows[4].values["quantity"] == -4.0
    assert rows[2].values["reference"] == "C536379"


def test_cancellation_report_mode():
    result = _parse(_cancel_table(), cancel_prefix="C", cancel_mode="report")
    assert [(p.row, p.column, p.kind, p.severity, p.params_dict) for p in result.problems] == [
        (2, "Ref", "cancellation", "error", {"value": "C536379"}),
        (4, "Ref", "cancellation", "error", {"value": "C536381"}),
        (5, "Qty", "negative_quantity", "error", {"value": "-1"}),
    ]
    assert not any(r.is_return for r in result.rows)
    assert len(result.rows) == 4


def test_no_cancel_prefix_means_no_cancellation():
    result = _parse(_cancel_table())
    assert _kinds(result) == [(2, "Qty", "negative_quantity"), (5, "Qty", "negative_quantity")]


NON_PRODUCT_ROWS = (
    ("C1", "POST", "1"),    # 2
    ("C1", "85123A", "2"),  # 3
    ("C1", "D", "x"),       # 4: skipped rows lose their problems too
    ("C1", "post", "1"),    # 5: compared exactly
)


@pytest.mark.parametrize("mode", ["service", "report", "skip"])
def test_non_product_codes(mode):
    table = _table(["Customer", "Product", "Qty"], *NON_PRODUCT_ROWS)
    result = _parse(table, non_product_codes={"POST", "D", "M"}, non_product_mode=mode)
    assert result.rows_read == 4
    if mode == "service":
        assert [(r.row, r.non_product) for r in result.rows] == [
            (2, True), (3, False), (4, True), (5, False)]
        assert _kinds(result) == [(4, "Qty", "bad_number")]
        assert result.skipped == 0
    elif mode == "report":
        assert [(p.row, p.column, p.kind, p.params_dict) for p in result.problems] == [
            (2, "Product", "non_product_code", {"value": "POST"}),
            (4, "Qty", "bad_number", {"value": "x"}),
            (4, "Product", "non_product_code", {"value": "D"}),
        ]
        assert not any(r.non_product for r in result.rows)
        assert len(result.rows) == 4
    else:
        assert [r.row for r in result.rows] == [3, 5]
        assert result.problems == []
        assert result.skipped == 2
    assert isinstance(ImportOptions(non_product_codes=["A"]).non_product_codes, frozenset)


# -- misc ---------------------------------------------------------------------------

def test_problem_and_parse_error_api():
    problem = Problem(3, "Qty", "bad_number", params=(("value", "12,5x"),))
    assert problem.severity == "error" and problem.is_error
    assert problem.params_dict == {"value": "12,5x"}
    assert len({problem, Problem(3, "Qty", "bad_number", params=(("value", "12,5x"),))}) == 1
    with pytest.raises(AttributeError):
        problem.row = 4
    error = ParseError("bad_date", value="x", format="%d")
    assert isinstance(error, ValueError)
    assert (error.kind, error.params) == ("bad_date", {"value": "x", "format": "%d"})
    assert error.to_problem(7, "Date") == Problem(7, "Date", "bad_date", "error",
                                                  (("value", "x"), ("format", "%d")))


def test_lib_problem_kinds_are_declared():
    from oms_lib.problems import KINDS

    for kind in ("bad_number", "zero_quantity", "negative_quantity", "bad_price", "bad_date",
                 "bad_code", "missing_value", "unknown_column", "cancellation",
                 "non_product_code", "duplicate_column", "bad_flag", "bad_file", "no_header"):
        assert kind in KINDS


def test_online_retail_style_csv():
    text = (
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
        "536365,POST,POSTAGE,1,2010-12-01 08:26:00,18,17850.0,United Kingdom\n"
        "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom\n"
        "C536383,35004C,SET OF 3 COLOURED  FLYING DUCKS,-1,2010-12-01 09:49:00,4.65,15311.0,United Kingdom\n"
        "536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom\n"
    )
    table = _csv_table(text)
    result = mapping.parse_table(table, mapping.guess_mapping(table.headers), ImportOptions(
        strip_float_suffix=True, cancel_prefix="C", non_product_codes=frozenset({"POST", "D"}),
        non_product_mode="skip"))
    assert result.skipped == 2 and result.rows_read == 5
    assert [(p.row, p.column, p.kind) for p in result.problems] == [
        (None, "Country", "unknown_column"),
        (6, "CustomerID", "missing_value"),
    ]
    first, cancelled, no_customer = result.rows
    assert first.values == {
        "reference": "536365", "product": "85123A",
        "description": "WHITE HANGING HEART T-LIGHT HOLDER", "quantity": 6.0,
        "date": datetime(2010, 12, 1, 8, 26), "price": 2.55, "customer": "17850",
    }
    assert cancelled.is_return and cancelled.values["quantity"] == -1.0
    assert no_customer.values["price"] == 0.0


def test_ten_thousand_rows_csv():
    lines = ["Pedido;Cliente;Producto;Cantidad;Precio;Fecha;Devoluci\u00f3n;Pa\u00eds"]
    for i in range(10_000):
        qty = f"{i % 7 + 1},5" if i % 2 else str(i % 7 + 1)
        flag = "s\u00ed" if i % 10 == 0 else ""
        lines.append(f"P{i // 4:05d};{17850 + i % 300}.0;{i:013d};{qty};1.{i % 1000:03d},25;"
                     f"{i % 28 + 1:02d}/03/2024;{flag};ES")
    lines.insert(5001, ";;;;;;;")  # one blank row in the middle
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    table = reader.read_table(data, "big.csv")
    options = ImportOptions(decimal_sep=",", thousands_sep=".", date_format="%d/%m/%Y",
                            strip_float_suffix=True)
    result = mapping.parse_table(table, mapping.guess_mapping(table.headers), options)
    assert result.rows_read == 10_000 and len(result.rows) == 10_000 and result.skipped == 0
    assert result.problems == [Problem(None, "Pa\u00eds", "unknown_column", "warning",
                                       (("index", 8),))]
    for i in (0, 1, 4999, 5000, 9999):
        row = result.rows[i]
        assert row.row == (i + 2 if i < 5000 else i + 3)
        quantity = (i % 7 + 1) + (0.5 if i % 2 else 0)
        expected_return = i % 10 == 0
        assert row.is_return is expected_return
        assert row.values["quantity"] == (-quantity if expected_return else quantity)
        assert row.values["customer"] == str(17850 + i % 300)
        assert row.values["product"] == f"{i:013d}"
        assert row.values["price"] == pytest.approx(1000 + i % 1000 + 0.25)
        assert row.values["date"] == date(2024, 3, i % 28 + 1)
        assert row.values["reference"] == f"P{i // 4:05d}"


def test_problems_and_errors_pickle():
    import pickle

    problem = Problem(None, "Country", "unknown_column", "warning", (("index", 8),))
    assert pickle.loads(pickle.dumps(problem)) == problem
    error = pickle.loads(pickle.dumps(ParseError("bad_file", reason="xls")))
    assert (error.kind, error.params) == ("bad_file", {"reason": "xls"})

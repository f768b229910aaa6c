"""Column mapping and row parsing: turn a :class:`~.reader.Table` into typed
rows plus a list of :class:`~.problems.Problem`."""
import unicodedata
from dataclasses import dataclass

from .codes import cell_to_code
from .dates import parse_date
from .numbers import parse_number, validate_separators
from .problems import ERROR, WARNING, ParseError, Problem

TARGETS = ("customer", "delivery", "product", "quantity", "uom", "price", "date",
           "reference", "warehouse", "description", "is_return", "ignore")
CODE_TARGETS = ("customer", "delivery", "product", "warehouse", "reference", "uom")
REQUIRED_TARGETS = ("customer", "product", "quantity")

CANCEL_MODES = ("return", "report")
NON_PRODUCT_MODES = ("service", "report", "skip")

TRUE_FLAGS = frozenset({"1", "true", "yes", "y", "x", "si", "sí", "verdadero"})
FALSE_FLAGS = frozenset({"0", "false", "no", "n", "", "falso"})


@dataclass
class ImportOptions:
    decimal_sep: str = "."
    thousands_sep: str = ""
    date_format: str = "%Y-%m-%d"
    strip_float_suffix: bool = False
    cancel_prefix: str = ""        # reference starting with this marks a cancellation (e.g. "C")
    cancel_mode: str = "return"    # "return": cancelled rows become return lines; "report": "cancellation" error
    non_product_codes: frozenset = frozenset()  # product codes that are not products, compared exactly
    non_product_mode: str = "service"  # "service": flag row; "report": "non_product_code" error; "skip": drop row

    def __post_init__(self):
        validate_separators(self.decimal_sep, self.thousands_sep)
        if self.cancel_mode not in CANCEL_MODES:
            raise ValueError(f"cancel_mode must be one of {CANCEL_MODES}")
        if self.non_product_mode not in NON_PRODUCT_MODES:
            raise ValueError(f"non_product_mode must be one of {NON_PRODUCT_MODES}")
        if not isinstance(self.non_product_codes, frozenset):
            self.non_product_codes = frozenset(self.non_product_codes)
        self.cancel_prefix = self.cancel_prefix or ""


@dataclass(slots=True)
class ParsedRow:
    """One non-blank row of the file.

    ``values`` maps each mapped target to its typed value: codes ``str``
    (``""`` when empty), ``quantity`` float (negative for return lines),
    ``price`` float or ``None``, ``date`` date/datetime or ``None``,
    ``description`` str, ``is_return`` bool (the flag cell).  A value is
    ``None`` when its cell has a problem.  ``raw`` maps each mapped target to
    the original cell text.  ``is_return`` is the effective flag (flag cell
    or cancellation in ``cancel_mode="return"``).
    """
    row: int
    values: dict
    raw: dict
    non_product: bool = False
    is_return: bool = False


@dataclass
class ParseResult:
    rows: list
    problems: list
    skipped: int = 0     # rows dropped (non-product codes in "skip" mode)
    rows_read: int = 0   # non-blank rows in the file (= len(rows) + skipped)

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self):
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    def error_rows(self) -> set:
        """Row numbers having at least one error."""
        return {p.row for p in self.problems if p.severity == ERROR and p.row is not None}


# -- mapping guess -------------------------------------------------------------

_SYNONYMS = {
    "customer": (
        "customer", "customerid", "customercode", "customerref", "customerno",
        "customernumber", "client", "clientid", "clientcode", "cliente",
        "codcliente", "codigocliente", "idcliente", "numcliente", "partner",
        "partnerid", "partnerref", "partnercode",
    ),
    "delivery": (
        "delivery", "deliveryaddress", "deliveryto", "shipping", "shippingaddress",
        "shipto", "entrega", "direccionentrega", "direcciondeentrega", "envio",
        "puntoentrega", "puntodeentrega",
    ),
    "product": (
        "product", "productcode", "productid", "productref", "producto",
        "codproducto", "codigoproducto", "idproducto", "articulo", "codarticulo",
        "codigoarticulo", "stockcode", "sku", "code", "codigo", "barcode", "ean",
        "itemcode", "item",
    ),
    "quantity": ("qty", "quantity", "cantidad", "cant", "quantityordered", "qtyordered"),
    "uom": ("uom", "unit", "unidad", "unitofmeasure", "udm", "um", "unidadmedida",
            "unidaddemedida", "productuom"),
    "price": ("price", "unitprice", "priceunit", "precio", "preciounitario",
              "preciounidad", "preciounit"),
    "date": ("date", "fecha", "invoicedate", "orderdate", "dateorder",
             "fechapedido", "fechafactura"),
    "reference": ("reference", "ref", "invoiceno", "invoice", "invoicenumber",
                  "orderno", "ordernumber", "order", "orderref", "pedido",
                  "numpedido", "numeropedido", "nopedido", "referencia"),
    "warehouse": ("warehouse", "warehousecode", "almacen", "codalmacen"),
    "description": ("description", "descripcion", "productname", "detalle", "concepto"),
    "is_return": ("return", "isreturn", "returned", "devolucion", "esdevolucion"),
}
_GUESS = {syn: target for target, syns in _SYNONYMS.items() for syn in syns}


def normalize_header(header: str) -> str:
    """Lower-case, accent-free, alphanumeric-only form of a header."""
    text = unicodedata.normalize("NFKD", str(header)).casefold()
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def guess_mapping(headers) -> dict:
    """Guess ``{header: target}`` from English/Spanish header synonyms.

    Each target is given to the first matching header only; headers not
    recognised are left out of the result.
    """
    result = {}
    used = set()
    for header in headers:
        target = _GUESS.get(normalize_header(header))
        if target is not None and target not in used and header not in result:
            result[header] = target
            used.add(target)
    return result


# -- parsing --------------------------------------------------------------------

def parse_flag(value) -> bool:
    """Return-flag cell to bool; ``ParseError("bad_flag")`` if not understood."""
    if value is None:
        return False
    cls = type(value)
    if cls is bool:
        return value
    if cls is str:
        text = value.strip().casefold()
        if text in TRUE_FLAGS:
            return True
        if text in FALSE_FLAGS:
            return False
        raise ParseError("bad_flag", value=value.strip())
    if cls is int or cls is float:
        if value == 1:
            return True
        if value == 0:
            return False
    raise ParseError("bad_flag", value=str(value))


_CODE, _QTY, _PRICE, _DATE, _TEXT, _FLAG = range(6)
_KIND_OF = {t: _CODE for t in CODE_TARGETS}
_KIND_OF.update(quantity=_QTY, price=_PRICE, date=_DATE, description=_TEXT, is_return=_FLAG)


def _column_has_data(table, idx):
    for _number, cells in table.rows:
        value = cells[idx].value
        if value is not None and (type(value) is not str or value.strip()):
            return True
    return False


def _column_plan(table, mapping, problems):
    """Validate the mapping against the headers; return ``{target: (idx, header)}``."""
    columns = {}
    for idx, header in enumerate(table.headers):
        target = mapping.get(header)
        if target is None:
            if header or _column_has_data(table, idx):
                problems.append(Problem(None, header, "unknown_column", WARNING,
                                        (("index", idx + 1),)))
            continue
        if target not in TARGETS:
            raise ValueError(f"unknown mapping target {target!r} for column {header!r}")
        if target == "ignore":
            continue
        if target in columns:
            problems.append(Problem(None, header, "duplicate_column", ERROR,
                                    (("target", target), ("other", columns[target][1]))))
            continue
        columns[target] = (idx, header)
    for target in REQUIRED_TARGETS:
        if target not in columns:
            problems.append(Problem(None, None, "missing_column", ERROR, (("target", target),)))
    return columns


def parse_table(table, mapping: dict, options: "ImportOptions | None" = None) -> ParseResult:
    """Parse every non-blank row of ``table`` according to ``mapping``
    (``{header: target}``).  Never raises for bad data: every issue becomes a
    :class:`Problem` (file-level ones have ``row=None``)."""
    if options is None:
        options = ImportOptions()
    problems = []
    columns = _column_plan(table, mapping, problems)
    plan = [(target, idx, header, _KIND_OF[target])
            for target, (idx, header) in sorted(columns.items(), key=lambda item: item[1][0])]

    decimal_sep = options.decimal_sep
    thousands_sep = options.thousands_sep
    date_format = options.date_format
    epoch = table.epoch
    strip_suffix = options.strip_float_suffix
    cancel_prefix = options.cancel_prefix
    cancel_report = options.cancel_mode == "report"
    non_product_codes = options.non_product_codes
    non_product_mode = options.non_product_mode
    ref_header = columns["reference"][1] if "reference" in columns else None
    qty_header = columns["quantity"][1] if "quantity" in columns else None
    product_header = columns["product"][1] if "product" in columns else None
    required = frozenset(REQUIRED_TARGETS)

    rows = []
    skipped = 0
    for number, cells in table.rows:
        values = {}
        raw = {}
        row_problems = []
        for target, idx, header, kind in plan:
            cell = cells[idx]
            value = cell.value
            cls = type(value)
            if value is None:
                text = ""
                empty = True
            elif cls is str:
                text = value
                empty = not value.strip()
            else:
                text = str(value)
                empty = False
            raw[target] = text

            if kind == _CODE:
                if empty:
                    values[target] = ""
                    if target in required:
                        row_problems.append(Problem(number, header, "missing_value", ERROR,
                                                    (("target", target),)))
                elif cls is str and not strip_suffix:
                    values[target] = value.strip()
                else:
                    try:
                        values[target] = cell_to_code(value, cell.number_format, strip_suffix)
                    except ParseError as exc:
                        values[target] = None
                        row_problems.append(exc.to_problem(number, header))
            elif kind == _QTY:
                if empty:
                    values[target] = None
                    row_problems.append(Problem(number, header, "missing_value", ERROR,
                                                (("target", target),)))
                    continue
                try:
                    values[target] = parse_number(value, decimal_sep, thousands_sep)
                except ParseError:
                    values[target] = None
                    row_problems.append(Problem(number, header, "bad_number", ERROR,
                                                (("value", text.strip()),)))
            elif kind == _PRICE:
                if empty:
                    values[target] = None
                    continue
                try:
                    values[target] = parse_number(value, decimal_sep, thousands_sep)
                except ParseError:
                    values[target] = None
                    row_problems.append(Problem(number, header, "bad_price", ERROR,
                                                (("value", text.strip()),)))
            elif kind == _DATE:
                if empty:
                    values[target] = None
                    continue
                try:
                    values[target] = parse_date(value, date_format, epoch)
                except ParseError as exc:
                    values[target] = None
                    row_problems.append(exc.to_problem(number, header))
            elif kind == _TEXT:
                values[target] = "" if empty else text.strip()
            else:  # _FLAG
                try:
                    values[target] = parse_flag(value)
                except ParseError as exc:
                    values[target] = None
                    row_problems.append(exc.to_problem(number, header))

        # Non-product codes first: a skipped row is dropped with its problems.
        non_product = False
        code = values.get("product")
        if code and code in non_product_codes:
            if non_product_mode == "skip":
                skipped += 1
                continue
            if non_product_mode == "report":
                row_problems.append(Problem(number, product_header, "non_product_code", ERROR,
                                            (("value", code),)))
            else:
                non_product = True

        is_return = bool(values.get("is_return"))
        cancelled = False
        if cancel_prefix:
            reference = values.get("reference")
            if reference and reference.startswith(cancel_prefix):
                cancelled = True
                if cancel_report:
                    row_problems.append(Problem(number, ref_header, "cancellation", ERROR,
                                                (("value", reference),)))
                else:
                    is_return = True

        quantity = values.get("quantity")
        if quantity is not None:
            if quantity == 0:
                row_problems.append(Problem(number, qty_header, "zero_quantity", ERROR,
                                            (("value", raw["quantity"].strip()),)))
            elif quantity < 0:
                # A cancellation already reported explains the negative quantity.
                if not is_return and not cancelled:
                    row_problems.append(Problem(number, qty_header, "negative_quantity", ERROR,
                                                (("value", raw["quantity"].strip()),)))
            elif is_return:
                values["quantity"] = -quantity  # return lines are negative

        if row_problems:
            problems.extend(row_problems)
        rows.append(ParsedRow(number, values, raw, non_product, is_return))

    return ParseResult(rows=rows, problems=problems, skipped=skipped, rows_read=len(table.rows))

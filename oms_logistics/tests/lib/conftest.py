"""Load oms_logistics/lib as the top-level package ``oms_lib`` without
importing the addon (whose ``__init__`` imports Odoo)."""
import importlib.util
import io
import pathlib
import sys

import pytest

LIB = pathlib.Path(__file__).resolve().parents[2] / "lib"

if "oms_lib" not in sys.modules:
    spec = importlib.util.spec_from_file_location(
        "oms_lib", LIB / "__init__.py", submodule_search_locations=[str(LIB)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["oms_lib"] = module
    spec.loader.exec_module(module)


def _openpyxl_bytes(rows, formats=None, epoch=None, title=None):
    """XLSX bytes built with openpyxl. ``formats`` maps (row, col) 1-based
    coordinates to a number format; ``None`` values leave the cell empty."""
    import openpyxl

    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    if title:
        ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(row=r, column=c).number_format = fmt
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsxwriter_bytes(rows, formats=None):
    """XLSX bytes built with XlsxWriter (0-based writes, same arguments)."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Orders")
    cache = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            fmt = (formats or {}).get((r, c))
            cell_format = None
            if fmt:
                cell_format = cache.setdefault(fmt, wb.add_format({"num_format": fmt}))
            if value is None:
                continue
            if hasattr(value, "year"):
                ws.write_datetime(r - 1, c - 1, value, cell_format)
            elif isinstance(value, str):
                ws.write_string(r - 1, c - 1, value, cell_format)
            else:
                ws.write(r - 1, c - 1, value, cell_format)
    wb.close()
    return out.getvalue()


@pytest.fixture
def openpyxl_bytes():
    return _openpyxl_bytes


@pytest.fixture
def xlsxwriter_bytes():
    return _xlsxwriter_bytes

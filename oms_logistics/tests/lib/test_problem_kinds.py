"""Every problem kind the library can produce is declared in ``problems.KINDS``
(the Odoo side checks that each declared kind has a label and a message)."""
import pathlib
import re

from oms_lib.problems import KINDS

LIB = pathlib.Path(__file__).resolve().parents[2] / "lib"
# ParseError("kind", ...) and Problem(row, column, "kind", ...)
RAISED = re.compile(r'ParseError\(\s*"(\w+)"')
BUILT = re.compile(r'Problem\(\s*[^,()]+,\s*[^,()]+,\s*"(\w+)"')


def produced_kinds():
    source = "".join(path.read_text(encoding="utf-8") for path in sorted(LIB.glob("*.py")))
    return set(RAISED.findall(source)) | set(BUILT.findall(source))


def test_the_scan_finds_the_kinds():
    kinds = produced_kinds()
    assert {"bad_file", "no_header", "bad_number", "missing_column", "duplicate_column",
            "unknown_column", "zero_quantity"} <= kinds


def test_every_produced_kind_is_declared():
    assert produced_kinds() - KINDS == set()

"""The Spanish translation covers the whole .pot and keeps every placeholder.

No database: reads oms_logistics/i18n/oms_logistics.pot and es.po with polib.
Regenerate the .pot with ``make pot``, then translate the new msgids in es.po.
"""
import collections
import pathlib
import re

import polib
import pytest

I18N = pathlib.Path(__file__).resolve().parents[2] / "i18n"
POT = I18N / "oms_logistics.pot"
PO = I18N / "es.po"

# %(name)s, %s, %d (and the other printf conversions), %% and {name} / {}
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][\w.-]*)((?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def tags(text):
    """XML/HTML tags with their attributes: a translated view term must keep them."""
    return sorted((m.group(0).startswith("</"), m.group(1), " ".join(m.group(2).split())) for m in TAG.finditer(text))


@pytest.fixture(scope="module")
def pot():
    return polib.pofile(str(POT))


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO))


def test_files_exist():
    assert POT.is_file(), f"{POT} is missing: run `make pot`"
    assert PO.is_file(), f"{PO} is missing"


def test_header(po):
    assert po.metadata.get("Language") == "es"
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")


def test_pot_is_not_empty(pot):
    assert len(pot) > 100, "the .pot looks truncated: regenerate it with `make pot`"


def test_no_duplicate_msgid(po):
    counts = collections.Counter((e.msgctxt, e.msgid) for e in po if not e.obsolete)
    assert not [k for k, n in counts.items() if n > 1]


def test_every_msgid_is_translated(pot, po):
    translated = {e.msgid: e for e in po if not e.obsolete}
    missing = [e.msgid for e in pot if e.msgid not in translated]
    assert not missing, "msgids of the .pot absent from es.po:\n" + "\n".join(map(repr, missing))
    empty = [e.msgid for e in pot if not translated[e.msgid].msgstr.strip()]
    assert not empty, "untranslated msgids in es.po:\n" + "\n".join(map(repr, empty))
    fuzzy = [e.msgid for e in pot if translated[e.msgid].fuzzy]
    assert not fuzzy, "fuzzy entries in es.po:\n" + "\n".join(map(repr, fuzzy))


def test_placeholders_are_kept(po):
    wrong = [
        f"{e.msgid!r}: {placeholders(e.msgid)} != {placeholders(e.msgstr)}"
        for e in po if e.msgstr and not e.obsolete and placeholders(e.msgid) != placeholders(e.msgstr)
    ]
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_markup_is_kept(po):
    wrong = [
        f"{e.msgid!r} -> {e.msgstr!r}"
        for e in po if e.msgstr and not e.obsolete and tags(e.msgid) != tags(e.msgstr)
    ]
    assert not wrong, "XML tags or attributes differ between msgid and msgstr:\n" + "\n".join(wrong)


@pytest.mark.parametrize("text, expected", [
    ("%(count)s orders, %s, %d and %%d", ["%%", "%(count)s", "%d", "%s"]),
    ("{name} and {}", ["{name}", "{}"]),
    ("in %.", []),
])
def test_placeholder_pattern(text, expected):
    assert placeholders(text) == sorted(expected)

"""The committed .pot holds every term the module exports today, and es.po loads.

A developer who adds or changes a user-facing string (Python ``_()``/``env._()``/``_lt()``,
field label, selection, view, report or portal template, menu, group...) without running
``make pot`` gets a failure naming the strings missing from oms_logistics.pot.
"""
import csv
import os

import polib
from lxml import etree

from odoo.addons.oms_logistics.models.oms_order_batch_problem import problem_message
from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "oms_logistics"


@tagged("post_install", "-at_install")
class TestPotIsCurrent(TransactionCase):

    @classmethod
    def _module_file(cls, *parts):
        return os.path.join(get_module_path(MODULE), *parts)

    def _demo_xmlids(self):
        """External ids of the demo records (and of their _inherits parents, e.g. the
        product.template of a demo product.product): the .pot is exported without demo."""
        records = []  # (xmlid, model)
        for name in get_manifest(MODULE).get("demo", []):
            path = self._module_file(name)
            if name.endswith(".csv"):
                model = os.path.splitext(os.path.basename(name))[0]
                with open(path, newline="", encoding="utf-8") as handle:
                    records += [(row["id"], model) for row in csv.DictReader(handle) if row.get("id")]
            elif name.endswith(".xml"):
                records += [(node.get("id"), node.get("model")) for node in etree.parse(path).iter()
                            if isinstance(node.tag, str) and node.get("id")]
        xmlids = set()
        for xmlid, model in records:
            xmlid = xmlid if "." in xmlid else f"{MODULE}.{xmlid}"
            xmlids.add(xmlid)
            for parent in (self.env[model]._inherits if model in self.env else {}):
                xmlids.add(f"{xmlid}_{parent.replace('.', '_')}")
        return xmlids

    def test_pot_has_every_term(self):
        pot_path = self._module_file("i18n", f"{MODULE}.pot")
        self.assertTrue(os.path.isfile(pot_path), "oms_logistics/i18n/oms_logistics.pot is missing: run `make pot`")
        in_pot = {entry.msgid for entry in polib.pofile(pot_path)}
        demo = self._demo_xmlids()
        missing = {}
        extracted = 0
        for module, ttype, name, res_id, source, _value, _comments in TranslationModuleReader(self.env.cr, [MODULE]):
            if module != MODULE:
                continue
            extracted += 1
            if ttype in ("model", "model_terms") and res_id in demo:
                continue
            if source not in in_pot:
                missing.setdefault(source, f"{ttype}:{name}:{res_id}")
        self.assertGreater(extracted, 100, "the term extraction found almost nothing")
        if missing:
            self.fail(
                "%d strings are not in oms_logistics/i18n/oms_logistics.pot; run `make pot`, then translate "
                "them in es.po:\n%s" % (len(missing), "\n".join(
                    f"  {source!r}  ({where})" for source, where in sorted(missing.items())))
            )

    def test_spanish_terms_load(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["es_ES"], overwrite=True)
        env_es = self.env(context={"lang": "es_ES"})
        # code term (env._ in problem_message)
        self.assertEqual(problem_message(env_es, "zero_quantity", {}), "La cantidad es cero.")
        self.assertEqual(
            problem_message(env_es, "bad_number", {"value": "abc"}), "abc no es un número.")
        self.assertEqual(
            problem_message(env_es, "bad_file", {"reason": "empty"}),
            "No se puede leer el archivo: el archivo está vacío")
        # lazy code term (column labels of typed lines)
        self.assertEqual(env_es["oms.order.batch"].new({})._column_label("quantity"), "Cantidad")
        # model terms: selection label and field label
        kinds = dict(env_es["oms.order.batch.problem"]._fields["kind"]._description_selection(env_es))
        self.assertEqual(kinds["zero_quantity"], "Cantidad cero")
        self.assertEqual(
            env_es["ir.model.fields"]._get("oms.order.batch", "short_count").field_description,
            "Líneas sin stock suficiente")
        # English stays English
        self.assertEqual(problem_message(self.env(context={"lang": "en_US"}), "zero_quantity", {}),
                         "The quantity is zero.")

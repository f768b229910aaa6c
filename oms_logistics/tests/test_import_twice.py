"""A second file imported into a batch whose first file's rows are still waiting."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import OmsCase

HEADER = ["Customer", "Product", "Qty", "Price", "Date", "Ref"]


@tagged("post_install", "-at_install")
class TestImportTwice(OmsCase):
    def test_same_preset_adds_rows(self):
        batch = self.import_file(self.make_csv([HEADER, ["C-ALBA", "85123A", "2", "1.5", "", "PO-1"]]), "a.csv")
        self.import_file(self.make_csv([HEADER, ["C-BRISA", "85123A", "3", "1.5", "", "PO-2"]]), "b.csv",
                         batch=batch)
        self.assertEqual(len(batch.line_ids), 2)
        self.assertEqual(sorted(batch.line_ids.mapped("product_uom_qty")), [2.0, 3.0])

    def test_the_only_preset_of_a_company_is_proposed(self):
        other = self.env["res.company"].create({"name": "One-preset company"})
        Wizard = self.env["oms.batch.import"].with_company(other)
        self.assertFalse(Wizard.default_get(["preset_id"]).get("preset_id"), "no preset, nothing proposed")
        only = self.env["oms.import.preset"].create({"name": "Only one", "company_id": other.id})
        self.assertEqual(Wizard.default_get(["preset_id"])["preset_id"], only.id)
        self.env["oms.import.preset"].create({"name": "Second", "company_id": other.id})
        self.assertFalse(Wizard.default_get(["preset_id"]).get("preset_id"), "two presets: the user chooses")

    def test_other_separators_refused_nothing_lost(self):
        """The first file's "1.5" must keep reading as one and a half."""
        batch = self.import_file(self.make_csv([HEADER, ["C-ALBA", "85123A", "1.5", "2", "", "PO-1"]]), "a.csv")
        first = batch.line_ids
        with self.assertRaisesRegex(UserError, "already holds rows of a.csv"):
            self.import_file(self.make_csv([HEADER, ["C-BRISA", "85123A", "3", "1,5", "", "PO-2"]], ";"),
                             "b.csv", batch=batch, decimal_separator=",", csv_delimiter=";")
        self.assertEqual(batch.line_ids, first)
        batch.action_check()
        self.assertEqual(first.product_uom_qty, 1.5)

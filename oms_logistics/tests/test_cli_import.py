"""The shipped real day of the UCI Online Retail data set imported through the same function as
the ``oms-import`` command, and the command itself run once as a subprocess.

These classes do not use OmsCase: its fixture product has the internal reference 85123A, a
product code of the real file, and would make those rows ambiguous. They rely on the demo
data (customers, products, stock and the "Online Retail (UCI)" preset) but never on the
demo batch: each import makes its own batch.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import SkipTest

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

ADDON = Path(__file__).resolve().parents[1]
SAMPLE = ADDON / "demo" / "online_retail_2010-12-22.csv"
PRESET = "Online Retail (UCI)"


class CliImportCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("oms_logistics.oms_customer_17593", raise_if_not_found=False):
            raise SkipTest("needs the demo data (customers and products of the sample)")


@tagged("post_install", "-at_install")
class TestCliImport(CliImportCase):
    def test_real_day_imported_created_and_confirmed(self):
        data = SAMPLE.read_bytes()
        Batch = self.env["oms.order.batch"].with_context(tz="Europe/London")  # the shop's clock
        before = Batch.search([])
        summary, ok = Batch._cli_import(
            data, SAMPLE.name, PRESET, create=True, confirm=True, valid_only=True, foreground=True)
        batch = Batch.search([]) - before
        self.assertEqual(len(batch), 1, "the import makes its own batch")
        self.assertEqual(summary["batch"], batch.name)
        self.assertTrue(ok)
        self.assertEqual(summary["rows_read"], 291)
        self.assertEqual(summary["lines"], 291)
        self.assertEqual(summary["rows_skipped"], 0)
        self.assertEqual(summary["preset"], PRESET)
        self.assertEqual(summary["file"], SAMPLE.name)
        # 70 rows have no CustomerID; short of stock measured on the demo stock (every fifth
        # product without stock, the demo orders' reservations deducted)
        self.assertEqual(summary["problems_by_kind"], {"missing_value": 70, "stock_short": 86})
        self.assertEqual(summary["rows_in_error"], 70)
        missing = batch.problem_ids.filtered(lambda p: p.kind == "missing_value")
        self.assertEqual(set(missing.mapped("column")), {"CustomerID"})
        self.assertEqual(set(missing.line_id.mapped("client_order_ref")), {"539856", "539825", "539839"})
        # 22 invoices, 3 of them without any customer: 19 orders, 5 of them cancellations (returns)
        orders = batch.order_ids
        self.assertEqual(summary["orders_created"], 19)
        self.assertEqual(summary["orders_confirmed"], 19)
        self.assertEqual(len(orders), 19)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(sum(summary["lines_per_order"].values()), 291 - 70)
        returns = orders.filtered(lambda o: o.client_order_ref.startswith("C"))
        self.assertEqual(len(returns), 5)
        self.assertTrue(all(qty < 0 for qty in returns.order_line.mapped("product_uom_qty")))
        # invoice 539761: 26 rows of customer 17593, prices from the file
        order = orders.filtered(lambda o: o.client_order_ref == "539761")
        self.assertEqual(order.partner_id, self.env.ref("oms_logistics.oms_customer_17593"))
        self.assertEqual(len(order.order_line), 26)
        self.assertEqual(summary["lines_per_order"][order.name], 26)
        self.assertAlmostEqual(order.amount_untaxed, 662.90, places=2)
        robot = order.order_line.filtered(lambda l: l.product_id.default_code == "20705")
        self.assertEqual((robot.product_uom_qty, robot.price_unit), (8, 1.95))
        self.assertEqual(str(order.commitment_date), "2010-12-22 10:29:00", "London is on UTC in December")
        # POST and M are not products: service lines carrying the code
        charges = batch.line_ids.filtered("non_product")
        self.assertEqual(sorted(charges.mapped("raw_product")), ["M", "POST"])
        self.assertEqual(charges.product_id, self.env.ref("oms_logistics.product_non_product_charge"))
        # the rows in error stay in the batch, without order
        self.assertEqual(batch.state, "checked")
        self.assertEqual(len(batch.line_ids.filtered(lambda l: not l.sale_line_id)), 70)

    def test_preset_name_in_two_companies_must_name_the_company(self):
        preset = self.env["oms.import.preset"].search([("name", "=", PRESET)], limit=1)
        other = self.env["res.company"].create({"name": "Second retail company"})
        preset.copy({"name": PRESET, "company_id": other.id})
        with self.assertRaisesRegex(UserError, "say which company"):
            self.env["oms.order.batch"]._cli_import(SAMPLE.read_bytes(), SAMPLE.name, PRESET)
        summary, _ok = self.env["oms.order.batch"]._cli_import(
            SAMPLE.read_bytes(), SAMPLE.name, PRESET, company_id=preset.company_id.id)
        self.assertEqual(summary["rows_read"], 291)

    def test_demo_stock_never_negative(self):
        """The demo delivers a few of its orders, only those whose goods are all in stock:
        a negative quant would show as negative free stock in every later batch."""
        negative = self.env["stock.quant"].search_count(
            [("quantity", "<", 0), ("location_id.usage", "=", "internal")])
        self.assertEqual(negative, 0)
        demo = self.env["sale.order"].search([("oms_batch_id", "!=", False), ("execution_status", "=", "delivered")])
        self.assertTrue(demo, "the demo shows delivered orders")

    def test_rows_in_error_stop_creation_without_valid_only(self):
        summary, ok = self.env["oms.order.batch"]._cli_import(
            SAMPLE.read_bytes(), SAMPLE.name, PRESET, create=True, confirm=True, foreground=True)
        self.assertFalse(ok)
        self.assertEqual(summary["rows_in_error"], 70)
        self.assertEqual(summary["orders_created"], 0)
        self.assertEqual(summary["state"], "checked")


@tagged("post_install", "-at_install")
class TestCliCommand(CliImportCase):
    """The real ``oms-import`` command, in its own process.

    The subprocess cannot see this test's transaction, so it works on the committed database
    and commits its batch. It is run without --create/--confirm: it only adds a batch (no
    order, no stock move), which the test deletes afterwards through a cursor of its own so
    that running the tests again on the same database finds it as it was. This class writes
    nothing in its own transaction before the subprocess runs, so the subprocess can never
    wait on a lock the test holds; a timeout turns a hang into a failure anyway.
    """

    def test_oms_import_command(self):
        repo = ADDON.parent
        cmd = [sys.executable, "-m", "odoo", f"--addons-path={repo}", "oms-import",
               "-d", self.env.cr.dbname, "--file", str(SAMPLE), "--preset", PRESET,
               "--log-level=warn"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=dict(os.environ),
                              check=False)
        try:
            self.assertIn(proc.returncode, (0, 1), proc.stderr[-3000:])
            summary = json.loads(proc.stdout)
        finally:
            self._delete_committed_batch(proc.stdout)
        self.assertEqual(summary["rows_read"], 291)
        self.assertEqual(summary["lines"], 291)
        self.assertEqual(summary["preset"], PRESET)
        self.assertEqual(summary["orders_created"], 0, "nothing created without --create")
        self.assertEqual(summary["salesperson"], "admin", "imported for a person, not for OdooBot")
        # rows without a customer: exit code 1 and nothing created
        self.assertEqual(summary["rows_in_error"], 70)
        self.assertEqual(proc.returncode, 1)

    def test_unknown_preset_is_a_json_error(self):
        cmd = [sys.executable, "-m", "odoo", f"--addons-path={ADDON.parent}", "oms-import",
               "-d", self.env.cr.dbname, "--file", str(SAMPLE), "--preset", "No such preset",
               "--log-level=warn"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=dict(os.environ),
                              check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr[-3000:])
        answer = json.loads(proc.stdout)
        self.assertEqual(answer["error"], "No import preset is named No such preset.")
        self.assertNotIn("Traceback", proc.stderr)

    def _delete_committed_batch(self, stdout):
        try:
            name = json.loads(stdout)["batch"]
        except (ValueError, KeyError, TypeError):
            return
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["oms.order.batch"].search([("name", "=", name)]).unlink()

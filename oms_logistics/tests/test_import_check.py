"""Import and checking rules of order batches, through the import wizard and the real ORM.

Every test builds the exact bad input, then asserts the exact set of (row, column, kind)
problems (nothing more), and that the good rows of the same file are clean.
"""

import json
import pathlib
import re
from datetime import datetime

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from ..lib.dates import EPOCH_1904
from ..lib.mapping import ImportOptions
from ..lib.problems import KINDS as LIB_KINDS
from ..lib.reader import read_table
from ..models.oms_order_batch_problem import problem_message
from .common import OmsCase

HEADER = ["Customer", "Product", "Qty", "Price", "Date", "Ref"]
LANTERN = "71053"
LAMP_EAN = "5012345678900"  # the lamp's barcode; its internal ref 85123A is also a demo product's


@tagged("post_install", "-at_install")
class TestImportCheck(OmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        # not storable: no stock alert whatever the quantity
        cls.product_bag = Product.create({
            "name": "Paper bag", "default_code": "BAG-01", "list_price": 0.10, "type": "consu"})
        cls.IrModelData = cls.env["ir.model.data"]
        cls.preset_retail = cls.env.ref("oms_logistics.preset_online_retail")
        cls.charge = cls.env.ref("oms_logistics.product_non_product_charge")

    # ------------------------------------------------------------------ helpers

    def line_at(self, batch, row):
        line = batch.line_ids.filtered(lambda l: l.row == row)
        self.assertEqual(len(line), 1, f"one line expected for row {row}")
        return line

    def assert_clean(self, batch, rows):
        """The lines of these rows have no problem at all."""
        for row in rows:
            line = self.line_at(batch, row)
            self.assertFalse(line.has_error, f"row {row}: {line.problem_text}")
            self.assertFalse(self.problems(batch, row), f"row {row}")

    def xml_id(self, record, name):
        self.IrModelData.create({"module": "oms_test", "name": name, "model": record._name, "res_id": record.id})
        return f"oms_test.{name}"

    def params(self, batch, row, kind):
        problem = batch.problem_ids.filtered(lambda p: p.row == row and p.kind == kind)
        self.assertEqual(len(problem), 1)
        return json.loads(problem.params), problem.message

    # ------------------------------------------------------------------ customers

    def test_customer_unknown_and_ambiguous(self):
        Partner = self.env["res.partner"]
        twin_1 = Partner.create({"name": "Twin Stores", "city": "Lugo"})
        twin_2 = Partner.create({"name": "Twin Stores", "city": "Vigo"})
        batch = self.import_file(self.make_csv([
            HEADER,
            ["Nobody Ltd", LANTERN, 1, 3.0, "15/03/2024", "PO-1"],
            ["Twin Stores", LANTERN, 1, 3.0, "15/03/2024", "PO-2"],
            ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-3"],
        ]), "customers.csv")
        self.assertEqual(self.problems(batch), {
            (2, "Customer", "unknown_customer"),
            (3, "Customer", "ambiguous_customer"),
        })
        params, message = self.params(batch, 3, "ambiguous_customer")
        for twin in twin_1 | twin_2:
            self.assertIn(f"#{twin.id}", params["names"])
            self.assertIn(f"#{twin.id}", message)
        self.assertFalse(self.line_at(batch, 3).partner_id)
        self.assertTrue(self.line_at(batch, 2).has_error)
        self.assertTrue(self.line_at(batch, 3).has_error)
        self.assertEqual(self.line_at(batch, 4).partner_id, self.customer_a)
        self.assert_clean(batch, [4])
        self.assertEqual(batch.error_count, 2)
        self.assertEqual(batch.state, "checked")

    def test_customer_matching(self):
        brisa_xml = self.xml_id(self.customer_b, "brisa")
        batch = self.import_file(self.make_csv([
            HEADER,
            ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-1"],       # ref
            ["CUST0001", LANTERN, 1, 3.0, "15/03/2024", "PO-2"],     # barcode
            [brisa_xml, LANTERN, 1, 3.0, "15/03/2024", "PO-3"],      # external id
            ["Brisa Shops", LANTERN, 1, 3.0, "15/03/2024", "PO-4"],  # exact name
            ["Alba", LANTERN, 1, 3.0, "15/03/2024", "PO-5"],         # never a substring
        ]), "customers.csv")
        self.assertEqual(self.problems(batch), {(6, "Customer", "unknown_customer")})
        self.assertEqual(self.line_at(batch, 2).partner_id, self.customer_a)
        self.assertEqual(self.line_at(batch, 3).partner_id, self.customer_a)
        self.assertEqual(self.line_at(batch, 4).partner_id, self.customer_b)
        self.assertEqual(self.line_at(batch, 5).partner_id, self.customer_b)
        self.assertFalse(self.line_at(batch, 6).partner_id)
        self.assert_clean(batch, [2, 3, 4, 5])

    # ------------------------------------------------------------------ products

    def test_product_rules(self):
        Product = self.env["product.product"]
        by_ref = Product.create({"name": "Candle red", "default_code": "AMB-1", "type": "consu"})
        by_barcode = Product.create({"name": "Candle blue", "barcode": "AMB-1", "type": "consu"})
        archived = Product.create({"name": "Old candle", "default_code": "OLD-1", "type": "consu", "active": False})
        unsellable = Product.create({"name": "Spare wick", "default_code": "WICK-1", "type": "consu", "sale_ok": False})
        lantern_xml = self.xml_id(self.product_lantern, "lantern")
        batch = self.import_file(self.make_csv([
            HEADER,
            ["C-ALBA", "NOPE-1", 1, 1.0, "15/03/2024", "PO-1"],
            ["C-ALBA", "AMB-1", 1, 1.0, "15/03/2024", "PO-1"],
            ["C-ALBA", "OLD-1", 1, 1.0, "15/03/2024", "PO-1"],
            ["C-ALBA", "WICK-1", 1, 1.0, "15/03/2024", "PO-1"],
            ["C-ALBA", LAMP_EAN, 1, 1.0, "15/03/2024", "PO-1"],               # barcode
            ["C-ALBA", lantern_xml, 1, 1.0, "15/03/2024", "PO-1"],            # external id
            ["C-ALBA", "White metal lantern", 1, 1.0, "15/03/2024", "PO-1"],  # exact name
            ["C-ALBA", "lantern", 1, 1.0, "15/03/2024", "PO-1"],              # never a substring
        ]), "products.csv")
        self.assertEqual(self.problems(batch), {
            (2, "Product", "unknown_product"),
            (3, "Product", "ambiguous_product"),
            (4, "Product", "archived_product"),
            (5, "Product", "unsellable_product"),
            (9, "Product", "unknown_product"),
        })
        params, message = self.params(batch, 3, "ambiguous_product")
        for product in by_ref | by_barcode:
            self.assertIn(f"#{product.id}", params["names"])
            self.assertIn(product.display_name, message)
        self.assertEqual(self.line_at(batch, 4).product_id, archived)
        self.assertEqual(self.line_at(batch, 5).product_id, unsellable)
        self.assertEqual(self.line_at(batch, 6).product_id, self.product_lamp)
        self.assertEqual(self.line_at(batch, 7).product_id, self.product_lantern)
        self.assertEqual(self.line_at(batch, 8).product_id, self.product_lantern)
        self.assert_clean(batch, [6, 7, 8])

    # ------------------------------------------------------------------ cells

    def test_quantity_price_uom_date_errors(self):
        header = HEADER + ["Unit", "Return"]
        batch = self.import_file(self.make_csv([
            header,
            ["C-ALBA", LAMP_EAN, "abc", 2.5, "15/03/2024", "PO-1", "", ""],
            ["C-ALBA", LAMP_EAN, "0", 2.5, "15/03/2024", "PO-1", "", ""],
            ["C-ALBA", LAMP_EAN, "-3", 2.5, "15/03/2024", "PO-1", "", ""],
            ["C-ALBA", LAMP_EAN, "-3", 2.5, "15/03/2024", "PO-1", "", "yes"],
            ["C-ALBA", LAMP_EAN, "2", "abc", "15/03/2024", "PO-1", "", ""],
            ["C-ALBA", LAMP_EAN, "2", 2.5, "15/03/2024", "PO-1", "Boxes", ""],
            ["C-ALBA", LAMP_EAN, "2", 2.5, "15/03/2024", "PO-1", "kg", ""],
            ["C-ALBA", LAMP_EAN, "2", 2.5, "31/02/2024", "PO-1", "", ""],
            ["C-ALBA", LAMP_EAN, "2", 2.5, "15/03/2024", "PO-1", "Units", "no"],
        ]), "cells.csv", mapping={"Unit": "uom", "Return": "is_return"})
        self.assertEqual(self.problems(batch), {
            (2, "Qty", "bad_number"),
            (3, "Qty", "zero_quantity"),
            (4, "Qty", "negative_quantity"),
            (6, "Price", "bad_price"),
            (7, "Unit", "unknown_uom"),
            (8, "Unit", "wrong_uom"),
            (9, "Date", "bad_date"),
        })
        self.assertTrue(all(p.severity == "error" for p in batch.problem_ids))
        self.assertEqual(batch.error_count, 7)
        # the explicit return line is fine, negative
        ret = self.line_at(batch, 5)
        self.assertTrue(ret.is_return)
        self.assertEqual(ret.product_uom_qty, -3)
        self.assertEqual(self.line_at(batch, 8).product_uom, self.kg)
        good = self.line_at(batch, 10)
        self.assertRecordValues(good, [{
            "partner_id": self.customer_a.id, "product_id": self.product_lamp.id, "product_uom_qty": 2,
            "product_uom": self.unit.id, "price_unit": 2.5, "requested_date": datetime(2024, 3, 15, 12, 0),
            "is_return": False, "client_order_ref": "PO-1",
        }])
        self.assert_clean(batch, [5, 10])

    def test_bad_rows_keep_their_cell_texts(self):
        header = HEADER + ["Unit"]
        batch = self.import_file(self.make_csv([
            header,
            ["Nobody Ltd", "NOPE-1", "abc", "x1", "31/02/2024", "PO-9", "Boxes"],
        ]), "bad.csv", mapping={"Unit": "uom"})
        self.assertEqual(self.problems(batch), {
            (2, "Customer", "unknown_customer"), (2, "Product", "unknown_product"),
            (2, "Qty", "bad_number"), (2, "Price", "bad_price"), (2, "Date", "bad_date"),
            (2, "Unit", "unknown_uom"),
        })
        self.assertRecordValues(self.line_at(batch, 2), [{
            "raw_customer": "Nobody Ltd", "raw_product": "NOPE-1", "raw_quantity": "abc", "raw_price": "x1",
            "raw_date": "31/02/2024", "raw_uom": "Boxes", "client_order_ref": "PO-9",
            "partner_id": False, "product_id": False, "has_error": True,
        }])
        # checking again loses nothing either
        batch.action_check()
        self.assertEqual(len(self.problems(batch)), 6)
        self.assertEqual(self.line_at(batch, 2).raw_quantity, "abc")

    def test_decimal_comma_thousands_point(self):
        batch = self.import_file(self.make_csv([
            HEADER,
            ["C-ALBA", "BAG-01", "1.234,5", "1.234,5", "15/03/2024", "PO-1"],
            ["C-ALBA", "BAG-01", "2,25", "0,5", "15/03/2024", "PO-1"],
        ], delimiter=";"), "comma.csv", decimal_separator=",", thousands_separator=".")
        self.assertFalse(self.problems(batch))
        self.assertRecordValues(batch.line_ids.sorted("row"), [
            {"row": 2, "product_uom_qty": 1234.5, "price_unit": 1234.5},
            {"row": 3, "product_uom_qty": 2.25, "price_unit": 0.5},
        ])
        self.assertEqual(batch.amount_total, round(1234.5 * 1234.5 + 2.25 * 0.5, 2))

    def test_decimal_comma_kept_when_fixing(self):
        """A cell fixed after the import is read with the separators chosen for the file."""
        batch = self.import_file(self.make_csv([
            HEADER,
            ["C-ALBA", "BAG-01", "abc", "1,5", "15/03/2024", "PO-1"],
        ], delimiter=";"), "comma.csv", decimal_separator=",", thousands_separator=".")
        self.assertEqual(self.problems(batch), {(2, "Qty", "bad_number")})
        line = self.line_at(batch, 2)
        line.raw_quantity = "1.234,5"
        batch.action_check()
        self.assertFalse(self.problems(batch))
        self.assertEqual(line.product_uom_qty, 1234.5)
        self.assertEqual(line.price_unit, 1.5)

    def test_options_of_the_wizard_without_preset(self):
        """Without a preset, the wizard's options are the ones used to check and re-check."""
        batch = self.import_file(self.make_csv([
            HEADER,
            ["C-ALBA", "POST", 1, 12.0, "15/03/2024", "PO-1"],
            ["C-ALBA", LANTERN, 1, 3.0, "15/03/24", "PO-1"],
        ]), "no_preset.csv", preset=False, date_format="%d/%m/%Y", non_product_codes="POST",
            non_product_mode="service", non_product_service_id=self.charge.id)
        self.assertFalse(batch.preset_id)
        self.assertEqual(self.problems(batch), {(3, "Date", "bad_date")})
        self.assertRecordValues(self.line_at(batch, 2), [{
            "product_id": self.charge.id, "non_product": True, "price_unit": 12.0,
            "requested_date": datetime(2024, 3, 15, 12, 0),
        }])
        line = self.line_at(batch, 3)
        line.raw_date = "16/03/2024"
        batch.action_check()
        self.assertFalse(self.problems(batch))
        self.assertEqual(line.requested_date, datetime(2024, 3, 16, 12, 0))

    # ------------------------------------------------------------------ dates

    def test_times_are_read_in_the_users_time_zone(self):
        """Like Odoo's import: 08:26 in Madrid (UTC+1 in December) is stored as 07:26 UTC,
        also when the row is fixed and checked again."""
        self.env["res.partner"].create({"name": "Retail customer 17850", "ref": "17850"})
        self.env.user.tz = "Europe/Madrid"
        self.env = self.env(context={k: v for k, v in self.env.context.items() if k != "tz"})
        batch = self.import_file(self.retail_file(), "Online Retail.csv", preset=self.preset_retail)
        self.assertEqual(self.line_at(batch, 2).requested_date, datetime(2010, 12, 1, 7, 26))
        line = self.line_at(batch, 4)
        line.raw_date = "2010-12-01 23:30:00"
        batch.action_check()
        self.assertEqual(line.requested_date, datetime(2010, 12, 1, 22, 30))

    def test_dates(self):
        expected = datetime(2024, 3, 15, 12, 0)
        rows = [HEADER, ["C-ALBA", LANTERN, 1, 3.0, datetime(2024, 3, 15), "PO-1"]]
        formats = {(2, 5): "dd/mm/yyyy"}
        data_1900 = self.make_xlsx(rows, formats)
        data_1904 = self.make_xlsx(rows, formats, epoch_1904=True)
        self.assertEqual(read_table(data_1904, "f.xlsx").epoch, EPOCH_1904)  # really a 1904 workbook
        serial = self.make_xlsx([HEADER, ["C-ALBA", LANTERN, 1, 3.0, 45366, "PO-1"]], formats)
        # a bare serial number (General format) is counted from the workbook's own epoch
        serial_general = self.make_xlsx([HEADER, ["C-ALBA", LANTERN, 1, 3.0, 45366, "PO-1"]])
        serial_general_1904 = self.make_xlsx([HEADER, ["C-ALBA", LANTERN, 1, 3.0, 43904, "PO-1"]], epoch_1904=True)
        text = self.make_csv([HEADER, ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-1"]])
        for data, name in ((data_1900, "d1900.xlsx"), (data_1904, "d1904.xlsx"), (serial, "serial.xlsx"),
                           (serial_general, "serial_general.xlsx"), (serial_general_1904, "serial_1904.xlsx"),
                           (text, "text.csv")):
            with self.subTest(file=name):
                batch = self.import_file(data, name)
                self.assertFalse(self.problems(batch))
                self.assertEqual(batch.line_ids.requested_date, expected)

    # ------------------------------------------------------------------ codes

    def test_codes_kept_as_text(self):
        gift = self.env["product.product"].create({
            "name": "Gift box", "barcode": "0412345678905", "type": "consu"})
        batch = self.import_file(self.make_xlsx([
            HEADER,
            ["C-ALBA", 412345678905, 1, 3.0, "15/03/2024", "PO-1"],
            ["C-ALBA", 1234567890123456, 1, 3.0, "15/03/2024", "PO-1"],
        ], formats={(2, 2): "0000000000000"}), "codes.xlsx")
        self.assertEqual(self.problems(batch), {(3, "Product", "bad_code")})
        self.assertEqual(self.line_at(batch, 2).product_id, gift)
        self.assertEqual(self.line_at(batch, 2).raw_product, "0412345678905")
        bad = self.line_at(batch, 3)
        self.assertTrue(bad.has_error)
        self.assertFalse(bad.product_id)
        self.assertEqual(bad.raw_product, "1234567890123456")
        self.assert_clean(batch, [2])

    # ------------------------------------------------------------------ file shape

    def test_blank_rows_and_unknown_column(self):
        header = HEADER + ["Notes"]
        batch = self.import_file(self.make_xlsx([
            header,
            ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-1", "ring first"],
            [None] * 7,
            ["C-BRISA", LANTERN, 2, 3.0, "15/03/2024", "PO-2", "back door"],
            [None, None, None, None, None, None, None],
            ["C-BRISA", "NOPE-1", 2, 3.0, "15/03/2024", "PO-2", "late"],
        ]), "blank.xlsx")
        self.assertEqual(sorted(batch.line_ids.mapped("row")), [2, 4, 6])
        self.assertEqual(self.problems(batch), {(0, "Notes", "unknown_column"), (6, "Product", "unknown_product")})
        unknown = batch.problem_ids.filtered(lambda p: p.kind == "unknown_column")
        self.assertEqual(len(unknown), 1)
        self.assertEqual(unknown.severity, "warning")
        self.assertFalse(unknown.line_id)
        self.assertIn("Notes", unknown.message)
        self.assert_clean(batch, [2, 4])
        self.assertEqual(batch.error_count, 1)

    def test_column_ignored_by_the_preset_is_not_reported(self):
        self.preset.column_ids = [Command.create({"header": "Notes", "target": "ignore"})]
        batch = self.import_file(self.make_csv([
            HEADER + ["Notes"], ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-1", "ring first"],
        ]), "notes.csv")
        self.assertFalse(self.problems(batch))

    # ------------------------------------------------------------------ fixing

    def test_fix_customer_in_the_grid(self):
        batch = self.import_file(self.make_csv([
            HEADER,
            ["Nobody Ltd", LANTERN, 1, 3.0, "15/03/2024", "PO-1"],
            ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-2"],
        ]), "fix.csv")
        self.assertEqual(self.problems(batch), {(2, "Customer", "unknown_customer")})
        index = batch.line_ids.ids.index(self.line_at(batch, 2).id)
        with Form(batch) as form:
            with form.line_ids.edit(index) as line:
                line.partner_id = self.customer_b
        bad = self.line_at(batch, 2)
        self.assertEqual(bad.partner_id, self.customer_b)
        self.assertFalse(bad.raw_customer)
        batch.action_check()
        self.assertFalse(self.problems(batch))
        self.assertFalse(bad.has_error)
        self.assertFalse(bad.problem_text)
        self.assertEqual(bad.partner_id, self.customer_b)
        self.assertEqual(batch.error_count, 0)

    def test_fix_by_editing_raw_text(self):
        batch = self.import_file(self.make_csv([
            HEADER,
            ["C-ALBA", LANTERN, "abc", 3.0, "15/03/2024", "PO-1"],
            ["C-ALBA", "71O53", 1, 3.0, "15/03/2024", "PO-2"],
        ]), "fix.csv")
        self.assertEqual(self.problems(batch), {(2, "Qty", "bad_number"), (3, "Product", "unknown_product")})
        line = self.line_at(batch, 2)
        self.assertEqual(line.raw_quantity, "abc")
        line.raw_quantity = "7"
        self.line_at(batch, 3).raw_product = LANTERN
        self.assertEqual(batch.state, "draft")
        batch.action_check()
        self.assertFalse(self.problems(batch))
        self.assertEqual(line.product_uom_qty, 7)
        self.assertEqual(self.line_at(batch, 3).product_id, self.product_lantern)
        self.assertFalse(line.has_error)

    # ------------------------------------------------------------------ online retail preset

    def retail_file(self):
        return self.make_csv([
            ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"],
            ["536365", LANTERN, "WHITE METAL LANTERN", "6", "2010-12-01 08:26:00", "3.39", "17850.0", "United Kingdom"],
            ["C536379", LANTERN, "WHITE METAL LANTERN", "-1", "2010-12-01 09:41:00", "3.39", "17850.0", "United Kingdom"],
            ["536366", LANTERN, "WHITE METAL LANTERN", "2", "2010-12-01 08:28:00", "3.39", "", "United Kingdom"],
            ["536367", "POST", "POSTAGE", "1", "2010-12-01 08:34:00", "18.0", "17850.0", "France"],
        ])

    def test_online_retail_preset(self):
        self.env = self.env(context=dict(self.env.context, tz="Europe/London"))  # the file's shop
        retail = self.env["res.partner"].create({"name": "Retail customer 17850", "ref": "17850"})
        batch = self.import_file(self.retail_file(), "Online Retail.csv", preset=self.preset_retail)
        self.assertEqual(self.problems(batch), {(4, "CustomerID", "missing_value")})
        sale = self.line_at(batch, 2)
        self.assertRecordValues(sale, [{
            "partner_id": retail.id, "product_id": self.product_lantern.id, "product_uom_qty": 6,
            "price_unit": 3.39, "client_order_ref": "536365", "is_return": False,
            "requested_date": datetime(2010, 12, 1, 8, 26),
        }])
        ret = self.line_at(batch, 3)
        self.assertRecordValues(ret, [{
            "partner_id": retail.id, "product_id": self.product_lantern.id, "product_uom_qty": -1,
            "is_return": True, "has_error": False, "client_order_ref": "C536379",
        }])
        self.assertFalse(self.line_at(batch, 4).partner_id)
        post = self.line_at(batch, 5)
        self.assertRecordValues(post, [{
            "partner_id": retail.id, "product_id": self.charge.id, "non_product": True, "raw_product": "POST",
            "product_uom_qty": 1, "price_unit": 18.0,
        }])
        self.assert_clean(batch, [2, 3, 5])

    def test_online_retail_report_modes(self):
        self.env["res.partner"].create({"name": "Retail customer 17850", "ref": "17850"})
        self.preset_retail.write({"cancel_mode": "report", "non_product_mode": "report"})
        batch = self.import_file(self.retail_file(), "Online Retail.csv", preset=self.preset_retail)
        self.assertEqual(self.problems(batch), {
            (3, "InvoiceNo", "cancellation"),
            (4, "CustomerID", "missing_value"),
            (5, "StockCode", "non_product_code"),
        })
        self.assertFalse(self.line_at(batch, 3).is_return)
        self.assertFalse(self.line_at(batch, 5).non_product)
        self.assertEqual(self.line_at(batch, 5).raw_product, "POST")
        self.assert_clean(batch, [2])

    def test_online_retail_modes_chosen_in_the_wizard(self):
        """The same report modes chosen in the wizard, the preset left as it is."""
        self.env["res.partner"].create({"name": "Retail customer 17850", "ref": "17850"})
        batch = self.import_file(self.retail_file(), "Online Retail.csv", preset=self.preset_retail,
                                 cancel_mode="report", non_product_mode="report")
        expected = {
            (3, "InvoiceNo", "cancellation"),
            (4, "CustomerID", "missing_value"),
            (5, "StockCode", "non_product_code"),
        }
        self.assertEqual(self.problems(batch), expected)
        batch.action_check()
        self.assertEqual(self.problems(batch), expected)

    def test_online_retail_skip_mode(self):
        self.env["res.partner"].create({"name": "Retail customer 17850", "ref": "17850"})
        self.preset_retail.non_product_mode = "skip"
        batch = self.import_file(self.retail_file(), "Online Retail.csv", preset=self.preset_retail)
        self.assertEqual(sorted(batch.line_ids.mapped("row")), [2, 3, 4])
        self.assertEqual(self.problems(batch), {(4, "CustomerID", "missing_value")})
        self.assertNotIn(self.charge, batch.line_ids.product_id)

    # ------------------------------------------------------------------ grid

    def test_grid_price_from_pricelist(self):
        pricelist = self.env["product.pricelist"].create({
            "name": "Alba prices",
            "item_ids": [Command.create({
                "applied_on": "0_product_variant", "product_id": self.product_lantern.id,
                "compute_price": "fixed", "fixed_price": 1.99,
            })],
        })
        self.customer_a.property_product_pricelist = pricelist
        self.customer_b.property_product_pricelist = self.env["product.pricelist"].create({"name": "List prices"})
        batch = self.env["oms.order.batch"].create({})
        with Form(batch) as form:
            with form.line_ids.new() as line:
                line.partner_id = self.customer_a
                line.product_id = self.product_lantern
                line.product_uom_qty = 2
                self.assertEqual(line.price_unit, 1.99)
            with form.line_ids.new() as line:
                line.partner_id = self.customer_b  # no pricelist of its own
                line.product_id = self.product_lantern
                line.product_uom_qty = 1
                self.assertEqual(line.price_unit, 3.39)
        first, second = batch.line_ids.sorted("id")
        self.assertRecordValues(first, [{
            "partner_id": self.customer_a.id, "product_id": self.product_lantern.id, "product_uom_qty": 2,
            "price_unit": 1.99, "price_from_pricelist": True,
        }])
        batch.action_check()
        self.assertFalse(self.problems(batch))
        self.assertEqual(first.product_uom, self.unit)  # the unit field is shown with uom.group_uom only
        self.assertEqual(first.price_unit, 1.99)
        self.assertEqual(second.price_unit, 3.39)  # the list price

    # ------------------------------------------------------------------ stock

    def test_stock_alerts(self):
        self.env["stock.warehouse.orderpoint"].create({
            "product_id": self.product_lamp.id, "warehouse_id": self.warehouse.id,
            "location_id": self.stock.id, "product_min_qty": 5, "product_max_qty": 20,
        })
        batch = self.env["oms.order.batch"].create({"line_ids": [
            Command.create({"sequence": 1, "partner_id": self.customer_a.id,
                            "product_id": self.product_lantern.id, "product_uom_qty": 8}),
            Command.create({"sequence": 2, "partner_id": self.customer_b.id,
                            "product_id": self.product_lantern.id, "product_uom_qty": 5}),
            Command.create({"sequence": 3, "partner_id": self.customer_a.id,
                            "product_id": self.product_lamp.id, "product_uom_qty": 98}),
        ]})
        batch.action_check()
        first, second, lamps = batch.line_ids.sorted("sequence")
        self.assertRecordValues(first | second | lamps, [
            {"is_short": False, "below_minimum": False, "free_qty": 10, "has_error": False},
            {"is_short": True, "below_minimum": False, "free_qty": 10, "has_error": False},
            {"is_short": False, "below_minimum": True, "free_qty": 100, "has_error": False},
        ])
        self.assertEqual(self.problems(batch), {(2, "Quantity", "stock_short"), (3, "Quantity", "below_minimum")})
        self.assertTrue(all(p.severity == "warning" for p in batch.problem_ids))
        params, message = self.params(batch, 2, "stock_short")
        self.assertEqual((params["requested"], params["free"]), (13, 10))
        self.assertEqual(message, "Short of stock: 13.00 requested, 10.00 free, 10.00 forecast.")
        self.assertEqual(batch.short_count, 1)
        self.assertIn("White metal lantern", batch.shortage_summary)
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", str(batch.shortage_summary))
        self.assertEqual(cells[2:], ["13.00", "10.00", "10.00", "3.00"], "requested by the batch, free, forecast, missing")
        self.assertNotIn("Hanging heart lamp", batch.shortage_summary)

    def test_free_stock_today_does_not_hide_a_shortage_at_the_date(self):
        """10 lanterns on hand, 8 promised to an order whose delivery is not reserved yet:
        10 are free today but only 2 are forecast, so a line of 5 is short (Odoo's rule for
        quotations). Comparing with the larger of free and forecast hid it."""
        order = self.env["sale.order"].create({
            "partner_id": self.customer_b.id,
            "order_line": [Command.create({"product_id": self.product_lantern.id, "product_uom_qty": 8})],
        })
        order.action_confirm()
        order.picking_ids.do_unreserve()
        batch = self.make_batch([{"partner_id": self.customer_a.id, "product_id": self.product_lantern.id,
                                  "product_uom_qty": 5}])
        self.assertRecordValues(batch.line_ids, [{"free_qty": 10, "forecast_qty": 2, "is_short": True}])
        self.assertEqual(self.problems(batch), {(1, "Quantity", "stock_short")})

    # ------------------------------------------------------------------ problem kinds

    def test_every_lib_kind_has_a_label_and_a_message(self):
        """A kind the library reports but the selection lacks makes the import crash."""
        source = "".join(path.read_text(encoding="utf-8")
                         for path in sorted((pathlib.Path(__file__).parents[1] / "lib").glob("*.py")))
        produced = set(re.findall(r'ParseError\(\s*"(\w+)"', source))
        produced |= set(re.findall(r'Problem\(\s*[^,()]+,\s*[^,()]+,\s*"(\w+)"', source))
        self.assertIn("missing_column", produced)
        labels = dict(self.env["oms.order.batch.problem"]._fields["kind"]._description_selection(self.env))
        self.assertEqual((produced | LIB_KINDS) - set(labels), set())
        for kind in labels:
            with self.subTest(kind=kind):
                self.assertNotEqual(problem_message(self.env, kind, {}), kind, "no message")

    # ------------------------------------------------------------------ required columns

    def test_file_without_quantity_column(self):
        """The wizard names the missing column instead of crashing on a missing_column problem."""
        batches = self.env["oms.order.batch"].search_count([])
        data = self.make_xlsx([["Customer", "Product", "Price"], ["C-ALBA", LANTERN, 3.0]])
        with self.assertRaisesRegex(UserError, r"Map a column to Quantity: customer, product and quantity"):
            self.import_file(data, "no_qty.xlsx")
        with self.assertRaisesRegex(UserError, r"Map a column to Customer, Quantity:"):
            self.import_file(data, "no_qty.xlsx", mapping={"Customer": "ignore"})
        self.assertEqual(self.env["oms.order.batch"].search_count([]), batches)
        self.assertFalse(self.env["oms.import.preset"].search([("name", "=", "No quantity")]))
        with self.assertRaises(UserError):  # nothing is remembered either
            self.import_file(data, "no_qty.xlsx", save_preset=True, preset_name="No quantity")
        self.assertFalse(self.env["oms.import.preset"].search([("name", "=", "No quantity")]))

    def test_missing_column_problem(self):
        """Imported without the wizard (the batch's own import), the missing column is a problem."""
        batch = self.env["oms.order.batch"].create({})
        table = read_table(self.make_csv([["Customer", "Product", "Price"], ["C-ALBA", "BAG-01", 3.0]]), "f.csv")
        batch._import_table(table, {"Customer": "customer", "Product": "product", "Price": "price"}, ImportOptions())
        batch.action_check()
        self.assertEqual(self.problems(batch), {(0, False, "missing_column"), (2, "Quantity", "zero_quantity")})
        problem = batch.problem_ids.filtered(lambda p: p.kind == "missing_column")
        self.assertEqual((problem.severity, json.loads(problem.params)), ("error", {"target": "quantity"}))
        self.assertEqual(problem.message, "No column is mapped to Quantity: customer, product and quantity "
                                          "are needed to make an order line.")
        self.assertEqual(batch.error_count, 1)

    def test_duplicate_column(self):
        """Two file columns mapped to the product: the mapping step says so, nothing is imported."""
        data = self.make_xlsx([
            HEADER + ["Code"],
            ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-1", "BAG-01"],
        ])
        Batch = self.env["oms.order.batch"]
        before = Batch.search([])
        with self.assertRaisesRegex(UserError, "Columns Product and Code are both mapped to Product"):
            self.import_file(data, "twice.xlsx", mapping={"Code": "product"})
        self.assertEqual(Batch.search([]), before)

    def test_duplicate_column_read_directly_blocks_creation(self):
        """Code calling _import_table itself gets the problem recorded, and no order."""
        data = self.make_xlsx([
            HEADER + ["Code"],
            ["C-ALBA", LANTERN, 1, 3.0, "15/03/2024", "PO-1", "BAG-01"],
        ])
        batch = self.env["oms.order.batch"].create({})
        mapping = {**self.preset._get_mapping(), "Code": "product"}
        batch._import_table(read_table(data, "twice.xlsx"), mapping, ImportOptions(date_format="%d/%m/%Y"))
        batch.action_check()
        self.assertEqual(self.problems(batch), {(0, "Code", "duplicate_column")})
        with self.assertRaisesRegex(UserError, "columns of the file"):
            batch.action_create_valid_orders()
        self.assertFalse(batch.order_ids)
        problem = batch.problem_ids
        self.assertEqual(problem.severity, "error")
        self.assertFalse(problem.line_id)
        self.assertEqual(json.loads(problem.params), {"target": "product", "other": "Product"})
        self.assertEqual(problem.message, "Two columns are mapped to Product.")
        self.assertEqual(self.line_at(batch, 2).product_id, self.product_lantern)

    # ------------------------------------------------------------------ delivery addresses

    def test_delivery_typed_must_belong_to_the_customer(self):
        Partner = self.env["res.partner"]
        buyer = Partner.create({"name": "Ana Buyer", "parent_id": self.customer_b.id, "type": "contact"})
        outlet = Partner.create({"name": "Brisa Outlet", "parent_id": self.customer_b.id, "is_company": True})
        base = {"product_id": self.product_bag.id, "product_uom_qty": 1}
        batch = self.make_batch([
            {**base, "partner_id": self.customer_a.id, "partner_shipping_id": self.customer_b_delivery.id},
            {**base, "partner_id": self.customer_b.id, "partner_shipping_id": self.customer_b_delivery.id},
            {**base, "partner_id": self.customer_b.id, "partner_shipping_id": self.customer_b.id},
            {**base, "partner_id": buyer.id, "partner_shipping_id": self.customer_b_delivery.id},  # a colleague's
            {**base, "partner_id": self.customer_b.id, "partner_shipping_id": outlet.id},  # child_of, own company
            {**base, "partner_id": self.customer_b.id, "partner_shipping_id": self.customer_a.id},
            {**base, "partner_id": self.customer_a.id},  # no address: the customer's own
        ])
        self.assertEqual(self.problems(batch), {
            (1, "Delivery address", "wrong_delivery"), (6, "Delivery address", "wrong_delivery")})
        params, message = self.params(batch, 1, "wrong_delivery")
        self.assertEqual((params["address"], params["customer"]),
                         (self.customer_b_delivery.display_name, self.customer_a.display_name))
        self.assertEqual(message, "Brisa Shops, Brisa North depot is not an address of customer Alba Retail: "
                                  "deliver to the customer or to one of its contacts.")
        self.assertEqual(batch.error_count, 2)
        # fixed by typing the customer's own address
        batch.line_ids.filtered(lambda l: l.sequence == 1).partner_shipping_id = self.customer_a
        batch.line_ids.filtered(lambda l: l.sequence == 6).partner_id = self.customer_a
        batch.action_check()
        self.assertFalse(self.problems(batch))

    def test_delivery_imported(self):
        Partner = self.env["res.partner"]
        alba_main = Partner.create({"name": "Main depot", "parent_id": self.customer_a.id, "type": "delivery"})
        brisa_main = Partner.create({"name": "Main depot", "parent_id": self.customer_b.id, "type": "delivery"})
        south_1 = Partner.create({"name": "South depot", "parent_id": self.customer_b.id, "type": "delivery"})
        south_2 = Partner.create({"name": "South depot", "parent_id": self.customer_b.id, "type": "delivery",
                                  "city": "Cadiz"})
        Partner.create({"name": "East depot", "parent_id": self.customer_b.id, "type": "delivery"})
        Partner.create({"name": "East depot", "parent_id": self.customer_b.id, "type": "delivery"})
        batch = self.import_file(self.make_xlsx([
            HEADER + ["Delivery"],
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-1", "C-BRISA-N"],    # another customer's
            ["C-BRISA", "BAG-01", 1, 3.0, "15/03/2024", "PO-2", "C-BRISA-N"],   # its own, by ref
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-3", "Nowhere 12"],   # unknown
            ["C-BRISA", "BAG-01", 1, 3.0, "15/03/2024", "PO-4", "South depot"],  # two of its own
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-5", "Main depot"],   # one of each: its own
            ["C-BRISA", "BAG-01", 1, 3.0, "15/03/2024", "PO-6", "Main depot"],
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-7", "East depot"],   # two, none its own
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-8", ""],
        ]), "deliveries.xlsx")
        self.assertEqual(self.problems(batch), {
            (2, "Delivery", "wrong_delivery"),
            (4, "Delivery", "unknown_delivery"),
            (5, "Delivery", "ambiguous_delivery"),
            (8, "Delivery", "ambiguous_delivery"),
        })
        params, message = self.params(batch, 2, "wrong_delivery")
        self.assertEqual(params, {"value": "C-BRISA-N", "address": self.customer_b_delivery.display_name,
                                  "customer": self.customer_a.display_name})
        self.assertIn("Alba Retail", message)
        self.assertIn("Brisa North depot", message)
        params, message = self.params(batch, 4, "unknown_delivery")
        self.assertEqual(message, "No address has the reference, barcode, external id or name Nowhere 12.")
        params, message = self.params(batch, 5, "ambiguous_delivery")
        for address in south_1 | south_2:
            self.assertIn(f"#{address.id}", params["names"])
            self.assertIn(f"#{address.id}", message)
        self.assertRecordValues(batch.line_ids.sorted("row"), [
            {"row": 2, "partner_shipping_id": self.customer_b_delivery.id, "has_error": True},
            {"row": 3, "partner_shipping_id": self.customer_b_delivery.id, "has_error": False},
            {"row": 4, "partner_shipping_id": False, "has_error": True},
            {"row": 5, "partner_shipping_id": False, "has_error": True},
            {"row": 6, "partner_shipping_id": alba_main.id, "has_error": False},
            {"row": 7, "partner_shipping_id": brisa_main.id, "has_error": False},
            {"row": 8, "partner_shipping_id": False, "has_error": True},
            {"row": 9, "partner_shipping_id": False, "has_error": False},
        ])
        self.assert_clean(batch, [3, 6, 7, 9])
        # the customer fixed in the file's text: the same address is now its own
        self.line_at(batch, 2).raw_customer = "C-BRISA"
        batch.action_check()
        self.assertNotIn(2, {row for row, _column, _kind in self.problems(batch)})

    # ------------------------------------------------------------------ warehouses

    def test_warehouses(self):
        Warehouse = self.env["stock.warehouse"]
        north = Warehouse.create({"name": "North hub", "code": "NTH"})
        named_nth = Warehouse.create({"name": "NTH", "code": "NT2"})  # its name is the other's code
        other_company = self.env["res.company"].create({"name": "Other Logistics"})
        elsewhere = Warehouse.create({"name": "Far depot", "code": "FAR", "company_id": other_company.id})
        batch = self.import_file(self.make_xlsx([
            HEADER + ["Warehouse"],
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-1", "WH9"],         # unknown
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-2", "NTH"],         # code of one, name of another
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-3", "FAR"],         # another company's
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-4", "NT2"],
            ["C-ALBA", "BAG-01", 1, 3.0, "15/03/2024", "PO-5", self.warehouse.code],
        ]), "warehouses.xlsx")
        self.assertEqual(self.problems(batch), {
            (2, "Warehouse", "unknown_warehouse"),
            (3, "Warehouse", "ambiguous_warehouse"),
            (4, "Warehouse", "wrong_company"),
        })
        params, message = self.params(batch, 3, "ambiguous_warehouse")
        for warehouse in north | named_nth:
            self.assertIn(f"#{warehouse.id}", params["names"])
            self.assertIn(f"{warehouse.display_name} (#{warehouse.id})", message)
        self.assertTrue(message.startswith("NTH matches several warehouses: "))
        params, message = self.params(batch, 4, "wrong_company")
        self.assertEqual(message, "Far depot belongs to company Other Logistics, not to the batch's company.")
        self.assertRecordValues(batch.line_ids.sorted("row"), [
            {"warehouse_id": False}, {"warehouse_id": False}, {"warehouse_id": False},
            {"warehouse_id": named_nth.id}, {"warehouse_id": self.warehouse.id},
        ])
        self.assert_clean(batch, [5, 6])
        # typed in the grid: another company's warehouse is refused too
        typed = self.make_batch([
            {"partner_id": self.customer_a.id, "product_id": self.product_bag.id, "warehouse_id": elsewhere.id},
            {"partner_id": self.customer_a.id, "product_id": self.product_bag.id, "warehouse_id": north.id},
        ])
        self.assertEqual(self.problems(typed), {(1, "Warehouse", "wrong_company")})

    # ------------------------------------------------------------------ number formats

    def test_decimal_comma_in_xlsx_text_cells(self):
        """Numbers typed as text in a spreadsheet are read with the preset's separators."""
        preset = self.preset.copy({"name": "Comma preset", "decimal_separator": ",", "thousands_separator": "."})
        text = "@"
        batch = self.import_file(self.make_xlsx([
            HEADER,
            ["C-ALBA", "BAG-01", "1.234,5", "1.234,5", "15/03/2024", "PO-1"],
            ["C-ALBA", "BAG-01", "2,25", "0,5", "15/03/2024", "PO-1"],
            ["C-ALBA", "BAG-01", 3.5, 0.25, "15/03/2024", "PO-1"],   # real numbers stay as they are
            ["C-ALBA", "BAG-01", "1,2,3", "1.2,3", "15/03/2024", "PO-1"],
        ], formats={(r, c): text for r in (2, 3, 5) for c in (3, 4)}), "comma.xlsx", preset=preset)
        self.assertEqual(self.problems(batch), {(5, "Qty", "bad_number"), (5, "Price", "bad_price")})
        self.assertRecordValues(batch.line_ids.sorted("row")[:3], [
            {"row": 2, "product_uom_qty": 1234.5, "price_unit": 1234.5, "raw_quantity": False},
            {"row": 3, "product_uom_qty": 2.25, "price_unit": 0.5, "raw_quantity": False},
            {"row": 4, "product_uom_qty": 3.5, "price_unit": 0.25, "raw_quantity": False},
        ])
        bad = self.line_at(batch, 5)
        self.assertEqual((bad.raw_quantity, bad.raw_price), ("1,2,3", "1.2,3"))
        bad.write({"raw_quantity": "1.000,75", "raw_price": "0,5"})
        batch.action_check()
        self.assertFalse(self.problems(batch))
        self.assertEqual((bad.product_uom_qty, bad.price_unit), (1000.75, 0.5))

    # ------------------------------------------------------------------ presets

    def test_remember_the_mapping_as_a_preset(self):
        """"Remember this mapping": the preset is made for the company with the columns and the
        options chosen, then the next file is imported with it alone."""
        header = ["Kunde", "Artikel", "Menge", "Preis", "Datum", "Notiz"]
        rows = [
            header,
            ["C-ALBA", "BAG-01", "1.234,5", "0,5", "15.03.2024", "bitte klingeln"],
            ["C-BRISA", LANTERN, "2", "3,39", "16.03.2024", ""],
        ]
        mapping = {"Kunde": "customer", "Artikel": "product", "Menge": "quantity", "Preis": "price",
                   "Datum": "date"}
        options = {"decimal_separator": ",", "thousands_separator": ".", "date_format": "%d.%m.%Y",
                   "csv_delimiter": ";", "cancel_prefix": "ST", "cancel_mode": "report"}
        self.assertFalse(self.env["oms.import.preset"].search([("name", "=", "Shop Nord")]))
        first = self.import_file(self.make_csv(rows, delimiter=";"), "nord.csv", preset=False, mapping=mapping,
                                 save_preset=True, preset_name=" Shop Nord ", **options)
        preset = self.env["oms.import.preset"].search([("name", "=", "Shop Nord")])
        self.assertEqual(len(preset), 1)
        self.assertEqual(preset.company_id, self.company)
        self.assertEqual(first.preset_id, preset)
        self.assertEqual(preset._get_mapping(), {**mapping, "Notiz": "ignore"})
        self.assertRecordValues(preset, [{**options, "strip_float_suffix": False, "non_product_mode": "service"}])
        self.assertFalse(self.problems(first))  # the column left on "ignore" is in the preset now

        # the next file: only the preset is chosen; its ignored column is no longer reported
        rows[1][2] = "3,5"
        second = self.import_file(self.make_csv(rows, delimiter=";"), "nord2.csv", preset=preset)
        self.assertFalse(self.problems(second))
        self.assertRecordValues(second.line_ids.sorted("row"), [
            {"partner_id": self.customer_a.id, "product_id": self.product_bag.id, "product_uom_qty": 3.5,
             "price_unit": 0.5, "requested_date": datetime(2024, 3, 15, 12, 0)},
            {"partner_id": self.customer_b.id, "product_id": self.product_lantern.id, "product_uom_qty": 2,
             "price_unit": 3.39, "requested_date": datetime(2024, 3, 16, 12, 0)},
        ])
        self.assertEqual(second.preset_id, preset)

        # remembered again under the same name: the preset is updated, not duplicated
        self.import_file(self.make_csv(rows, delimiter=";"), "nord3.csv", preset=preset,
                         mapping={"Notiz": "description"}, save_preset=True, preset_name="Shop Nord")
        self.assertEqual(self.env["oms.import.preset"].search_count([("name", "=", "Shop Nord")]), 1)
        self.assertEqual(preset._get_mapping()["Notiz"], "description")

    # ------------------------------------------------------------------ queries

    def test_address_and_warehouse_checks_cost_no_query_per_line(self):
        Partner = self.env["res.partner"]
        for customer in (self.customer_a, self.customer_b):
            Partner.create({"name": "Main depot", "parent_id": customer.id, "type": "delivery"})
        self.env["stock.warehouse"].create({"name": "North hub", "code": "NTH"})
        other_company = self.env["res.company"].create({"name": "Other Logistics"})
        self.env["stock.warehouse"].create({"name": "Far depot", "code": "FAR", "company_id": other_company.id})

        def rows(count):
            result = [HEADER + ["Delivery", "Warehouse"]]
            for i in range(count):
                customer = ("C-ALBA", "C-BRISA")[i % 2]
                delivery = ("Main depot", "C-BRISA-N", "Nowhere", "")[(i // 2) % 4]
                warehouse = ("NTH", self.warehouse.code, "FAR", "WH9", "")[i % 5]
                result.append([customer, "BAG-01", 1, "", "15/03/2024", f"PO-{i % 3}", delivery, warehouse])
            return result

        # 40 rows: every combination of delivery and warehouse (one UPDATE per set of fields written)
        small = self.import_file(self.make_xlsx(rows(40)), "small.xlsx")
        big = self.import_file(self.make_xlsx(rows(80)), "big.xlsx")
        self.assertEqual(set(big.problem_ids.mapped("kind")),
                         {"wrong_delivery", "unknown_delivery", "wrong_company", "unknown_warehouse"})
        counts = []
        for batch in (small, big):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            batch.action_check()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1], "checking 80 lines costs more queries than 40")

"""Import and checking rules of order batches, through the import wizard and the real ORM.

Every test builds the exact bad input, then asserts the exact set of (row, column, kind)
problems (nothing more), and that the good rows of the same file are clean.
"""

import json
from datetime import datetime

from odoo.fields import Command
from odoo.tests import Form, tagged

from ..lib.dates import EPOCH_1904
from ..lib.reader import read_table
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
        params, _message = self.params(batch, 2, "stock_short")
        self.assertEqual((params["requested"], params["free"]), (13, 10))
        self.assertEqual(batch.short_count, 1)
        self.assertIn("White metal lantern", batch.shortage_summary)
        self.assertNotIn("Hanging heart lamp", batch.shortage_summary)

"""Shared fixtures: a company with stock, customers, products and a helper to build files."""

import base64
import io

import openpyxl

from odoo.fields import Command
from odoo.tests import TransactionCase


class OmsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, oms_foreground=False))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Alba Retail", "ref": "C-ALBA", "barcode": "CUST0001"})
        cls.customer_b = Partner.create({"name": "Brisa Shops", "ref": "C-BRISA"})
        cls.customer_b_delivery = Partner.create({
            "name": "Brisa North depot", "parent_id": cls.customer_b.id, "type": "delivery", "ref": "C-BRISA-N"})
        Product = cls.env["product.product"]
        cls.unit = cls.env.ref("uom.product_uom_unit")
        cls.dozen = cls.env.ref("uom.product_uom_dozen")
        cls.kg = cls.env.ref("uom.product_uom_kgm")
        cls.product_lamp = Product.create({
            "name": "Hanging heart lamp", "default_code": "85123A", "barcode": "5012345678900",
            "list_price": 2.55, "is_storable": True, "type": "consu"})
        cls.product_lantern = Product.create({
            "name": "White metal lantern", "default_code": "71053", "list_price": 3.39,
            "is_storable": True, "type": "consu"})
        cls.product_mug = Product.create({
            "name": "Tea mug", "default_code": "MUG-01", "list_price": 1.50,
            "is_storable": True, "type": "consu"})
        cls.env["stock.quant"]._update_available_quantity(cls.product_lamp, cls.stock, 100)
        cls.env["stock.quant"]._update_available_quantity(cls.product_lantern, cls.stock, 10)
        cls.preset = cls.env["oms.import.preset"].create({
            "name": "Test preset",
            "date_format": "%d/%m/%Y",
            "column_ids": [
                Command.create({"header": "Customer", "target": "customer"}),
                Command.create({"header": "Product", "target": "product"}),
                Command.create({"header": "Qty", "target": "quantity"}),
                Command.create({"header": "Price", "target": "price"}),
                Command.create({"header": "Date", "target": "date"}),
                Command.create({"header": "Ref", "target": "reference"}),
            ],
        })

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def make_xlsx(rows, formats=None, epoch_1904=False):
        """rows: list of lists, the first one the header; formats: {(row, col): number_format}."""
        workbook = openpyxl.Workbook()
        if epoch_1904:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904
            workbook.epoch = CALENDAR_MAC_1904
        sheet = workbook.active
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                cell = sheet.cell(row=r, column=c, value=value)
                if formats and (r, c) in formats:
                    cell.number_format = formats[(r, c)]
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def make_csv(rows, delimiter=","):
        return "\n".join(delimiter.join(str(v) for v in row) for row in rows).encode()

    def import_file(self, data, filename, preset=None, batch=None, mapping=None, **options):
        """Import through the wizard exactly as a user does; returns the checked batch."""
        wizard = self.env["oms.batch.import"].create({
            "file": base64.b64encode(data), "filename": filename,
            "preset_id": (preset or self.preset).id if preset is not False else False,
            "batch_id": batch.id if batch else False,
        })
        if wizard.preset_id:
            wizard._onchange_preset_id()
        wizard.write(options)
        wizard.action_next()
        if mapping:
            for column in wizard.column_ids:
                if column.header in mapping:
                    column.target = mapping[column.header]
        action = wizard.action_import()
        if batch:  # the wizard closes back to the batch's form
            self.assertEqual(action, {"type": "ir.actions.act_window_close"})
            return batch
        return self.env["oms.order.batch"].browse(action["res_id"])

    def problems(self, batch, row=None):
        """{(row, column, kind)} of a batch's problems, for exact assertions."""
        return {(p.row, p.column, p.kind) for p in batch.problem_ids if row is None or p.row == row}

    # ------------------------------------------------------------------ orders, deliveries, invoices

    def make_batch(self, lines, check=True, **vals):
        """A batch typed in the grid; lines are dicts of oms.order.batch.line values."""
        batch = self.env["oms.order.batch"].create({
            **vals,
            "line_ids": [Command.create({"sequence": seq, **line}) for seq, line in enumerate(lines, 1)],
        })
        if check:
            batch.action_check()
        return batch

    @classmethod
    def ensure_chart_of_accounts(cls, company=None):
        """Invoices need accounts: load the generic chart when the company has none."""
        company = company or cls.env.company
        if not company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)

    def deliver(self, order, quantities=None):
        """Validate the order's open delivery: everything, or {product: qty} with a backorder for the rest."""
        from odoo.tests import Form
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(len(picking), 1, "one open delivery expected")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantities is None else quantities.get(move.product_id, 0.0)
        picking.move_ids.picked = True
        action = picking.button_validate()
        if isinstance(action, dict):  # backorder wizard: keep the rest as a backorder
            Form.from_action(self.env, action).save().process()
        self.assertEqual(picking.state, "done")
        return picking

    def invoice(self, order, post=True, **vals):
        invoice = order._create_invoices()
        if vals:
            invoice.write(vals)
        if post:
            invoice.action_post()
        return invoice

    def pay(self, invoice, amount):
        return self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"amount": amount, "payment_difference_handling": "open"})._create_payments()

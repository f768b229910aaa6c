"""Execution status of sale orders: quotation -> confirmed -> delivered -> invoiced -> paid,
with the delivered / invoiced / paid percentages stored, searchable and groupable."""

from odoo.fields import Command
from odoo.tests import tagged

from .common import OmsCase


@tagged("post_install", "-at_install")
class TestExecutionStatus(OmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ensure_chart_of_accounts()
        (cls.product_lamp | cls.product_lantern).invoice_policy = "delivery"

    def make_order(self, lines, partner=None):
        return self.env["sale.order"].create({
            "partner_id": (partner or self.customer_a).id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price})
                           for product, qty, price in lines],
        })

    def assert_status(self, order, status, delivered, invoiced, paid):
        self.assertEqual(order.execution_status, status)
        self.assertAlmostEqual(order.delivered_percent, delivered, places=2)
        self.assertAlmostEqual(order.invoiced_percent, invoiced, places=2)
        self.assertAlmostEqual(order.paid_percent, paid, places=2)
        # the stored values are what the database searches on
        self.assertIn(order, self.env["sale.order"].search([("execution_status", "=", status)]))

    def test_sale_amount_paid_is_still_odoos(self):
        """sale.order.amount_paid is Odoo's sum of payment transactions, which confirms a
        quotation paid online. An oms field of the same name replaced it, and Odoo's
        payment-flow tests found paid quotations left in draft."""
        field = self.env["sale.order"]._fields["amount_paid"]
        self.assertEqual(field.compute, "_compute_amount_paid")
        self.assertFalse(field.store)
        self.assertEqual(self.env["sale.order"]._fields["oms_amount_paid"].compute, "_compute_execution")

    def test_from_quotation_to_paid(self):
        order = self.make_order([(self.product_lamp, 10, 3.0), (self.product_lantern, 4, 5.0)])
        lamp_line, lantern_line = order.order_line.sorted("sequence")
        self.assertTrue(order.amount_tax, "taxes included in the amounts compared")
        total = order.amount_total
        self.assert_status(order, "quotation", 0, 0, 0)

        order.action_confirm()
        self.assert_status(order, "confirmed", 0, 0, 0)

        # half the lamps and all the lanterns leave; the other lamps stay in a backorder
        self.deliver(order, {self.product_lamp: 5, self.product_lantern: 4})
        self.assertEqual(lamp_line.qty_delivered, 5)
        self.assertEqual(len(order.picking_ids), 2)
        delivered = 100 * (lamp_line.price_total / 2 + lantern_line.price_total) / total
        self.assertAlmostEqual(delivered, 100 * (15 + 20) / 50)  # same tax on both lines
        self.assert_status(order, "partially_delivered", delivered, 0, 0)
        self.assertAlmostEqual(order.amount_delivered, total * delivered / 100, places=2)

        self.deliver(order)
        self.assert_status(order, "delivered", 100, 0, 0)

        invoice = self.invoice(order, post=False)
        self.assert_status(order, "delivered", 100, 0, 0)  # a draft invoice counts for nothing
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_total, total)
        self.assert_status(order, "invoiced", 100, 100, 0)
        self.assertAlmostEqual(order.amount_invoiced_signed, total)

        self.pay(invoice, total * 0.4)
        self.assertEqual(invoice.payment_state, "partial")
        self.assert_status(order, "partially_paid", 100, 100, 40)
        self.assertAlmostEqual(order.oms_amount_paid, total * 0.4, places=2)

        self.pay(invoice, invoice.amount_residual)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assert_status(order, "paid", 100, 100, 100)
        self.assertAlmostEqual(order.oms_amount_paid, total, places=2)

    def test_credit_note_lowers_the_invoiced_share(self):
        order = self.make_order([(self.product_lamp, 10, 3.0)])
        order.action_confirm()
        self.deliver(order)
        invoice = self.invoice(order)
        self.assert_status(order, "invoiced", 100, 100, 0)
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"journal_id": invoice.journal_id.id, "reason": "damaged"})
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        self.assertAlmostEqual(order.invoiced_percent, 0, places=2)
        self.assertEqual(order.execution_status, "delivered")

    def test_cancelled(self):
        order = self.make_order([(self.product_lamp, 2, 3.0)])
        order.action_confirm()
        self.assert_status(order, "confirmed", 0, 0, 0)
        order._action_cancel()
        self.assert_status(order, "cancelled", 0, 0, 0)
        quotation = self.make_order([(self.product_lamp, 1, 3.0)])
        quotation._action_cancel()
        self.assertEqual(quotation.execution_status, "cancelled")

    def test_search_and_group_by_status(self):
        quotation = self.make_order([(self.product_lamp, 1, 3.0)])
        confirmed = self.make_order([(self.product_lamp, 1, 3.0)])
        delivered_1 = self.make_order([(self.product_lamp, 2, 3.0)])
        delivered_2 = self.make_order([(self.product_lantern, 1, 5.0)])
        cancelled = self.make_order([(self.product_lamp, 1, 3.0)])
        (confirmed | delivered_1 | delivered_2 | cancelled).action_confirm()
        self.deliver(delivered_1)
        self.deliver(delivered_2)
        cancelled._action_cancel()
        orders = quotation | confirmed | delivered_1 | delivered_2 | cancelled
        groups = self.env["sale.order"]._read_group(
            [("id", "in", orders.ids)], ["execution_status"], ["__count", "delivered_percent:avg"])
        self.assertEqual(
            {status: (count, round(avg, 2)) for status, count, avg in groups},
            {"quotation": (1, 0), "confirmed": (1, 0), "delivered": (2, 100), "cancelled": (1, 0)})
        self.assertEqual(
            self.env["sale.order"].search([("id", "in", orders.ids), ("execution_status", "=", "delivered")]),
            delivered_1 | delivered_2)
        self.assertEqual(
            self.env["sale.order"].search([("id", "in", orders.ids), ("delivered_percent", ">=", 50)]),
            delivered_1 | delivered_2)
        # the web client's read_group (list view grouped by status)
        web = self.env["sale.order"].read_group(
            [("id", "in", orders.ids)], ["delivered_percent:avg"], ["execution_status"])
        self.assertEqual({g["execution_status"]: g["execution_status_count"] for g in web},
                         {"quotation": 1, "confirmed": 1, "delivered": 2, "cancelled": 1})
        self.assertTrue(self.env["sale.order"]._fields["execution_status"].store)
        self.assertTrue(self.env["sale.order"]._fields["execution_status"].index)

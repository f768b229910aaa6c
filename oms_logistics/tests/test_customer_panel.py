"""Customer panel: a commercial partner's ordering and execution figures, shared by its contacts,
computed with a constant number of queries whatever the number of partners."""

import logging
from datetime import datetime, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from .common import OmsCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestCustomerPanel(OmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ensure_chart_of_accounts()
        cls.product_lamp.invoice_policy = "delivery"
        cls.product_lantern.invoice_policy = "order"
        cls.buyer = cls.env["res.partner"].create({"name": "Brisa buyer", "parent_id": cls.customer_b.id})
        cls.today = fields.Date.context_today(cls.env["res.partner"])

    def make_order(self, partner, product, qty, price, date_order, confirm=True):
        order = self.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price})],
        })
        if confirm:
            order.action_confirm()
        order.date_order = date_order  # confirming sets it to now
        return order

    def test_panel_of_a_commercial_partner_and_its_contacts(self):
        now = datetime.now().replace(microsecond=0)
        b, buyer, depot = self.customer_b, self.buyer, self.customer_b_delivery
        # delivered, invoiced 40 days ago with immediate payment (overdue), partly paid
        paid_part = self.make_order(b, self.product_lamp, 10, 3.0, now - timedelta(days=45))
        self.deliver(paid_part)
        overdue_invoice = self.invoice(paid_part, invoice_date=self.today - timedelta(days=40),
                                       invoice_payment_term_id=self.env.ref("account.account_payment_term_immediate").id)
        self.pay(overdue_invoice, 10.0)
        # ordered by a contact, invoiced on order today, due in 30 days (not overdue)
        invoiced = self.make_order(buyer, self.product_lantern, 2, 5.0, now - timedelta(days=10))
        future_invoice = self.invoice(invoiced, invoice_date=self.today,
                                      invoice_payment_term_id=self.env.ref("account.account_payment_term_30days").id)
        # ordered for the delivery address, confirmed only
        confirmed = self.make_order(depot, self.product_lamp, 1, 3.0, now - timedelta(days=3))
        # neither a quotation nor a cancelled order counts as an order
        self.make_order(b, self.product_lamp, 50, 3.0, now - timedelta(days=20), confirm=False)
        cancelled = self.make_order(buyer, self.product_lamp, 70, 3.0, now - timedelta(days=1))
        cancelled._action_cancel()
        # another customer's order does not count
        other = self.make_order(self.customer_a, self.product_lamp, 5, 3.0, now)

        self.assertEqual(paid_part.execution_status, "partially_paid")
        self.assertEqual(invoiced.execution_status, "invoiced")
        self.assertEqual(confirmed.execution_status, "confirmed")
        orders = paid_part | invoiced | confirmed
        outstanding = overdue_invoice.amount_residual + future_invoice.amount_residual
        self.assertAlmostEqual(overdue_invoice.amount_residual, paid_part.amount_total - 10.0)

        for partner in (b, buyer, depot):
            self.env.invalidate_all()
            self.assertEqual(partner.oms_order_count, 3, partner.name)
            self.assertEqual(partner.oms_open_order_count, 3)
            self.assertEqual(partner.oms_status_summary, "Confirmed: 1, Invoiced: 1, Partially paid: 1")
            self.assertAlmostEqual(partner.oms_amount_ordered, sum(orders.mapped("amount_total")), places=2)
            self.assertAlmostEqual(partner.oms_amount_delivered, paid_part.amount_total, places=2)
            self.assertAlmostEqual(
                partner.oms_amount_invoiced, paid_part.amount_total + invoiced.amount_total, places=2)
            self.assertAlmostEqual(partner.oms_amount_paid, 10.0, places=2)
            self.assertAlmostEqual(partner.oms_amount_outstanding, outstanding, places=2)
            self.assertAlmostEqual(partner.oms_amount_overdue, overdue_invoice.amount_residual, places=2)
            self.assertEqual(partner.oms_last_order_date, confirmed.date_order)
            self.assertEqual(partner.oms_currency_id, self.company.currency_id)
            self.assertNotIn(other, partner.oms_recent_order_ids)
            self.assertIn(confirmed, partner.oms_recent_order_ids)

        a = self.customer_a
        self.assertEqual(a.oms_order_count, 1)
        self.assertEqual(a.oms_status_summary, "Confirmed: 1")
        self.assertAlmostEqual(a.oms_amount_ordered, other.amount_total)
        self.assertEqual(a.oms_amount_outstanding, 0)
        self.assertEqual(a.oms_last_order_date, other.date_order)
        # the batch grid shows the same figures next to the line's customer
        batch = self.make_batch([{"partner_id": buyer.id, "product_id": self.product_lamp.id}], check=False)
        self.assertEqual(batch.line_ids.partner_open_order_count, 3)
        self.assertAlmostEqual(batch.line_ids.partner_amount_overdue, overdue_invoice.amount_residual, places=2)
        # the open orders button lists the three orders, whichever contact they were made for
        action = b.action_oms_open_orders()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), orders)

    def test_orders_in_another_currency_are_converted(self):
        company_currency = self.env.company.currency_id
        other = self.env.ref("base.EUR") if company_currency != self.env.ref("base.EUR") else self.env.ref("base.USD")
        other.active = True
        self.env["res.currency.rate"].create({
            "currency_id": other.id, "company_id": self.env.company.id, "name": self.today,
            "rate": 2.0 * (company_currency.rate or 1.0)})
        pricelist = self.env["product.pricelist"].create({"name": "Other currency", "currency_id": other.id})
        order = self.env["sale.order"].create({
            "partner_id": self.customer_a.id, "pricelist_id": pricelist.id,
            "order_line": [Command.create({"product_id": self.product_lantern.id, "product_uom_qty": 1,
                                           "price_unit": 100.0})],
        })
        order.action_confirm()
        self.assertEqual(order.currency_id, other)
        self.customer_a.invalidate_recordset()
        self.assertAlmostEqual(self.customer_a.oms_amount_ordered, order.amount_total / 2, places=2)
        self.assertEqual(self.customer_a.oms_currency_id, company_currency)

    def test_recent_orders_of_each_partner_in_a_list(self):
        now = datetime.now().replace(microsecond=0)
        for days in range(12):
            self.make_order(self.customer_a, self.product_lantern, 1, 1.0, now - timedelta(days=days))
        older = self.make_order(self.customer_b, self.product_lantern, 1, 1.0, now - timedelta(days=400))
        partners = (self.customer_a | self.customer_b).with_context(prefetch_fields=False)
        partners.invalidate_recordset()
        self.assertEqual(len(partners[0].oms_recent_order_ids), 10)
        self.assertEqual(partners[1].oms_recent_order_ids, older, "not crowded out by the busy customer")

    def test_partner_without_orders(self):
        lonely = self.env["res.partner"].create({"name": "No orders yet"})
        self.assertEqual(lonely.oms_order_count, 0)
        self.assertEqual(lonely.oms_open_order_count, 0)
        self.assertFalse(lonely.oms_status_summary)
        self.assertFalse(lonely.oms_last_order_date)
        self.assertEqual(lonely.oms_amount_outstanding, 0)
        self.assertFalse(lonely.oms_recent_order_ids)

    def test_panel_queries_do_not_grow_with_partners(self):
        now = datetime.now()
        partners = self.env["res.partner"].create([{"name": f"Panel customer {i}"} for i in range(5)])
        for i, partner in enumerate(partners):
            contact = self.env["res.partner"].create({"name": f"Panel contact {i}", "parent_id": partner.id})
            self.make_order(partner, self.product_lamp, 1, 3.0, now - timedelta(days=i))
            order = self.make_order(contact, self.product_lantern, 1, 5.0, now - timedelta(days=i))
            self.invoice(order)

        def compute(records):
            records.invalidate_recordset()
            records.env.invalidate_all()
            for partner in records:
                partner.oms_order_count, partner.oms_amount_overdue, partner.oms_status_summary  # noqa: B018

        def count_queries(records):
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            compute(records)
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        compute(self.customer_a | self.customer_b)  # warm the caches that do not depend on the number
        one = count_queries(partners[:1])
        _logger.info("customer panel: %s queries for 1 partner", one)
        self.assertEqual(count_queries(partners), one)
        with self.assertQueryCount(one):
            compute(partners)
        self.assertEqual(partners.mapped("oms_order_count"), [2] * 5)
        self.assertEqual(partners.mapped("oms_open_order_count"), [2] * 5)

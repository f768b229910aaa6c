"""Turning a checked batch into sale orders: grouping, all-or-nothing creation, valid rows
only, returns, short-of-stock policy, batch confirm/cancel, repeat order, background jobs."""

from datetime import datetime, timedelta

import odoo.tests.common as odoo_tests_common
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

# queue_job 18.0.4.1.2 registers its patch source in odoo.tests.common.SETATTR_SOURCES, a
# registry added to Odoo 18.0 after the source installed here: give it an empty one so that
# its trap_jobs helper can be imported (nothing else of the test framework is touched).
if not hasattr(odoo_tests_common, "SETATTR_SOURCES"):
    odoo_tests_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402

from .common import OmsCase

D1_MORNING = datetime(2031, 3, 14, 9, 0)
D1_AFTERNOON = datetime(2031, 3, 14, 15, 30)
D2 = datetime(2031, 3, 15, 9, 0)


@tagged("post_install", "-at_install")
class TestBatchCreate(OmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ensure_chart_of_accounts()
        cls.company_b = cls.env["res.company"].create({"name": "OMS other company"})
        (cls.product_lamp | cls.product_lantern | cls.product_mug).invoice_policy = "order"

    # ------------------------------------------------------------------ helpers

    def line(self, partner, product, qty=1.0, **vals):
        return {"partner_id": partner.id, "product_id": product.id, "product_uom_qty": qty, **vals}

    def orders_of(self, batch):
        return self.env["sale.order"].search([("oms_batch_id", "=", batch.id)])

    def result_of(self, action):
        """{order: (status, reason)} of the oms.order.action.result an action opens."""
        self.assertEqual(action["res_model"], "oms.order.action.result")
        result = self.env["oms.order.action.result"].browse(action["res_id"])
        return {line.order_id: (line.status, line.reason or "") for line in result.line_ids}

    def confirmed_order(self, partner, product, qty, date_order):
        order = self.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
        })
        order.action_confirm()
        order.date_order = date_order  # confirming sets it to now
        return order

    # ------------------------------------------------------------------ grouping

    def test_one_order_per_customer_address_date_reference(self):
        a, b, depot = self.customer_a, self.customer_b, self.customer_b_delivery
        lamp, lantern, mug = self.product_lamp, self.product_lantern, self.product_mug
        batch = self.make_batch([
            self.line(a, lamp, 2, requested_date=D1_MORNING, client_order_ref="PO-1"),        # order 1
            self.line(a, lantern, 1, requested_date=D1_AFTERNOON, client_order_ref="PO-1"),   # order 1: same day
            self.line(a, mug, 3, requested_date=D1_MORNING, client_order_ref="PO-1"),         # order 1
            self.line(a, lamp, 4, requested_date=D2, client_order_ref="PO-1"),                # order 2: other date
            self.line(a, lamp, 5, requested_date=D1_MORNING, client_order_ref="PO-2"),        # order 3: other ref
            self.line(b, lamp, 1, requested_date=D1_MORNING, client_order_ref="PO-1",
                      partner_shipping_id=depot.id),                                          # order 4: depot
            self.line(b, lantern, 2, requested_date=D1_MORNING, client_order_ref="PO-1",
                      partner_shipping_id=depot.id),                                          # order 4
            self.line(b, lamp, 6, requested_date=D1_MORNING, client_order_ref="PO-1"),        # order 5: no address
        ])
        self.assertEqual(batch.state, "checked")
        self.assertEqual(batch.error_count, 0)
        batch.action_create_orders()
        orders = self.orders_of(batch)
        self.assertEqual(len(orders), 5)
        self.assertEqual(batch.order_count, 5)
        self.assertEqual(batch.state, "confirmed")
        lines = batch.line_ids.sorted("sequence")
        by_line = [line.order_id for line in lines]
        self.assertEqual(len(set(by_line)), 5)
        self.assertEqual(by_line[0], by_line[1])
        self.assertEqual(by_line[0], by_line[2])
        self.assertEqual(by_line[5], by_line[6])
        self.assertEqual(
            sorted(len(o.order_line) for o in orders), [1, 1, 1, 2, 3])
        first = by_line[0]
        self.assertEqual(first.partner_id, a)
        self.assertEqual(first.partner_shipping_id, a)
        self.assertEqual(first.client_order_ref, "PO-1")
        self.assertEqual(first.commitment_date, D1_MORNING)
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.execution_status, "quotation")
        self.assertEqual(first.order_line.mapped("product_id"), lamp | lantern | mug)
        self.assertEqual(first.order_line.sorted("sequence").mapped("product_uom_qty"), [2, 1, 3])
        self.assertEqual(by_line[3].commitment_date, D2)
        self.assertEqual(by_line[4].client_order_ref, "PO-2")
        self.assertEqual(by_line[5].partner_shipping_id, depot)
        self.assertEqual(by_line[7].partner_shipping_id, b)
        # every batch line points to the sale line made from it
        for line in lines:
            self.assertEqual(line.sale_line_id.order_id, line.order_id)
            self.assertEqual(line.sale_line_id.product_id, line.product_id)
            self.assertEqual(line.sale_line_id.product_uom_qty, line.product_uom_qty)
            self.assertEqual(line.sale_line_id.price_unit, line.price_unit)
        # nothing left to create
        with self.assertRaises(UserError):
            batch.action_create_orders()
        self.assertEqual(len(self.orders_of(batch)), 5)

    # ------------------------------------------------------------------ errors

    def test_creation_refused_while_a_row_is_in_error(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 2),
            self.line(self.customer_b, self.product_lantern, 0),  # zero quantity
        ])
        self.assertEqual(batch.error_count, 1)
        for action in (batch.action_create_orders, batch.action_create_and_confirm):
            with self.assertRaisesRegex(UserError, "1 rows have problems; nothing was created"):
                action()
            self.assertFalse(self.orders_of(batch))
            self.assertFalse(batch.line_ids.sale_line_id)
            self.assertEqual(batch.state, "checked")

    def test_create_valid_rows_only_then_fix_the_rest(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 2, client_order_ref="PO-1"),
            self.line(self.customer_a, self.product_lantern, 0, client_order_ref="PO-1"),  # zero quantity
            self.line(self.customer_b, self.product_lamp, 1),
            {"partner_id": self.customer_b.id, "product_uom_qty": 1},                    # no product
        ])
        good, zero, good_b, no_product = batch.line_ids.sorted("sequence")
        self.assertEqual(batch.error_count, 2)
        batch.action_create_valid_orders()
        orders = self.orders_of(batch)
        self.assertEqual(len(orders), 2)
        self.assertEqual(good.order_id.partner_id, self.customer_a)
        self.assertEqual(len(good.order_id.order_line), 1)
        self.assertEqual(good_b.order_id.partner_id, self.customer_b)
        self.assertFalse(zero.sale_line_id)
        self.assertFalse(no_product.sale_line_id)
        self.assertEqual(batch.state, "checked", "rows are left to create")
        self.assertEqual(
            {(p.line_id, p.kind) for p in batch.problem_ids if p.severity == "error"},
            {(zero, "zero_quantity"), (no_product, "missing_value")})
        # fixing the bad rows in the grid, then creating their orders
        zero.product_uom_qty = 3
        no_product.product_id = self.product_mug
        self.assertEqual(batch.state, "draft")
        batch.action_check()
        self.assertEqual(batch.error_count, 0)
        self.assertFalse(batch.problem_ids.filtered(lambda p: p.severity == "error"))
        batch.action_create_orders()
        self.assertEqual(len(self.orders_of(batch)), 4)
        self.assertTrue(zero.sale_line_id)
        self.assertEqual(zero.sale_line_id.product_uom_qty, 3)
        self.assertNotEqual(zero.order_id, good.order_id, "created later: a new order")
        self.assertEqual(no_product.order_id.partner_id, self.customer_b)
        self.assertEqual(batch.state, "confirmed")
        self.assertEqual(len(good.order_id.order_line), 1, "orders created earlier are left as they were")

    def test_valid_rows_only_then_delete_the_rest(self):
        """The bad rows are deleted instead of fixed: the batch goes on to its orders."""
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 2),
            {"partner_id": self.customer_b.id, "product_uom_qty": 1},   # no product
        ])
        good, bad = batch.line_ids.sorted("sequence")
        self.assertEqual(batch.valid_open_count, 1)
        batch.action_create_valid_orders()
        self.assertEqual(batch.state, "checked")
        self.assertEqual(batch.quotation_count, 1, "Confirm orders is offered for the created quotation")
        self.assertEqual(batch.valid_open_count, 0, "'valid rows only' is no longer offered")
        bad.unlink()
        self.assertEqual(batch.state, "draft")
        batch.action_check()
        self.assertEqual(batch.state, "confirmed")
        self.assertEqual(batch.error_count, 0)
        batch.action_confirm_orders()
        self.assertEqual(good.order_id.state, "sale")
        self.assertEqual(batch.state, "done")

    def test_confirm_created_quotations_while_bad_rows_wait(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 2),
            self.line(self.customer_a, self.product_lantern, 0),
        ])
        good, zero = batch.line_ids.sorted("sequence")
        batch.action_create_valid_orders()
        batch.action_confirm_orders()
        self.assertEqual(good.order_id.state, "sale")
        self.assertEqual(batch.quotation_count, 0)
        self.assertEqual(batch.state, "checked", "a row still waits to be fixed")
        zero.product_uom_qty = 1
        batch.action_create_and_confirm()
        self.assertEqual(zero.order_id.state, "sale")
        self.assertEqual(batch.state, "done")

    def test_no_row_valid(self):
        batch = self.make_batch([self.line(self.customer_a, self.product_lamp, 0)])
        with self.assertRaisesRegex(UserError, "Every row left to create has problems"):
            batch.action_create_valid_orders()
        self.assertFalse(self.orders_of(batch))

    def test_customer_of_another_company_is_a_problem(self):
        foreign = self.env["res.partner"].create({"name": "Other company's customer", "company_id": self.company_b.id})
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1, client_order_ref="R1"),
            self.line(foreign, self.product_lamp, 1, client_order_ref="R2"),
        ])
        self.assertEqual(batch.error_count, 1)
        self.assertIn("wrong_company", batch.problem_ids.mapped("kind"))
        with self.assertRaises(UserError):
            batch.action_create_orders()
        self.assertFalse(self.orders_of(batch))

    def test_failure_in_the_middle_leaves_no_partial_order(self):
        """The database refuses the second order's line (a real CHECK constraint, not a mock):
        the whole creation is rolled back and the batch is left as it was."""
        self.env.cr.execute(
            "ALTER TABLE sale_order_line ADD CONSTRAINT oms_test_no_seven CHECK (product_uom_qty <> 7) NOT VALID")
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1, client_order_ref="R1"),
            self.line(self.customer_b, self.product_lamp, 7, client_order_ref="R2"),
            self.line(self.customer_b, self.product_lamp, 1, client_order_ref="R3"),
        ])
        self.assertEqual(batch.error_count, 0)
        self.assertEqual(batch.state, "checked")
        orders_before = self.env["sale.order"].search_count([])
        problems_before = self.problems(batch)
        with self.assertRaisesRegex(UserError, "nothing was kept"), mute_logger("odoo.sql_db", "odoo.addons.oms_logistics.models.oms_order_batch"):
            batch.action_create_orders()
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
        self.assertFalse(self.orders_of(batch))
        self.assertFalse(self.env["sale.order.line"].search([("order_id.oms_batch_id", "=", batch.id)]))
        self.assertEqual(batch.state, "checked")
        self.assertFalse(batch.line_ids.sale_line_id)
        self.assertFalse(batch.line_ids.order_id)
        self.assertEqual(self.problems(batch), problems_before)
        # once the row is fixed everything is created
        batch.line_ids.filtered(lambda l: l.product_uom_qty == 7).product_uom_qty = 6
        batch.action_check()
        batch.action_create_orders()
        self.assertEqual(len(self.orders_of(batch)), 3)

    # ------------------------------------------------------------------ confirming

    def test_create_and_confirm(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 2),
            self.line(self.customer_a, self.product_lantern, 1),
            self.line(self.customer_b, self.product_lamp, 3),
        ])
        batch.action_create_and_confirm()
        orders = self.orders_of(batch)
        self.assertEqual(len(orders), 2)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(set(orders.mapped("execution_status")), {"confirmed"})
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.confirmed_order_count, 2)
        self.assertEqual(batch.progress, 100.0)
        self.assertEqual(len(orders.picking_ids), 2)

    def test_return_lines_become_negative_sale_lines(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 5),
            self.line(self.customer_a, self.product_lantern, 2, is_return=True),
            self.line(self.customer_a, self.product_mug, -3, is_return=True),
            self.line(self.customer_b, self.product_lamp, -1),  # negative without the return flag
        ])
        self.assertEqual(self.problems(batch), {(4, "Quantity", "negative_quantity")})
        lamp, lantern, mug, _bad = batch.line_ids.sorted("sequence")
        self.assertFalse(lantern.is_short or mug.is_short, "a return is never short of stock")
        batch.action_create_valid_orders()
        order = lamp.order_id
        self.assertEqual(len(self.orders_of(batch)), 1)
        self.assertEqual(order.order_line.sorted("sequence").mapped("product_uom_qty"), [5, -2, -3])
        self.assertEqual(lantern.sale_line_id.product_uom_qty, -2)
        self.assertEqual(mug.sale_line_id.product_uom_qty, -3)

    def test_return_from_an_imported_cancellation(self):
        """A file row whose reference has the preset's cancellation prefix becomes a return line."""
        self.preset.write({"cancel_prefix": "C", "cancel_mode": "return"})
        batch = self.import_file(self.make_csv([
            ["Customer", "Product", "Qty", "Price", "Date", "Ref"],
            ["C-ALBA", "71053", "-2", "3.39", "14/03/2031", "C1001"],
            ["C-ALBA", "71053", "4", "3.39", "14/03/2031", "1002"],
        ]), "returns.csv")
        self.assertEqual(batch.error_count, 0, batch.problem_ids.mapped("message"))
        batch.action_create_orders()
        orders = self.orders_of(batch)
        self.assertEqual(len(orders), 2)
        returned = orders.filtered(lambda o: o.client_order_ref == "C1001")
        self.assertEqual(returned.order_line.product_uom_qty, -2)
        self.assertEqual(orders.filtered(lambda o: o.client_order_ref == "1002").order_line.product_uom_qty, 4)

    def test_short_lines_refused_when_the_company_says_so(self):
        self.company.oms_allow_short_confirm = False
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 2),
            self.line(self.customer_b, self.product_mug, 3),  # no stock at all
        ])
        self.assertTrue(batch.block_short)
        self.assertEqual(batch.short_count, 1)
        self.assertEqual(batch.error_count, 0, "short of stock is a warning")
        with self.assertRaisesRegex(UserError, "short of stock"):
            batch.action_create_and_confirm()
        self.assertFalse(self.orders_of(batch))
        # quotations can still be created; confirming them is refused
        batch.action_create_orders()
        orders = self.orders_of(batch)
        self.assertEqual(len(orders), 2)
        with self.assertRaisesRegex(UserError, "short of stock"):
            batch.action_confirm_orders()
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        # order by order: the short one fails with its reason, the other is confirmed
        short_order = batch.line_ids.filtered("is_short").order_id
        result = self.result_of(orders.action_oms_batch_confirm())
        self.assertEqual(result[orders - short_order], ("done", ""))
        self.assertEqual(result[short_order][0], "failed")
        self.assertIn("short of stock", result[short_order][1])
        self.assertEqual(short_order.state, "draft")
        self.assertEqual((orders - short_order).state, "sale")
        # the company allowing it again, the short order is confirmed
        self.company.oms_allow_short_confirm = True
        self.assertFalse(batch.block_short)
        batch.with_context(oms_foreground=True).action_confirm_orders()
        self.assertEqual(short_order.state, "sale")
        self.assertEqual(batch.state, "done")

    def test_short_lines_allowed_by_default(self):
        self.assertTrue(self.company.oms_allow_short_confirm)
        batch = self.make_batch([self.line(self.customer_b, self.product_mug, 3)])
        self.assertEqual(batch.short_count, 1)
        batch.action_create_and_confirm()
        self.assertEqual(self.orders_of(batch).state, "sale")

    def test_batch_confirm_results_per_order(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1, client_order_ref="R1"),
            self.line(self.customer_a, self.product_lamp, 1, client_order_ref="R2"),
            self.line(self.customer_b, self.product_lamp, 1, client_order_ref="R3"),
        ])
        batch.action_create_orders()
        orders = self.orders_of(batch)
        already = orders.filtered(lambda o: o.client_order_ref == "R3")
        already.action_confirm()
        action = orders.action_oms_batch_confirm()
        result = self.result_of(action)
        self.assertEqual(set(result), set(orders))
        for order in orders - already:
            self.assertEqual(result[order], ("done", ""))
        self.assertEqual(result[already][0], "failed")
        self.assertIn("is not a quotation", result[already][1])
        self.assertIn(already.name, result[already][1])
        record = self.env["oms.order.action.result"].browse(action["res_id"])
        self.assertEqual((record.done_count, record.failed_count), (2, 1))
        self.assertEqual(set(orders.mapped("state")), {"sale"})

    def test_batch_cancel_results_per_order(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1, client_order_ref="QUOTE"),
            self.line(self.customer_a, self.product_lamp, 1, client_order_ref="CONFIRMED"),
            self.line(self.customer_a, self.product_lantern, 1, client_order_ref="INVOICED"),
            self.line(self.customer_b, self.product_lamp, 1, client_order_ref="CANCELLED"),
        ])
        batch.action_create_orders()
        orders = self.orders_of(batch)
        by_ref = {o.client_order_ref: o for o in orders}
        (by_ref["CONFIRMED"] | by_ref["INVOICED"] | by_ref["CANCELLED"]).action_confirm()
        by_ref["CANCELLED"]._action_cancel()
        invoice = self.invoice(by_ref["INVOICED"])
        self.assertEqual(invoice.state, "posted")
        result = self.result_of(orders.action_oms_batch_cancel())
        self.assertEqual(result[by_ref["QUOTE"]], ("done", ""))
        self.assertEqual(result[by_ref["CONFIRMED"]], ("done", ""))
        self.assertEqual(result[by_ref["INVOICED"]][0], "failed")
        self.assertIn("posted invoices", result[by_ref["INVOICED"]][1])
        self.assertEqual(result[by_ref["CANCELLED"]][0], "failed")
        self.assertIn("already cancelled", result[by_ref["CANCELLED"]][1])
        self.assertEqual(by_ref["QUOTE"].state, "cancel")
        self.assertEqual(by_ref["CONFIRMED"].state, "cancel")
        self.assertEqual(by_ref["CONFIRMED"].execution_status, "cancelled")
        self.assertEqual(by_ref["CONFIRMED"].picking_ids.state, "cancel")
        self.assertEqual(by_ref["INVOICED"].state, "sale")

    def test_batch_cancel_with_delivered_goods_fails(self):
        batch = self.make_batch([self.line(self.customer_a, self.product_lamp, 2)])
        batch.action_create_and_confirm()
        order = self.orders_of(batch)
        self.deliver(order)
        result = self.result_of(order.action_oms_batch_cancel())
        self.assertEqual(result[order][0], "failed")
        self.assertIn("already delivered", result[order][1])
        self.assertEqual(order.state, "sale")

    def test_batch_action_cancel_cancels_its_orders(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_lamp, 1),
        ])
        batch.action_create_and_confirm()
        orders = self.orders_of(batch)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertTrue(batch.action_cancel())
        self.assertEqual(set(orders.mapped("state")), {"cancel"})
        self.assertEqual(batch.state, "cancel")
        self.assertEqual(batch.progress, 0.0)
        with self.assertRaises(UserError):
            batch.action_create_orders()
        with self.assertRaises(UserError):
            batch.unlink()

    def test_batch_action_cancel_reports_orders_that_cannot_be_cancelled(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_lamp, 1),
        ])
        batch.action_create_and_confirm()
        invoiced = self.customer_a.sale_order_ids.filtered(lambda o: o.oms_batch_id == batch)
        self.invoice(invoiced)
        action = batch.action_cancel()
        result = self.result_of(action)
        self.assertEqual(result[invoiced][0], "failed")
        self.assertEqual(result[self.orders_of(batch) - invoiced], ("done", ""))
        self.assertEqual(batch.state, "done", "a batch with an order left is not cancelled")

    def test_cancel_several_batches_one_order_failing(self):
        invoiced_batch = self.make_batch([self.line(self.customer_a, self.product_lamp, 1)])
        other_batch = self.make_batch([self.line(self.customer_b, self.product_lamp, 1)])
        invoiced_batch.action_create_and_confirm()
        other_batch.action_create_and_confirm()
        self.invoice(self.orders_of(invoiced_batch))
        action = (invoiced_batch | other_batch).action_cancel()
        result = self.result_of(action)
        self.assertEqual(result[self.orders_of(invoiced_batch)][0], "failed")
        self.assertEqual(result[self.orders_of(other_batch)], ("done", ""))
        self.assertEqual(invoiced_batch.state, "done")
        self.assertEqual(other_batch.state, "cancel", "the other batch is cancelled all the same")

    def test_list_actions_move_the_batch_on(self):
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_lamp, 1),
        ])
        batch.action_create_orders()
        orders = self.orders_of(batch)
        self.assertEqual(batch.state, "confirmed")
        orders[0].action_oms_batch_confirm()
        self.assertEqual(batch.state, "confirmed", "a quotation is left")
        orders.action_oms_batch_confirm()
        self.assertEqual(batch.state, "done")
        orders.action_oms_batch_cancel()
        self.assertEqual(set(orders.mapped("state")), {"cancel"})
        self.assertEqual(batch.state, "cancel")

    # ------------------------------------------------------------------ repeat last order

    def test_repeat_last_confirmed_order(self):
        contact = self.env["res.partner"].create({"name": "Alba buyer", "parent_id": self.customer_a.id})
        now = datetime.now()
        last = self.env["sale.order"].create({
            "partner_id": contact.id,
            "order_line": [
                Command.create({"product_id": self.product_lantern.id, "product_uom_qty": 4}),
                Command.create({"product_id": self.product_mug.id, "product_uom_qty": 2, "product_uom": self.dozen.id}),
                Command.create({"display_type": "line_note", "name": "Leave at the back door"}),
            ],
        })
        last.action_confirm()
        last.date_order = now - timedelta(days=2)
        # created and confirmed after, but ordered before: the last order is the last by date
        self.confirmed_order(self.customer_a, self.product_lamp, 7, now - timedelta(days=30))
        # newer, but a quotation: not repeated
        self.env["sale.order"].create({
            "partner_id": self.customer_a.id, "date_order": now,
            "order_line": [Command.create({"product_id": self.product_lamp.id, "product_uom_qty": 1})],
        })
        # another customer's order is not a candidate
        self.confirmed_order(self.customer_b, self.product_lamp, 1, now)
        batch = self.make_batch([], check=False)
        wizard = self.env["oms.repeat.order"].with_context(
            **batch.action_repeat_order()["context"]).create({"partner_id": self.customer_a.id})
        self.assertEqual(wizard.batch_id, batch)
        self.assertEqual(wizard.order_id, last)
        wizard.action_repeat()
        lines = batch.line_ids.sorted("sequence")
        self.assertEqual(len(lines), 2, "the note is not repeated")
        self.assertEqual(lines.mapped("product_id"), self.product_lantern | self.product_mug)
        self.assertEqual(lines.mapped("product_uom_qty"), [4, 2])
        self.assertEqual(lines[1].product_uom, self.dozen)
        self.assertEqual(set(lines.mapped("partner_id")), {contact})
        batch.action_check()
        self.assertEqual(batch.error_count, 0)
        batch.action_create_orders()
        new = self.orders_of(batch)
        self.assertEqual(len(new), 1)
        self.assertEqual(
            [(l.product_id, l.product_uom_qty, l.product_uom) for l in new.order_line.sorted("sequence")],
            [(self.product_lantern, 4, self.unit), (self.product_mug, 2, self.dozen)])

    def test_repeat_without_confirmed_order(self):
        batch = self.make_batch([], check=False)
        wizard = self.env["oms.repeat.order"].create({"batch_id": batch.id, "partner_id": self.customer_b.id})
        self.assertFalse(wizard.order_id)
        with self.assertRaisesRegex(UserError, "no confirmed order"):
            wizard.action_repeat()

    # ------------------------------------------------------------------ background

    def test_big_batch_created_and_confirmed_in_the_background(self):
        self.company.oms_background_threshold = 2
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_a, self.product_lantern, 1),
            self.line(self.customer_b, self.product_lamp, 1),
        ])
        with trap_jobs() as trap:
            batch.action_create_and_confirm()
            trap.assert_jobs_count(1)
            trap.assert_jobs_count(1, only=batch._job_create_orders)
            trap.assert_enqueued_job(batch._job_create_orders, args=(batch.line_ids.ids, True))
            self.assertTrue(batch.in_background)
            self.assertIn("3 lines", batch.background_message)
            self.assertFalse(self.orders_of(batch), "nothing is created before the job runs")
            with self.assertRaisesRegex(UserError, "already being processed"):
                batch.action_create_orders()
            trap.perform_enqueued_jobs()
            orders = self.orders_of(batch)
            self.assertEqual(len(orders), 2)
            self.assertEqual(set(orders.mapped("state")), {"draft"})
            self.assertTrue(batch.in_background, "confirmation still to come")
            # creating enqueued the confirmation
            trap.assert_jobs_count(1, only=batch._job_confirm_orders)
            confirm_calls = [c for c in trap.calls if c.method.__name__ == "_job_confirm_orders"]
            self.assertEqual(len(confirm_calls), 1)
            self.assertEqual(confirm_calls[0].method.__self__, batch)
            self.assertEqual(sorted(confirm_calls[0].args[0]), sorted(orders.ids))
            trap.perform_enqueued_jobs()
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(batch.progress, 100.0)
        self.assertEqual(batch.state, "done")
        self.assertFalse(batch.in_background)

    def test_small_batch_stays_in_the_foreground(self):
        self.company.oms_background_threshold = 3
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_lamp, 1),
            self.line(self.customer_b, self.product_lantern, 1),
        ])
        with trap_jobs() as trap:
            batch.action_create_and_confirm()
            trap.assert_jobs_count(0)
        self.assertFalse(batch.in_background)
        self.assertEqual(batch.progress, 100.0)

    def test_background_creation_failure_is_reported(self):
        self.company.oms_background_threshold = 1
        # a real database refusal while the job creates the orders
        self.env.cr.execute(
            "ALTER TABLE sale_order_line ADD CONSTRAINT oms_test_no_seven CHECK (product_uom_qty <> 7) NOT VALID")
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_lamp, 7),
        ])
        with trap_jobs() as trap:
            batch.action_create_orders()
            self.assertTrue(batch.in_background)
            with mute_logger("odoo.sql_db", "odoo.addons.oms_logistics.models.oms_order_batch"):
                trap.perform_enqueued_jobs()
            trap.assert_jobs_count(0, only=batch._job_confirm_orders)
        self.assertFalse(self.orders_of(batch))
        self.assertFalse(batch.in_background)
        self.assertTrue(batch.background_message)
        self.assertEqual(batch.state, "checked")

    def waiting_job(self, trap):
        """A batch of two lines whose creation job is enqueued, not run yet."""
        self.company.oms_background_threshold = 1
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_lamp, 2),
        ])
        batch.action_create_orders()
        self.assertTrue(batch.in_background)
        return batch

    def test_lines_edited_while_the_job_waits_are_checked_again(self):
        with trap_jobs() as trap:
            batch = self.waiting_job(trap)
            batch.line_ids[1].product_uom_qty = 0   # through RPC: the grid is read-only meanwhile
            self.assertEqual(batch.state, "draft")
            trap.perform_enqueued_jobs()
        self.assertFalse(self.orders_of(batch))
        self.assertFalse(batch.in_background)
        self.assertIn("changed while waiting", batch.background_message)
        self.assertEqual(batch.problem_ids.filtered(lambda p: p.severity == "error").kind, "zero_quantity")

    def test_batch_cancelled_while_the_job_waits(self):
        with trap_jobs() as trap:
            batch = self.waiting_job(trap)
            batch.action_cancel()
            trap.perform_enqueued_jobs()
        self.assertFalse(self.orders_of(batch))
        self.assertEqual(batch.state, "cancel")
        self.assertFalse(batch.in_background)

    def test_background_confirmation_failure_does_not_leave_the_batch_stuck(self):
        """The company stops confirming short lines while the confirmation job waits: the short
        order fails, the other is confirmed, and the batch is no longer "in the background"."""
        self.company.oms_background_threshold = 1
        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_mug, 2),  # short of stock
        ])
        batch.with_context(oms_foreground=True).action_create_orders()
        orders = self.orders_of(batch)
        short_order = batch.line_ids.filtered("is_short").order_id
        with trap_jobs() as trap:
            batch.action_confirm_orders()
            trap.assert_jobs_count(1, only=batch._job_confirm_orders)
            self.assertTrue(batch.in_background)
            self.company.oms_allow_short_confirm = False
            trap.perform_enqueued_jobs()
        self.assertEqual((orders - short_order).state, "sale")
        self.assertEqual(short_order.state, "draft")
        self.assertEqual(batch.state, "confirmed")
        self.assertFalse(batch.in_background, "the job is over: the batch can be worked on again")
        self.assertIn(short_order.name, batch.background_message or "")
        # the user can then confirm it once allowed again
        self.company.oms_allow_short_confirm = True
        batch.with_context(oms_foreground=True).action_confirm_orders()
        self.assertEqual(short_order.state, "sale")
        self.assertEqual(batch.state, "done")

    def test_confirmation_in_chunks_ends_with_the_last_job(self):
        """Jobs stored for real (not trapped), one order per chunk, run one after the other as
        the job runner does: the batch leaves the background with the last one."""
        from odoo.addons.queue_job.job import Job

        batch = self.make_batch([
            self.line(self.customer_a, self.product_lamp, 1),
            self.line(self.customer_b, self.product_mug, 2),  # short of stock
            self.line(self.customer_b_delivery, self.product_lamp, 1),
        ])
        batch.with_context(oms_foreground=True).action_create_orders()
        orders = self.orders_of(batch)
        short_order = batch.line_ids.filtered("is_short").order_id
        batch.write({"in_background": True})
        batch._enqueue_confirm(orders.sorted("id"), chunk=1)
        records = self.env["queue.job"].search(
            [("model_name", "=", "oms.order.batch"), ("func_string", "like", f"oms.order.batch({batch.id},)")])
        self.assertEqual(len(records), 3)
        self.company.oms_allow_short_confirm = False
        for index, record in enumerate(records.sorted("id")):
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            job.perform()
            job.set_done()
            job.store()
            self.assertEqual(batch.in_background, index < 2, f"after job {index + 1}")
        self.assertEqual(set((orders - short_order).mapped("state")), {"sale"})
        self.assertEqual(short_order.state, "draft")
        self.assertIn(short_order.name, batch.background_message)
        self.assertIn("1 orders could not be confirmed", batch.background_message)

    # ------------------------------------------------------------------ customer feedback

    def test_confirmation_email_is_odoos_own(self):
        """Asked for on the batch, each customer gets the standard order confirmation email."""
        self.customer_a.email = "alba@example.com"
        batch = self.make_batch([self.line(self.customer_a, self.product_lamp, 2)], send_confirmation_email=True)
        batch.action_create_and_confirm()
        order = self.orders_of(batch)
        self.assertEqual(order.state, "sale")
        template = order._get_confirmation_template()
        self.assertTrue(template)
        expected_subject = template._render_field("subject", order.ids)[order.id]
        sent = order.message_ids.filtered(lambda m: m.subject == expected_subject)
        self.assertEqual(len(sent), 1, order.message_ids.mapped("subject"))
        self.assertIn(self.customer_a, sent.partner_ids)

    def test_no_email_unless_asked(self):
        self.customer_a.email = "alba@example.com"
        batch = self.make_batch([self.line(self.customer_a, self.product_lamp, 2)])
        batch.action_create_and_confirm()
        order = self.orders_of(batch)
        subject = order._get_confirmation_template()._render_field("subject", order.ids)[order.id]
        self.assertFalse(order.message_ids.filtered(lambda m: m.subject == subject))

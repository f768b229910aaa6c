"""The batch summary report (orders, shortages, problems) and the execution status shown to
the customer on the portal order page."""

import io

from lxml import html
from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged

from .common import OmsCase

REPORT = "oms_logistics.oms_order_batch_report_action"


class ReportCase(OmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ensure_chart_of_accounts()
        cls.product_mug.name = "Tea mug without stock"

    def make_summary_batch(self):
        """Two orders made, one of them short of mugs; one row left in error."""
        batch = self.make_batch([
            {"partner_id": self.customer_a.id, "product_id": self.product_lamp.id, "product_uom_qty": 2,
             "client_order_ref": "PO-LAMP"},
            {"partner_id": self.customer_b.id, "product_id": self.product_mug.id, "product_uom_qty": 3,
             "client_order_ref": "PO-MUG"},
            {"partner_id": self.customer_b.id, "product_id": self.product_lantern.id, "product_uom_qty": 0},
        ])
        batch.action_create_valid_orders()
        self.assertEqual(len(batch.order_ids), 2)
        self.assertEqual(batch.short_count, 1)
        self.assertEqual(batch.error_count, 1)
        return batch


@tagged("post_install", "-at_install")
class TestBatchReport(ReportCase):
    def assert_summary(self, content, batch):
        tree = html.fromstring(content)
        text = " ".join(tree.text_content().split())
        self.assertIn(batch.name, text)
        orders = tree.xpath("//table[contains(@class, 'o_oms_orders')]/tbody/tr")
        self.assertEqual(len(orders), 2)
        for order in batch.order_ids:
            row = [tr for tr in orders if order.name in tr.text_content()]
            self.assertEqual(len(row), 1, order.name)
            self.assertIn(order.client_order_ref, row[0].text_content())
            self.assertIn(order.partner_id.name, row[0].text_content())
            self.assertIn("Quotation", row[0].text_content())
        self.assertIn("Shortages", text)
        shortages = tree.xpath("//table[contains(@class, 'o_oms_shortages')]/tbody/tr")
        self.assertEqual(len(shortages), 1)
        self.assertIn("Tea mug without stock", shortages[0].text_content())
        problems = tree.xpath("//table[contains(@class, 'o_oms_problems')]/tbody/tr")
        self.assertEqual(len(problems), len(batch.problem_ids))
        self.assertIn("The quantity is zero.", text)
        self.assertIn("Zero quantity", text)
        self.assertIn("Short of stock", text)

    def test_summary_html(self):
        batch = self.make_summary_batch()
        content, report_type = self.env["ir.actions.report"]._render_qweb_html(REPORT, batch.ids)
        self.assertEqual(report_type, "html")
        self.assert_summary(content, batch)

    def test_summary_pdf(self):
        batch = self.make_summary_batch()
        # in test mode Odoo renders the PDF report's HTML instead of calling wkhtmltopdf
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(REPORT, batch.ids)
        self.assertIn(report_type, ("html", "pdf"))
        if report_type == "html":
            self.assert_summary(content, batch)

    def test_summary_real_pdf(self):
        # make test installs Debian's wkhtmltopdf: a missing one is a failure, not a skip
        self.assertEqual(self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok",
                         "wkhtmltopdf is missing: install Debian's wkhtmltopdf package")
        # wkhtmltopdf fetches the report's assets over HTTP; in a test run the only server is
        # the test one, which waits for this test's cursor: point it at a closed port instead
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        batch = self.make_summary_batch()
        content, report_type = self.env["ir.actions.report"].with_context(
            force_report_rendering=True)._render_qweb_pdf(REPORT, batch.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        self.assertIn(batch.name, text)
        for order in batch.order_ids:
            self.assertIn(order.name, text)

    def test_batch_without_orders_or_problems(self):
        batch = self.make_batch([{"partner_id": self.customer_a.id, "product_id": self.product_lamp.id}])
        content, _type = self.env["ir.actions.report"]._render_qweb_html(REPORT, batch.ids)
        tree = html.fromstring(content)
        self.assertFalse(tree.xpath("//table[contains(@class, 'o_oms_orders')]"))
        self.assertFalse(tree.xpath("//table[contains(@class, 'o_oms_problems')]"))
        self.assertNotIn("Shortages", tree.text_content())

    def test_report_is_bound_to_batches(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "oms.order.batch")
        self.assertEqual(report.report_type, "qweb-pdf")


@tagged("post_install", "-at_install")
class TestPortalStatus(HttpCase, ReportCase):
    """The customer, logged out, opens the order link with its access token."""

    def portal_page(self, order):
        self.env.flush_all()
        response = self.url_open(order.get_portal_url())
        self.assertEqual(response.status_code, 200)
        return html.fromstring(response.content)

    def test_portal_shows_execution_status(self):
        self.product_lamp.invoice_policy = "delivery"
        batch = self.make_batch([
            {"partner_id": self.customer_a.id, "product_id": self.product_lamp.id, "product_uom_qty": 4},
        ])
        batch.with_context(oms_foreground=True).action_create_and_confirm()
        order = batch.order_ids
        self.deliver(order, {self.product_lamp: 1})
        self.assertEqual(order.execution_status, "partially_delivered")
        page = self.portal_page(order)
        status = page.xpath("//tr[@id='oms_execution_status']")
        self.assertEqual(len(status), 1)
        self.assertEqual(" ".join(status[0].text_content().split()), "Status: Partially delivered")
        figures = " ".join(page.xpath("//tr[@id='oms_execution_figures']")[0].text_content().split())
        self.assertEqual(figures, "Delivered / invoiced / paid: 25% / 0% / 0%")
        self.assertIn(order.name, page.text_content())

    def test_portal_quotation_has_no_execution_status(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer_a.id,
            "order_line": [(0, 0, {"product_id": self.product_lamp.id, "product_uom_qty": 1})],
        })
        page = self.portal_page(order)
        self.assertFalse(page.xpath("//tr[@id='oms_execution_status']"))

    def test_portal_needs_the_token(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer_a.id,
            "order_line": [(0, 0, {"product_id": self.product_lamp.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        self.env.flush_all()
        response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"oms_execution_status", response.content)

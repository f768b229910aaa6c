"""Browser tour of the main flow: import a file into a batch, fix a row, create and confirm."""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBatchTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.company.write({"oms_allow_short_confirm": True, "oms_background_threshold": 500})
        admin = env.ref("base.user_admin")
        admin.groups_id = [Command.link(env.ref("oms_logistics.group_oms_manager").id)]
        Partner = env["res.partner"]
        cls.alba = Partner.create({"name": "Tourmaline Alba", "ref": "TOUR-ALBA"})
        cls.brisa = Partner.create({"name": "Tourmaline Brisa", "ref": "TOUR-BRISA"})
        Product = env["product.product"]
        cls.lamp = Product.create({
            "name": "Tour lamp", "default_code": "TOUR-LAMP", "list_price": 2.5,
            "type": "consu", "is_storable": True,
        })
        cls.mug = Product.create({
            "name": "Tour mug", "default_code": "TOUR-MUG", "list_price": 1.5,
            "type": "consu", "is_storable": True,
        })
        warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        for product in (cls.lamp, cls.mug):
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 50)
        env["oms.import.preset"].search([("name", "=", "Tour preset")]).unlink()
        cls.preset = env["oms.import.preset"].create({
            "name": "Tour preset",
            "company_id": cls.company.id,
            "column_ids": [
                Command.create({"sequence": 1, "header": "Customer", "target": "customer"}),
                Command.create({"sequence": 2, "header": "Product", "target": "product"}),
                Command.create({"sequence": 3, "header": "Qty", "target": "quantity"}),
                Command.create({"sequence": 4, "header": "Ref", "target": "reference"}),
            ],
        })

    def test_batch_import_tour(self):
        Batch = self.env["oms.order.batch"]
        before = Batch.search([]).ids
        self.start_tour("/odoo/action-oms_logistics.oms_order_batch_action", "oms_batch_import_tour", login="admin")

        batch = Batch.search([("id", "not in", before)])
        self.assertEqual(len(batch), 1, "the tour creates exactly one batch")
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.source_name, "tour_orders.csv")
        self.assertEqual(batch.preset_id, self.preset)
        self.assertFalse(batch.error_count)
        self.assertFalse(batch.problem_ids.filtered(lambda p: p.severity == "error"))
        fixed = batch.line_ids.filtered(lambda l: l.client_order_ref == "PO-TOUR-2")
        self.assertEqual(fixed.partner_id, self.brisa, "the row fixed in the grid keeps the chosen customer")
        self.assertFalse(fixed.raw_customer, "choosing the customer drops the unknown code")

        orders = batch.order_ids
        self.assertEqual(len(orders), 2)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        alba = orders.filtered(lambda o: o.partner_id == self.alba)
        brisa = orders.filtered(lambda o: o.partner_id == self.brisa)
        self.assertEqual(alba.client_order_ref, "PO-TOUR-1")
        self.assertEqual(brisa.client_order_ref, "PO-TOUR-2")
        self.assertEqual(
            sorted((l.product_id.id, l.product_uom_qty) for l in alba.order_line),
            sorted([(self.lamp.id, 3.0), (self.mug.id, 1.0)]),
        )
        self.assertEqual([(l.product_id.id, l.product_uom_qty) for l in brisa.order_line], [(self.mug.id, 2.0)])
        self.assertTrue(all(line.sale_line_id for line in batch.line_ids))

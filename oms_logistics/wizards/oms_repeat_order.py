from odoo import _, api, fields, models
from odoo.exceptions import UserError


class OmsRepeatOrder(models.TransientModel):
    """Copy the lines of a customer's last order into a batch."""

    _name = "oms.repeat.order"
    _description = "Repeat a customer's last order"

    batch_id = fields.Many2one("oms.order.batch", required=True)
    company_id = fields.Many2one(related="batch_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    order_id = fields.Many2one(
        "sale.order", string="Order to repeat", compute="_compute_order_id", store=True, readonly=False,
        domain="[('partner_id', 'child_of', partner_id), ('state', '=', 'sale')]",
    )

    @api.depends("partner_id")
    def _compute_order_id(self):
        for wizard in self:
            wizard.order_id = self.env["sale.order"].search(
                [("partner_id", "child_of", wizard.partner_id.commercial_partner_id.id or 0),
                 ("state", "=", "sale"), ("company_id", "=", wizard.batch_id.company_id.id)],
                order="date_order desc, id desc", limit=1,
            ) if wizard.partner_id else False

    def action_repeat(self):
        self.ensure_one()
        if not self.order_id:
            raise UserError(_("%s has no confirmed order to repeat.", self.partner_id.display_name))
        lines = self.order_id.order_line.filtered(lambda l: not l.display_type and l.product_id.sale_ok and l.product_id.active)
        if not lines:
            raise UserError(_("Order %s has no product line that can still be sold.", self.order_id.name))
        start = max(self.batch_id.line_ids.mapped("sequence") or [0])
        self.env["oms.order.batch.line"].create([{
            "batch_id": self.batch_id.id,
            "sequence": start + index,
            "partner_id": self.order_id.partner_id.id,
            "partner_shipping_id": self.order_id.partner_shipping_id.id,
            "product_id": line.product_id.id,
            "product_uom_qty": line.product_uom_qty,
            "product_uom": line.product_uom.id,
            "price_unit": line.price_unit,
            "price_from_pricelist": True,
            "is_return": line.product_uom_qty < 0,
        } for index, line in enumerate(lines, 1)])
        return {"type": "ir.actions.act_window_close"}

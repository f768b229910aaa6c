from odoo import fields, models


class OmsOrderActionResultLine(models.TransientModel):
    _name = "oms.order.action.result.line"
    _description = "Result of a batch action on one order"

    result_id = fields.Many2one("oms.order.action.result", required=True, ondelete="cascade")
    order_id = fields.Many2one("sale.order", readonly=True)
    status = fields.Selection([("done", "Done"), ("failed", "Failed")], readonly=True)
    reason = fields.Char(readonly=True)

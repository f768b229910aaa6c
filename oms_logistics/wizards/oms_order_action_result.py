from odoo import fields, models


class OmsOrderActionResult(models.TransientModel):
    """Outcome of a batch confirm/cancel: one line per order, done or failed with why."""

    _name = "oms.order.action.result"
    _description = "Result of a batch action on orders"

    action_name = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True, readonly=True)
    line_ids = fields.One2many("oms.order.action.result.line", "result_id", readonly=True)
    done_count = fields.Integer(compute="_compute_counts")
    failed_count = fields.Integer(compute="_compute_counts")

    def _compute_counts(self):
        for result in self:
            result.done_count = len(result.line_ids.filtered(lambda l: l.status == "done"))
            result.failed_count = len(result.line_ids) - result.done_count

    def _action_show(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.action_name,
        }

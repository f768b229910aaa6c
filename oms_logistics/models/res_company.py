from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    oms_background_threshold = fields.Integer(
        string="Background batch size",
        default=500,
        help="Batches with more lines than this are created and confirmed in the background.",
    )
    oms_allow_short_confirm = fields.Boolean(
        string="Confirm lines short of stock",
        default=True,
        help="When unchecked, a batch whose lines are short of stock cannot be confirmed.",
    )

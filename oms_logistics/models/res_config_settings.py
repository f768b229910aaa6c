from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    oms_background_threshold = fields.Integer(
        related="company_id.oms_background_threshold", readonly=False
    )
    oms_allow_short_confirm = fields.Boolean(
        related="company_id.oms_allow_short_confirm", readonly=False
    )

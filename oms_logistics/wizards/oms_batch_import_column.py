from odoo import fields, models

from ..models.oms_import_preset_column import TARGETS


class OmsBatchImportColumn(models.TransientModel):
    _name = "oms.batch.import.column"
    _description = "Column of a file being imported"
    _order = "sequence, id"

    wizard_id = fields.Many2one("oms.batch.import", required=True, ondelete="cascade")
    sequence = fields.Integer()
    header = fields.Char(string="File column", readonly=True)
    sample = fields.Char(string="First value", readonly=True)
    target = fields.Selection(TARGETS, string="Goes to", required=True, default="ignore")

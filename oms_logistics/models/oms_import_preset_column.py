from odoo import fields, models

TARGETS = [
    ("customer", "Customer"),
    ("delivery", "Delivery address"),
    ("product", "Product"),
    ("quantity", "Quantity"),
    ("uom", "Unit of measure"),
    ("price", "Unit price"),
    ("date", "Requested date"),
    ("reference", "Customer reference"),
    ("warehouse", "Warehouse"),
    ("description", "Description"),
    ("is_return", "Return line"),
    ("ignore", "Ignore this column"),
]


class OmsImportPresetColumn(models.Model):
    _name = "oms.import.preset.column"
    _description = "Order import preset column"
    _order = "sequence, id"

    preset_id = fields.Many2one("oms.import.preset", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="preset_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    header = fields.Char(string="File column", required=True)
    target = fields.Selection(TARGETS, required=True, default="ignore")

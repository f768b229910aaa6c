from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib.mapping import ImportOptions

DECIMAL_SEPARATORS = [(".", "Point (1234.56)"), (",", "Comma (1234,56)")]
THOUSANDS_SEPARATORS = [
    ("none", "None"),
    (",", "Comma (1,234)"),
    (".", "Point (1.234)"),
    ("space", "Space (1 234)"),
    ("'", "Apostrophe (1'234)"),
]
CANCEL_MODES = [("return", "Create return lines"), ("report", "Report as problems")]
NON_PRODUCT_MODES = [
    ("service", "Order as a service line"),
    ("report", "Report as problems"),
    ("skip", "Ignore the row"),
]


def import_options_from(record):
    """lib.mapping.ImportOptions from a record carrying the preset's option fields
    (a preset, or the import wizard that copies and adjusts them)."""
    thousands = {"none": "", "space": " "}.get(record.thousands_separator, record.thousands_separator)
    codes = frozenset(code.strip() for code in (record.non_product_codes or "").split(",") if code.strip())
    return ImportOptions(
        decimal_sep=record.decimal_separator,
        thousands_sep=thousands,
        date_format=record.date_format,
        strip_float_suffix=record.strip_float_suffix,
        cancel_prefix=record.cancel_prefix or "",
        cancel_mode=record.cancel_mode,
        non_product_codes=codes,
        non_product_mode=record.non_product_mode,
    )


class OmsImportPreset(models.Model):
    """A named, per-company column mapping and parsing setup for order files."""

    _name = "oms.import.preset"
    _description = "Order import preset"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=False)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    column_ids = fields.One2many("oms.import.preset.column", "preset_id", string="Columns", copy=True)
    decimal_separator = fields.Selection(DECIMAL_SEPARATORS, string="Decimal separator", default=".", required=True)
    thousands_separator = fields.Selection(THOUSANDS_SEPARATORS, string="Thousands separator", default="none",
                                           required=True)
    date_format = fields.Char(
        string="Date format",
        default="%Y-%m-%d",
        required=True,
        help="Format of dates written as text, with Python strftime codes: %d/%m/%Y, %Y-%m-%d %H:%M:%S ...",
    )
    csv_delimiter = fields.Char(string="CSV delimiter", size=1, help="Leave empty to detect it from the file.")
    csv_encoding = fields.Char(string="CSV encoding", help="Leave empty to try UTF-8, then Windows-1252.")
    strip_float_suffix = fields.Boolean(
        string="Read 17850.0 as 17850",
        help="For files where codes were written as decimal numbers (customer 17850.0).",
    )
    cancel_prefix = fields.Char(
        string="Cancellation prefix",
        help="A customer reference starting with this marks a cancelled order (e.g. C536379).",
    )
    cancel_mode = fields.Selection(
        CANCEL_MODES,
        string="Cancellations",
        default="return",
        required=True,
    )
    non_product_codes = fields.Char(
        string="Non-product codes",
        help="Comma-separated product codes that are not products (POST, D, M ...).",
    )
    non_product_mode = fields.Selection(
        NON_PRODUCT_MODES,
        string="Non-product rows",
        default="service",
        required=True,
    )
    non_product_service_id = fields.Many2one(
        "product.product",
        string="Service product",
        domain=[("type", "=", "service")],
        help="Product used for non-product codes; the code and description go into the line text.",
    )

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A preset with this name already exists."),
    ]

    @api.constrains("date_format")
    def _check_date_format(self):
        for preset in self:
            if "%" not in preset.date_format:
                raise ValidationError(
                    _("The date format %(format)s has no %% code such as %%d, %%m or %%Y.",
                      format=preset.date_format)
                )

    @api.constrains("non_product_mode", "non_product_service_id", "non_product_codes")
    def _check_non_product_service(self):
        for preset in self:
            if preset.non_product_codes and preset.non_product_mode == "service" and not preset.non_product_service_id:
                raise ValidationError(_("Choose the service product used for non-product codes."))

    def _get_mapping(self):
        """Header text -> target, as stored on the preset."""
        self.ensure_one()
        return {column.header: column.target for column in self.column_ids}

    def _get_import_options(self):
        """The parsing options of the ORM-free reader (lib.mapping.ImportOptions)."""
        self.ensure_one()
        return import_options_from(self)

import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.mapping import REQUIRED_TARGETS, guess_mapping
from ..lib.problems import ParseError
from ..lib.reader import read_table
from ..models.oms_import_preset import (
    CANCEL_MODES,
    DECIMAL_SEPARATORS,
    NON_PRODUCT_MODES,
    THOUSANDS_SEPARATORS,
    import_options_from,
)
from ..models.oms_order_batch_problem import file_reason, problem_message, target_label


class OmsBatchImport(models.TransientModel):
    """Upload an XLSX/CSV file, map its columns (remembered as named presets), import."""

    _name = "oms.batch.import"
    _description = "Import order lines from a file"

    step = fields.Selection([("upload", "Upload"), ("map", "Map columns")], default="upload", required=True)
    batch_id = fields.Many2one("oms.order.batch", string="Batch")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    file = fields.Binary(string="File", required=True)
    filename = fields.Char()
    preset_id = fields.Many2one(
        "oms.import.preset", string="Preset", domain="[('company_id', '=', company_id)]",
        default=lambda self: self._default_preset(),
    )
    column_ids = fields.One2many("oms.batch.import.column", "wizard_id", string="Columns")

    decimal_separator = fields.Selection(DECIMAL_SEPARATORS, string="Decimal separator", default=".", required=True)
    thousands_separator = fields.Selection(THOUSANDS_SEPARATORS, string="Thousands separator", default="none",
                                           required=True)
    date_format = fields.Char(string="Date format", default="%Y-%m-%d", required=True)
    csv_delimiter = fields.Char(string="CSV delimiter", size=1)
    csv_encoding = fields.Char(string="CSV encoding")
    strip_float_suffix = fields.Boolean(string="Read 17850.0 as 17850")
    cancel_prefix = fields.Char(string="Cancellation prefix")
    cancel_mode = fields.Selection(CANCEL_MODES, string="Cancellations", default="return", required=True)
    non_product_codes = fields.Char(string="Non-product codes")
    non_product_mode = fields.Selection(NON_PRODUCT_MODES, string="Non-product rows", default="service", required=True)
    non_product_service_id = fields.Many2one("product.product", string="Service product", domain=[("type", "=", "service")])
    save_preset = fields.Boolean(string="Remember this mapping")
    preset_name = fields.Char(string="Preset name")
    row_count = fields.Integer(readonly=True)

    _OPTION_FIELDS = (
        "decimal_separator", "thousands_separator", "date_format", "csv_delimiter", "csv_encoding",
        "strip_float_suffix", "cancel_prefix", "cancel_mode", "non_product_codes", "non_product_mode",
        "non_product_service_id",
    )

    @api.model
    def _default_preset(self):
        """The company's preset when it has only one: nothing to choose."""
        presets = self.env["oms.import.preset"].search([("company_id", "=", self.env.company.id)], limit=2)
        return presets if len(presets) == 1 else presets.browse()

    @api.onchange("preset_id")
    def _onchange_preset_id(self):
        if self.preset_id:
            for name in self._OPTION_FIELDS:
                self[name] = self.preset_id[name]
            self.preset_name = self.preset_id.name

    def _read(self):
        self.ensure_one()
        if not self.file:
            raise UserError(_("Choose a file to import."))
        try:
            return read_table(
                base64.b64decode(self.file), self.filename or "upload.csv",
                delimiter=self.csv_delimiter or None, encoding=self.csv_encoding or None,
            )
        except ParseError as error:
            if error.kind == "bad_file":
                reason = file_reason(self.env, error.params)
            else:
                reason = problem_message(self.env, error.kind, error.params)
            raise UserError(_("The file %(name)s cannot be read: %(reason)s", name=self.filename or "", reason=reason)) from error

    def action_next(self):
        """Read the header and propose a mapping: the preset's, or a guess from the names."""
        self.ensure_one()
        table = self._read()
        known = self.preset_id._get_mapping() if self.preset_id else {}
        guessed = guess_mapping(table.headers)
        self.column_ids = [fields.Command.clear()] + [
            fields.Command.create({
                "sequence": index,
                "header": header,
                "target": known.get(header) or guessed.get(header) or "ignore",
                "sample": self._sample(table, index),
            })
            for index, header in enumerate(table.headers) if header
        ]
        self.write({"step": "map", "row_count": len(table.rows)})
        return self._reopen()

    @staticmethod
    def _sample(table, index):
        for _row, cells in table.rows[:5]:
            value = cells[index].value if index < len(cells) else None
            if value not in (None, ""):
                return str(value)[:60]
        return False

    def _reopen(self):
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "target": "new", "context": self.env.context,
        }

    def _options(self):
        return import_options_from(self)

    def _save_preset(self):
        name = (self.preset_name or "").strip()
        if not name:
            raise UserError(_("Give the preset a name to remember this mapping."))
        vals = {name_: self[name_] for name_ in self._OPTION_FIELDS}
        vals["non_product_service_id"] = self.non_product_service_id.id
        vals["column_ids"] = [fields.Command.clear()] + [
            fields.Command.create({"sequence": c.sequence, "header": c.header, "target": c.target})
            for c in self.column_ids
        ]
        preset = self.env["oms.import.preset"].search(
            [("name", "=", name), ("company_id", "=", self.company_id.id)], limit=1)
        if preset:
            preset.write(vals)
        else:
            preset = preset.create({**vals, "name": name, "company_id": self.company_id.id})
        self.preset_id = preset
        return preset

    def _check_required_columns(self):
        """Every order line needs a customer, a product and a quantity (lib.mapping.REQUIRED_TARGETS)."""
        mapped = set(self.column_ids.mapped("target"))
        missing = [target for target in REQUIRED_TARGETS if target not in mapped]
        if missing:
            raise UserError(_(
                "Map a column to %(targets)s: customer, product and quantity are needed to make an order line.",
                targets=", ".join(target_label(self.env, target) for target in missing)))
        headers = {}
        for column in self.column_ids.filtered(lambda c: c.target != "ignore"):
            if column.target in headers:
                raise UserError(_(
                    "Columns %(first)s and %(second)s are both mapped to %(target)s: set one of them to Ignore.",
                    first=headers[column.target], second=column.header,
                    target=target_label(self.env, column.target)))
            headers[column.target] = column.header

    def action_import(self):
        self.ensure_one()
        if self.step != "map":
            self.action_next()
        self._check_required_columns()
        if self.save_preset:
            self._save_preset()
        known = self.preset_id._get_mapping() if self.preset_id else {}
        # a column left on "ignore" that the preset does not list is reported once (unknown_column)
        mapping = {c.header: c.target for c in self.column_ids if c.target != "ignore" or c.header in known}
        table = self._read()
        batch = self.batch_id or self.env["oms.order.batch"].create({"company_id": self.company_id.id})
        batch.preset_id = self.preset_id
        batch._import_table(table, mapping, self._options(), source_name=self.filename,
                            service=self.non_product_service_id)
        batch.action_check()
        if self.batch_id:
            # opened from the batch's form: closing reloads that form, with no second breadcrumb
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window", "res_model": "oms.order.batch", "res_id": batch.id,
            "view_mode": "form", "target": "current",
        }

import json

from odoo import api, fields, models
from odoo.tools import formatLang

KINDS = [
    ("bad_file", "Unreadable file"),
    ("no_header", "No header row"),
    ("unknown_column", "Unknown column"),
    ("duplicate_column", "Column mapped twice"),
    ("missing_column", "Required column not mapped"),
    ("missing_value", "Missing value"),
    ("unknown_customer", "Unknown customer"),
    ("ambiguous_customer", "Ambiguous customer"),
    ("unknown_delivery", "Unknown delivery address"),
    ("ambiguous_delivery", "Ambiguous delivery address"),
    ("wrong_delivery", "Address of another customer"),
    ("unknown_product", "Unknown product"),
    ("ambiguous_product", "Ambiguous product"),
    ("archived_product", "Archived product"),
    ("unsellable_product", "Product not sold"),
    ("wrong_company", "Belongs to another company"),
    ("unknown_uom", "Unknown unit of measure"),
    ("wrong_uom", "Unit of another category"),
    ("unknown_warehouse", "Unknown warehouse"),
    ("ambiguous_warehouse", "Ambiguous warehouse"),
    ("bad_number", "Not a number"),
    ("zero_quantity", "Zero quantity"),
    ("negative_quantity", "Negative quantity"),
    ("bad_price", "Price not a number"),
    ("bad_date", "Unreadable date"),
    ("bad_code", "Code not kept as text"),
    ("bad_flag", "Yes/no value not understood"),
    ("cancellation", "Cancelled order"),
    ("non_product_code", "Not a product"),
    ("stock_short", "Short of stock"),
    ("below_minimum", "Below reorder minimum"),
    ("create_failed", "Order not created"),
]


def file_reason(env, params):
    """Translated reason of an unreadable file, from lib.reader's ``bad_file`` reason code."""
    p = dict(params or {})
    reason = p.get("reason", "")
    reasons = {
        "empty": lambda: env._("the file is empty"),
        "xls": lambda: env._("old Excel .xls files are not supported; save it as .xlsx or CSV"),
        "ods": lambda: env._("OpenDocument files are not supported; save it as .xlsx or CSV"),
        "encrypted": lambda: env._("the file is password-protected"),
        "corrupt": lambda: env._("the file is damaged or is not a spreadsheet"),
        "encoding": lambda: env._("the text cannot be decoded as %(encoding)s", encoding=p.get("encoding", "")),
        "binary": lambda: env._("the file is neither a spreadsheet nor a text file"),
        "sheet_not_found": lambda: env._("there is no sheet named %(sheet)s", sheet=p.get("sheet", "")),
    }
    builder = reasons.get(reason)
    return builder() if builder else reason


def target_label(env, target):
    """Translated name of a mapping target (``customer``, ``quantity``...), as the mapping shows it."""
    labels = dict(env["oms.import.preset.column"]._fields["target"]._description_selection(env))
    return labels.get(target, target or "")


def _quantity(env, value):
    """A quantity as the reader writes numbers (8.00 / 8,00), not as Python prints it (8.0)."""
    if not isinstance(value, (int, float)):
        return value if value is not None else ""
    digits = env["decimal.precision"].precision_get("Product Unit of Measure")
    return formatLang(env, value, digits=digits)


def problem_message(env, kind, params):
    """Translated sentence for a problem kind; params come from the parser or the resolver."""
    p = dict(params or {})
    value = p.get("value", "")
    messages = {
        "bad_file": lambda: env._("The file cannot be read: %(reason)s", reason=file_reason(env, p)),
        "no_header": lambda: env._("The header row is empty."),
        "unknown_column": lambda: env._("Column %(column)s is not mapped and was ignored.", column=p.get("column", "")),
        "duplicate_column": lambda: env._("Two columns are mapped to %(target)s.", target=target_label(env, p.get("target"))),
        "missing_column": lambda: env._("No column is mapped to %(target)s: customer, product and quantity are needed to make an order line.",
                                    target=target_label(env, p.get("target"))),
        "missing_value": lambda: env._("This value is required."),
        "unknown_customer": lambda: env._("No customer has the reference, barcode, external id or name %(value)s.", value=value),
        "ambiguous_customer": lambda: env._("%(value)s matches several customers: %(names)s.", value=value, names=p.get("names", "")),
        "unknown_delivery": lambda: env._("No address has the reference, barcode, external id or name %(value)s.", value=value),
        "ambiguous_delivery": lambda: env._("%(value)s matches several addresses: %(names)s.", value=value, names=p.get("names", "")),
        "wrong_delivery": lambda: env._("%(address)s is not an address of customer %(customer)s: deliver to the customer or to one of its contacts.",
                                    address=p.get("address", value), customer=p.get("customer", "")),
        "unknown_product": lambda: env._("No product has the internal reference, barcode, external id or name %(value)s.", value=value),
        "ambiguous_product": lambda: env._("%(value)s matches several products: %(names)s.", value=value, names=p.get("names", "")),
        "archived_product": lambda: env._("Product %(name)s is archived.", name=p.get("name", value)),
        "unsellable_product": lambda: env._("Product %(name)s cannot be sold.", name=p.get("name", value)),
        "wrong_company": lambda: env._("%(name)s belongs to company %(company)s, not to the batch's company.", name=p.get("name", ""), company=p.get("company", "")),
        "unknown_uom": lambda: env._("No unit of measure is named %(value)s.", value=value),
        "wrong_uom": lambda: env._("Unit %(value)s is not in the category of the product's unit %(uom)s.", value=value, uom=p.get("uom", "")),
        "unknown_warehouse": lambda: env._("No warehouse has the code or name %(value)s.", value=value),
        "ambiguous_warehouse": lambda: env._("%(value)s matches several warehouses: %(names)s.", value=value, names=p.get("names", "")),
        "bad_number": lambda: env._("%(value)s is not a number.", value=value),
        "zero_quantity": lambda: env._("The quantity is zero."),
        "negative_quantity": lambda: env._("The quantity %(value)s is negative and the line is not a return.", value=value),
        "bad_price": lambda: env._("The price %(value)s is not a number.", value=value),
        "bad_date": lambda: env._("%(value)s is not a date in the format %(format)s.", value=value, format=p.get("format", "")),
        "bad_code": lambda: env._("%(value)s has more than 15 digits or decimals and cannot be a code; format the column as text.", value=value),
        "bad_flag": lambda: env._("%(value)s is not yes or no.", value=value),
        "cancellation": lambda: env._("Reference %(value)s is a cancelled order.", value=value),
        "non_product_code": lambda: env._("%(value)s is not a product code.", value=value),
        "stock_short": lambda: env._("Short of stock: %(requested)s requested, %(free)s free, %(forecast)s forecast.",
                                 requested=_quantity(env, p.get("requested")), free=_quantity(env, p.get("free")),
                                 forecast=_quantity(env, p.get("forecast"))),
        "below_minimum": lambda: env._("After this order the forecast %(forecast)s is under the reorder minimum %(minimum)s.",
                                   forecast=_quantity(env, p.get("forecast")), minimum=_quantity(env, p.get("minimum"))),
        "create_failed": lambda: env._("The order could not be created: %(reason)s", reason=p.get("reason", "")),
    }
    builder = messages.get(kind)
    return builder() if builder else kind


class OmsOrderBatchProblem(models.Model):
    _name = "oms.order.batch.problem"
    _description = "Problem found in an order batch"
    _order = "batch_id, severity, row, id"  # errors ("error" < "warning") before warnings

    batch_id = fields.Many2one("oms.order.batch", required=True, ondelete="cascade", index=True)
    line_id = fields.Many2one("oms.order.batch.line", ondelete="cascade", index=True)
    company_id = fields.Many2one(related="batch_id.company_id", store=True)
    row = fields.Integer(help="Row number in the file (or line number when typed).")
    column = fields.Char()
    kind = fields.Selection(KINDS, required=True)
    severity = fields.Selection([("error", "Error"), ("warning", "Warning")], required=True, default="error")
    params = fields.Char(help="JSON values used in the message.")
    message = fields.Char(compute="_compute_message")

    @api.depends("kind", "params")
    @api.depends_context("lang")
    def _compute_message(self):
        for problem in self:
            params = json.loads(problem.params) if problem.params else {}
            params.setdefault("column", problem.column or "")
            problem.message = problem_message(self.env, problem.kind, params)

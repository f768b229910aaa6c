import base64
import dataclasses
import json
import logging
from collections import defaultdict
from datetime import datetime, time

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, file_open, formatLang
from odoo.tools.translate import LazyTranslate

from ..lib.mapping import ImportOptions, parse_table

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("checked", "Checked"),
    ("confirmed", "Orders created"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
# column labels used in problems for lines typed in the grid
_lt = LazyTranslate(__name__)
GRID_COLUMNS = {
    "customer": _lt("Customer"), "delivery": _lt("Delivery address"), "product": _lt("Product"),
    "quantity": _lt("Quantity"), "uom": _lt("Unit"), "price": _lt("Unit price"), "date": _lt("Requested date"),
    "warehouse": _lt("Warehouse"), "reference": _lt("Customer reference"),
}


class OmsOrderBatch(models.Model):
    """Many customers' order lines checked together, then turned into sale orders.

    draft -> checked (every row checked, problems listed) -> confirmed (sale orders created)
    -> done (orders confirmed); or cancel. Big batches run their creation and confirmation
    through queue_job.
    """

    _name = "oms.order.batch"
    _description = "Sales order batch"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, copy=False, readonly=True, default="/", index="trigram")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, default=lambda self: self.env.user,
        index=True, tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, copy=False)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Default warehouse",
        domain="[('company_id', '=', company_id)]",
        default=lambda self: self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1),
    )
    preset_id = fields.Many2one("oms.import.preset", string="Import preset", copy=False)
    source_name = fields.Char(string="Imported file", copy=False, readonly=True)
    column_map = fields.Char(copy=False, readonly=True, help="JSON: target -> file header, to name columns in problems.")
    import_options = fields.Char(
        copy=False, readonly=True,
        help="JSON: the parsing options chosen when importing, to read fixed cells the same way.")
    line_ids = fields.One2many("oms.order.batch.line", "batch_id", string="Lines", copy=True)
    problem_ids = fields.One2many("oms.order.batch.problem", "batch_id", string="Problems", copy=False)
    order_ids = fields.One2many("sale.order", "oms_batch_id", string="Orders", copy=False)

    line_count = fields.Integer(compute="_compute_counts")
    order_count = fields.Integer(compute="_compute_counts")
    error_count = fields.Integer(compute="_compute_counts", string="Rows in error")
    warning_count = fields.Integer(compute="_compute_counts")
    short_count = fields.Integer(compute="_compute_counts", string="Short lines")
    amount_total = fields.Monetary(compute="_compute_counts", string="Total")
    confirmed_order_count = fields.Integer(compute="_compute_counts")
    quotation_count = fields.Integer(compute="_compute_counts", string="Quotations")
    valid_open_count = fields.Integer(compute="_compute_counts", string="Valid lines left",
                                      help="Valid lines not in an order yet.")
    progress = fields.Float(compute="_compute_counts", string="Orders confirmed",
                            help="Share of the batch's orders confirmed, in %.")
    shortage_summary = fields.Html(compute="_compute_shortage_summary", sanitize=False)
    send_confirmation_email = fields.Boolean(
        string="Email the confirmations",
        help="Send each customer Odoo's standard order confirmation email when its order is confirmed.",
    )
    in_background = fields.Boolean(readonly=True, copy=False, help="Orders are being created or confirmed by a job.")
    background_message = fields.Char(readonly=True, copy=False)
    block_short = fields.Boolean(compute="_compute_block_short")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("oms.order.batch") or "/"
        return super().create(vals_list)

    @api.depends("line_ids.has_error", "line_ids.is_short", "line_ids.price_subtotal", "line_ids.sale_line_id",
                 "problem_ids.severity", "order_ids.state")
    def _compute_counts(self):
        for batch in self:
            lines = batch.line_ids
            batch.line_count = len(lines)
            batch.error_count = len(lines.filtered("has_error"))
            batch.warning_count = len(batch.problem_ids.filtered(lambda p: p.severity == "warning"))
            batch.short_count = len(lines.filtered("is_short"))
            batch.amount_total = sum(lines.mapped("price_subtotal"))
            orders = batch.order_ids
            batch.order_count = len(orders)
            batch.confirmed_order_count = len(orders.filtered(lambda o: o.state == "sale"))
            batch.quotation_count = len(orders.filtered(lambda o: o.state in ("draft", "sent")))
            batch.valid_open_count = len(lines.filtered(lambda l: not l.sale_line_id and not l.has_error))
            batch.progress = 100.0 * batch.confirmed_order_count / len(orders) if orders else 0.0

    @api.depends("company_id.oms_allow_short_confirm")
    def _compute_block_short(self):
        for batch in self:
            batch.block_short = not batch.company_id.oms_allow_short_confirm

    @api.depends("line_ids.is_short", "line_ids.free_qty", "line_ids.forecast_qty")
    def _compute_shortage_summary(self):
        for batch in self:
            stock = {}
            for line in batch.line_ids.filtered("is_short"):
                stock[(line.product_id, line._get_warehouse())] = (line.free_qty, line.forecast_qty)
            # the whole batch's demand for a short product, as the alert cumulates it
            requested = defaultdict(float)
            for line in batch.line_ids.filtered(lambda l: not l.is_return and l.product_id):
                key = (line.product_id, line._get_warehouse())
                if key in stock:
                    requested[key] += line._quantity_in_product_uom()
            if not requested:
                batch.shortage_summary = False
                continue
            digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
            rows = [{
                "product": product.display_name,
                "warehouse": warehouse.name or "",
                "requested": formatLang(self.env, qty, digits=digits),
                "free": formatLang(self.env, stock[(product, warehouse)][0], digits=digits),
                "forecast": formatLang(self.env, stock[(product, warehouse)][1], digits=digits),
                # what the forecast at the date lacks: why a line with enough free stock is short
                "missing": formatLang(self.env, max(qty - stock[(product, warehouse)][1], 0.0), digits=digits),
            } for (product, warehouse), qty in requested.items()]
            # QWeb escapes product names; the field is not sanitized
            batch.shortage_summary = self.env["ir.qweb"]._render(
                "oms_logistics.oms_order_batch_shortage_summary", {"rows": rows})

    def _reset_to_draft(self):
        self.filtered(lambda b: b.state == "checked").write({"state": "draft"})

    def _update_state_from_orders(self):
        """Once every line is in an order, the batch follows its orders: 'Orders created'
        while a quotation is left, 'Cancelled' when all are cancelled, else 'Done'."""
        for batch in self:
            if batch.state == "cancel" or not batch.order_ids:
                continue
            if batch.line_ids.filtered(lambda l: not l.sale_line_id):
                continue
            states = set(batch.order_ids.mapped("state"))
            state = "confirmed" if states & {"draft", "sent"} else "cancel" if states == {"cancel"} else "done"
            if batch.state != state:
                batch.state = state

    def _get_import_options(self):
        """Options the file was imported with (the wizard's), else the preset's."""
        if self.import_options:
            values = json.loads(self.import_options)
            values.pop("non_product_service_id", None)
            return ImportOptions(**values)
        return self.preset_id._get_import_options() if self.preset_id else ImportOptions()

    def _get_non_product_service(self):
        if self.import_options:
            service_id = json.loads(self.import_options).get("non_product_service_id")
            return self.env["product.product"].browse(service_id).exists()
        return self.preset_id.non_product_service_id

    def _column_label(self, target):
        mapping = json.loads(self.column_map) if self.column_map else {}
        label = GRID_COLUMNS.get(target)
        return mapping.get(target) or (self.env._(label) if label else target)

    # ------------------------------------------------------------------ checking

    def action_check(self):
        for batch in self:
            if batch.state not in ("draft", "checked", "confirmed"):
                raise UserError(_("Batch %s is no longer open for checking.", batch.name))
            batch._check_lines(batch.line_ids.filtered(lambda l: not l.sale_line_id))
            if batch.state == "draft":
                batch.state = "checked"
            # the rows left after "valid rows only" may have been deleted instead of fixed
            batch._update_state_from_orders()
        return True

    def _check_lines(self, lines):
        """Parse, resolve and validate lines; replace their problems. Constant queries per line."""
        self.ensure_one()
        lines = lines.with_context(oms_checking=True)
        found = lines._resolve_and_validate(self)
        lines._compute_stock_alerts(found)
        self.problem_ids.filtered(lambda p: p.line_id in lines or not p.line_id and p.kind in ("create_failed",)).unlink()
        vals = []
        for line in lines:
            problems = found[line.id]
            for column, kind, severity, params in problems:
                vals.append({
                    "batch_id": self.id, "company_id": self.company_id.id,  # no recompute UPDATE after the INSERT
                    "line_id": line.id, "row": line.row or line.sequence,
                    "column": self._column_label(column), "kind": kind, "severity": severity,
                    "params": json.dumps(params, default=str),
                })
        self.env["oms.order.batch.problem"].create(vals)
        messages = defaultdict(list)
        for v in vals:
            if v["severity"] == "error":
                messages[v["line_id"]].append(v["kind"])
        error_lines = lines.filtered(lambda l: l.id in messages)
        clean_lines = lines - error_lines
        # one UPDATE for the whole batch (write() would cost one per text and per 100 lines)
        updates = {line.id: {"has_error": False} for line in clean_lines}
        for line in error_lines:
            updates[line.id] = {"has_error": True}
        lines._bulk_update(updates)

    # ------------------------------------------------------------------ creating

    def _lines_to_create(self, valid_only=False):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda l: not l.sale_line_id)
        if not lines:
            raise UserError(_("Batch %s has no line left to turn into an order.", self.name))
        # "checked" means no line changed since the last check (any edit puts the batch back
        # to draft); checking again would only double the time of big batches
        if self.state != "checked":
            self._check_lines(lines)
        file_errors = self.problem_ids.filtered(lambda p: not p.line_id and p.severity == "error")
        if file_errors:
            # a column read wrongly makes every row suspect, valid-looking ones too
            raise UserError(_(
                "The columns of the file have problems (%(problems)s); nothing was created. "
                "Import the file again with a corrected mapping.",
                problems="; ".join(file_errors.mapped("message"))))
        errors = lines.filtered("has_error")
        if errors and not valid_only:
            raise UserError(_(
                "%(count)s rows have problems; nothing was created. Fix them, or choose "
                "'Create orders for valid rows only'.", count=len(errors)))
        lines -= errors
        if not lines:
            raise UserError(_("Every row left to create has problems; nothing was created. Fix them first."))
        return lines

    def action_create_orders(self):
        return self._action_create_orders(valid_only=False, confirm=False)

    def action_create_valid_orders(self):
        return self._action_create_orders(valid_only=True, confirm=False)

    def action_create_and_confirm(self):
        return self._action_create_orders(valid_only=False, confirm=True)

    def _action_create_orders(self, valid_only, confirm):
        self.ensure_one()
        if self.state in ("done", "cancel"):
            raise UserError(_("Batch %s is closed.", self.name))
        if self.in_background:
            raise UserError(_("Batch %s is already being processed in the background.", self.name))
        lines = self._lines_to_create(valid_only=valid_only)
        if confirm:
            self._check_short_allowed(lines)
        if len(lines) > self.company_id.oms_background_threshold and not self.env.context.get("oms_foreground"):
            self.write({"in_background": True, "background_message": _("Creating %s lines in the background…", len(lines))})
            self.with_delay(description=_("Create orders of batch %s", self.name))._job_create_orders(lines.ids, confirm)
            return self._notify(_("Batch %(name)s: %(count)s lines are being turned into orders in the background.",
                                  name=self.name, count=len(lines)))
        orders = self._create_orders(lines)
        if confirm:
            self._confirm_orders(orders)
        return self._notify(_("Batch %(name)s: %(count)s orders created.", name=self.name, count=len(orders)))

    def _notify(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "success", "next": {"type": "ir.actions.act_window_close"}},
        }

    def _check_short_allowed(self, lines):
        if not self.company_id.oms_allow_short_confirm and lines.filtered("is_short"):
            raise UserError(_(
                "%(count)s lines are short of stock and %(company)s does not confirm short lines.",
                count=len(lines.filtered("is_short")), company=self.company_id.name))

    def _order_key(self, line):
        return (
            line.partner_id.id,
            line.partner_shipping_id.id,
            line.requested_date.date() if line.requested_date else False,
            line.client_order_ref or "",
            line._get_warehouse().id,
        )

    def _prepare_order_values(self, key, lines):
        """Values of one sale order for lines sharing a key; extend to add fields."""
        partner_id, shipping_id, _date, ref, warehouse_id = key
        first = lines[0]
        return {
            "partner_id": partner_id,
            "partner_shipping_id": shipping_id or partner_id,
            "client_order_ref": ref or False,
            "commitment_date": first.requested_date or False,
            "warehouse_id": warehouse_id or False,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "oms_batch_id": self.id,
            "order_line": [Command.create(line._prepare_sale_line_values(seq)) for seq, line in enumerate(lines, 1)],
        }

    def _create_orders(self, lines):
        """Create one sale order per key for the lines, all or nothing."""
        self.ensure_one()
        groups = defaultdict(list)
        for line in lines:
            groups[self._order_key(line)].append(line)
        vals_list = [self._prepare_order_values(key, group) for key, group in groups.items()]
        # like Odoo's import dialog by default: no chatter log or field tracking while creating
        # (the batch's own chatter tells the story); confirmation later is tracked as usual
        SaleOrder = self.env["sale.order"].with_company(self.company_id).with_context(tracking_disable=True)
        # no analytic distribution model anywhere: skip the searches each order line would run
        skip_analytic = not self.env["account.analytic.distribution.model"].sudo().search_count([], limit=1)
        try:
            with self.env.cr.savepoint():
                Create = SaleOrder.with_context(oms_no_distribution_model=True) if skip_analytic else SaleOrder
                orders = Create.create(vals_list)
                Create.env.flush_all()  # the recomputations run with that context too
                orders = orders.with_env(self.env["sale.order"].with_company(self.company_id).env)
                self._link_lines(orders, list(groups.values()))
        except UserError:
            raise
        except Exception as error:  # noqa: BLE001 - any failure must leave no partial order
            _logger.exception("batch %s: order creation failed", self.name)
            raise UserError(_("The orders could not be created, nothing was kept: %s", error)) from error
        self.state = "checked" if self.line_ids.filtered(lambda l: not l.sale_line_id) else "confirmed"
        self.message_post(body=_("%(orders)s orders created from %(lines)s lines.", orders=len(orders), lines=len(lines)))
        return orders

    def _link_lines(self, orders, groups):
        pairs = []
        for order, group in zip(orders, groups, strict=True):
            sale_lines = order.order_line.sorted("sequence")
            for line, sale_line in zip(group, sale_lines, strict=True):
                pairs.append(SQL("(%s, %s)", line.id, sale_line.id))
        self.env["oms.order.batch.line"].flush_model()
        self.env.cr.execute(SQL(
            "UPDATE oms_order_batch_line AS l SET sale_line_id = v.sale_line_id, order_id = v.order_id"
            " FROM (SELECT p.id, p.sale_line_id, s.order_id FROM (VALUES %s) AS p(id, sale_line_id)"
            " JOIN sale_order_line s ON s.id = p.sale_line_id) AS v WHERE l.id = v.id",
            SQL(", ").join(pairs),
        ))
        self.env["oms.order.batch.line"].invalidate_model(["sale_line_id", "order_id"])

    def _job_create_orders(self, line_ids, confirm):
        """queue_job: create (and confirm) the orders of a big batch."""
        self.ensure_one()
        lines = self.env["oms.order.batch.line"].browse(line_ids).exists().filtered(lambda l: not l.sale_line_id)
        if self.state == "cancel" or not lines:
            self.write({"in_background": False, "background_message": False})
            return _("Nothing to create")
        try:
            if self.state != "checked":
                # lines were edited while the job waited: check them again, create nothing if wrong
                self._check_lines(lines)
                if lines.filtered("has_error"):
                    raise UserError(_("Lines were changed while waiting and now have problems; "
                                      "nothing was created. Fix them and create again."))
            orders = self._create_orders(lines)
        except UserError as error:
            self.write({"in_background": False, "background_message": str(error)})
            self.message_post(body=str(error))
            return str(error)
        self.background_message = _("%s orders created.", len(orders))
        if confirm:
            self._enqueue_confirm(orders)
        else:
            self.in_background = False
        return _("%s orders created", len(orders))

    # ------------------------------------------------------------------ confirming / cancelling

    def action_confirm_orders(self):
        self.ensure_one()
        orders = self.order_ids.filtered(lambda o: o.state in ("draft", "sent"))
        if not orders:
            raise UserError(_("Batch %s has no quotation to confirm.", self.name))
        self._check_short_allowed(self.line_ids.filtered(lambda l: l.order_id in orders))
        if len(orders.order_line) > self.company_id.oms_background_threshold and not self.env.context.get("oms_foreground"):
            self.write({"in_background": True})
            self._enqueue_confirm(orders)
            return self._notify(_("Batch %(name)s: %(count)s orders are being confirmed in the background.",
                                  name=self.name, count=len(orders)))
        result = self._confirm_orders(orders)
        return result._action_show()

    def _enqueue_confirm(self, orders, chunk=50):
        self.background_message = _("Confirming %s orders in the background…", len(orders))
        for start in range(0, len(orders), chunk):
            part = orders[start:start + chunk]
            self.with_delay(description=_("Confirm orders of batch %s", self.name))._job_confirm_orders(part.ids)

    def _job_confirm_orders(self, order_ids):
        orders = self.env["sale.order"].browse(order_ids).exists()
        result = self._confirm_orders(orders)
        failed = result.line_ids.filtered(lambda l: l.status == "failed")
        if failed:
            self.message_post(body=_("%(count)s orders could not be confirmed: %(reasons)s", count=len(failed),
                                     reasons="; ".join(f"{l.order_id.name}: {l.reason}" for l in failed)))
        # the last confirmation job of the batch ends its background work, even if orders failed
        if not self._other_confirm_jobs_pending():
            left = self.order_ids.filtered(lambda o: o.state in ("draft", "sent"))
            self.write({"in_background": False, "background_message": _(
                "%(count)s orders could not be confirmed: %(names)s",
                count=len(left), names=", ".join(left.mapped("name"))) if left else False})
        return _("%(done)s orders confirmed, %(failed)s failed", done=len(orders) - len(failed), failed=len(failed))

    def _other_confirm_jobs_pending(self):
        """Confirmation jobs of this batch (one per chunk of orders) still to run, this one excluded."""
        return self.env["queue.job"].sudo().search_count([
            ("model_name", "=", self._name),
            ("method_name", "=", "_job_confirm_orders"),
            ("func_string", "=like", f"{self._name}({self.id},)._job_confirm_orders(%"),
            ("state", "in", ("wait_dependencies", "pending", "enqueued", "started")),
            ("uuid", "!=", self.env.context.get("job_uuid") or ""),
        ])

    def _confirm_orders(self, orders):
        if self.send_confirmation_email:
            orders = orders.with_context(send_email=True)
        result = orders._oms_run_each("action_confirm", _("Confirm"))
        self._update_state_from_orders()
        return result

    def action_cancel(self):
        """Cancel the batches and their orders; a batch with an order that cannot be cancelled
        stays open, and the result of every order is shown."""
        orders = self.order_ids.filtered(lambda o: o.state != "cancel")
        result = orders._oms_run_each("_action_cancel", _("Cancel")) if orders else None
        failed = result.line_ids.filtered(lambda l: l.status == "failed").order_id if result else orders.browse()
        for batch in self:
            if not batch.order_ids & failed:
                batch.state = "cancel"
        return result._action_show() if failed else True

    def action_draft(self):
        self.filtered(lambda b: b.state == "cancel" and not b.order_ids).write({"state": "draft"})

    # ------------------------------------------------------------------ navigation

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update({"domain": [("oms_batch_id", "=", self.id)], "context": {"create": False}})
        return action

    def action_view_problems(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_logistics.oms_order_batch_problem_action")
        action["domain"] = [("batch_id", "=", self.id)]
        return action

    def action_open_import(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Import file"),
            "res_model": "oms.batch.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_id": self.id},
        }

    def action_repeat_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Repeat last order"),
            "res_model": "oms.repeat.order",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_id": self.id},
        }

    def unlink(self):
        if self.order_ids:
            raise UserError(_("A batch that created orders cannot be deleted; cancel it instead."))
        return super().unlink()

    # ------------------------------------------------------------------ importing

    def _import_table(self, table, mapping, options, source_name=None, service=None):
        """Turn a read file (lib.reader.Table) into batch lines, keeping every cell's text.

        The web client's import wizard and the oms-import command both come here.
        Returns the lib ParseResult (rows read, problems) for reporting.
        """
        self.ensure_one()
        header_of = {}
        for header, target in mapping.items():
            if target != "ignore":
                header_of.setdefault(target, header)
        import_options = json.dumps({
            **dataclasses.asdict(options), "non_product_codes": sorted(options.non_product_codes),
            "non_product_service_id": (service or self.preset_id.non_product_service_id).id or False,
        })
        self._check_same_import_settings(json.dumps(header_of), import_options)
        result = parse_table(table, mapping, options)
        failed = defaultdict(dict)
        file_problems = []
        for problem in result.problems:
            if problem.row is None:
                file_problems.append(problem)
            else:
                target = mapping.get(problem.column, problem.column)
                failed[problem.row][target] = (problem.kind, problem.params_dict)
        start = max(self.line_ids.mapped("sequence") or [0])
        vals_list = []
        for index, row in enumerate(result.rows, 1):
            vals_list.append(self._prepare_line_from_row(row, failed.get(row.row, {}), start + index))
        self.env["oms.order.batch.line"].with_context(oms_checking=True).create(vals_list)
        self.write({
            "source_name": source_name or self.source_name,
            "column_map": json.dumps(header_of),
            "import_options": import_options,
        })
        self.problem_ids.filtered(lambda p: not p.line_id).unlink()
        self.env["oms.order.batch.problem"].create([{
            "batch_id": self.id, "row": 0, "column": problem.column, "kind": problem.kind,
            "severity": problem.severity, "params": json.dumps(problem.params_dict, default=str),
        } for problem in file_problems])
        return result

    def _check_same_import_settings(self, column_map, import_options):
        """Lines of a file are checked again with the options they were read with (the
        batch's). A second file read otherwise would change how the first file's lines read."""
        waiting = self.line_ids.filtered(lambda l: l.row and not l.sale_line_id)
        if not waiting or not self.import_options:
            return
        if json.loads(self.import_options) != json.loads(import_options) \
                or json.loads(self.column_map or "{}") != json.loads(column_map):
            raise UserError(_(
                "Batch %(name)s already holds rows of %(file)s, read with other columns or options. "
                "Import this file into a new batch, or use the same preset.",
                name=self.name, file=self.source_name or _("another file")))

    def _prepare_line_from_row(self, row, failed, sequence):
        """Line values from a parsed row; a cell that failed to parse keeps its text."""
        values, raw = row.values, row.raw
        vals = {
            "batch_id": self.id,
            "sequence": sequence,
            "row": row.row,
            "raw_customer": values.get("customer") or raw.get("customer") or False,
            "raw_delivery": values.get("delivery") or raw.get("delivery") or False,
            "raw_product": values.get("product") or raw.get("product") or False,
            "raw_uom": values.get("uom") or False,
            "raw_warehouse": values.get("warehouse") or False,
            "client_order_ref": values.get("reference") or raw.get("reference") or False,
            "name": values.get("description") or False,
            "is_return": row.is_return,
            "non_product": row.non_product,
            "file_problems": json.dumps({
                target: [kind, params] for target, (kind, params) in failed.items()
                if target in ("customer", "delivery", "product", "warehouse", "uom", "reference", "is_return")
                or kind in ("cancellation", "non_product_code")
            }) if failed else False,
        }
        if "quantity" in failed or values.get("quantity") is None:
            vals["raw_quantity"] = raw.get("quantity") or False
            vals["product_uom_qty"] = 0.0
        else:
            vals["product_uom_qty"] = values["quantity"]
        if "price" in failed:
            vals["raw_price"] = raw.get("price") or False
            vals["price_from_pricelist"] = False
        elif values.get("price") is not None:
            vals["price_unit"] = values["price"]
            vals["price_from_pricelist"] = False
        date = values.get("date")
        if "date" in failed:
            vals["raw_date"] = raw.get("date") or False
        elif date:
            vals["requested_date"] = self._file_datetime(date)
        return vals

    def _file_datetime(self, value):
        """The UTC value stored for a date or time read from a file.

        Like Odoo's own import, a time is in the time zone of the context, else the user's,
        else UTC; a bare date means noon of that day (the same day in every time zone)."""
        if not isinstance(value, datetime):
            return datetime.combine(value, time(12))
        local = self.env["ir.fields.converter"]._input_tz().localize(value, is_dst=False)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _import_summary(self, result=None):
        """Figures printed by the oms-import command (and logged by jobs)."""
        self.ensure_one()
        kinds = defaultdict(int)
        for problem in self.problem_ids:
            kinds[problem.kind] += 1
        return {
            "batch": self.name,
            "state": self.state,
            "salesperson": self.user_id.login,
            "rows_read": result.rows_read if result else len(self.line_ids),
            "rows_skipped": result.skipped if result else 0,
            "lines": len(self.line_ids),
            "rows_in_error": self.error_count,
            "orders_created": len(self.order_ids),
            "orders_confirmed": len(self.order_ids.filtered(lambda o: o.state == "sale")),
            "lines_per_order": {order.name: len(order.order_line) for order in self.order_ids},
            "problems_by_kind": dict(sorted(kinds.items())),
        }

    @api.model
    def _cli_import(self, data, filename, preset_name, company_id=None, create=False, confirm=False,
                    valid_only=False, foreground=False):
        """Shared by the oms-import command and its tests: returns (summary dict, success)."""
        domain = [("name", "=", preset_name)] + ([("company_id", "=", company_id)] if company_id else [])
        preset = self.env["oms.import.preset"].search(domain, limit=2)
        if not preset:
            raise UserError(_("No import preset is named %s.", preset_name))
        if len(preset) > 1:
            raise UserError(_("Presets named %(name)s exist in %(companies)s: say which company.",
                              name=preset_name, companies=", ".join(preset.company_id.mapped("name"))))
        env = self.with_company(preset.company_id).with_context(oms_foreground=foreground)
        wizard = env.env["oms.batch.import"].create({
            "file": base64.b64encode(data), "filename": filename, "preset_id": preset.id,
            "company_id": preset.company_id.id,
            **{name: preset[name] for name in env.env["oms.batch.import"]._OPTION_FIELDS
               if name != "non_product_service_id"},
            "non_product_service_id": preset.non_product_service_id.id,
        })
        wizard.action_next()
        action = wizard.action_import()
        batch = env.browse(action["res_id"])
        result_rows = wizard.row_count
        ok = not batch.error_count
        if create and (ok or valid_only):
            batch._action_create_orders(valid_only=valid_only, confirm=confirm)
        summary = batch._import_summary()
        summary["rows_read"] = result_rows
        summary["preset"] = preset.name
        summary["file"] = filename
        return summary, ok or valid_only

    @api.model
    def _load_demo_sample(self, path):
        """Demo data: stock for the sample's products, then the real day imported, its
        valid rows turned into confirmed orders and a few of them delivered."""
        with file_open(path, "rb") as handle:
            data = handle.read()
        products = self.env["product.product"].search([("default_code", "!=", False), ("is_storable", "=", True)])
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        Quant = self.env["stock.quant"]
        for index, product in enumerate(products.sorted("default_code")):
            # every fifth product has no stock, so that the batch shows real shortages
            if index % 5:
                Quant._update_available_quantity(product, warehouse.lot_stock_id, 24 * (1 + index % 4))
        # the data set's times are the UK shop's
        summary, _ok = self.with_context(tz="Europe/London")._cli_import(data, path.rsplit("/", 1)[-1], "Online Retail (UCI)",
                                        create=True, confirm=True, valid_only=True, foreground=True)
        batch = self.search([("name", "=", summary["batch"])], limit=1)
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        if admin:
            batch.user_id = admin
            batch.order_ids.user_id = admin
        # deliver a few orders whose goods are all in stock: delivering more than the stock
        # would leave negative quantities, shown as negative free stock in later batches
        deliverable = batch.order_ids.filtered(lambda o: o.state == "sale" and o.picking_ids and all(
            move.state == "assigned" for move in o.picking_ids.move_ids))
        for order in deliverable[:3]:
            for picking in order.picking_ids:
                picking.move_ids.picked = True
                picking._action_done()
        return summary

from odoo import _, api, fields, models
from odoo.exceptions import UserError

EXECUTION_STATUSES = [
    ("quotation", "Quotation"),
    ("confirmed", "Confirmed"),
    ("partially_delivered", "Partially delivered"),
    ("delivered", "Delivered"),
    ("invoiced", "Invoiced"),
    ("partially_paid", "Partially paid"),
    ("paid", "Paid"),
    ("cancelled", "Cancelled"),
]


def _percent(part, total):
    """Share of total in %, bounded to 0-100 (returns and refunds make negative totals)."""
    return max(0.0, min(100.0, 100.0 * part / total)) if total else 0.0


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_batch_id = fields.Many2one("oms.order.batch", string="Order batch", index="btree_not_null", copy=False, readonly=True)
    execution_status = fields.Selection(
        EXECUTION_STATUSES, compute="_compute_execution", store=True, index=True, tracking=True,
        group_expand="_group_expand_execution_status",
        help="Where the order stands, from quotation to paid.",
    )
    delivered_percent = fields.Float(string="Delivered %", compute="_compute_execution", store=True, aggregator="avg")
    invoiced_percent = fields.Float(string="Invoiced %", compute="_compute_execution", store=True, aggregator="avg")
    paid_percent = fields.Float(string="Paid %", compute="_compute_execution", store=True, aggregator="avg")
    amount_delivered = fields.Monetary(compute="_compute_execution", store=True, string="Delivered amount")
    amount_invoiced_signed = fields.Monetary(compute="_compute_execution", store=True, string="Invoiced amount")
    oms_amount_paid = fields.Monetary(compute="_compute_execution", store=True, string="Paid amount")

    @api.model
    def _group_expand_execution_status(self, statuses, domain):
        """Kanban columns by status in the order of an order's life, not alphabetically."""
        return [key for key, _label in EXECUTION_STATUSES if key in statuses]

    @api.depends(
        "state", "amount_total",
        "order_line.qty_delivered", "order_line.product_uom_qty", "order_line.price_total",
        "order_line.invoice_lines.parent_state", "order_line.invoice_lines.price_total",
        "order_line.invoice_lines.move_id.amount_residual",
    )
    def _compute_execution(self):
        for order in self:
            total = order.amount_total
            delivered = invoiced = paid = 0.0
            for line in order.order_line.filtered(lambda l: not l.display_type):
                if line.product_uom_qty:
                    delivered += line.price_total * min(line.qty_delivered / line.product_uom_qty, 1.0)
                for inv_line in line.invoice_lines.filtered(lambda l: l.parent_state == "posted"):
                    move = inv_line.move_id
                    sign = -1.0 if move.move_type == "out_refund" else 1.0
                    amount = sign * inv_line.price_total
                    invoiced += amount
                    if move.amount_total:
                        paid += amount * (1.0 - move.amount_residual / move.amount_total)
            order.amount_delivered = delivered
            order.amount_invoiced_signed = invoiced
            order.oms_amount_paid = paid
            order.delivered_percent = _percent(delivered, total)
            order.invoiced_percent = _percent(invoiced, total)
            order.paid_percent = _percent(paid, total)
            order.execution_status = order._execution_status_from_figures()

    def _execution_status_from_figures(self):
        """Status from state and percentages; extend to add statuses."""
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.state in ("draft", "sent"):
            return "quotation"
        full = 99.99
        if self.paid_percent >= full and self.invoiced_percent >= full:
            return "paid"
        if self.paid_percent > 0:
            return "partially_paid"
        if self.invoiced_percent >= full:
            return "invoiced"
        if self.delivered_percent >= full:
            return "delivered"
        if self.delivered_percent > 0:
            return "partially_delivered"
        return "confirmed"

    # ------------------------------------------------------------------ batch actions

    def _oms_run_each(self, method, label):
        """Run an order action order by order, each in its own savepoint, so that one
        failing order does not stop the others. Returns an oms.order.action.result."""
        results = []
        short_orders = self._oms_short_orders() if method == "action_confirm" else self.browse()
        for order in self:
            try:
                with self.env.cr.savepoint():
                    order._oms_check_action(method, short_orders)
                    getattr(order, method)()
                results.append({"order_id": order.id, "status": "done"})
            except (UserError, ValueError) as error:
                message = error.args[0] if error.args else str(error)
                results.append({"order_id": order.id, "status": "failed", "reason": message})
        return self.env["oms.order.action.result"].create({
            "action_name": label,
            "line_ids": [fields.Command.create(vals) for vals in results],
        })

    def _oms_short_orders(self):
        """Orders of batches whose company does not confirm short lines, with a short line.

        Read as superuser in one query: a short line of a batch the user cannot read still
        blocks its order."""
        blocking = self.filtered(lambda o: o.oms_batch_id and not o.company_id.oms_allow_short_confirm)
        if not blocking:
            return self.browse()
        groups = self.env["oms.order.batch.line"].sudo()._read_group(
            [("order_id", "in", blocking.ids), ("is_short", "=", True)], ["order_id"])
        return self.browse([order.id for (order,) in groups])

    def _oms_check_action(self, method, short_orders=None):
        self.ensure_one()
        if method == "action_confirm" and self.state not in ("draft", "sent"):
            raise UserError(_("Order %(name)s is not a quotation (it is %(state)s).", name=self.name,
                              state=dict(self._fields["state"]._description_selection(self.env))[self.state]))
        if method == "_action_cancel":
            if self.state == "cancel":
                raise UserError(_("Order %s is already cancelled.", self.name))
            if self.locked:
                raise UserError(_("Order %s is locked; unlock it first.", self.name))
            if self.invoice_ids.filtered(lambda m: m.state == "posted"):
                raise UserError(_("Order %s has posted invoices; issue a credit note first.", self.name))
            done = self.picking_ids.filtered(lambda p: p.state == "done" and p.picking_type_code == "outgoing")
            if done:
                raise UserError(_("Order %s has goods already delivered; return them first.", self.name))
        if method == "action_confirm" and self in (short_orders if short_orders is not None
                                                   else self._oms_short_orders()):
            raise UserError(_("Order %s has lines short of stock.", self.name))

    def action_oms_batch_confirm(self):
        result = self._oms_run_each("action_confirm", _("Confirm"))
        self.oms_batch_id.sudo()._update_state_from_orders()
        return result._action_show()

    def action_oms_batch_cancel(self):
        result = self._oms_run_each("_action_cancel", _("Cancel"))
        self.oms_batch_id.sudo()._update_state_from_orders()
        return result._action_show()

    def _oms_portal_figures(self):
        """Figures shown to the customer on the portal order page."""
        self.ensure_one()
        return {
            "status": dict(self._fields["execution_status"]._description_selection(self.env)).get(self.execution_status, ""),
            "delivered": self.delivered_percent,
            "invoiced": self.invoiced_percent,
            "paid": self.paid_percent,
        }

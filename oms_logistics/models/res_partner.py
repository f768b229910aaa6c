from collections import defaultdict

from odoo import api, fields, models

OPEN_STATUSES = ("confirmed", "partially_delivered", "delivered", "invoiced", "partially_paid")


class ResPartner(models.Model):
    """Customer panel: the customer's ordering and execution figures at hand."""

    _inherit = "res.partner"

    oms_order_count = fields.Integer(string="Orders", compute="_compute_oms_panel")
    oms_open_order_count = fields.Integer(string="Open orders", compute="_compute_oms_panel")
    oms_amount_ordered = fields.Monetary(string="Ordered", compute="_compute_oms_panel", currency_field="oms_currency_id")
    oms_amount_delivered = fields.Monetary(string="Delivered", compute="_compute_oms_panel", currency_field="oms_currency_id")
    oms_amount_invoiced = fields.Monetary(string="Invoiced", compute="_compute_oms_panel", currency_field="oms_currency_id")
    oms_amount_paid = fields.Monetary(string="Paid", compute="_compute_oms_panel", currency_field="oms_currency_id")
    oms_amount_outstanding = fields.Monetary(string="Outstanding", compute="_compute_oms_panel", currency_field="oms_currency_id")
    oms_amount_overdue = fields.Monetary(string="Overdue", compute="_compute_oms_panel", currency_field="oms_currency_id")
    oms_last_order_date = fields.Datetime(string="Last order", compute="_compute_oms_panel")
    oms_status_summary = fields.Char(string="Open orders by status", compute="_compute_oms_panel")
    oms_recent_order_ids = fields.Many2many("sale.order", string="Recent orders", compute="_compute_oms_panel")
    oms_currency_id = fields.Many2one("res.currency", compute="_compute_oms_panel")

    @api.depends_context("company", "allowed_company_ids", "lang")
    def _compute_oms_panel(self):
        """A few grouped queries for all partners at once, never one per partner.

        Amounts are shown in the current company's currency: orders in other currencies and
        receivables of other companies are converted at today's rate."""
        partners = self.filtered("id")
        company = self.env.company
        currency = company.currency_id
        today = fields.Date.context_today(self)

        def to_company(amount, from_currency):
            if not amount or not from_currency or from_currency == currency:
                return amount or 0.0
            return from_currency._convert(amount, currency, company, today)

        commercial = {p.id: p.commercial_partner_id.id for p in partners}
        roots = list(set(commercial.values()))
        figures = defaultdict(lambda: defaultdict(float))
        by_status = defaultdict(lambda: defaultdict(int))
        last = {}
        recent_by_root = defaultdict(list)
        if roots:
            family = self.with_context(active_test=False).search([("commercial_partner_id", "in", roots)])
            root_of = {p.id: p.commercial_partner_id.id for p in family}
            groups = self.env["sale.order"]._read_group(
                [("partner_id", "in", family.ids), ("state", "!=", "cancel"),
                 ("company_id", "in", self.env.companies.ids)],
                ["partner_id", "execution_status", "currency_id"],
                ["__count", "amount_total:sum", "amount_delivered:sum", "amount_invoiced_signed:sum",
                 "oms_amount_paid:sum", "date_order:max"],
            )
            for partner, status, order_currency, count, total, delivered, invoiced, paid, date in groups:
                root = root_of[partner.id]
                if status != "quotation":
                    data = figures[root]
                    data["count"] += count
                    data["ordered"] += to_company(total, order_currency)
                    data["delivered"] += to_company(delivered, order_currency)
                    data["invoiced"] += to_company(invoiced, order_currency)
                    data["paid"] += to_company(paid, order_currency)
                if status in OPEN_STATUSES:
                    by_status[root][status] += count
                if date and (root not in last or date > last[root]):
                    last[root] = date
            receivables = self.env["account.move.line"]._read_group(
                [("partner_id", "in", family.ids), ("account_type", "=", "asset_receivable"),
                 ("parent_state", "=", "posted"), ("reconciled", "=", False),
                 ("company_id", "in", self.env.companies.ids)],
                ["partner_id", "company_id"], ["amount_residual:sum"],
            )
            for partner, move_company, residual in receivables:
                figures[root_of[partner.id]]["outstanding"] += to_company(residual, move_company.currency_id)
            overdue = self.env["account.move.line"]._read_group(
                [("partner_id", "in", family.ids), ("account_type", "=", "asset_receivable"),
                 ("parent_state", "=", "posted"), ("reconciled", "=", False),
                 ("date_maturity", "<", fields.Date.context_today(self)),
                 ("company_id", "in", self.env.companies.ids)],
                ["partner_id", "company_id"], ["amount_residual:sum"],
            )
            for partner, move_company, residual in overdue:
                figures[root_of[partner.id]]["overdue"] += to_company(residual, move_company.currency_id)
            # one root (a form): its 10 last orders; many roots (a list): every order's partner,
            # cut to 10 per root below, so that busy customers do not crowd the others out
            recent = self.env["sale.order"].search_fetch(
                [("partner_id", "in", family.ids), ("company_id", "in", self.env.companies.ids)],
                ["partner_id"], order="date_order desc, id desc", limit=10 if len(roots) == 1 else None)
            for order in recent:
                root = root_of[order.partner_id.id]
                if len(recent_by_root[root]) < 10:
                    recent_by_root[root].append(order.id)
        labels = dict(self.env["sale.order"]._fields["execution_status"]._description_selection(self.env))
        for partner in self:
            root = commercial.get(partner.id)
            data = figures[root] if root else {}
            partner.oms_currency_id = currency
            partner.oms_order_count = int(data.get("count", 0))
            partner.oms_amount_ordered = data.get("ordered", 0.0)
            partner.oms_amount_delivered = data.get("delivered", 0.0)
            partner.oms_amount_invoiced = data.get("invoiced", 0.0)
            partner.oms_amount_paid = data.get("paid", 0.0)
            partner.oms_amount_outstanding = data.get("outstanding", 0.0)
            partner.oms_amount_overdue = data.get("overdue", 0.0)
            partner.oms_last_order_date = last.get(root, False)
            statuses = by_status.get(root, {})
            partner.oms_open_order_count = sum(statuses.values())
            partner.oms_status_summary = ", ".join(
                f"{labels[s]}: {statuses[s]}" for s in OPEN_STATUSES if statuses.get(s)) or False
            partner.oms_recent_order_ids = [fields.Command.set(recent_by_root.get(root, []) if root else [])]

    def action_oms_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id),
                            ("execution_status", "in", list(OPEN_STATUSES))]
        action["context"] = {"search_default_group_by_execution_status": 1}
        return action

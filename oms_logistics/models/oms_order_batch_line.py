import json
from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models
from odoo.tools import SQL, float_compare

from ..lib.dates import parse_date
from ..lib.numbers import parse_number
from ..lib.problems import ParseError

# typed field -> raw text field it is parsed from; typing the value by hand drops the raw text
RAW_OF = {
    "partner_id": "raw_customer",
    "partner_shipping_id": "raw_delivery",
    "product_id": "raw_product",
    "product_uom_qty": "raw_quantity",
    "product_uom": "raw_uom",
    "price_unit": "raw_price",
    "requested_date": "raw_date",
    "warehouse_id": "raw_warehouse",
}

TARGET_OF = {
    **{raw: target for raw, target in zip(RAW_OF.values(), (
        "customer", "delivery", "product", "quantity", "uom", "price", "date", "warehouse"), strict=True)},
    **{field: target for field, target in zip(RAW_OF, (
        "customer", "delivery", "product", "quantity", "uom", "price", "date", "warehouse"), strict=True)},
    "is_return": "is_return",
    "client_order_ref": "reference",
}


class OmsOrderBatchLine(models.Model):
    """One requested order line of a batch: typed in the grid or read from a file row.

    Imported rows keep the text of every cell in raw_* fields, so a row with a problem
    loses nothing; checking parses and resolves the raw text again until it is fixed.
    """

    _name = "oms.order.batch.line"
    _description = "Order batch line"
    _order = "batch_id, sequence, id"

    batch_id = fields.Many2one("oms.order.batch", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="batch_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="batch_id.currency_id")
    sequence = fields.Integer(default=10)
    row = fields.Integer(help="Row number in the imported file.")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    partner_shipping_id = fields.Many2one(
        "res.partner", string="Delivery address",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    product_id = fields.Many2one(
        "product.product", string="Product", index=True,
        domain="[('sale_ok', '=', True), '|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    name = fields.Char(string="Description")
    product_uom_qty = fields.Float(string="Quantity", digits="Product Unit of Measure", default=1.0)
    product_uom = fields.Many2one("uom.uom", string="Unit")
    price_unit = fields.Float(string="Unit price", digits="Product Price")
    price_from_pricelist = fields.Boolean(
        default=True, help="The price is taken from the customer's pricelist when checking."
    )
    price_subtotal = fields.Monetary(compute="_compute_price_subtotal")
    requested_date = fields.Datetime()
    client_order_ref = fields.Char(string="Customer reference")
    warehouse_id = fields.Many2one("stock.warehouse", string="Warehouse")
    is_return = fields.Boolean(string="Return", help="A return line has a negative quantity.")
    non_product = fields.Boolean(help="The file code was not a product; the line orders the preset's service.")

    file_problems = fields.Char(help="JSON: problems the file's cells had when read (codes, flags).")
    raw_customer = fields.Char(string="Customer (file)")
    raw_delivery = fields.Char(string="Delivery (file)")
    raw_product = fields.Char(string="Product (file)")
    raw_quantity = fields.Char(string="Quantity (file)")
    raw_uom = fields.Char(string="Unit (file)")
    raw_price = fields.Char(string="Price (file)")
    raw_date = fields.Char(string="Date (file)")
    raw_warehouse = fields.Char(string="Warehouse (file)")

    problem_ids = fields.One2many("oms.order.batch.problem", "line_id", string="Problems")
    has_error = fields.Boolean(index=True, readonly=True)
    problem_text = fields.Char(string="Problems found", compute="_compute_problem_text")

    free_qty = fields.Float(string="Free", digits="Product Unit of Measure", readonly=True)
    forecast_qty = fields.Float(string="Forecast", digits="Product Unit of Measure", readonly=True)
    is_short = fields.Boolean(string="Short", readonly=True)
    below_minimum = fields.Boolean(string="Under minimum", readonly=True)

    # customer panel while entering the line
    partner_open_order_count = fields.Integer(related="partner_id.oms_open_order_count", string="Open orders")
    partner_amount_outstanding = fields.Monetary(related="partner_id.oms_amount_outstanding", string="Outstanding")
    partner_amount_overdue = fields.Monetary(related="partner_id.oms_amount_overdue", string="Overdue")
    partner_last_order_date = fields.Datetime(related="partner_id.oms_last_order_date", string="Last order")

    sale_line_id = fields.Many2one("sale.order.line", string="Order line", readonly=True, copy=False, index="btree_not_null")
    order_id = fields.Many2one(related="sale_line_id.order_id", string="Order", store=True)

    @api.depends("product_uom_qty", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.product_uom_qty * line.price_unit

    @api.depends("problem_ids.kind", "problem_ids.severity")
    @api.depends_context("lang")
    def _compute_problem_text(self):
        """The kinds of the line's errors, in the reader's language."""
        labels = dict(self.env["oms.order.batch.problem"]._fields["kind"]._description_selection(self.env))
        for line in self:
            kinds = dict.fromkeys(p.kind for p in line.problem_ids if p.severity == "error")
            line.problem_text = ", ".join(labels.get(kind, kind) for kind in kinds) or False

    @api.onchange("product_id", "partner_id", "product_uom_qty", "product_uom")
    def _onchange_product_price(self):
        """Typed in the grid: unit and price default from the product and the pricelist."""
        for line in self:
            if not line.product_id:
                continue
            if not line.product_uom or line.product_uom.category_id != line.product_id.uom_id.category_id:
                line.product_uom = line.product_id.uom_id
            if line.price_from_pricelist or not line.price_unit:
                line.price_unit = line._pricelist_price()
                line.price_from_pricelist = True

    @api.onchange("price_unit")
    def _onchange_price_unit(self):
        for line in self:
            if line.product_id and line.price_unit != line._pricelist_price():
                line.price_from_pricelist = False

    def _pricelist_price(self):
        self.ensure_one()
        pricelist = self.partner_id.property_product_pricelist
        date = self.requested_date or fields.Datetime.now()
        if not pricelist:
            return self.product_id.with_company(self.company_id).lst_price
        return pricelist._get_product_price(
            self.product_id, abs(self.product_uom_qty) or 1.0, uom=self.product_uom or None, date=date
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.batch_id._reset_to_draft()
        return lines

    def write(self, vals):
        # a value typed by hand replaces the text that came from the file
        if not self.env.context.get("oms_checking"):
            for field, raw in RAW_OF.items():
                if field in vals and raw not in vals:
                    vals[raw] = False
            if any(f in vals for f in (*RAW_OF, *RAW_OF.values(), "is_return", "client_order_ref")):
                self._forget_file_problems(vals)
        if "price_unit" in vals and "price_from_pricelist" not in vals and not self.env.context.get("oms_checking"):
            vals["price_from_pricelist"] = False
        res = super().write(vals)
        if not self.env.context.get("oms_checking"):
            self.batch_id._reset_to_draft()
        return res

    def _forget_file_problems(self, vals):
        """A cell problem from the file disappears once its value is typed or edited."""
        touched = {TARGET_OF[f] for f in vals if f in TARGET_OF}
        for line in self.filtered("file_problems"):
            problems = json.loads(line.file_problems)
            kept = {t: p for t, p in problems.items() if t not in touched}
            if kept != problems:
                super(OmsOrderBatchLine, line).write({"file_problems": json.dumps(kept) if kept else False})

    def unlink(self):
        batches = self.batch_id
        res = super().unlink()
        batches.exists()._reset_to_draft()
        return res

    # ------------------------------------------------------------------ checking

    def _get_warehouse(self):
        self.ensure_one()
        return self.warehouse_id or self.batch_id.warehouse_id

    def _bulk_update(self, values_by_id):
        """One UPDATE for many lines with different values (checking 10,000 rows must not
        cost 10,000 queries). values_by_id: {line id: {field: value}} with plain columns.
        Lines are grouped by the fields they set: a field a line does not set keeps its value."""
        by_fields = defaultdict(dict)
        for line_id, vals in values_by_id.items():
            if vals:
                by_fields[tuple(sorted(vals))][line_id] = vals
        for fnames, group in by_fields.items():
            self._bulk_update_fields(list(fnames), group)

    def _bulk_update_fields(self, fnames, values_by_id):
        self.flush_model(fnames)
        fields_ = [self._fields[f] for f in fnames]
        rows = []
        for line_id, vals in values_by_id.items():
            cells = [SQL("%s", line_id)]
            for field in fields_:
                value = field.convert_to_column(vals.get(field.name), self)
                cells.append(SQL("%s::" + field.column_type[1], value))
            rows.append(SQL("(%s)", SQL(", ").join(cells)))
        assignments = SQL(", ").join(SQL("%s = v.%s", SQL.identifier(f), SQL.identifier(f)) for f in fnames)
        columns = SQL(", ").join(SQL.identifier(f) for f in ["id", *fnames])
        self.env.cr.execute(SQL(
            "UPDATE oms_order_batch_line AS l SET %s FROM (VALUES %s) AS v(%s) WHERE l.id = v.id",
            assignments, SQL(", ").join(rows), columns,
        ))
        self.invalidate_model(fnames)

    def _resolve_and_validate(self, batch):
        """Resolve raw file text and validate every line.

        Returns {line id: [(column, kind, severity, params), ...]}. Resolved values are
        written in one UPDATE. Queries: a constant number per batch, whatever its size.
        """
        options = batch._get_import_options()
        company = batch.company_id
        matcher = self.env["oms.code.matcher"]
        problems = defaultdict(list)
        partners = matcher.match_partners(
            [l.raw_customer for l in self] + [l.raw_delivery for l in self], company)
        products = matcher.match_products([l.raw_product for l in self if not l.non_product], company)
        warehouse_codes = [l.raw_warehouse for l in self]
        warehouses = matcher.match_warehouses(warehouse_codes, company)
        # codes the company has no warehouse for: another company's warehouse is named as such
        warehouses_elsewhere = matcher.match_warehouses_elsewhere(
            [code for code in warehouse_codes if code and code not in warehouses], company)
        uoms = matcher.match_uoms([l.raw_uom for l in self])
        service = batch._get_non_product_service()
        belongs = self._address_checker(partners)
        updates = {}

        def one(matches, code, column, kinds, line_problems):
            records = matches.get(code)
            if not records:
                line_problems.append((column, kinds[0], "error", {"value": code}))
                return False
            if len(records) > 1:
                names = ", ".join(f"{r.display_name} (#{r.id})" for r in records)
                line_problems.append((column, kinds[1], "error", {"value": code, "names": names}))
                return False
            return records

        for line in self:
            found = problems[line.id]
            vals = {}
            # a cell that failed when read (bad_code, non_product_code...) is reported as such, not looked up
            failed = json.loads(line.file_problems) if line.file_problems else {}
            partner = line.partner_id
            if "customer" in failed:
                pass
            elif line.raw_customer:
                partner = one(partners, line.raw_customer, "customer", ("unknown_customer", "ambiguous_customer"), found)
                vals["partner_id"] = partner.id if partner else False
            elif not partner:
                found.append(("customer", "missing_value", "error", {}))
            shipping = line.partner_shipping_id
            if "delivery" in failed:
                shipping = False
            elif line.raw_delivery:
                matches = partners.get(line.raw_delivery)
                if matches and len(matches) > 1 and partner:
                    # a name shared by several customers' addresses: the customer's own one
                    own = matches.filtered(lambda address, customer=partner: belongs(address, customer))
                    matches = own or matches
                shipping = one({line.raw_delivery: matches}, line.raw_delivery, "delivery",
                               ("unknown_delivery", "ambiguous_delivery"), found)
                vals["partner_shipping_id"] = shipping.id if shipping else False
            if shipping and partner and not belongs(shipping, partner):
                found.append(("delivery", "wrong_delivery", "error", {
                    "value": line.raw_delivery or "", "address": shipping.display_name,
                    "customer": partner.display_name}))
            product = line.product_id
            if line.non_product:
                if options.non_product_mode == "report":
                    found.append(("product", "non_product_code", "error", {"value": line.raw_product or ""}))
                product = service
                vals["product_id"] = service.id
                if not service:
                    found.append(("product", "unknown_product", "error", {"value": line.raw_product or ""}))
            elif "product" in failed:
                pass
            elif line.raw_product:
                matches = products.get(line.raw_product)
                if matches and len(matches) > 1:
                    active = matches.filtered("active")
                    matches = active if active else matches[:1]
                    if len(matches) > 1:
                        products[line.raw_product] = matches
                product = one(products, line.raw_product, "product", ("unknown_product", "ambiguous_product"), found)
                vals["product_id"] = product.id if product else False
            elif not product:
                found.append(("product", "missing_value", "error", {}))
            if product:
                if not product.active:
                    found.append(("product", "archived_product", "error", {"value": line.raw_product or "", "name": product.display_name}))
                elif not product.sale_ok:
                    found.append(("product", "unsellable_product", "error", {"value": line.raw_product or "", "name": product.display_name}))
            warehouse = line.warehouse_id
            if "warehouse" in failed:
                warehouse = False
            elif line.raw_warehouse:
                code = line.raw_warehouse
                others = warehouses_elsewhere.get(code) if code not in warehouses else None
                if others:
                    found.append(("warehouse", "wrong_company", "error", {
                        "value": code, "name": ", ".join(others.mapped("display_name")),
                        "company": ", ".join(others.company_id.mapped("name"))}))
                    warehouse = False
                else:
                    warehouse = one(warehouses, code, "warehouse", ("unknown_warehouse", "ambiguous_warehouse"), found)
                vals["warehouse_id"] = warehouse.id if warehouse else False
            for column, record in (("customer", partner), ("delivery", shipping), ("product", product),
                                   ("warehouse", warehouse)):
                if record and record.company_id and record.company_id != company:
                    found.append((column, "wrong_company", "error", {
                        "name": record.display_name, "company": record.company_id.name}))
            uom = line.product_uom
            if line.raw_uom:
                uom = uoms.get(line.raw_uom.lower())
                if not uom or len(uom) > 1:
                    found.append(("uom", "unknown_uom", "error", {"value": line.raw_uom}))
                    uom = False
                vals["product_uom"] = uom.id if uom else False
            elif not uom and product:
                uom = product.uom_id
                vals["product_uom"] = uom.id
            if uom and product and uom.category_id != product.uom_id.category_id:
                found.append(("uom", "wrong_uom", "error", {"value": uom.name, "uom": product.uom_id.name}))
            quantity = line.product_uom_qty
            if line.raw_quantity:
                try:
                    quantity = parse_number(line.raw_quantity, options.decimal_sep, options.thousands_sep)
                    vals["product_uom_qty"] = quantity
                except ParseError as error:
                    found.append(("quantity", error.kind, "error", {"value": line.raw_quantity}))
                    quantity = None
            cancelled = options.cancel_mode == "report" and options.cancel_prefix and \
                (line.client_order_ref or "").startswith(options.cancel_prefix)
            if quantity is not None:
                if not quantity:
                    found.append(("quantity", "zero_quantity", "error", {}))
                # a reported cancellation explains its negative quantity (as when the file is read)
                elif quantity < 0 and not line.is_return and not cancelled \
                        and failed.get("reference", [None])[0] != "cancellation":
                    found.append(("quantity", "negative_quantity", "error", {"value": line.raw_quantity or quantity}))
            if line.raw_price:
                try:
                    vals["price_unit"] = parse_number(line.raw_price, options.decimal_sep, options.thousands_sep)
                    vals["price_from_pricelist"] = False
                except ParseError:
                    found.append(("price", "bad_price", "error", {"value": line.raw_price}))
            if line.raw_date:
                try:
                    vals["requested_date"] = batch._file_datetime(parse_date(line.raw_date, options.date_format))
                except ParseError:
                    found.append(("date", "bad_date", "error", {"value": line.raw_date, "format": options.date_format}))
            if cancelled:
                found.append(("reference", "cancellation", "error", {"value": line.client_order_ref}))
            if failed:
                already = {(c, k) for c, k, _s, _p in found}
                for target, (kind, params) in failed.items():
                    if (target, kind) not in already:
                        found.append((target, kind, "error", params))
            if vals:
                updates[line.id] = vals
        self._bulk_update(updates)
        self._apply_pricelist_prices()
        return problems

    def _address_checker(self, partners):
        """A function (address, customer) -> bool: is the address the customer itself or a
        contact of its commercial entity (child_of, as a sale order's delivery address)?

        The partners it may be asked about (the lines' and the matched ones, ``partners``
        being {code: partners}) and their parents are read once, one query per level of the
        contact tree, so that checking costs no query per line.
        """
        parent_of = {}
        commercial_of = {}
        if any(line.raw_delivery or line.partner_shipping_id for line in self):
            todo = set(self.partner_id.ids) | set(self.partner_shipping_id.ids)
            for records in partners.values():
                todo.update(records.ids)
            # only ids are read: sudo, so that a parent the user cannot read does not block the check
            Partner = self.env["res.partner"].sudo().with_context(active_test=False)
            while todo:
                records = Partner.browse(sorted(todo))
                records.fetch(["parent_id", "commercial_partner_id"])
                for record in records:
                    parent_of[record.id] = record.parent_id.id
                    commercial_of[record.id] = record.commercial_partner_id.id
                todo = {parent for parent in parent_of.values() if parent and parent not in parent_of}

        def belongs(address, customer):
            if address == customer:
                return True
            entity = commercial_of.get(customer.id) or customer.commercial_partner_id.id
            node, seen = address.id, set()
            while node and node not in seen:
                if node == entity:
                    return True
                seen.add(node)
                node = parent_of[node] if node in parent_of else self.env["res.partner"].sudo().browse(node).parent_id.id
            return False
        return belongs

    def _apply_pricelist_prices(self):
        """Lines without a price get the customer's pricelist price, one call per group."""
        groups = defaultdict(list)
        for line in self.filtered(lambda l: l.price_from_pricelist and l.product_id and l.partner_id):
            pricelist = line.partner_id.with_company(line.company_id).property_product_pricelist
            key = (pricelist, line.product_uom, abs(line.product_uom_qty) or 1.0,
                   (line.requested_date or fields.Datetime.now()).date())
            groups[key].append(line)
        updates = {}
        for (pricelist, uom, quantity, date), lines in groups.items():
            products = self.env["product.product"].concat(*[l.product_id for l in lines])
            if pricelist:
                prices = pricelist._get_products_price(products, quantity, uom=uom or None, date=date)
            else:
                prices = {p.id: p.lst_price for p in products}
            for line in lines:
                updates[line.id] = {"price_unit": prices.get(line.product_id.id, 0.0)}
        self._bulk_update(updates)

    def _compute_stock_alerts(self, problems):
        """Free quantity now and forecast at the requested date against the cumulated
        requested quantity, per warehouse and product; reorder minimums flagged."""
        storable = self.filtered(lambda l: l.product_id.is_storable and not l.is_return and l.product_uom_qty > 0
                                 and (not l.product_uom or l.product_uom.category_id == l.product_id.uom_id.category_id))
        updates = {line.id: {"free_qty": 0.0, "forecast_qty": 0.0, "is_short": False, "below_minimum": False}
                   for line in self - storable}
        # ids first, recordsets once: "|=" line by line is quadratic on 10,000 lines
        ids_by_warehouse = defaultdict(list)
        for line in storable:
            ids_by_warehouse[line._get_warehouse()].append(line.id)
        for warehouse, line_ids in ids_by_warehouse.items():
            lines = storable.browse(line_ids)
            products = lines.product_id
            ctx = {"warehouse_id": warehouse.id} if warehouse else {}
            free = {p.id: p.free_qty for p in products.with_context(**ctx)}
            forecast = {}
            dates = {line._forecast_date() for line in lines}
            for date in dates:
                for p in products.with_context(**ctx, to_date=datetime.combine(date, time.max)):
                    forecast[(p.id, date)] = p.virtual_available
            minimums = {}
            if warehouse:
                for point in self.env["stock.warehouse.orderpoint"].search_fetch(
                        [("product_id", "in", products.ids), ("warehouse_id", "=", warehouse.id)],
                        ["product_id", "product_min_qty"]):
                    minimums[point.product_id.id] = max(minimums.get(point.product_id.id, 0.0), point.product_min_qty)
            requested = defaultdict(float)
            digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
            for line in lines.sorted(lambda l: (l.sequence, l.id)):
                product = line.product_id
                requested[product.id] += line._quantity_in_product_uom()
                date = line._forecast_date()
                free_qty = free.get(product.id, 0.0)
                forecast_qty = forecast.get((product.id, date), 0.0)
                # Odoo's rule for a quotation line (sale_stock's qty_at_date widget): the forecast
                # at the date asked for must cover it; enough free stock today is not enough if
                # earlier orders take it before then
                short = float_compare(requested[product.id], forecast_qty, precision_digits=digits) > 0
                below = product.id in minimums and forecast_qty - requested[product.id] < minimums[product.id]
                updates[line.id] = {"free_qty": free_qty, "forecast_qty": forecast_qty,
                                    "is_short": short, "below_minimum": below}
                if short:
                    problems[line.id].append(("quantity", "stock_short", "warning", {
                        "requested": requested[product.id], "free": free_qty, "forecast": forecast_qty}))
                if below:
                    problems[line.id].append(("quantity", "below_minimum", "warning", {
                        "forecast": forecast_qty - requested[product.id], "minimum": minimums[product.id]}))
        self._bulk_update(updates)

    def _quantity_in_product_uom(self):
        """The requested quantity in the product's own unit, the unit stock is counted in."""
        self.ensure_one()
        if self.product_uom and self.product_uom != self.product_id.uom_id:
            return self.product_uom._compute_quantity(self.product_uom_qty, self.product_id.uom_id)
        return self.product_uom_qty

    def _forecast_date(self):
        """Forecast at the requested date; a date already past means now."""
        today = fields.Date.context_today(self)
        requested = self.requested_date.date() if self.requested_date else today
        return max(requested, today)

    def _prepare_sale_line_values(self, sequence):
        """Values of the sale order line made from this batch line; extend to add fields."""
        self.ensure_one()
        quantity = -abs(self.product_uom_qty) if self.is_return else self.product_uom_qty
        vals = {
            "sequence": sequence,
            "product_id": self.product_id.id,
            "product_uom_qty": quantity,
            "product_uom": (self.product_uom or self.product_id.uom_id).id,
            "price_unit": self.price_unit,
        }
        if self.non_product:
            vals["name"] = " - ".join(filter(None, [self.raw_product, self.name]))
        elif self.name:
            vals["name"] = self.name
        return vals

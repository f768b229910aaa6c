from collections import defaultdict

from odoo import api, models


class OmsCodeMatcher(models.AbstractModel):
    """Exact code lookup shared by imports (and later by barcode scans).

    A code matches a record by internal reference, barcode, external id or exact name,
    never by substring. Every lookup costs a constant number of queries for any number
    of codes: one per searched field.
    """

    _name = "oms.code.matcher"
    _description = "Exact code matching"

    @api.model
    def _company_domain(self, company):
        return ["|", ("company_id", "=", False), ("company_id", "in", company.ids)]

    @api.model
    def _match(self, model, codes, fields, company, active_test=True, other_companies=False):
        """Return {code: recordset of every record matching it on any of the fields}.

        Records of ``company`` (or of no company); with ``other_companies``, only the
        records of the other companies the user can see instead.
        """
        codes = sorted({code for code in codes if code})
        if not codes:
            return {}
        Model = self.env[model].with_company(company).with_context(active_test=active_test)
        if "company_id" not in Model._fields:
            domain_company = []
        elif other_companies:
            domain_company = [("company_id", "!=", False), ("company_id", "not in", company.ids)]
        else:
            domain_company = self._company_domain(company)
        ids_by_code = defaultdict(set)
        for field in fields:
            records = Model.search_fetch([(field, "in", codes)] + domain_company, [field])
            for record in records:
                ids_by_code[record[field]].add(record.id)
        xml_codes = [code for code in codes if "." in code]
        if xml_codes:
            pairs = [code.split(".", 1) for code in xml_codes]
            data = self.env["ir.model.data"].sudo().search_fetch(
                [("model", "=", model), ("module", "in", [p[0] for p in pairs]),
                 ("name", "in", [p[1] for p in pairs])],
                ["module", "name", "res_id"],
            )
            if other_companies:  # only what the user may read: the caller shows their names
                existing = set(Model.search([("id", "in", data.mapped("res_id"))] + domain_company).ids)
            else:
                existing = set(Model.browse([d.res_id for d in data]).exists().filtered_domain(domain_company).ids) if domain_company else set(Model.browse([d.res_id for d in data]).exists().ids)
            for item in data:
                if item.res_id in existing:
                    ids_by_code[f"{item.module}.{item.name}"].add(item.res_id)
        # one prefetch set for all matches: reading a field of one match reads it for all
        prefetch_ids = tuple(sorted(set().union(*ids_by_code.values())))
        return {code: Model.browse(sorted(ids)).with_prefetch(prefetch_ids) for code, ids in ids_by_code.items()}

    @api.model
    def match_partners(self, codes, company):
        return self._match("res.partner", codes, ["ref", "barcode", "name"], company)

    @api.model
    def match_products(self, codes, company):
        """Archived products are returned too, so that the caller can say why they are refused."""
        return self._match(
            "product.product", codes, ["default_code", "barcode", "name"], company, active_test=False
        )

    @api.model
    def match_warehouses(self, codes, company):
        return self._match("stock.warehouse", codes, ["code", "name"], company)

    @api.model
    def match_warehouses_elsewhere(self, codes, company):
        """Warehouses of the other companies the user can see, to say why a code is refused."""
        return self._match("stock.warehouse", codes, ["code", "name"], company, other_companies=True)

    @api.model
    def match_uoms(self, names):
        """Units of measure by name, ignoring case (units are few and named, not coded)."""
        wanted = {name.lower() for name in names if name}
        if not wanted:
            return {}
        result = defaultdict(lambda: self.env["uom.uom"])
        for uom in self.env["uom.uom"].search_fetch([], ["name", "category_id"]):
            if uom.name.lower() in wanted:
                result[uom.name.lower()] |= uom
        return {name: result[name] for name in wanted if name in result}

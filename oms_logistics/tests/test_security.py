"""Access rights: an OMS user sees own batches, a manager all; each company sees only its own
batches, lines, problems and presets; a salesperson without OMS rights sees no batch; wizard
records (uploads, repeat wizards, action results) are seen by their creator only, in their company."""

import base64

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import OmsCase

NO_MAIL = {"no_reset_password": True}


@tagged("post_install", "-at_install")
class TestSecurity(OmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "OMS company B"})
        cls.user_1 = new_test_user(cls.env, context=NO_MAIL, login="oms_user_1", groups="base.group_user,oms_logistics.group_oms_user")
        cls.user_2 = new_test_user(cls.env, context=NO_MAIL, login="oms_user_2", groups="base.group_user,oms_logistics.group_oms_user")
        cls.manager = new_test_user(
            cls.env, context=NO_MAIL, login="oms_manager", groups="base.group_user,oms_logistics.group_oms_manager")
        cls.manager_ab = new_test_user(
            cls.env, context=NO_MAIL, login="oms_manager_ab", groups="base.group_user,oms_logistics.group_oms_manager",
            company_id=cls.company_a.id, company_ids=[Command.set((cls.company_a | cls.company_b).ids)])
        cls.salesman = new_test_user(
            cls.env, context=NO_MAIL, login="plain_salesman", groups="base.group_user,sales_team.group_sale_salesman_all_leads")
        cls.batch_1 = cls.make_class_batch(cls.user_1, cls.company_a)
        cls.batch_2 = cls.make_class_batch(cls.user_2, cls.company_a)
        cls.batch_b = cls.make_class_batch(cls.manager_ab, cls.company_b)
        cls.preset_b = cls.env["oms.import.preset"].create({
            "name": "Company B preset", "company_id": cls.company_b.id,
            "column_ids": [Command.create({"header": "Customer", "target": "customer"})],
        })
        cls.all_batches = cls.batch_1 | cls.batch_2 | cls.batch_b

    @classmethod
    def make_class_batch(cls, user, company):
        """A batch of one good line and one line in error (with its problem)."""
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        batch = cls.env["oms.order.batch"].create({
            "user_id": user.id, "company_id": company.id, "warehouse_id": warehouse.id,
            "line_ids": [
                Command.create({"partner_id": cls.customer_a.id, "product_id": cls.product_lamp.id, "product_uom_qty": 1}),
                Command.create({"partner_id": cls.customer_a.id, "product_uom_qty": 1}),
            ],
        })
        batch.action_check()
        assert batch.problem_ids, "every batch has a problem to read"
        return batch

    def visible(self, user, model, records, companies=None):
        env = self.env(user=user)
        if companies:
            env = env(context=dict(env.context, allowed_company_ids=companies.ids))
        return env[model].search([("id", "in", records.ids)])

    def visible_set(self, user, companies=None):
        batches = self.visible(user, "oms.order.batch", self.all_batches, companies)
        lines = self.visible(user, "oms.order.batch.line", self.all_batches.line_ids, companies)
        problems = self.visible(user, "oms.order.batch.problem", self.all_batches.problem_ids, companies)
        return batches, lines, problems

    def assert_sees(self, user, batches, companies=None):
        seen_batches, seen_lines, seen_problems = self.visible_set(user, companies)
        self.assertEqual(set(seen_batches.ids), set(batches.ids))
        self.assertEqual(set(seen_lines.ids), set(batches.line_ids.ids))
        self.assertEqual(set(seen_problems.ids), set(batches.problem_ids.ids))

    # ------------------------------------------------------------------ own / all

    def test_user_sees_own_batches_only(self):
        self.assert_sees(self.user_1, self.batch_1)
        self.assert_sees(self.user_2, self.batch_2)
        batch_2 = self.batch_2.with_user(self.user_1)
        with self.assertRaises(AccessError):
            batch_2.read(["name"])
        with self.assertRaises(AccessError):
            self.batch_2.line_ids[:1].with_user(self.user_1).read(["product_id"])
        with self.assertRaises(AccessError):
            self.batch_2.problem_ids[:1].with_user(self.user_1).read(["kind"])
        with self.assertRaises(AccessError):
            batch_2.write({"date": "2031-01-01"})

    def test_user_works_on_own_batch(self):
        batch = self.env["oms.order.batch"].with_user(self.user_1).create({})
        self.assertEqual(batch.user_id, self.user_1)
        batch.write({"line_ids": [Command.create({
            "partner_id": self.customer_a.id, "product_id": self.product_lamp.id, "product_uom_qty": 2})]})
        batch.action_check()
        self.assertEqual(batch.error_count, 0)
        self.assertIn(batch, self.env["oms.order.batch"].with_user(self.user_1).search([]))
        self.assertNotIn(batch, self.env["oms.order.batch"].with_user(self.user_2).search([]))

    def test_manager_sees_all_batches_of_the_company(self):
        self.assert_sees(self.manager, self.batch_1 | self.batch_2)
        self.batch_1.with_user(self.manager).write({"date": "2031-01-01"})

    # ------------------------------------------------------------------ companies

    def test_other_company_invisible(self):
        # a manager of company A only: nothing of company B
        self.assert_sees(self.manager, self.batch_1 | self.batch_2)
        with self.assertRaises(AccessError):
            self.batch_b.with_user(self.manager).read(["name"])
        presets = self.env["oms.import.preset"].with_user(self.manager).search([])
        self.assertIn(self.preset, presets)
        self.assertNotIn(self.preset_b, presets)
        with self.assertRaises(AccessError):
            self.preset_b.with_user(self.manager).read(["name"])
        with self.assertRaises(AccessError):
            self.preset_b.column_ids.with_user(self.manager).read(["header"])
        # an OMS user of company A sees none of B's presets either
        self.assertNotIn(self.preset_b, self.env["oms.import.preset"].with_user(self.user_1).search([]))

    def test_user_of_both_companies(self):
        # company A selected: company A's records only; both selected: everything
        self.assert_sees(self.manager_ab, self.batch_1 | self.batch_2, companies=self.company_a)
        self.assert_sees(self.manager_ab, self.batch_b, companies=self.company_b)
        self.assert_sees(self.manager_ab, self.all_batches, companies=self.company_a | self.company_b)
        presets = self.env["oms.import.preset"].with_user(self.manager_ab).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids).search([])
        self.assertIn(self.preset_b, presets)
        self.assertIn(self.preset, presets)

    def test_line_and_problem_follow_the_batch_company(self):
        self.assertEqual(self.batch_b.line_ids.company_id, self.company_b)
        self.assertEqual(self.batch_b.problem_ids.company_id, self.company_b)
        self.assertEqual(self.batch_1.line_ids.company_id, self.company_a)

    # ------------------------------------------------------------------ wizards (transient models)
    # Odoo 18 no longer restricts a TransientModel to its creator: the module's record rules do.

    def make_upload(self, user, companies=None):
        """An import wizard uploaded by ``user`` and read up to its column mapping (returned as superuser)."""
        env = self.env(user=user)
        if companies:
            env = env(context=dict(env.context, allowed_company_ids=companies.ids))
        wizard = env["oms.batch.import"].create({
            "file": base64.b64encode(self.make_csv([["Customer", "Product", "Qty"], ["C-ALBA", "71053", "2"]])),
            "filename": "secret.csv",
        })
        wizard.action_next()
        self.assertTrue(wizard.column_ids)
        return wizard.with_env(self.env)

    def make_result(self, user, companies=None):
        """The result of ``user`` confirming a quotation (returned as superuser)."""
        env = self.env(user=user)
        if companies:
            env = env(context=dict(env.context, allowed_company_ids=companies.ids))
        order = env["sale.order"].create({
            "partner_id": self.customer_a.id,
            "order_line": [Command.create({"product_id": self.product_lamp.id, "product_uom_qty": 1})],
        })
        result = env["oms.order.action.result"].browse(order.action_oms_batch_confirm()["res_id"])
        self.assertEqual(result.done_count, 1)
        return result.with_env(self.env)

    def assert_hidden(self, user, records, fnames, companies=None):
        """``user`` finds none of ``records`` and cannot read, write or delete any of them."""
        env = self.env(user=user)
        if companies:
            env = env(context=dict(env.context, allowed_company_ids=companies.ids))
        Model = env[records._name]
        self.assertFalse(Model.search([("id", "in", records.ids)]), records._name)
        self.assertFalse(set(Model.search([]).ids) & set(records.ids), records._name)
        for record in records.with_env(env):
            with self.assertRaises(AccessError, msg=records._name):
                record.read(fnames)
            with self.assertRaises(AccessError, msg=records._name):
                record.write({fnames[0]: record.sudo()[fnames[0]]})
            with self.assertRaises(AccessError, msg=records._name):
                record.unlink()

    def test_wizard_transient_models_have_rules(self):
        """Every wizard model has an own-records and a multi-company rule."""
        for model in ("oms.batch.import", "oms.batch.import.column", "oms.repeat.order",
                      "oms.order.action.result", "oms.order.action.result.line"):
            rules = self.env["ir.rule"].search([("model_id.model", "=", model)])
            self.assertTrue(self.env[model]._transient, model)
            xmlids = set(rules.get_external_id().values())
            prefix = "oms_logistics." + model.replace(".", "_")
            self.assertEqual(xmlids, {prefix + "_rule_own", prefix + "_rule_company"}, model)
            self.assertFalse(rules.groups, f"{model}: rules apply to everyone")

    def test_upload_of_other_user_invisible(self):
        wizard = self.make_upload(self.user_1)
        # the owner reads the upload, its columns and its file
        own = wizard.with_user(self.user_1)
        self.assertEqual(own.read(["filename"])[0]["filename"], "secret.csv")
        self.assertTrue(own.file)
        self.assertEqual(own.column_ids.mapped("header"), ["Customer", "Product", "Qty"])
        self.assertEqual(self.env["oms.batch.import"].with_user(self.user_1).search([("id", "=", wizard.id)]), wizard)
        # another OMS user, a manager, or a salesperson: nothing
        for user in (self.user_2, self.manager):
            self.assert_hidden(user, wizard, ["filename", "file"])
            self.assert_hidden(user, wizard.column_ids, ["header", "sample"])
        # nor the uploaded file through its attachment (what /web/content serves)
        attachment = self.env["ir.attachment"].search([
            ("res_model", "=", "oms.batch.import"), ("res_id", "=", wizard.id), ("res_field", "=", "file")])
        self.assertEqual(len(attachment), 1)
        attachment.with_user(self.user_1).check("read")
        with self.assertRaises(AccessError):
            attachment.with_user(self.user_2).check("read")
        with self.assertRaises(AccessError):
            attachment.with_user(self.user_2).read(["raw"])
        # nor can anybody hang columns on another user's upload
        with self.assertRaises(AccessError):
            self.env["oms.batch.import.column"].with_user(self.user_2).create({
                "wizard_id": wizard.id, "header": "Injected"})

    def test_repeat_and_result_of_other_user_invisible(self):
        repeat = self.env["oms.repeat.order"].with_user(self.user_1).create({
            "batch_id": self.batch_1.id, "partner_id": self.customer_a.id})
        self.assertEqual(repeat.with_user(self.user_1).read(["partner_id"])[0]["partner_id"][0], self.customer_a.id)
        self.assertEqual(repeat.company_id, self.company_a)
        self.assert_hidden(self.user_2, repeat, ["partner_id"])
        self.assert_hidden(self.manager, repeat, ["partner_id"])

        result = self.make_result(self.user_1)
        self.assertEqual(result.company_id, self.company_a)
        self.assertEqual(result.with_user(self.user_1).line_ids.mapped("status"), ["done"])
        for user in (self.user_2, self.manager, self.salesman):
            self.assert_hidden(user, result, ["action_name"])
            self.assert_hidden(user, result.line_ids, ["reason"])
        # a salesperson without OMS rights gets own results
        own = self.make_result(self.salesman)
        self.assertEqual(own.with_user(self.salesman).read(["action_name"])[0]["action_name"], "Confirm")
        self.assert_hidden(self.user_1, own, ["action_name"])

    def test_wizard_of_other_company_invisible(self):
        # a user of company A only: even an own upload is hidden once it belongs to company B
        wizard = self.make_upload(self.user_1)
        self.assertEqual(wizard.company_id, self.company_a)
        wizard.sudo().company_id = self.company_b
        self.assertFalse(self.user_1.company_ids & self.company_b)
        self.assert_hidden(self.user_1, wizard, ["filename", "file"])
        self.assert_hidden(self.user_1, wizard.column_ids, ["header"])
        # a user of both companies: a company B upload is there only while company B is selected
        wizard_b = self.make_upload(self.manager_ab, companies=self.company_b)
        self.assertEqual(wizard_b.company_id, self.company_b)
        self.assert_hidden(self.manager_ab, wizard_b, ["filename"], companies=self.company_a)
        self.assert_hidden(self.manager_ab, wizard_b.column_ids, ["header"], companies=self.company_a)
        for companies in (self.company_b, self.company_a | self.company_b):
            env = self.env(user=self.manager_ab, context=dict(self.env.context, allowed_company_ids=companies.ids))
            self.assertEqual(env["oms.batch.import"].search([("id", "=", wizard_b.id)]), wizard_b)
            self.assertEqual(len(env["oms.batch.import.column"].search([("wizard_id", "=", wizard_b.id)])), 3)
        # the same for a repeat wizard (company of its batch) and an action result
        repeat_b = self.env["oms.repeat.order"].with_user(self.manager_ab).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids,
        ).create({"batch_id": self.batch_b.id, "partner_id": self.customer_a.id})
        self.assertEqual(repeat_b.company_id, self.company_b)
        self.assert_hidden(self.manager_ab, repeat_b, ["partner_id"], companies=self.company_a)
        result_b = self.make_result(self.manager_ab, companies=self.company_b)
        self.assertEqual(result_b.company_id, self.company_b)
        self.assert_hidden(self.manager_ab, result_b, ["action_name"], companies=self.company_a)
        self.assert_hidden(self.manager_ab, result_b.line_ids, ["reason"], companies=self.company_a)
        result_b.with_user(self.manager_ab).with_context(allowed_company_ids=self.company_b.ids).read(["action_name"])

    # ------------------------------------------------------------------ no OMS rights

    def test_salesperson_without_oms_rights(self):
        self.assertFalse(self.salesman.has_group("oms_logistics.group_oms_user"))
        for model in ("oms.order.batch", "oms.order.batch.line", "oms.order.batch.problem", "oms.import.preset"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.batch_1.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.env["oms.order.batch"].with_user(self.salesman).create({})

    # ------------------------------------------------------------------ the whole flow as an OMS user

    def test_oms_user_runs_the_whole_flow(self):
        """Everything an OMS user does with a batch works with the user's own rights."""
        env = self.env(user=self.user_1)
        self.env["stock.warehouse.orderpoint"].create({
            "product_id": self.product_lamp.id, "warehouse_id": self.warehouse.id,
            "location_id": self.stock.id, "product_min_qty": 99, "product_max_qty": 200})
        wizard = env["oms.batch.import"].create({
            "file": base64.b64encode(self.make_csv([
                ["Customer", "Product", "Qty", "Price", "Date", "Ref"],
                ["C-ALBA", "71053", "2", "3.39", "14/03/2031", "PO-1"],
                ["C-BRISA", "MUG-01", "1", "1.50", "14/03/2031", "PO-2"],
                ["Nobody", "71053", "1", "3.39", "14/03/2031", "PO-3"],
            ])),
            "filename": "orders.csv", "preset_id": self.preset.id,
        })
        wizard._onchange_preset_id()
        wizard.action_next()
        batch = env["oms.order.batch"].browse(wizard.action_import()["res_id"])
        self.assertEqual(batch.user_id, self.user_1)
        self.assertEqual(batch.error_count, 1)
        self.assertEqual(batch.short_count, 1)
        # the grid with the customer panel
        self.assertEqual(batch.line_ids.mapped("partner_open_order_count"), [0, 0, 0])
        batch.line_ids.filtered("has_error").write({"partner_id": self.customer_b.id})
        batch.action_check()
        self.assertEqual(batch.error_count, 0)
        batch.with_context(oms_foreground=True).action_create_and_confirm()
        self.assertEqual(batch.state, "done")
        self.assertEqual(len(batch.order_ids), 3)
        self.assertEqual(set(batch.order_ids.mapped("user_id")), {self.user_1})
        self.assertEqual(self.customer_b.with_user(self.user_1).oms_open_order_count, 2)
        content, _type = env["ir.actions.report"]._render_qweb_html(
            "oms_logistics.oms_order_batch_report_action", batch.ids)
        self.assertIn(batch.name, content.decode())
        # repeat an order into a new batch, then confirm and cancel order by order
        again = env["oms.order.batch"].create({})
        env["oms.repeat.order"].create({"batch_id": again.id, "partner_id": self.customer_a.id}).action_repeat()
        self.assertEqual(len(again.line_ids), 1)
        again.action_check()
        again.action_create_orders()
        result = again.order_ids.action_oms_batch_confirm()
        self.assertEqual(env["oms.order.action.result"].browse(result["res_id"]).done_count, 1)
        result = again.order_ids.action_oms_batch_cancel()
        self.assertEqual(env["oms.order.action.result"].browse(result["res_id"]).done_count, 1)

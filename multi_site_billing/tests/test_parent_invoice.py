# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MultiSiteCommon


@tagged("post_install", "-at_install")
class TestParentInvoice(MultiSiteCommon):
    # ------------------------------------------------------------------
    # Sites
    # ------------------------------------------------------------------

    def test_site_code_unique_within_customer(self):
        with self.assertRaisesRegex(ValidationError, "N01 is already used"):
            self._create_site(self.customer, "North Again", "N01")
        # the same code at another customer is another site
        self.assertEqual(self.site_other.site_code, self.site_north.site_code)

    def test_site_id_from_delivery_address(self):
        self.assertEqual(self.inv_north.site_id, self.site_north)
        self.assertEqual(self.inv_south.site_id, self.site_south)
        # the company itself is no site
        self.assertFalse(self.inv_plain.site_id)

    def test_site_must_be_a_site_of_the_customer(self):
        move = self._create_site_invoice(self.customer, 10.0, post=False)
        with self.assertRaisesRegex(ValidationError, "must be a site"):
            move.site_id = self.site_other
        with self.assertRaisesRegex(ValidationError, "must be a site"):
            move.site_id = self.contact_company

    def test_portal_sites_of_own_company_only(self):
        with self.assertRaisesRegex(ValidationError, "must be sites of its own"):
            self.contact_site.portal_site_ids = self.site_other

    # ------------------------------------------------------------------
    # Parent: number, totals, status
    # ------------------------------------------------------------------

    def test_parent_number_and_totals(self):
        self.assertTrue(self.parent.name.startswith("PINV/"))
        self.assertEqual(self.parent.partner_id, self.customer)
        self.assertEqual(self.parent.invoice_date_due, self.due)
        self.assertEqual(self.parent.child_invoice_ids, self.children)
        self.assertEqual(self.parent.amount_total, 600.0)
        self.assertEqual(self.parent.amount_residual, 600.0)
        self.assertEqual(self.parent.payment_state, "not_paid")
        self.assertEqual(self.parent.site_count, 3)
        other = self.env["account.parent.invoice"]._group_invoices(
            self.inv_north_single
        )
        self.assertNotEqual(other.name, self.parent.name)

    def test_totals_and_status_as_children_are_paid(self):
        parent = self.parent
        self._register_payment(self.inv_north, 40.0)
        self.assertEqual(parent.amount_residual, 560.0)
        self.assertEqual(parent.payment_state, "partial")
        self._register_payment(self.inv_north, 60.0)
        self.assertEqual(parent.amount_residual, 500.0)
        self.assertEqual(parent.payment_state, "partial")
        self._register_payment(self.inv_south, 200.0)
        self.assertEqual(parent.amount_residual, 300.0)
        self.assertEqual(parent.payment_state, "partial")
        self._register_payment(self.inv_east, 300.0)
        self.assertEqual(parent.amount_residual, 0.0)
        self.assertEqual(parent.amount_total, 600.0)
        self.assertEqual(parent.payment_state, "paid")

    def test_payment_state_derivation(self):
        Parent = self.env["account.parent.invoice"]
        self.assertEqual(Parent._payment_state_of([]), "not_paid")
        self.assertEqual(Parent._payment_state_of(["not_paid"]), "not_paid")
        self.assertEqual(Parent._payment_state_of(["paid", "not_paid"]), "partial")
        self.assertEqual(Parent._payment_state_of(["paid", "in_payment"]), "in_payment")
        self.assertEqual(Parent._payment_state_of(["paid", "reversed"]), "paid")

    def test_site_summary(self):
        summary = self.parent._portal_site_summary()
        self.assertEqual(
            [
                (line["site"].site_code, line["count"], line["amount_total"])
                for line in summary
            ],
            [("E03", 1, 300.0), ("N01", 1, 100.0), ("S02", 1, 200.0)],
        )

    # ------------------------------------------------------------------
    # Grouping rules
    # ------------------------------------------------------------------

    def _group(self, invoices, parent=None):
        return self.env["account.parent.invoice"]._group_invoices(invoices, parent)

    def test_rule_posted_only(self):
        draft = self._create_site_invoice(self.site_north, 10.0, post=False)
        with self.assertRaisesRegex(ValidationError, "is not posted"):
            self._group(draft, self.parent)

    def test_rule_customer_invoices_only(self):
        refund = self.env["account.move"].create(
            {
                **self._site_invoice_values(self.site_north, 10.0),
                "move_type": "out_refund",
            }
        )
        refund.action_post()
        with self.assertRaisesRegex(ValidationError, "Only customer invoices"):
            self._group(refund, self.parent)

    def test_rule_one_customer(self):
        # a new parent over invoices of two customers
        with self.assertRaisesRegex(ValidationError, "one customer"):
            self._group(self.inv_north_single | self.inv_other)

    def test_rule_one_customer_existing_parent(self):
        with self.assertRaisesRegex(
            ValidationError, "groups the invoices of one customer"
        ):
            self._group(self.inv_other, self.parent)

    def test_rule_one_currency(self):
        eur = self.setup_other_currency("EUR")
        move = self._create_site_invoice(self.site_north, 10.0, currency=eur)
        with self.assertRaisesRegex(ValidationError, "invoices in one currency"):
            self._group(move, self.parent)

    def test_rule_one_due_date(self):
        move = self._create_site_invoice(
            self.site_north, 10.0, due=self.due + timedelta(days=1)
        )
        with self.assertRaisesRegex(ValidationError, "with the same due date"):
            self._group(move, self.parent)

    def test_rule_one_company(self):
        other_company = self.setup_other_company()["company"]
        self.env.user.company_ids |= other_company
        move = (
            self.env["account.move"]
            .with_company(other_company)
            .create(self._site_invoice_values(self.site_north, 10.0))
        )
        move.action_post()
        with self.assertRaisesRegex(ValidationError, "invoices of one company"):
            self._group(move, self.parent)

    def test_rule_one_parent_at_most(self):
        other = self._group(self.inv_north_single)
        with self.assertRaisesRegex(UserError, "belongs to one parent at most"):
            self.inv_north.parent_invoice_id = other
        # through the parent's one2many too (ORM write, import)
        with self.assertRaisesRegex(UserError, "ungroup it first"):
            other.write({"child_invoice_ids": [Command.link(self.inv_south.id)]})
        self.assertEqual(self.inv_south.parent_invoice_id, self.parent)

    def test_rule_parent_fields_follow_children(self):
        with self.assertRaisesRegex(ValidationError, "with the same due date"):
            self.parent.invoice_date_due = self.due + timedelta(days=3)
        with self.assertRaisesRegex(ValidationError, "one customer"):
            self.parent.partner_id = self.other_customer

    # ------------------------------------------------------------------
    # Lock of grouped children
    # ------------------------------------------------------------------

    def test_grouped_child_cannot_be_reset_or_cancelled(self):
        with self.assertRaisesRegex(UserError, "while grouped under a parent"):
            self.inv_north.button_draft()
        with self.assertRaisesRegex(UserError, "while grouped under a parent"):
            self.inv_north.button_cancel()
        with self.assertRaisesRegex(UserError, "while grouped under a parent"):
            self.inv_north.write({"state": "draft"})
        self.assertEqual(self.inv_north.state, "posted")

    def test_grouped_child_amounts_locked(self):
        line = self.inv_north.invoice_line_ids
        with self.assertRaisesRegex(UserError, "changed in its amounts"):
            line.with_context(check_move_validity=False).write({"price_unit": 1.0})
        with self.assertRaisesRegex(UserError, "changed in its amounts"):
            self.inv_north.write(
                {"invoice_line_ids": [Command.update(line.id, {"quantity": 2})]}
            )
        with self.assertRaisesRegex(UserError, "changed in its amounts"):
            self.inv_north.line_ids.with_context(
                check_move_validity=False, dynamic_unlink=True
            ).unlink()
        self.assertEqual(self.inv_north.amount_total, 100.0)

    def test_grouped_child_still_payable(self):
        self._register_payment(self.inv_north, 100.0)
        self.assertEqual(self.inv_north.payment_state, "paid")

    def test_ungroup_unlocks(self):
        self.inv_north.action_parent_invoice_ungroup()
        self.assertFalse(self.inv_north.parent_invoice_id)
        self.assertEqual(self.parent.child_invoice_ids, self.inv_south | self.inv_east)
        self.assertEqual(self.parent.amount_total, 500.0)
        self.inv_north.button_draft()
        self.assertEqual(self.inv_north.state, "draft")
        # and it can be grouped elsewhere once posted again
        self.inv_north.action_post()
        other = self._group(self.inv_north | self.inv_north_single)
        self.assertEqual(other.child_count, 2)

    def test_ungroup_all(self):
        self.parent.action_ungroup()
        self.assertFalse(self.children.parent_invoice_id)
        self.assertEqual(self.parent.amount_total, 0.0)
        self.inv_east.button_cancel()
        self.assertEqual(self.inv_east.state, "cancel")

    # ------------------------------------------------------------------
    # Wizard
    # ------------------------------------------------------------------

    def test_wizard_groups_selected_invoices(self):
        self.parent.action_ungroup()
        wizard = (
            self.env["account.parent.invoice.group"]
            .with_context(active_model="account.move", active_ids=self.children.ids)
            .create({})
        )
        self.assertEqual(wizard.invoice_ids, self.children)
        self.assertEqual(wizard.partner_id, self.customer)
        action = wizard.action_group()
        parent = self.env["account.parent.invoice"].browse(action["res_id"])
        self.assertEqual(parent.child_invoice_ids, self.children)
        self.assertEqual(parent.amount_total, 600.0)

    def test_wizard_adds_to_existing_parent(self):
        extra = self._create_site_invoice(self.site_south, 25.0)
        wizard = self.env["account.parent.invoice.group"].create(
            {
                "invoice_ids": [Command.set(extra.ids)],
                "parent_invoice_id": self.parent.id,
            }
        )
        wizard.action_group()
        self.assertEqual(extra.parent_invoice_id, self.parent)
        self.assertEqual(self.parent.amount_total, 625.0)

    def test_wizard_refuses_with_the_rule(self):
        wizard = self.env["account.parent.invoice.group"].create(
            {"invoice_ids": [Command.set((self.inv_north_single | self.inv_other).ids)]}
        )
        with self.assertRaisesRegex(ValidationError, "one customer"):
            wizard.action_group()

    def test_parent_deleted_ungroups(self):
        self.parent.unlink()
        self.assertFalse(self.children.parent_invoice_id)

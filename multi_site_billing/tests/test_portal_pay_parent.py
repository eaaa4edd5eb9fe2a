# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.payment_allocation.tests.test_portal_payment import (
    PortalPaymentMixin,
)

from .common import MultiSiteCommon


@tagged("post_install", "-at_install")
class TestPortalPayParent(PortalPaymentMixin, MultiSiteCommon, HttpCase):
    """Paying a parent from the portal is one transaction over its open
    children, allocated per child (payment.allocation.line) and reconciled
    exactly per child: the parent is no journal entry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.provider = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.provider.write(
            {"state": "test", "is_published": True, "company_id": cls.env.company.id}
        )
        cls.payment_method = cls.provider.payment_method_ids[:1]
        # the payment mixin's transaction partner
        cls.contact = cls.contact_company

    def _assert_children_settled(self, tx, expected):
        """``expected``: {child: amount allocated}; each child is reconciled
        with exactly that amount of the transaction's payment."""
        lines = tx.payment_allocation_line_ids
        self.assertEqual(
            {line.move_id: line.amount for line in lines},
            expected,
        )
        payment_lines = tx.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        for child, amount in expected.items():
            self.assertTrue(child.currency_id.is_zero(child.amount_residual))
            partials = (
                child.line_ids.matched_credit_ids
                if child.line_ids.matched_credit_ids
                else child.line_ids.matched_debit_ids
            ).filtered(lambda p: p.credit_move_id in payment_lines)
            self.assertAlmostEqual(sum(partials.mapped("amount")), amount)

    def test_pay_parent_reconciles_each_child(self):
        self.authenticate("msb_company", "msb_company")
        tx = self._pay(600.0, mode="select", invoice_ids=self.children.ids)
        self._assert_children_settled(
            tx, {self.inv_north: 100.0, self.inv_south: 200.0, self.inv_east: 300.0}
        )
        self.assertIn(self.parent.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.parent.amount_residual, 0.0)
        self.assertEqual(self.parent.amount_total, 600.0)

    def test_pay_parent_after_a_partial_payment(self):
        self._register_payment(self.inv_south, 50.0)
        self.assertEqual(self.parent.payment_state, "partial")
        self.authenticate("msb_company", "msb_company")
        tx = self._pay(550.0, mode="select", invoice_ids=self.children.ids)
        self._assert_children_settled(
            tx, {self.inv_north: 100.0, self.inv_south: 150.0, self.inv_east: 300.0}
        )
        self.assertEqual(self.parent.amount_residual, 0.0)

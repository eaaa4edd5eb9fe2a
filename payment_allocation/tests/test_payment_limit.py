# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..models.account_move import MAX_INVOICES_PER_PAYMENT
from .common import PaymentAllocationCommonMixin


@tagged("post_install", "-at_install")
class TestPaymentLimit(PaymentAllocationCommonMixin, TransactionCase):
    """The limit of invoices per payment is one rule with one message: every
    place that checks it (a selection, "select all", the plan of an amount,
    the transaction's allocation) refuses with the same sentence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.count = MAX_INVOICES_PER_PAYMENT + 1
        cls.invoices = cls._create_invoices(
            cls.customer, [1.0] * cls.count, start_days=-300
        )
        cls.total = sum(cls.invoices.mapped("amount_residual"))
        cls.message = cls.env["account.move"]._payment_allocation_count_error(cls.count)

    def _assert_refused(self, call):
        with self.assertRaises(UserError) as caught:
            call()
        self.assertEqual(caught.exception.args[0], self.message)

    def test_the_rule(self):
        Move = self.env["account.move"]
        self.assertEqual(Move._payment_allocation_count_error(1), "")
        self.assertEqual(
            Move._payment_allocation_count_error(MAX_INVOICES_PER_PAYMENT), ""
        )
        self.assertIn(f"at most {MAX_INVOICES_PER_PAYMENT} invoices", self.message)
        self.assertIn(str(self.count), self.message)

    def test_every_check_says_the_same(self):
        Move = self.env["account.move"].with_user(self.user)
        self._assert_refused(
            lambda: Move._payment_allocation_resolve_selection(
                invoice_ids=self.invoices.ids
            )
        )
        self._assert_refused(
            lambda: Move._payment_allocation_resolve_selection(
                select_all=True, currency_id=self.currency.id
            )
        )
        self.assertEqual(
            self.invoices._payment_allocation_payable_error(), self.message
        )
        self._assert_refused(
            lambda: self.invoices._payment_allocation_payment_plan(self.total)
        )
        self._assert_refused(
            lambda: self.env["payment.transaction"]._payment_allocation_compute(
                self.invoices, self.total
            )
        )
        # one invoice fewer: allowed
        self.assertFalse(self.invoices[1:]._payment_allocation_payable_error())

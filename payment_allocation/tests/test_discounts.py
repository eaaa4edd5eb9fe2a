# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from .test_credits import PREVIEW
from .test_portal_payment import PAY, PortalPaymentMixin


@tagged("post_install", "-at_install")
class TestEarlyPaymentDiscount(PortalPaymentMixin, HttpCase):
    """An invoice whose payment term gives a discount still within its date
    is offered at the discounted amount; paying it pays the invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "2/10 net 30",
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 10,
                "early_pay_discount_computation": "included",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate("pa_contact", "pa_contact")

    def _create_discounted(self, amount, days_ago=0):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": self.today - timedelta(days=days_ago),
                "invoice_payment_term_id": self.term.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _assert_paid(self, invoices):
        for invoice in invoices:
            self.assertEqual(invoice.amount_residual, 0.0, invoice.name)
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)

    def test_offered_at_the_discounted_amount(self):
        invoice = self._create_discounted(1000.0)
        self.assertEqual(invoice._payment_allocation_amount_due(), 980.0)
        response = self.url_open(PAY)
        self.assertIn("$\xa0980.00", response.text)
        self.assertIn("Early payment discount of", response.text)
        preview = self._rpc(
            PREVIEW,
            {
                "mode": "select",
                "invoice_ids": invoice.ids,
                "currency_id": self.currency.id,
                "company_id": self.company.id,
            },
        )["result"]
        self.assertEqual(preview["amount"], 980.0)
        self.assertEqual(preview["lines"][0]["discount_display"], "$\xa020.00")

    def test_paying_the_discounted_amount_pays_the_invoice(self):
        invoice = self._create_discounted(1000.0)
        tx = self._pay(980.0, mode="select", invoice_ids=invoice.ids)
        self.assertEqual(tx.amount, 980.0)
        self._assert_paid(invoice)

    def test_several_discounted_invoices_all_paid(self):
        """Stock books the discount of one invoice only; the allocation books
        one per invoice paid at its discounted amount."""
        first = self._create_discounted(1000.0)
        second = self._create_discounted(500.0)
        plain = self._create_invoices(self.customer, [100.0])
        invoices = first + second + plain
        tx = self._pay(1570.0, mode="select", invoice_ids=invoices.ids)
        self._assert_paid(invoices)
        payment_move = tx.payment_id.move_id
        receivable = payment_move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(sum(receivable.mapped("credit")), 1600.0)
        # One discount per invoice paid at its discounted amount: 20 + 10.
        discounts = payment_move.line_ids.filtered(
            lambda line: (
                line.account_id.account_type
                not in ("asset_receivable", "asset_cash", "asset_current")
            )
        )
        self.assertEqual(sorted(discounts.mapped("debit")), [10.0, 20.0])

    def test_after_the_discount_date_full_amount(self):
        invoice = self._create_discounted(1000.0, days_ago=20)
        self.assertEqual(invoice._payment_allocation_amount_due(), 1000.0)
        self.assertFalse(invoice._payment_allocation_discount_info())
        response = self.url_open(PAY)
        self.assertNotIn("Early payment discount of", response.text)
        tx = self._pay(1000.0, mode="select", invoice_ids=invoice.ids)
        self.assertEqual(tx.amount, 1000.0)
        self._assert_paid(invoice)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .test_portal_payment import PAY, TRANSACTION, PortalPaymentMixin

CREDIT = f"{PAY}/credit"
PREVIEW = f"{PAY}/preview"


class CreditsMixin(PortalPaymentMixin):
    @classmethod
    def _create_credit_note(cls, partner, amount):
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "currency_id": cls.currency.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Refund",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    @classmethod
    def _create_unapplied_payment(cls, partner, amount):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "currency_id": cls.currency.id,
            }
        )
        payment.action_post()
        return payment

    def _select(self, invoices, apply_credit=True, **extra):
        return {
            "mode": "select",
            "invoice_ids": invoices.ids,
            "currency_id": self.currency.id,
            "company_id": self.company.id,
            "apply_credit": apply_credit,
            **extra,
        }

    def _preview(self, selection):
        return self._rpc(PREVIEW, selection)["result"]


@tagged("post_install", "-at_install")
class TestPaymentCredits(CreditsMixin, HttpCase):
    """Open credits (credit notes, unapplied payments) are applied to the
    selected invoices first, oldest first; only the rest is charged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])
        cls.refund = cls._create_credit_note(cls.customer, 150.0)
        # Credits of another customer are never offered.
        cls._create_credit_note(cls.other_customer, 999.0)

    def setUp(self):
        super().setUp()
        self.authenticate("pa_contact", "pa_contact")

    def test_page_offers_credits_and_shows_net_balance(self):
        response = self.url_open(PAY)
        self.assertIn("Apply my credits ($\xa0150.00)", response.text)
        self.assertIn('id="o_payment_allocation_apply_credit"', response.text)
        # Balance net of credits: 600 due less 150 of credits.
        self.assertIn('class="fw-bold o_balance">$\xa0450.00<', response.text)

    def test_account_overview_net_of_credits(self):
        """The account overview of customer_portal_invoices (/my/invoices)
        gives the balance net of the credits too (its balance is the account
        summary's, net of credits), and what it is made of."""
        page = self.url_open("/my/invoices").text
        match = re.search(r'o_portal_overview_balance_due">(.*?)</td>', page, re.DOTALL)
        self.assertTrue(match)
        self.assertIn(">450.00<", match.group(1))
        match = re.search(
            r'o_portal_overview_net_balance">(.*?)</div>', page, re.DOTALL
        )
        self.assertTrue(match)
        self.assertIn(">600.00<", match.group(1))
        self.assertIn(">150.00<", match.group(1))

    def test_preview_credit_first_oldest_first(self):
        preview = self._preview(self._select(self.invoices))
        self.assertEqual(preview["credit"], 150.0)
        self.assertEqual(preview["amount"], 450.0)
        self.assertEqual(preview["amount_display"], "$\xa0450.00")
        self.assertEqual([line["credit"] for line in preview["lines"]], [100, 50, 0])
        self.assertEqual([line["amount"] for line in preview["lines"]], [0, 150, 300])
        without = self._preview(self._select(self.invoices, apply_credit=False))
        self.assertEqual((without["credit"], without["amount"]), (0.0, 600.0))

    def test_credit_applied_then_rest_charged(self):
        tx = self._pay(450.0, **self._select(self.invoices))
        self.assertEqual(tx.amount, 450.0)
        self.assertEqual(tx.payment_allocation_credit_applied, 150.0)
        # The first invoice is paid by the credit alone: not in the charge.
        self.assertEqual(tx.invoice_ids, self.invoices[1:])
        self.assertEqual(
            tx.payment_allocation_line_ids.sorted("sequence").mapped("amount"),
            [150.0, 300.0],
        )
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 0.0])
        self.assertEqual(self.refund.amount_residual, 0.0)
        # Reconciled exactly as planned: the credit note paid 100 + 50.
        partials = self.refund.line_ids.matched_debit_ids
        self.assertEqual(
            sorted(
                (p.debit_move_id.move_id.name, p.debit_amount_currency)
                for p in partials
            ),
            sorted([(self.invoices[0].name, 100.0), (self.invoices[1].name, 50.0)]),
        )
        self.assertEqual(tx.payment_id.amount, 450.0)
        receipt = self.url_open(tx.landing_route)
        self.assertIn("Credits applied before this payment", receipt.text)

    def test_browser_amount_must_be_the_charge(self):
        self._assert_refused(
            self._tx_params(600.0, **self._select(self.invoices)),
            "does not match your selection",
        )
        self.assertEqual(self.refund.amount_residual, 150.0, "no credit applied")

    def test_credit_covers_everything_no_transaction(self):
        invoice = self.invoices[0]
        preview = self._preview(self._select(invoice))
        self.assertEqual((preview["credit"], preview["amount"]), (100.0, 0.0))
        self._assert_refused(
            self._tx_params(0.01, **self._select(invoice)), "pay this selection in full"
        )
        before = self._tx_count()
        result = self._rpc(CREDIT, dict(self._select(invoice), amount=100.0))["result"]
        self.assertNotIn("error", result)
        self.assertIn("Nothing was charged", result["message"])
        self.assertEqual(self._tx_count(), before, "no transaction at all")
        self.assertEqual(invoice.amount_residual, 0.0)
        # paid by a credit note alone: "reversed" in Odoo's terms
        self.assertIn(invoice.payment_state, ("paid", "in_payment", "reversed"))
        self.assertEqual(self.refund.amount_residual, 50.0)
        # A second submission applies nothing twice.
        with mute_logger("odoo.http"):
            again = self._rpc(CREDIT, dict(self._select(invoice), amount=100.0))
        self.assertIn("error", again["result"])
        self.assertEqual(self.refund.amount_residual, 50.0)

    def test_credit_route_refuses_when_a_charge_is_needed(self):
        result = self._rpc(CREDIT, dict(self._select(self.invoices), amount=150.0))
        self.assertIn("do not cover", result["result"]["error"])
        self.assertEqual(self.refund.amount_residual, 150.0)

    def test_stale_plan_applies_nothing_twice(self):
        """Two submissions computed on the same credits: the second, run after
        the first applied them, finds them changed and applies nothing."""
        Move = self.env["account.move"].with_user(self.user)
        invoices = Move.browse(self.invoices.ids)
        first = invoices[:1]._payment_allocation_payment_plan(use_credit=True)
        second = invoices[1:2]._payment_allocation_payment_plan(use_credit=True)
        invoices[:1]._payment_allocation_apply_credit(first, user=self.user)
        with self.assertRaisesRegex(UserError, "credits changed meanwhile"):
            invoices[1:2]._payment_allocation_apply_credit(second, user=self.user)
        self.assertEqual(self.invoices[1].amount_residual, 200.0)
        self.assertEqual(self.refund.amount_residual, 50.0)

    def test_credit_stays_when_the_charge_fails(self):
        result = self._rpc(
            TRANSACTION, self._tx_params(450.0, **self._select(self.invoices))
        )
        reference = result["result"]["reference"]
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", reference)])
        )
        tx._set_canceled()
        self.assertEqual(self.refund.amount_residual, 0.0)
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 150.0, 300.0])

    def test_custom_amount_after_credits(self):
        selection = {
            "mode": "custom",
            "custom_amount": "100",
            "currency_id": self.currency.id,
            "company_id": self.company.id,
            "apply_credit": True,
        }
        preview = self._preview(selection)
        self.assertEqual((preview["credit"], preview["amount"]), (150.0, 100.0))
        # 600 due less 150 of credits: at most 450 to charge.
        over = dict(selection, custom_amount="500")
        self.assertIn("net of your credits", self._preview(over)["error"])
        tx = self._pay(100.0, **selection)
        self.assertEqual(tx.invoice_ids, self.invoices[1:2])
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 50.0, 300.0])

    def test_unapplied_payment_is_a_credit(self):
        self._create_unapplied_payment(self.customer, 40.0)
        preview = self._preview(self._select(self.invoices))
        self.assertNotIn("error", preview, preview.get("error"))
        self.assertEqual((preview["credit"], preview["amount"]), (190.0, 410.0))
        self._pay(410.0, **self._select(self.invoices))
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 0.0])

    def test_own_contact_applies_only_the_credit_notes_it_sees(self):
        """A contact with access to its own documents only is offered the
        credit notes addressed to it, not the company's other credits."""
        own = self.env["res.partner"].create(
            {"name": "Own Contact", "parent_id": self.customer.id}
        )
        own.portal_invoice_access = "own"
        self._create_portal_user(own, "pa_own")
        own_invoice = self._create_invoices(own, [100.0])
        own_refund = self._create_credit_note(own, 30.0)
        self._create_unapplied_payment(self.customer, 40.0)
        self.authenticate("pa_own", "pa_own")
        page = self.url_open(PAY).text
        self.assertIn("Apply my credits ($\xa030.00)", page)
        preview = self._preview(self._select(own_invoice))
        self.assertEqual((preview["credit"], preview["amount"]), (30.0, 70.0))
        self._pay(70.0, **self._select(own_invoice))
        self.assertEqual(own_invoice.amount_residual, 0.0)
        self.assertEqual(own_refund.amount_residual, 0.0)
        self.assertEqual(self.refund.amount_residual, 150.0, "not its credit")

    def test_contact_without_access_may_not_apply_credit(self):
        self.contact.portal_invoice_access = "none"
        with mute_logger("odoo.http"):
            result = self._rpc(
                CREDIT, dict(self._select(self.invoices[:1]), amount=100)
            )
        self.assertIn("not allowed", result["result"]["error"])
        self.assertEqual(self.refund.amount_residual, 150.0)

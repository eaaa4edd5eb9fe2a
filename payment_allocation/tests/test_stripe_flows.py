# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.urls import url_encode

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .fake_stripe import MICRODEPOSIT_AMOUNTS
from .stripe_common import StripeCommonMixin


@tagged("post_install", "-at_install")
class TestStripeFlows(StripeCommonMixin, HttpCase):
    """Cards and ACH bank accounts saved and charged through Stripe (a fake
    Stripe on loopback plays Stripe.js and Stripe's back end)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stripe()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])

    # === SAVING (VALIDATION) === #

    def _save(self, kind, microdeposits=False):
        """Save a method as the form does (mandate accepted online, from a
        known address and browser): the SetupIntent as Stripe now holds it."""
        tx, created = self._save_with_stripe_js(
            kind,
            microdeposits=microdeposits,
            ip="203.0.113.7",
            agent="Mozilla/5.0 (Payment Allocation Tests)",
        )
        self.assertEqual(created["payment_method_types"], [kind])
        return tx, self.fake.setup_intents[created["id"]]

    def test_save_card(self):
        tx, _intent = self._save("card")
        self.assertEqual(tx.state, "done")
        token = tx.token_id
        self.assertTrue(token)
        # the card's brand, as Odoo records it
        self.assertIn(token.payment_method_id, self.card | self.card.brand_ids)
        self.assertTrue(token.payment_allocation_verified)
        self.assertIn("4242", token.display_name)
        # the Odoo calls reached the fake through the system parameter
        self.assertIn("/v1/customers", self.fake.paths("POST"))
        self.assertIn("/v1/setup_intents", self.fake.paths("POST"))

    def test_save_bank_account_with_mandate(self):
        tx, intent = self._save("us_bank_account")
        self.assertEqual(tx.state, "done")
        token = tx.token_id
        self.assertEqual(token.payment_method_id, self.ach)
        self.assertEqual(
            intent["payment_method_options"]["us_bank_account"]["verification_method"],
            "automatic",
        )
        # the mandate is stored, with who accepted it, from where and when
        self.assertEqual(token.stripe_mandate, intent["mandate"])
        self.assertTrue(token.stripe_mandate.startswith("mandate_"))
        self.assertEqual(token.payment_allocation_mandate_ip, "203.0.113.7")
        self.assertEqual(
            token.payment_allocation_mandate_user_agent,
            "Mozilla/5.0 (Payment Allocation Tests)",
        )
        self.assertTrue(token.payment_allocation_mandate_date)
        self.assertTrue(token.payment_allocation_verified)
        self.assertEqual(token.payment_allocation_bank_name, "STRIPE TEST BANK")
        self.assertIn("STRIPE TEST BANK", token.display_name)
        self.assertIn("6789", token.display_name)
        # the mandate was read through the SDK, at the same fake server
        self.assertIn(f"/v1/mandates/{token.stripe_mandate}", self.fake.paths("GET"))

    def test_save_bank_account_with_microdeposits(self):
        tx, _intent = self._save("us_bank_account", microdeposits=True)
        token = tx.token_id
        self.assertEqual(tx.state, "pending")
        self.assertFalse(token.payment_allocation_verified)
        self.assertIn("not verified", token.display_name)
        # not offered for a payment, but listed to be verified
        Token = self.env["payment.token"].with_user(self.user)
        self.assertNotIn(
            token, Token._get_available_tokens(self.stripe.ids, self.contact.id)
        )
        self.assertIn(
            token,
            Token._get_available_tokens(
                self.stripe.ids, self.contact.id, is_validation=True
            ),
        )
        wrong = self._rpc(
            "/my/payment_method/stripe/verify",
            {"token_id": token.id, "amounts": [1, 2]},
        )
        self.assertIn("do not match", wrong["result"]["error"])
        self.assertFalse(token.payment_allocation_verified)
        right = self._rpc(
            "/my/payment_method/stripe/verify",
            {"token_id": token.id, "amounts": MICRODEPOSIT_AMOUNTS},
        )
        self.assertEqual(right["result"], {"verified": True})
        self.assertTrue(token.payment_allocation_verified)
        self.assertEqual(tx.state, "done")

    def test_verify_bank_account_on_payment_method_page(self):
        """The customer verifies a bank account with the form of My Payment
        Methods, typing the deposits as its bank shows them."""
        tx, _intent = self._save("us_bank_account", microdeposits=True)
        token = tx.token_id
        page = self.url_open("/my/payment_method").text
        self.assertIn("o_payment_allocation_verify_form", page)
        self.assertIn("not verified", page)
        form = {
            "token_id": token.id,
            "csrf_token": http.Request.csrf_token(self),
        }
        wrong = self.url_open(
            "/my/payment_method/verify",
            data=dict(form, amount_1="0.01", amount_2="0.02"),
        )
        self.assertEqual(wrong.status_code, 200)
        self.assertIn("do not match", wrong.text)
        self.assertFalse(token.payment_allocation_verified)
        unreadable = self.url_open(
            "/my/payment_method/verify", data=dict(form, amount_1="abc", amount_2="")
        )
        self.assertIn("Enter the amounts of the two deposits", unreadable.text)
        first, second = (f"0.{cents:02d}" for cents in MICRODEPOSIT_AMOUNTS)
        right = self.url_open(
            "/my/payment_method/verify",
            data=dict(form, amount_1=first, amount_2=second),
            allow_redirects=False,
        )
        self.assertIn(right.status_code, (302, 303))
        self.assertIn("verified=1", right.headers["Location"])
        self.assertTrue(token.payment_allocation_verified)
        self.assertEqual(tx.state, "done")
        page = self.url_open("/my/payment_method").text
        self.assertNotIn("o_payment_allocation_verify_form", page)

    def test_verify_route_refuses_other_contacts(self):
        other = self.env["res.partner"].create(
            {"name": "Other Contact", "parent_id": self.other_customer.id}
        )
        token = self._stripe_token(
            "us_bank_account", partner=other, payment_allocation_verified=False
        )
        self.authenticate("pa_contact", "pa_contact")
        result = self._rpc(
            "/my/payment_method/stripe/verify",
            {"token_id": token.id, "amounts": MICRODEPOSIT_AMOUNTS},
        )
        self.assertIn("may not use", result["result"]["error"])
        self.assertFalse(token.payment_allocation_verified)

    # === PAYING WITH A SAVED METHOD FROM THE MAKE A PAYMENT PAGE === #

    def test_pay_with_saved_card(self):
        token = self._stripe_token("card")
        self.authenticate("pa_contact", "pa_contact")
        tx = self._pay_with_token(
            token, 250.0, mode="custom", custom_amount="250", currency_id=self.usd.id
        )
        self.assertEqual(tx.state, "done")
        call = [c for c in self.fake.calls if c[1] == "/v1/payment_intents"][-1]
        self.assertEqual(call[2]["payment_method_types"], ["card"])
        self.assertEqual(call[2]["amount"], "25000")
        self.assertTrue(call[3].get("idempotency-key"))
        tx._post_process()
        self.assertEqual(tx.payment_id.move_id.state, "posted")
        self.assertEqual(self.invoices[0].amount_residual, 0.0)
        self.assertEqual(self.invoices[1].amount_residual, 50.0)
        self.assertEqual(self.invoices[2].amount_residual, 300.0)

    def test_pay_with_saved_bank_account(self):
        token = self._stripe_token("us_bank_account")
        self.authenticate("pa_contact", "pa_contact")
        tx = self._pay_with_token(
            token,
            300.0,
            mode="select",
            invoice_ids=self.invoices[:2].ids,
            currency_id=self.usd.id,
        )
        call = [c for c in self.fake.calls if c[1] == "/v1/payment_intents"][-1]
        self.assertEqual(call[2]["payment_method_types"], ["us_bank_account"])
        self.assertEqual(call[2]["mandate"], token.stripe_mandate)
        self.assertEqual(call[2]["off_session"], "true")
        self.assertTrue(call[3].get("idempotency-key"))
        # pending while the bank processes it: nothing posted
        self.assertEqual(tx.state, "pending")
        tx._post_process()
        self.assertFalse(tx.payment_id)
        self.assertEqual(self.invoices[0].amount_residual, 100.0)
        # Stripe reports success through the signed webhook
        intent = self.fake.settle(tx.provider_reference)
        response = self._send(self.fake.event("payment_intent.succeeded", intent))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertIn(tx.payment_id.state, ("in_process", "paid"))
        self.assertEqual(self.invoices[0].amount_residual, 0.0)
        self.assertEqual(self.invoices[1].amount_residual, 0.0)
        self.assertEqual(self.invoices[2].amount_residual, 300.0)
        self.assertEqual(
            tx.payment_allocation_line_ids.mapped("amount_applied"), [100.0, 200.0]
        )

    def _pay_direct(self, method, amount, tokenize=False, **selection):
        """Pay with a new card or bank account from the Make a Payment page:
        the route creates the transaction and its PaymentIntent (processing
        values for Stripe.js)."""
        self.authenticate("pa_contact", "pa_contact")
        result = self._rpc(
            "/my/invoices/pay/transaction",
            {
                "provider_id": self.stripe.id,
                "payment_method_id": method.id,
                "token_id": None,
                "flow": "direct",
                "tokenization_requested": tokenize,
                "landing_route": "/my/invoices/pay",
                "is_validation": False,
                "amount": amount,
                "currency_id": self.usd.id,
                **selection,
            },
        )
        self.assertNotIn("error", result, result.get("error"))
        values = result["result"]
        intent_id = values["client_secret"].split("_secret_")[0]
        return self._tx(values["reference"]), intent_id

    def _return(self, reference, intent_id):
        response = self.url_open(
            "/payment/stripe/return?"
            + url_encode({"reference": reference, "payment_intent": intent_id}),
            allow_redirects=False,
        )
        self.env.invalidate_all()
        return response

    def test_pay_with_new_bank_account_and_save_it(self):
        tx, intent_id = self._pay_direct(
            self.ach,
            100.0,
            tokenize=True,
            mode="select",
            invoice_ids=self.invoices[:1].ids,
        )
        created = self.fake.payment_intents[intent_id]
        self.assertEqual(created["amount"], 10000)
        self.assertEqual(created["setup_future_usage"], "off_session")
        # Stripe.js confirms, the customer comes back: processing
        self.fake.confirm_payment_intent(
            intent_id, "us_bank_account", ip="198.51.100.4", agent="Browser 1"
        )
        self._return(tx.reference, intent_id)
        self.assertEqual(tx.state, "pending")
        self.assertFalse(tx.token_id)
        # the bank settles: done, the bank account saved with its mandate
        intent = self.fake.settle(intent_id)
        self._send(self.fake.event("payment_intent.succeeded", intent))
        self.assertEqual(tx.state, "done")
        token = tx.token_id
        self.assertEqual(token.stripe_mandate, intent["mandate"])
        self.assertEqual(token.payment_allocation_mandate_ip, "198.51.100.4")
        self.assertEqual(token.payment_allocation_bank_name, "STRIPE TEST BANK")
        tx._post_process()
        self.assertEqual(self.invoices[0].amount_residual, 0.0)

    def test_return_with_another_intent_confirms_nothing(self):
        tx, intent_id = self._pay_direct(
            self.card, 100.0, mode="select", invoice_ids=self.invoices[:1].ids
        )
        # another, smaller intent that succeeded
        other = self.fake._create_payment_intent(
            {"amount": "100", "currency": "usd", "description": tx.reference}
        )
        self.fake.confirm_payment_intent(other["id"], "card")
        with mute_logger(
            "odoo.addons.payment_allocation.models.payment_transaction", "odoo.http"
        ):
            self._return(tx.reference, other["id"])
        self.assertEqual(tx.state, "draft")
        # its own intent confirms it
        self.fake.confirm_payment_intent(intent_id, "card")
        self._return(tx.reference, intent_id)
        self.assertEqual(tx.state, "done")

    def test_bank_account_payment_returned_later(self):
        token = self._stripe_token("us_bank_account")
        self.authenticate("pa_contact", "pa_contact")
        tx = self._pay_with_token(
            token,
            100.0,
            mode="select",
            invoice_ids=self.invoices[:1].ids,
            currency_id=self.usd.id,
        )
        intent = self.fake.settle(tx.provider_reference)
        self._send(self.fake.event("payment_intent.succeeded", intent))
        tx._post_process()
        payment = tx.payment_id
        self.assertEqual(self.invoices[0].amount_residual, 0.0)
        # the bank returns the debit: the invoice is open again, once
        event = self.fake.event(
            "charge.dispute.created", self.fake.dispute(tx.provider_reference)
        )
        for _attempt in range(2):
            with mute_logger(
                "odoo.addons.payment_allocation.controllers.stripe",
                "odoo.addons.payment_stripe.controllers.main",
            ):
                response = self._send(event)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(payment.state, "canceled")
        self.assertEqual(tx.state, "error")
        self.assertEqual(self.invoices[0].amount_residual, 100.0)
        told = self.invoices[0].message_ids.filtered(
            lambda m: "was returned" in (m.body or "")
        )
        self.assertEqual(len(told), 1)
        self.assertIn(self.contact, told.partner_ids)

    def test_bank_account_payment_fails(self):
        token = self._stripe_token("us_bank_account")
        self.invoices.invoice_user_id = self.env.user
        self.authenticate("pa_contact", "pa_contact")
        tx = self._pay_with_token(
            token,
            100.0,
            mode="select",
            invoice_ids=self.invoices[:1].ids,
            currency_id=self.usd.id,
        )
        self.assertEqual(tx.state, "pending")
        intent = self.fake.settle(tx.provider_reference, succeeded=False)
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            self._send(self.fake.event("payment_intent.payment_failed", intent))
        self.assertEqual(tx.state, "error")
        self.assertIn("insufficient funds", tx.state_message)
        tx._post_process()
        self.assertFalse(tx.payment_id)
        self.assertEqual(self.invoices[0].amount_residual, 100.0)
        message = self.invoices[0].message_ids.filtered(
            lambda m: tx.reference in (m.body or "")
        )
        self.assertTrue(message)
        self.assertIn(self.contact, message.partner_ids)
        self.assertIn(self.env.user.partner_id, message.partner_ids)

    # === STOCK PAYMENT REGISTER WITH A SAVED BANK ACCOUNT === #

    def _register_with_token(self, invoice, token):
        line = self.stripe.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == self.stripe
        )
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "journal_id": self.stripe.journal_id.id,
                    "payment_method_line_id": line.id,
                    "payment_token_id": token.id,
                }
            )
        )
        wizard._create_payments()
        return self.env["account.payment"].search([("payment_token_id", "=", token.id)])

    def test_payment_register_bank_account_succeeds(self):
        token = self._stripe_token("us_bank_account")
        invoice = self.invoices[0]
        payment = self._register_with_token(invoice, token)
        tx = payment.payment_transaction_id
        self.assertEqual(tx.state, "pending")
        # waiting, not cancelled as stock Odoo would, nothing posted
        self.assertNotEqual(payment.state, "canceled")
        self.assertNotEqual(payment.move_id.state, "posted")
        self.assertEqual(invoice.amount_residual, 100.0)
        intent = self.fake.settle(tx.provider_reference)
        self._send(self.fake.event("payment_intent.succeeded", intent))
        self.assertEqual(tx.state, "done")
        tx._post_process()
        payments = self.env["account.payment"].search(
            [("partner_id", "=", self.customer.id), ("move_id.state", "=", "posted")]
        )
        self.assertEqual(payments, payment, "one payment, the waiting one")
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn(invoice.payment_state, ("in_payment", "paid"))
        # a replayed success changes nothing
        tx._post_process()
        self.assertEqual(
            self.env["account.payment"].search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            1,
        )

    def test_payment_register_bank_account_fails(self):
        token = self._stripe_token("us_bank_account")
        invoice = self.invoices[0]
        payment = self._register_with_token(invoice, token)
        tx = payment.payment_transaction_id
        intent = self.fake.settle(tx.provider_reference, succeeded=False)
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            self._send(self.fake.event("payment_intent.payment_failed", intent))
        self.assertEqual(tx.state, "error")
        tx._post_process()
        self.assertEqual(payment.state, "canceled")
        self.assertEqual(invoice.amount_residual, 100.0)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_payment_register_card_posts_at_once(self):
        token = self._stripe_token("card")
        payment = self._register_with_token(self.invoices[0], token)
        self.assertEqual(payment.payment_transaction_id.state, "done")
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(self.invoices[0].amount_residual, 0.0)

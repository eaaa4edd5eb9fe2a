# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import stripe
from freezegun import freeze_time

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.payment_provider import STRIPE_API_BASE_PARAM
from .fake_stripe import (
    CARD_DECLINED_AFTER_ATTACH,
    CARD_INSUFFICIENT_FUNDS,
    MICRODEPOSIT_AMOUNTS,
    MICRODEPOSIT_DESCRIPTOR_CODE,
    StripeError,
)
from .stripe_common import PAY, TRANSACTION, StripeCommonMixin

INTENTS = "/v1/payment_intents"
MUTE = (
    "odoo.addons.payment.models.payment_transaction",
    "odoo.addons.payment_allocation.models.payment_provider",
    "odoo.addons.payment_allocation.models.payment_transaction",
    "odoo.addons.payment_stripe.models.payment_provider",
    "odoo.addons.payment_stripe.models.payment_transaction",
    "odoo.http",
)


@tagged("post_install", "-at_install")
class TestStripeFailures(StripeCommonMixin, HttpCase):
    """What the customer and the records end with when Stripe says no:
    a declined card, Stripe overloaded or down (retried, then a clear
    failure), an idempotency conflict, a restricted or wrong key, a wrong
    microdeposit code. A stand-in that answered success would fail each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stripe()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])

    def setUp(self):
        super().setUp()
        self.fake.forget()
        self.known_intents = set(self.fake.payment_intents)

    # === HELPERS === #

    def _new_intents(self):
        """The PaymentIntents Stripe created during this test."""
        return [
            intent
            for intent_id, intent in self.fake.payment_intents.items()
            if intent_id not in self.known_intents
        ]

    def _pay_first_invoice(self, token):
        """The contact pays the first invoice (100.00) with ``token`` on the
        Make a Payment page: the transaction."""
        self.authenticate("pa_contact", "pa_contact")
        with mute_logger(*MUTE):
            return self._pay_with_token(
                token,
                100.0,
                mode="select",
                invoice_ids=self.invoices[:1].ids,
                currency_id=self.usd.id,
            )

    def _status_page(self):
        """The payment status page the form lands on after a token payment,
        as the customer sees it."""
        with mute_logger(*MUTE):
            return self.url_open("/payment/status").text

    def _assert_nothing_charged(self, tx, message):
        """The transaction failed with ``message`` shown to the customer, no
        payment was created nor posted, the invoices owe what they owed."""
        self.assertEqual(tx.state, "error")
        self.assertIn(message, tx.state_message)
        self.assertIn(message, self._status_page())
        tx._post_process()
        self.assertFalse(tx.payment_id)
        self.assertFalse(
            self.env["account.payment"].search([("partner_id", "=", self.customer.id)]),
            "nothing posted",
        )
        self.assertEqual(self.invoices.mapped("amount_residual"), [100.0, 200.0, 300.0])

    def _intent_calls(self):
        return [call for call in self.fake.calls if call[:2] == ("POST", INTENTS)]

    def _offline_tx(self, token, amount, reference):
        return self.env["payment.transaction"].create(
            {
                "provider_id": self.stripe.id,
                "payment_method_id": token.payment_method_id.id,
                "token_id": token.id,
                "reference": reference,
                "amount": amount,
                "currency_id": self.usd.id,
                "partner_id": self.contact.id,
                "operation": "offline",
            }
        )

    # === CARD DECLINES === #

    def test_saved_card_declined(self):
        """Stripe answers 402 card_error: the customer reads Stripe's
        decline, the transaction is in error with the declined intent, not
        retried, nothing posted."""
        token = self._stripe_token("card", number=CARD_DECLINED_AFTER_ATTACH)
        tx = self._pay_first_invoice(token)
        self._assert_nothing_charged(tx, "Your card was declined.")
        self.assertEqual(len(self._intent_calls()), 1, "a decline is not retried")
        intent = self.fake.payment_intents[tx.provider_reference]
        self.assertEqual(intent["status"], "requires_payment_method")
        self.assertEqual(intent["last_payment_error"]["code"], "card_declined")
        self.assertEqual(intent["description"], tx.reference)

    def test_saved_card_declined_in_payment_register(self):
        """The back office charges a saved card that Stripe declines: the
        payment is cancelled, the invoice stays open, the reason is on the
        transaction."""
        token = self._stripe_token("card", number=CARD_DECLINED_AFTER_ATTACH)
        invoice = self.invoices[0]
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
        with mute_logger(*MUTE):
            wizard._create_payments()
        payment = self.env["account.payment"].search(
            [("payment_token_id", "=", token.id)]
        )
        tx = payment.payment_transaction_id
        self.assertEqual(tx.state, "error")
        self.assertIn("Your card was declined.", tx.state_message)
        self.assertEqual(payment.state, "canceled")
        self.assertNotEqual(payment.move_id.state, "posted")
        self.assertEqual(invoice.amount_residual, 100.0)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_new_card_declined(self):
        """A new card typed in the Payment Element is declined: Stripe.js
        leaves the intent to be paid another way and Stripe reports the
        failure by webhook: the transaction is in error with the reason."""
        self.authenticate("pa_contact", "pa_contact")
        result = self._rpc(
            TRANSACTION,
            {
                "provider_id": self.stripe.id,
                "payment_method_id": self.card.id,
                "token_id": None,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": PAY,
                "is_validation": False,
                "amount": 100.0,
                "currency_id": self.usd.id,
                "mode": "select",
                "invoice_ids": self.invoices[:1].ids,
            },
        )
        self.assertNotIn("error", result, result.get("error"))
        tx = self._tx(result["result"]["reference"])
        intent_id = result["result"]["client_secret"].split("_secret_")[0]
        intent = self.fake.confirm_payment_intent(
            intent_id, "card", number=CARD_INSUFFICIENT_FUNDS
        )
        self.assertEqual(intent["status"], "requires_payment_method")
        event = self.fake.event("payment_intent.payment_failed", intent)
        with mute_logger(*MUTE):
            response = self._send(event)
        self.assertEqual(response.status_code, 200)
        self._assert_nothing_charged(tx, "Your card has insufficient funds.")

    def _autopay(self, token, day=0):
        """Autopay (only this customer's) charges ``token`` on ``day``: the
        attempts of this customer's invoices."""
        self.env["res.partner"].search(
            [("payment_allocation_autopay", "=", True)]
        ).payment_allocation_autopay = False
        self.customer._payment_allocation_autopay_opt_in(token, user=self.user)
        Attempt = self.env["payment.allocation.autopay.attempt"]
        with freeze_time(self.today + timedelta(days=day)), mute_logger(*MUTE):
            attempts = Attempt._payment_allocation_autopay_run()
        return attempts.filtered(lambda attempt: attempt.move_id in self.invoices)

    def test_autopay_card_declined(self):
        """Autopay charges a saved card that Stripe declines: each attempt
        fails with the decline, nothing posted, the invoices stay open."""
        token = self._stripe_token("card", number=CARD_DECLINED_AFTER_ATTACH)
        attempts = self._autopay(token)
        self.assertEqual(attempts.move_id, self.invoices)
        self.assertEqual(set(attempts.mapped("state")), {"failed"})
        for attempt in attempts:
            self.assertIn("Your card was declined.", attempt.error)
            self.assertEqual(attempt.transaction_id.state, "error")
            self.assertFalse(attempt.transaction_id.payment_id)
        self.assertEqual(len(self._intent_calls()), 3, "one call each, no retry")
        self.assertEqual(self.invoices.mapped("amount_residual"), [100.0, 200.0, 300.0])

    # === STRIPE OVERLOADED OR DOWN === #

    def test_autopay_while_stripe_is_down(self):
        """Stripe unavailable during the autopay run: each charge is tried
        three times, the attempts fail with a clear reason and nothing is
        posted; the next day's run charges."""
        token = self._stripe_token("card")
        self.fake.fail_next(503, times=9, path=INTENTS)
        attempts = self._autopay(token)
        self.assertEqual(set(attempts.mapped("state")), {"failed"})
        self.assertIn("Stripe could not be reached", attempts[0].error)
        self.assertEqual(len(self._intent_calls()), 9, "two retries each")
        self.assertFalse(self._new_intents())
        self.assertFalse(attempts.transaction_id.payment_id)
        self.assertEqual(self.invoices.mapped("amount_residual"), [100.0, 200.0, 300.0])
        retried = self._autopay(token, day=1)
        self.assertEqual(set(retried.mapped("state")), {"done"})
        self.assertEqual(set(retried.mapped("attempt_number")), {2})
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 0.0])

    def test_server_errors_retried_then_charged(self):
        """Two 500 answers: the SDK tries again with the same idempotency key
        and the third call charges, once."""
        token = self._stripe_token("card")
        self.fake.fail_next(500, times=2, path=INTENTS)
        tx = self._pay_first_invoice(token)
        self.assertEqual(tx.state, "done")
        calls = self._intent_calls()
        self.assertEqual(len(calls), 3, "two retries")
        keys = {call[3]["idempotency-key"] for call in calls}
        self.assertEqual(len(keys), 1, "the retries carry the first call's key")
        self.assertEqual(
            [intent["description"] for intent in self._new_intents()], [tx.reference]
        )
        tx._post_process()
        self.assertEqual(self.invoices[0].amount_residual, 0.0)

    def test_server_errors_exhausted(self):
        """Stripe unavailable on every try: three calls (two retries), then
        a clear message, no intent, nothing posted."""
        token = self._stripe_token("card")
        self.fake.fail_next(503, times=3, path=INTENTS)
        tx = self._pay_first_invoice(token)
        self.assertEqual(len(self._intent_calls()), 3, "two retries")
        self._assert_nothing_charged(tx, "Stripe could not be reached")
        self.assertFalse(self._new_intents())

    def test_rate_limited(self):
        """429 without Stripe-Should-Retry: the SDK does not retry it; the
        customer is told to try again in a few minutes."""
        token = self._stripe_token("card")
        self.fake.fail_next(429, path=INTENTS)
        tx = self._pay_first_invoice(token)
        self.assertEqual(len(self._intent_calls()), 1)
        self._assert_nothing_charged(tx, "too many requests")

    def test_rate_limited_retried_when_stripe_says_so(self):
        """429 with ``Stripe-Should-Retry: true`` (a lock timeout): retried,
        then charged once."""
        token = self._stripe_token("card")
        self.fake.fail_next(429, path=INTENTS, should_retry=True)
        tx = self._pay_first_invoice(token)
        self.assertEqual(len(self._intent_calls()), 2)
        self.assertEqual(tx.state, "done")

    def test_server_error_on_new_card_form(self):
        """Stock Odoo's own calls (a new card: customer, PaymentIntent) carry
        no idempotency key and are not retried; a 500 gives the customer a
        clear error, not an internal one, and no transaction is left."""
        self.fake.fail_next(500, path="/v1/customers")
        transactions = self.env["payment.transaction"].search_count([])
        self.authenticate("pa_contact", "pa_contact")
        with mute_logger(*MUTE):
            result = self._rpc(
                TRANSACTION,
                {
                    "provider_id": self.stripe.id,
                    "payment_method_id": self.card.id,
                    "token_id": None,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": PAY,
                    "is_validation": False,
                    "amount": 100.0,
                    "currency_id": self.usd.id,
                    "mode": "select",
                    "invoice_ids": self.invoices[:1].ids,
                },
            )
        error = result.get("error")
        self.assertTrue(error, "Stripe's failure is an error")
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
        self.assertIn("Stripe could not be reached", error["data"]["message"])
        self.assertEqual(self.fake.count("POST", "/v1/customers"), 1)
        self.assertFalse(self.fake.count("POST", INTENTS))
        self.env.invalidate_all()
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions)
        self.assertEqual(self.invoices[0].amount_residual, 100.0)

    # === IDEMPOTENCY === #

    def test_idempotency_conflict(self):
        """The same charge sent again gets Stripe's first answer (no second
        intent); sent again with other details under the same key, Stripe
        refuses it (idempotency_error): the transaction is not confirmed,
        nothing is charged again."""
        token = self._stripe_token("card")
        tx = self._offline_tx(token, 20.0, "PA-IDEM-1")
        first = tx._stripe_create_intent()
        self.assertEqual(first["status"], "succeeded")
        self.assertEqual(tx.state, "draft")
        intents = len(self.fake.payment_intents)
        self.assertEqual(tx._stripe_create_intent()["id"], first["id"])
        self.assertEqual(len(self.fake.payment_intents), intents)
        # the amount changed between two tries of the same transaction
        tx.amount = 25.0
        with mute_logger(*MUTE):
            tx._send_payment_request()
        self.assertEqual(len(self.fake.payment_intents), intents)
        self.assertNotEqual(tx.state, "done")
        self.assertEqual(tx.state, "error")
        self.assertIn("nothing was charged again", tx.state_message)
        self.assertEqual(len(self._intent_calls()), 3)
        tx._post_process()
        self.assertFalse(tx.payment_id)

    # === KEYS === #

    def test_restricted_key_without_the_permission(self):
        """A restricted key that may read PaymentIntents but not create them:
        Stripe answers 403 (not retried); the customer reads that the key
        was refused, the reason is only in the log."""
        self.fake.restrict("rk_test_payment_allocation", {"payment_intents": "read"})
        self.stripe.stripe_secret_key = "rk_test_payment_allocation"
        token = self._stripe_token("card")
        tx = self._pay_first_invoice(token)
        self.assertEqual(len(self._intent_calls()), 1)
        self._assert_nothing_charged(tx, "Stripe refused the API key")
        self.assertNotIn("rak_payment_intent_write", tx.state_message)

    def test_restricted_key_with_the_permission(self):
        """A restricted key allowed to create PaymentIntents charges."""
        self.fake.restrict(
            "rk_test_payment_allocation_charges", {"payment_intents": "write"}
        )
        self.stripe.stripe_secret_key = "rk_test_payment_allocation_charges"
        token = self._stripe_token("card")
        tx = self._pay_first_invoice(token)
        self.assertEqual(tx.state, "done")
        authorization = self._intent_calls()[-1][3]["authorization"]
        self.assertEqual(authorization, "Bearer rk_test_payment_allocation_charges")

    def test_restricted_key_cannot_save_a_method(self):
        """A restricted key allowed to charge but not to create customers or
        SetupIntents: saving a card answers Stripe's refusal as an error of
        the form, not an internal error; no validation transaction is left."""
        self.fake.restrict(
            "rk_test_payment_allocation_charges", {"payment_intents": "write"}
        )
        self.stripe.stripe_secret_key = "rk_test_payment_allocation_charges"
        transactions = self.env["payment.transaction"].search_count([])
        self.authenticate("pa_contact", "pa_contact")
        with mute_logger(*MUTE):
            result = self._rpc(
                "/payment/transaction",
                {
                    "provider_id": self.stripe.id,
                    "payment_method_id": self.card.id,
                    "token_id": None,
                    "amount": None,
                    "currency_id": None,
                    "partner_id": self.contact.id,
                    "access_token": self._validation_access_token(self.contact),
                    "flow": "direct",
                    "tokenization_requested": True,
                    "landing_route": "/my/payment_method",
                    "is_validation": True,
                },
            )
        error = result.get("error")
        self.assertTrue(error, "Stripe's refusal is an error")
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
        self.assertIn("required permissions", error["data"]["message"])
        self.assertNotIn("rk_test_payment_allocation_charges", error["data"]["message"])
        self.assertEqual(self.fake.count("POST", "/v1/customers"), 1)
        self.assertFalse(self.fake.count("POST", "/v1/setup_intents"))
        self.env.invalidate_all()
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions)

    def test_unknown_key(self):
        """A key that is neither secret nor restricted (the publishable key
        pasted in its place): Stripe answers 401, the charge fails clearly,
        nothing posted."""
        self.stripe.stripe_secret_key = "pk_test_payment_allocation"
        token = self._stripe_token("card")
        tx = self._pay_first_invoice(token)
        self.assertEqual(len(self._intent_calls()), 1)
        self._assert_nothing_charged(tx, "Stripe refused the API key")

    # === MICRODEPOSITS === #

    def test_verify_bank_account_with_descriptor_code(self):
        """Stripe sent one deposit whose description holds a code: a wrong
        code and amounts are refused with Stripe's reason, the right code
        (typed in the page's form) verifies the account."""
        tx, _intent = self._save_with_stripe_js(
            "us_bank_account", microdeposits="descriptor_code"
        )
        token = tx.token_id
        self.assertEqual(tx.state, "pending")
        self.assertFalse(token.payment_allocation_verified)
        wrong = self._rpc(
            "/my/payment_method/stripe/verify",
            {"token_id": token.id, "descriptor_code": "SM00XX"},
        )
        self.assertIn("does not match", wrong["result"]["error"])
        amounts = self._rpc(
            "/my/payment_method/stripe/verify",
            {"token_id": token.id, "amounts": MICRODEPOSIT_AMOUNTS},
        )
        self.assertIn("descriptor code", amounts["result"]["error"])
        self.assertFalse(token.payment_allocation_verified)
        self.assertEqual(tx.state, "pending")
        right = self.url_open(
            "/my/payment_method/verify",
            data={
                "token_id": token.id,
                "csrf_token": http.Request.csrf_token(self),
                "amount_1": "",
                "amount_2": "",
                "descriptor_code": f" {MICRODEPOSIT_DESCRIPTOR_CODE} ",
            },
            allow_redirects=False,
        )
        self.assertIn(right.status_code, (302, 303))
        self.assertIn("verified=1", right.headers["Location"])
        self.env.invalidate_all()
        self.assertTrue(token.payment_allocation_verified)
        self.assertEqual(tx.state, "done")
        path = f"/v1/setup_intents/{_intent['id']}/verify_microdeposits"
        self.assertEqual(self.fake.count("POST", path), 3)

    def test_verify_while_stripe_is_down(self):
        """Stripe unavailable while verifying: retried, then a clear message;
        the account stays unverified."""
        tx, intent = self._save_with_stripe_js("us_bank_account", microdeposits=True)
        token = tx.token_id
        path = f"/v1/setup_intents/{intent['id']}/verify_microdeposits"
        self.fake.fail_next(503, times=3, path=path)
        with mute_logger(*MUTE):
            result = self._rpc(
                "/my/payment_method/stripe/verify",
                {"token_id": token.id, "amounts": MICRODEPOSIT_AMOUNTS},
            )
        self.assertIn("Stripe could not be reached", result["result"]["error"])
        self.assertEqual(self.fake.count("POST", path), 3)
        self.assertFalse(token.payment_allocation_verified)
        self.assertEqual(tx.state, "pending")

    # === CANCELLING A PAYMENT INTENT (THE STAND-IN AS STRIPE) === #

    def test_cancel_payment_intent(self):
        """Stripe cancels an intent not paid yet and refuses to cancel one
        that succeeded or is processing (``payment_intent_unexpected_state``)."""
        client = self.stripe._payment_allocation_stripe_client()
        customer = client.v1.customers.create({"name": "Cancel"})
        open_intent = client.v1.payment_intents.create(
            {"amount": 1000, "currency": "usd", "customer": customer.id}
        )
        cancelled = client.v1.payment_intents.cancel(
            open_intent.id, {"cancellation_reason": "abandoned"}
        )
        self.assertEqual(cancelled.status, "canceled")
        self.assertEqual(cancelled.cancellation_reason, "abandoned")
        with self.assertRaises(stripe.InvalidRequestError) as again:
            client.v1.payment_intents.cancel(open_intent.id)
        self.assertEqual(again.exception.code, "payment_intent_unexpected_state")
        # Stripe.js cannot confirm it any more
        with self.assertRaises(StripeError):
            self.fake.confirm_payment_intent(open_intent.id)
        for kind, status in (("card", "succeeded"), ("us_bank_account", "processing")):
            tx = self._offline_tx(self._stripe_token(kind), 10.0, f"PA-CANCEL-{kind}")
            tx._send_payment_request()
            self.assertEqual(
                self.fake.payment_intents[tx.provider_reference]["status"], status
            )
            with self.assertRaises(stripe.InvalidRequestError) as refused:
                client.v1.payment_intents.cancel(tx.provider_reference)
            self.assertEqual(refused.exception.code, "payment_intent_unexpected_state")
            self.assertEqual(refused.exception.http_status, 400)
            self.assertEqual(
                self.fake.payment_intents[tx.provider_reference]["status"], status
            )


@tagged("post_install", "-at_install")
class TestStripeApiBase(StripeCommonMixin, HttpCase):
    """``payment_allocation.stripe_api_base`` receives the secret key with
    every call: https, or http on this machine only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stripe()

    def setUp(self):
        super().setUp()
        self.fake.forget()

    def test_accepted_and_refused_addresses(self):
        Param = self.env["ir.config_parameter"].sudo()
        for base in (
            "https://api.stripe.com",
            "https://stripe-proxy.example.com:8443",
            "http://127.0.0.1:12111",
            "http://127.8.9.10",
            "http://localhost:12111/",
            "http://[::1]:12111",
        ):
            Param.set_param(STRIPE_API_BASE_PARAM, base)
            self.assertEqual(
                self.stripe._payment_allocation_stripe_api_base(), base.rstrip("/")
            )
        for base in (
            "http://api.stripe.com",
            "http://10.0.0.5:12111",
            "http://127.0.0.1.example.com",
            "http://localhost@stripe.example.com",
            "https://user:secret@api.stripe.com",
            "http://[::ffff:10.0.0.5]",
            "ftp://127.0.0.1",
            "http://127.0.0.1:99999",
            "api.stripe.com",
        ):
            # a failed write is rolled back, as the request it came with
            with (
                self.assertRaises(ValidationError, msg=base) as refused,
                self.env.cr.savepoint(),
            ):
                Param.set_param(STRIPE_API_BASE_PARAM, base)
            self.assertIn("https", refused.exception.args[0])
            # the same through the system parameter's form
            param = Param.search([("key", "=", STRIPE_API_BASE_PARAM)])
            with self.assertRaises(ValidationError, msg=base), self.env.cr.savepoint():
                param.write({"value": base})
        self.assertEqual(
            Param.get_param(STRIPE_API_BASE_PARAM), "http://[::1]:12111", "unchanged"
        )
        Param.search([("key", "=", STRIPE_API_BASE_PARAM)]).unlink()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Param.create({"key": STRIPE_API_BASE_PARAM, "value": "http://example.com"})

    def test_address_written_by_sql_gets_no_key(self):
        """A refused address written around the check (SQL): no call leaves,
        the charge and Odoo's own calls fail with the reason."""
        self.env.cr.execute(
            "UPDATE ir_config_parameter SET value = %s WHERE key = %s",
            ("http://stripe.example.com", STRIPE_API_BASE_PARAM),
        )
        self.env.registry.clear_cache()
        calls = len(self.fake.calls)
        token = self._stripe_token("card")
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.stripe.id,
                "payment_method_id": self.card.id,
                "token_id": token.id,
                "reference": "PA-BASE-1",
                "amount": 10.0,
                "currency_id": self.usd.id,
                "partner_id": self.contact.id,
                "operation": "offline",
            }
        )
        with (
            mute_logger("odoo.addons.payment_allocation.models.payment_provider"),
            self.assertRaisesRegex(ValidationError, "http://stripe.example.com"),
        ):
            tx._send_payment_request()
        self.assertNotEqual(tx.state, "done")
        with (
            mute_logger("odoo.addons.payment_allocation.models.payment_provider"),
            self.assertRaisesRegex(ValidationError, "is refused"),
        ):
            self.stripe._stripe_make_request("customers", payload={"name": "X"})
        self.assertEqual(len(self.fake.calls), calls, "nothing was sent anywhere")

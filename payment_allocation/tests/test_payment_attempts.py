# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Nobody blocks anybody: an unconfirmed payment attempt (a draft
transaction) blocks no new attempt; the same contact's repeat gets its draft
back, its different attempt supersedes its own drafts; nobody's attempt
cancels another person's; an attempt confirmed all the same is never lost."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import api, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common_saved_methods import SavedMethodsCommonMixin
from .fake_stripe import FakeStripe, StripeError
from .stripe_common import StripeCommonMixin
from .test_payment_rules import PaymentRulesMixin
from .test_portal_payment import PAY, TRANSACTION


def _age(env, tx, hours=1):
    """Make ``tx`` ``hours`` old: an attempt its payer abandoned."""
    env.flush_all()
    env.cr.execute(
        "UPDATE payment_transaction SET create_date = %s WHERE id = %s",
        (fields.Datetime.now() - timedelta(hours=hours), tx.id),
    )
    tx.invalidate_recordset(["create_date"])


@tagged("post_install", "-at_install")
class TestPaymentAttempts(PaymentRulesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rules()
        cls.accountant = cls.env.ref("base.user_admin")
        cls.invoices.invoice_user_id = cls.accountant

    def _start(self, params, route=TRANSACTION):
        result = self._rpc(route, params)
        self.assertNotIn("error", result, result.get("error"))
        return self.env["payment.transaction"].search(
            [("reference", "=", result["result"]["reference"])]
        )

    def _select(self, invoices, amount):
        return self._tx_params(amount, mode="select", invoice_ids=invoices.ids)

    def test_retry_after_abandoned_attempt_works_at_once(self):
        self.authenticate("pa_contact", "pa_contact")
        first = self._start(self._select(self.invoices[:1], 100.0))
        self.assertEqual(first.state, "draft")
        # The invoice is still listed and payable, by every route.
        html = self.url_open(PAY).text
        self.assertIn(f'data-invoice-id="{self.invoices[0].id}"', html)
        self.assertTrue(self.invoices[0].with_user(self.user)._has_to_be_paid())
        # Another amount: a new attempt, the contact's own draft superseded.
        second = self._start(self._select(self.invoices[:2], 300.0))
        self.assertNotEqual(second, first)
        self.assertEqual(first.state, "cancel")
        self.assertTrue(first.payment_allocation_superseded)
        self.assertEqual(second.state, "draft")
        # An abandoned identical one is not given back: superseded too.
        _age(self.env, second)
        third = self._start(self._select(self.invoices[:2], 300.0))
        self.assertNotEqual(third, second)
        self.assertEqual(second.state, "cancel")

    def test_identical_repeat_returns_the_same_draft(self):
        self.authenticate("pa_contact", "pa_contact")
        params = self._select(self.invoices[:2], 300.0)
        first = self._start(params)
        before = self._tx_count()
        self.assertEqual(self._start(params), first)
        self.assertEqual(self._tx_count(), before, "no second transaction")
        self.assertEqual(first.state, "draft")
        # The same on the invoice page.
        invoice = self.invoices[2]
        route = f"/invoice/transaction/{invoice.id}"
        on_page = self._start(self._invoice_params(invoice, 300.0), route=route)
        self.assertEqual(
            self._start(self._invoice_params(invoice, 300.0), route=route), on_page
        )
        # Another amount is another attempt: the draft is superseded.
        other = self._start(self._invoice_params(invoice, 200.0), route=route)
        self.assertNotEqual(other, on_page)
        self.assertEqual(on_page.state, "cancel")
        self.assertEqual(other.state, "draft")

    def test_stranger_attempt_never_blocks_the_customer(self):
        invoice = self.invoices[0]
        # Anyone holding the share link starts 0.01 and walks away.
        self.authenticate(None, None)
        stranger = self._start(
            self._invoice_params(invoice, 0.01),
            route=f"/invoice/transaction/{invoice.id}",
        )
        self.assertEqual(stranger.state, "draft")
        # And again: still nothing blocked, nothing of it cancelled.
        again = self._start(
            self._invoice_params(invoice, 0.01),
            route=f"/invoice/transaction/{invoice.id}",
        )
        self.assertEqual(stranger.state, "draft")
        # A colleague of the customer started one too.
        self.authenticate("pa_colleague", "pa_colleague")
        colleague = self._start(self._select(invoice, 100.0))
        # The customer pays at once, on every route.
        self.authenticate("pa_contact", "pa_contact")
        html = self.url_open(PAY).text
        self.assertIn(f'data-invoice-id="{invoice.id}"', html)
        html = self.url_open(invoice.get_portal_url()).text
        self.assertIn("o_payment_form", html)
        tx = self._pay(100.0, mode="select", invoice_ids=invoice.ids)
        self.assertEqual(invoice.amount_residual, 0.0)
        # Nobody's attempt was cancelled by another person's.
        self.assertEqual((stranger | again | colleague).mapped("state"), ["draft"] * 3)
        self.assertEqual(tx.state, "done")

    def test_pending_attempt_still_blocks(self):
        self.authenticate("pa_contact", "pa_contact")
        tx = self._start(self._select(self.invoices[:1], 100.0))
        tx._set_pending()
        self._assert_refused(self._select(self.invoices[:1], 100.0), "being processed")
        self.authenticate("pa_colleague", "pa_colleague")
        self._assert_refused(self._select(self.invoices[:1], 100.0), "being processed")

    def test_late_confirmation_of_superseded_attempt_becomes_credit(self):
        self.authenticate("pa_contact", "pa_contact")
        first = self._start(self._select(self.invoices[:1], 100.0))
        # The contact tries again with two invoices and pays them.
        second = self._pay(300.0, mode="select", invoice_ids=self.invoices[:2].ids)
        self.assertEqual(first.state, "cancel")
        self.assertEqual(self.invoices[:2].mapped("amount_residual"), [0.0, 0.0])
        # The provider confirms the first attempt all the same.
        first._set_done()
        self.assertEqual(first.state, "done")
        first._post_process()
        payment = first.payment_id
        self.assertEqual(payment.move_id.state, "posted")
        self.assertEqual(payment.amount, 100.0)
        self.assertEqual(payment.partner_id, self.customer)
        self.assertEqual(first.payment_allocation_credit, 100.0)
        self.assertTrue(first.payment_allocation_reallocated)
        self.assertEqual(second.payment_allocation_credit, 0.0)
        # The customer's unapplied credit, on /my and to apply.
        Move = self.env["account.move"].with_user(self.user)
        [overview] = Move._portal_account_overview()
        self.assertEqual(overview["unapplied_credit"], 100.0)
        credits = Move._payment_allocation_credit_totals(self.customer)
        self.assertEqual(credits[(self.currency, self.company)], 100.0)
        plan = (
            self.invoices[2]
            .with_user(self.user)
            ._payment_allocation_payment_plan(use_credit=True)
        )
        self.assertEqual(plan["credit"], 100.0)
        # The back office is told.
        activity = payment.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.accountant)
        self.assertIn(first.reference, activity.note)
        self.assertFalse(second.payment_id.activity_ids)

    def test_late_confirmation_of_a_strangers_attempt_becomes_credit(self):
        invoice = self.invoices[0]
        route = f"/invoice/transaction/{invoice.id}"
        self.authenticate(None, None)
        stranger = self._start(self._invoice_params(invoice, 100.0), route=route)
        self.authenticate("pa_contact", "pa_contact")
        self._pay(100.0, mode="select", invoice_ids=invoice.ids)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(stranger.state, "draft")
        # The visitor completes its payment later: nothing is lost.
        stranger._set_done()
        stranger._post_process()
        payment = stranger.payment_id
        self.assertEqual(payment.move_id.state, "posted")
        self.assertEqual(payment.partner_id, self.customer)
        [overview] = (
            self.env["account.move"].with_user(self.user)._portal_account_overview()
        )
        self.assertEqual(overview["unapplied_credit"], 100.0)
        self.assertEqual(payment.activity_ids.user_id, self.accountant)


class StrictFakeStripe(FakeStripe):
    """Stripe refuses to cancel a PaymentIntent that succeeded or is
    processing (``payment_intent_unexpected_state``)."""

    def _route(self, method, path, params):
        parts = path.strip("/").split("/")
        if (
            method == "POST"
            and parts[1:2] == ["payment_intents"]
            and parts[3:] == ["cancel"]
        ):
            intent = self._get(self.payment_intents, parts[2])
            if intent["status"] in ("succeeded", "processing", "canceled"):
                raise StripeError(
                    400,
                    "You cannot cancel this PaymentIntent because it has a "
                    f"status of {intent['status']}.",
                    "payment_intent_unexpected_state",
                    payment_intent=intent,
                )
        return super()._route(method, path, params)


@tagged("post_install", "-at_install")
class TestStripePaymentAttempts(StripeCommonMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stripe()
        # Stripe's refusals to cancel (the shared stand-in accepts them).
        cls.fake.stop()
        cls.fake = StrictFakeStripe().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.env["ir.config_parameter"].sudo().set_param(
            "payment_allocation.stripe_api_base", cls.fake.url
        )
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])

    def _direct(self, method, amount, invoices):
        self.authenticate("pa_contact", "pa_contact")
        result = self._rpc(
            TRANSACTION,
            {
                "provider_id": self.stripe.id,
                "payment_method_id": method.id,
                "token_id": None,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": PAY,
                "is_validation": False,
                "amount": amount,
                "currency_id": self.usd.id,
                "mode": "select",
                "invoice_ids": invoices.ids,
            },
        )
        return result

    def _start(self, method, amount, invoices):
        result = self._direct(method, amount, invoices)
        self.assertNotIn("error", result, result.get("error"))
        values = result["result"]
        return self._tx(values["reference"]), values["client_secret"]

    def _intents_created(self):
        return self.fake.paths("POST").count("/v1/payment_intents")

    def test_repeat_reuses_and_new_attempt_cancels_the_intent(self):
        tx, secret = self._start(self.card, 100.0, self.invoices[:1])
        intent_id = secret.split("_secret_")[0]
        self.assertEqual(tx.payment_allocation_stripe_intent_id, intent_id)
        created = self._intents_created()
        # The same submission: the same transaction and PaymentIntent.
        again, again_secret = self._start(self.card, 100.0, self.invoices[:1])
        self.assertEqual(again, tx)
        self.assertEqual(again_secret, secret)
        self.assertEqual(self._intents_created(), created)
        # By bank account instead: the card attempt is superseded.
        ach_tx, ach_secret = self._start(self.ach, 100.0, self.invoices[:1])
        self.assertNotEqual(ach_tx, tx)
        self.assertEqual(tx.state, "cancel")
        self.assertIn(
            f"/v1/payment_intents/{intent_id}/cancel", self.fake.paths("POST")
        )
        self.assertEqual(self.fake.payment_intents[intent_id]["status"], "canceled")
        self.assertEqual(
            ach_tx.payment_allocation_stripe_intent_id,
            ach_secret.split("_secret_")[0],
        )
        # The new one is paid as usual.
        ach_intent = ach_tx.payment_allocation_stripe_intent_id
        self.fake.confirm_payment_intent(ach_intent, "us_bank_account")
        self.url_open(
            f"/payment/stripe/return?reference={ach_tx.reference}"
            f"&payment_intent={ach_intent}",
            allow_redirects=False,
        )
        self.env.invalidate_all()
        self.assertEqual(ach_tx.state, "pending")

    def test_attempt_confirmed_at_stripe_is_not_cancelled(self):
        """The customer's card went through but the return never reached
        Odoo: a new attempt is refused (no double charge), the first one is
        left as it is and confirms normally."""
        tx, secret = self._start(self.card, 100.0, self.invoices[:1])
        intent_id = secret.split("_secret_")[0]
        self.fake.confirm_payment_intent(intent_id, "card")
        with mute_logger("odoo.http"):
            result = self._direct(self.card, 300.0, self.invoices[:2])
        self.assertIn("error", result)
        self.assertIn("went through", result["error"]["data"]["message"])
        self.assertEqual(tx.state, "draft")
        self.assertEqual(self.fake.payment_intents[intent_id]["status"], "succeeded")
        intent = self.fake.payment_intents[intent_id]
        response = self._send(self.fake.event("payment_intent.succeeded", intent))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertEqual(self.invoices[0].amount_residual, 0.0)

    def test_failed_bank_debit_ends_its_payment_cancelled(self):
        """Payment register, saved bank account: the debit fails after
        processing; the waiting payment is cancelled by the event itself,
        never left "In Process" with a draft journal entry."""
        token = self._stripe_token("us_bank_account")
        invoice = self.invoices[0]
        line = self.stripe.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == self.stripe
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "journal_id": self.stripe.journal_id.id,
                "payment_method_line_id": line.id,
                "payment_token_id": token.id,
            }
        )._create_payments()
        payment = self.env["account.payment"].search(
            [("payment_token_id", "=", token.id)]
        )
        tx = payment.payment_transaction_id
        self.assertEqual(tx.state, "pending")
        intent = self.fake.settle(tx.provider_reference, succeeded=False)
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            self._send(self.fake.event("payment_intent.payment_failed", intent))
        # no post-processing job ran
        self.assertFalse(tx.is_post_processed)
        self.assertEqual(tx.state, "error")
        self.assertEqual(payment.state, "canceled")
        self.assertFalse(
            payment.move_id.filtered(lambda move: move.state != "cancel"),
            "no draft or posted journal entry left",
        )
        self.assertEqual(invoice.amount_residual, 100.0)
        tx._post_process()
        self.assertEqual(payment.state, "canceled")


@tagged("post_install", "-at_install")
class TestAutopayAndAttempts(SavedMethodsCommonMixin, TransactionCase):
    """Autopay is no person: a fresh unconfirmed attempt means someone is
    paying the invoice right now; an abandoned one no longer counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls._stop_other_autopay()
        cls.contact.portal_invoice_access = "company"
        cls.token = cls._create_demo_token(cls.contact)
        cls.Attempt = cls.env["payment.allocation.autopay.attempt"]
        cls.invoices = cls._create_invoices(cls.customer, [100.0], start_days=-2)
        cls.customer._payment_allocation_autopay_opt_in(cls.token, user=cls.user)

    def test_autopay_skips_fresh_attempt_and_charges_after_it_is_abandoned(self):
        draft = self._create_allocated_transaction(self.invoices)
        today = fields.Date.context_today(self.Attempt)
        with freeze_time(today):
            self.assertFalse(self.Attempt._payment_allocation_autopay_run())
        self.assertEqual(self.invoices.amount_residual, 100.0)
        _age(self.env, draft)
        with freeze_time(today + timedelta(days=1)):
            attempts = self.Attempt._payment_allocation_autopay_run()
        self.assertEqual(attempts.move_id, self.invoices)
        self.assertEqual(attempts.state, "done")
        self.assertEqual(self.invoices.amount_residual, 0.0)
        self.assertEqual(draft.state, "draft", "not a person's: not cancelled")


@tagged("post_install", "-at_install")
class TestSimultaneousAttempts(TransactionCase):
    """Two submissions at the same moment, in two database transactions: the
    first holds the invoices until it commits, the second is refused at
    once; repeated afterwards, it gets the first one's draft. The invoice must
    be committed for the other connection to see it: the demo data's is."""

    def test_two_simultaneous_submissions_create_one_transaction(self):
        invoice = self.env.ref(
            "customer_portal_invoices.inv_harbor_01", raise_if_not_found=False
        )
        self.assertTrue(invoice, "the test runner installs the demo data")
        provider = self.env.ref("payment.payment_provider_demo")
        user = self.env.ref("base.user_admin")
        params = {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "token_id": None,
            "amount": invoice.amount_total,
            "currency_id": invoice.currency_id.id,
            "partner_id": user.partner_id.id,
            "flow": "direct",
            "tokenization_requested": False,
        }

        def submit(cr):
            """What `_create_transaction` does for a submission."""
            env = api.Environment(cr, user.id, {})
            moves = env["account.move"].browse(invoice.id)
            moves._payment_allocation_lock()
            Transaction = env["payment.transaction"].sudo()
            create_values = {"invoice_ids": [(6, 0, moves.ids)]}
            reused = Transaction._payment_allocation_reuse_or_supersede(
                moves, env.user, params, create_values
            )
            if reused:
                return reused
            return Transaction.create(
                {
                    "provider_id": params["provider_id"],
                    "payment_method_id": params["payment_method_id"],
                    "reference": Transaction._compute_reference(
                        "demo", prefix="PA-SIMULTANEOUS"
                    ),
                    "amount": params["amount"],
                    "currency_id": params["currency_id"],
                    "partner_id": params["partner_id"],
                    "operation": "online_direct",
                    **create_values,
                }
            )

        created = []
        try:
            # a cursor commits when its block ends without an error
            with self.registry.cursor() as second_cr:
                with self.registry.cursor() as first_cr:
                    first = submit(first_cr)
                    created.append(first.id)
                    # at the same moment, in another transaction
                    with self.assertRaisesRegex(UserError, "being made right now"):
                        submit(second_cr)
                    second_cr.rollback()
                # the second one submitted again once the first is stored
                second = submit(second_cr)
                self.assertEqual(second.id, first.id)
                second_cr.rollback()
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, user.id, {})
                env["payment.transaction"].sudo().browse(created).exists().unlink()

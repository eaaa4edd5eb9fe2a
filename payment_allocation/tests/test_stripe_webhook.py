# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
import time

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.payment_provider import STRIPE_API_BASE_PARAM
from .stripe_common import PAY, StripeCommonMixin

MUTE = (
    "odoo.addons.payment_allocation.controllers.stripe",
    "odoo.addons.payment_allocation.models.payment_transaction",
    "odoo.addons.payment_stripe.controllers.main",
    "odoo.http",
)


@tagged("post_install", "-at_install")
class TestStripeWebhook(StripeCommonMixin, HttpCase):
    """Only signed, recent, matching and new Stripe events change anything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stripe()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0])

    def setUp(self):
        super().setUp()
        self.token = self._stripe_token("us_bank_account")
        self.authenticate("pa_contact", "pa_contact")
        self.tx = self._pay_with_token(
            self.token,
            100.0,
            mode="select",
            invoice_ids=self.invoices[:1].ids,
            currency_id=self.usd.id,
        )
        self.assertEqual(self.tx.state, "pending")
        self.intent = self.fake.settle(self.tx.provider_reference)

    def _refused(self, event, status, **kwargs):
        with mute_logger(*MUTE):
            response = self._send(event, **kwargs)
        self.assertEqual(response.status_code, status)
        self.assertEqual(self.tx.state, "pending", "nothing changed")

    def test_signed_event_confirms(self):
        response = self._send(self.fake.event("payment_intent.succeeded", self.intent))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.tx.state, "done")

    def test_no_webhook_secret(self):
        self.stripe.stripe_webhook_secret = False
        event = self.fake.event("payment_intent.succeeded", self.intent)
        self._refused(event, 403, secret=None)
        # signed with any secret: still nothing, no secret to check it with
        self._refused(event, 403, secret="whsec_guess")

    def test_bad_signature(self):
        event = self.fake.event("payment_intent.succeeded", self.intent)
        self._refused(event, 403, secret="whsec_wrong")
        self._refused(event, 403, header="t=123,v1=deadbeef")

    def test_stale_event(self):
        event = self.fake.event("payment_intent.succeeded", self.intent)
        self._refused(event, 403, timestamp=int(time.time()) - 3600)

    def test_wrong_amount(self):
        intent = dict(self.intent, amount=self.intent["amount"] - 1)
        self._refused(self.fake.event("payment_intent.succeeded", intent), 200)

    def test_wrong_currency(self):
        intent = dict(self.intent, currency="eur")
        self._refused(self.fake.event("payment_intent.succeeded", intent), 200)

    def test_other_transactions_intent(self):
        intent = dict(self.intent, id="pi_someone_else")
        self._refused(self.fake.event("payment_intent.succeeded", intent), 200)

    def test_replay(self):
        failed = self.fake.settle(self.tx.provider_reference, succeeded=False)
        event = self.fake.event("payment_intent.payment_failed", failed)
        with mute_logger(*MUTE):
            self._send(event)
        self.assertEqual(self.tx.state, "error")
        messages = self.invoices[0].message_ids
        with mute_logger(*MUTE):
            response = self._send(event)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.invoices[0].message_ids, messages, "told once")
        Event = self.env["payment.allocation.stripe.event"].sudo()
        self.assertEqual(Event.search_count([("event_id", "=", event["id"])]), 1)


@tagged("post_install", "-at_install")
class TestStripeSettings(StripeCommonMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_stripe()
        cls.invoices = cls._create_invoices(cls.customer, [100.0])

    def test_api_base_reaches_odoo_and_sdk_calls(self):
        before = len(self.fake.calls)
        customer = self.stripe._stripe_make_request(
            "customers", payload={"name": "Direct", "email": None}
        )
        self.assertTrue(customer["id"].startswith("cus_fake"))
        self.assertEqual(self.fake.calls[before][1], "/v1/customers")
        self.assertEqual(self.fake.calls[before][2], {"name": "Direct"})
        token = self._stripe_token("card")
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.stripe.id,
                "payment_method_id": self.card.id,
                "token_id": token.id,
                "reference": "PA-SDK-1",
                "amount": 12.5,
                "currency_id": self.usd.id,
                "partner_id": self.contact.id,
                "operation": "offline",
            }
        )
        tx._send_payment_request()
        method, path, params, headers = self.fake.calls[-1]
        self.assertEqual((method, path), ("POST", "/v1/payment_intents"))
        self.assertEqual(params["amount"], "1250")
        self.assertEqual(headers["stripe-version"], "2019-05-16")
        self.assertIn("idempotency-key", headers)
        self.assertEqual(tx.state, "done")
        # the same charge sent again is answered from the idempotency key
        intents = len(self.fake.payment_intents)
        tx._stripe_create_intent()
        self.assertEqual(len(self.fake.payment_intents), intents)
        # Stripe's own server by default
        self.env["ir.config_parameter"].sudo().set_param(STRIPE_API_BASE_PARAM, "")
        self.assertEqual(
            self.stripe._payment_allocation_stripe_api_base(), "https://api.stripe.com"
        )

    def test_unverified_bank_account_is_not_charged(self):
        token = self._stripe_token("us_bank_account", payment_allocation_verified=False)
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.stripe.id,
                "payment_method_id": self.ach.id,
                "token_id": token.id,
                "reference": "PA-UNVERIFIED-1",
                "amount": 10.0,
                "currency_id": self.usd.id,
                "partner_id": self.contact.id,
                "operation": "offline",
            }
        )
        calls = len(self.fake.calls)
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            tx._send_payment_request()
        self.assertEqual(tx.state, "error")
        self.assertIn("not verified", tx.state_message)
        self.assertEqual(len(self.fake.calls), calls, "Stripe was not asked")

    def test_ach_switch_hides_ach(self):
        token = self._stripe_token("us_bank_account")
        Method = self.env["payment.method"].with_user(self.user)
        Token = self.env["payment.token"].with_user(self.user)
        self.authenticate("pa_contact", "pa_contact")
        page = self.url_open(PAY).text
        self.assertIn('data-payment-method-code="ach_direct_debit"', page)
        manage = self.url_open("/my/payment_method").text
        self.assertIn('data-payment-method-code="ach_direct_debit"', manage)
        self.assertIn(
            token, Token._get_available_tokens(self.stripe.ids, self.contact.id)
        )
        # the customer may not pay by bank account
        self.customer.payment_allocation_ach = "refused"
        page = self.url_open(PAY).text
        self.assertNotIn('data-payment-method-code="ach_direct_debit"', page)
        self.assertIn('data-payment-method-code="card"', page)
        manage = self.url_open("/my/payment_method").text
        self.assertNotIn('data-payment-method-code="ach_direct_debit"', manage)
        self.assertNotIn(
            self.ach,
            Method._get_compatible_payment_methods(
                self.stripe.ids, self.contact.id, currency_id=self.usd.id
            ),
        )
        self.assertNotIn(
            token, Token._get_available_tokens(self.stripe.ids, self.contact.id)
        )
        with mute_logger("odoo.http"):
            result = self._rpc(
                "/my/invoices/pay/transaction",
                {
                    "provider_id": self.stripe.id,
                    "payment_method_id": self.ach.id,
                    "token_id": token.id,
                    "flow": "token",
                    "tokenization_requested": False,
                    "landing_route": PAY,
                    "is_validation": False,
                    "amount": 100.0,
                    "mode": "select",
                    "invoice_ids": self.invoices.ids,
                    "currency_id": self.usd.id,
                },
            )
        self.assertIn("error", result)
        # company default off, customer on "Company Default": no ACH either
        self.customer.payment_allocation_ach = "default"
        self.company.payment_allocation_ach_default = False
        self.assertFalse(self.contact._payment_allocation_ach_allowed())
        self.customer.payment_allocation_ach = "allowed"
        self.assertTrue(self.contact._payment_allocation_ach_allowed())

    def test_ach_tokens_follow_sharing_rule(self):
        sibling = self.env["res.partner"].create(
            {
                "name": "Sibling Contact",
                "parent_id": self.customer.id,
                "portal_invoice_access": "company",
            }
        )
        token = self._stripe_token("us_bank_account", partner=sibling)
        self.company.payment_allocation_share_tokens = False
        self.assertTrue(token._payment_allocation_use_error(self.user))
        self.company.payment_allocation_share_tokens = True
        self.assertFalse(token._payment_allocation_use_error(self.user))

    def _ach_as_odoo_ships_it(self):
        self.stripe.payment_method_ids = [Command.unlink(self.ach.id)]
        self.env.cr.execute(
            "UPDATE payment_method SET active = FALSE, support_tokenization = FALSE"
            " WHERE id = %s",
            (self.ach.id,),
        )
        self.env.invalidate_all()
        self.assertFalse(self.ach.support_tokenization)

    def _assert_ach_on(self):
        self.assertTrue(self.ach.active)
        self.assertTrue(self.ach.support_tokenization)
        self.assertIn(self.ach, self.stripe.payment_method_ids)

    def test_ach_switched_on_by_install_hook(self):
        from ..hooks import post_init_hook

        self._ach_as_odoo_ships_it()
        post_init_hook(self.env)
        self._assert_ach_on()

    def test_ach_switched_on_when_stripe_is_enabled_later(self):
        from ..hooks import post_init_hook

        self.stripe.state = "disabled"
        self._ach_as_odoo_ships_it()
        post_init_hook(self.env)
        self.assertFalse(self.ach.active, "no enabled provider: Odoo refuses it")
        self.assertTrue(self.ach.support_tokenization)
        self.stripe.state = "test"
        self._assert_ach_on()

    def test_ach_switched_on_by_upgrade(self):
        path = (
            get_module_path("payment_allocation")
            + "/migrations/18.0.1.2.0/post-migrate.py"
        )
        spec = importlib.util.spec_from_file_location("pa_post_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self._ach_as_odoo_ships_it()
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self._assert_ach_on()

    def test_ach_enabled_on_install(self):
        self.assertTrue(self.ach.support_tokenization)
        self.assertIn(
            self.ach, self.stripe.with_context(active_test=False).payment_method_ids
        )
        self.assertIn(
            "ach_direct_debit", self.stripe._get_default_payment_method_codes()
        )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.urls import url_encode

from odoo import Command
from odoo.tools import hmac as hmac_tool

from odoo.addons.customer_portal_invoices.tests.common import JsonRpcMixin

from ..models.payment_provider import STRIPE_API_BASE_PARAM
from .common import PaymentAllocationCommonMixin
from .fake_stripe import FakeStripe

WEBHOOK = "/payment/stripe/webhook"
WEBHOOK_SECRET = "whsec_payment_allocation_tests"
PAY = "/my/invoices/pay"
TRANSACTION = "/my/invoices/pay/transaction"


class StripeCommonMixin(JsonRpcMixin, PaymentAllocationCommonMixin):
    """The Stripe provider in test mode, talking to a fake Stripe on loopback
    (``payment_allocation.stripe_api_base``), customers in the US paying in
    USD, a card and an ACH bank account."""

    @classmethod
    def _setup_stripe(cls):
        cls._setup_payment_allocation()
        cls.fake = FakeStripe().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.env["ir.config_parameter"].sudo().set_param(
            STRIPE_API_BASE_PARAM, cls.fake.url
        )
        cls.usd = cls.env.ref("base.USD")
        cls.us = cls.env.ref("base.us")
        cls.company.write({"country_id": cls.us.id})
        cls.usd.active = True
        cls.currency = cls.usd
        cls.card = cls.env.ref("payment.payment_method_card")
        cls.ach = cls.env.ref("payment.payment_method_ach_direct_debit").with_context(
            active_test=False
        )
        cls.stripe = cls.env.ref("payment.payment_provider_stripe")
        cls.stripe.write(
            {
                "state": "test",
                "is_published": True,
                "company_id": cls.company.id,
                "stripe_secret_key": "sk_test_payment_allocation",
                "stripe_publishable_key": "pk_test_payment_allocation",
                "stripe_webhook_secret": WEBHOOK_SECRET,
                "allow_tokenization": True,
                "payment_method_ids": [Command.set((cls.card | cls.ach).ids)],
            }
        )
        cls.ach.active = True
        cls.card.active = True
        (cls.customer | cls.contact).write({"country_id": cls.us.id})
        cls.contact.portal_invoice_access = "company"

    @classmethod
    def _stripe_token(cls, kind="card", partner=None, number=None, **values):
        """A saved card (of Stripe test card ``number``) or bank account known
        to the fake Stripe."""
        customer_id, method_id, mandate_id = cls.fake.save_method(kind, number=number)
        method = cls.ach if kind == "us_bank_account" else cls.card
        return cls.env["payment.token"].create(
            {
                "provider_id": cls.stripe.id,
                "payment_method_id": method.id,
                "partner_id": (partner or cls.contact).id,
                "payment_details": "6789" if kind == "us_bank_account" else "4242",
                "provider_ref": customer_id,
                "stripe_payment_method": method_id,
                "stripe_mandate": mandate_id,
                **values,
            }
        )

    def _webhook_url(self):
        return self.base_url() + WEBHOOK

    def _send(self, event, **kwargs):
        kwargs.setdefault("secret", WEBHOOK_SECRET)
        # the server reads the records through the shared test cursor
        self.env.flush_all()
        response = self.fake.send_event(self._webhook_url(), event, **kwargs)
        # the server changed the records through the shared test cursor
        self.env.invalidate_all()
        return response

    def _tx(self, reference):
        return (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", reference)])
        )

    def _pay_with_token(self, token, amount, **selection):
        """Pay the selection with ``token`` through the Make a Payment page's
        route, as the payment form does; return the transaction."""
        result = self._rpc(
            TRANSACTION,
            {
                "provider_id": token.provider_id.id,
                "payment_method_id": token.payment_method_id.id,
                "token_id": token.id,
                "flow": "token",
                "tokenization_requested": False,
                "landing_route": PAY,
                "is_validation": False,
                "amount": amount,
                **selection,
            },
        )
        self.assertNotIn("error", result, result.get("error"))
        return self._tx(result["result"]["reference"])

    def _validation_access_token(self, partner):
        # as payment.utils.generate_access_token, outside of a request
        return hmac_tool(
            self.env(su=True), "generate_access_token", f"{partner.id}|None|None"
        )

    def _save_with_stripe_js(self, kind, microdeposits=False, **confirm):
        """Save a method on /my/payment_method as the form does: create the
        validation transaction, confirm its SetupIntent as Stripe.js would
        (``confirm``: see ``FakeStripe.confirm_setup_intent``), come back
        through Stripe's return route.

        :return: ``(validation transaction, the SetupIntent as created)``
        """
        self.authenticate("pa_contact", "pa_contact")
        method = self.ach if kind == "us_bank_account" else self.card
        result = self._rpc(
            "/payment/transaction",
            {
                "provider_id": self.stripe.id,
                "payment_method_id": method.id,
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
        self.assertNotIn("error", result, result.get("error"))
        values = result["result"]
        setup_intent_id = values["client_secret"].split("_secret_")[0]
        created = dict(self.fake.setup_intents[setup_intent_id])
        self.fake.confirm_setup_intent(
            setup_intent_id, kind, microdeposits=microdeposits, **confirm
        )
        self.env.flush_all()
        response = self.url_open(
            "/payment/stripe/return?"
            + url_encode(
                {"reference": values["reference"], "setup_intent": setup_intent_id}
            ),
            allow_redirects=False,
        )
        self.env.invalidate_all()
        self.assertIn(response.status_code, (302, 303))
        return self._tx(values["reference"]), created

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import stripe
from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.payment_stripe import utils as stripe_utils
from odoo.addons.payment_stripe.controllers.main import StripeController

_logger = logging.getLogger(__name__)

VERIFY_ROUTE = "/my/payment_method/stripe/verify"
# A payment that succeeded, returned or disputed afterwards (an ACH debit the
# customer's bank returns arrives as a dispute).
RETURN_EVENTS = ("charge.dispute.created",)


class PaymentAllocationStripeController(StripeController):
    """Signed webhooks only, verified with the official SDK; each event
    processed once."""

    # Stripe's own tolerance for the age of a signed event.
    WEBHOOK_AGE_TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE

    @http.route()
    def stripe_webhook(self):
        """Override of `payment_stripe`: a payment returned or disputed after
        it succeeded reopens its invoices (same checks as every event)."""
        event = request.get_json_data()
        if event.get("type") not in RETURN_EVENTS:
            return super().stripe_webhook()
        dispute = (event.get("data") or {}).get("object") or {}
        tx_sudo = (
            request.env["payment.transaction"]
            .sudo()
            ._payment_allocation_from_stripe_intent(dispute.get("payment_intent"))
        )
        if tx_sudo:
            try:
                self._verify_notification_signature(tx_sudo)
                tx_sudo._payment_allocation_stripe_returned(dispute)
            except ValidationError:
                _logger.exception("Stripe event %s ignored.", event.get("id"))
        return request.make_json_response("")

    @staticmethod
    def _include_payment_intent_in_notification_data(payment_intent, notification_data):
        """Override of `payment_stripe`, for the PaymentIntents that reach
        Odoo from outside (the webhook, the return route's intent id): one
        whose reference, amount or currency differs from the transaction's
        never confirms it (`payment.transaction.
        _payment_allocation_check_stripe_intent` raises)."""
        reference = notification_data.get("reference")
        if reference and isinstance(payment_intent, dict):
            tx_sudo = (
                request.env["payment.transaction"]
                .sudo()
                .search(
                    [("reference", "=", reference), ("provider_code", "=", "stripe")],
                    limit=1,
                )
            )
            if tx_sudo and tx_sudo.operation not in ("refund", "validation"):
                tx_sudo._payment_allocation_check_stripe_intent(payment_intent)
        StripeController._include_payment_intent_in_notification_data(
            payment_intent, notification_data
        )

    def _verify_notification_signature(self, tx_sudo):
        """Override of `payment_stripe`: an event changes nothing unless it is
        signed with the provider's webhook secret (none set: refused, where
        Odoo would accept it), not older than Stripe's tolerance, and not
        processed before (a replay is acknowledged and ignored).

        :raise Forbidden: unsigned, badly signed or stale events.
        :raise ValidationError: a replayed event (acknowledged by the caller).
        """
        provider_sudo = tx_sudo.provider_id.sudo()
        try:
            # Odoo's own check first (it accepts anything without a secret)
            super()._verify_notification_signature(tx_sudo)
        except (KeyError, ValueError):
            # no or malformed Stripe-Signature header
            _logger.warning("Stripe event refused: malformed signature header.")
            raise Forbidden() from None
        return self._payment_allocation_verify_event(provider_sudo)

    def _payment_allocation_verify_event(self, provider_sudo):
        """The event of the request is signed with the provider's webhook
        secret, recent, and new (see `_verify_notification_signature`)."""
        secret = stripe_utils.get_webhook_secret(provider_sudo)
        if not secret:
            _logger.warning(
                "Stripe event refused: provider %s has no webhook signing secret.",
                provider_sudo.id,
            )
            raise Forbidden()
        try:
            stripe.WebhookSignature.verify_header(
                request.httprequest.get_data(as_text=True),
                request.httprequest.headers.get("Stripe-Signature"),
                secret,
                tolerance=self.WEBHOOK_AGE_TOLERANCE,
            )
        except stripe.SignatureVerificationError as error:
            _logger.warning("Stripe event refused: %s", error)
            raise Forbidden() from None
        event = request.get_json_data()
        Event = request.env["payment.allocation.stripe.event"].sudo()
        if not event.get("id") or not Event._payment_allocation_register(
            event["id"], event.get("type"), provider_sudo
        ):
            raise ValidationError(
                request.env._(
                    "Stripe: event %(event)s already processed, ignored.",
                    event=event.get("id"),
                )
            )
        return True


class PaymentAllocationStripePortal(http.Controller):
    @http.route(VERIFY_ROUTE, type="json", auth="user")
    def payment_allocation_stripe_verify(
        self, token_id=None, amounts=None, descriptor_code=None, **kwargs
    ):
        """Verify a bank account saved with microdeposits: the customer types
        the amounts (in cents) of the two deposits, or the descriptor code."""
        env = request.env
        token = env["payment.token"].browse(
            env["account.move"]._payment_allocation_cast_id(token_id) or []
        )
        try:
            token._payment_allocation_verify_as(
                env.user, amounts=amounts, descriptor_code=descriptor_code
            )
        except UserError as error:
            return {"error": error.args[0]}
        return {"verified": True}

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


class PaymentAllocationStripeController(StripeController):
    """Signed webhooks only, verified with the official SDK; each event
    processed once."""

    # Stripe's own tolerance for the age of a signed event.
    WEBHOOK_AGE_TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE

    def _verify_notification_signature(self, tx_sudo):
        """Override of `payment_stripe`: an event changes nothing unless it is
        signed with the provider's webhook secret (none set: refused, where
        Odoo would accept it), not older than Stripe's tolerance, and not
        processed before (a replay is acknowledged and ignored).

        :raise Forbidden: unsigned, badly signed or stale events.
        :raise ValidationError: a replayed event (acknowledged by the caller).
        """
        provider_sudo = tx_sudo.provider_id.sudo()
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
        super()._verify_notification_signature(tx_sudo)
        event = request.get_json_data()
        Event = request.env["payment.allocation.stripe.event"].sudo()
        if not event.get("id") or not Event._payment_allocation_register(
            event["id"], event.get("type"), provider_sudo
        ):
            raise ValidationError(
                f"Stripe: event {event.get('id')} already processed, ignored."
            )


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
        error = (
            token._payment_allocation_use_error(env.user, for_payment=False)
            if token
            else env._("You may not use this saved payment method.")
        )
        if error:
            return {"error": error}
        try:
            # sudo: portal users cannot write tokens; the rule above allowed it
            token.sudo()._payment_allocation_verify_microdeposits(
                amounts=amounts, descriptor_code=descriptor_code
            )
        except UserError as error:
            return {"error": error.args[0]}
        return {"verified": True}

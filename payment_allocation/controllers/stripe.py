# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

import stripe
from werkzeug.exceptions import BadRequest, Forbidden

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.payment_stripe import utils as stripe_utils
from odoo.addons.payment_stripe.const import HANDLED_WEBHOOK_EVENTS
from odoo.addons.payment_stripe.controllers.main import StripeController

_logger = logging.getLogger(__name__)

VERIFY_ROUTE = "/my/payment_method/stripe/verify"
# A payment that succeeded, returned or disputed afterwards (an ACH debit the
# customer's bank returns arrives as a dispute).
RETURN_EVENTS = ("charge.dispute.created",)
# What the webhook reads of an event's object (PaymentIntent, SetupIntent,
# Charge, Refund, Dispute), and the types Stripe sends them with.
EVENT_OBJECT_FIELDS = {
    "id": (str,),
    "description": (str, type(None)),
    "currency": (str, type(None)),
    "status": (str, type(None)),
    "reason": (str, type(None)),
    "payment_intent": (str, type(None)),
    "payment_method": (str, dict, type(None)),
    "last_payment_error": (dict, type(None)),
    "refunds": (dict,),
}
# No Stripe object nests deeper; deeper input is refused before any use.
EVENT_MAX_DEPTH = 32
# Amounts are in minor units; none is that large.
EVENT_MAX_AMOUNT = 10**17


def _depth(value):
    """How deep lists and dicts nest in ``value`` (iteratively)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if level > EVENT_MAX_DEPTH:
                break
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _is_amount(value):
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value <= EVENT_MAX_AMOUNT
    )


def _object_error(event_type, obj):
    """What is wrong with the object of an event the webhook handles, or
    None."""
    if not isinstance(obj, dict):
        return "its object is not an object"
    if event_type in HANDLED_WEBHOOK_EVENTS and "id" not in obj:
        return "its object has no id"
    for field, types in EVENT_OBJECT_FIELDS.items():
        if field in obj and not isinstance(obj[field], types):
            return f"its {field} has the wrong type"
    if "amount" in obj and not _is_amount(obj["amount"]):
        return "its amount is not valid"
    if event_type.startswith("setup_intent") and not isinstance(
        obj.get("payment_method"), str
    ):
        return "its payment method is not valid"
    if event_type == "charge.refunded":
        refunds = obj.get("refunds")
        if (
            not isinstance(refunds, dict)
            or not isinstance(refunds.get("data"), list)
            or not isinstance(refunds.get("has_more"), bool)
            or not all(
                isinstance(refund, dict)
                and isinstance(refund.get("id"), str)
                and _is_amount(refund.get("amount"))
                for refund in refunds["data"]
            )
        ):
            return "its refunds are not valid"
    return None


def _event_error(event):
    """What makes ``event`` (the parsed body) no Stripe event the webhook
    can read, or None."""
    if not isinstance(event, dict):
        return "not a JSON object"
    if not isinstance(event.get("type"), str):
        return "no event type"
    if _depth(event) > EVENT_MAX_DEPTH:
        return "nested too deep"
    if event["type"] not in (*HANDLED_WEBHOOK_EVENTS, *RETURN_EVENTS):
        return None  # acknowledged and ignored, as by Odoo
    if not isinstance(event.get("id"), str):
        return "no event id"
    data = event.get("data")
    if not isinstance(data, dict):
        return "no event data"
    return _object_error(event["type"], data.get("object"))


class PaymentAllocationStripeController(StripeController):
    """Signed webhooks only, verified with the official SDK; each event
    processed once."""

    # Stripe's own tolerance for the age of a signed event.
    WEBHOOK_AGE_TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE

    @staticmethod
    def _payment_allocation_event():
        """The Stripe event the request carries, read before anything else:
        a body that is no event Odoo can read (no JSON object, no type, an
        object of the wrong shape, nested too deep) is refused with a 400,
        signed or not; it changes nothing.

        :raise BadRequest: for such a body.
        """
        try:
            event = json.loads(request.httprequest.get_data(as_text=True))
        except (ValueError, RecursionError):
            event = None
            error = "not JSON"
        else:
            error = _event_error(event)
        if error:
            _logger.warning("Stripe event refused: %s.", error)
            raise BadRequest(f"Not a Stripe event: {error}.")
        return event

    @staticmethod
    def _payment_allocation_event_transaction(event):
        """Whether the event names a transaction of Odoo, as Odoo finds it;
        an event naming none is acknowledged and ignored (Odoo logs such an
        event as an error with its traceback)."""
        obj = event["data"]["object"]
        data = {
            "reference": obj.get("description"),
            "event_type": event["type"],
            "object_id": obj["id"],
        }
        try:
            request.env["payment.transaction"].sudo()._get_tx_from_notification_data(
                "stripe", data
            )
        except ValidationError as error:
            _logger.warning("Stripe event %s ignored: %s", event["id"], error)
            return False
        return True

    @http.route()
    def stripe_webhook(self):
        """Override of `payment_stripe`: a payment returned or disputed after
        it succeeded reopens its invoices (same checks as every event)."""
        event = self._payment_allocation_event()
        if event["type"] not in RETURN_EVENTS:
            if event["type"] in HANDLED_WEBHOOK_EVENTS and (
                not self._payment_allocation_event_transaction(event)
            ):
                return request.make_json_response("")
            return super().stripe_webhook()
        dispute = event["data"]["object"]
        tx_sudo = (
            request.env["payment.transaction"]
            .sudo()
            ._payment_allocation_from_stripe_intent(dispute.get("payment_intent"))
        )
        if tx_sudo:
            try:
                self._verify_notification_signature(tx_sudo)
                tx_sudo._payment_allocation_stripe_returned(dispute)
            except ValidationError as error:
                _logger.warning("Stripe event %s ignored: %s", event["id"], error)
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
        except (KeyError, ValueError, TypeError, OverflowError):
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
        except (
            stripe.SignatureVerificationError,
            ValueError,
            TypeError,
            OverflowError,
        ) as error:
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
        error = env["res.partner"]._payment_allocation_methods_error()
        if error:
            return {"error": error}
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

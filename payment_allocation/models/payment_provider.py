# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ipaddress
import logging
from urllib.parse import urlsplit

import stripe

from odoo import models
from odoo.exceptions import ValidationError

from odoo.addons.payment_stripe import const as stripe_const
from odoo.addons.payment_stripe import utils as stripe_utils

STRIPE_API_BASE_PARAM = "payment_allocation.stripe_api_base"
STRIPE_API_BASE_DEFAULT = "https://api.stripe.com"
ACH_CODE = "ach_direct_debit"

_logger = logging.getLogger(__name__)


def _parse_url(value):
    """``value`` split as a URL, None when it is not one (a bad port)."""
    try:
        url = urlsplit((value or "").strip())
        _port = url.port  # reading it checks it
    except ValueError:
        return None
    return url


def _is_loopback(host):
    """``localhost``, or an address of 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    # === BUSINESS METHODS - STRIPE API === #

    def _payment_allocation_stripe_api_base(self):
        """The Stripe API server of this database: scheme, host and port, from
        the system parameter ``payment_allocation.stripe_api_base`` (Stripe's
        by default), without a trailing slash."""
        # sudo: system parameters are not readable by portal users
        base = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(STRIPE_API_BASE_PARAM, STRIPE_API_BASE_DEFAULT)
        )
        base = (base or STRIPE_API_BASE_DEFAULT).strip().rstrip("/")
        error = self._payment_allocation_stripe_api_base_error(base)
        if error:
            # written around the check (SQL, a database copy): the secret key
            # is never sent there
            _logger.error("Stripe call refused: %s", error)
            raise ValidationError(error)
        return base

    def _payment_allocation_stripe_api_base_error(self, base):
        """Why ``base`` may not be the Stripe API server (the secret key goes
        there with every call): https, or http on this machine only
        (loopback, e.g. a Stripe stand-in in the tests); None when it may.
        """
        url = _parse_url(base)
        if (
            url
            and url.scheme in ("http", "https")
            and url.hostname
            and url.username is None
            and not url.query
            and not url.fragment
            and (url.scheme == "https" or _is_loopback(url.hostname))
        ):
            return None
        return self.env._(
            "Stripe: the API server %(base)s is refused for the system parameter "
            "%(param)s: it must be an https address, or http on this machine "
            "only (localhost, 127.0.0.1 or ::1), without user, query or fragment.",
            base=base,
            param=STRIPE_API_BASE_PARAM,
        )

    def _payment_allocation_stripe_error_message(self, error):
        """What the user is told when Stripe answered ``error`` (an error of
        the SDK) to a call of this addon: the card's decline as Stripe words
        it for customers, a clear sentence for Stripe's own troubles (rate
        limit, unavailable, refused key, idempotency conflict), Stripe's
        message otherwise."""
        if isinstance(error, stripe.CardError):
            return error.user_message or self.env._("The card was declined.")
        if isinstance(error, stripe.RateLimitError):
            return self.env._(
                "Stripe is receiving too many requests right now. Please try again "
                "in a few minutes."
            )
        if isinstance(error, stripe.APIConnectionError | stripe.APIError):
            return self.env._(
                "Stripe could not be reached or did not answer. Please try again later."
            )
        if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
            return self.env._(
                "Stripe refused the API key of this payment provider. Please "
                "contact us; the reason is in the server log."
            )
        if isinstance(error, stripe.IdempotencyError):
            return self.env._(
                "Stripe refused a repeated request whose details differ from the "
                "first one: nothing was charged again. Please start a new payment."
            )
        body = (error.json_body or {}).get("error") or {}
        return body.get("message") or error.user_message or str(error)

    def _stripe_make_request(
        self, endpoint, payload=None, method="POST", offline=False, idempotency_key=None
    ):
        """Override of `payment_stripe`: Odoo's own Stripe calls reach the API
        server of the system parameter ``payment_allocation.stripe_api_base``
        (Odoo joins an absolute endpoint URL as it is). When Stripe answers
        with an error of its own (5xx) to a call that is not offline, the
        user gets a clear error instead of the error object read as the
        answer (stock would fail on a missing key). Stock's calls carry no
        idempotency key, so they are not retried.

        :raise ValidationError: when Stripe failed (and as stock, see super)
        """
        base = self._payment_allocation_stripe_api_base()
        if base != STRIPE_API_BASE_DEFAULT and not endpoint.startswith(
            ("http://", "https://")
        ):
            endpoint = f"{base}/v1/{endpoint.lstrip('/')}"
        response = super()._stripe_make_request(
            endpoint,
            payload=payload,
            method=method,
            offline=offline,
            idempotency_key=idempotency_key,
        )
        error = isinstance(response, dict) and response.get("error")
        if error and not offline:
            _logger.warning(
                "Stripe failed to answer %s %s: %s",
                method,
                endpoint,
                error.get("message") if isinstance(error, dict) else error,
            )
            raise ValidationError(
                self.env._(
                    "Stripe could not be reached or did not answer. Please try "
                    "again later."
                )
            )
        return response

    def _payment_allocation_stripe_client(self):
        """The official SDK's client for the calls this addon adds: the
        provider's secret key, the database's API server, Odoo's API version
        and network retries."""
        self.ensure_one()
        return stripe.StripeClient(
            stripe_utils.get_secret_key(self.sudo()),
            base_addresses={"api": self._payment_allocation_stripe_api_base()},
            stripe_version=stripe_const.API_VERSION,
            max_network_retries=2,
        )

    def _get_default_payment_method_codes(self):
        """Override of `payment`: Stripe offers ACH bank accounts too."""
        codes = super()._get_default_payment_method_codes()
        if self.code != "stripe":
            return codes
        return set(codes) | {ACH_CODE}

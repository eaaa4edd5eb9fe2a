# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import stripe

from odoo import models

from odoo.addons.payment_stripe import const as stripe_const
from odoo.addons.payment_stripe import utils as stripe_utils

STRIPE_API_BASE_PARAM = "payment_allocation.stripe_api_base"
STRIPE_API_BASE_DEFAULT = "https://api.stripe.com"
ACH_CODE = "ach_direct_debit"


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
        return (base or STRIPE_API_BASE_DEFAULT).strip().rstrip("/")

    def _stripe_make_request(self, endpoint, *args, **kwargs):
        """Override of `payment_stripe`: Odoo's own Stripe calls reach the API
        server of the system parameter ``payment_allocation.stripe_api_base``
        (Odoo joins an absolute endpoint URL as it is)."""
        base = self._payment_allocation_stripe_api_base()
        if base != STRIPE_API_BASE_DEFAULT and not endpoint.startswith(
            ("http://", "https://")
        ):
            endpoint = f"{base}/v1/{endpoint.lstrip('/')}"
        return super()._stripe_make_request(endpoint, *args, **kwargs)

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

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import ValidationError

from .payment_provider import STRIPE_API_BASE_PARAM


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.constrains("key", "value")
    def _check_payment_allocation_stripe_api_base(self):
        """The Stripe API server receives the secret key: https, or http on
        this machine only (see `payment.provider`)."""
        Provider = self.env["payment.provider"]
        for param in self.filtered(lambda p: p.key == STRIPE_API_BASE_PARAM):
            error = param.value and Provider._payment_allocation_stripe_api_base_error(
                param.value
            )
            if error:
                raise ValidationError(error)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, models

from .payment_provider import ACH_CODE


class PaymentMethod(models.Model):
    _inherit = "payment.method"

    @api.model
    def _payment_allocation_enable_ach(self):
        """Let ACH Direct Debit be saved, offer it with every Stripe provider
        and switch it on where a Stripe provider is enabled (or in test mode;
        otherwise it is switched on when one is: it is among Stripe's default
        payment methods, see `payment.provider`). Odoo ships it inactive and
        without tokenization in a ``noupdate`` file: run on install
        (post-init hook) and on the upgrade to 18.0.1.2.0 (migration)."""
        ach = self.env.ref(
            "payment.payment_method_ach_direct_debit", raise_if_not_found=False
        )
        if not ach:
            return
        ach.support_tokenization = True
        providers = (
            self.env["payment.provider"]
            .with_context(active_test=False)
            .search([("code", "=", "stripe")])
        )
        providers.write({"payment_method_ids": [Command.link(ach.id)]})
        if any(provider.state != "disabled" for provider in providers):
            ach.active = True

    def _get_compatible_payment_methods(
        self, provider_ids, partner_id, *args, **kwargs
    ):
        """Override of `payment`: no ACH for a customer who may not pay by
        bank account (see `res.partner._payment_allocation_ach_allowed`)."""
        methods = super()._get_compatible_payment_methods(
            provider_ids, partner_id, *args, **kwargs
        )
        if not partner_id or not any(method.code == ACH_CODE for method in methods):
            return methods
        partner = self.env["res.partner"].browse(partner_id)
        if not partner.sudo()._payment_allocation_ach_allowed():
            methods = methods.filtered(lambda method: method.code != ACH_CODE)
        return methods

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PaymentToken(models.Model):
    _inherit = "payment.token"

    def _payment_allocation_use_error(self, user=None):
        """Why ``user`` (default: the current user) may not pay with this
        saved payment method; "" when allowed.

        Back-office users charge their customers' methods. A portal contact
        uses the methods it saved, and, when the company of the method allows
        sharing them, a contact with access to the whole company uses those of
        the other contacts of its customer. A logged-out visitor uses none,
        whatever link it holds.
        """
        self.ensure_one()
        user = user or self.env.user
        refused = self.env._("You may not use this saved payment method.")
        # sudo: portal users cannot read tokens
        token_sudo = self.sudo()
        if not token_sudo.exists() or not token_sudo.active:
            return refused
        if user._is_internal():
            return ""
        if user._is_public():
            return self.env._("Log in to pay with a saved payment method.")
        partner = user.partner_id
        if token_sudo.partner_id == partner:
            return ""
        shared = (
            token_sudo.company_id.payment_allocation_share_tokens
            and partner.portal_invoice_access == "company"
            and token_sudo.partner_id.commercial_partner_id
            == partner.commercial_partner_id
        )
        return "" if shared else refused

    def _get_available_tokens(
        self, providers_ids, partner_id, is_validation=False, **kwargs
    ):
        """Override of `payment`: the payment forms of the portal offer only
        the methods the current user may use (see
        `_payment_allocation_use_error`): none to a logged-out visitor, and
        the shared methods of its customer to a company-wide contact."""
        tokens = super()._get_available_tokens(
            providers_ids, partner_id, is_validation=is_validation, **kwargs
        )
        user = self.env.user
        if user._is_internal():
            return tokens
        if user._is_public():
            return tokens.browse()
        partner = user.partner_id
        if not is_validation and partner.portal_invoice_access == "company":
            tokens |= self.search(
                [
                    ("provider_id", "in", providers_ids),
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("company_id.payment_allocation_share_tokens", "=", True),
                ]
            )
        return tokens.filtered(
            lambda token: not token._payment_allocation_use_error(user)
        )

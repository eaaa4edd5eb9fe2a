# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import stripe

from odoo import fields, models
from odoo.exceptions import UserError

from .payment_provider import ACH_CODE

_logger = logging.getLogger(__name__)


class PaymentToken(models.Model):
    _inherit = "payment.token"

    payment_allocation_bank_name = fields.Char(string="Bank", readonly=True)
    payment_allocation_verified = fields.Boolean(
        string="Verified",
        default=True,
        readonly=True,
        help="A bank account saved with microdeposit verification is not "
        "verified until the customer enters the amounts of the deposits; "
        "it cannot be charged before.",
    )
    payment_allocation_stripe_setup_intent = fields.Char(
        string="Stripe SetupIntent", readonly=True
    )
    payment_allocation_mandate_date = fields.Datetime(
        string="Mandate Accepted On", readonly=True
    )
    payment_allocation_mandate_ip = fields.Char(
        string="Mandate Accepted From (IP)", readonly=True
    )
    payment_allocation_mandate_user_agent = fields.Char(
        string="Mandate Accepted With (Browser)", readonly=True
    )

    def _build_display_name(self, *args, **kwargs):
        """Override of `payment`: a bank account shows its bank, and whether
        it still awaits verification."""
        name = super()._build_display_name(*args, **kwargs)
        if not name or self.payment_method_code != ACH_CODE:
            return name
        if self.payment_allocation_bank_name:
            name = f"{self.payment_allocation_bank_name} {name}"
        if not self.payment_allocation_verified:
            name = self.env._("%(name)s (not verified)", name=name)
        return name

    def _payment_allocation_use_error(self, user=None, for_payment=True):
        """Why ``user`` (default: the current user) may not pay with this
        saved payment method; "" when allowed.

        A bank account (ACH) is used only when verified and when its customer
        may pay by bank account; ``for_payment=False`` (managing the saved
        methods) skips these two conditions.

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
        if for_payment and not token_sudo.payment_allocation_verified:
            return self.env._(
                "This bank account is not verified yet: enter the amounts of "
                "the two small deposits first."
            )
        if (
            for_payment
            and token_sudo.payment_method_code == ACH_CODE
            and not token_sudo.partner_id._payment_allocation_ach_allowed()
        ):
            return self.env._("You may not pay by bank account.")
        if user._is_internal():
            return ""
        if user._is_public():
            return self.env._("Log in to pay with a saved payment method.")
        partner = user.partner_id
        if token_sudo.partner_id == partner:
            return ""
        shared = (
            token_sudo.company_id.payment_allocation_share_tokens
            and partner._portal_scope()["shares_methods"]
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
        if not is_validation and partner._portal_scope()["shares_methods"]:
            tokens |= self.search(
                [
                    ("provider_id", "in", providers_ids),
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("company_id.payment_allocation_share_tokens", "=", True),
                ]
            )
        return tokens.filtered(
            lambda token: (
                not token._payment_allocation_use_error(
                    user, for_payment=not is_validation
                )
            )
        )

    def _payment_allocation_verify_as(self, user, amounts=None, descriptor_code=None):
        """``user`` verifies this bank account with the amounts (in cents) of
        its two deposits or the descriptor code: allowed to the contacts who
        may see the method (`_payment_allocation_use_error`, as when managing
        saved methods).

        :raise UserError: when the user may not, or Stripe refuses.
        """
        error = (
            self._payment_allocation_use_error(user, for_payment=False)
            if len(self) == 1
            else self.env._("You may not use this saved payment method.")
        )
        if error:
            raise UserError(error)
        # sudo: portal users cannot write tokens; the rule above allowed it
        self.sudo()._payment_allocation_verify_microdeposits(
            amounts=amounts, descriptor_code=descriptor_code
        )

    def _payment_allocation_verify_microdeposits(
        self, amounts=None, descriptor_code=None
    ):
        """Verify a bank account saved with microdeposits at Stripe, with the
        amounts in cents of the two deposits or the descriptor code; then the
        account may be charged and its validation transaction is done.

        :raise UserError: when Stripe refuses, with its message.
        """
        self.ensure_one()
        if self.payment_allocation_verified or not (
            self.payment_allocation_stripe_setup_intent
        ):
            raise UserError(self.env._("This bank account needs no verification."))
        if descriptor_code:
            params = {"descriptor_code": str(descriptor_code).strip()}
        else:
            try:
                params = {"amounts": [int(amount) for amount in amounts or []]}
            except (TypeError, ValueError):
                params = {}
            if len(params.get("amounts") or []) != 2:
                raise UserError(
                    self.env._(
                        "Enter the amounts of the two deposits (e.g. 0.32 and "
                        "0.45), or the code of the deposit."
                    )
                )
        client = self.provider_id._payment_allocation_stripe_client()
        try:
            intent = client.v1.setup_intents.verify_microdeposits(
                self.payment_allocation_stripe_setup_intent, params
            ).to_dict()
        except stripe.StripeError as error:
            _logger.info(
                "Stripe refused to verify the bank account of token %s: %s",
                self.id,
                error,
            )
            raise UserError(
                self.provider_id._payment_allocation_stripe_error_message(error)
            ) from None
        if intent.get("status") != "succeeded":
            raise UserError(self.env._("The bank account was not verified."))
        self.payment_allocation_verified = True
        tx = self.env["payment.transaction"].search(
            [("token_id", "=", self.id), ("operation", "=", "validation")], limit=1
        )
        if tx:
            tx._handle_notification_data(
                "stripe",
                {
                    "reference": tx.reference,
                    "setup_intent": intent,
                    "payment_method": intent.get("payment_method"),
                },
            )

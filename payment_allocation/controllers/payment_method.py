# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

PAYMENT_METHOD_ROUTE = "/my/payment_method"


class PaymentMethodPortalMixin:
    """`/my/payment_method` (stock `payment`): every saved method the contact
    may pay with, delete its own, choose a default, set up autopay.

    A plain mixin of this addon's ``PaymentPortal`` (controllers/payment.py),
    the one extension of stock ``PaymentPortal`` here."""

    def _payment_allocation_method_values(self, error=None, message=None):
        """Values added to the stock page; the models decide."""
        env = request.env
        user = env.user
        partner = user.partner_id
        Partner = env["res.partner"]
        # the methods to manage, bank accounts still to verify included
        tokens_sudo = Partner._payment_allocation_usable_tokens(user, for_payment=False)
        manageable = tokens_sudo.filtered(
            lambda token: (
                not Partner._payment_allocation_token_manage_error(token, user)
            )
        )
        # sudo: portal users cannot read their company's autopay fields
        customer_sudo = partner.commercial_partner_id.sudo()
        autopay_tokens = tokens_sudo.filtered(
            lambda token: (
                not customer_sudo._payment_allocation_autopay_token_error(token)
            )
        )
        payable = Partner._payment_allocation_usable_tokens(user)
        default = partner._payment_allocation_default_token(payable)
        return {
            "tokens_sudo": tokens_sudo,
            "payment_allocation_manageable_token_ids": manageable.ids,
            "payment_allocation_default_token": default,
            "payment_allocation_payable_tokens": payable,
            "payment_allocation_unverified_tokens": tokens_sudo.filtered(
                lambda token: not token.payment_allocation_verified
            ),
            "payment_allocation_autopay": customer_sudo.payment_allocation_autopay,
            "payment_allocation_autopay_token": (
                customer_sudo.payment_allocation_autopay_token_id
            ),
            "payment_allocation_autopay_tokens": autopay_tokens,
            "payment_allocation_autopay_allowed": not (
                customer_sudo._payment_allocation_autopay_manage_error(user)
            ),
            "payment_allocation_error": error,
            "payment_allocation_message": message,
        }

    def _payment_allocation_method_page(self, error=None, message=None):
        response = self.payment_method()
        if getattr(response, "is_qweb", False):
            response.qcontext.update(
                payment_allocation_error=error, payment_allocation_message=message
            )
        return response

    @staticmethod
    def _payment_allocation_methods_error():
        return request.env["res.partner"]._payment_allocation_methods_error()

    @http.route()
    def payment_method(self, **kwargs):
        if self._payment_allocation_methods_error():
            # My Invoices says in one line that access is not granted
            return request.redirect("/my/invoices")
        response = super().payment_method(**kwargs)
        if getattr(response, "is_qweb", False):
            response.qcontext.update(self._payment_allocation_method_values())
        return response

    def _payment_allocation_token_from(self, token_id):
        """The token of an id sent by the browser (not checked: the models'
        rules are asked next)."""
        cast = request.env["account.move"]._payment_allocation_cast_id
        return request.env["payment.token"].browse(cast(token_id) or [])

    @http.route(
        f"{PAYMENT_METHOD_ROUTE}/default",
        type="http",
        methods=["POST"],
        auth="user",
        website=True,
    )
    def payment_allocation_default_token(self, token_id=None, **kwargs):
        if self._payment_allocation_methods_error():
            return request.redirect("/my/invoices")
        token = self._payment_allocation_token_from(token_id)
        try:
            request.env["res.partner"]._payment_allocation_set_default_token(token)
        except UserError as error:
            return self._payment_allocation_method_page(error=error.args[0])
        return request.redirect(f"{PAYMENT_METHOD_ROUTE}?default_saved=1")

    @http.route(
        f"{PAYMENT_METHOD_ROUTE}/autopay",
        type="http",
        methods=["POST"],
        auth="user",
        website=True,
    )
    def payment_allocation_autopay(self, token_id=None, opt_out=None, **kwargs):
        if self._payment_allocation_methods_error():
            return request.redirect("/my/invoices")
        Partner = request.env["res.partner"]
        try:
            if opt_out:
                Partner._payment_allocation_autopay_opt_out()
            else:
                token = self._payment_allocation_token_from(token_id)
                if not token:
                    raise UserError(
                        request.env._("Choose the payment method to charge.")
                    )
                Partner._payment_allocation_autopay_opt_in(token)
        except UserError as error:
            return self._payment_allocation_method_page(error=error.args[0])
        return request.redirect(
            f"{PAYMENT_METHOD_ROUTE}?autopay={'off' if opt_out else 'on'}"
        )

    @staticmethod
    def _payment_allocation_cents(value):
        """The amount in cents of a deposit as the customer types it: "0.32",
        "0,32" or "32" (cents); None when it is not an amount."""
        value = (value or "").strip().replace(",", ".")
        try:
            if "." in value:
                return int((Decimal(value) * 100).to_integral_value())
            return int(value)
        except (ArithmeticError, ValueError):
            return None

    @http.route(
        f"{PAYMENT_METHOD_ROUTE}/verify",
        type="http",
        methods=["POST"],
        auth="user",
        website=True,
    )
    def payment_allocation_verify_bank_account(
        self, token_id=None, amount_1=None, amount_2=None, descriptor_code=None, **kw
    ):
        """Verify a bank account saved with microdeposits (the form of the
        page; `/my/payment_method/stripe/verify` is the same in JSON)."""
        if self._payment_allocation_methods_error():
            return request.redirect("/my/invoices")
        token = self._payment_allocation_token_from(token_id)
        amounts = [self._payment_allocation_cents(a) for a in (amount_1, amount_2)]
        try:
            token._payment_allocation_verify_as(
                request.env.user,
                amounts=None if None in amounts else amounts,
                descriptor_code=(descriptor_code or "").strip() or None,
            )
        except UserError as error:
            return self._payment_allocation_method_page(error=error.args[0])
        return request.redirect(f"{PAYMENT_METHOD_ROUTE}?verified=1")

    @http.route()
    def archive_token(self, token_id=None):
        """Override of `payment`: only the owner of a saved method deletes it
        (a shared method is used, not deleted, by the other contacts)."""
        token = self._payment_allocation_token_from(token_id)
        error = request.env["res.partner"]._payment_allocation_token_manage_error(token)
        if error:
            raise ValidationError(error)
        result = super().archive_token(token_id)
        request.env["res.partner"]._payment_allocation_autopay_token_deleted(token)
        return result


class PaymentAllocationDefaultTokenMixin:
    """The contact's default saved method is preselected in the payment forms
    of the portal (Make a Payment page, invoice and overdue payments).

    A plain mixin of ``PaymentAllocationPortal`` (controllers/portal.py), the
    one extension of stock ``PortalAccount`` here."""

    def _get_common_page_view_values(self, invoices_data, access_token=None, **kwargs):
        values = super()._get_common_page_view_values(
            invoices_data, access_token=access_token, **kwargs
        )
        user = request.env.user
        tokens_sudo = values.get("tokens_sudo")
        if tokens_sudo and not user._is_public():
            default = user.partner_id._payment_allocation_default_token(tokens_sudo)
            if default:
                values["default_token_id"] = default.id
        return values

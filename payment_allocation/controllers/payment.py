# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request, route

from odoo.addons.account_payment.controllers import payment as account_payment
from odoo.addons.customer_portal_invoices.controllers.portal_token import (
    PortalAccessTokenMixin,
)
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

from ..amounts import parse_amount_due
from .payment_method import PaymentMethodPortalMixin


def _invoice_ids_of(create_values):
    """The invoice ids that a transaction's create values link."""
    ids = []
    for command in (create_values or {}).get("invoice_ids") or []:
        if command[0] == Command.SET:
            ids = list(command[2])
        elif command[0] == Command.LINK:
            ids.append(command[1])
    return ids


# The positional parameters of `payment`'s `_create_transaction`.
CREATE_TRANSACTION_PARAMS = (
    "provider_id",
    "payment_method_id",
    "token_id",
    "amount",
    "currency_id",
    "partner_id",
    "flow",
    "tokenization_requested",
)


class PaymentPortal(
    PortalAccessTokenMixin, PaymentMethodPortalMixin, account_payment.PaymentPortal
):
    """Every portal payment route creates its transaction through
    `_create_transaction`: there, the payment rule of the models decides.

    The one extension of stock ``PaymentPortal`` in this addon; the saved
    methods page (``/my/payment_method``) lives in
    ``PaymentMethodPortalMixin`` (no method is overridden by both)."""

    def _create_transaction(self, *args, custom_create_values=None, **kwargs):
        """Override of `payment`: before any transaction is created, by any
        route, ask the payment rule whether the current user may pay these
        invoices with this saved method, after locking the invoices so that a
        second submission of the same payment cannot slip in meanwhile.

        :raise ValidationError: with the rule's sentence; nothing is created.
        """
        env = request.env
        if env.user._is_public():
            # A logged-out visitor (a share link's holder) pays, it saves no
            # payment method on the customer: that is a contact's to do.
            args, kwargs = self._payment_allocation_no_tokenization(args, kwargs)
        token_id = kwargs.get("token_id") if kwargs.get("flow") == "token" else None
        token = env["payment.token"].browse(token_id or [])
        # sudo: the route already checked the user may reach these documents
        # (record rules or an access token); the rule needs their state
        invoices = (
            env["account.move"].sudo().browse(_invoice_ids_of(custom_create_values))
        )
        reused = None
        try:
            if kwargs.get("is_validation") or kwargs.get("tokenization_requested"):
                # saving a payment method: the contact must be allowed to
                error = env["res.partner"]._payment_allocation_methods_error()
                if error:
                    raise UserError(error)
            if invoices:
                invoices._payment_allocation_lock()
                invoices._payment_allocation_check_portal_payment(
                    user=env.user, token=token
                )
            elif token:
                error = token._payment_allocation_use_error(env.user)
                if error:
                    raise UserError(error)
            # The same contact repeating the same payment gets its draft
            # back; a new attempt supersedes the contact's own drafts.
            reused = (
                env["payment.transaction"]
                .sudo()
                ._payment_allocation_reuse_or_supersede(
                    invoices,
                    env.user,
                    dict(zip(CREATE_TRANSACTION_PARAMS, args, strict=False), **kwargs),
                    custom_create_values,
                )
            )
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        if reused:
            # followed by this browser's status page, as a new one would be
            PaymentPostProcessing.monitor_transaction(reused)
            return reused
        # Who accepts the payment or the saving of the method (the mandate of
        # a bank account), from where and when.
        custom_create_values = dict(
            custom_create_values or {},
            payment_allocation_mandate_date=fields.Datetime.now(),
            payment_allocation_mandate_ip=request.httprequest.remote_addr,
            payment_allocation_mandate_user_agent=(
                request.httprequest.user_agent.string or ""
            )[:512],
        )
        tx_sudo = super()._create_transaction(
            *args, custom_create_values=custom_create_values, **kwargs
        )
        if env.user._is_public() and tx_sudo.tokenize:
            # a provider that tokenizes by itself: not for a visitor either
            tx_sudo.tokenize = False
        return tx_sudo

    @staticmethod
    def _payment_allocation_no_tokenization(args, kwargs):
        """``args`` and ``kwargs`` of `_create_transaction` without a
        request to save the payment method."""
        index = CREATE_TRANSACTION_PARAMS.index("tokenization_requested")
        if len(args) > index:
            args = (*args[:index], False, *args[index + 1 :])
        else:
            kwargs = dict(kwargs, tokenization_requested=False)
        return args, kwargs

    @route()
    def invoice_transaction(self, invoice_id, access_token=None, **kwargs):
        """Override of `account_payment`: the amount (full, installment or a
        partial amount typed by the customer) must be positive and at most the
        invoice's residual. Whether the invoice may be paid at all is the
        payment rule's (see `_create_transaction`)."""
        if access_token is not None and not isinstance(access_token, str):
            raise ValidationError(request.env._("The access token is invalid."))
        try:
            invoice_sudo = self._document_check_access(
                "account.move", invoice_id, access_token
            )
        except MissingError:
            raise
        except AccessError:
            raise ValidationError(
                request.env._("The access token is invalid.")
            ) from None
        # the visitor, not the superuser of _document_check_access's record
        error = invoice_sudo._payment_allocation_portal_payment_error(
            user=request.env.user
        )
        if error:
            raise ValidationError(error)
        currency = invoice_sudo.currency_id
        kwargs["amount"] = parse_amount_due(
            request.env, kwargs.get("amount"), invoice_sudo.amount_residual, currency
        )
        return super().invoice_transaction(invoice_id, access_token, **kwargs)

    @route()
    def overdue_invoices_transaction(self, payment_reference=None, **kwargs):
        """Override of `account_payment`: a payment reference is required;
        stock's route (log-in, parameters) then hands over to
        `_process_transaction`."""
        if request.env.user._is_public():
            # stock's route asks to log in
            return super().overdue_invoices_transaction(payment_reference, **kwargs)
        if not isinstance(payment_reference, str) or not payment_reference.strip():
            raise ValidationError(request.env._("The payment reference is missing."))
        # what stock's route checks on its own terms (one currency, at least
        # one invoice), asked first of the invoices it will pay, for our words
        try:
            Move = request.env["account.move"]
            invoices = Move._payment_allocation_overdue_invoices()
            if not invoices:
                raise UserError(request.env._("You have no overdue invoice to pay."))
            invoices._payment_allocation_check_payable()
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        return super().overdue_invoices_transaction(payment_reference, **kwargs)

    def _process_transaction(
        self, partner_id, currency_id, invoice_ids, payment_reference, **kwargs
    ):
        """Override of `account_payment`: the overdue route (the only one
        with a payment reference; the invoice route passes none) pays the
        overdue invoices of the user's customer that the user may see (the
        same invoices the overdue counter and page show) open for payment,
        for what is still due on them, allocated and reconciled invoice by
        invoice (`payment.transaction._payment_allocation_overdue_values`)."""
        if not payment_reference:
            return super()._process_transaction(
                partner_id, currency_id, invoice_ids, payment_reference, **kwargs
            )
        try:
            invoices, total, create_values = request.env[
                "payment.transaction"
            ]._payment_allocation_overdue_values(kwargs.pop("amount", None))
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        tx_sudo = self._create_transaction(
            amount=total,
            currency_id=invoices.currency_id.id,
            partner_id=partner_id,
            reference_prefix=payment_reference,
            custom_create_values=create_values,
            **kwargs,
        )
        return tx_sudo._get_processing_values()

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request, route
from odoo.tools.misc import formatLang

from odoo.addons.account_payment.controllers import payment as account_payment


class PaymentPortal(account_payment.PaymentPortal):
    """Stock invoice transaction routes: check the amount on the server."""

    @staticmethod
    def _payment_allocation_check_amount(amount, due, currency):
        """Refuse an amount that is not a number, not positive, or more than
        what is ``due``; nothing is created then."""
        if isinstance(amount, bool):
            amount = None
        try:
            number = float(amount)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                request.env._("The amount to pay is not a valid amount.")
            ) from None
        if not math.isfinite(number):
            raise ValidationError(
                request.env._("The amount to pay is not a valid amount.")
            )
        if currency.compare_amounts(number, 0.0) <= 0:
            raise ValidationError(
                request.env._("The amount to pay must be greater than zero.")
            )
        if currency.compare_amounts(number, due) > 0:
            raise ValidationError(
                request.env._(
                    "The amount to pay (%(amount)s) is more than the amount due "
                    "(%(due)s).",
                    amount=formatLang(request.env, number, currency_obj=currency),
                    due=formatLang(request.env, due, currency_obj=currency),
                )
            )

    @route()
    def invoice_transaction(self, invoice_id, access_token, **kwargs):
        """Override of `account_payment`: the amount (full, installment or a
        partial amount typed by the customer) must be positive and at most the
        invoice's residual."""
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
        if not invoice_sudo._payment_allocation_pay_allowed():
            raise ValidationError(
                request.env._("Online payment of this invoice is not available.")
            )
        currency = invoice_sudo.currency_id
        self._payment_allocation_check_amount(
            kwargs.get("amount"), invoice_sudo.amount_residual, currency
        )
        kwargs["amount"] = currency.round(float(kwargs["amount"]))
        return super().invoice_transaction(invoice_id, access_token, **kwargs)

    @route()
    def overdue_invoices_transaction(self, payment_reference, **kwargs):
        """Override of `account_payment`: charge the residual of the overdue
        invoices (stock Odoo's page showed their totals) and check it."""
        if not request.env.user._is_public():
            overdue_invoices = request.env["account.move"].search(
                self._get_overdue_invoices_domain()
            )
            if not overdue_invoices:
                raise ValidationError(
                    request.env._("You have no overdue invoice to pay.")
                )
            if not overdue_invoices._payment_allocation_pay_allowed():
                raise ValidationError(
                    request.env._("Online payment of invoices is not available.")
                )
            currency = overdue_invoices.currency_id
            if len(currency) == 1:
                due = currency.round(sum(overdue_invoices.mapped("amount_residual")))
                self._payment_allocation_check_amount(
                    kwargs.get("amount"), due, currency
                )
                kwargs["amount"] = currency.round(float(kwargs["amount"]))
                if currency.compare_amounts(kwargs["amount"], due) != 0:
                    raise ValidationError(
                        request.env._(
                            "The amount to pay does not match your overdue invoices. "
                            "Reload the page and try again."
                        )
                    )
        return super().overdue_invoices_transaction(payment_reference, **kwargs)

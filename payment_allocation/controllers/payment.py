# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request, route

from odoo.addons.account_payment.controllers import payment as account_payment

from .amounts import parse_amount_due


class PaymentPortal(account_payment.PaymentPortal):
    """Stock invoice transaction routes: check the amount on the server."""

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
        kwargs["amount"] = parse_amount_due(
            request.env, kwargs.get("amount"), invoice_sudo.amount_residual, currency
        )
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
                kwargs["amount"] = parse_amount_due(
                    request.env, kwargs.get("amount"), due, currency
                )
                if currency.compare_amounts(kwargs["amount"], due) != 0:
                    raise ValidationError(
                        request.env._(
                            "The amount to pay does not match your overdue invoices. "
                            "Reload the page and try again."
                        )
                    )
        return super().overdue_invoices_transaction(payment_reference, **kwargs)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

# Operations of payment transactions that a customer starts on the portal
# (account_payment / payment); back-office charges and refunds are left out.
PORTAL_TRANSACTION_OPERATIONS = ("online_redirect", "online_direct", "online_token")


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def action_post(self):
        res = super().action_post()
        for payment in self:
            transaction = payment._portal_payment_transaction()
            if transaction and payment.invoice_ids:
                payment.invoice_ids._portal_notify_payment(
                    payment.amount, payment.currency_id, transaction.partner_id
                )
        return res

    def _portal_payment_transaction(self):
        """The online payment transaction a customer made this payment with,
        if any. This addon does not depend on the payment modules: the
        transaction field exists when account_payment is installed."""
        self.ensure_one()
        if "payment_transaction_id" not in self._fields:
            return None
        transaction = self.payment_transaction_id
        if (
            not transaction
            or transaction.operation not in PORTAL_TRANSACTION_OPERATIONS
        ):
            return None
        return transaction

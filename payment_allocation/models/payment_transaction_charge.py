# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    """Charging a saved payment method off-session (back office, autopay)."""

    _inherit = "payment.transaction"

    @api.model
    def _payment_allocation_reference_prefix(self, invoices):
        """The reference of a payment of ``invoices``: the invoice's number
        for one invoice, a batch payment communication for several."""
        if len(invoices) == 1:
            return invoices.name
        return invoices.company_id.get_next_batch_payment_communication()

    @api.model
    def _payment_allocation_charge_token(
        self, invoices, token, amount=None, reference_prefix=None, send=True
    ):
        """Charge the saved method ``token`` for ``invoices``: their open
        total, or ``amount`` applied oldest first, in one transaction carrying
        the allocation; the payment request is sent to the provider at once.
        Once confirmed, the post-processing reconciles the payment as
        allocated. With ``send=False`` the transaction is created but not sent
        (the caller stores it first, then calls `_send_payment_request`).

        The invoices are locked and the payment rule is asked for the current
        user and the token first: the same rule as every portal route.

        :return: the transaction (sudo), in the state the provider answered.
        :raise UserError: when the invoices or the method cannot be charged.
        """
        invoices._payment_allocation_lock()
        invoices._payment_allocation_check_portal_payment(
            user=self.env.user, token=token
        )
        total, values = self._payment_allocation_prepare(invoices, amount)
        paid = invoices.browse(values["invoice_ids"][0][2])
        company, currency = paid.company_id, paid.currency_id
        # sudo: reading the token's provider and the partner's fields
        token_sudo = token.sudo()
        providers_sudo = (
            self.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id,
                token_sudo.partner_id.id,
                total,
                currency_id=currency.id,
            )
        )
        if token_sudo.provider_id not in providers_sudo:
            raise UserError(
                self.env._(
                    "The payment method %(token)s cannot be charged for invoices "
                    "of %(company)s in %(currency)s.",
                    token=token_sudo.display_name,
                    company=company.name,
                    currency=currency.name,
                )
            )
        provider_sudo = token_sudo.provider_id
        prefix = reference_prefix or self._payment_allocation_reference_prefix(paid)
        # sudo: back-office users and the autopay job are not payment managers
        tx_sudo = self.sudo().create(
            {
                "provider_id": provider_sudo.id,
                "payment_method_id": token_sudo.payment_method_id.id,
                "reference": self._compute_reference(provider_sudo.code, prefix=prefix),
                "amount": total,
                "currency_id": currency.id,
                "partner_id": token_sudo.partner_id.id,
                "token_id": token_sudo.id,
                "operation": "offline",
                **values,
            }
        )
        if send:
            tx_sudo._send_payment_request()
        return tx_sudo

    def _payment_allocation_post_process_done(self):
        """Post-process (create and reconcile the payment of) the transactions
        the provider confirmed at once. A failure is logged and left to the
        post-processing job of `payment`, which retries: the confirmed charge
        is not lost."""
        for tx in self.filtered(
            lambda t: t.state == "done" and not t.is_post_processed
        ):
            try:
                with self.env.cr.savepoint():
                    tx._post_process()
            except (UserError, ValueError):
                _logger.exception(
                    "Transaction %s: post-processing failed; the payment job "
                    "retries it.",
                    tx.reference,
                )

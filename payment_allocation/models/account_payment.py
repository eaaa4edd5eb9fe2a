# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    payment_allocation_line_ids = fields.One2many(
        comodel_name="payment.allocation.line",
        inverse_name="payment_id",
        string="Online Payment Allocation",
        readonly=True,
    )

    def action_post(self):
        """Override of `account`: a payment created for a transaction carrying
        an allocation is reconciled as allocated as soon as it is posted (or,
        should that fail, by the stock reconciliation: never lost).

        A payment charged by token whose transaction is still pending (an
        ACH debit in processing) is not cancelled, as `account_payment`
        would: it waits in draft until its transaction is done (then it is
        posted) or fails (then it is cancelled), see
        `payment.transaction._payment_allocation_settle_waiting_payments`."""
        res = super(
            AccountPayment, self.with_context(payment_allocation_keep_pending=True)
        ).action_post()
        tx_id = self.env.context.get("payment_allocation_tx_id")
        if tx_id:
            for payment in self.filtered(
                lambda p: p.payment_transaction_id.id == tx_id and p.move_id
            ):
                payment.payment_transaction_id._payment_allocation_reconcile_or_fallback(
                    payment
                )
        return res

    def action_cancel(self):
        """Override of `account`: see `action_post`; a payment whose
        transaction is pending is kept waiting, not cancelled, when
        `account_payment` cancels the payments not confirmed at once."""
        if self.env.context.get("payment_allocation_keep_pending"):
            waiting = self.filtered(
                lambda p: (
                    p._payment_allocation_waiting()
                    and p.payment_transaction_id.state in ("pending", "authorized")
                )
            )
            if waiting:
                return super(AccountPayment, self - waiting).action_cancel()
        return super().action_cancel()

    def _payment_allocation_waiting(self):
        """Whether this payment by token waits for its transaction: not
        posted (its journal entry, if any, still a draft), not cancelled."""
        self.ensure_one()
        return (
            bool(self.payment_transaction_id)
            and self.state not in ("canceled", "rejected")
            and self.move_id.state != "posted"
        )

    # ------------------------------------------------------------------
    # Payment history on the portal (customer_portal_invoices)
    # ------------------------------------------------------------------

    def _portal_payment_method_labels(self):
        """Online payments tell the method the customer chose, and the last
        digits of the card or bank account when known: "Visa •••• 4242"."""
        labels = super()._portal_payment_method_labels()
        # sudo: portal users read neither transactions, tokens nor payment
        # methods; only those of these (readable) payments are read, in one
        # batch (prefetch)
        for payment in self.sudo().filtered("payment_transaction_id"):
            transaction = payment.payment_transaction_id
            token = transaction.token_id or payment.payment_token_id
            method = transaction.payment_method_id or token.payment_method_id
            brand = method.name or transaction.provider_id.name or labels[payment.id]
            digits = (token.payment_details or "")[-4:]
            labels[payment.id] = (
                self.env._("%(brand)s •••• %(digits)s", brand=brand, digits=digits)
                if digits
                else brand
            )
        return labels

    def _portal_payment_allocations_add(self, result, amounts):
        """Online payments not reconciled (yet) with their invoices show the
        allocation the customer paid, stored on the transaction."""
        amounts = super()._portal_payment_allocations_add(result, amounts)
        reconciled = {
            payment_id
            for (payment_id, _invoice_id), amount in amounts.items()
            if amount is not None
        }
        # sudo: portal users may not read the allocation lines; only those
        # of these payments are read (one query), filtered by access after
        pending = self.sudo().filtered(lambda p: p.id not in reconciled)
        for line in pending.payment_allocation_line_ids:
            key = (line.payment_id.id, line.move_id.id)
            amounts[key] = (amounts.get(key) or 0.0) + line.amount
        return amounts

    def _portal_payment_memos(self):
        """Online payments whose memo is still the one stock writes (the
        transaction reference, the contact and the provider reference) show
        the invoices the transaction paid instead; see
        `payment.transaction._payment_allocation_memo`."""
        memos = super()._portal_payment_memos()
        # sudo: portal users read no transaction; only the reference and the
        # invoices of those of these (readable) payments are read
        for payment in self.sudo().filtered("payment_transaction_id"):
            transaction = payment.payment_transaction_id
            memo = memos.get(payment.id) or ""
            if transaction.reference and memo.startswith(transaction.reference):
                memos[payment.id] = transaction._payment_allocation_memo()
        return memos

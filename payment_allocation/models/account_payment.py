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
        should that fail, by the stock reconciliation: never lost)."""
        res = super().action_post()
        tx_id = self.env.context.get("payment_allocation_tx_id")
        if tx_id:
            for payment in self.filtered(
                lambda p: p.payment_transaction_id.id == tx_id and p.move_id
            ):
                payment.payment_transaction_id._payment_allocation_reconcile_or_fallback(
                    payment
                )
        return res

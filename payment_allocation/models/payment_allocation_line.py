# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PaymentAllocationLine(models.Model):
    """The share of one online payment (transaction) given to one invoice."""

    _name = "payment.allocation.line"
    _description = "Payment Allocation Line"
    _order = "transaction_id, sequence, id"

    transaction_id = fields.Many2one(
        comodel_name="payment.transaction",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(
        readonly=True, help="Position of the invoice in the payment order."
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        # the audit trail of an online payment outlives nothing it records
        ondelete="restrict",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", required=True, readonly=True
    )
    amount = fields.Monetary(
        string="Allocated Amount",
        readonly=True,
        help="Amount of the payment planned for this invoice when the customer paid.",
    )
    amount_applied = fields.Monetary(
        string="Applied Amount",
        readonly=True,
        help="Amount actually reconciled with this invoice when the payment was "
        "confirmed. It differs from the allocated amount when the invoice was "
        "paid in the meantime.",
    )
    payment_id = fields.Many2one(
        related="transaction_id.payment_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="transaction_id.company_id",
        store=True,
        index=True,
    )
    partner_id = fields.Many2one(related="transaction_id.partner_id")
    state = fields.Selection(related="transaction_id.state", string="Payment Status")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due")

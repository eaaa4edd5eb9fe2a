# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.account_move import PAY_ORDER


class PaymentAllocationChargeWizard(models.TransientModel):
    """Charge a customer's saved payment method from the back office: the
    selected invoices, or a custom amount applied oldest first to the open
    invoices, in one transaction allocated with the engine."""

    _name = "payment.allocation.charge.wizard"
    _description = "Charge Saved Payment Method"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        domain=[("is_company", "=", True)],
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        readonly=True,
    )
    mode = fields.Selection(
        selection=[("invoices", "Selected invoices"), ("amount", "Custom amount")],
        required=True,
        default="amount",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="Applied to the customer's open invoices in this currency, the "
        "oldest first. Proposed: the invoices open for payment.",
    )
    amount_due = fields.Monetary(
        string="Amount Due",
        currency_field="currency_id",
        compute="_compute_amount_due",
        help="What may be charged: the selected invoices, or the customer's "
        "invoices open for payment in this currency and company (those it "
        "queried left out until the query is answered).",
    )
    account_balance = fields.Monetary(
        string="Open Balance",
        currency_field="currency_id",
        compute="_compute_account_balance",
        help="The customer's balance in this currency and company, net of its "
        "credit notes and unapplied payments (its account summary, as its "
        "portal and statement show it).",
    )
    token_id = fields.Many2one(
        comodel_name="payment.token",
        string="Saved Payment Method",
        required=True,
        compute="_compute_token_id",
        store=True,
        readonly=False,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="Proposed: the customer's autopay method, or its only saved method.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") != "account.move":
            return values
        moves = self.env["account.move"].browse(self.env.context.get("active_ids"))
        # one rule: the invoices must be payable together (one customer,
        # currency and company, open, not being paid)
        moves._payment_allocation_check_payable()
        values.update(
            {
                "mode": "invoices",
                "move_ids": [fields.Command.set(moves.ids)],
                "partner_id": moves.commercial_partner_id.id,
                "company_id": moves.company_id.id,
                "currency_id": moves.currency_id.id,
            }
        )
        return values

    @api.depends("partner_id", "move_ids", "mode", "company_id", "currency_id")
    def _compute_amount_due(self):
        Move = self.env["account.move"]
        for wizard in self:
            if wizard.mode == "invoices":
                wizard.amount_due = sum(wizard.move_ids.mapped("amount_residual"))
                continue
            if not wizard.partner_id:
                wizard.amount_due = 0.0
                continue
            [(total,)] = Move._read_group(
                wizard._open_domain(), [], ["amount_residual:sum"]
            )
            wizard.amount_due = total or 0.0

    @api.depends("partner_id", "company_id", "currency_id")
    def _compute_account_balance(self):
        for wizard in self:
            summary = (
                wizard.partner_id._portal_account_summary(company=wizard.company_id)
                if wizard.partner_id and wizard.company_id
                else []
            )
            wizard.account_balance = next(
                (
                    row["balance"]
                    for row in summary
                    if row["currency"] == wizard.currency_id
                ),
                0.0,
            )

    @api.depends("amount_due", "mode")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.amount_due if wizard.mode == "amount" else 0.0

    @api.depends("partner_id")
    def _compute_token_id(self):
        Token = self.env["payment.token"]
        for wizard in self:
            customer = wizard.partner_id
            if not customer:
                wizard.token_id = False
                continue
            if wizard.token_id.partner_id.commercial_partner_id == customer:
                continue
            # only what the payment rule lets this user charge
            usable = Token.search([("partner_id", "child_of", customer.id)]).filtered(
                lambda token: not token._payment_allocation_use_error()
            )
            autopay = customer.payment_allocation_autopay_token_id
            if autopay in usable:
                wizard.token_id = autopay
            else:
                wizard.token_id = usable if len(usable) == 1 else Token

    def _open_domain(self):
        """The invoices a custom amount pays: open for payment, in the
        wizard's currency and company, and not queried by the customer (as
        on the portal and for autopay: nothing charges a queried invoice
        until the query is answered, unless it is selected on purpose)."""
        self.ensure_one()
        Move = self.env["account.move"]
        return (
            Move._payment_allocation_open_domain(self.partner_id)
            + Move._payment_allocation_unqueried_domain()
            + [
                ("company_id", "=", self.company_id.id),
                ("currency_id", "=", self.currency_id.id),
            ]
        )

    def _invoices_and_amount(self):
        """The invoices to charge and the amount (None: in full)."""
        self.ensure_one()
        if self.mode == "invoices":
            return self.move_ids, None
        currency = self.currency_id
        if currency.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(self.env._("The amount to charge must be positive."))
        if currency.compare_amounts(self.amount, self.amount_due) > 0:
            raise UserError(
                self.env._(
                    "The amount to charge is more than the open balance of the "
                    "customer in this currency and company."
                )
            )
        Move = self.env["account.move"]
        invoices = Move._payment_allocation_search_reached(
            self._open_domain(), self.amount, currency, order=PAY_ORDER
        )
        return invoices, self.amount

    def action_charge(self):
        self.ensure_one()
        if self.token_id.partner_id.commercial_partner_id != self.partner_id:
            raise UserError(
                self.env._(
                    "Choose a payment method saved by a contact of the customer."
                )
            )
        invoices, amount = self._invoices_and_amount()
        Transaction = self.env["payment.transaction"]
        tx_sudo = Transaction._payment_allocation_charge_token(
            invoices, self.token_id, amount=amount
        )
        tx_sudo._payment_allocation_post_process_done()
        if tx_sudo.state in ("error", "cancel"):
            message = self.env._(
                "The payment %(reference)s failed: %(reason)s",
                reference=tx_sudo.reference,
                reason=tx_sudo.state_message or tx_sudo.state,
            )
            notification_type = "danger"
        else:
            message = self.env._(
                "Payment %(reference)s: %(state)s.",
                reference=tx_sudo.reference,
                state=dict(tx_sudo._fields["state"]._description_selection(self.env))[
                    tx_sudo.state
                ],
            )
            notification_type = "success" if tx_sudo.state == "done" else "info"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": notification_type,
                "sticky": notification_type == "danger",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import str2bool

from ..allocation import allocate

# The most invoices one portal payment may cover.
MAX_INVOICES_PER_PAYMENT = 200
# A custom amount fetches the open invoices it reaches this many at a time.
PAY_CHUNK = 200
PAY_FETCH_FIELDS = [
    "name",
    "state",
    "move_type",
    "payment_state",
    "amount_residual",
    "invoice_date_due",
    "invoice_date",
    "currency_id",
    "company_id",
    "commercial_partner_id",
]
# Transactions still being processed by a payment provider: their invoices
# cannot be paid again meanwhile (as account_payment's `_has_to_be_paid`).
PENDING_TX_DOMAIN = [
    ("state", "in", ("pending", "authorized")),
    ("provider_code", "not in", ("none", "custom")),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    payment_allocation_line_ids = fields.One2many(
        comodel_name="payment.allocation.line",
        inverse_name="move_id",
        string="Online Payment Allocations",
        readonly=True,
    )
    payment_allocation_count = fields.Integer(
        string="Online Payments",
        compute="_compute_payment_allocation_count",
    )

    @api.depends("payment_allocation_line_ids")
    def _compute_payment_allocation_count(self):
        data = dict(
            self.env["payment.allocation.line"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.payment_allocation_count = data.get(move, 0)

    def action_view_payment_allocation_lines(self):
        self.ensure_one()
        return {
            "name": self.env._("Online Payment Allocations"),
            "type": "ir.actions.act_window",
            "res_model": "payment.allocation.line",
            "view_mode": "list,form",
            "domain": [("move_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Portal payment setting (customer_portal_invoices)
    # ------------------------------------------------------------------

    @api.model
    def _payment_allocation_portal_payment_enabled(self):
        """Odoo's switch "Invoice Online Payment" (account_payment), which
        stock `_has_to_be_paid` checks too."""
        # sudo: system parameters are not readable by portal users
        return str2bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_payment.enable_portal_payment")
        )

    def _payment_allocation_pay_allowed(self):
        """Whether portal users may pay these documents online: the Invoice
        Online Payment switch is on and their companies allow it
        (``portal_invoice_allow_pay``); for no document, the switch alone."""
        if not self._payment_allocation_portal_payment_enabled():
            return False
        # sudo: only the setting of the documents' companies is read
        return all(self.company_id.sudo().mapped("portal_invoice_allow_pay"))

    def _payment_allocation_pending(self):
        """The documents with a transaction still being processed."""
        # sudo: portal users cannot read transactions
        return (
            self.sudo()
            .filtered(
                lambda move: move.transaction_ids.filtered_domain(PENDING_TX_DOMAIN)
            )
            .with_env(self.env)
        )

    def _has_to_be_paid(self):
        """Override of `account_payment`: the portal offers no online payment
        (Pay Now buttons, pay dialog) for the documents of a company that
        turned portal payments off."""
        return super()._has_to_be_paid() and self._payment_allocation_pay_allowed()

    def _get_online_payment_error(self):
        """Override of `account_payment`: explain why a document of a company
        that turned portal payments off cannot be paid."""
        error = super()._get_online_payment_error()
        if self._payment_allocation_pay_allowed():
            return error
        message = self.env._("Online payment of this invoice is not available.")
        return "\n".join(filter(None, [message, error]))

    @api.model
    def _payment_allocation_open_domain(self, commercial_partner):
        """Domain of the invoices of ``commercial_partner`` open for payment.

        Searched with the portal user's environment, the record rules of
        customer_portal_invoices narrow it to what the contact may see. The
        invoices of companies that turned portal payments off and those with
        a payment still being processed are left out."""
        # sudo: only the payment setting of the companies is read
        pay_off_companies = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("portal_invoice_allow_pay", "=", False)])
        )
        # sudo: portal users cannot read transactions; a subquery, not ids
        pending = self.sudo()._search(
            [
                ("commercial_partner_id", "=", commercial_partner.id),
                ("transaction_ids", "any", PENDING_TX_DOMAIN),
            ]
        )
        return [
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual", ">", 0),
            ("commercial_partner_id", "=", commercial_partner.id),
            ("company_id", "not in", pay_off_companies.ids),
            ("id", "not in", pending),
        ]

    def _payment_allocation_is_open(self):
        self.ensure_one()
        return (
            self.state == "posted"
            and self.move_type == "out_invoice"
            and self.payment_state in ("not_paid", "partial")
            and self.currency_id.compare_amounts(self.amount_residual, 0) > 0
        )

    def _payment_allocation_check_payable(self, check_count=True):
        """Raise a UserError unless the invoices can be paid together in one
        online payment: at least one, at most 200 (with ``check_count``), all
        open and without a payment being processed, one customer, one company,
        one currency."""
        if not self:
            raise UserError(self.env._("Select at least one invoice to pay."))
        if check_count and len(self) > MAX_INVOICES_PER_PAYMENT:
            raise UserError(
                self.env._(
                    "You can pay at most %(max)s invoices at once; you selected "
                    "%(count)s. Narrow the selection or pay in several times.",
                    max=MAX_INVOICES_PER_PAYMENT,
                    count=len(self),
                )
            )
        closed = self.filtered(lambda move: not move._payment_allocation_is_open())
        if closed:
            raise UserError(
                self.env._(
                    "These invoices are no longer open for payment: %(names)s.",
                    names=", ".join(closed.mapped("display_name")),
                )
            )
        pending = self._payment_allocation_pending()
        if pending:
            raise UserError(
                self.env._(
                    "A payment of these invoices is being processed: %(names)s. "
                    "Wait for it to complete before paying them again.",
                    names=", ".join(pending.mapped("display_name")),
                )
            )
        if len(self.currency_id) > 1:
            raise UserError(
                self.env._(
                    "Invoices in different currencies (%(currencies)s) are paid "
                    "separately: select invoices in one currency.",
                    currencies=", ".join(self.currency_id.mapped("name")),
                )
            )
        if len(self.company_id) > 1:
            raise UserError(
                self.env._(
                    "Invoices of different companies are paid separately: "
                    "select invoices of one company."
                )
            )
        if len(self.commercial_partner_id) > 1:
            raise UserError(
                self.env._("Invoices of different customers are paid separately.")
            )

    @api.model
    def _payment_allocation_search_reached(
        self, domain, amount, currency, order, chunk=PAY_CHUNK
    ):
        """The invoices of ``domain``, in ``order``, that ``amount`` reaches:
        fetched ``chunk`` at a time until their residuals cover the amount,
        so a small amount does not load every open invoice."""
        ids = []
        covered = 0.0
        offset = 0
        while currency.compare_amounts(covered, amount) < 0:
            moves = self.search_fetch(
                domain, PAY_FETCH_FIELDS, order=order, offset=offset, limit=chunk
            )
            for move in moves:
                ids.append(move.id)
                covered += move.amount_residual
                if currency.compare_amounts(covered, amount) >= 0:
                    break
            if len(moves) < chunk:
                break
            offset += chunk
        return self.browse(ids)

    def _payment_allocation_items(self):
        """The open items handed to the allocation engine."""
        return [
            {
                "id": move.id,
                "residual": move.amount_residual,
                "due_date": move.invoice_date_due,
                "date": move.invoice_date,
            }
            for move in self
        ]

    def _payment_allocation_split(self, amount=None, allow_surplus=False):
        """Split ``amount`` (default: the open total) over the invoices, oldest
        first, with the allocation engine.

        :return: list of ``(invoice, amount)`` in payment order, then
            ``(empty recordset, surplus)`` if a surplus is allowed and left.
        """
        currency = self.currency_id
        currency.ensure_one()
        if amount is None:
            amount = currency.round(sum(self.mapped("amount_residual")))
        try:
            pairs = allocate(
                amount,
                self._payment_allocation_items(),
                rounding=currency.rounding,
                allow_surplus=allow_surplus,
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The amount %(amount)s cannot be applied to these invoices.",
                    amount=amount,
                )
            ) from error
        moves = {move.id: move for move in self}
        return [
            (moves[move_id] if move_id else self.browse(), float(part))
            for move_id, part in pairs
        ]

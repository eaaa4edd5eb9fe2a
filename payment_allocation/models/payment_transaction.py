# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .account_move import MAX_INVOICES_PER_PAYMENT

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    payment_allocation_line_ids = fields.One2many(
        comodel_name="payment.allocation.line",
        inverse_name="transaction_id",
        string="Allocation",
        readonly=True,
        copy=False,
    )
    payment_allocation_credit = fields.Monetary(
        string="Left as Credit",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="Part of the payment not applied to any invoice when it was "
        "confirmed (invoices paid in the meantime): it stays on the customer's "
        "account as credit.",
    )
    payment_allocation_credit_applied = fields.Monetary(
        string="Credits Applied",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="Open credits of the customer (credit notes, unapplied payments) "
        "applied to the invoices when the payment was made, before charging "
        "this amount: a reconciliation, not part of the amount charged.",
    )
    payment_allocation_reallocated = fields.Boolean(
        string="Reallocated",
        readonly=True,
        copy=False,
        help="Some invoices were paid in the meantime: the payment was applied "
        "again, oldest first, to the invoices still open.",
    )
    payment_allocation_receipt_sent = fields.Boolean(readonly=True, copy=False)

    # === BUSINESS METHODS - ALLOCATION === #

    @api.model
    def _payment_allocation_compute(self, invoices, amount=None):
        """Allocate ``amount`` (default: their open total) over ``invoices``.

        The invoices are checked (open, one customer, company and currency);
        the allocation engine decides the amount per invoice, oldest first.

        :return: list of ``(invoice, amount)`` in payment order.
        :raise UserError: when the invoices or the amount cannot be paid.
        """
        # A custom amount may be offered to more open invoices than the limit:
        # only those it reaches count.
        invoices._payment_allocation_check_payable(check_count=amount is None)
        pairs = invoices._payment_allocation_split(amount)
        if len(pairs) > MAX_INVOICES_PER_PAYMENT:
            raise UserError(
                self.env._(
                    "This amount would pay more than %(max)s invoices at once; "
                    "pay a smaller amount.",
                    max=MAX_INVOICES_PER_PAYMENT,
                )
            )
        return pairs

    @api.model
    def _payment_allocation_prepare(self, invoices, amount=None):
        """The allocation of ``amount`` over ``invoices`` as transaction values.

        :return: ``(amount, create values)``: the amount to charge, the
            invoices and the allocation lines of the transaction.
        """
        pairs = self._payment_allocation_compute(invoices, amount)
        currency = invoices.currency_id
        total = currency.round(sum(part for _move, part in pairs))
        values = {
            "invoice_ids": [Command.set([move.id for move, _part in pairs])],
            "payment_allocation_line_ids": [
                Command.create(
                    {
                        "sequence": sequence,
                        "move_id": move.id,
                        "amount": part,
                        "currency_id": currency.id,
                    }
                )
                for sequence, (move, part) in enumerate(pairs)
            ],
        }
        return total, values

    @api.model
    def _payment_allocation_check_payment_choice(
        self, values, company, partner, amount, currency
    ):
        """The provider, payment method or token chosen in the browser must be
        one the payment form offers for this payment: a compatible provider of
        the company of the invoices (enabled or in test mode, published for
        portal users, accepting the currency, the amount and the partner's
        country), one of its compatible payment methods, or a saved method of
        such a provider that the current user may use.

        :param dict values: the transaction values sent by the browser.
        :return: the transaction keyword arguments, cleaned.
        :raise UserError: with a sentence, when the choice is not valid.
        """
        refused = UserError(self.env._("This payment method cannot be used here."))
        flow = values.get("flow")
        if flow not in ("redirect", "direct", "token"):
            raise UserError(self.env._("Choose a payment method to pay with."))
        cast = self.env["account.move"]._payment_allocation_cast_id
        # sudo: portal users cannot read providers, methods and tokens; the
        # portal user stays the env user, so unpublished providers are out
        providers_sudo = (
            self.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, partner.id, amount, currency_id=currency.id
            )
        )
        values = dict(
            values,
            flow=flow,
            tokenization_requested=bool(values.get("tokenization_requested")),
        )
        if flow == "token":
            token_id = cast(values.get("token_id"))
            # only the methods the user may use (payment.token override)
            tokens_sudo = (
                self.env["payment.token"]
                .sudo()
                ._get_available_tokens(providers_sudo.ids, partner.id)
            )
            token_sudo = tokens_sudo.filtered(lambda token: token.id == token_id)
            if not token_sudo:
                raise refused
            values.update(
                token_id=token_sudo.id,
                provider_id=token_sudo.provider_id.id,
                payment_method_id=token_sudo.payment_method_id.id,
            )
            return values
        provider_sudo = providers_sudo.filtered(
            lambda provider: provider.id == cast(values.get("provider_id"))
        )
        if not provider_sudo:
            raise refused
        methods_sudo = (
            self.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                provider_sudo.ids, partner.id, currency_id=currency.id
            )
        )
        method_id = cast(values.get("payment_method_id"))
        if not methods_sudo.filtered(lambda method: method.id == method_id):
            raise refused
        values.update(
            provider_id=provider_sudo.id, payment_method_id=method_id, token_id=None
        )
        return values

    # === BUSINESS METHODS - POST-PROCESSING === #

    def _create_payment(self, **extra_create_values):
        """Override of `account_payment`: when the transaction carries an
        allocation, the payment is reconciled as allocated, right after it is
        posted (see `account.payment.action_post`), instead of by due date;
        then what each invoice received is recorded."""
        if not self.payment_allocation_line_ids:
            return super()._create_payment(**extra_create_values)
        write_offs = self._payment_allocation_discount_write_offs()
        if write_offs:
            extra_create_values = dict(
                extra_create_values,
                write_off_line_vals=[
                    *extra_create_values.get("write_off_line_vals", []),
                    *write_offs,
                ],
            )
        payment = super(
            PaymentTransaction, self.with_context(payment_allocation_tx_id=self.id)
        )._create_payment(**extra_create_values)
        self._payment_allocation_record_applied(payment)
        return payment

    def _payment_allocation_discount_write_offs(self):
        """The early-payment discount lines of the payment: one set per
        invoice the allocation pays in full at its discounted amount, as the
        payment register books them, so that each of them ends fully paid.
        Stock `_create_payment` books the discount of the one invoice whose
        discounted amount is the whole transaction amount: that one is left
        to it."""
        self.ensure_one()
        Move = self.env["account.move"]
        currency = self.currency_id
        terms = self.payment_allocation_line_ids.move_id.invoice_payment_term_id
        if not terms.filtered("early_discount"):
            return []
        try:
            plan, _reallocated = self._payment_allocation_plan()
        except (UserError, ValueError):
            # The reconciliation falls back to stock's, which books no
            # discount (see `_payment_allocation_reconcile_or_fallback`).
            return []
        stock_done = False
        lines = []
        for move, amount in plan:
            if not move.invoice_payment_term_id.early_discount:
                continue
            values = move._get_invoice_next_payment_values()
            if values.get("installment_state") != "epd" or currency.compare_amounts(
                amount, values["amount_due"]
            ):
                continue
            if not stock_done and self.amount == values["amount_due"]:
                stock_done = True  # booked by stock _create_payment
                continue
            term_line = values["epd_line"]
            discounts = Move._get_invoice_counterpart_amls_for_early_payment_discount(
                [
                    {
                        "aml": term_line,
                        "amount_currency": -term_line.amount_residual_currency,
                        "balance": -term_line.balance,
                    }
                ],
                values["epd_discount_amount"],
            )
            for key_lines in discounts.values():
                for line_values in key_lines:
                    lines.append(dict(line_values, partner_id=move.partner_id.id))
        return lines

    def _post_process(self):
        """Override of `payment`: send the receipt with the allocation
        breakdown once an allocated payment is confirmed."""
        res = super()._post_process()
        for tx in self.filtered(
            lambda t: (
                t.state == "done"
                and t.payment_allocation_line_ids
                and not t.payment_allocation_receipt_sent
            )
        ):
            tx._payment_allocation_send_receipt()
        return res

    def _payment_allocation_plan(self):
        """The invoices and amounts to reconcile the payment with, now.

        As allocated when every allocated invoice is still open for at least
        its amount; otherwise the payment is applied again, oldest first, over
        the allocated invoices still open, the rest being left as credit.

        :return: ``(list of (invoice, amount), reallocated)``
        """
        self.ensure_one()
        currency = self.currency_id
        lines = self.payment_allocation_line_ids.sorted("sequence")
        last = lines[-1:]

        def unchanged(line):
            # Every invoice but the last one is paid in full: its residual must
            # be exactly the allocated amount, or paying it in full would take
            # money allocated to the next invoices. The last one may be paid
            # in part: its residual must cover the allocated amount.
            move = line.move_id
            if move.currency_id != currency or not move._payment_allocation_is_open():
                return False
            # what pays it in full today: early-payment discount included
            compare = currency.compare_amounts(
                move._payment_allocation_amount_due(), line.amount
            )
            return compare >= 0 if line == last else compare == 0

        if all(unchanged(line) for line in lines):
            return [(line.move_id, line.amount) for line in lines], False
        open_moves = lines.move_id.filtered(
            lambda move: (
                move.currency_id == currency and move._payment_allocation_is_open()
            )
        )
        if not open_moves:
            return [], True
        pairs = open_moves._payment_allocation_split(self.amount, allow_surplus=True)
        return [(move, amount) for move, amount in pairs if move], True

    def _payment_allocation_reconcile(self, payment):
        """Reconcile the posted ``payment`` with the invoices of the allocation,
        one invoice after the other in payment order."""
        self.ensure_one()
        plan, reallocated = self._payment_allocation_plan()
        account = payment.destination_account_id
        pay_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == account and not line.reconciled
        )
        groups = []
        for move, _amount in plan:
            term_lines = move.line_ids.filtered(
                lambda line: (
                    line.display_type == "payment_term"
                    and line.account_id == account
                    and not line.reconciled
                )
            )
            if term_lines:
                groups.append(pay_lines + term_lines)
        if pay_lines and groups:
            # A list of groups: each invoice in turn, so every invoice is paid
            # in full but the last one, exactly as the engine decided.
            self.env["account.move.line"]._reconcile_plan([groups])
        self.payment_allocation_reallocated = reallocated
        if reallocated:
            _logger.info(
                "Transaction %s: invoices paid in the meantime, payment reallocated.",
                self.reference,
            )

    def _payment_allocation_reconcile_or_fallback(self, payment):
        """Reconcile ``payment`` as allocated; should that fail, keep the
        posted payment and let the stock reconciliation of account_payment
        (which runs right after the payment is posted) apply it instead: a
        confirmed charge is never lost."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._payment_allocation_reconcile(payment)
        except (UserError, ValueError):
            _logger.exception(
                "Transaction %s: the payment could not be reconciled as allocated;"
                " it is reconciled with the invoices by due date instead.",
                self.reference,
            )
            self.payment_allocation_reallocated = True

    def _payment_allocation_record_applied(self, payment):
        """Record what each invoice really received from ``payment``, read
        from the reconciliation itself, and what is left as credit."""
        self.ensure_one()
        currency = self.currency_id
        account = payment.destination_account_id
        pay_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == account
        )
        applied = defaultdict(float)
        for partial in pay_lines.matched_debit_ids:
            applied[partial.debit_move_id.move_id] += partial.credit_amount_currency
        # One write per distinct amount, not one per line.
        by_amount = defaultdict(lambda: self.env["payment.allocation.line"])
        for line in self.payment_allocation_line_ids:
            by_amount[currency.round(applied.get(line.move_id, 0.0))] |= line
        for amount, lines in by_amount.items():
            lines.amount_applied = amount
        total_applied = sum(amount * len(lines) for amount, lines in by_amount.items())
        credit = currency.round(self.amount - total_applied)
        self.payment_allocation_credit = max(credit, 0.0)

    def _payment_allocation_send_receipt(self):
        self.ensure_one()
        template = self.env.ref(
            "payment_allocation.mail_template_payment_allocation_receipt",
            raise_if_not_found=False,
        )
        if template and self.partner_id.email:
            template.send_mail(self.id)
        self.payment_allocation_receipt_sent = True

    def _payment_allocation_receipt_url(self):
        self.ensure_one()
        return f"/my/invoices/pay/receipt/{self.id}"

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re
from collections import defaultdict
from datetime import datetime, timezone

import stripe

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.customer_portal_invoices.amounts import format_amount
from odoo.addons.payment import utils as payment_utils

from ..amounts import parse_amount, parse_amount_due
from .payment_provider import ACH_CODE

_logger = logging.getLogger(__name__)

# invoices named in the memo of a payment; the others are counted
MEMO_MAX_NAMES = 10


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
        invoices._payment_allocation_check_count(len(pairs))
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
    def _payment_allocation_check_charge(self, plan, currency, shown_amount):
        """The charge of a portal payment ``plan`` (see
        ``account.move._payment_allocation_credit_plan``) is positive and is
        the amount the page showed (``shown_amount``, as the browser sent it).

        :raise UserError: with a sentence for the customer.
        """
        total = plan["charge"]
        if currency.compare_amounts(total, 0) <= 0:
            raise UserError(
                self.env._(
                    "Your credits pay this selection in full: apply them, "
                    "nothing is charged."
                )
            )
        shown = parse_amount(self.env, shown_amount, currency)
        if currency.compare_amounts(shown, total) != 0:
            raise UserError(
                self.env._(
                    "The amount to pay (%(amount)s) does not match your "
                    "selection (%(expected)s). Reload the page and try again.",
                    amount=format_amount(self.env, shown, currency),
                    expected=format_amount(self.env, total, currency),
                )
            )
        return total

    @api.model
    def _payment_allocation_portal_values(self, invoices, amount, plan, user):
        """Apply the credits of a portal payment ``plan`` of ``invoices``
        (``amount``: the custom amount, None for the invoices in full), then
        the values of the transaction that charges the rest:
        ``(total, create values, reference prefix)``.

        Credits first: a reconciliation the customer asked for, under the
        locks and the payment rule; it stays should the charge of the rest
        fail later. A failure from here on (a UserError) rolls it back.

        :raise UserError: when the invoices changed meanwhile.
        """
        invoices._payment_allocation_apply_credit(plan, user=user)
        charged = invoices.browse([move.id for move, _part in plan["charge_pairs"]])
        total, create_values = self._payment_allocation_prepare(charged, amount)
        currency = invoices.currency_id
        if currency.compare_amounts(total, plan["charge"]) != 0:
            raise UserError(
                self.env._(
                    "Your invoices changed meanwhile. Reload the page and try again."
                )
            )
        if plan["credit"]:
            create_values["payment_allocation_credit_applied"] = plan["credit"]
        paid = invoices.browse(create_values["invoice_ids"][0][2])
        return total, create_values, self._payment_allocation_reference_prefix(paid)

    @api.model
    def _payment_allocation_overdue_values(self, shown_amount):
        """What "Pay overdue" charges: the overdue invoices of the user's
        customer open for payment, for what is still due on them, allocated
        invoice by invoice: ``(invoices, total, create values)``.

        :raise UserError: when there is none, or the amount the page showed
            (``shown_amount``) is not that total.
        """
        invoices = self.env["account.move"]._payment_allocation_overdue_invoices()
        if not invoices:
            raise UserError(self.env._("You have no overdue invoice to pay."))
        total, create_values = self._payment_allocation_prepare(invoices)
        currency = invoices.currency_id
        amount = parse_amount_due(self.env, shown_amount, total, currency)
        if currency.compare_amounts(amount, total) != 0:
            raise UserError(
                self.env._(
                    "The amount to pay does not match your overdue invoices. "
                    "Reload the page and try again."
                )
            )
        return invoices, total, create_values

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
        then what each invoice received is recorded.

        The memo of the payment names the invoices paid ("INV/2026/00012,
        INV/2026/00013"), as the customer reads it on receipts and
        statements, instead of stock's transaction reference, contact and
        provider reference (the transaction keeps its reference)."""
        memo = self._payment_allocation_memo()
        if memo and "memo" not in extra_create_values:
            extra_create_values = dict(extra_create_values, memo=memo)
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

    def _payment_allocation_memo(self):
        """The memo of the payment of this transaction: the names of the
        invoices it pays, in the payment order; empty when it pays none."""
        self.ensure_one()
        invoices = self.payment_allocation_line_ids.sorted("sequence").move_id
        invoices |= self.invoice_ids.sorted(
            lambda m: (m.invoice_date_due or m.date, m.id)
        )
        names = [name for name in invoices.mapped("name") if name]
        if len(names) > MEMO_MAX_NAMES:
            return self.env._(
                "%(names)s and %(count)s more",
                names=", ".join(names[:MEMO_MAX_NAMES]),
                count=len(names) - MEMO_MAX_NAMES,
            )
        return ", ".join(names)

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
        self._payment_allocation_settle_waiting_payments()
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

    # === STRIPE: SAVED CARDS AND BANK ACCOUNTS (ACH), HARDENING === #

    payment_allocation_mandate_date = fields.Datetime(
        string="Accepted On", readonly=True, copy=False
    )
    payment_allocation_mandate_ip = fields.Char(
        string="Accepted From (IP)", readonly=True, copy=False
    )
    payment_allocation_mandate_user_agent = fields.Char(
        string="Accepted With (Browser)", readonly=True, copy=False
    )

    def _payment_allocation_ach_options(self):
        """Stripe options of a US bank account: instant verification through
        Financial Connections, microdeposits when it is not available."""
        prefix = "payment_method_options[us_bank_account]"
        return {
            f"{prefix}[verification_method]": "automatic",
            f"{prefix}[financial_connections][permissions][]": "payment_method",
        }

    def _stripe_prepare_setup_intent_payload(self):
        """Override of `payment_stripe`: bank accounts are verified."""
        payload = super()._stripe_prepare_setup_intent_payload()
        if self.payment_method_code == ACH_CODE:
            payload.update(self._payment_allocation_ach_options())
        return payload

    def _stripe_prepare_payment_intent_payload(self):
        """Override of `payment_stripe`: a new bank account is verified."""
        payload = super()._stripe_prepare_payment_intent_payload()
        if self.payment_method_code == ACH_CODE and self.operation == "online_direct":
            payload.update(self._payment_allocation_ach_options())
        return payload

    def _stripe_create_intent(self):
        """Override of `payment_stripe`: a charge of a saved card or bank
        account (customer on the portal, back office, autopay) goes through
        the official SDK with an idempotency key, so that a retry (network
        retries, a rolled back request) never charges twice. The saved
        mandate goes with a bank account (see the stock payload)."""
        if self.provider_code != "stripe" or self.operation not in (
            "online_token",
            "offline",
        ):
            return super()._stripe_create_intent()
        if not self.token_id.payment_allocation_verified:
            # a bank account awaiting its microdeposits cannot be debited
            self._set_error(
                self.env._(
                    "Stripe: this bank account is not verified yet: the customer "
                    "must enter the amounts of the two small deposits first."
                )
            )
            return None
        payload = self._stripe_prepare_payment_intent_payload()
        client = self.provider_id._payment_allocation_stripe_client()
        # the transaction's id too: a reference may come again after a
        # rolled back transaction, an id never does
        key = payment_utils.generate_idempotency_key(
            self, scope=f"payment_allocation_intent_{self.id}"
        )
        try:
            intent = client.v1.payment_intents.create(
                _stripe_params(payload), {"idempotency_key": key}
            )
        except stripe.StripeError as error:
            body = (error.json_body or {}).get("error") or {}
            _logger.warning(
                "Transaction %s: Stripe refused the charge (HTTP %s): %s",
                self.reference,
                error.http_status,
                body.get("message") or error,
            )
            message = self.provider_id._payment_allocation_stripe_error_message(error)
            self._set_error(
                "Stripe: "
                + self.env._("The payment was not made: %(message)s", message=message)
            )
            return body.get("payment_intent")
        return intent.to_dict()

    def _payment_allocation_check_stripe_intent(self, intent):
        """A PaymentIntent confirms only its own transaction: same reference,
        same provider reference once known, same amount and currency. Asked
        for the intents that reach Odoo from outside (webhook, return route);
        the answers to Odoo's own API calls come from Stripe directly.

        :raise ValidationError: when it differs; the transaction is left as
            it is.
        """
        self.ensure_one()
        expected = payment_utils.to_minor_currency_units(self.amount, self.currency_id)
        problems = []
        if intent.get("description") != self.reference:
            problems.append("reference")
        if self.provider_reference and intent.get("id") != self.provider_reference:
            problems.append("intent")
        if intent.get("amount") != expected:
            problems.append("amount")
        if (intent.get("currency") or "").lower() != self.currency_id.name.lower():
            problems.append("currency")
        if problems:
            _logger.warning(
                "Transaction %s: Stripe intent %s ignored, its %s differ(s).",
                self.reference,
                intent.get("id"),
                ", ".join(problems),
            )
            raise ValidationError(
                self.env._(
                    "Stripe: the payment does not match transaction %(ref)s "
                    "(%(what)s).",
                    ref=self.reference,
                    what=", ".join(problems),
                )
            )

    def _process_notification_data(self, notification_data):
        """Override of `payment_stripe`: a bank account saved with
        microdeposits is saved unverified. (An intent from outside, whose
        reference, amount or currency differs, is refused before: see the
        Stripe controller of this addon.)"""
        res = super()._process_notification_data(notification_data)
        setup_intent = notification_data.get("setup_intent")
        if (
            self.provider_code == "stripe"
            and self.operation == "validation"
            and isinstance(setup_intent, dict)
            and (setup_intent.get("next_action") or {}).get("type")
            == "verify_with_microdeposits"
        ):
            if self.tokenize and not self.token_id:
                self._stripe_tokenize_from_notification_data(notification_data)
                self.token_id.payment_allocation_verified = False
            self._set_pending()
        return res

    def _stripe_tokenize_from_notification_data(self, notification_data):
        """Override of `payment_stripe`: the token keeps its mandate (also
        when saved by a validation, which Odoo does not), who accepted it,
        from where and when, and a bank account's bank."""
        super()._stripe_tokenize_from_notification_data(notification_data)
        token = self.token_id
        if not token:
            return
        intent = (
            notification_data.get("setup_intent")
            or notification_data.get("payment_intent")
            or {}
        )
        values = {
            "payment_allocation_mandate_date": self.payment_allocation_mandate_date,
            "payment_allocation_mandate_ip": self.payment_allocation_mandate_ip,
            "payment_allocation_mandate_user_agent": (
                self.payment_allocation_mandate_user_agent
            ),
        }
        if intent.get("object") == "setup_intent":
            values["payment_allocation_stripe_setup_intent"] = intent.get("id")
            if not token.stripe_mandate and intent.get("mandate"):
                values["stripe_mandate"] = intent["mandate"]
        method = notification_data.get("payment_method")
        if isinstance(method, dict) and method.get("type") == "us_bank_account":
            bank = method.get("us_bank_account") or {}
            values["payment_allocation_bank_name"] = bank.get("bank_name")
        mandate_id = values.get("stripe_mandate") or token.stripe_mandate
        if mandate_id:
            values.update(
                self._payment_allocation_stripe_mandate_acceptance(mandate_id)
            )
        token.write(values)

    def _payment_allocation_stripe_mandate_acceptance(self, mandate_id):
        """Who accepted the mandate, from where and when, as Stripe recorded
        it (the values the server saw are kept when Stripe cannot say)."""
        try:
            mandate = (
                self.provider_id._payment_allocation_stripe_client()
                .v1.mandates.retrieve(mandate_id)
                .to_dict()
            )
        except stripe.StripeError:
            _logger.warning("Stripe mandate %s could not be read.", mandate_id)
            return {}
        acceptance = mandate.get("customer_acceptance") or {}
        online = acceptance.get("online") or {}
        values = {}
        if acceptance.get("accepted_at"):
            values["payment_allocation_mandate_date"] = datetime.fromtimestamp(
                acceptance["accepted_at"], tz=timezone.utc
            ).replace(tzinfo=None)
        if online.get("ip_address"):
            values["payment_allocation_mandate_ip"] = online["ip_address"]
        if online.get("user_agent"):
            values["payment_allocation_mandate_user_agent"] = online["user_agent"]
        return values

    def _set_error(self, state_message, **kwargs):
        """Override of `payment`: when a payment that was being processed
        fails (an ACH debit refused by the bank), its waiting payment (if
        any) is cancelled, the customer and the salespersons of the invoices
        are told; the invoices stay open."""
        pending = self.filtered(
            lambda tx: (
                tx.state in ("pending", "authorized") and tx.operation != "validation"
            )
        )
        res = super()._set_error(state_message, **kwargs)
        # A payment of the payment register waiting for this debit ends
        # cancelled at once, not "In Process" until the post-processing job.
        self.filtered(
            lambda tx: tx.state == "error"
        )._payment_allocation_settle_waiting_payments()
        for tx in pending.filtered(lambda tx: tx.state == "error"):
            tx._payment_allocation_notify_failure()
        return res

    def _payment_allocation_notify_failure(self):
        self.ensure_one()
        invoices = self.invoice_ids | self.payment_allocation_line_ids.move_id
        partners = self.partner_id | invoices.invoice_user_id.partner_id
        body = self.env._(
            "The payment %(ref)s of %(amount)s %(currency)s failed: %(reason)s "
            "The invoices remain to be paid.",
            ref=self.reference,
            amount=self.amount,
            currency=self.currency_id.name,
            reason=self.state_message or "",
        )
        for invoice in invoices or self.partner_id.commercial_partner_id:
            invoice.message_post(
                body=body,
                partner_ids=partners.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    @api.model
    def _payment_allocation_from_stripe_intent(self, intent_id):
        """The payment transaction of a Stripe PaymentIntent id."""
        if not intent_id or not isinstance(intent_id, str):
            return self.browse()
        return self.search(
            [
                ("provider_code", "=", "stripe"),
                ("provider_reference", "=", intent_id),
                ("operation", "not in", ("refund", "validation")),
            ],
            limit=1,
        )

    def _payment_allocation_stripe_returned(self, dispute):
        """A confirmed payment came back (an ACH debit returned by the bank, a
        dispute): its payment is cancelled, so the invoices are open again,
        the transaction is in error and the customer and the invoices'
        salespersons are told. Nothing happens twice.

        :raise ValidationError: when the currency or the amount cannot be this
            transaction's.
        """
        self.ensure_one()
        currency = self.currency_id
        amount = dispute.get("amount")
        if (dispute.get("currency") or "").lower() != currency.name.lower() or not (
            isinstance(amount, int)
            and 0
            < amount
            <= payment_utils.to_minor_currency_units(self.amount, currency)
        ):
            raise ValidationError(
                self.env._(
                    "Stripe: the returned payment does not match transaction %(ref)s.",
                    ref=self.reference,
                )
            )
        if self.state != "done":
            return
        payment = self.payment_id
        if payment and payment.state not in ("canceled", "rejected"):
            payment.action_draft()
            payment.action_cancel()
        reason = dispute.get("reason") or ""
        self._update_state(
            ("done",),
            "error",
            self.env._("The payment was returned (%(reason)s).", reason=reason),
        )
        self._payment_allocation_notify_failure()

    def _payment_allocation_settle_waiting_payments(self):
        """A payment charged by token from the payment register waits in
        draft while its transaction is pending (see `account.payment.
        action_post`): post and reconcile it once the transaction is done,
        cancel it when the transaction fails."""
        for tx in self.filtered(
            lambda t: (
                t.state == "done"
                and t.payment_id
                and t.payment_id._payment_allocation_waiting()
            )
        ):
            payment = tx.payment_id
            payment.action_post()
            if tx.payment_allocation_line_ids:
                tx._payment_allocation_reconcile_or_fallback(payment)
            invoices = tx.invoice_ids | payment.invoice_ids
            account = payment.destination_account_id
            (payment.move_id.line_ids + invoices.line_ids).filtered(
                lambda line, account=account: (
                    line.account_id == account
                    and not line.reconciled
                    and line.parent_state == "posted"
                )
            ).reconcile()
            if tx.payment_allocation_line_ids:
                tx._payment_allocation_record_applied(payment)
        self.filtered(
            lambda t: (
                t.state in ("error", "cancel")
                and t.payment_id
                and t.payment_id._payment_allocation_waiting()
            )
        ).payment_id.action_cancel()


def _stripe_params(payload):
    """Odoo's flat Stripe payload (``a[b]``, ``a[]`` keys) as the nested
    parameters of the SDK; ``None`` and ``False`` values (a partner's empty
    address fields) are left out."""
    params = {}
    for key, value in payload.items():
        if value is None or value is False:
            continue
        path = [key.split("[", 1)[0]] + re.findall(r"\[([^\]]*)\]", key)
        node = params
        for part, nxt in zip(path, path[1:] + [None], strict=True):
            if nxt is None:
                node[part] = value
            elif nxt == "":
                values = value if isinstance(value, list | tuple) else [value]
                node.setdefault(part, []).extend(values)
                break
            else:
                node = node.setdefault(part, {})
    return params

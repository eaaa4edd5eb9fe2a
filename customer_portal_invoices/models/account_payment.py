# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models

# Operations of payment transactions that a customer starts on the portal
# (account_payment / payment); back-office charges and refunds are left out.
PORTAL_TRANSACTION_OPERATIONS = ("online_redirect", "online_direct", "online_token")

# States of the payments the portal payment history lists: confirmed (in
# process: posted, not matched with the bank yet; paid), never draft,
# canceled nor rejected.
PORTAL_PAYMENT_STATES = ("in_process", "paid")


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ("account.payment", "portal.mixin")

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

    # ------------------------------------------------------------------
    # Payment history on the portal (/my/payments)
    # ------------------------------------------------------------------

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for payment in self:
            payment.access_url = f"/my/payments/{payment.id}"
        return res

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Payment Receipt %(name)s", name=self.name or "")

    @api.model
    def _portal_invoice_comment_refused(self, thread_id):
        """The portal comment setting holds on payments (their share link
        opens the chatter post route) as on invoices."""
        return self.env["res.company"]._portal_comment_refused_on(self._name, thread_id)

    def _portal_payment_domain(self):
        """Payments the portal payment history lists: received customer
        payments, confirmed. Who sees which is decided by the record rules
        (``res.partner._portal_payment_rule_domain``)."""
        return [
            ("payment_type", "=", "inbound"),
            ("partner_type", "=", "customer"),
            ("state", "in", PORTAL_PAYMENT_STATES),
        ]

    @api.model
    def _portal_payment_domain_of_invoices(self, invoices):
        """Domain of the payments that paid (part of) ``invoices``: those
        reconciled with them and those linked to them (payments without
        journal entry yet). Who may see them is still up to the rules."""
        # sudo: portal users read neither reconciliations nor journal items;
        # only the payment ids of these invoices' reconciliations are read
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search_fetch(
                [
                    ("debit_move_id.move_id", "in", invoices.ids),
                    ("credit_move_id.payment_id", "!=", False),
                ],
                ["credit_move_id"],
            )
        )
        payment_ids = set(partials.credit_move_id.payment_id.ids)
        payment_ids.update(invoices.sudo().matched_payment_ids.ids)
        return [("id", "in", sorted(payment_ids))]

    def _portal_payment_method_labels(self):
        """How each payment of ``self`` was made, as the customer reads it:
        ``{payment id: label}``. Here the payment method of the journal
        (e.g. "Manual Payment"); payment_allocation tells the card brand and
        its last digits of online payments."""
        # sudo: portal users may not read the journals' payment methods; only
        # the names of those of these (readable) payments are read
        return {
            payment.id: payment.payment_method_line_id.name or ""
            for payment in self.sudo()
        }

    def _portal_payment_allocations(self, user=None):
        """The documents each payment of ``self`` paid and how much of each,
        in the payment's currency, for the portal: one grouped read for the
        whole recordset (no query per payment). Only the documents ``user``
        (default: the current user) may read are listed; what the payment
        paid on others is summed as ``hidden``.

        :return: ``{payment id: {"lines": [(invoice, amount)], "hidden":
            amount paid on documents the current user may not read,
            "unapplied": amount not applied to any document}}``; ``amount``
            is ``None`` when the payment is linked to the invoice but not
            reconciled with it yet (no journal entry).
        """
        result = {
            payment.id: {
                "lines": [],
                "hidden": 0.0,
                "unapplied": 0.0,
                "credits": {},
                "memo": "",
            }
            for payment in self
        }
        if not self:
            return result
        for payment_id, memo in self._portal_payment_memos().items():
            result[payment_id]["memo"] = memo
        sale_types = self.env["account.move"].get_sale_types(include_receipts=True)
        # sudo: portal users read neither reconciliations nor journal items;
        # only the partials of these (readable) payments' receivable lines
        # with customer documents are read
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search_fetch(
                [
                    ("credit_move_id.payment_id", "in", self.ids),
                    ("credit_move_id.account_type", "=", "asset_receivable"),
                    ("debit_move_id.move_id.move_type", "in", sale_types),
                ],
                ["credit_move_id", "debit_move_id", "credit_amount_currency"],
                order="id",
            )
        )
        amounts = defaultdict(float)  # (payment id, invoice id) -> amount
        for partial in partials:
            key = (
                partial.credit_move_id.payment_id.id,
                partial.debit_move_id.move_id.id,
            )
            amounts[key] += partial.credit_amount_currency
        # payments without journal entry yet are only linked to invoices
        # sudo: the links of these payments, filtered below by access
        for payment in self.sudo().filtered(lambda p: not p.move_id):
            invoices = payment.invoice_ids.filtered(lambda m: m.move_type in sale_types)
            for invoice in invoices:
                amounts.setdefault((payment.id, invoice.id), None)
        self._portal_payment_allocations_add(result, amounts)
        Move = self.env["account.move"]
        invoices = Move.browse({invoice_id for _pid, invoice_id in amounts})
        # the documents the user may read (portal pages hand the payment
        # over as the superuser and render reports in sudo: ask as the user)
        visible = invoices.with_user(user or self.env.user)._filtered_access("read")
        visible = (
            Move.browse(visible.ids)
            .sudo()
            .sorted(lambda m: (m.invoice_date or m.date, m.name or "", m.id))
        )
        order = {invoice.id: index for index, invoice in enumerate(visible)}
        for (payment_id, invoice_id), amount in sorted(
            amounts.items(), key=lambda item: order.get(item[0][1], -1)
        ):
            entry = result[payment_id]
            if invoice_id in order:
                entry["lines"].append((Move.browse(invoice_id), amount))
            elif amount:
                entry["hidden"] += amount
        for payment in self:
            entry = result[payment.id]
            applied = sum(amount or 0.0 for _inv, amount in entry["lines"])
            unapplied = payment.currency_id.round(
                payment.amount - applied - entry["hidden"]
            )
            known = all(amount is not None for _inv, amount in entry["lines"])
            if known and payment.currency_id.compare_amounts(unapplied, 0.0) > 0:
                entry["unapplied"] = unapplied
        self._portal_payment_credits_add(result)
        return result

    def _portal_payment_credits_add(self, result):
        """Add to each entry of ``result`` (see `_portal_payment_allocations`)
        the credits applied to the documents it lists, in the document's
        currency: ``{invoice id: amount}``, so that a receipt explains an
        invoice left with nothing due although the payment paid part of it.
        A credit is a credit note, or a payment received on account (not
        registered for that document) and applied to it later; never the
        receipt's own payment. One grouped read for all payments."""
        invoices = self.env["account.move"].browse(
            {line[0].id for entry in result.values() for line in entry["lines"]}
        )
        if not invoices:
            return
        # sudo: portal users read no reconciliation; only the partials of
        # these (listed, readable) invoices with credit notes and payments
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search_fetch(
                [
                    ("debit_move_id.move_id", "in", invoices.ids),
                    "|",
                    ("credit_move_id.move_id.move_type", "=", "out_refund"),
                    ("credit_move_id.payment_id", "!=", False),
                ],
                ["debit_move_id", "credit_move_id", "debit_amount_currency"],
            )
        )
        # (invoice id, paying payment id or None for a credit note) -> amount
        credits = defaultdict(float)
        for partial in partials:
            invoice = partial.debit_move_id.move_id
            payment = partial.credit_move_id.payment_id
            if payment and invoice in payment.invoice_ids:
                continue  # registered for this invoice: a payment, no credit
            credits[invoice.id, payment.id or None] += partial.debit_amount_currency
        for payment_id, entry in result.items():
            for invoice, _amount in entry["lines"]:
                amount = invoice.currency_id.round(
                    sum(
                        value
                        for (invoice_id, credit_payment_id), value in credits.items()
                        if invoice_id == invoice.id and credit_payment_id != payment_id
                    )
                )
                if invoice.currency_id.compare_amounts(amount, 0.0) > 0:
                    entry["credits"][invoice.id] = amount

    def _portal_payment_memos(self):
        """The memo of each payment of ``self`` as the customer reads it:
        ``{payment id: memo}``. Here the memo as recorded; payment_allocation
        names the invoices of online payments instead of the transaction
        reference, contact and provider reference stock writes."""
        # sudo: plain text of these (readable) payments
        return {payment.id: payment.sudo().memo or "" for payment in self}

    def _portal_payment_allocations_add(self, result, amounts):
        """Hook: add to ``amounts`` (``{(payment id, invoice id): amount}``)
        what other modules know of the allocation of these payments."""
        return amounts

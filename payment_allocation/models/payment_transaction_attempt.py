# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Nobody blocks anybody: a payment attempt not confirmed yet (a draft
transaction) blocks no new attempt on its invoices. The same contact
repeating the same payment while its draft is fresh gets that draft back; a
different attempt of the same contact supersedes its own drafts of those
invoices (cancelled, their Stripe PaymentIntent too). Nobody's attempt
cancels another person's. An attempt confirmed all the same is never lost:
it posts as the customer's payment, what its invoices no longer need stays
as the customer's credit, and the back office gets an activity."""

import logging

import stripe

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.payment import utils as payment_utils

from .account_move import DRAFT_TX_FRESH

_logger = logging.getLogger(__name__)

# Operations of the attempts a contact starts on the portal.
PORTAL_OPERATIONS = ("online_redirect", "online_direct", "online_token")
# PaymentIntent statuses of a payment the customer may still complete.
STRIPE_OPEN_STATUSES = (
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
)
# PaymentIntent statuses of a payment Stripe confirmed or is processing:
# it cannot be cancelled any more.
STRIPE_CONFIRMED_STATUSES = ("processing", "requires_capture", "succeeded")


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    payment_allocation_stripe_intent_id = fields.Char(
        string="Stripe PaymentIntent",
        readonly=True,
        copy=False,
        help="The PaymentIntent created for this transaction, known as soon "
        "as it is created (Stripe's reference is only stored once the "
        "customer confirmed): a superseded attempt cancels it.",
    )
    payment_allocation_superseded = fields.Boolean(
        string="Superseded",
        readonly=True,
        copy=False,
        help="Cancelled before it was confirmed, replaced by a newer payment "
        "attempt of the same contact. Should the provider confirm it all the "
        "same, it is confirmed: the money becomes the customer's credit.",
    )

    # === REUSE OR SUPERSEDE === #

    @api.model
    def _payment_allocation_attempt_key(self, values, lines=None):
        """What makes two attempts the same submission: the invoices, the
        amount and currency, who pays for whom, the provider, the payment
        method or saved method, the flow, the saving of the method, and the
        allocation.

        :param dict values: create values (ids) of a transaction.
        :param list lines: ``(invoice id, amount)`` of the allocation.
        """
        currency = self.env["res.currency"].browse(values.get("currency_id"))
        return (
            frozenset(values.get("invoice_ids") or ()),
            currency.round(values.get("amount") or 0.0) if currency else None,
            values.get("currency_id"),
            values.get("partner_id"),
            values.get("provider_id"),
            values.get("payment_method_id"),
            values.get("token_id") or None,
            values.get("operation"),
            bool(values.get("tokenize")),
            tuple(
                (move_id, currency.round(amount) if currency else amount)
                for move_id, amount in (lines or ())
            ),
        )

    def _payment_allocation_own_key(self):
        self.ensure_one()
        return self._payment_allocation_attempt_key(
            {
                "invoice_ids": self.invoice_ids.ids,
                "amount": self.amount,
                "currency_id": self.currency_id.id,
                "partner_id": self.partner_id.id,
                "provider_id": self.provider_id.id,
                "payment_method_id": self.payment_method_id.id,
                "token_id": self.token_id.id,
                "operation": self.operation,
                "tokenize": self.tokenize,
            },
            [
                (line.move_id.id, line.amount)
                for line in self.payment_allocation_line_ids.sorted("sequence")
            ],
        )

    @api.model
    def _payment_allocation_attempt_of(self, params, create_values):
        """The values of the transaction `_create_transaction` (``payment``'s
        portal controller) is asked for with ``params`` and ``create_values``,
        as `_payment_allocation_attempt_key` takes them: ``(values, lines)``."""
        flow = params.get("flow")
        cast = self.env["account.move"]._payment_allocation_cast_id
        params = dict(
            params,
            **{
                name: cast(params.get(name))
                for name in (
                    "provider_id",
                    "payment_method_id",
                    "token_id",
                    "currency_id",
                    "partner_id",
                )
            },
        )
        # sudo: portal users cannot read providers and payment methods
        provider = (
            self.env["payment.provider"].sudo().browse(params["provider_id"] or [])
        )
        method = (
            self.env["payment.method"].sudo().browse(params["payment_method_id"] or [])
        )
        # as `_create_transaction` decides it
        tokenize = bool(
            flow in ("redirect", "direct")
            and provider.allow_tokenization
            and method.support_tokenization
            and (
                provider._is_tokenization_required()
                or params.get("tokenization_requested")
            )
        )
        invoice_ids = []
        lines = []
        for command in (create_values or {}).get("invoice_ids") or []:
            if command[0] == Command.SET:
                invoice_ids = list(command[2])
            elif command[0] == Command.LINK:
                invoice_ids.append(command[1])
        for command in (create_values or {}).get("payment_allocation_line_ids") or []:
            if command[0] == Command.CREATE:
                lines.append((command[2]["move_id"], command[2]["amount"]))
        values = {
            "invoice_ids": invoice_ids,
            "amount": params.get("amount"),
            "currency_id": params.get("currency_id"),
            "partner_id": params.get("partner_id"),
            "provider_id": params.get("provider_id"),
            "payment_method_id": params.get("payment_method_id"),
            "token_id": params.get("token_id") if flow == "token" else None,
            "operation": f"online_{flow}",
            "tokenize": tokenize,
        }
        return values, lines

    @api.model
    def _payment_allocation_reuse_or_supersede(
        self, invoices, user, params, create_values
    ):
        """Before ``user`` starts a new payment attempt of ``invoices``: its
        fresh draft of the very same submission, to be given back instead of
        a second transaction; or, the attempt being a new one, its earlier
        drafts of any of these invoices are superseded (see
        `_payment_allocation_supersede`). Drafts of other users, and of the
        public user (anyone holding a share link), are left alone: they block
        nothing. Call it with the invoices locked.

        :param dict params: the parameters of `_create_transaction`.
        :param dict create_values: its custom create values.
        :return: the draft to reuse (sudo), or an empty recordset.
        :raise UserError: when an earlier draft of the user turns out to be
            confirmed at the provider already (see `_payment_allocation_supersede`).
        """
        partner_id = self.env["account.move"]._payment_allocation_cast_id(
            params.get("partner_id")
        )
        if (
            not invoices
            or not partner_id
            or user._is_public()
            or params.get("is_validation")
        ):
            return self.browse()
        # sudo: the transactions of the user are read to decide, none is
        # returned to a template
        drafts = self.sudo().search(
            [
                ("state", "=", "draft"),
                ("create_uid", "=", user.id),
                ("partner_id", "=", partner_id),
                ("operation", "in", PORTAL_OPERATIONS),
                ("invoice_ids", "in", invoices.ids),
            ],
            order="id desc",
        )
        values, lines = self._payment_allocation_attempt_of(params, create_values)
        key = self._payment_allocation_attempt_key(values, lines)
        fresh_since = fields.Datetime.now() - DRAFT_TX_FRESH
        reuse = drafts.filtered(
            lambda tx: (
                tx.create_date >= fresh_since
                and tx._payment_allocation_own_key() == key
            )
        )[:1]
        (drafts - reuse)._payment_allocation_supersede()
        return reuse

    def _payment_allocation_supersede(self):
        """Cancel these unconfirmed attempts, replaced by a newer one of the
        same contact: a Stripe attempt's PaymentIntent is cancelled first.
        An attempt the provider confirmed meanwhile (Stripe refuses to
        cancel an intent that succeeded or is processing) is kept as it is:
        it will be confirmed normally.

        :raise UserError: when one of them is confirmed at the provider, so
            that the customer is not charged twice.
        """
        confirmed = self.browse()
        for tx in self.filtered(lambda t: t.state == "draft"):
            if tx._payment_allocation_stripe_cancel_intent() == "confirmed":
                confirmed |= tx
                continue
            tx.payment_allocation_superseded = True
            tx._set_canceled(
                state_message=self.env._(
                    "Superseded by a new payment attempt of the same contact."
                )
            )
        if confirmed:
            raise UserError(
                self.env._(
                    "Your previous payment of these invoices (%(refs)s) went "
                    "through or is being processed: wait a moment and reload "
                    "the page before paying again.",
                    refs=", ".join(confirmed.mapped("reference")),
                )
            )

    # === STRIPE: THE PAYMENTINTENT OF AN ATTEMPT === #

    def _payment_allocation_stripe_intent_ref(self):
        self.ensure_one()
        if self.provider_code != "stripe":
            return None
        reference = self.payment_allocation_stripe_intent_id or self.provider_reference
        if reference and reference.startswith("pi_"):
            return reference
        return None

    def _payment_allocation_stripe_cancel_intent(self):
        """Cancel the PaymentIntent of this attempt at Stripe.

        :return: ``"canceled"`` (cancelled now or before, or no intent),
            ``"confirmed"`` (Stripe refused: it succeeded or is processing)
            or ``"unknown"`` (Stripe could not be asked).
        """
        self.ensure_one()
        intent_id = self._payment_allocation_stripe_intent_ref()
        if not intent_id:
            return "canceled"
        client = self.provider_id._payment_allocation_stripe_client()
        try:
            client.v1.payment_intents.cancel(intent_id)
            return "canceled"
        except stripe.StripeError as error:
            _logger.info(
                "Transaction %s: Stripe did not cancel intent %s: %s",
                self.reference,
                intent_id,
                error,
            )
        try:
            status = client.v1.payment_intents.retrieve(intent_id).status
        except stripe.StripeError:
            _logger.warning(
                "Transaction %s: the status of Stripe intent %s is unknown.",
                self.reference,
                intent_id,
            )
            return "unknown"
        if status == "canceled":
            return "canceled"
        if status in STRIPE_CONFIRMED_STATUSES:
            return "confirmed"
        return "unknown"

    def _payment_allocation_stripe_open_intent(self):
        """The PaymentIntent of this draft, when the customer may still
        complete it (same amount and currency): a repeated submission gets
        it back rather than a second intent. None otherwise."""
        self.ensure_one()
        intent_id = self.payment_allocation_stripe_intent_id
        if not intent_id or self.state != "draft":
            return None
        try:
            intent = (
                self.provider_id._payment_allocation_stripe_client()
                .v1.payment_intents.retrieve(intent_id)
                .to_dict()
            )
        except stripe.StripeError:
            return None
        expected = payment_utils.to_minor_currency_units(self.amount, self.currency_id)
        if (
            intent.get("status") not in STRIPE_OPEN_STATUSES
            or intent.get("amount") != expected
            or (intent.get("currency") or "").lower() != self.currency_id.name.lower()
            or not intent.get("client_secret")
        ):
            return None
        return intent

    def _stripe_create_intent(self):
        """Override of `payment_stripe`: the PaymentIntent's id is stored as
        soon as it is created (stock stores it once confirmed), so that a
        superseded attempt can cancel it; a draft given back to its contact
        (see `_payment_allocation_reuse_or_supersede`) keeps its intent."""
        if self.provider_code == "stripe" and self.operation == "online_direct":
            intent = self._payment_allocation_stripe_open_intent()
            if intent:
                return intent
        intent = super()._stripe_create_intent()
        if (
            self.provider_code == "stripe"
            and isinstance(intent, dict)
            and intent.get("object") == "payment_intent"
            and intent.get("id")
        ):
            self.payment_allocation_stripe_intent_id = intent["id"]
        return intent

    # === A SUPERSEDED OR UNNEEDED ATTEMPT CONFIRMED ALL THE SAME === #

    def _set_done(self, state_message=None, extra_allowed_states=()):
        """Override of `payment`: an attempt superseded (cancelled in Odoo)
        that the provider confirms all the same is confirmed: the money came,
        it is never lost (it becomes the customer's credit)."""
        superseded = self.filtered(
            lambda tx: tx.state == "cancel" and tx.payment_allocation_superseded
        )
        done = self.browse()
        if superseded:
            done = super(PaymentTransaction, superseded)._set_done(
                state_message=state_message,
                extra_allowed_states=(*extra_allowed_states, "cancel"),
            )
        return done | super(PaymentTransaction, self - superseded)._set_done(
            state_message=state_message, extra_allowed_states=extra_allowed_states
        )

    def _payment_allocation_record_applied(self, payment):
        """Override: a payment its invoices no longer (fully) need leaves the
        rest as the customer's credit; the back office is told with an
        activity on the payment."""
        res = super()._payment_allocation_record_applied(payment)
        if self.currency_id.compare_amounts(self.payment_allocation_credit, 0) > 0:
            self._payment_allocation_schedule_credit_activity(
                payment, self.payment_allocation_credit
            )
        return res

    def _create_payment(self, **extra_create_values):
        """Override of `account_payment`: a payment of invoices without an
        allocation (the invoice page, stock's routes) that its invoices no
        longer (fully) need is told to the back office too (see
        `_payment_allocation_record_applied` for the allocated ones)."""
        payment = super()._create_payment(**extra_create_values)
        if self.invoice_ids and not self.payment_allocation_line_ids:
            account = payment.destination_account_id
            # sudo: the journal items of the payment are read
            left = -sum(
                payment.sudo()
                .move_id.line_ids.filtered(lambda line: line.account_id == account)
                .mapped("amount_residual_currency")
            )
            if self.currency_id.compare_amounts(left, 0) > 0:
                self._payment_allocation_schedule_credit_activity(
                    payment, self.currency_id.round(left)
                )
        return payment

    def _payment_allocation_activity_user(self):
        """Who is told of a payment left (partly) as credit: the responsible
        of its invoices, else the customer's salesperson, else an accounting
        manager of the company."""
        self.ensure_one()
        invoices = self.payment_allocation_line_ids.move_id | self.invoice_ids
        customer = self.partner_id.commercial_partner_id
        users = (invoices.invoice_user_id | customer.user_id).filtered(
            lambda user: user.active and user._is_internal()
        )
        if users:
            return users[:1]
        return self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("account.group_account_manager").ids),
                ("company_ids", "in", self.company_id.ids),
                ("share", "=", False),
            ],
            order="id",
            limit=1,
        )

    def _payment_allocation_schedule_credit_activity(self, payment, credit):
        """An activity on ``payment``: ``credit`` of it stays on the
        customer's account, its invoices did not need it."""
        self.ensure_one()
        user = self._payment_allocation_activity_user()
        note = self.env._(
            "The online payment %(ref)s of %(amount)s %(currency)s was confirmed "
            "although its invoices no longer needed all of it (paid meanwhile, "
            "or a newer attempt paid them): %(credit)s %(currency)s stays on "
            "the customer's account as unapplied credit. Apply it or refund it.",
            ref=self.reference,
            amount=self.amount,
            currency=self.currency_id.name,
            credit=credit,
        )
        payment.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Online payment left as credit"),
            note=note,
            user_id=user.id or self.env.uid,
        )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading

from psycopg2 import IntegrityError, OperationalError
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, mute_logger, split_every

from .account_move import PAY_ORDER, PAYABLE_MOVE_TYPES

_logger = logging.getLogger(__name__)

# Invoices handled between two readings of the customers' autopay switch.
AUTOPAY_BATCH = 50
# Attempts that stop autopay for their invoice: being paid, or paid.
BLOCKING_STATES = ("processing", "done")


class PaymentAllocationAutopayAttempt(models.Model):
    """One charge of a customer's autopay method for one invoice due."""

    _name = "payment.allocation.autopay.attempt"
    _description = "Autopay Attempt"
    _order = "date desc, id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    token_id = fields.Many2one(
        comodel_name="payment.token",
        string="Payment Method",
        readonly=True,
        ondelete="set null",
    )
    transaction_id = fields.Many2one(
        comodel_name="payment.transaction",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    attempt_number = fields.Integer(string="Attempt", required=True, readonly=True)
    date = fields.Date(
        required=True, readonly=True, default=fields.Date.context_today, index=True
    )
    company_id = fields.Many2one(
        related="move_id.company_id", store=True, index=True, string="Company"
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary(related="transaction_id.amount")
    invoice_user_id = fields.Many2one(
        related="move_id.invoice_user_id", string="Salesperson"
    )
    state = fields.Selection(
        selection=[
            ("processing", "Processing"),
            ("done", "Paid"),
            ("failed", "Failed"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    error = fields.Text(readonly=True)
    notified = fields.Boolean(
        string="Customer Notified",
        readonly=True,
        help="The last attempt failed: the customer and the invoice's "
        "salesperson were told, and autopay stopped for this invoice.",
    )

    # A tuple: the class attribute is shared, never mutated.
    _sql_constraints = (
        (
            "move_attempt_unique",
            "UNIQUE(move_id, attempt_number)",
            "An invoice is charged once per attempt number.",
        ),
    )

    @api.depends("transaction_id.state", "error")
    def _compute_state(self):
        for attempt in self:
            tx_state = attempt.transaction_id.state
            if tx_state == "done":
                attempt.state = "done"
            elif tx_state in ("error", "cancel") or (
                attempt.error and not attempt.transaction_id
            ):
                attempt.state = "failed"
            else:
                attempt.state = "processing"

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------

    @api.model
    def _cron_payment_allocation_autopay(self):
        # commit after each charge, except in tests (as mail's queue does)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        self._payment_allocation_autopay_run(auto_commit=auto_commit)

    @api.model
    def _payment_allocation_autopay_due_domain(self, today):
        """Domain of the invoices autopay charges today: posted customer
        invoices due today or before, of customers on autopay, not being paid
        (see `_payment_allocation_in_progress_tx_domain`: autopay is no person,
        a fresh unconfirmed attempt means someone is paying it right now; an
        abandoned one no longer counts), with no attempt today, none
        processing or paid, not given up on, and not queried by the customer
        (charged once the query is rejected)."""
        Move = self.env["account.move"]
        pay_off_companies = (
            self.env["res.company"]
            .with_context(active_test=False)
            .search([("portal_invoice_allow_pay", "=", False)])
        )
        table = SQL.identifier(self._table, "move_id")
        stopped = self._search(
            [
                "|",
                "|",
                ("state", "in", BLOCKING_STATES),
                ("date", ">=", today),
                ("notified", "=", True),
            ]
        ).subselect(table)
        return [
            ("state", "=", "posted"),
            ("move_type", "in", PAYABLE_MOVE_TYPES),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual", ">", 0),
            ("invoice_date_due", "<=", today),
            ("commercial_partner_id.payment_allocation_autopay", "=", True),
            ("company_id", "not in", pay_off_companies.ids),
            (
                "transaction_ids",
                "not any",
                Move._payment_allocation_in_progress_tx_domain(fresh_drafts=True),
            ),
            ("id", "not in", stopped),
            *Move._payment_allocation_unqueried_domain(),
        ]

    @api.model
    def _payment_allocation_autopay_candidates(self, today=None):
        """The invoices due for autopay, in payment order, each with the
        number of its next attempt: ONE search and ONE grouped read.

        :return: list of ``(invoice, attempt number)``
        """
        today = today or fields.Date.context_today(self)
        invoices = self.env["account.move"].search_fetch(
            self._payment_allocation_autopay_due_domain(today),
            ["commercial_partner_id", "company_id", "currency_id", "amount_residual"],
            order=PAY_ORDER,
        )
        if not invoices:
            return []
        done = dict(
            self._read_group(
                [("move_id", "in", invoices.ids)], ["move_id"], ["attempt_number:max"]
            )
        )
        return [(move, (done.get(move) or 0) + 1) for move in invoices]

    @api.model
    def _payment_allocation_autopay_run(
        self, auto_commit=False, today=None, batch_size=AUTOPAY_BATCH
    ):
        """Charge every invoice due for autopay, once.

        Idempotent: an attempt is created (and, with ``auto_commit``,
        committed) before the provider is asked; an invoice with an attempt
        today, processing or paid is not charged again; two runs at once
        cannot both create the same attempt number (unique constraint): the
        second one skips the invoice. The customers' autopay switch and method
        are read again before each batch, so opting out is immediate.

        :return: the attempts created.
        """
        if not self.env["account.move"]._payment_allocation_portal_payment_enabled():
            return self.browse()
        today = today or fields.Date.context_today(self)
        self._payment_allocation_autopay_notify_late_failures()
        candidates = self._payment_allocation_autopay_candidates(today)
        return self._payment_allocation_autopay_process(
            candidates, today, auto_commit=auto_commit, batch_size=batch_size
        )

    @api.model
    def _payment_allocation_autopay_process(
        self, candidates, today, auto_commit=False, batch_size=AUTOPAY_BATCH
    ):
        """Charge the ``candidates`` (see `_payment_allocation_autopay_candidates`),
        a batch at a time.

        :return: the attempts created.
        """
        attempts = self.browse()
        total = len(candidates)
        for index, batch in enumerate(split_every(batch_size, candidates, list)):
            customers = self.env["res.partner"].browse(
                {move.commercial_partner_id.id for move, _number in batch}
            )
            # Read the switch again: a customer may have opted out meanwhile.
            customers.invalidate_recordset(
                ["payment_allocation_autopay", "payment_allocation_autopay_token_id"]
            )
            customers.fetch(
                ["payment_allocation_autopay", "payment_allocation_autopay_token_id"]
            )
            for move, number in batch:
                customer = move.commercial_partner_id
                retries = move.company_id.payment_allocation_autopay_retries
                if not customer.payment_allocation_autopay or number > retries + 1:
                    continue
                # Charged alone: what its payment changes is not read again
                # for all the invoices of the run (prefetch), invoice by invoice.
                attempts |= self._payment_allocation_autopay_charge(
                    move.browse(move.id),
                    customer.browse(customer.id),
                    number,
                    today,
                    auto_commit=auto_commit,
                )
            done = min((index + 1) * batch_size, total)
            self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return attempts

    @api.model
    def _payment_allocation_autopay_charge(
        self, move, customer, number, today, auto_commit=False
    ):
        """Attempt ``number`` of charging ``move`` with the autopay method of
        ``customer``: create the attempt, then the transaction, then send.

        :return: the attempt, or an empty recordset when another run holds it.
        """
        token = customer.payment_allocation_autopay_token_id
        if not self._payment_allocation_autopay_lock_due(move, today):
            return self.browse()
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                attempt = self.create(
                    {
                        "move_id": move.id,
                        "partner_id": customer.id,
                        "token_id": token.id,
                        "attempt_number": number,
                        "date": today,
                    }
                )
                attempt.flush_recordset()
        except (IntegrityError, OperationalError):
            # Another run created this attempt (unique constraint) or holds it.
            _logger.info(
                "Autopay: attempt %s of %s is made by another run.", number, move.name
            )
            return self.browse()
        tx = self.env["payment.transaction"]
        try:
            with self.env.cr.savepoint():
                error = customer._payment_allocation_autopay_token_error(token)
                if error:
                    raise UserError(error)
                tx = self.env["payment.transaction"]._payment_allocation_charge_token(
                    move,
                    token,
                    reference_prefix=f"{move.name}-AP{number}",
                    send=False,
                )
                attempt.transaction_id = tx
        except (UserError, ValidationError) as error:
            attempt.error = error.args[0]
        if auto_commit:
            # The attempt is stored before the provider is asked: a crash from
            # here on cannot lead to a second charge.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        if tx:
            try:
                with self.env.cr.savepoint():
                    tx._send_payment_request()
            except (UserError, ValidationError) as error:
                tx._set_error(error.args[0])
            if tx.state in ("error", "cancel"):
                attempt.error = tx.state_message or self.env._("The payment failed.")
            tx._payment_allocation_post_process_done()
        attempt._payment_allocation_autopay_notify_if_last()
        if auto_commit:
            # one invoice, one unit of work: a run killed after this point
            # leaves it done, and the next run goes on with the others
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return attempt

    @api.model
    def _payment_allocation_autopay_lock_due(self, move, today):
        """Lock ``move`` for this run and read again, under the lock, whether
        it is still due for autopay: a person paying it meanwhile (the portal,
        an accountant charging a saved method) holds the lock or has left a
        transaction in progress, and the run skips the invoice.

        :return: whether the run may charge ``move`` now.
        """
        try:
            move._payment_allocation_lock()
        except (UserError, SerializationFailure):
            # held by a payment, or changed by one since this run began
            _logger.info("Autopay: %s is being paid right now, skipped.", move.name)
            return False
        move.invalidate_recordset()
        return bool(
            move.search_count(
                [("id", "=", move.id)]
                + self._payment_allocation_autopay_due_domain(today),
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # When it fails for good
    # ------------------------------------------------------------------

    def _payment_allocation_autopay_notify_if_last(self):
        """Tell the customer and the invoice's salesperson when the last
        attempt allowed (Settings: autopay retries) failed; autopay stops for
        the invoice."""
        for attempt in self:
            retries = attempt.move_id.company_id.payment_allocation_autopay_retries
            if (
                attempt.state == "failed"
                and not attempt.notified
                and attempt.attempt_number > retries
            ):
                attempt._payment_allocation_autopay_notify()

    def _payment_allocation_autopay_notify(self):
        self.ensure_one()
        self.notified = True
        template = self.env.ref(
            "payment_allocation.mail_template_payment_allocation_autopay_failed",
            raise_if_not_found=False,
        )
        if template and self._payment_allocation_autopay_recipient().email:
            template.send_mail(self.id)
        move = self.move_id
        if self.attempt_number == 1:
            note = self.env._(
                "Autopay could not charge %(invoice)s after 1 attempt "
                "(%(error)s); it stopped for this invoice.",
                invoice=move.name,
                error=self.error or "",
            )
        else:
            note = self.env._(
                "Autopay could not charge %(invoice)s after %(count)s attempts "
                "(%(error)s); it stopped for this invoice.",
                invoice=move.name,
                count=self.attempt_number,
                error=self.error or "",
            )
        if move.invoice_user_id:
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Autopay failed"),
                note=note,
                user_id=move.invoice_user_id.id,
            )
        else:
            move.message_post(body=note)

    def _payment_allocation_autopay_recipient(self):
        """Who is told the autopay failed: the contact who set it up, else
        the owner of the method, else the customer."""
        self.ensure_one()
        customer = self.partner_id
        return (
            customer.payment_allocation_autopay_contact_id
            or self.token_id.partner_id
            or customer
        )

    @api.model
    def _payment_allocation_autopay_notify_late_failures(self):
        """Failures known after their run (a payment the provider declined
        later): notify those that were the last attempt allowed."""
        [(fewest,)] = self.env["res.company"]._read_group(
            [], [], ["payment_allocation_autopay_retries:min"]
        )
        self.search(
            [
                ("state", "=", "failed"),
                ("notified", "=", False),
                ("attempt_number", ">", fewest or 0),
            ],
            order="id",
        )._payment_allocation_autopay_notify_if_last()

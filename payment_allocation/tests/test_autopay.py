# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common_saved_methods import SavedMethodsCommonMixin


class WorkerKilled(Exception):
    """Stands for the process dying in the middle of a run."""


@tagged("post_install", "-at_install")
class TestAutopay(SavedMethodsCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls._stop_other_autopay()
        cls.contact.portal_invoice_access = "company"
        cls.token = cls._create_demo_token(cls.contact)
        cls.Attempt = cls.env["payment.allocation.autopay.attempt"]
        cls.company.payment_allocation_autopay_retries = 2
        # Due 2 days ago, today, and in 3 days.
        cls.invoices = cls._create_invoices(
            cls.customer, [100.0, 200.0, 300.0], start_days=-2
        )
        cls.invoices[2].invoice_date_due = cls.today + timedelta(days=3)
        cls.customer._payment_allocation_autopay_opt_in(cls.token, user=cls.user)

    def _run(self, day=0, **kwargs):
        with freeze_time(self.today + timedelta(days=day)):
            return self.Attempt._payment_allocation_autopay_run(**kwargs)

    def _charges(self):
        return self.env["payment.transaction"].search(
            [("token_id", "in", self.token.ids), ("operation", "=", "offline")]
        )

    def test_opt_in_stores_the_method(self):
        self.assertTrue(self.customer.payment_allocation_autopay)
        self.assertEqual(self.customer.payment_allocation_autopay_token_id, self.token)
        self.assertEqual(
            self.customer.payment_allocation_autopay_contact_id, self.contact
        )

    def test_each_due_invoice_charged_once(self):
        attempts = self._run()
        self.assertEqual(attempts.move_id, self.invoices[:2])
        self.assertEqual(set(attempts.mapped("state")), {"done"})
        self.assertEqual(set(attempts.mapped("attempt_number")), {1})
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 300.0])
        # One transaction per invoice, allocated and reconciled.
        for attempt in attempts:
            tx = attempt.transaction_id
            self.assertEqual(tx.invoice_ids, attempt.move_id)
            self.assertEqual(tx.payment_allocation_line_ids.move_id, attempt.move_id)
            self.assertEqual(tx.payment_id.state, "paid")
        self.assertEqual(len(self._charges()), 2)
        # A rerun the same day or the next one charges nothing more.
        self.assertFalse(self._run())
        self.assertFalse(self._run(day=1))
        self.assertEqual(len(self._charges()), 2)
        # The third invoice on its due date, once.
        attempts = self._run(day=3)
        self.assertEqual(attempts.move_id, self.invoices[2])
        self.assertFalse(self._run(day=3))
        self.assertEqual(len(self._charges()), 3)
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 0.0])

    def test_partly_paid_invoice_charged_for_its_residual(self):
        self._pay_in_back_office(self.invoices[0], 40.0)
        attempts = self._run()
        tx = attempts.filtered(lambda a: a.move_id == self.invoices[0]).transaction_id
        self.assertEqual(tx.amount, 60.0)
        self.assertEqual(self.invoices[0].amount_residual, 0.0)

    def test_crash_mid_run_never_charges_twice(self):
        """The worker dies while asking the provider for the second invoice:
        the rerun charges nothing again, not even the interrupted invoice,
        whose outcome is unknown."""
        Transaction = self.registry["payment.transaction"]
        original = Transaction._send_payment_request
        sent = []

        def send(tx):
            sent.append(tx.invoice_ids)
            if len(sent) == 2:
                raise WorkerKilled()
            return original(tx)

        with patch.object(Transaction, "_send_payment_request", send):
            # not assertRaises: it would roll back what the run stored
            killed = False
            try:
                self._run()
            except WorkerKilled:
                killed = True
            self.assertTrue(killed)
            self.assertEqual(sent, [self.invoices[0], self.invoices[1]])
            interrupted = self.Attempt.search([("move_id", "=", self.invoices[1].id)])
            self.assertEqual(interrupted.state, "processing")
            self.assertEqual(interrupted.transaction_id.state, "draft")
            # Rerun the same day, then the next days.
            self.assertFalse(self._run())
            self.assertFalse(self._run(day=1))
            self.assertFalse(self._run(day=2))
        self.assertEqual(len(sent), 2, "no payment request sent again")
        self.assertEqual(self.invoices[0].amount_residual, 0.0)
        self.assertEqual(
            self.Attempt.search_count([("move_id", "=", self.invoices[1].id)]), 1
        )

    def test_two_runs_at_once_never_charge_twice(self):
        """Two workers read the due invoices at the same time; the second one
        finds each attempt made (unique invoice and attempt number) and skips."""
        with freeze_time(self.today):
            first = self.Attempt._payment_allocation_autopay_candidates()
            second = self.Attempt._payment_allocation_autopay_candidates()
            self.assertEqual(first, second)
            attempts = self.Attempt._payment_allocation_autopay_process(
                first, self.today
            )
            self.assertEqual(len(attempts), 2)
            again = self.Attempt._payment_allocation_autopay_process(second, self.today)
        self.assertFalse(again)
        self.assertEqual(len(self._charges()), 2)
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 300.0])

    @mute_logger("odoo.sql_db")
    def test_attempt_number_is_unique(self):
        self.Attempt.create(
            {
                "move_id": self.invoices[0].id,
                "partner_id": self.customer.id,
                "attempt_number": 1,
            }
        )
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Attempt.create(
                {
                    "move_id": self.invoices[0].id,
                    "partner_id": self.customer.id,
                    "attempt_number": 1,
                }
            ).flush_recordset()

    def test_failed_card_retried_then_notified_and_stopped(self):
        declined = self._create_demo_token(self.contact, state="error", details="0002")
        self.customer.payment_allocation_autopay_token_id = declined
        self.invoices[0].invoice_user_id = self.env.user
        (self.invoices[1] + self.invoices[2]).invoice_date_due = self.today + timedelta(
            days=30
        )
        Mail = self.env["mail.mail"]
        mails_before = Mail.search_count([])
        first = self._run()
        self.assertEqual(first.move_id, self.invoices[0])
        self.assertEqual(first.state, "failed")
        self.assertTrue(first.error)
        self.assertFalse(first.notified)
        self.assertFalse(self._run(), "one attempt a day")
        second = self._run(day=1)
        self.assertEqual(second.attempt_number, 2)
        self.assertFalse(second.notified)
        self.assertEqual(Mail.search_count([]), mails_before)
        third = self._run(day=2)
        self.assertEqual(third.attempt_number, 3)
        self.assertEqual(third.state, "failed")
        self.assertTrue(third.notified, "2 retries: the third attempt is the last")
        mail = Mail.search([], order="id desc", limit=1)
        self.assertEqual(Mail.search_count([]), mails_before + 1)
        self.assertIn(self.invoices[0].name, mail.subject)
        self.assertEqual(mail.recipient_ids, self.contact)
        activity = self.invoices[0].activity_ids
        self.assertEqual(activity.user_id, self.env.user)
        self.assertIn("Autopay", activity.summary)
        self.assertIn("after 3 attempts", activity.note)
        self.assertIn("after 3 attempts.", mail.body_html)
        # It stopped for this invoice.
        self.assertFalse(self._run(day=3))
        self.assertFalse(self._run(day=10))
        self.assertEqual(self.invoices[0].amount_residual, 100.0)
        self.assertEqual(
            self.Attempt.search_count([("move_id", "=", self.invoices[0].id)]), 3
        )

    def test_late_decline_of_last_attempt_is_notified(self):
        """A charge left pending and declined later by the provider: the job
        notifies it when it was the last attempt."""
        self.company.payment_allocation_autopay_retries = 0
        pending = self._create_demo_token(self.contact, state="pending", details="0003")
        self.customer.payment_allocation_autopay_token_id = pending
        attempts = self._run()
        self.assertEqual(set(attempts.mapped("state")), {"processing"})
        self.assertFalse(self._run(day=1), "a charge being processed blocks")
        attempts[0].transaction_id._set_error("Declined by the bank")
        self.assertEqual(attempts[0].state, "failed")
        self.assertFalse(attempts[0].notified)
        self._run(day=1)
        self.assertTrue(attempts[0].notified)
        self.assertFalse(attempts[1].notified)
        # one attempt in all: the singular sentence
        mail = self.env["mail.mail"].search([], order="id desc", limit=1)
        self.assertIn(attempts[0].move_id.name, mail.subject)
        self.assertIn("after 1 attempt.", mail.body_html)

    def test_opt_out_stops_the_next_run(self):
        self.customer._payment_allocation_autopay_opt_out(user=self.user)
        self.assertFalse(self.customer.payment_allocation_autopay)
        self.assertFalse(self._run())
        self.assertFalse(self._charges())

    def test_opt_out_during_a_run_stops_the_next_batch(self):
        """The switch is read again before every batch."""
        other = self.env["res.partner"].create(
            {"name": "Second Autopay Customer", "is_company": True}
        )
        other_contact = self.env["res.partner"].create(
            {"name": "Second Contact", "parent_id": other.id}
        )
        other_token = self._create_demo_token(other_contact, details="1111")
        other.write(
            {
                "payment_allocation_autopay": True,
                "payment_allocation_autopay_token_id": other_token.id,
            }
        )
        self._create_invoices(other, [50.0], start_days=-5)
        with freeze_time(self.today):
            candidates = self.Attempt._payment_allocation_autopay_candidates()
            self.assertEqual(len(candidates), 3)
            # The run's first batch (the other customer's older invoice) is
            # charged; our customer opts out before the next batch.
            attempts = self.Attempt._payment_allocation_autopay_process(
                candidates[:1], self.today, batch_size=1
            )
            self.customer._payment_allocation_autopay_opt_out(user=self.user)
            attempts |= self.Attempt._payment_allocation_autopay_process(
                candidates[1:], self.today, batch_size=1
            )
        self.assertEqual(attempts.partner_id, other)
        self.assertFalse(self._charges())

    def test_archived_method_fails_and_is_notified(self):
        self.company.payment_allocation_autopay_retries = 0
        self.token.action_archive()
        attempts = self._run()
        self.assertEqual(set(attempts.mapped("state")), {"failed"})
        self.assertTrue(all(attempts.mapped("notified")))
        self.assertFalse(attempts.transaction_id)

    def test_not_charged_while_a_portal_payment_is_processing(self):
        self._create_allocated_transaction(self.invoices[0])
        attempts = self._run()
        self.assertEqual(attempts.move_id, self.invoices[1])

    def test_online_payment_off_charges_nothing(self):
        self.env["ir.config_parameter"].set_param(
            "account_payment.enable_portal_payment", False
        )
        self.assertFalse(self._run())

    def test_who_may_opt_in(self):
        sibling = self.env["res.partner"].create(
            {
                "name": "Own Contact",
                "parent_id": self.customer.id,
                "portal_invoice_access": "own",
            }
        )
        sibling_user = self._create_portal_user(sibling, "pa_autopay_own")
        sibling_token = self._create_demo_token(sibling, details="5555")
        with self.assertRaisesRegex(UserError, "access to all the invoices"):
            self.customer._payment_allocation_autopay_opt_in(
                sibling_token, user=sibling_user
            )
        with self.assertRaisesRegex(UserError, "access to all the invoices"):
            self.customer._payment_allocation_autopay_opt_out(user=sibling_user)
        self.assertTrue(self.customer.payment_allocation_autopay)
        # A company-wide contact: not with a sibling's unshared method.
        with self.assertRaisesRegex(UserError, "may not use"):
            self.customer._payment_allocation_autopay_opt_in(
                sibling_token, user=self.user
            )
        # Another company's contact: not with our method, and only its own
        # customer is changed.
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        other_contact = self.env["res.partner"].create(
            {
                "name": "Other Contact",
                "parent_id": other.id,
                "portal_invoice_access": "company",
            }
        )
        other_user = self._create_portal_user(other_contact, "pa_autopay_other")
        with self.assertRaisesRegex(UserError, "may not use"):
            other._payment_allocation_autopay_opt_in(self.token, user=other_user)
        self.assertFalse(other.payment_allocation_autopay)
        # Back office: only a method of the customer's contacts.
        other_token = self._create_demo_token(other_contact, details="7777")
        with self.assertRaises(ValidationError):
            self.customer.payment_allocation_autopay_token_id = other_token

    def test_back_office_sees_attempts(self):
        self._run()
        self.assertEqual(self.customer.payment_allocation_autopay_attempt_count, 2)
        action = self.customer.action_view_payment_allocation_autopay_attempts()
        self.assertEqual(
            self.Attempt.search(action["domain"]).move_id, self.invoices[:2]
        )
        readonly = self.env["res.users"].create(
            {
                "name": "Auditor",
                "login": "pa_autopay_auditor",
                "groups_id": [
                    (6, 0, [self.env.ref("account.group_account_readonly").id])
                ],
            }
        )
        self.assertEqual(
            self.Attempt.with_user(readonly).search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            2,
        )
        self.assertFalse(
            self.Attempt.with_user(self.user).has_access("read"),
            "portal users read no attempt",
        )


@tagged("post_install", "-at_install")
class TestAutopayQueries(SavedMethodsCommonMixin, TransactionCase):
    """The job makes the same number of queries for each invoice: one search
    and grouped reads for all of them, no search per invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls._stop_other_autopay()
        cls.Attempt = cls.env["payment.allocation.autopay.attempt"]
        cls.customers = {}
        for count in (1, 5, 10, 15):
            customer = cls.env["res.partner"].create(
                {"name": f"Autopay {count}", "is_company": True}
            )
            contact = cls.env["res.partner"].create(
                {"name": f"Autopay contact {count}", "parent_id": customer.id}
            )
            token = cls._create_demo_token(contact, details=f"{count:04d}")
            cls._create_invoices(customer, [10.0] * count, start_days=-30)
            customer.write(
                {
                    "payment_allocation_autopay": True,
                    "payment_allocation_autopay_token_id": token.id,
                }
            )
            cls.customers[count] = customer

    def _queries(self, count):
        """Queries of a run charging the ``count`` invoices of one customer."""
        for number, customer in self.customers.items():
            customer.payment_allocation_autopay = number == count
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        attempts = self.Attempt._payment_allocation_autopay_run()
        self.env.flush_all()
        queries = self.cr.sql_log_count - start
        self.assertEqual(len(attempts), count)
        self.assertEqual(set(attempts.mapped("state")), {"done"})
        return queries

    def test_queries_per_invoice_are_constant(self):
        self._queries(1)  # warm the caches (sequences, templates, registry)
        q5 = self._queries(5)
        q10 = self._queries(10)
        q15 = self._queries(15)
        self.assertEqual(q10 - q5, q15 - q10, f"queries: {q5}, {q10}, {q15}")


@tagged("post_install", "-at_install")
class TestAutopayDemo(TransactionCase):
    def test_demo_customer_on_autopay(self):
        """In a demo database with payment_demo, Summit Foods is on autopay
        with a card its company-wide contact saved."""
        summit = self.env.ref("customer_portal_invoices.partner_summit", False)
        provider = self.env.ref("payment.payment_provider_demo")
        self.assertTrue(
            summit,
            "demo data is missing: install the addons with demo data",
        )
        self.assertEqual(
            provider.module_state, "installed", "payment_demo is not installed"
        )
        self.assertTrue(summit.payment_allocation_autopay)
        token = summit.payment_allocation_autopay_token_id
        self.assertEqual(token.provider_id, provider)
        diego = self.env.ref("customer_portal_invoices.user_summit_diego")
        self.assertEqual(token.partner_id, diego.partner_id)
        self.assertFalse(summit._payment_allocation_autopay_token_error(token))

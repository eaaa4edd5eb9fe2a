# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .common_concurrency import ConcurrencyMixin, WorkerKilled


@tagged("post_install", "-at_install")
class TestStatementJobConcurrency(ConcurrencyMixin, TransactionCase):
    """The monthly statements on two servers at once (the scheduled job on
    one, an accountant running it by hand on another), and a run killed
    midway: each customer gets the month's statement exactly once. The data
    is committed (another connection sees nothing of the test's
    transaction) and removed afterwards."""

    def setUp(self):
        super().setUp()
        with self._committed_env() as env:
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Concurrent Statement Customer {index}",
                        "is_company": True,
                        "email": f"concurrent.statement.{index}@example.com",
                        "portal_statement_monthly": True,
                    }
                    for index in range(3)
                ]
            )
            today = fields.Date.context_today(customers)
        self.customer_ids = customers.ids
        self.date_to = fields.Date.subtract(today.replace(day=1), days=1)
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self._committed_env() as env:
            messages = env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", self.customer_ids)]
            )
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            messages.unlink()
            env["ir.attachment"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", self.customer_ids)]
            ).unlink()
            env["res.partner"].browse(self.customer_ids).unlink()

    def _run(self, env):
        """The job's run, on the test's customers only (the demo customers
        may have opted in too), committing each customer."""
        Partner = env["res.partner"]
        return Partner._portal_statement_monthly_run(
            auto_commit=True, customers=Partner.browse(self.customer_ids)
        ).ids

    def _assert_sent_once(self):
        with self._committed_env() as env:
            messages = env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", self.customer_ids),
                    ("message_type", "=", "comment"),
                    ("attachment_ids", "!=", False),
                ]
            )
            self.assertEqual(
                Counter(messages.mapped("res_id")),
                Counter(self.customer_ids),
                "one statement per customer",
            )
            customers = env["res.partner"].browse(self.customer_ids)
            self.assertEqual(
                set(customers.mapped("portal_statement_last_date")), {self.date_to}
            )

    def test_two_runs_at_once_send_each_statement_once(self):
        (first, first_error), (second, second_error) = self._run_together(
            self._run, self._run
        )
        self.assertIsNone(first_error)
        self.assertIsNone(second_error)
        self.assertEqual(sorted(first + second), sorted(self.customer_ids))
        self._assert_sent_once()
        # a third run sends nothing more
        with self._committed_env() as env:
            self.assertFalse(self._run(env))
        self._assert_sent_once()

    def test_killed_run_is_completed_by_the_next(self):
        def first_unit_done(cr):
            cr.execute(
                "SELECT count(*) FROM res_partner WHERE id IN %s "
                "AND portal_statement_last_date IS NOT NULL",
                [tuple(self.customer_ids)],
            )
            return cr.fetchone()[0] >= 1

        with (
            self.assertRaises(WorkerKilled),
            self._committed_env() as env,
            self._killed_after_first_unit(env, first_unit_done),
        ):
            self._run(env)
        with self._committed_env() as env:
            done = env["res.partner"].search(
                [
                    ("id", "in", self.customer_ids),
                    ("portal_statement_last_date", "=", self.date_to),
                ]
            )
            self.assertEqual(len(done), 1, "the first customer was sent and stored")
        with self._committed_env() as env:
            second = self._run(env)
        self.assertEqual(sorted(second), sorted(set(self.customer_ids) - set(done.ids)))
        self._assert_sent_once()

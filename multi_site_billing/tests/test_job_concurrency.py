# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.customer_portal_invoices.tests.common_concurrency import (
    ConcurrencyMixin,
    WorkerKilled,
)


@tagged("post_install", "-at_install")
class TestAutoGroupConcurrency(ConcurrencyMixin, TransactionCase):
    """The automatic grouping on one server while an accountant groups the
    same invoices on another, and the grouping killed midway: every invoice
    ends under exactly one parent, no parent is left without its children.
    The data is committed (another connection sees nothing of the test's
    transaction) and removed afterwards."""

    def setUp(self):
        super().setUp()
        with self._committed_env() as env:
            Partner = env["res.partner"]
            customer = Partner.create(
                {
                    "name": "Concurrent Grouping Customer",
                    "is_company": True,
                    "parent_invoice_auto_group": True,
                }
            )
            sites = Partner.create(
                [
                    {
                        "name": f"Concurrent Site {code}",
                        "parent_id": customer.id,
                        "type": "delivery",
                        "site_code": code,
                    }
                    for code in ("CN1", "CN2")
                ]
            )
            today = fields.Date.context_today(customer)
            last_month = today.replace(day=1) - timedelta(days=10)
            # two groups (units): two sites' invoices due on each of 2 days
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "partner_shipping_id": site.id,
                        "invoice_date": last_month,
                        "invoice_date_due": today + timedelta(days=days),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Concurrent site service",
                                    "quantity": 1,
                                    "price_unit": 100.0,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for days in (10, 20)
                    for site in sites
                ]
            )
            invoices.action_post()
        self.partner_ids = [customer.id, *sites.ids]
        self.invoice_ids = invoices.ids
        self.groups = [invoices[:2].ids, invoices[2:].ids]
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self._committed_env() as env:
            invoices = env["account.move"].browse(self.invoice_ids)
            parents = (
                env["account.parent.invoice"]
                .with_context(active_test=False)
                .search([("partner_id", "=", self.partner_ids[0])])
            )
            invoices.filtered("parent_invoice_id").action_parent_invoice_ungroup()
            parents.unlink()
            self._remove_moves(invoices)
            env["res.partner"].browse(self.partner_ids).unlink()

    def _auto_group(self, env):
        """The scheduled grouping's run, committing each group."""
        return env["account.parent.invoice"]._cron_auto_group(auto_commit=True).ids

    def _accountant_groups(self, env):
        """An accountant groups the first group's invoices by hand."""
        moves = env["account.move"].browse(self.groups[0])
        return env["account.parent.invoice"]._group_invoices(moves).id

    def _assert_grouped_once(self):
        """Each group under exactly one parent, each parent with its whole
        group: ``{parent id: child ids}``."""
        with self._committed_env() as env:
            parents = env["account.parent.invoice"].search(
                [("partner_id", "=", self.partner_ids[0])]
            )
            children = {parent.id: parent.child_invoice_ids.ids for parent in parents}
            self.assertEqual(
                sorted(sorted(ids) for ids in children.values()),
                sorted(sorted(ids) for ids in self.groups),
                "every invoice under one parent, no parent left empty",
            )
            return children

    def test_grouping_and_accountant_at_once_group_once(self):
        (grouped, job_error), (manual, manual_error) = self._run_together(
            self._auto_group, self._as_request(self._accountant_groups)
        )
        self.assertIsNone(job_error)
        if manual_error:
            # the job grouped the invoices first: refused, nothing made
            self.assertIsInstance(manual_error, UserError)
        children = self._assert_grouped_once()
        if manual:
            self.assertEqual(sorted(children[manual]), sorted(self.groups[0]))
            self.assertEqual(len(grouped), 1, "the job took the other group only")
        else:
            self.assertEqual(sorted(grouped), sorted(children))

    def test_killed_run_is_completed_by_the_next(self):
        def first_unit_done(cr):
            cr.execute(
                "SELECT count(*) FROM account_move WHERE id IN %s "
                "AND parent_invoice_id IS NOT NULL",
                [tuple(self.invoice_ids)],
            )
            return cr.fetchone()[0] >= 1

        with (
            self.assertRaises(WorkerKilled),
            self._committed_env() as env,
            self._killed_after_first_unit(env, first_unit_done),
        ):
            self._auto_group(env)
        with self._committed_env() as env:
            grouped = env["account.move"].search(
                [("id", "in", self.invoice_ids), ("parent_invoice_id", "!=", False)]
            )
            self.assertEqual(len(grouped), 2, "the first group was stored")
        with self._committed_env() as env:
            second = self._auto_group(env)
        self.assertEqual(len(second), 1, "the next run groups the other group only")
        self._assert_grouped_once()

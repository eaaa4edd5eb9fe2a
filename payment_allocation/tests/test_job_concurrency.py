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
class TestAutopayConcurrency(ConcurrencyMixin, TransactionCase):
    """Autopay on one server while an accountant charges the same invoice's
    saved method on another, and autopay killed midway: one charge per
    invoice, always. The data is committed (another connection sees nothing
    of the test's transaction) and removed afterwards."""

    def setUp(self):
        super().setUp()
        with self._committed_env() as env:
            provider = env.ref("payment.payment_provider_demo")
            self.assertIn(
                provider.state,
                ("test", "enabled"),
                "the test runner enables the Demo provider (payment_demo demo data)",
            )
            customer = env["res.partner"].create(
                {"name": "Concurrent Autopay Customer", "is_company": True}
            )
            contact = env["res.partner"].create(
                {
                    "name": "Concurrent Autopay Contact",
                    "parent_id": customer.id,
                    "email": "concurrent.autopay@example.com",
                }
            )
            token = env["payment.token"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": provider.payment_method_ids[:1].id,
                    "partner_id": contact.id,
                    "payment_details": "4242",
                    "provider_ref": f"demo-concurrent-{contact.id}",
                    "demo_simulated_state": "done",
                }
            )
            customer.write(
                {
                    "payment_allocation_autopay": True,
                    "payment_allocation_autopay_token_id": token.id,
                    "payment_allocation_autopay_contact_id": contact.id,
                }
            )
            today = fields.Date.context_today(customer)
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": today - timedelta(days=30),
                        "invoice_date_due": today - timedelta(days=days),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Concurrent service",
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for days, amount in ((3, 100.0), (2, 200.0))
                ]
            )
            invoices.action_post()
            # the provider's payment method line, made once here: Odoo makes
            # it when a first payment needs it, two at once make two
            Line = env["account.payment.method.line"]
            lines = Line.search([("payment_provider_id", "=", provider.id)])
            if provider.journal_id and not lines:
                provider._ensure_payment_method_line()
            self.line_ids = (
                Line.search([("payment_provider_id", "=", provider.id)]) - lines
            ).ids
        self.customer_id, self.contact_id = customer.id, contact.id
        self.token_id, self.invoice_ids = token.id, invoices.ids
        self.today = today
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self._committed_env() as env:
            invoices = env["account.move"].browse(self.invoice_ids)
            transactions = (
                env["payment.transaction"]
                .with_context(active_test=False)
                .search([("invoice_ids", "in", self.invoice_ids)])
            )
            env["payment.allocation.autopay.attempt"].search(
                [("move_id", "in", self.invoice_ids)]
            ).unlink()
            payments = transactions.payment_id
            moves = invoices | payments.move_id
            moves.line_ids.remove_move_reconcile()
            # the receipts e-mailed (a transaction keeps no chatter of its own)
            receipts = env["mail.message"].search(
                [
                    ("model", "=", "payment.transaction"),
                    ("res_id", "in", transactions.ids),
                ]
            )
            # a mail.mail removes its message with it
            env["mail.mail"].search([("mail_message_id", "in", receipts.ids)]).unlink()
            receipts.exists().unlink()
            transactions.unlink()
            payments.action_draft()
            payments.with_context(force_delete=True).unlink()
            self._remove_moves(moves)
            lines = env["account.payment.method.line"].browse(self.line_ids)
            # Odoo keeps the line of an enabled provider: detached first
            lines.payment_provider_id = False
            lines.unlink()
            customer = env["res.partner"].browse(self.customer_id)
            customer.write(
                {
                    "payment_allocation_autopay": False,
                    "payment_allocation_autopay_token_id": False,
                    "payment_allocation_autopay_contact_id": False,
                }
            )
            env["payment.token"].with_context(active_test=False).browse(
                self.token_id
            ).unlink()
            env["res.partner"].browse([self.contact_id, self.customer_id]).unlink()

    def _autopay(self, env):
        """The autopay job's run, on the test's customer only (the demo
        customers may be on autopay too): one invoice, one commit."""
        Attempt = env["payment.allocation.autopay.attempt"]
        candidates = [
            (move, number)
            for move, number in Attempt._payment_allocation_autopay_candidates(
                self.today
            )
            if move.id in self.invoice_ids
        ]
        return Attempt._payment_allocation_autopay_process(
            candidates, self.today, auto_commit=True
        ).ids

    def _accountant_charges(self, env):
        """An accountant charges the customer's saved method for the first
        invoice, as the back-office wizard does."""
        Transaction = env["payment.transaction"]
        tx = Transaction._payment_allocation_charge_token(
            env["account.move"].browse(self.invoice_ids[0]),
            env["payment.token"].browse(self.token_id),
        )
        tx._payment_allocation_post_process_done()
        return tx.id

    def _assert_charged_once(self):
        with self._committed_env() as env:
            invoices = env["account.move"].browse(self.invoice_ids)
            charges = env["payment.transaction"].search(
                [("token_id", "=", self.token_id), ("state", "=", "done")]
            )
            for invoice in invoices:
                with self.subTest(invoice=invoice.name):
                    self.assertEqual(
                        len(
                            charges.filtered(lambda tx, i=invoice: i in tx.invoice_ids)
                        ),
                        1,
                        "charged exactly once",
                    )
                    self.assertEqual(invoice.payment_state, "paid")
            self.assertEqual(len(charges), 2)
            self.assertEqual(sorted(charges.mapped("amount")), [100.0, 200.0])
            self.assertTrue(all(charges.mapped("is_post_processed")))
            # no surplus: the customer holds no credit from a double charge
            payments = charges.payment_id
            self.assertEqual(len(payments), 2)
            self.assertFalse(
                payments.move_id.line_ids.filtered(
                    lambda line: (
                        line.account_id.account_type == "asset_receivable"
                        and not line.reconciled
                    )
                )
            )
            attempts = env["payment.allocation.autopay.attempt"].search(
                [("move_id", "in", self.invoice_ids)]
            )
            self.assertLessEqual(len(attempts), 2)
            self.assertFalse(attempts.filtered(lambda a: a.state == "processing"))
            return charges.ids, attempts.mapped("attempt_number")

    def test_autopay_and_accountant_at_once_charge_once(self):
        (_attempts, autopay_error), (charge, charge_error) = self._run_together(
            self._autopay, self._as_request(self._accountant_charges)
        )
        self.assertIsNone(autopay_error)
        if charge_error:
            # autopay held or charged the invoice first: refused, nothing made
            self.assertIsInstance(charge_error, UserError)
        charges, attempts = self._assert_charged_once()
        if charge:
            self.assertIn(charge, charges)
            self.assertEqual(len(attempts), 1, "autopay left the invoice paid")
        else:
            self.assertEqual(len(attempts), 2)

    def test_killed_run_is_completed_by_the_next(self):
        def first_unit_done(cr):
            cr.execute(
                "SELECT count(*) FROM payment_allocation_autopay_attempt "
                "WHERE move_id IN %s AND state = 'done'",
                [tuple(self.invoice_ids)],
            )
            return cr.fetchone()[0] >= 1

        with (
            self.assertRaises(WorkerKilled),
            self._committed_env() as env,
            self._killed_after_first_unit(env, first_unit_done),
        ):
            self._autopay(env)
        with self._committed_env() as env:
            attempts = env["payment.allocation.autopay.attempt"].search(
                [("move_id", "in", self.invoice_ids)]
            )
            self.assertEqual(attempts.move_id.ids, self.invoice_ids[:1])
        with self._committed_env() as env:
            second = self._autopay(env)
        self.assertEqual(len(second), 1, "the next run charges the other invoice only")
        _charges, attempts = self._assert_charged_once()
        self.assertEqual(len(attempts), 2)
        self.assertEqual(attempts, [1, 1])

    def test_charge_being_sent_blocks_a_second_charge(self):
        """Autopay stores its charge, commits, then asks the provider: in
        between, the invoice is being paid, and a person charging it is
        refused (one charge, not two)."""
        with self._committed_env() as env:
            invoice = env["account.move"].browse(self.invoice_ids[0])
            token = env["payment.token"].browse(self.token_id)
            Transaction = env["payment.transaction"]
            stored = Transaction._payment_allocation_charge_token(
                invoice, token, send=False
            )
            self.assertEqual(stored.state, "draft")
            with self.assertRaisesRegex(UserError, "being processed"):
                Transaction._payment_allocation_charge_token(invoice, token)
            env.cr.rollback()

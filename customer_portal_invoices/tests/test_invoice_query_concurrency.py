# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common_concurrency import ConcurrencyMixin


@tagged("post_install", "-at_install")
class TestInvoiceQueryConcurrency(ConcurrencyMixin, TransactionCase):
    """Two queries of one invoice at the same moment (a double click on
    Send, two contacts of the customer): one query, and the other request
    gets the page's clear message, never a server error. The data is
    committed (another connection sees nothing of the test's transaction)
    and removed afterwards."""

    def setUp(self):
        super().setUp()
        with self._committed_env() as env:
            customer = env["res.partner"].create(
                {"name": "Concurrent Query Customer", "is_company": True}
            )
            contact = env["res.partner"].create(
                {
                    "name": "Concurrent Query Contact",
                    "parent_id": customer.id,
                    "email": "concurrent.query@example.com",
                    "portal_invoice_access": "company",
                }
            )
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "login": "cpi.concurrent.query",
                        "partner_id": contact.id,
                        "groups_id": [Command.set(env.ref("base.group_portal").ids)],
                    }
                )
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_user_id": env.ref("base.user_admin").id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Concurrent service",
                                "quantity": 1,
                                "price_unit": 100.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            invoice.action_post()
            reason = env.ref("customer_portal_invoices.query_reason_wrong_amount")
        self.customer_id, self.contact_id = customer.id, contact.id
        self.user_id, self.invoice_id, self.reason_id = user.id, invoice.id, reason.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self._committed_env() as env:
            invoice = env["account.move"].browse(self.invoice_id)
            queries = env["account.move.query"].search(
                [("move_id", "=", self.invoice_id)]
            )
            messages = env["mail.message"].search(
                [
                    "|",
                    "&",
                    ("model", "=", "account.move"),
                    ("res_id", "=", self.invoice_id),
                    "&",
                    ("model", "=", "account.move.query"),
                    ("res_id", "in", queries.ids),
                ]
            )
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            messages.exists().unlink()
            queries.unlink()
            self._remove_moves(invoice)
            env["res.users"].browse(self.user_id).unlink()
            env["res.partner"].browse([self.contact_id, self.customer_id]).unlink()

    def _raise_query(self, env):
        """The query route's work, as it runs it: the invoice as the
        superuser (checked by the portal), the contact's user asked."""
        invoice = env["account.move"].browse(self.invoice_id)
        user = env["res.users"].browse(self.user_id)
        return invoice._portal_query_raise(
            self.reason_id, "The amount is wrong.", user=user
        ).id

    def test_two_queries_at_once_make_one(self):
        side = self._as_request(self._raise_query)
        # the second request waits for the first and is run again: no
        # failed statement logged (an error a person's double click made)
        with self.assertNoLogs("odoo.sql_db", level="ERROR"):
            outcomes = self._run_together(side, side)
        created = [result for result, error in outcomes if result]
        errors = [error for _result, error in outcomes if error]
        self.assertEqual(len(created), 1, outcomes)
        self.assertEqual(len(errors), 1, outcomes)
        self.assertIsInstance(errors[0], UserError)
        self.assertIn("queried already", errors[0].args[0])
        with self._committed_env() as env:
            queries = env["account.move.query"].search(
                [("move_id", "=", self.invoice_id)]
            )
            self.assertEqual(queries.ids, created)
            self.assertEqual(queries.state, "open")
            invoice = env["account.move"].browse(self.invoice_id)
            self.assertEqual(invoice.portal_query_state, "open")

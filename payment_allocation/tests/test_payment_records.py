# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2.errors import ForeignKeyViolation

from odoo import Command, api
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import PaymentAllocationCommonMixin


@tagged("post_install", "-at_install")
class TestPaymentRecords(PaymentAllocationCommonMixin, TransactionCase):
    """What the back office keeps and reads of online payments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0])

    def _confirmed_payment(self):
        tx = self._create_allocated_transaction(self.invoices)
        tx._set_done()
        tx._post_process()
        self.assertTrue(tx.payment_id)
        return tx.payment_id

    def test_read_only_accountant_opens_a_customer_payment(self):
        payment = self._confirmed_payment()
        auditor = self.env["res.users"].create(
            {
                "name": "Read-only Auditor",
                "login": "pa_auditor",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("account.group_account_readonly").id,
                        ]
                    )
                ],
            }
        )
        form = Form(payment.with_user(auditor))
        self.assertEqual(form.amount, 300.0)
        lines = payment.with_user(auditor).payment_allocation_line_ids
        self.assertEqual(lines.mapped("amount_applied"), [100.0, 200.0])
        self.assertEqual(lines.move_id, self.invoices)

    def test_allocation_lines_survive_their_invoice(self):
        field = self.env["payment.allocation.line"]._fields["move_id"]
        self.assertEqual(field.ondelete, "restrict")
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.customer.id}
        )
        tx = self._create_allocated_transaction(self.invoices[:1], reference="PA-KEEP")
        line = self.env["payment.allocation.line"].create(
            {
                "transaction_id": tx.id,
                "move_id": draft.id,
                "currency_id": self.currency.id,
                "amount": 1.0,
            }
        )
        with (
            self.assertRaises(ForeignKeyViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            draft.unlink()
        self.assertTrue(line.exists())
        self.assertTrue(draft.exists())


@tagged("post_install", "-at_install")
class TestPaymentLock(TransactionCase):
    """Creating a transaction locks the invoices it pays: a second payment
    of the same invoices, in another database transaction, is refused at
    once. The invoices must be committed for another connection to see
    them: the demo data's are."""

    def test_second_payment_of_locked_invoices_refused(self):
        invoice = self.env.ref(
            "customer_portal_invoices.inv_harbor_01", raise_if_not_found=False
        )
        self.assertTrue(invoice, "the test runner installs the demo data")
        invoice._payment_allocation_lock()
        with self.registry.cursor() as other_cr:
            other_env = api.Environment(other_cr, self.env.uid, {})
            with self.assertRaisesRegex(UserError, "being made right now"):
                other_env["account.move"].browse(invoice.id)._payment_allocation_lock()
            # Other invoices are not held.
            other = other_env.ref("customer_portal_invoices.inv_harbor_02")
            other._payment_allocation_lock()
            other_cr.rollback()

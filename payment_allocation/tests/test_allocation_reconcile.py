# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import PaymentAllocationCommonMixin


@tagged("post_install", "-at_install")
class TestAllocationReconcile(PaymentAllocationCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0, 400.0])

    def _confirm(self, tx):
        tx._set_done()
        tx._post_process()
        self.assertTrue(tx.payment_id, "a confirmed transaction has a payment")
        self.assertIn(tx.payment_id.state, ("in_process", "paid"))
        return tx.payment_id

    def test_prepare_allocation_lines(self):
        tx = self._create_allocated_transaction(self.invoices[:3], amount=250.0)
        self.assertEqual(tx.amount, 250.0)
        # Only the invoices the amount reaches are paid.
        self.assertEqual(tx.invoice_ids, self.invoices[:2])
        lines = tx.payment_allocation_line_ids.sorted("sequence")
        self.assertEqual(lines.move_id, self.invoices[:2])
        self.assertEqual(lines.mapped("amount"), [100.0, 150.0])
        self.assertEqual(lines.currency_id, self.currency)

    def test_select_three_invoices_reconciled(self):
        invoices = self.invoices[:3]
        tx = self._create_allocated_transaction(invoices)
        self.assertEqual(tx.amount, 600.0)
        payment = self._confirm(tx)
        self.assertEqual(payment.amount, 600.0)
        self.assertEqual(invoices.mapped("amount_residual"), [0.0, 0.0, 0.0])
        self.assertTrue(
            all(
                state in ("paid", "in_payment")
                for state in invoices.mapped("payment_state")
            )
        )
        self.assertEqual(self.invoices[3].amount_residual, 400.0)
        self.assertEqual(
            tx.payment_allocation_line_ids.mapped("amount_applied"),
            [100.0, 200.0, 300.0],
        )
        self.assertEqual(tx.payment_allocation_credit, 0.0)
        self.assertFalse(tx.payment_allocation_reallocated)
        self.assertEqual(
            payment.payment_allocation_line_ids, tx.payment_allocation_line_ids
        )
        self.assertEqual(self.invoices[0].payment_allocation_count, 1)

    def test_custom_amount_partial_last_invoice(self):
        tx = self._create_allocated_transaction(self.invoices, amount=450.0)
        lines = tx.payment_allocation_line_ids.sorted("sequence")
        self.assertEqual(lines.move_id, self.invoices[:3])
        self.assertEqual(lines.mapped("amount"), [100.0, 200.0, 150.0])
        self._confirm(tx)
        self.assertEqual(
            self.invoices.mapped("amount_residual"), [0.0, 0.0, 150.0, 400.0]
        )
        self.assertEqual(self.invoices[2].payment_state, "partial")
        self.assertEqual(lines.mapped("amount_applied"), [100.0, 200.0, 150.0])

    def test_reconciled_as_allocated_not_by_amount(self):
        """Two invoices due the same day: the engine pays the older invoice
        first, where stock Odoo's reconciliation would pay the smaller one."""
        older, newer = self._create_invoices(
            self.customer, [300.0, 100.0], start_days=-5
        )
        due = older.invoice_date_due
        older.button_draft()
        newer.button_draft()
        older.write({"invoice_date": due.replace(day=1), "invoice_date_due": due})
        newer.write({"invoice_date": due, "invoice_date_due": due})
        (older + newer).action_post()
        tx = self._create_allocated_transaction(older + newer, amount=150.0)
        self.assertEqual(tx.payment_allocation_line_ids.move_id, older)
        self._confirm(tx)
        self.assertEqual(older.amount_residual, 150.0)
        self.assertEqual(newer.amount_residual, 100.0)

    def test_invoice_paid_meanwhile_reallocated_and_credit(self):
        invoices = self.invoices[:3]
        tx = self._create_allocated_transaction(invoices)
        # The second invoice is paid in the back office before the money arrives.
        self._pay_in_back_office(self.invoices[1], 200.0)
        self.assertEqual(self.invoices[1].amount_residual, 0.0)
        payment = self._confirm(tx)
        self.assertEqual(payment.amount, 600.0, "the whole charge is recorded")
        self.assertEqual(
            invoices.mapped("amount_residual"), [0.0, 0.0, 0.0], "nothing paid twice"
        )
        self.assertTrue(tx.payment_allocation_reallocated)
        self.assertEqual(tx.payment_allocation_credit, 200.0)
        lines = tx.payment_allocation_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("amount_applied"), [100.0, 0.0, 300.0])
        # The surplus stays open on the payment: customer credit.
        counterpart = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == payment.destination_account_id
        )
        self.assertEqual(counterpart.amount_residual, -200.0)

    def test_invoice_partly_paid_meanwhile(self):
        tx = self._create_allocated_transaction(self.invoices, amount=450.0)
        self._pay_in_back_office(self.invoices[0], 60.0)
        self._confirm(tx)
        # Reapplied oldest first over what is still open: 40 + 200 + 210.
        self.assertEqual(
            self.invoices.mapped("amount_residual"), [0.0, 0.0, 90.0, 400.0]
        )
        self.assertTrue(tx.payment_allocation_reallocated)
        self.assertEqual(tx.payment_allocation_credit, 0.0)

    def test_residual_grown_meanwhile_reallocated(self):
        """A fully allocated invoice whose residual grew meanwhile (a payment
        of it was unreconciled) is not paid beyond its allocation as if
        nothing changed: the payment is applied again, oldest first."""
        first, second = self.invoices[:2]
        back_office = self._pay_in_back_office(first, 30.0)
        tx = self._create_allocated_transaction(first + second, amount=170.0)
        lines = tx.payment_allocation_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("amount"), [70.0, 100.0])
        back_office.move_id.line_ids.remove_move_reconcile()
        self.assertEqual(first.amount_residual, 100.0)
        self._confirm(tx)
        self.assertTrue(tx.payment_allocation_reallocated)
        self.assertEqual(lines.mapped("amount_applied"), [100.0, 70.0])
        self.assertEqual((first + second).mapped("amount_residual"), [0.0, 130.0])

    def test_plan_as_allocated_last_line_may_grow(self):
        """The last invoice, paid in part, may have a larger residual."""
        tx = self._create_allocated_transaction(self.invoices[:2], amount=150.0)
        plan, reallocated = tx._payment_allocation_plan()
        self.assertFalse(reallocated)
        self.assertEqual([amount for _move, amount in plan], [100.0, 50.0])

    def test_reconcile_failure_keeps_the_payment(self):
        """Should the allocated reconciliation fail, the confirmed charge still
        ends as a posted payment, reconciled by the stock rules."""
        invoices = self.invoices[:2]
        tx = self._create_allocated_transaction(invoices)
        Transaction = type(self.env["payment.transaction"])

        def broken_plan(tx_self):
            raise UserError(tx_self.env._("The allocation could not be planned."))

        with (
            patch.object(Transaction, "_payment_allocation_plan", broken_plan),
            mute_logger("odoo.addons.payment_allocation.models.payment_transaction"),
        ):
            payment = self._confirm(tx)
        self.assertEqual(payment.amount, 300.0)
        self.assertEqual(invoices.mapped("amount_residual"), [0.0, 0.0])
        self.assertTrue(tx.payment_allocation_reallocated)
        lines = tx.payment_allocation_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("amount_applied"), [100.0, 200.0])
        self.assertEqual(tx.payment_allocation_credit, 0.0)

    def test_applied_amounts_written_per_value(self):
        """Applied amounts are recorded for every line, also when several
        lines get the same amount."""
        invoices = self._create_invoices(self.customer, [50.0] * 5, start_days=-90)
        tx = self._create_allocated_transaction(invoices, amount=220.0)
        self._confirm(tx)
        lines = tx.payment_allocation_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("amount_applied"), [50.0, 50.0, 50.0, 50.0, 20.0])

    def test_custom_amount_fetches_only_the_invoices_it_reaches(self):
        Move = self.env["account.move"]
        domain = Move._payment_allocation_open_domain(self.customer)
        order = "invoice_date_due asc, invoice_date asc, id asc"
        for chunk in (1, 3, 200):
            with self.subTest(chunk=chunk):
                reached = Move._payment_allocation_search_reached(
                    domain, 250.0, self.currency, order, chunk=chunk
                )
                self.assertEqual(reached, self.invoices[:2])
                reached = Move._payment_allocation_search_reached(
                    domain, 1000.0, self.currency, order, chunk=chunk
                )
                self.assertEqual(reached, self.invoices)
        # One query, whatever the number of open invoices.
        self.env.invalidate_all()
        self.assertEqual(self.currency.rounding, 0.01)  # in cache
        with self.assertQueryCount(1):
            reached = Move._payment_allocation_search_reached(
                domain, 50.0, self.currency, order
            )
            self.assertEqual(reached.mapped("amount_residual"), [100.0])

    def test_receipt_mail(self):
        tx = self._create_allocated_transaction(self.invoices[:2])
        self._confirm(tx)
        self.assertTrue(tx.payment_allocation_receipt_sent)
        mail = self.env["mail.mail"].search(
            [("subject", "ilike", tx.reference)], order="id desc", limit=1
        )
        self.assertTrue(mail, "the receipt e-mail is queued")
        self.assertIn(self.invoices[0].name, mail.body_html)
        self.assertIn(self.contact, mail.recipient_ids)

    def test_refuse_bad_selection(self):
        Transaction = self.env["payment.transaction"]
        eur = self.env.ref("base.EUR")
        eur.active = True
        eur_invoice = self._create_invoices(self.customer, [50.0], currency=eur)
        with self.assertRaisesRegex(UserError, "different currencies"):
            Transaction._payment_allocation_prepare(self.invoices[:1] + eur_invoice)
        with self.assertRaisesRegex(UserError, "above|cannot be applied"):
            Transaction._payment_allocation_prepare(self.invoices[:1], amount=1000.0)
        with self.assertRaisesRegex(UserError, "Select at least one"):
            Transaction._payment_allocation_prepare(self.env["account.move"])
        self.invoices[0].button_draft()
        with self.assertRaisesRegex(UserError, "cannot be paid online"):
            Transaction._payment_allocation_prepare(self.invoices[:2])

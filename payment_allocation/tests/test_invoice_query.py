# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, TransactionCase, tagged

from .common_saved_methods import SavedMethodsCommonMixin
from .test_portal_payment import PAY, PortalPaymentMixin


def _raise_query(invoice, user):
    """``user`` queries ``invoice`` from the portal (customer_portal_invoices)."""
    reason = invoice.env.ref("customer_portal_invoices.query_reason_wrong_amount")
    return (
        invoice.with_user(user)
        ._portal_query_raise(reason.id, "Wrong amount.", user=user)
        .with_env(invoice.env)
    )


@tagged("post_install", "-at_install")
class TestQueryAutopay(SavedMethodsCommonMixin, TransactionCase):
    """Autopay skips an invoice while the customer's query is open, and
    charges it once the query is rejected."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls._stop_other_autopay()
        cls.contact.portal_invoice_access = "company"
        cls.token = cls._create_demo_token(cls.contact)
        cls.Attempt = cls.env["payment.allocation.autopay.attempt"]
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0], start_days=-2)
        cls.customer._payment_allocation_autopay_opt_in(cls.token, user=cls.user)

    def _run(self, day=0):
        with freeze_time(self.today + timedelta(days=day)):
            return self.Attempt._payment_allocation_autopay_run()

    def test_queried_invoice_skipped_then_charged_after_reject(self):
        queried, other = self.invoices
        query = _raise_query(queried, self.user)
        self.assertEqual(queried.portal_query_state, "open")
        attempts = self._run()
        self.assertEqual(attempts.move_id, other)
        self.assertEqual(queried.amount_residual, 100.0)
        self.assertFalse(self._run(day=1), "still queried: nothing charged")
        query.answer_message = "The amount is the agreed one."
        query.action_reject()
        self.assertEqual(queried.portal_query_state, "rejected")
        attempts = self._run(day=1)
        self.assertEqual(attempts.move_id, queried)
        self.assertEqual(attempts.state, "done")
        self.assertEqual(queried.amount_residual, 0.0)


@tagged("post_install", "-at_install")
class TestQueryMakePayment(PortalPaymentMixin, HttpCase):
    """Make a Payment: select all, pay overdue and a custom amount skip a
    queried invoice, its row shows the state, and the customer still pays it
    on purpose (its checkbox, its own page)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        # all overdue
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0, 400.0])
        cls.queried = cls.invoices[1]
        cls.query = _raise_query(cls.queried, cls.user)

    def setUp(self):
        super().setUp()
        self.authenticate("pa_contact", "pa_contact")

    def _preview_ids(self, **selection):
        result = self._rpc(
            f"{PAY}/preview", {"currency_id": self.currency.id, **selection}
        )["result"]
        self.assertNotIn("error", result, result.get("error"))
        return [line["id"] for line in result["lines"]], result

    def test_row_shows_the_state(self):
        response = self.url_open(f"{PAY}?currency_id={self.currency.id}")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(
            response.text, f'data-invoice-id="{self.queried.id}"[^>]*data-queried="1"'
        )
        self.assertEqual(response.text.count('data-queried="1"'), 1)
        self.assertEqual(response.text.count("o_portal_invoice_queried"), 1)

    def test_select_all_skips_it(self):
        ids, _result = self._preview_ids(mode="select", select_all=True)
        self.assertEqual(ids, (self.invoices - self.queried).ids)
        ids, _result = self._preview_ids(
            mode="select", select_all=True, filterby="overdue"
        )
        self.assertEqual(ids, (self.invoices - self.queried).ids)

    def test_select_all_button_counts_what_it_takes(self):
        """The button and its note count the invoices "select all" pays: 3,
        not the 4 rows listed (the queried one is left out)."""
        response = self.url_open(f"{PAY}?currency_id={self.currency.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Select all 3 invoices", response.text)
        self.assertNotIn("Select all 4 invoices", response.text)
        self.assertIn("All 3 invoices matching the filter are selected.", response.text)
        self.assertIn("Queried invoices are left out", response.text)

    def test_pay_overdue_skips_it(self):
        Move = self.env["account.move"].with_user(self.user)
        self.assertEqual(
            Move._payment_allocation_overdue_invoices(), self.invoices - self.queried
        )
        [summary] = Move._payment_allocation_overdue_summary()
        self.assertEqual(summary["count"], 3)
        self.assertEqual(summary["amount"], 800.0)

    def test_custom_amount_skips_it(self):
        ids, result = self._preview_ids(mode="custom", custom_amount="450")
        self.assertEqual(
            ids, self.invoices.filtered(lambda m: m != self.queried)[:3].ids
        )
        self.assertEqual([line["amount"] for line in result["lines"]], [100, 300, 50])
        tx = self._pay(
            450.0, mode="custom", custom_amount="450", currency_id=self.currency.id
        )
        self.assertNotIn(self.queried, tx.payment_allocation_line_ids.move_id)
        self.assertEqual(self.queried.amount_residual, 200.0)

    def test_paid_on_purpose(self):
        """Its own checkbox, or its own page, still pay it; the query stays
        open (only the back office answers it)."""
        self.assertTrue(self.queried.with_user(self.user)._has_to_be_paid())
        tx = self._pay(200.0, mode="select", invoice_ids=self.queried.ids)
        self.assertEqual(tx.invoice_ids, self.queried)
        self.assertEqual(self.queried.amount_residual, 0.0)
        self.assertEqual(self.query.state, "open")

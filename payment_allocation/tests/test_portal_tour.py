# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .test_portal_payment import PAY, PortalPaymentMixin


@tagged("post_install", "-at_install", "portal_tour")
class TestPaymentAllocationTour(PortalPaymentMixin, HttpCase):
    """The Make a Payment page in a browser, paid with the Demo provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0, 400.0])
        # A customer with 230 open invoices: 200 overdue, 30 not due yet.
        cls.big_customer = cls.env["res.partner"].create(
            {"name": "Big Customer", "is_company": True}
        )
        big_contact = cls.env["res.partner"].create(
            {"name": "Big Contact", "parent_id": cls.big_customer.id}
        )
        cls._create_portal_user(big_contact, "pa_big")
        cls.big_overdue = cls._create_invoices(
            cls.big_customer, [10.0] * 200, start_days=-250
        )
        cls.big_not_due = cls._create_invoices(
            cls.big_customer, [10.0] * 30, start_days=5
        )

    def test_tour_select_three_invoices(self):
        self.start_tour(PAY, "payment_allocation_select_tour", login="pa_contact")
        tx = self.invoices[0].transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.invoice_ids, self.invoices[:3])
        self.assertEqual(tx.payment_id.amount, 600.0)
        self.assertEqual(
            self.invoices.mapped("amount_residual"), [0.0, 0.0, 0.0, 400.0]
        )

    def test_tour_custom_amount(self):
        self.start_tour(PAY, "payment_allocation_custom_tour", login="pa_contact")
        tx = self.invoices[0].transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.amount, 450.0)
        self.assertEqual(
            tx.payment_allocation_line_ids.mapped("amount_applied"),
            [100.0, 200.0, 150.0],
        )
        self.assertEqual(
            self.invoices.mapped("amount_residual"), [0.0, 0.0, 150.0, 400.0]
        )

    @mute_logger("odoo.http")  # The refused payment is logged as a warning.
    def test_tour_select_all(self):
        before = self._tx_count()
        # Paying and reconciling 200 invoices takes a while on a busy machine.
        self.start_tour(
            PAY, "payment_allocation_select_all_tour", login="pa_big", timeout=180
        )
        self.assertEqual(self._tx_count(), before + 1, "only the 200 were charged")
        tx = self.big_overdue[0].transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.invoice_ids, self.big_overdue)
        self.assertEqual(tx.amount, 2000.0)
        self.assertEqual(set(self.big_overdue.mapped("amount_residual")), {0.0})
        self.assertEqual(set(self.big_not_due.mapped("amount_residual")), {10.0})

    def test_select_all_json(self):
        """'Select all' is resolved on the server from the filter."""
        self.authenticate("pa_big", "pa_big")
        currency_id = self.currency.id
        self._assert_refused(
            self._tx_params(
                2300.0, mode="select", select_all=True, currency_id=currency_id
            ),
            "would pay 230",
        )
        tx = self._pay(
            2000.0,
            mode="select",
            select_all=True,
            currency_id=currency_id,
            filterby="overdue",
        )
        self.assertEqual(len(tx.payment_allocation_line_ids), 200)
        self.assertTrue(
            set(self.big_overdue.mapped("payment_state")) <= {"paid", "in_payment"}
        )
        self.assertEqual(set(self.big_overdue.mapped("amount_residual")), {0.0})
        self.assertEqual(set(self.big_not_due.mapped("amount_residual")), {10.0})


@tagged("post_install", "-at_install")
class TestPaymentPageQueries(PortalPaymentMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls._create_invoices(cls.customer, [10.0] * 10)
        big_customer = cls.env["res.partner"].create(
            {"name": "Big Customer", "is_company": True}
        )
        big_contact = cls.env["res.partner"].create(
            {"name": "Big Contact", "parent_id": big_customer.id}
        )
        cls._create_portal_user(big_contact, "pa_big")
        cls._create_invoices(big_customer, [10.0] * 200, start_days=-150)

    def _count_page_queries(self, login):
        self.authenticate(login, login)
        self.url_open(PAY)  # Warm the caches (templates, assets, routing).
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        response = self.url_open(PAY)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - start, response

    def test_same_queries_for_10_and_200_invoices(self):
        queries_10, response = self._count_page_queries("pa_contact")
        self.assertEqual(response.text.count("o_payment_allocation_row"), 10)
        self.authenticate("pa_big", "pa_big")
        self.url_open(PAY)
        self.env.invalidate_all()
        with self.assertQueryCount(queries_10):
            response = self.url_open(PAY)
        self.assertGreater(response.text.count("o_payment_allocation_row"), 10)
        self.assertIn("Select all 200 invoices", response.text)


@tagged("post_install", "-at_install", "portal_tour")
class TestPaymentAllocationPhoneTour(PortalPaymentMixin, HttpCase):
    """The Make a Payment page at phone width (390 px)."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [1000.0, 300.0, 4540.0])

    def test_phone_pays_two_invoices(self):
        self.start_tour(PAY, "payment_allocation_phone_tour", login="pa_contact")
        tx = self.invoices[0].transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.invoice_ids, self.invoices[:2])
        self.assertEqual(tx.amount, 1300.0)
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 4540.0])

    def test_custom_amount_error_inline(self):
        self.start_tour(PAY, "payment_allocation_custom_error_tour", login="pa_contact")
        self.assertFalse(self.invoices.transaction_ids)


@tagged("post_install", "-at_install")
class TestPaymentPageQueries1000(PortalPaymentMixin, HttpCase):
    """The payment page makes as many queries for 1,000 open invoices as for
    10, credits and the overdue summary included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls._create_invoices(cls.customer, [10.0] * 10)
        big_customer = cls.env["res.partner"].create(
            {"name": "Big Customer", "is_company": True}
        )
        big_contact = cls.env["res.partner"].create(
            {"name": "Big Contact", "parent_id": big_customer.id}
        )
        cls._create_portal_user(big_contact, "pa_big")
        cls._create_invoices(big_customer, [10.0] * 1000, start_days=-1100)
        # Both customers have an unapplied payment: the credit figures count.
        for partner in (cls.customer, big_customer):
            payment = cls.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": 5.0,
                }
            )
            payment.action_post()

    def _warm(self, login):
        self.authenticate(login, login)
        self.url_open(PAY)  # Warm the caches (templates, assets, routing).
        self.env.invalidate_all()

    def test_same_queries_for_10_and_1000_invoices(self):
        self._warm("pa_contact")
        start = self.cr.sql_log_count
        response = self.url_open(PAY)
        queries_10 = self.cr.sql_log_count - start
        self.assertEqual(response.text.count("o_payment_allocation_row"), 10)
        self.assertIn("Apply my credits", response.text)
        self._warm("pa_big")
        with self.assertQueryCount(queries_10):
            response = self.url_open(PAY)
        self.assertGreater(response.text.count("o_payment_allocation_row"), 10)
        self.assertIn("Select all 1000 invoices", response.text)
        self.assertIn("Apply my credits", response.text)


@tagged("post_install", "-at_install", "portal_tour")
class TestPaymentAllocationCreditTour(PortalPaymentMixin, HttpCase):
    """Credits on the Make a Payment page, in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0])
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.customer.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Refund",
                            "quantity": 1,
                            "price_unit": 150.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        cls.refund = refund

    def test_credit_covers_the_selection(self):
        self.start_tour(PAY, "payment_allocation_credit_tour", login="pa_contact")
        self.assertFalse(self.invoices.transaction_ids, "nothing was charged")
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 200.0])
        self.assertEqual(self.refund.amount_residual, 50.0)

    def test_credit_then_charge(self):
        self.start_tour(
            PAY, "payment_allocation_credit_charge_tour", login="pa_contact"
        )
        tx = self.invoices.transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.amount, 150.0)
        self.assertEqual(tx.payment_allocation_credit_applied, 150.0)
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0])
        self.assertEqual(self.refund.amount_residual, 0.0)

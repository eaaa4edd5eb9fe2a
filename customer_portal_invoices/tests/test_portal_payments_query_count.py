# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalLoadMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPortalPaymentsQueryCount(PortalLoadMixin, AccountTestInvoicingHttpCommon):
    """/my/payments makes the same number of queries for a customer with 10
    invoices and 10 payments and one with 1,000 of each (a full page)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_paying_customer("Small Payer", "cpi.pay.small", 10)
        cls._create_paying_customer("Big Payer", "cpi.pay.big", 1000)

    @classmethod
    def _create_paying_customer(cls, name, login, count):
        """``count`` invoices, each paid by its own payment; every third
        payment also pays the next invoice in part."""
        customer = cls.env["res.partner"].create({"name": name, "is_company": True})
        contact = cls._create_contact(customer, f"{name} Contact", "company")
        cls._create_portal_user(contact, login)
        today = fields.Date.today()
        invoices = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": today - timedelta(days=count - i),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": 100.0 + i,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
                for i in range(count)
            ]
        )
        invoices.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"group_payment": False})._create_payments()
        # one payment more, over two invoices (two allocation lines)
        two = invoices.filtered(lambda m: m.payment_state != "paid")[:2]
        if two:
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=two.ids
            ).create({"group_payment": True})._create_payments()
        return customer

    def test_same_query_count(self):
        url = "/my/payments"
        small, page = self._page_query_count("cpi.pay.small", url)
        self.assertEqual(page.count("o_portal_payment_row"), 10)
        self.authenticate("cpi.pay.big", "cpi.pay.big")
        for _i in range(2):
            self.url_open(url)
        with self.assertQueryCount(small):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        big, page = self._page_query_count("cpi.pay.big", url)
        # the big customer's page is full
        self.assertGreaterEqual(page.count("o_portal_payment_row"), 20)
        self.assertIn("/my/payments/page/2", page)
        _logger.info("%s: %s queries (10 payments), %s (1,000)", url, small, big)
        self.assertEqual(small, big)

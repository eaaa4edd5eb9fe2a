# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalContactsMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestStatementQueryCount(PortalContactsMixin, AccountTestInvoicingHttpCommon):
    """/my/statement makes the same number of queries for a customer with 10
    statement lines and one with 1,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.eur = cls.setup_other_currency("EUR")
        cls.small = cls._create_customer("Small Customer", "cpi.st.perf.small", 10)
        cls.big = cls._create_customer("Big Customer", "cpi.st.perf.big", 1000)

    @classmethod
    def _create_customer(cls, name, login, count):
        customer = cls.env["res.partner"].create({"name": name, "is_company": True})
        contact = cls._create_contact(customer, f"{name} Contact", "company")
        cls._create_portal_user(contact, login)
        moves = cls.env["account.move"].create(
            [
                {
                    # every fifth document a credit note, every seventh in EUR
                    "move_type": "out_refund" if i % 5 == 4 else "out_invoice",
                    "partner_id": customer.id,
                    "currency_id": (
                        cls.eur if i % 7 == 6 else cls.env.company.currency_id
                    ).id,
                    "invoice_date": cls.today - timedelta(days=i % 50),
                    "invoice_date_due": cls.today + timedelta(days=i % 40 - 20),
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
                for i in range(count - 1)
            ]
        )
        moves.action_post()
        # and a payment: count lines in the period
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves[0].ids
        ).create({"amount": 50.0})._create_payments()
        return customer

    def _query_count(self, login, url):
        self.authenticate(login, login)
        # warm up: caches
        for _i in range(2):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
        self.env.flush_all()
        count0 = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - count0, response.text

    def test_same_query_count(self):
        date_from = fields.Date.to_string(self.today - timedelta(days=60))
        url = f"/my/statement?date_from={date_from}"
        small, small_page = self._query_count("cpi.st.perf.small", url)
        big, big_page = self._query_count("cpi.st.perf.big", url)
        _logger.info("/my/statement queries: 10 lines %s, 1,000 lines %s", small, big)
        self.assertEqual(small_page.count('class="o_statement_line"'), 10)
        self.assertEqual(big_page.count('class="o_statement_line"'), 1000)
        self.assertEqual(small, big)
        # and the report model itself, within a fixed budget
        report = self.env["report.customer_portal_invoices.report_statement"]
        for customer in (self.small, self.big):
            self.env.invalidate_all()
            with self.assertQueryCount(16):
                report._get_statement(customer, date_from)

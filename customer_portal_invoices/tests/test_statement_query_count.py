# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalLoadMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestStatementQueryCount(PortalLoadMixin, AccountTestInvoicingHttpCommon):
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
        # count - 1 documents and a payment: count lines in the period
        return cls._create_load_customer(
            name, login, count - 1, lambda i: i % 50, [(0, 50.0)]
        )

    def test_same_query_count(self):
        date_from = fields.Date.to_string(self.today - timedelta(days=60))
        url = f"/my/statement?date_from={date_from}"
        small, small_page = self._page_query_count("cpi.st.perf.small", url)
        big, big_page = self._page_query_count("cpi.st.perf.big", url)
        _logger.info("/my/statement queries: 10 lines %s, 1,000 lines %s", small, big)
        self.assertEqual(small_page.count('class="o_statement_line"'), 10)
        self.assertEqual(big_page.count('class="o_statement_line"'), 1000)
        self.assertEqual(small, big)
        # and the report model itself, within a fixed budget (one query of it
        # reads the memos of the payments as the customer reads them)
        report = self.env["report.customer_portal_invoices.report_statement"]
        for customer in (self.small, self.big):
            self.env.invalidate_all()
            with self.assertQueryCount(17):
                report._get_statement(customer, date_from)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalLoadMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPortalQueryCount(PortalLoadMixin, AccountTestInvoicingHttpCommon):
    """/my and /my/invoices make the same number of queries for a customer
    with 10 invoices and one with 200 (more than one page)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.eur = cls.setup_other_currency("EUR")
        cls.small = cls._create_customer("Small Customer", "cpi.perf.small", 10)
        cls.big = cls._create_customer("Big Customer", "cpi.perf.big", 200)

    @classmethod
    def _create_customer(cls, name, login, count):
        # paid and partially paid documents in both sets
        return cls._create_load_customer(
            name, login, count, lambda i: 60 - i % 30, [(0, 100.0), (1, 50.0)]
        )

    def test_same_query_count(self):
        for url in ("/my", "/my/invoices", "/my/invoices?filterby=overdue_invoices"):
            small, _page = self._page_query_count("cpi.perf.small", url)
            self.authenticate("cpi.perf.big", "cpi.perf.big")
            for _i in range(2):
                self.url_open(url)
            with self.assertQueryCount(small):
                self.assertEqual(self.url_open(url).status_code, 200)
            big, _page = self._page_query_count("cpi.perf.big", url)
            if url.startswith("/my/invoices"):
                # the big customer's page is full (80 rows), the small one not
                rows = self.url_open(url).text.count("o_portal_invoice_status")
                self.assertGreaterEqual(rows, 40 if "overdue" in url else 80)
            _logger.info("%s: %s queries (10 invoices), %s (200)", url, small, big)
            self.assertEqual(small, big, url)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalLoadMixin

_logger = logging.getLogger(__name__)

# Queries of stock Odoo 18 for a company contact of a customer with 10
# invoices, caches warm, with the customers of this test: measured on a
# database with demo data and the stock modules our three addons build on
# (account, portal, account_payment, payment_stripe, payment_demo), running
# this test's setup without our addons. Stock's /my is 25 at 10 and at 1,000
# invoices; its /my/invoices is 32 at 10 and grows with the rows (54 at
# 1,000: its per-row payment values), so the figure at 10 is the bar.
STOCK_QUERIES = {"/my": 25, "/my/invoices": 32}
# What our addons may add to them, all three installed: on /my, nothing (its
# account overview is asked after the page, with the counters); on My
# Invoices, the
# statuses, filters, sorts and columns, the "Pay Now" entry and the
# multi-site folding, which make fewer queries than stock's rows (the
# search-bar filters built once per request, the payment rule and the
# amounts asked once per page; the overdue count is the account overview's):
# 6 fewer.
BUDGET = {"/my": 0, "/my/invoices": -6}
# The account overview of /my, asked with the counters once the page is shown
# (as the document counters are, which stock asks on every visit): the ids of
# the customer's contacts, the figures and one read of their currencies, over
# the request's own (session, user, companies, rendering): 8, at 10 as at
# 1,000 invoices.
OVERVIEW_COUNTER = {"counters": ["portal_account_overview"]}
OVERVIEW_BUDGET = 8


@tagged("post_install", "-at_install")
class TestPortalQueryCount(PortalLoadMixin, AccountTestInvoicingHttpCommon):
    """/my and /my/invoices make at most BUDGET queries more than stock Odoo
    (fewer on My Invoices),
    and the same number for a customer with 10 invoices and one with 1,000
    (more than one page)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.eur = cls.setup_other_currency("EUR")
        cls.small = cls._create_customer("Small Customer", "cpi.perf.small", 10)
        cls.big = cls._create_customer("Big Customer", "cpi.perf.big", 1000)

    @classmethod
    def _create_customer(cls, name, login, count):
        # paid and partially paid documents in both sets
        return cls._create_load_customer(
            name, login, count, lambda i: 60 - i % 30, [(0, 100.0), (1, 50.0)]
        )

    def _budget(self, url):
        return STOCK_QUERIES[url] + BUDGET[url]

    def test_query_budget(self):
        for url in ("/my", "/my/invoices"):
            small, _page = self._page_query_count("cpi.perf.small", url)
            big, page = self._page_query_count("cpi.perf.big", url)
            _logger.info(
                "%s: %s queries (10 invoices), %s (1,000); budget %s",
                url,
                small,
                big,
                self._budget(url),
            )
            if url == "/my":
                # the place of the overview; the overview comes after
                self.assertIn("o_portal_home_overview", page)
                self.assertNotIn("o_portal_account_overview", page)
            else:
                # the big customer's page is full (80 rows)
                self.assertGreaterEqual(page.count("o_portal_invoice_status"), 80)
            for login in ("cpi.perf.small", "cpi.perf.big"):
                self.authenticate(login, login)
                for _i in range(2):  # warm up
                    self.url_open(url)
                with self.assertQueryCount(self._budget(url)):
                    self.assertEqual(self.url_open(url).status_code, 200)

    def _overview_query_count(self, login):
        """Queries of the account overview counter as ``login``, caches
        warm: (count, its HTML)."""
        self.authenticate(login, login)
        for _i in range(2):
            self.make_jsonrpc_request("/my/counters", OVERVIEW_COUNTER)
        self.env.flush_all()
        count0 = self.cr.sql_log_count
        values = self.make_jsonrpc_request("/my/counters", OVERVIEW_COUNTER)
        return self.cr.sql_log_count - count0, values["portal_account_overview"]

    def test_overview_counter_budget(self):
        """The account overview of /my costs the same queries for 10 and
        for 1,000 invoices, within its budget."""
        small, overview = self._overview_query_count("cpi.perf.small")
        self.assertIn("o_portal_account_overview", overview)
        big, overview = self._overview_query_count("cpi.perf.big")
        self.assertIn("o_portal_account_overview", overview)
        _logger.info(
            "account overview counter: %s queries (10), %s (1,000)", small, big
        )
        self.assertEqual(small, big)
        self.assertLessEqual(big, OVERVIEW_BUDGET)

    def test_same_query_count(self):
        for url in (
            "/my",
            "/my/invoices",
            "/my/invoices?filterby=overdue_invoices",
            "/my/invoices?sortby=amount_due",
        ):
            small, _page = self._page_query_count("cpi.perf.small", url)
            big, _page = self._page_query_count("cpi.perf.big", url)
            _logger.info("%s: %s queries (10 invoices), %s (1,000)", url, small, big)
            self.assertEqual(small, big, url)

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
class TestPortalQueryCount(PortalContactsMixin, AccountTestInvoicingHttpCommon):
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
                    "invoice_date": cls.today - timedelta(days=60 - i % 30),
                    "invoice_date_due": cls.today + timedelta(days=i % 40 - 20),
                    "ref": f"{login}-{i}",
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
        moves.action_post()
        # paid and partially paid documents in both sets
        for invoice, amount in ((moves[0], 100.0), (moves[1], 50.0)):
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount})._create_payments()
        return customer

    def _query_count(self, login, url):
        self.authenticate(login, login)
        # warm up: caches, access tokens of the listed documents
        for _i in range(2):
            self.assertEqual(self.url_open(url).status_code, 200)
        self.env.flush_all()
        count0 = self.cr.sql_log_count
        self.assertEqual(self.url_open(url).status_code, 200)
        return self.cr.sql_log_count - count0

    def test_same_query_count(self):
        for url in ("/my", "/my/invoices", "/my/invoices?filterby=overdue_invoices"):
            small = self._query_count("cpi.perf.small", url)
            self.authenticate("cpi.perf.big", "cpi.perf.big")
            for _i in range(2):
                self.url_open(url)
            with self.assertQueryCount(small):
                self.assertEqual(self.url_open(url).status_code, 200)
            big = self._query_count("cpi.perf.big", url)
            if url.startswith("/my/invoices"):
                # the big customer's page is full (80 rows), the small one not
                rows = self.url_open(url).text.count("o_portal_invoice_status")
                self.assertGreaterEqual(rows, 40 if "overdue" in url else 80)
            _logger.info("%s: %s queries (10 invoices), %s (200)", url, small, big)
            self.assertEqual(small, big, url)

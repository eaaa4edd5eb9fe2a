# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalContactsMixin, portal_home_text

# What each language makes of the invoice's figures and dates.
EXPECTED = {
    "en_US": {
        "total": "12,345.67",
        "due": "11,345.17",
        "paid": "1,000.50",
        "invoice_date": "03/14/2025",
        "due_date": "04/13/2025",
        "payment_date": "03/20/2025",
    },
    "de_DE": {
        "total": "12.345,67",
        "due": "11.345,17",
        "paid": "1.000,50",
        "invoice_date": "14.03.2025",
        "due_date": "13.04.2025",
        "payment_date": "20.03.2025",
    },
}


@tagged("post_install", "-at_install")
class TestPortalFormatting(PortalContactsMixin, AccountTestInvoicingHttpCommon):
    """Amounts are formatted by their currency and the user's language, dates
    by the language, on the account overview (/my), the invoice list and the
    statement page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        customer = cls.env["res.partner"].create(
            {"name": "Format Customer", "is_company": True}
        )
        contact = cls._create_contact(customer, "Fritz Format", "company")
        cls.user = cls._create_portal_user(contact, "cpi.portal.format")
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2025-03-14",
                "invoice_date_due": "2025-04-13",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": 12345.67,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        cls.invoice.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoice.ids
        ).create({"amount": 1000.50, "payment_date": "2025-03-20"})._create_payments()

    def _page(self, lang, url):
        self.user.lang = lang
        self.authenticate("cpi.portal.format", "cpi.portal.format")
        if url == "/my":
            return portal_home_text(self)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def _check(self, lang, text, keys, url):
        expected = EXPECTED[lang]
        other = EXPECTED["de_DE" if lang == "en_US" else "en_US"]
        for key in keys:
            with self.subTest(lang=lang, url=url, value=key):
                self.assertIn(expected[key], text)
                self.assertNotIn(other[key], text)

    def test_overview_list_and_statement(self):
        for lang in EXPECTED:
            self._check(
                lang,
                self._page(lang, "/my"),
                ("due", "paid", "payment_date"),
                "/my",
            )
            self._check(
                lang,
                self._page(lang, "/my/invoices"),
                ("total", "due", "invoice_date", "due_date", "paid", "payment_date"),
                "/my/invoices",
            )
            self._check(
                lang,
                self._page(
                    lang, "/my/statement?date_from=2025-03-01&date_to=2025-04-30"
                ),
                ("total", "due", "invoice_date", "due_date", "paid", "payment_date"),
                "/my/statement",
            )

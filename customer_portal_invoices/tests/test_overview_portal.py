# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from lxml import html

from odoo.tests import tagged

from .common_portal import PortalInvoicesCommon


@tagged("post_install", "-at_install")
class TestPortalOverview(PortalInvoicesCommon):
    """account.move._portal_account_overview() per access level and
    currency, and its display on /my and /my/invoices."""

    def overview(self, user):
        return self.env["account.move"].with_user(user)._portal_account_overview()

    def test_company_level_per_currency(self):
        figures = self.overview(self.user_company)
        self.assertEqual([f["currency_id"] for f in figures], [self.usd, self.eur])
        usd, eur = figures
        self.assertEqual(
            {k: v for k, v in usd.items() if k != "currency_id"},
            {
                # 100 + 200 + (300 - 120) + (400 - 100) + 50 (the own contact's)
                "balance_due": 830.0,
                "overdue_balance": 500.0,
                # open credit note 70 + unapplied payment 60
                "unapplied_credit": 130.0,
                "last_payment_date": self.today - timedelta(days=1),
                "last_payment_amount": 60.0,
                "open_count": 5,
            },
        )
        self.assertEqual(
            {k: v for k, v in eur.items() if k != "currency_id"},
            {
                "balance_due": 650.0,
                "overdue_balance": 250.0,
                "unapplied_credit": 0.0,
                "last_payment_date": self.today - timedelta(days=4),
                "last_payment_amount": 100.0,
                "open_count": 2,
            },
        )

    def test_own_level_sees_own_documents_only(self):
        self.assertEqual(
            self.overview(self.user_own),
            [
                {
                    "currency_id": self.usd,
                    "balance_due": 50.0,
                    "overdue_balance": 0.0,
                    "unapplied_credit": 0.0,
                    "last_payment_date": False,
                    "last_payment_amount": 0.0,
                    "open_count": 1,
                }
            ],
        )

    def test_none_level_has_no_overview(self):
        self.assertEqual(self.overview(self.user_none), [])

    def test_other_customer_not_counted(self):
        other_user = self._create_portal_user(
            self._create_contact(self.other_customer, "Otto Other", "company"),
            "cpi.portal.other",
        )
        (other,) = self.overview(other_user)
        self.assertEqual(other["balance_due"], 999.0)
        self.assertEqual(other["overdue_balance"], 999.0)
        self.assertEqual(other["unapplied_credit"], 0.0)
        self.assertFalse(other["last_payment_date"])

    def _overview_cells(self, url, login):
        self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        return {
            row.get("data-currency"): {
                next(
                    name
                    for name in cell.get("class").split()
                    if name.startswith("o_portal_overview_")
                ): " ".join(cell.text_content().split())
                for cell in row.xpath("./td[contains(@class, 'o_portal_overview_')]")
            }
            for row in tree.xpath(
                "//div[contains(@class, 'o_portal_account_overview')]"
                "//tr[@data-currency]"
            )
        }

    def test_overview_on_home_and_invoice_list(self):
        for url in ("/my", "/my/invoices"):
            cells = self._overview_cells(url, "cpi.portal.company")
            self.assertEqual(set(cells), {self.usd.name, self.eur.name}, url)
            usd = cells[self.usd.name]
            self.assertIn("830.00", usd["o_portal_overview_balance_due"])
            self.assertIn("500.00", usd["o_portal_overview_overdue_balance"])
            self.assertIn("130.00", usd["o_portal_overview_unapplied_credit"])
            self.assertIn("60.00", usd["o_portal_overview_last_payment"])
            self.assertEqual(usd["o_portal_overview_open_count"], "5")
            self.assertIn(
                "650.00", cells[self.eur.name]["o_portal_overview_balance_due"]
            )

    def test_overview_levels_on_home(self):
        cells = self._overview_cells("/my", "cpi.portal.own")
        self.assertEqual(list(cells), [self.usd.name])
        self.assertIn("50.00", cells[self.usd.name]["o_portal_overview_balance_due"])
        self.assertIn("None", cells[self.usd.name]["o_portal_overview_last_payment"])
        self.assertEqual(self._overview_cells("/my", "cpi.portal.none"), {})

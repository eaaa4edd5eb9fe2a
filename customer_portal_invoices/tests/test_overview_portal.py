# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from lxml import html

from odoo.tests import tagged

from .common import portal_home_text
from .common_portal import PortalInvoicesCommon


@tagged("post_install", "-at_install")
class TestPortalOverview(PortalInvoicesCommon):
    """account.move._portal_account_overview() per access level and
    currency, and its display on /my and /my/invoices."""

    def overview(self, user):
        return self.env["account.move"].with_user(user)._portal_account_overview()

    def test_company_level_per_currency(self):
        last_payment_eur = self.env["account.payment"].search(
            [("partner_id", "=", self.customer.id), ("currency_id", "=", self.eur.id)]
        )
        figures = self.overview(self.user_company)
        self.assertEqual([f["currency_id"] for f in figures], [self.usd, self.eur])
        usd, eur = figures
        self.assertEqual(
            {k: v for k, v in usd.items() if k != "currency_id"},
            {
                # the balance is net of the credits (account summary)
                "balance_due": 700.0,
                # 100 + 200 + (300 - 120) + (400 - 100) + 50 (the own contact's)
                "due": 830.0,
                "overdue_balance": 500.0,
                # open credit note 70 + unapplied payment 60
                "unapplied_credit": 130.0,
                "last_payment_date": self.today - timedelta(days=1),
                "last_payment_amount": 60.0,
                "last_payment": {
                    "id": self.payment_unapplied.id,
                    "date": self.today - timedelta(days=1),
                    "amount": 60.0,
                    "name": self.payment_unapplied.name,
                    "url": f"/my/payments/{self.payment_unapplied.id}",
                },
                "open_count": 5,
                # those of the overdue balance
                "overdue_count": 2,
                "queried_count": 0,
            },
        )
        self.assertEqual(
            {k: v for k, v in eur.items() if k != "currency_id"},
            {
                "balance_due": 650.0,
                "due": 650.0,
                "overdue_balance": 250.0,
                "unapplied_credit": 0.0,
                "last_payment_date": self.today - timedelta(days=4),
                "last_payment_amount": 100.0,
                "last_payment": {
                    "id": last_payment_eur.id,
                    "date": self.today - timedelta(days=4),
                    "amount": 100.0,
                    "name": last_payment_eur.name,
                    "url": f"/my/payments/{last_payment_eur.id}",
                },
                "open_count": 2,
                "overdue_count": 1,
                "queried_count": 0,
            },
        )

    def test_own_level_sees_own_documents_only(self):
        self.assertEqual(
            self.overview(self.user_own),
            [
                {
                    "currency_id": self.usd,
                    "balance_due": 50.0,
                    "due": 50.0,
                    "overdue_balance": 0.0,
                    "unapplied_credit": 0.0,
                    "last_payment_date": False,
                    "last_payment_amount": 0.0,
                    "last_payment": False,
                    "open_count": 1,
                    "overdue_count": 0,
                    "queried_count": 0,
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
        if url == "/my":
            tree = html.fromstring(portal_home_text(self))
        else:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            tree = html.fromstring(response.content)
        return {
            row.get("data-currency"): {
                next(
                    name
                    for name in cell.get("class").split()
                    if name.startswith("o_portal_overview_")
                ): " ".join(
                    # the figure, without its label (shown at phone width)
                    "".join(
                        cell.xpath(
                            ".//text()[not(ancestor::*[contains(@class,"
                            " 'o_portal_cell_label')])]"
                        )
                    ).split()
                )
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
            # net of the 130.00 of credits
            self.assertIn("700.00", usd["o_portal_overview_balance_due"])
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
        last_payment = cells[self.usd.name]["o_portal_overview_last_payment"]
        self.assertIn("No payment yet", last_payment)
        self.assertNotIn("None", last_payment)
        self.assertEqual(self._overview_cells("/my", "cpi.portal.none"), {})

    # ------------------------------------------------------------------
    # links of the figures
    # ------------------------------------------------------------------

    def _listed(self, url):
        """The documents the portal list at ``url`` shows (every page)."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        tree = html.fromstring(response.content)
        self.assertFalse(tree.xpath("//ul[contains(@class, 'pagination')]"), url)
        ids = {
            int(re.match(r"/my/invoices/(\d+)", href).group(1))
            for href in tree.xpath("//tbody//a/@href")
            if re.match(r"/my/invoices/\d+", href)
        }
        return self.env["account.move"].browse(ids)

    def _figure_links(self, login):
        """{currency name: {figure cell class: (figure text, link)}}."""
        self.authenticate(login, login)
        tree = html.fromstring(self.url_open("/my/invoices").content)
        links = {}
        for row in tree.xpath(
            "//div[contains(@class, 'o_portal_account_overview')]//tr[@data-currency]"
        ):
            for cell in row.xpath(
                "./td[contains(@class, 'o_portal_overview_')]"
                "[not(contains(@class, 'o_portal_overview_last_payment'))]"
            ):
                for anchor in cell.xpath(".//a[@href]"):
                    name = next(
                        n
                        for n in cell.get("class").split()
                        if n.startswith("o_portal_overview_")
                    )
                    links.setdefault(row.get("data-currency"), {})[name] = (
                        " ".join(anchor.text_content().split()),
                        anchor.get("href"),
                    )
        return links

    def test_figure_links_list_the_counted_documents(self):
        """Each figure of the overview links to a list of exactly the
        documents it counts: no paid document, no credit note, no vendor
        bill, no document of another customer, no other currency."""
        # an overdue vendor bill of the customer (shown on the portal)
        bill = self._create_document(self.customer, 500.0, -10, move_type="in_invoice")
        # an overdue invoice of another customer that the contact follows
        self.inv_other.message_subscribe(self.contact_company.ids)
        company_docs = self.env["account.move"].with_user(self.user_company)
        self.assertIn(bill, company_docs.search([]))
        self.assertIn(self.inv_other, company_docs.search([]))
        expected = {
            "cpi.portal.company": {
                self.usd.name: {
                    "o_portal_overview_open_count": self.inv_open
                    | self.inv_overdue
                    | self.inv_partial
                    | self.inv_partial_overdue
                    | self.inv_own,
                    "o_portal_overview_overdue_balance": self.inv_overdue
                    | self.inv_partial_overdue,
                },
                self.eur.name: {
                    "o_portal_overview_open_count": self.inv_eur_partial
                    | self.inv_eur_overdue,
                    "o_portal_overview_overdue_balance": self.inv_eur_overdue,
                },
            },
            "cpi.portal.own": {
                self.usd.name: {"o_portal_overview_open_count": self.inv_own},
            },
        }
        for login, currencies in expected.items():
            links = self._figure_links(login)
            self.assertEqual(set(links), set(currencies), login)
            for currency, figures in currencies.items():
                self.assertEqual(set(links[currency]), set(figures), login)
                for figure, moves in figures.items():
                    with self.subTest(login=login, currency=currency, figure=figure):
                        text, url = links[currency][figure]
                        listed = self._listed(url)
                        self.assertEqual(listed, moves)
                        if figure == "o_portal_overview_open_count":
                            self.assertEqual(text, str(len(listed)))
                        else:
                            total = sum(listed.mapped("amount_residual"))
                            self.assertIn(f"{total:,.2f}", text)

    def test_currency_parameter(self):
        """An unknown currency lists nothing, with no error; the date form
        keeps the currency."""
        self.authenticate("cpi.portal.company", "cpi.portal.company")
        self.assertFalse(self._listed("/my/invoices?currency=XYZ'%3B"))
        response = self.url_open(f"/my/invoices?currency={self.eur.name}")
        tree = html.fromstring(response.content)
        self.assertEqual(
            tree.xpath(
                "//form[contains(@class, 'o_portal_invoice_date_range')]"
                "//input[@name='currency']/@value"
            ),
            [self.eur.name],
        )
        self.assertTrue(
            tree.xpath("//div[contains(@class, 'o_portal_invoice_currency_filter')]")
        )

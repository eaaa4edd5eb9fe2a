# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import tagged

from .common_statement import StatementCommon


@tagged("post_install", "-at_install")
class TestStatementFigures(StatementCommon):
    """Opening, lines, running and closing balances, aging, per currency and
    per access level, computed by the report model."""

    def _lines(self, currency_statement):
        return [
            (line["name"], line["type"], line["date"], line["amount"], line["balance"])
            for line in currency_statement["lines"]
        ]

    def test_company_contact_as_at_today(self):
        statement = self._statement(self.user_company, self._days_ago(60), self.today)
        self.assertEqual(statement["date_from"], self._days_ago(60))
        self.assertEqual(statement["date_to"], self.today)
        by_currency = self._by_currency(statement)
        self.assertEqual(list(by_currency), ["USD", "EUR"])
        usd = by_currency["USD"]
        self.assertEqual(usd["opening_balance"], 1500.0)
        self.assertEqual(
            self._lines(usd),
            [
                (self.pay1.move_id.name, "payment", self._days_ago(50), -400.0, 1100.0),
                (self.inv3.name, "invoice", self._days_ago(45), 300.0, 1400.0),
                (self.inv4.name, "invoice", self._days_ago(20), 200.0, 1600.0),
                (self.refund1.name, "credit_note", self._days_ago(15), -50.0, 1550.0),
                (self.pay3.move_id.name, "payment", self._days_ago(8), -120.0, 1430.0),
                (self.inv5.name, "invoice", self._days_ago(5), 150.0, 1580.0),
                (
                    self.pay_unapplied.move_id.name,
                    "payment",
                    self._days_ago(3),
                    -80.0,
                    1500.0,
                ),
                (self.pay2.move_id.name, "payment", self._days_ago(2), -250.0, 1250.0),
            ],
        )
        inv3_line = usd["lines"][1]
        self.assertEqual(inv3_line["date_due"], self._days_ago(40))
        self.assertFalse(usd["lines"][0]["date_due"])
        self.assertEqual(usd["closing_balance"], 1250.0)
        self.assertEqual(usd["total_debit"], 650.0)
        self.assertEqual(usd["total_credit"], 900.0)
        self.assertEqual(
            self._aging(usd),
            {
                "current": 150.0,  # inv5, due in 25 days
                "1_30": -50.0,  # inv4 80 open, refund1 -50, unapplied -80
                "31_60": 300.0,  # inv3
                "61_90": 250.0,  # inv2, 500 - 250
                "90_plus": 600.0,  # inv1, 1000 - 400
            },
        )
        self.assertEqual(usd["aging_total"], usd["closing_balance"])
        self.assertEqual(
            usd["closing_balance_words"],
            self.usd.amount_to_text(1250.0),
        )
        self.assertIn("Thousand", usd["closing_balance_words"])
        eur = by_currency["EUR"]
        self.assertEqual(eur["opening_balance"], 0.0)
        self.assertEqual(
            self._lines(eur),
            [(self.inv_eur.name, "invoice", self._days_ago(10), 700.0, 700.0)],
        )
        self.assertEqual(eur["closing_balance"], 700.0)
        self.assertEqual(self._aging(eur)["current"], 700.0)
        self.assertEqual(eur["aging_total"], 700.0)
        self.assertIn("Seven Hundred", eur["closing_balance_words"])

    def test_company_contact_as_at_past_date(self):
        """As at T-30 the payment of inv2 (T-2) does not reduce it yet."""
        statement = self._statement(
            self.user_company, self._days_ago(90), self._days_ago(30)
        )
        by_currency = self._by_currency(statement)
        self.assertEqual(list(by_currency), ["USD"])
        usd = by_currency["USD"]
        self.assertEqual(usd["opening_balance"], 1000.0)
        self.assertEqual(
            self._lines(usd),
            [
                (self.inv2.name, "invoice", self._days_ago(70), 500.0, 1500.0),
                (self.pay1.move_id.name, "payment", self._days_ago(50), -400.0, 1100.0),
                (self.inv3.name, "invoice", self._days_ago(45), 300.0, 1400.0),
            ],
        )
        self.assertEqual(usd["closing_balance"], 1400.0)
        self.assertEqual(
            self._aging(usd),
            {
                "current": 0.0,
                "1_30": 300.0,  # inv3, 10 days past due
                "31_60": 500.0,  # inv2, 35 days, paid only later
                "61_90": 600.0,  # inv1, 65 days, 1000 - 400
                "90_plus": 0.0,
            },
        )
        self.assertEqual(usd["aging_total"], 1400.0)

    def test_back_office_same_as_company_contact(self):
        company_view = self._statement(
            self.user_company, self._days_ago(60), self.today
        )
        back_office = self._statement(None, self._days_ago(60), self.today)
        self.assertEqual(
            [
                (cur["currency"].name, cur["closing_balance"], len(cur["lines"]))
                for cur in back_office["currencies"]
            ],
            [
                (cur["currency"].name, cur["closing_balance"], len(cur["lines"]))
                for cur in company_view["currencies"]
            ],
        )

    def test_own_contact(self):
        """An "own" contact gets its own documents and the payments applied
        to them, nothing of its company."""
        statement = self._statement(self.user_own, self._days_ago(60), self.today)
        by_currency = self._by_currency(statement)
        self.assertEqual(list(by_currency), ["USD"])
        usd = by_currency["USD"]
        self.assertEqual(usd["opening_balance"], 0.0)
        self.assertEqual(
            self._lines(usd),
            [
                (self.inv4.name, "invoice", self._days_ago(20), 200.0, 200.0),
                (self.pay3.move_id.name, "payment", self._days_ago(8), -120.0, 80.0),
            ],
        )
        self.assertEqual(usd["closing_balance"], 80.0)
        self.assertEqual(self._aging(usd)["1_30"], 80.0)
        self.assertEqual(usd["aging_total"], 80.0)
        past = self._statement(self.user_own, self._days_ago(90), self._days_ago(30))
        self.assertEqual(past["currencies"], [])

    def test_none_contact_and_other_customer(self):
        report = self.env["report.customer_portal_invoices.report_statement"]
        self.assertFalse(report.with_user(self.user_none)._statement_portal_allowed())
        self.assertTrue(report.with_user(self.user_own)._statement_portal_allowed())
        self.assertTrue(report.with_user(self.user_company)._statement_portal_allowed())
        # the record rules give a "none" contact nothing anyway
        none_statement = self._statement(
            self.user_none, self._days_ago(200), self.today
        )
        self.assertEqual(none_statement["currencies"], [])
        # another customer's contact gets its own customer's figures only,
        # even when asking for the statement of this customer
        other = self._statement(self.user_other, self._days_ago(60), self.today)
        self.assertEqual(
            [line["name"] for line in other["currencies"][0]["lines"]],
            [self.inv_other.name],
        )
        asked = report.with_user(self.user_other)._get_statement(
            self.customer, self._days_ago(200), self.today
        )
        names = [line["name"] for cur in asked["currencies"] for line in cur["lines"]]
        self.assertEqual(names, [])

    def test_period_defaults_and_bad_input(self):
        report = self.env["report.customer_portal_invoices.report_statement"]
        date_from, date_to = report._statement_parse_dates(None, "not-a-date")
        self.assertEqual(date_to, self.today)
        self.assertEqual(date_from.day, 1)
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month
        self.assertEqual(months, 3)
        # a reversed period is put in order
        self.assertEqual(
            report._statement_parse_dates("2026-03-31", "2026-01-01"),
            (fields.Date.to_date("2026-01-01"), fields.Date.to_date("2026-03-31")),
        )

    def test_payment_link(self):
        statement = self._statement(self.user_company, self._days_ago(60), self.today)
        # the page where the customer pays (payment_allocation, when
        # installed, gives its Make a Payment page)
        path = self.env[
            "report.customer_portal_invoices.report_statement"
        ]._statement_payment_path(self.customer)
        self.assertIn(path, ("/my/invoices?filterby=open_customer", "/my/invoices/pay"))
        self.assertTrue(statement["payment_url"].endswith(path))
        self.assertTrue(statement["payment_qr"].startswith("data:image/png;base64,"))

    def test_settled_currency_left_out(self):
        """A currency whose documents are all settled before the period has
        nothing to state."""
        self._pay(self.inv_eur, 700.0, 9)
        statement = self._statement(self.user_company, self._days_ago(5), self.today)
        self.assertEqual(list(self._by_currency(statement)), ["USD"])

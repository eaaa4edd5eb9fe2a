# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.customer_portal_invoices.tests.common import portal_home_text

from .common import PaymentAllocationCommonMixin

PAY = "/my/invoices/pay"
BUCKETS = ("current", "1_30", "31_60", "61_90", "90_plus")

# One document of a random ledger: type, currency, amount in cents, to whom
# (the company contact, the "own" contact, the customer itself), days since
# its date, days it is due after its date, and what is paid of it.
DOCUMENTS = st.lists(
    st.tuples(
        st.sampled_from(["out_invoice", "out_invoice", "out_refund"]),
        st.sampled_from(["main", "other"]),
        st.integers(min_value=100, max_value=90000),
        st.sampled_from(["company", "own", "customer"]),
        st.integers(min_value=0, max_value=150),
        st.integers(min_value=0, max_value=45),
        st.sampled_from([None, None, "partial", "full"]),
    ),
    min_size=1,
    max_size=6,
)
# Payments on account (not applied): currency, amount in cents, days ago;
# the days are few, so that payments fall on the same day.
PAYMENT_DAYS = st.sampled_from([0, 1, 1, 3, 12])
UNAPPLIED = st.lists(
    st.tuples(
        st.sampled_from(["main", "other"]),
        st.integers(min_value=100, max_value=50000),
        PAYMENT_DAYS,
    ),
    max_size=2,
)


def _amount(text):
    """The amount of a formatted monetary text ("$ 1,234.56", "-1,234.56 €")."""
    text = " ".join(text.split())
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    assert match, text
    value = float(match.group().replace(",", ""))
    return -value if "-" in text[: match.start()] else value


@tagged("post_install", "-at_install")
class TestAccountSummaryProperty(PaymentAllocationCommonMixin, HttpCase):
    """Random ledgers: every figure /my, the statement (today and as at a past
    date), Make a Payment and the Charge Saved Method wizard show is the
    account summary's (res.partner._portal_account_summary), whose balance
    is Odoo's receivable (res.partner.credit) for a company-wide contact and
    whose aging adds up to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.env.company.portal_invoice_allow_pay = True
        cls.contact.portal_invoice_access = "company"
        cls.contact_own = cls.env["res.partner"].create(
            {
                "name": "Allocation Own Contact",
                "parent_id": cls.customer.id,
                "email": "allocation.own@example.com",
                "portal_invoice_access": "own",
            }
        )
        cls.user_own = cls._create_portal_user(cls.contact_own, "pa_summary_own")
        cls.other_currency = cls.env.ref("base.EUR")
        if cls.other_currency == cls.currency:
            cls.other_currency = cls.env.ref("base.USD")
        cls.other_currency.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": cls.today - timedelta(days=400),
                "rate": 2.0,
                "currency_id": cls.other_currency.id,
                "company_id": cls.company.id,
            }
        )
        cls.currencies = {"main": cls.currency, "other": cls.other_currency}
        cls.holders = {
            "company": cls.contact,
            "own": cls.contact_own,
            "customer": cls.customer,
        }

    # ------------------------------------------------------------------
    # Ledger
    # ------------------------------------------------------------------

    def _build_ledger(self, documents, unapplied):
        Move = self.env["account.move"]
        moves = Move
        for move_type, currency, cents, holder, age, term, paid in documents:
            invoice_date = self.today - timedelta(days=age)
            move = Move.create(
                {
                    "move_type": move_type,
                    "partner_id": self.holders[holder].id,
                    "currency_id": self.currencies[currency].id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": invoice_date + timedelta(days=term),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": cents / 100,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
            moves |= move
            if paid and move_type == "out_invoice":
                amount = move.amount_total if paid == "full" else (cents // 3) / 100
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create(
                    {
                        "amount": amount,
                        "currency_id": move.currency_id.id,
                        # on or after the invoice, often the same day as others
                        "payment_date": max(
                            invoice_date, self.today - timedelta(days=age % 3)
                        ),
                    }
                )._create_payments()
        for currency, cents, days in unapplied:
            payment = self.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": cents / 100,
                    "currency_id": self.currencies[currency].id,
                    "date": self.today - timedelta(days=days),
                }
            )
            payment.action_post()
        self.env.flush_all()
        return moves

    # ------------------------------------------------------------------
    # Oracles and pages
    # ------------------------------------------------------------------

    def _open_residuals(self, partners):
        """{currency: residual} of the open receivable items of ``partners``'
        documents (all items when ``partners`` is the customer)."""
        domain = [
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
        ]
        if partners == self.customer:
            domain.append(("partner_id", "child_of", self.customer.id))
        else:
            domain.append(("move_id.partner_id", "in", partners.ids))
        result = {}
        for line in self.env["account.move.line"].search(domain):
            result.setdefault(line.currency_id, 0.0)
            result[line.currency_id] += line.amount_residual_currency
        return {
            currency: currency.round(amount)
            for currency, amount in result.items()
            if not currency.is_zero(amount)
        }

    def _tree(self, url):
        if url == "/my":
            # as shown once its script has asked the account overview
            return html.fromstring(portal_home_text(self))
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.content)

    def _overview_page(self):
        """{currency name: {figure: amount}} of the account overview on /my."""
        figures = {}
        for row in self._tree("/my").xpath(
            "//div[contains(@class, 'o_portal_account_overview')]//tr[@data-currency]"
        ):

            def cell(name, row=row):
                [td] = row.xpath(f"./td[contains(@class, '{name}')]")
                return td

            balance = cell("o_portal_overview_balance_due").xpath(
                "./span[not(contains(@class, 'o_portal_cell_label'))]"
            )[0]
            last = cell("o_portal_overview_last_payment")
            last_amount = last.xpath(
                "./span[not(contains(@class, 'o_portal_cell_label'))]"
            )
            figures[row.get("data-currency")] = {
                "balance": _amount(balance.text_content()),
                "overdue": _amount(
                    cell("o_portal_overview_overdue_balance")
                    .xpath("./*[not(contains(@class, 'o_portal_cell_label'))]")[0]
                    .text_content()
                ),
                "credits": _amount(
                    cell("o_portal_overview_unapplied_credit")
                    .xpath("./span[not(contains(@class, 'o_portal_cell_label'))]")[0]
                    .text_content()
                ),
                "open_count": int(
                    cell("o_portal_overview_open_count").xpath("./a")[0].text_content()
                ),
                "last_payment": (
                    _amount(last_amount[0].text_content())
                    if last_amount
                    and "No payment yet" not in last_amount[0].text_content()
                    else False
                ),
            }
        return figures

    def _statement_page(self, date_to=None):
        """{currency name: {"closing", "last_balance", "aging": {...}}}."""
        url = "/my/statement"
        if date_to:
            date_from = date_to - timedelta(days=400)
            url += f"?date_from={date_from}&date_to={date_to}"
        result = {}
        for block in self._tree(url).xpath(
            "//div[contains(@class, 'o_portal_statement')]"
            "//div[contains(@class, 'o_statement_currency')]"
        ):
            balances = block.xpath(
                ".//td[contains(@class, 'o_statement_line_balance')]"
            )
            opening = block.xpath(
                ".//td[contains(@class, 'o_statement_opening_balance')]"
            )
            result[block.get("data-currency")] = {
                "closing": _amount(
                    block.xpath(
                        ".//td[contains(@class, 'o_statement_closing_balance')]"
                    )[0].text_content()
                ),
                "last_balance": _amount(
                    (balances[-1] if balances else opening[0]).text_content()
                ),
                "aging": {
                    key: _amount(
                        block.xpath(
                            f".//td[contains(@class, 'o_statement_aging_{key}')]"
                        )[0].text_content()
                    )
                    for key in BUCKETS
                },
            }
        return result

    def _pay_page(self, currency):
        tree = self._tree(
            f"{PAY}?currency_id={currency.id}&company_id={self.company.id}"
        )
        [page] = tree.xpath("//div[@id='o_payment_allocation_page']")
        if page.get("data-currency-id") != str(currency.id):
            return None  # nothing to pay in this currency
        return {
            "balance": _amount(
                page.xpath(".//div[contains(@class, 'o_balance')]")[0].text_content()
            ),
            "overdue": _amount(
                page.xpath(".//div[contains(@class, 'o_overdue_balance')]")[
                    0
                ].text_content()
            ),
        }

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _check_summary(self, summary, oracle):
        by_currency = {row["currency"]: row for row in summary}
        for currency in set(by_currency) | set(oracle):
            row = by_currency.get(currency)
            balance = row["balance"] if row else 0.0
            self.assertAlmostEqual(balance, oracle.get(currency, 0.0), 2, currency.name)
            if not row:
                continue
            self.assertAlmostEqual(
                sum(row["aging"].values()), row["balance"], 2, "aging adds up"
            )
            self.assertAlmostEqual(
                row["due"] - row["credits"], row["balance"], 2, "due less credits"
            )
            self.assertGreaterEqual(row["credits"], row["unapplied_payments"] - 0.001)
            self.assertLessEqual(row["overdue"], row["due"] + 0.001)

    def _check_pages(self, user, summary, past_summary, past_date):
        self.authenticate(user.login, user.login)
        overview = self._overview_page()
        statement = self._statement_page()
        past_statement = self._statement_page(past_date)
        for rows, shown, past in (
            (summary, statement, False),
            (past_summary, past_statement, True),
        ):
            for row in rows:
                name = row["currency"].name
                if name not in shown:
                    self.assertTrue(row["currency"].is_zero(row["balance"]), name)
                    continue
                figures = shown[name]
                self.assertAlmostEqual(figures["closing"], row["balance"], 2, name)
                self.assertAlmostEqual(figures["last_balance"], row["balance"], 2, name)
                for key in BUCKETS:
                    self.assertAlmostEqual(
                        figures["aging"][key], row["aging"][key], 2, (name, key, past)
                    )
        for row in summary:
            name = row["currency"].name
            figures = overview[name]
            self.assertAlmostEqual(figures["balance"], row["balance"], 2, name)
            self.assertAlmostEqual(figures["overdue"], row["overdue"], 2, name)
            self.assertAlmostEqual(figures["credits"], row["credits"], 2, name)
            self.assertEqual(figures["open_count"], row["open_count"], name)
            last = row["last_payment"]
            if last:
                self.assertAlmostEqual(figures["last_payment"], last["amount"], 2)
            else:
                self.assertFalse(figures["last_payment"])
            pay = self._pay_page(row["currency"])
            if pay is not None:
                self.assertAlmostEqual(pay["balance"], row["balance"], 2, name)
                self.assertAlmostEqual(pay["overdue"], row["overdue"], 2, name)
        self.assertEqual(set(overview), {row["currency"].name for row in summary})

    def _check_wizard(self, summary):
        """The Open Balance of the wizard (a form field) for each currency."""
        Wizard = self.env["payment.allocation.charge.wizard"]
        for row in summary:
            wizard = Wizard.new(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "currency_id": row["currency"].id,
                    "mode": "amount",
                }
            )
            self.assertAlmostEqual(wizard.account_balance, row["balance"], 2)

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(documents=DOCUMENTS, unapplied=UNAPPLIED, past=st.integers(1, 90))
    def test_every_figure_is_the_summary(self, documents, unapplied, past):
        with contextlib.closing(self.env.cr.savepoint(flush=False)):
            try:
                self._build_ledger(documents, unapplied)
                self._check_ledger(past)
            finally:
                self.env.invalidate_all()

    def _check_ledger(self, past):
        past_date = self.today - timedelta(days=past)
        customer = self.customer
        company_summary = customer.with_user(self.user)._portal_account_summary()
        # a company-wide contact's balance is Odoo's receivable
        self._check_summary(company_summary, self._open_residuals(customer))
        customer.invalidate_recordset(["credit"])
        self.assertAlmostEqual(
            sum(row["balance_company"] for row in company_summary),
            customer.credit,
            2,
        )
        # the back office sees the same
        self.assertEqual(
            [
                (row["currency"], row["balance"])
                for row in customer._portal_account_summary()
            ],
            [(row["currency"], row["balance"]) for row in company_summary],
        )
        own_summary = customer.with_user(self.user_own)._portal_account_summary()
        self._check_summary(own_summary, self._open_residuals(self.contact_own))
        for user, summary in (
            (self.user, company_summary),
            (self.user_own, own_summary),
        ):
            past_summary = customer.with_user(user)._portal_account_summary(
                date=past_date
            )
            for row in past_summary:
                self.assertAlmostEqual(sum(row["aging"].values()), row["balance"], 2)
            self._check_pages(user, summary, past_summary, past_date)
        self._check_wizard(company_summary)

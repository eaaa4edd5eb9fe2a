# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import html as lxml_html

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools.misc import format_amount as odoo_format_amount

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.base.models.ir_qweb_fields import MonetaryConverter

from ..amounts import MINUS, format_amount, monetary_html
from ..dates import date_text
from .common import PortalContactsMixin

NBSP = "\N{NO-BREAK SPACE}"
VALUE = '<span class="oe_currency_value">'


def visible(text):
    """What a reader sees: no zero-width glue, ordinary spaces."""
    return text.replace("\N{ZERO WIDTH NO-BREAK SPACE}", "").replace(NBSP, " ")


@tagged("post_install", "-at_install")
class TestAmountSign(PortalContactsMixin, AccountTestInvoicingHttpCommon):
    """A negative amount reads with its sign first, as each language writes
    it: "-$ 80.00" in English (the symbol of the dollar comes first), "-80,00 €"
    in German; positive amounts are formatted as Odoo formats them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.usd = cls.env.company.currency_id
        cls.eur = cls.setup_other_currency("EUR")
        # the test data of some localizations move the euro's symbol
        cls.eur.position = "after"
        cls.usd.position = "before"
        customer = cls.env["res.partner"].create(
            {"name": "Sign Customer", "is_company": True}
        )
        contact = cls._create_contact(customer, "Sara Sign", "company")
        cls.user = cls._create_portal_user(contact, "cpi.portal.sign")
        cls.refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": customer.id,
                "currency_id": cls.usd.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Returned goods",
                            "quantity": 1,
                            "price_unit": 80.0,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        cls.refund.action_post()

    def _env(self, lang):
        return self.env(context=dict(self.env.context, lang=lang))

    # ------------------------------------------------------------------
    # amounts.format_amount: the text of an amount
    # ------------------------------------------------------------------

    def test_format_amount_negative_sign_first(self):
        self.assertEqual(
            format_amount(self._env("en_US"), -80.0, self.usd), f"{MINUS}${NBSP}80.00"
        )
        self.assertEqual(
            format_amount(self._env("de_DE"), -80.0, self.eur), f"{MINUS}80,00{NBSP}€"
        )
        self.assertEqual(
            format_amount(self._env("de_DE"), -1234.5, self.usd),
            f"{MINUS}${NBSP}1.234,50",
        )
        # the language given wins over the environment's
        self.assertEqual(
            format_amount(self._env("en_US"), -80.0, self.eur, "de_DE"),
            f"{MINUS}80,00{NBSP}€",
        )
        self.assertEqual(
            visible(format_amount(self._env("en_US"), -80.0, self.usd)), "-$ 80.00"
        )

    def test_format_amount_zero_and_positive_unchanged(self):
        for lang, currency in (("en_US", self.usd), ("de_DE", self.eur)):
            env = self._env(lang)
            for amount in (0.0, 80.0, 1234567.891):
                with self.subTest(lang=lang, amount=amount):
                    self.assertEqual(
                        format_amount(env, amount, currency),
                        odoo_format_amount(env, amount, currency),
                    )
            with self.subTest(lang=lang, amount="-0.001"):
                # rounds to zero: no sign
                self.assertEqual(
                    format_amount(env, -0.001, currency),
                    odoo_format_amount(env, 0.0, currency),
                )
        self.assertEqual(format_amount(self._env("en_US"), 0.0, self.usd), "$\xa00.00")

    # ------------------------------------------------------------------
    # the QWeb monetary widget
    # ------------------------------------------------------------------

    def _widget(self, lang, value, currency, **options):
        converter = self._env(lang)["ir.qweb.field.monetary"]
        options["display_currency"] = currency
        return (
            str(converter.value_to_html(value, options)),
            str(MonetaryConverter.value_to_html(converter, value, options)),
        )

    def test_widget_negative_sign_first(self):
        ours, stock = self._widget("en_US", -80.0, self.usd)
        self.assertEqual(stock, f"${NBSP}{VALUE}{MINUS}80.00</span>")
        self.assertEqual(ours, f"{MINUS}${NBSP}{VALUE}80.00</span>")
        # the symbol after the amount: the minus is already first
        ours, stock = self._widget("de_DE", -80.0, self.eur)
        self.assertEqual(ours, f"{VALUE}{MINUS}80,00</span>{NBSP}€")
        self.assertEqual(ours, stock)
        ours, _stock = self._widget("de_DE", -1234.5, self.usd)
        self.assertEqual(ours, f"{MINUS}${NBSP}{VALUE}1.234,50</span>")
        # the price layout of the website splits the decimals off
        ours, _stock = self._widget("en_US", -0.5, self.usd, label_price=True)
        self.assertTrue(ours.startswith(f"{MINUS}${NBSP}{VALUE}0.</span>"), ours)

    def test_widget_zero_and_positive_unchanged(self):
        for lang, currency in (("en_US", self.usd), ("de_DE", self.eur)):
            for value in (0.0, 0, 80.0, 1234567.891):
                with self.subTest(lang=lang, value=value):
                    ours, stock = self._widget(lang, value, currency)
                    self.assertEqual(ours, stock)
            with self.subTest(lang=lang, value="-0.001"):
                ours, _stock = self._widget(lang, -0.001, currency)
                self.assertEqual(ours, self._widget(lang, 0.0, currency)[1])

    def test_list_formatter_is_the_widget(self):
        """My Invoices formats its rows' amounts with one formatter per
        currency (amounts.monetary_html): the widget's markup, to the byte."""
        self.env["res.lang"]._activate_lang("fr_FR")
        jpy = self.setup_other_currency("JPY", rounding=1.0)
        values = (0, 0.0, -0.001, 0.004, 0.5, -0.5, 80.0, -80.0, 1234.5)
        values += (-1234.5, 1234567.891, -9876543.215, 1e12, -1e12)
        for lang in ("en_US", "de_DE", "fr_FR"):
            for currency in (self.usd, self.eur, jpy):
                html = monetary_html(self._env(lang), currency)
                for value in values:
                    with self.subTest(lang=lang, currency=currency.name, value=value):
                        ours, _stock = self._widget(lang, value, currency)
                        self.assertEqual(str(html(value)), ours)

    def test_list_dates_are_the_widget(self):
        """My Invoices formats its rows' dates once per language
        (dates.date_text): the text of the date widget of a t-field."""
        self.env["res.lang"]._activate_lang("fr_FR")
        move = self.refund
        dates = (fields.Date.to_date("2026-01-02"), fields.Date.to_date("2031-12-31"))
        for lang in ("en_US", "de_DE", "fr_FR"):
            env = self._env(lang)
            text = date_text(env)
            converter = env["ir.qweb.field.date"]
            for value in dates:
                with self.subTest(lang=lang, value=value):
                    self.assertEqual(text(value), converter.value_to_html(value, {}))
            self.assertEqual(
                text(move.invoice_date_due),
                converter.record_to_html(move, "invoice_date_due", {}),
            )
            self.assertEqual(text(False), "")

    # ------------------------------------------------------------------
    # a portal page
    # ------------------------------------------------------------------

    def _page_text(self, lang, url):
        self.user.lang = lang
        self.authenticate("cpi.portal.sign", "cpi.portal.sign")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return visible(lxml_html.fromstring(response.content).text_content())

    def test_portal_credit_note_negative(self):
        """The invoice list shows the credit note's amount due as negative."""
        text = self._page_text("en_US", "/my/invoices")
        self.assertIn(self.refund.name, text)
        self.assertIn("-$ 80.00", text)
        self.assertNotIn("$ -80.00", text)
        text = self._page_text("de_DE", "/my/invoices")
        self.assertIn("-$ 80,00", text)
        self.assertNotIn("$ -80,00", text)

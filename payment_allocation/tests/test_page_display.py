# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from lxml import etree

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval
from odoo.tools.view_validation import get_expression_field_names

from .common import PaymentAllocationCommonMixin
from .test_credits import PREVIEW, CreditsMixin
from .test_portal_payment import PAY


@tagged("post_install", "-at_install")
class TestPageFormatting(CreditsMixin, HttpCase):
    """Every amount is formatted by its currency and the user's language,
    every date by the language; a bad custom amount gets a sentence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.invoices = cls._create_invoices(cls.customer, [4540.0, 610.0])

    def _page_and_preview(self, lang):
        self.user.lang = lang
        self.authenticate("pa_contact", "pa_contact")
        page = self.url_open(PAY).text
        preview = self._rpc(PREVIEW, self._select(self.invoices))["result"]
        return page, preview

    def test_english(self):
        page, preview = self._page_and_preview("en_US")
        self.assertIn("$\xa04,540.00", page)
        self.assertNotIn("4540.00", page)
        self.assertEqual(preview["amount_display"], "$\xa05,150.00")
        due = self.invoices[0].invoice_date_due
        self.assertEqual(preview["lines"][0]["due_date"], due.strftime("%m/%d/%Y"))
        # The custom amount placeholder: the language's separators.
        self.assertIn('placeholder="5,150.00"', page)

    def test_french(self):
        page, preview = self._page_and_preview("fr_FR")
        lang = self.env["res.lang"]._lang_get("fr_FR")
        sep = re.escape(lang.thousands_sep)
        self.assertRegex(page, rf"4{sep}540,00")
        self.assertNotIn("4,540.00", page)
        self.assertRegex(preview["amount_display"], rf"^\$\xa05{sep}150,00$")
        due = self.invoices[0].invoice_date_due
        self.assertEqual(
            preview["lines"][0]["due_date"], due.strftime(lang.date_format)
        )
        self.assertEqual(lang.date_format, "%d/%m/%Y")

    def test_pay_dialog_prefill_uses_the_language(self):
        invoice = self.invoices[1]
        self.authenticate("pa_contact", "pa_contact")
        page = self.url_open(invoice.get_portal_url()).text
        self.assertIn('placeholder="610.00"', page)
        self.assertNotIn('placeholder="610.0"', page)
        self.user.lang = "fr_FR"
        self.authenticate("pa_contact", "pa_contact")
        page = self.url_open(invoice.get_portal_url()).text
        self.assertIn('placeholder="610,00"', page)

    def test_negative_or_invalid_custom_amount_is_a_sentence(self):
        self.authenticate("pa_contact", "pa_contact")
        for typed, message in (
            ("-5", "greater than zero"),
            ("abc", "not a number"),
            ("", "Enter the amount"),
        ):
            with self.subTest(typed=typed):
                result = self._rpc(
                    PREVIEW,
                    {
                        "mode": "custom",
                        "custom_amount": typed,
                        "currency_id": self.currency.id,
                        "company_id": self.company.id,
                    },
                )["result"]
                self.assertIn(message, result["error"])
                self.assertNotIn("amount_display", result)


@tagged("post_install", "-at_install")
class TestOverdueBanner(PaymentAllocationCommonMixin, HttpCase):
    """The /my alert says how many overdue invoices "Pay Now" pays and for
    how much, per currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls._create_invoices(cls.customer, [100.0, 200.0])  # overdue
        cls._create_invoices(cls.customer, [1000.0], start_days=10)  # not due
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls._create_invoices(cls.customer, [80.0], currency=cls.eur)

    def _summary(self):
        """The entry's sentence, as /my asks it with the entry's counters."""
        return self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "overdue_invoice_count",
                    "payment_allocation_overdue_summary",
                ]
            },
        )

    def test_banner_count_and_amount_per_currency(self):
        self.authenticate("pa_contact", "pa_contact")
        page = self.url_open("/my").text
        # the page holds the place; the sentence comes with the counters
        self.assertIn(
            'data-placeholder_count="payment_allocation_overdue_summary"', page
        )
        # the sentence counts with the right plural; stock's bare count before
        # "Invoices to pay" ("1 Invoices to pay") is hidden by this class
        self.assertIn("o_payment_allocation_overdue_alert", page)
        counters = self._summary()
        self.assertEqual(counters["overdue_invoice_count"], 3)
        text = counters["payment_allocation_overdue_summary"]
        self.assertEqual(
            text,
            "Pay Now pays 2 overdue invoices ($\xa0300.00); "
            "1 overdue invoice (80.00\xa0€)",
        )
        self.assertNotIn("1,000.00", text)

    def test_no_banner_text_when_nothing_is_overdue(self):
        other_contact = self.env["res.partner"].create(
            {"name": "Other Contact", "parent_id": self.other_customer.id}
        )
        self._create_portal_user(other_contact, "pa_other_contact")
        self._create_invoices(self.other_customer, [500.0], start_days=10)
        self.authenticate("pa_other_contact", "pa_other_contact")
        counters = self._summary()
        # 0: the portal leaves the entry hidden
        self.assertEqual(counters["overdue_invoice_count"], 0)
        self.assertEqual(counters["payment_allocation_overdue_summary"], 0)

    def test_my_invoices_pay_overdue_button(self):
        """My Invoices' "Pay overdue" shows when the customer has overdue
        invoices the contact sees (the account overview's count, the same as
        the /my counter's: the invoices are addressed to the company, not to
        the contact), and not otherwise."""
        self.authenticate("pa_contact", "pa_contact")
        page = self.url_open("/my/invoices").text
        self.assertIn('href="/my/invoices/overdue"', page)
        self.assertEqual(self._summary()["overdue_invoice_count"], 3)
        other_contact = self.env["res.partner"].create(
            {"name": "Other Contact", "parent_id": self.other_customer.id}
        )
        self._create_portal_user(other_contact, "pa_other_contact")
        self._create_invoices(self.other_customer, [500.0], start_days=10)
        self.authenticate("pa_other_contact", "pa_other_contact")
        page = self.url_open("/my/invoices").text
        self.assertIn("o_portal_account_overview", page)
        self.assertNotIn('href="/my/invoices/overdue"', page)

    def test_no_banner_text_when_pay_is_off(self):
        self.company.portal_invoice_allow_pay = False
        self.authenticate("pa_contact", "pa_contact")
        page = self.url_open("/my").text
        self.assertNotIn("o_payment_allocation_overdue_summary", page)
        # no sentence: stock's count stays in sight
        self.assertNotIn("o_payment_allocation_overdue_alert", page)
        self.assertEqual(self._summary()["payment_allocation_overdue_summary"], "")


@tagged("post_install", "-at_install")
class TestInvoiceSmartButtons(PaymentAllocationCommonMixin, TransactionCase):
    """An invoice paid through the portal shows one payment smart button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0])

    def _visible_stat_buttons(self, move):
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        buttons = etree.fromstring(arch).xpath(
            "//div[@name='button_box']//button[contains(@class, 'oe_stat_button')]"
        )
        visible = []
        for button in buttons:
            expression = button.get("invisible") or "False"
            names = get_expression_field_names(expression) - {"context", "parent"}
            values = {}
            for name in names:
                value = move[name]
                if hasattr(value, "_name"):
                    value = (
                        value.ids
                        if move._fields[name].type.endswith("2many")
                        else value.id
                    )
                values[name] = value
            if not safe_eval(expression, values):
                visible.append(button.get("name"))
        return visible

    def test_one_payment_button_once_paid(self):
        invoice = self.invoices[0]
        tx = self._create_allocated_transaction(invoice)
        tx._set_pending()
        # A transaction under way, no payment yet: the transaction shows.
        self.assertEqual(
            self._visible_stat_buttons(invoice), ["action_view_payment_transactions"]
        )
        tx._set_done()
        tx._post_process()
        self.assertEqual(self._visible_stat_buttons(invoice), ["open_payments"])

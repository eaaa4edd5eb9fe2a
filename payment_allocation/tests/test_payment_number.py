# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import hmac

from odoo.addons.customer_portal_invoices.tests.common import JsonRpcMixin

from .common_saved_methods import SavedMethodsCommonMixin
from .test_credits import CreditsMixin


@tagged("post_install", "-at_install")
class TestPaymentNumberAndMemo(CreditsMixin, HttpCase):
    """One payment, one number: the customer reads the payment's number on
    the page after paying, My Payments and the receipt (page and PDF), the
    transaction reference only as a labelled reference; the memo names the
    invoices paid; a receipt tells the credit applied beside each invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.contact.portal_invoice_access = "company"
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])
        cls.refund = cls._create_credit_note(cls.customer, 150.0)

    def setUp(self):
        super().setUp()
        self.authenticate("pa_contact", "pa_contact")

    def _assert_human_memo(self, memo, tx, invoices):
        for invoice in invoices:
            self.assertIn(invoice.name, memo)
        for text in (
            "demo-",
            tx.reference,
            self.contact.name,
            self.customer.name,
            tx.provider_reference or "no provider reference",
        ):
            self.assertNotIn(text, memo)

    def test_payment_number_everywhere_memo_and_credit(self):
        tx = self._pay(450.0, **self._select(self.invoices))
        payment = tx.payment_id
        self.assertTrue(payment.name)
        self.assertNotEqual(payment.name, tx.reference)
        # the memo recorded names the invoices the transaction paid
        self.assertEqual(
            payment.memo,
            ", ".join((self.invoices[1] + self.invoices[2]).mapped("name")),
        )
        self._assert_human_memo(payment.memo, tx, self.invoices[1:])

        # page after paying: titled with the payment's number
        page = self.url_open(tx.landing_route).text
        title = re.search(
            r'o_payment_allocation_receipt_title">(.*?)</h3>', page, re.DOTALL
        ).group(1)
        self.assertIn(payment.name, title)
        self.assertNotIn(tx.reference, title)
        reference = re.search(
            r'o_payment_allocation_reference">(.*?)</p>', page, re.DOTALL
        ).group(1)
        self.assertIn("Reference:", reference)
        self.assertIn(tx.reference, reference)

        # My Payments
        listing = self.url_open("/my/payments").text
        self.assertIn(payment.name, listing)
        self.assertNotIn(tx.reference, listing)

        # the receipt page: number, human memo, credit applied
        receipt = self.url_open(payment.access_url).text
        self.assertIn(payment.name, receipt)
        self.assertNotIn(tx.reference, receipt)
        memo = re.search(
            r'o_portal_payment_memo text-break">(.*?)</div>', receipt, re.DOTALL
        ).group(1)
        self._assert_human_memo(memo, tx, self.invoices[1:])
        # the second invoice: 50 of credit, 150 of this payment, nothing due
        credits = re.findall(
            r'o_portal_payment_invoice_credit">(.*?)</div>', receipt, re.DOTALL
        )
        self.assertEqual(len(credits), 1, credits)
        self.assertIn("Credit applied:", credits[0])
        self.assertIn("50.00", credits[0])

        # the receipt PDF, rendered as the contact
        allocation = payment.with_user(self.user)._portal_payment_allocations()[
            payment.id
        ]
        self.assertEqual(allocation["credits"], {self.invoices[1].id: 50.0})
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user)
            ._render_qweb_html(
                "customer_portal_invoices.action_report_portal_payment_receipt",
                payment.ids,
            )[0]
            .decode()
        )
        self.assertIn(payment.name, html)
        self.assertNotIn(tx.reference, html)
        self.assertIn("Credit applied:", html)

    def test_receipt_credit_of_an_unapplied_payment(self):
        """A payment received on account and applied as credit is a credit
        beside the invoice on the receipt, as a credit note is; a payment
        registered for the invoice is not."""
        self.refund.button_draft()
        self.refund.button_cancel()
        self._create_unapplied_payment(self.customer, 150.0)
        # 20 paid earlier on the third invoice, registered for it
        self._pay_in_back_office(self.invoices[2], 20.0)
        # 150 of credit: 100 on the first invoice, 50 on the second
        tx = self._pay(430.0, **self._select(self.invoices))
        payment = tx.payment_id
        allocation = payment.with_user(self.user)._portal_payment_allocations()[
            payment.id
        ]
        self.assertEqual(allocation["credits"], {self.invoices[1].id: 50.0})
        receipt = self.url_open(payment.access_url).text
        credits = re.findall(
            r'o_portal_payment_invoice_credit">(.*?)</div>', receipt, re.DOTALL
        )
        self.assertEqual(len(credits), 1, credits)
        self.assertIn("50.00", credits[0])

    def test_memo_of_a_stock_payment_shown_as_invoices(self):
        """A payment recorded before (memo as stock writes it: reference,
        contacts, provider reference) is shown with the invoices it paid."""
        tx = self._pay(100.0, **self._select(self.invoices[:1], apply_credit=False))
        payment = tx.payment_id
        payment.memo = (
            f"{tx.reference} - {self.customer.name}, {self.contact.name} - "
            f"demo-{tx.reference}"
        )
        memo = payment._portal_payment_memos()[payment.id]
        self.assertEqual(memo, self.invoices[0].name)
        receipt = self.url_open(payment.access_url).text
        self.assertNotIn("demo-", receipt)
        self.assertNotIn(self.contact.name, receipt.split("o_portal_payment_memo")[1])
        # a memo written by an accountant is left as written
        payment.memo = "Advance for November freight"
        self.assertEqual(
            payment._portal_payment_memos()[payment.id], "Advance for November freight"
        )


@tagged("post_install", "-at_install")
class TestPaymentMethodsNoAccess(JsonRpcMixin, SavedMethodsCommonMixin, HttpCase):
    """A contact without invoice access manages no payment method: no page,
    no tile on /my, no saving, default, autopay or deletion by any route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.no_access = cls.env["res.partner"].create(
            {
                "name": "Methods No Access",
                "parent_id": cls.customer.id,
                "portal_invoice_access": "none",
            }
        )
        cls._create_portal_user(cls.no_access, "pa_methods_none")
        # saved while it still had access
        cls.token = cls._create_demo_token(cls.no_access, details="5555")

    def setUp(self):
        super().setUp()
        self.authenticate("pa_methods_none", "pa_methods_none")

    def _post(self, route, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(route, data=data)

    def test_no_payment_method_page_nor_tile(self):
        response = self.url_open("/my/payment_method")
        self.assertTrue(response.url.endswith("/my/invoices"), response.url)
        self.assertIn("o_portal_invoice_access_denied", response.text)
        self.assertNotIn("o_payment_form", response.text)
        home = self.url_open("/my").text
        self.assertFalse('href="/my/payment_method"' in home, "no tile")

    def test_routes_refuse_saving_and_managing(self):
        for route, data in (
            ("/my/payment_method/default", {"token_id": self.token.id}),
            ("/my/payment_method/autopay", {"token_id": self.token.id}),
            ("/my/payment_method/verify", {"token_id": self.token.id}),
        ):
            response = self._post(route, **data)
            self.assertTrue(
                response.url.endswith("/my/invoices"), (route, response.url)
            )
        self.assertFalse(self.customer.payment_allocation_autopay)
        with mute_logger("odoo.http"):
            result = self._rpc("/payment/archive_token", {"token_id": self.token.id})
        self.assertIn("error", result)
        self.assertTrue(self.token.active)
        result = self._rpc(
            "/my/payment_method/stripe/verify", {"token_id": self.token.id}
        )
        self.assertIn("error", result["result"])
        # saving a method (validation transaction) through the JSON route
        Transaction = self.env["payment.transaction"].sudo()
        before = Transaction.search_count([])
        with mute_logger("odoo.http"):
            result = self._rpc(
                "/payment/transaction",
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.payment_method.id,
                    "token_id": None,
                    "amount": None,
                    "currency_id": None,
                    "partner_id": self.no_access.id,
                    # as the stock page signs it (partner, no amount/currency)
                    "access_token": hmac(
                        self.env(su=True),
                        "generate_access_token",
                        f"{self.no_access.id}|None|None",
                    ),
                    "flow": "direct",
                    "tokenization_requested": True,
                    "landing_route": "/my/payment_method",
                    "is_validation": True,
                },
            )
        self.assertIn("error", result)
        self.assertIn("no access to invoices", result["error"]["data"]["message"])
        self.assertEqual(Transaction.search_count([]), before)

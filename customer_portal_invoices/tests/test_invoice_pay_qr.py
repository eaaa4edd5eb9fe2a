# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_statement import StatementCommon


@tagged("post_install", "-at_install")
class TestInvoicePayQr(StatementCommon):
    """The optional pay-link QR code on the invoice PDF."""

    def _render(self, invoice):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", invoice.ids
        )[0]
        return html.decode()

    def test_pay_qr(self):
        invoice = self.inv3
        self.assertNotIn('id="portal_pay_qrcode"', self._render(invoice))
        self.env.company.portal_invoice_pay_qr = True
        html = self._render(invoice)
        self.assertIn('id="portal_pay_qrcode"', html)
        self.assertIn("data:image/png;base64,", html)
        url = invoice._portal_pay_url()
        self.assertIn(f"/my/invoices/{invoice.id}", url)
        self.assertIn(f"access_token={invoice.access_token}", url)
        self.assertTrue(url.startswith(invoice.get_base_url()))
        # the link opens the invoice page, where it is paid, without login
        self.authenticate(None, None)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        # nothing to pay, no QR code: a paid invoice, a credit note
        paid = self._create_invoice(self.customer, 10.0, 1, 0)
        self._pay(paid, 10.0, 0)
        for move in (paid, self.refund1):
            self.assertNotIn('id="portal_pay_qrcode"', self._render(move))

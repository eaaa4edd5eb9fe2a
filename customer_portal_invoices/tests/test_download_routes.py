# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CustomerPortalCommon


@tagged("post_install", "-at_install")
class TestDownloadRoutes(CustomerPortalCommon, HttpCase):
    """With portal downloads off, no route gives a portal or public user a
    file of the company's invoices: the portal page's PDF, /web/content, the
    report routes (/report/pdf, /report/html, /report/download) and the
    legal documents route. With downloads on, they do (the legal documents
    route excepted: stock keeps it for internal users)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.invoice = cls.inv_a_company
        cls.invoice.invoice_pdf_report_file = base64.b64encode(b"%PDF-1.4 invoice")
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "timesheet.pdf",
                "raw": b"%PDF-1.4 timesheet",
                "res_model": "account.move",
                "res_id": cls.invoice.id,
            }
        )
        cls.attachment_token = cls.attachment.generate_access_token()[0]

    def _report_urls(self, move):
        """The report routes, by XML id and by report name; /report/download
        (the back office's download) takes the report name."""
        urls = {}
        for report in (
            "account.account_invoices",
            "account.report_invoice_with_payments",
            "account.report_invoice",
        ):
            for converter in ("pdf", "html"):
                urls[f"{converter} {report}"] = (
                    f"/report/{converter}/{report}/{move.id}"
                )
        for report in (
            "account.report_invoice_with_payments",
            "account.report_invoice",
        ):
            data = json.dumps([f"/report/pdf/{report}/{move.id}", "qweb-pdf"])
            urls[f"download {report}"] = "/report/download?" + urlencode({"data": data})
        return urls

    def _portal_urls(self, move):
        """Routes a portal user downloads from, by name."""
        return {
            "portal pdf download": (
                f"/my/invoices/{move.id}?report_type=pdf&download=true"
            ),
            "portal pdf inline": f"/my/invoices/{move.id}?report_type=pdf",
            "web content pdf field": (
                f"/web/content/account.move/{move.id}/invoice_pdf_report_file"
            ),
            "web content attachment": (
                f"/web/content/{self.attachment.id}?download=true"
                f"&access_token={self.attachment_token}"
            ),
            **self._report_urls(move),
        }

    def _token_urls(self, move):
        """Routes a logged-out visitor downloads from with the share link."""
        token = move._portal_ensure_token()
        return {
            "token pdf download": (
                f"/my/invoices/{move.id}?access_token={token}"
                "&report_type=pdf&download=true"
            ),
            "token pdf inline": (
                f"/my/invoices/{move.id}?access_token={token}&report_type=pdf"
            ),
            "token web content attachment": (
                f"/web/content/{self.attachment.id}"
                f"?access_token={self.attachment_token}"
            ),
        }

    def _assert_served(self, urls, move):
        for name, url in urls.items():
            with self.subTest(route=name):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 200, name)
                if "html" in name:
                    self.assertIn(move.name, response.text, name)
                else:
                    self.assertEqual(
                        response.headers["Content-Type"], "application/pdf", name
                    )

    def _assert_refused(self, urls, move):
        for name, url in urls.items():
            with self.subTest(route=name):
                response = self.url_open(url, allow_redirects=False)
                # /report/download answers its errors with a 200 JSON body
                if not name.startswith("download "):
                    self.assertNotEqual(response.status_code, 200, name)
                self.assertNotEqual(
                    response.headers.get("Content-Type"), "application/pdf", name
                )
                self.assertNotIn(b"%PDF", response.content, name)
                self.assertNotIn(move.name, response.text, name)

    @mute_logger(
        "odoo.http",
        "odoo.addons.base.models.ir_actions_report",
        "odoo.addons.web.controllers.report",
    )
    def test_download_on_serves_every_route(self):
        self.assertTrue(self.company.portal_invoice_allow_download)
        self.authenticate("cpi_a_company", "cpi_a_company")
        self._assert_served(self._portal_urls(self.invoice), self.invoice)
        self.authenticate(None, None)
        self._assert_served(self._token_urls(self.invoice), self.invoice)
        # a portal user of another customer gets none of them (but the file
        # an attachment's own token shares)
        self.authenticate("cpi_b_company", "cpi_b_company")
        urls = self._portal_urls(self.invoice)
        del urls["web content attachment"]
        self._assert_refused(urls, self.invoice)

    @mute_logger(
        "odoo.http",
        "odoo.addons.base.models.ir_actions_report",
        "odoo.addons.web.controllers.report",
    )
    def test_download_off_refuses_every_route(self):
        self.company.portal_invoice_allow_download = False
        others = {
            "legal documents": f"/account/download_invoice_documents/"
            f"{self.invoice.id}/pdf",
            "portal text": f"/my/invoices/{self.invoice.id}?report_type=text",
        }
        self.authenticate("cpi_a_company", "cpi_a_company")
        self._assert_refused(
            {**self._portal_urls(self.invoice), **others}, self.invoice
        )
        # the invoice page and its rendering on it stay available
        for url in (
            f"/my/invoices/{self.invoice.id}",
            f"/my/invoices/{self.invoice.id}?report_type=html",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(self.invoice.name, response.text, url)
        self.authenticate(None, None)
        self._assert_refused(self._token_urls(self.invoice), self.invoice)
        # back-office users still get the PDF
        self.authenticate(self.env.user.login, self.env.user.login)
        self._assert_served(self._report_urls(self.invoice), self.invoice)

    def test_model_check(self):
        """The one rule every route asks."""
        invoice = self.invoice.with_user(self.user_a_company)
        self.assertTrue(invoice._portal_download_allowed())
        self.company.portal_invoice_allow_download = False
        self.assertFalse(invoice._portal_download_allowed())
        self.assertFalse(invoice.sudo()._portal_download_allowed())
        self.assertTrue(self.invoice._portal_download_allowed())

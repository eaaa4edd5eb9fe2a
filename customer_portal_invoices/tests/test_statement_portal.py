# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import subprocess
import tempfile
from urllib.parse import urlparse

from odoo import fields
from odoo.tests import tagged

from .common_statement import StatementCommon


@tagged("post_install", "-at_install")
class TestStatementPortal(StatementCommon):
    """The statement page and PDF on the portal, for every kind of visitor."""

    def _url(self, path="/my/statement", date_from=60, date_to=0):
        start = fields.Date.to_string(self._days_ago(date_from))
        end = fields.Date.to_string(self._days_ago(date_to))
        return f"{path}?date_from={start}&date_to={end}"

    def _get(self, login, url):
        if login:
            self.authenticate(login, login)
        else:
            self.authenticate(None, None)
        return self.url_open(url)

    def _pdf_text(self, content):
        self.assertEqual(content[:5], b"%PDF-", "wkhtmltopdf did not render a PDF")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(content)
            pdf_file.flush()
            return subprocess.run(
                ["pdftotext", "-layout", pdf_file.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout

    def test_page_company_contact(self):
        response = self._get("cpi.st.company", self._url())
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Statement of Account", page)
        for document in (self.inv3, self.inv4, self.inv5, self.refund1, self.inv_eur):
            self.assertIn(document.name, page)
        self.assertIn(self.pay_unapplied.move_id.name, page)
        self.assertNotIn(self.inv_other.name, page)
        self.assertIn("1,500.00", page)  # opening
        self.assertIn("1,250.00", page)  # closing
        self.assertIn("data:image/png;base64,", page)
        start = fields.Date.to_string(self._days_ago(60))
        self.assertIn(f"/my/statement/pdf?date_from={start}", page)

    def test_page_own_contact(self):
        response = self._get("cpi.st.own", self._url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.inv4.name, response.text)
        self.assertIn(self.pay3.move_id.name, response.text)
        for document in (self.inv1, self.inv3, self.inv5, self.inv_eur, self.inv_other):
            self.assertNotIn(document.name, response.text)
        self.assertNotIn(self.pay_unapplied.move_id.name, response.text)

    def test_page_other_customer(self):
        response = self._get("cpi.st.other", self._url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.inv_other.name, response.text)
        for document in (self.inv3, self.inv4, self.inv5, self.inv_eur):
            self.assertNotIn(document.name, response.text)
        self.assertNotIn("Statement Customer", response.text)

    def test_page_and_pdf_refused(self):
        """A "none" contact and the public get no figures and no PDF."""
        for login in ("cpi.st.none", None):
            for path in ("/my/statement", "/my/statement/pdf"):
                with self.subTest(login=login, path=path):
                    response = self._get(login, self._url(path))
                    self.assertNotEqual(response.content[:5], b"%PDF-")
                    self.assertNotIn(self.inv3.name, response.text)
                    self.assertNotIn("1,250.00", response.text)
                    expected = "/my" if login else "/web/login"
                    self.assertEqual(urlparse(response.url).path, expected)

    def _render_pdf(self, user):
        """The statement PDF rendered by wkhtmltopdf as ``user`` (Odoo serves
        HTML for reports while it runs tests, and wkhtmltopdf cannot load the
        page assets from the test server while a request holds it: render
        from the test itself)."""
        report = (
            self.env["report.customer_portal_invoices.report_statement"]
            .with_user(user)
            .with_context(force_report_rendering=True)
        )
        return report._statement_render_pdf(
            user.partner_id, self._days_ago(60), self.today
        )

    def test_pdf_route(self):
        """The route answers the statement (HTML while Odoo runs its tests)
        as a PDF download, with the user's figures only."""
        response = self._get("cpi.st.company", self._url("/my/statement/pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(
            "Statement_Statement_Customer", response.headers["Content-Disposition"]
        )
        self.assertIn(self.inv3.name, response.text)
        self.assertIn("1,250.00", response.text)
        self.assertNotIn(self.inv_other.name, response.text)
        response = self._get("cpi.st.own", self._url("/my/statement/pdf"))
        self.assertIn(self.inv4.name, response.text)
        self.assertNotIn(self.inv3.name, response.text)

    def test_pdf_company_contact(self):
        text = self._pdf_text(self._render_pdf(self.user_company))
        for expected in (
            "Statement of Account",
            "Statement Customer",
            "Opening balance",
            "Closing balance",
            self.inv3.name,
            self.pay1.move_id.name,
            "1,500.00",
            "1,250.00",
            "Over 90 days",
            "600.00",
            "Seven Hundred",
            "Scan to pay online",
        ):
            self.assertIn(expected, text)
        self.assertNotIn(self.inv_other.name, text)

    def test_pdf_own_contact_and_other_customer(self):
        text = self._pdf_text(self._render_pdf(self.user_own))
        self.assertIn(self.inv4.name, text)
        self.assertIn("80.00", text)
        for document in (self.inv1, self.inv3, self.inv_eur, self.inv_other):
            self.assertNotIn(document.name, text)
        text = self._pdf_text(self._render_pdf(self.user_other))
        self.assertIn(self.inv_other.name, text)
        self.assertNotIn(self.inv3.name, text)

    def test_links_from_home_and_invoice_list(self):
        self.authenticate("cpi.st.company", "cpi.st.company")
        self.assertIn('href="/my/statement"', self.url_open("/my").text)
        self.assertIn('href="/my/statement"', self.url_open("/my/invoices").text)
        self.authenticate("cpi.st.none", "cpi.st.none")
        self.assertNotIn('href="/my/statement"', self.url_open("/my").text)

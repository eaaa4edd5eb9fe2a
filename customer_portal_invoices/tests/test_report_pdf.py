# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_statement import StatementCommon
from .pdf_pages import pdf_pages_text

# the column headings of the statement's lines, as pdftotext lays them out
HEADINGS = re.compile(
    r"Date\s+Transaction\s+Number\s+Reference\s+Due Date\s+Amount\s+Balance"
)
LOGGERS = (
    "odoo.addons.customer_portal_invoices.models.ir_actions_report",
    "odoo.http",
)


@tagged("post_install", "-at_install")
class TestReportPdf(StatementCommon):
    """PDFs rendered by the real wkhtmltopdf: a statement of several pages
    has its column headings on every page, and a render that gives no PDF is
    an error, never an empty file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 60 more invoices in the period: the statement takes several pages
        cls.many = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "currency_id": cls.usd.id,
                    "invoice_date": cls._days_ago(1 + index % 50),
                    "invoice_date_due": cls._days_ago(1 + index % 50)
                    + timedelta(days=30),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Freight {index}",
                                "quantity": 1,
                                "price_unit": 10.0 + index,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
                for index in range(60)
            ]
        )
        cls.many.action_post()

    def _render_statement_pdf(self):
        # Odoo answers reports as HTML while it runs tests unless forced
        report = (
            self.env["report.customer_portal_invoices.report_statement"]
            .with_user(self.user_company)
            .with_context(force_report_rendering=True)
        )
        return report._statement_render_pdf(
            self.contact_company, self._days_ago(60), self.today
        )

    def test_statement_headings_on_every_page(self):
        content = self._render_statement_pdf()
        self.assertEqual(content[:5], b"%PDF-", "wkhtmltopdf rendered no PDF")
        pages = pdf_pages_text(content)
        self.assertGreaterEqual(len(pages), 2, "the statement should take pages")
        for number, text in enumerate(pages, 1):
            with self.subTest(page=number):
                self.assertTrue(text.strip(), f"page {number} is blank")
                if "Closing balance in words" in text and not HEADINGS.search(text):
                    # the last page may hold the closing words and aging only
                    self.assertNotIn("INV/", text)
                    continue
                self.assertRegex(text, HEADINGS, f"page {number} has no headings")
        # every document once: no row lost or doubled by the page blocks
        text = "\n".join(pages)
        for move in self.many | self.inv3 | self.inv5:
            self.assertEqual(text.count(move.name), 1, move.name)

    def test_failed_render_is_an_error(self):
        """A wkhtmltopdf that exits without writing the PDF (exit code 1, as
        Debian's does when given several documents at once)."""
        with patch(
            "odoo.addons.base.models.ir_actions_report._get_wkhtmltopdf_bin",
            return_value="/bin/false",
        ):
            with mute_logger(*LOGGERS), self.assertRaises(UserError):
                self._render_statement_pdf()
            # the portal contact downloading an invoice through /report/pdf
            self.authenticate("cpi.st.company", "cpi.st.company")
            context = json.dumps({"force_report_rendering": True})
            with mute_logger(*LOGGERS):
                response = self.url_open(
                    f"/report/pdf/account.report_invoice/{self.inv3.id}"
                    f"?context={context}"
                )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertIn("The PDF could not be generated", response.text)

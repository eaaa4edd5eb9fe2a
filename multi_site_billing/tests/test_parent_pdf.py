# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import HttpCase, tagged

from odoo.addons.customer_portal_invoices.tests.pdf_pages import pdf_pages_text

from .common import MultiSiteCommon

PARENT_REPORT = "multi_site_billing.action_report_parent_invoice"


@tagged("post_install", "-at_install")
class TestParentInvoicePdf(MultiSiteCommon, HttpCase):
    """The parent invoice PDF, rendered by the real wkhtmltopdf (Debian's,
    built without patched Qt, in CI): one document with a section per site,
    text on every page."""

    def _report(self, user=None):
        # Odoo answers reports as HTML while it runs tests unless forced
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        return report.with_user(user) if user else report

    def test_one_document_with_a_section_per_site(self):
        report = self._report()
        html = report._render_qweb_html(PARENT_REPORT, self.parent.ids)[0]
        bodies = report._get_report(PARENT_REPORT)._prepare_html(
            html, report_model="account.parent.invoice"
        )[0]
        # one document: wkhtmltopdf without patched Qt renders no file of
        # several documents
        self.assertEqual(len(bodies), 1)
        content = report._render_qweb_pdf(PARENT_REPORT, self.parent.ids)[0]
        self.assertEqual(content[:5], b"%PDF-", "wkhtmltopdf rendered no PDF")
        pages = pdf_pages_text(content)
        for number, text in enumerate(pages, 1):
            with self.subTest(page=number):
                self.assertTrue(text.strip(), f"page {number} of the PDF is blank")
        text = "\n".join(pages)
        self.assertIn(self.parent.name, text)
        # the summary first, then one section per site, in site code order,
        # each with its invoice and the invoice's lines
        summary_end = text.index("Please pay the invoices of this document")
        positions = []
        for site, child in (
            (self.site_east, self.inv_east),
            (self.site_north, self.inv_north),
            (self.site_south, self.inv_south),
        ):
            with self.subTest(site=site.site_code):
                heading = re.compile(rf"{site.site_code}\s+{site.name}")
                section = heading.search(text, summary_end).start()
                self.assertGreater(text.index(child.name, section), section)
                self.assertIn(child.invoice_line_ids[0].name, text[section:])
                positions.append(section)
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn(self.inv_other.name, text)

    def test_site_contact_gets_its_sites_only(self):
        """Rendered as the site contact (as ``/report/pdf`` does): only the
        sections of its site."""
        content = self._report(self.user_site)._render_qweb_pdf(
            PARENT_REPORT, self.parent.ids
        )[0]
        pages = pdf_pages_text(content)
        self.assertTrue(all(text.strip() for text in pages))
        text = "\n".join(pages)
        self.assertIn(self.inv_north.name, text)
        self.assertRegex(text, rf"{self.site_north.site_code}\s+{self.site_north.name}")
        for child in self.inv_south | self.inv_east:
            self.assertNotIn(child.name, text)

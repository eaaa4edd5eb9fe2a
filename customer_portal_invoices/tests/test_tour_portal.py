# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_portal import PortalInvoicesCommon


@tagged("post_install", "-at_install", "portal_tour")
class TestPortalInvoicesTour(PortalInvoicesCommon):
    def test_company_contact_tour(self):
        """A company-level contact reads the overview, filters the overdue
        invoices, searches one, opens it and downloads its PDF."""
        self.start_tour(
            "/my", "customer_portal_invoices_tour", login="cpi.portal.company"
        )
        # the link the tour followed answers the PDF to this user
        self.authenticate("cpi.portal.company", "cpi.portal.company")
        response = self.url_open(
            self.inv_overdue.get_portal_url(report_type="pdf", download=True)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(".pdf", response.headers["Content-Disposition"])


@tagged("post_install", "-at_install", "portal_tour")
class TestPortalInvoicesPhoneTour(PortalInvoicesCommon):
    browser_size = "390x844"

    def test_invoice_list_at_phone_width(self):
        """At 390 px wide, My Invoices does not scroll sideways and shows
        every amount."""
        self.start_tour(
            "/my/invoices",
            "customer_portal_invoices_phone_tour",
            login="cpi.portal.company",
        )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import MultiSiteCommon


@tagged("post_install", "-at_install", "portal_tour")
class TestMultiSiteTour(MultiSiteCommon, HttpCase):
    def test_company_contact_tour(self):
        """A company contact expands a parent on /my/invoices and opens it."""
        self.start_tour(
            "/my/invoices", "multi_site_billing_company_tour", login="msb_company"
        )

    def test_site_contact_tour(self):
        """A site contact sees its site's share of the parent only."""
        self.start_tour(
            "/my/invoices", "multi_site_billing_site_tour", login="msb_site"
        )

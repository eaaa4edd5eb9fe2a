# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_statement import StatementCommon


@tagged("post_install", "-at_install", "portal_tour")
class TestStatementTour(StatementCommon):
    def test_statement_tour(self):
        """A company-wide contact opens its statement from /my, changes the
        period and downloads the PDF."""
        self.start_tour(
            "/my", "customer_portal_invoices_statement_tour", login="cpi.st.company"
        )

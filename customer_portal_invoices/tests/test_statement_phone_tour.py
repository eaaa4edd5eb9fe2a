# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_statement import StatementCommon


@tagged("post_install", "-at_install", "portal_tour")
class TestStatementPhoneTour(StatementCommon):
    browser_size = "390x844"

    def test_statement_at_phone_width(self):
        """At 390 px wide, the statement does not scroll sideways and its
        aging is a list of one bucket a line."""
        self.start_tour(
            "/my/statement",
            "customer_portal_invoices_statement_phone_tour",
            login="cpi.st.company",
        )

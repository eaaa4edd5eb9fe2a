# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import MultiSiteCommon


@tagged("post_install", "-at_install", "portal_tour")
class TestMultiSiteTour(MultiSiteCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        # sudo: the accounting test user may not manage providers
        cls.env.ref("payment.payment_provider_demo").sudo().write(
            {"state": "test", "is_published": True, "company_id": cls.env.company.id}
        )

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

    def test_company_contact_pays_parent_tour(self):
        """A company contact expands a parent, pays it from the Make a Payment
        page (the parent ticked), and sees it paid."""
        self.start_tour(
            "/my/invoices", "multi_site_billing_pay_parent_tour", login="msb_company"
        )
        tx = self.inv_north.transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.invoice_ids, self.children)
        self.assertEqual(
            {line.move_id: line.amount for line in tx.payment_allocation_line_ids},
            {self.inv_north: 100.0, self.inv_south: 200.0, self.inv_east: 300.0},
        )
        self.assertTrue(all(child.amount_residual == 0.0 for child in self.children))
        self.assertIn(self.parent.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.inv_north_single.amount_residual, 70.0)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoProvider(TransactionCase):
    def test_demo_provider_enabled(self):
        """With payment_demo and demo data, portal customers can pay with the
        Demo provider in test mode."""
        self.assertTrue(
            self.env.ref("customer_portal_invoices.partner_harbor", False),
            "demo data is missing: install the addons with demo data",
        )
        provider = self.env.ref("payment.payment_provider_demo")
        self.assertEqual(
            provider.module_state, "installed", "payment_demo is not installed"
        )
        self.assertEqual(provider.state, "test")
        self.assertTrue(provider.is_published)

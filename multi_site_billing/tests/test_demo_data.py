# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parent = cls.env.ref("multi_site_billing.parent_invoice_harbor", False)
        if not cls.parent:
            # no skip: a database without demo data fails here, loudly
            raise AssertionError(
                "demo data is missing: install the addons with demo data"
            )
        cls.harbor = cls.env.ref("customer_portal_invoices.partner_harbor")

    def test_harbor_sites_and_parent(self):
        sites = self.env["res.partner"].search(
            [("commercial_partner_id", "=", self.harbor.id), ("site_code", "!=", False)]
        )
        self.assertEqual(len(sites), 3)
        self.assertEqual(self.parent.partner_id, self.harbor)
        self.assertEqual(self.parent.child_invoice_ids.site_id, sites)
        self.assertEqual(self.parent.amount_total, 1200 + 14 * 25 + 2150 + 980)
        self.assertTrue(self.parent.name.startswith("PINV/"))

    def test_site_contact(self):
        sofia = self.env.ref("multi_site_billing.user_harbor_sofia")
        portland = self.env.ref("multi_site_billing.site_harbor_portland")
        self.assertEqual(sofia.login, "sofia.harbor")
        self.assertEqual(sofia.partner_id.portal_invoice_access, "site")
        seen = self.env["account.move"].with_user(sofia).search([])
        self.assertTrue(seen)
        self.assertEqual(seen.site_id, portland)
        parents = self.env["account.parent.invoice"].with_user(sofia).search([])
        self.assertEqual(parents, self.parent)

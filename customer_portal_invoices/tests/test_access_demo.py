# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAccessDemo(TransactionCase):
    """The demo database shows the three invoice access levels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.harbor = cls.env.ref(
            "customer_portal_invoices.partner_harbor", raise_if_not_found=False
        )
        if not cls.harbor:
            cls.skipTest(cls, "demo data is not loaded in this database")

    def _user(self, name):
        return self.env.ref(f"customer_portal_invoices.user_{name}")

    def test_demo_access_levels(self):
        levels = {
            name: self._user(name).partner_id.portal_invoice_access
            for name in ("harbor_alice", "harbor_bruno", "harbor_chloe", "summit_diego")
        }
        self.assertEqual(
            levels,
            {
                "harbor_alice": "company",
                "harbor_bruno": "own",
                "harbor_chloe": "none",
                "summit_diego": "company",
            },
        )

    def test_demo_visibility(self):
        documents = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.harbor.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        bruno = self._user("harbor_bruno")
        seen = {
            name: self.env["account.move"]
            .with_user(self._user(name))
            .search([("id", "in", documents.ids)])
            for name in ("harbor_alice", "harbor_bruno", "harbor_chloe")
        }
        self.assertEqual(seen["harbor_alice"], documents)
        self.assertFalse(seen["harbor_chloe"])
        self.assertTrue(seen["harbor_bruno"])
        self.assertLess(len(seen["harbor_bruno"]), len(documents))
        for move in seen["harbor_bruno"]:
            self.assertTrue(
                move.partner_id == bruno.partner_id
                or bruno.partner_id in move.message_partner_ids
            )

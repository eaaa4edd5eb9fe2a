# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_dependency_chain_installed(self):
        """multi_site_billing -> payment_allocation -> customer_portal_invoices."""
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    [
                        "multi_site_billing",
                        "payment_allocation",
                        "customer_portal_invoices",
                    ],
                )
            ]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        deps = modules.filtered(lambda m: m.name == "multi_site_billing")
        self.assertEqual(deps.dependencies_id.mapped("name"), ["payment_allocation"])

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import MultiSiteCommon


@tagged("post_install", "-at_install", "portal_tour")
class TestParentPhoneTour(MultiSiteCommon, HttpCase):
    browser_size = "390x844"

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

    def test_parent_page_at_phone_width(self):
        """At 390 px wide, the parent invoice page does not scroll sideways,
        breaks no number, date, amount or heading, and shows each Pay
        button."""
        self.start_tour(
            f"/my/parent_invoices/{self.parent.id}",
            "multi_site_billing_parent_phone_tour",
            login="msb_company",
        )

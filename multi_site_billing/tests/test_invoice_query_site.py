# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.tests import HttpCase, tagged

from .common import MultiSiteCommon


@tagged("post_install", "-at_install")
class TestSiteQuery(MultiSiteCommon, HttpCase):
    """Invoice queries (customer_portal_invoices) at the site level: a site
    contact queries the invoices of its sites, which it may pay, and no
    other site's (nothing created); the whole-company contact any."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Query = cls.env["account.move.query"]
        cls.reason = cls.env.ref("customer_portal_invoices.query_reason_other")

    def _post_query(self, invoice, login):
        self.authenticate(login, login)
        return self.url_open(
            f"/my/invoices/{invoice.id}/query",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "reason_id": str(self.reason.id),
                "message": "Not delivered to this depot.",
            },
        )

    def test_site_contact_queries_its_sites_only(self):
        self.assertEqual(self.inv_north._portal_query_error(user=self.user_site), "")
        for invoice in (self.inv_south, self.inv_east, self.inv_plain, self.inv_other):
            with self.subTest(invoice=invoice.name):
                self.assertTrue(invoice._portal_query_error(user=self.user_site))
                self._post_query(invoice, "msb_site")
                self.assertFalse(self.Query.search([("move_id", "=", invoice.id)]))
        response = self._post_query(self.inv_north, "msb_site")
        self.assertEqual(response.status_code, 200)
        query = self.Query.search([("move_id", "=", self.inv_north.id)])
        self.assertEqual(query.partner_id, self.contact_site)
        self.assertEqual(self.inv_north.portal_query_state, "open")
        # the whole-company contact sees it queried and may query the others
        self.assertIn(
            "queried already",
            self.inv_north._portal_query_error(user=self.user_company),
        )
        self.assertEqual(self.inv_south._portal_query_error(user=self.user_company), "")
        # nor the contact without invoice access, nor the other customer
        for user in (self.user_none, self.user_other):
            self.assertTrue(self.inv_south._portal_query_error(user=user))

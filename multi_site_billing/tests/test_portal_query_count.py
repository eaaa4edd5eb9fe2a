# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import MultiSiteCommon


@tagged("post_install", "-at_install")
class TestPortalQueryCount(MultiSiteCommon, HttpCase):
    """/my/invoices and the payment page make the same number of queries
    whether a parent has 2 or 200 children."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.parent.action_ungroup()
        cls.parent = cls.env["account.parent.invoice"]._group_invoices(
            cls.inv_north | cls.inv_south
        )

    def _add_children(self, count):
        sites = self.site_north | self.site_south | self.site_east
        moves = self.env["account.move"].create(
            [
                self._site_invoice_values(sites[index % 3], 10.0 + index)
                for index in range(count)
            ]
        )
        moves.action_post()
        moves.write({"parent_invoice_id": self.parent.id})
        # the links of the rows carry access tokens: created once, here
        for move in moves:
            move._portal_ensure_token()
        return moves

    def _queries(self, url):
        # once to warm the caches (and create the access tokens of links)
        self.assertEqual(self.url_open(url, timeout=120).status_code, 200)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        response = self.url_open(url, timeout=120)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before, response

    def test_same_queries_with_2_or_200_children(self):
        self.authenticate("msb_company", "msb_company")
        list_2, response = self._queries("/my/invoices")
        self.assertIn(self.parent.name, response.text)
        pay_2, _response = self._queries("/my/invoices/pay")
        self._add_children(198)
        self.assertEqual(self.parent.child_count, 200)
        self._queries("/my/invoices")  # warm-up with the new children
        self._queries("/my/invoices/pay")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(list_2):
            response = self.url_open("/my/invoices", timeout=120)
        self.assertEqual(response.text.count("o_portal_parent_child_row"), 200)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(pay_2):
            self.url_open("/my/invoices/pay", timeout=120)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.customer_portal_invoices.tests.common import (
    JsonRpcMixin,
    portal_home_text,
)

from .common import MultiSiteCommon


@tagged("post_install", "-at_install")
class TestSiteAccess(JsonRpcMixin, MultiSiteCommon, HttpCase):
    """The access matrix of customer_portal_invoices extended to site
    contacts: a site contact sees and pays only its sites' invoices, and of
    a parent only those children, on every route; the record rules decide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.all_docs = (
            cls.children | cls.inv_north_single | cls.inv_plain | cls.inv_other
        )
        Move = cls.env["account.move"]
        # login -> documents it may see
        cls.matrix = {
            "msb_company": cls.children | cls.inv_north_single | cls.inv_plain,
            "msb_site": cls.inv_north | cls.inv_north_single,
            "msb_none": Move,
            "msb_other": cls.inv_other,
        }
        Parent = cls.env["account.parent.invoice"]
        cls.parent_matrix = {
            "msb_company": cls.parent,
            "msb_site": cls.parent,
            "msb_none": Parent,
            "msb_other": Parent,
        }

    def _login(self, login):
        self.authenticate(login, login)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    @staticmethod
    def _mentions(body, record):
        pattern = r"(?<![A-Za-z0-9])" + re.escape(record.name) + r"(?!\d)"
        return bool(re.search(pattern, body))

    def _assert_hidden(self, response, record, what):
        self.assertIn(
            response.status_code, (301, 302, 303, 404), f"{what}: not refused"
        )
        self.assertFalse(self._mentions(response.text, record), f"{what}: shown")

    # ------------------------------------------------------------------
    # record rules
    # ------------------------------------------------------------------

    def test_record_rules(self):
        users = {
            "msb_company": self.user_company,
            "msb_site": self.user_site,
            "msb_none": self.user_none,
            "msb_other": self.user_other,
        }
        for login, user in users.items():
            with self.subTest(login=login):
                moves = (
                    self.env["account.move"]
                    .with_user(user)
                    .search([("id", "in", self.all_docs.ids)])
                )
                self.assertEqual(moves, self.matrix[login])
                parents = self.env["account.parent.invoice"].with_user(user).search([])
                self.assertEqual(parents, self.parent_matrix[login])
                lines = (
                    self.env["account.move.line"]
                    .with_user(user)
                    .search([("move_id", "in", self.all_docs.ids)])
                )
                self.assertEqual(lines.move_id, self.matrix[login])

    def test_site_change_applies_at_once(self):
        """The rule cache is cleared when the contact's sites change."""
        Move = self.env["account.move"].with_user(self.user_site)
        self.assertEqual(
            Move.search([("id", "in", self.all_docs.ids)]), self.matrix["msb_site"]
        )
        self.contact_site.portal_site_ids = self.site_south
        self.assertEqual(Move.search([("id", "in", self.all_docs.ids)]), self.inv_south)
        self.contact_site.portal_invoice_access = "company"
        self.assertEqual(
            Move.search([("id", "in", self.all_docs.ids)]), self.matrix["msb_company"]
        )

    # ------------------------------------------------------------------
    # routes
    # ------------------------------------------------------------------

    def test_invoice_list(self):
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get("/my/invoices")
                self.assertEqual(response.status_code, 200)
                for move in self.all_docs:
                    self.assertEqual(
                        self._mentions(response.text, move),
                        move in visible,
                        f"{login} on /my/invoices, {move.name}",
                    )
                self.assertEqual(
                    self._mentions(response.text, self.parent),
                    bool(self.parent_matrix[login]),
                )

    def test_invoice_detail_and_pdf(self):
        for login, visible in self.matrix.items():
            self._login(login)
            for move in self.all_docs:
                with self.subTest(login=login, move=move.name):
                    page = self._get(f"/my/invoices/{move.id}")
                    with mute_logger("odoo.addons.base.models.ir_actions_report"):
                        pdf = self._get(
                            f"/my/invoices/{move.id}?report_type=pdf&download=true"
                        )
                    if move in visible:
                        self.assertEqual(page.status_code, 200)
                        self.assertEqual(pdf.status_code, 200)
                        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
                    else:
                        self._assert_hidden(page, move, f"{login} on {move.name}")
                        self._assert_hidden(pdf, move, f"{login} downloads {move.name}")

    def test_parent_page(self):
        url = f"/my/parent_invoices/{self.parent.id}"
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get(url)
                if not self.parent_matrix[login]:
                    self._assert_hidden(response, self.parent, login)
                    continue
                self.assertEqual(response.status_code, 200)
                self.assertTrue(self._mentions(response.text, self.parent))
                for child in self.children:
                    self.assertEqual(
                        self._mentions(response.text, child),
                        child in visible,
                        f"{login} on the parent page, {child.name}",
                    )

    def test_parent_page_totals_of_site_contact(self):
        """A site contact is shown its sites' share of the parent only."""
        self._login("msb_site")
        response = self._get(f"/my/parent_invoices/{self.parent.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-site-code="N01"', response.text)
        self.assertNotIn('data-site-code="S02"', response.text)
        self.assertNotIn("600.00", response.text)
        self._login("msb_company")
        response = self._get(f"/my/parent_invoices/{self.parent.id}")
        self.assertIn("600.00", response.text)
        for code in ("N01", "S02", "E03"):
            self.assertIn(f'data-site-code="{code}"', response.text)

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_parent_pdf(self):
        """The parent PDF holds the children the contact may see only (in
        test mode reports render as HTML, which lets the test read them)."""
        url = f"/my/parent_invoices/{self.parent.id}?report_type=pdf&download=true"
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get(url)
                if not self.parent_matrix[login]:
                    self._assert_hidden(response, self.parent, login)
                    continue
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "application/pdf")
                body = response.content.decode()
                self.assertTrue(self._mentions(body, self.parent))
                for child in self.children:
                    self.assertEqual(self._mentions(body, child), child in visible)

    def test_counters(self):
        self.inv_north_single.invalidate_recordset()
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                counters = self.make_jsonrpc_request(
                    "/my/counters", {"counters": ["invoice_count"]}
                )
                self.assertEqual(counters["invoice_count"], 1 if visible else 0)

    def test_home_overview(self):
        """The account overview on /my sums the contact's sites only."""
        self._login("msb_site")
        Move = self.env["account.move"].with_user(self.user_site)
        [overview] = Move._portal_account_overview()
        self.assertEqual(overview["balance_due"], 170.0)
        self.assertEqual(overview["open_count"], 2)
        self.assertIn("170.00", portal_home_text(self))

    def test_payment_page(self):
        for login, visible in self.matrix.items():
            if login == "msb_none":
                continue
            with self.subTest(login=login):
                self._login(login)
                response = self._get("/my/invoices/pay")
                self.assertEqual(response.status_code, 200)
                for move in self.all_docs:
                    self.assertEqual(
                        self._mentions(response.text, move),
                        move in visible,
                        f"{login} on the payment page, {move.name}",
                    )
        self._login("msb_none")
        response = self._get("/my/invoices/pay")
        self.assertIn(response.status_code, (302, 303))

    def test_site_contact_pays_its_sites_only(self):
        self._login("msb_site")
        for move in self.inv_south | self.inv_east | self.inv_plain | self.inv_other:
            with self.subTest(move=move.name):
                with mute_logger("odoo.http"):
                    result = self._rpc(
                        "/my/invoices/pay/preview",
                        {"mode": "select", "invoice_ids": [move.id]},
                    )
                self.assertIn("error", result["result"])
                self.assertIn("cannot be paid", result["result"]["error"])
        result = self._rpc(
            "/my/invoices/pay/preview",
            {"mode": "select", "invoice_ids": self.inv_north.ids},
        )
        self.assertEqual(result["result"]["amount"], 100.0)
        # select all covers its sites only
        result = self._rpc(
            "/my/invoices/pay/preview", {"mode": "select", "select_all": True}
        )
        self.assertEqual(
            {line["id"] for line in result["result"]["lines"]},
            set((self.inv_north | self.inv_north_single).ids),
        )

    def test_site_filters(self):
        """The portal list filters by site; a site contact is offered its
        sites only, and a filter never widens what the rules give."""
        self._login("msb_site")
        response = self._get("/my/invoices")
        self.assertIn(f"filterby=site_{self.site_north.id}", response.text)
        self.assertNotIn(f"filterby=site_{self.site_south.id}", response.text)
        response = self._get(f"/my/invoices?filterby=site_{self.site_south.id}")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._mentions(response.text, self.inv_south))
        self._login("msb_company")
        response = self._get(f"/my/invoices?filterby=site_{self.site_north.id}")
        self.assertTrue(self._mentions(response.text, self.inv_north_single))
        self.assertFalse(self._mentions(response.text, self.inv_plain))
        response = self._get("/my/invoices?filterby=single_site")
        self.assertTrue(self._mentions(response.text, self.inv_plain))
        self.assertFalse(self._mentions(response.text, self.parent))
        response = self._get("/my/invoices?filterby=multi_site")
        self.assertTrue(self._mentions(response.text, self.parent))
        self.assertFalse(self._mentions(response.text, self.inv_plain))
        self.assertFalse(self._mentions(response.text, self.inv_north_single))

    @mute_logger("odoo.addons.base.models.ir_actions_report", "odoo.http")
    def test_parent_report_route(self):
        """/report/* renders a parent with the children the user may read
        only, and nothing to those who may not read the parent."""
        url = f"/report/html/multi_site_billing.report_parent_invoice/{self.parent.id}"
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get(url)
                if self.parent_matrix[login]:
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(self._mentions(response.text, self.parent))
                else:
                    self.assertNotEqual(response.status_code, 200)
                for child in self.children:
                    self.assertEqual(
                        self._mentions(response.text, child), child in visible
                    )

    @mute_logger("odoo.addons.base.models.ir_actions_report", "odoo.http")
    def test_download_setting(self):
        """No parent PDF when the company turned portal downloads off."""
        self.env.company.portal_invoice_allow_download = False
        self._login("msb_company")
        page = self._get(f"/my/parent_invoices/{self.parent.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_portal_parent_invoice_download", page.text)
        self.assertNotIn("o_portal_child_download", page.text)
        response = self._get(
            f"/my/parent_invoices/{self.parent.id}?report_type=pdf&download=true"
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        response = self._get(
            f"/report/pdf/multi_site_billing.report_parent_invoice/{self.parent.id}"
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")

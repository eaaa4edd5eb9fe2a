# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from urllib.parse import urlparse

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CustomerPortalCommon


@tagged("post_install", "-at_install")
class TestAccessMatrix(CustomerPortalCommon, HttpCase):
    """Every portal route obeys the invoice access level: each user, on each
    route, sees exactly its documents; the others answer as missing (a
    redirect) and never show their number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # login (None: the public user) -> documents it may see
        cls.matrix = {
            "cpi_a_none": cls.env["account.move"],
            "cpi_a_own": cls.inv_a_own | cls.inv_a_followed,
            "cpi_a_company": cls.docs_a,
            "cpi_b_company": cls.docs_b,
            None: cls.env["account.move"],
        }

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _login(self, login):
        self.authenticate(login, login)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    @staticmethod
    def _mentions(body, move):
        """Whether ``body`` shows the number of ``move`` (INV/2024/00001 must
        not match RINV/2024/00001 nor INV/2024/000010)."""
        pattern = r"(?<![A-Za-z0-9])" + re.escape(move.name) + r"(?!\d)"
        return bool(re.search(pattern, body))

    def _create_overdue(self, partner, amount):
        move = self._create_document(partner, amount, post=False)
        move.invoice_date_due = "2024-02-14"
        move.action_post()
        self.assertEqual(move.portal_status, "overdue")
        return move

    def _assert_hidden(self, response, move, what):
        self.assertIn(
            response.status_code, (301, 302, 303, 404), f"{what}: not refused"
        )
        self.assertFalse(self._mentions(response.text, move), f"{what}: number shown")

    def _assert_redirect_to(self, response, paths, what):
        self.assertIn(response.status_code, (301, 302, 303), what)
        self.assertIn(urlparse(response.headers["Location"]).path, paths, what)

    # ------------------------------------------------------------------
    # routes
    # ------------------------------------------------------------------

    def test_invoice_list(self):
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get("/my/invoices")
                if login is None:
                    self._assert_redirect_to(response, ("/web/login",), "public")
                    continue
                self.assertEqual(response.status_code, 200)
                for move in self.all_docs:
                    self.assertEqual(
                        self._mentions(response.text, move),
                        move in visible,
                        f"{login} on /my/invoices, {move.name}",
                    )

    def test_invoice_detail(self):
        for login, visible in self.matrix.items():
            self._login(login)
            for move in self.all_docs:
                with self.subTest(login=login, move=move.name):
                    response = self._get(f"/my/invoices/{move.id}")
                    what = f"{login} on {move.name} page"
                    if move in visible:
                        self.assertEqual(response.status_code, 200, what)
                        self.assertTrue(self._mentions(response.text, move), what)
                    else:
                        self._assert_hidden(response, move, what)

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_invoice_pdf(self):
        for login, visible in self.matrix.items():
            self._login(login)
            for move in self.all_docs:
                with self.subTest(login=login, move=move.name):
                    response = self._get(
                        f"/my/invoices/{move.id}?report_type=pdf&download=true"
                    )
                    what = f"{login} downloads {move.name}"
                    if move in visible:
                        self.assertEqual(response.status_code, 200, what)
                        self.assertEqual(
                            response.headers["Content-Type"], "application/pdf", what
                        )
                    else:
                        self._assert_hidden(response, move, what)
                        self.assertNotEqual(
                            response.headers.get("Content-Type"), "application/pdf"
                        )

    @mute_logger("odoo.addons.base.models.ir_actions_report", "odoo.http")
    def test_back_office_download_route(self):
        """The back-office download route (auth="user") gives portal users
        nothing: they download from their portal pages only."""
        for login in self.matrix:
            self._login(login)
            for move in self.all_docs:
                with self.subTest(login=login, move=move.name):
                    response = self._get(
                        f"/account/download_invoice_documents/{move.id}/pdf"
                    )
                    self.assertNotEqual(response.status_code, 200)
                    self.assertNotEqual(
                        response.headers.get("Content-Type"), "application/pdf"
                    )
                    self.assertFalse(self._mentions(response.text, move))

    def test_counters(self):
        """Exact counters per access level. The overdue counter counts the
        overdue invoices of the whole customer that the record rules let the
        user see (stock: those addressed to the user's own contact); the
        invoice count stops at 1 (stock's search_count with limit=1)."""
        # overdue invoices addressed to customer A's contacts (the fixture
        # documents are due today: not overdue)
        self._create_overdue(self.partner_a_none, 210.0)
        self._create_overdue(self.partner_a_own, 215.0)
        self._create_overdue(self.partner_a_company, 220.0)
        self._create_overdue(self.partner_a_company, 225.0)
        self._create_overdue(self.partner_a_sibling, 230.0)
        expected = {
            # its invoice is hidden by the "none" level
            "cpi_a_none": {"invoice_count": 0, "overdue_invoice_count": 0},
            "cpi_a_own": {"invoice_count": 1, "overdue_invoice_count": 1},
            # every overdue invoice of customer A, whoever it is addressed to
            "cpi_a_company": {"invoice_count": 1, "overdue_invoice_count": 5},
            # customer B has nothing overdue
            "cpi_b_company": {"invoice_count": 1, "overdue_invoice_count": 0},
        }
        self.assertEqual(set(expected), set(self.matrix) - {None})
        for login, counts in expected.items():
            with self.subTest(login=login):
                self._login(login)
                counters = self.make_jsonrpc_request(
                    "/my/counters", {"counters": list(counts)}
                )
                self.assertEqual(counters, counts)

    def test_home_page(self):
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get("/my")
                if login is None:
                    self._assert_redirect_to(response, ("/web/login",), "public")
                    continue
                self.assertEqual(response.status_code, 200)
                for move in self.all_docs - visible:
                    self.assertFalse(
                        self._mentions(response.text, move),
                        f"{login} on /my shows {move.name}",
                    )

    def test_overdue_page(self):
        """/my/invoices/overdue (account_payment, when installed; payment
        allocation pays the overdue invoices of the whole customer) lists the
        overdue invoices the user may see, under the rules."""
        # installed with payment_allocation, as in every test database of
        # the project: no silent pass when it is missing
        self.assertEqual(
            self.env["ir.module.module"]._get("account_payment").state, "installed"
        )
        overdue = self._create_overdue(self.partner_a_own, 215.0)
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get("/my/invoices/overdue")
                if login in ("cpi_a_own", "cpi_a_company"):
                    # the contact's own overdue invoice, or its company's
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(self._mentions(response.text, overdue))
                else:
                    # nothing overdue the contact may see
                    self.assertIn(response.status_code, (302, 303), login)
                for move in self.all_docs - visible:
                    self.assertFalse(self._mentions(response.text, move), login)

    # ------------------------------------------------------------------
    # access tokens
    # ------------------------------------------------------------------

    def test_access_token_shows_its_document_only(self):
        """A token link is a deliberate share of one document: it works for
        that document, whoever opens it, and for no other."""
        moves = self.all_docs
        for login in (None, "cpi_a_none", "cpi_b_company"):
            self._login(login)
            for index, move in enumerate(moves):
                other = moves[(index + 1) % len(moves)]
                token = move._portal_ensure_token()
                with self.subTest(login=login, move=move.name):
                    response = self._get(f"/my/invoices/{move.id}?access_token={token}")
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(self._mentions(response.text, move))
                    for hidden in moves - move:
                        self.assertFalse(
                            self._mentions(response.text, hidden),
                            f"token page of {move.name} shows {hidden.name}",
                        )
                    # the token of one document does not open another one
                    if other not in self.matrix[login]:
                        response = self._get(
                            f"/my/invoices/{other.id}?access_token={token}"
                        )
                        self._assert_hidden(response, other, "token of another")
                        response = self._get(
                            f"/my/invoices/{other.id}"
                            f"?access_token={token}&report_type=pdf&download=true"
                        )
                        self._assert_hidden(response, other, "token of another")

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_access_token_pdf(self):
        self._login(None)
        move = self.inv_a_sibling
        token = move._portal_ensure_token()
        response = self._get(
            f"/my/invoices/{move.id}?access_token={token}&report_type=pdf&download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        response = self._get(
            f"/my/invoices/{move.id}?access_token=not-the-token"
            "&report_type=pdf&download=true"
        )
        self._assert_hidden(response, move, "wrong token")

    def test_unknown_document(self):
        self._login("cpi_a_company")
        missing_id = self.all_docs.sorted("id")[-1].id + 1000
        response = self._get(f"/my/invoices/{missing_id}")
        self.assertIn(response.status_code, (301, 302, 303, 404))

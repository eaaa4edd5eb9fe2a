# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from urllib.parse import urlencode, urlparse

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, mute_logger

from .common import CustomerPortalCommon

RECEIPT_REPORT = "customer_portal_invoices.report_portal_payment_receipt"
STATEMENT_REPORT = "customer_portal_invoices.report_statement"


@tagged("post_install", "-at_install")
class TestPortalPayments(CustomerPortalCommon, HttpCase):
    """Payment history (/my/payments, /my/payments/<id>, its PDF): each
    portal user, on each route, sees exactly the payments its invoice access
    level gives (company / own / none), a portal user of another customer and
    a logged-out visitor nothing, unless they hold the payment's access
    token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Payment = cls.env["account.payment"]
        # customer A, company-wide: two invoices in one payment
        cls.pay_a_company = cls._register(
            cls.inv_a_company | cls.inv_a_followed, {"group_payment": True}
        )
        # the "own" contact's invoice, paid in full
        cls.pay_a_own = cls._register(cls.inv_a_own)
        # a sibling contact's invoice, paid in part
        cls.pay_a_sibling = cls._register(cls.inv_a_sibling, {"amount": 500.0})
        cls.pay_b = cls._register(cls.inv_b)

        def direct(partner, amount, payment_type="inbound", post=True):
            payment = Payment.create(
                {
                    "amount": amount,
                    "date": "2024-02-01",
                    "payment_type": payment_type,
                    "partner_type": "customer",
                    "partner_id": partner.id,
                }
            )
            if post:
                payment.action_post()
            return payment

        # received from customer A, applied to nothing
        cls.pay_a_unapplied = direct(cls.customer_a, 60.0)
        # received from the "own" contact itself
        cls.pay_a_own_direct = direct(cls.partner_a_own, 40.0)
        # never listed: a draft, and money sent back to the customer
        cls.pay_a_draft = direct(cls.customer_a, 70.0, post=False)
        cls.pay_a_refund = direct(cls.customer_a, 30.0, payment_type="outbound")
        cls.all_payments = (
            cls.pay_a_company
            | cls.pay_a_own
            | cls.pay_a_sibling
            | cls.pay_b
            | cls.pay_a_unapplied
            | cls.pay_a_own_direct
            | cls.pay_a_draft
            | cls.pay_a_refund
        )
        # login (None: the public user) -> payments it may see
        cls.matrix = {
            "cpi_a_none": Payment,
            "cpi_a_own": cls.pay_a_own | cls.pay_a_own_direct,
            "cpi_a_company": (
                cls.pay_a_company
                | cls.pay_a_own
                | cls.pay_a_sibling
                | cls.pay_a_unapplied
                | cls.pay_a_own_direct
            ),
            "cpi_b_company": cls.pay_b,
            None: Payment,
        }

    @classmethod
    def _register(cls, invoices, values=None):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"payment_date": "2024-02-01", **(values or {})})
            ._create_payments()
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    @staticmethod
    def _mentions(body, record):
        if not record.name:  # a draft payment has no number
            return f"/my/payments/{record.id}" in body
        pattern = r"(?<![A-Za-z0-9])" + re.escape(record.name) + r"(?!\d)"
        return bool(re.search(pattern, body))

    def _assert_redirect_to(self, response, paths, what):
        self.assertIn(response.status_code, (301, 302, 303), what)
        self.assertIn(urlparse(response.headers["Location"]).path, paths, what)

    def _receipt_url(self, payment, **params):
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"/my/payments/{payment.id}" + (f"?{query}" if query else "")

    # ------------------------------------------------------------------
    # record rule
    # ------------------------------------------------------------------

    def test_rule_matrix(self):
        for login, visible in self.matrix.items():
            if login is None:
                continue
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                found = (
                    self.env["account.payment"]
                    .with_user(user)
                    .search([("id", "in", self.all_payments.ids)])
                )
                self.assertEqual(found, visible)
                for payment in self.all_payments - visible:
                    with self.assertRaises(AccessError):
                        payment.with_user(user).check_access("read")

    def test_rule_follows_access_level_change(self):
        user = self.user_a_own
        Payment = self.env["account.payment"].with_user(user)
        self.assertEqual(
            Payment.search([("id", "in", self.all_payments.ids)]),
            self.matrix["cpi_a_own"],
        )
        self.partner_a_own.portal_invoice_access = "company"
        self.assertEqual(
            Payment.search([("id", "in", self.all_payments.ids)]),
            self.matrix["cpi_a_company"],
        )
        self.partner_a_own.portal_invoice_access = "none"
        self.assertFalse(Payment.search([("id", "in", self.all_payments.ids)]))

    def test_unknown_level_grants_nothing(self):
        """A level this addon does not know (another addon's, such as the
        "site" level of multi_site_billing) gives no payment."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET portal_invoice_access = 'other' WHERE id = %s",
                self.partner_a_company.id,
            )
        )
        self.partner_a_company.invalidate_recordset(["portal_invoice_access"])
        self.env.registry.clear_cache()
        found = (
            self.env["account.payment"]
            .with_user(self.user_a_company)
            .search([("id", "in", self.all_payments.ids)])
        )
        self.assertFalse(found)

    # ------------------------------------------------------------------
    # routes
    # ------------------------------------------------------------------

    def test_payment_list(self):
        for login, visible in self.matrix.items():
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self._get("/my/payments")
                if login is None:
                    self._assert_redirect_to(response, ("/web/login",), "public")
                    continue
                self.assertEqual(response.status_code, 200)
                for payment in self.all_payments:
                    self.assertEqual(
                        self._mentions(response.text, payment),
                        payment in visible,
                        f"{login}: {payment.name}",
                    )
                self.assertEqual(
                    response.text.count("o_portal_payment_row"), len(visible)
                )
                # a contact without invoice access reads why, nothing else
                self.assertEqual(
                    "o_portal_invoice_access_denied" in response.text,
                    login == "cpi_a_none",
                )
                # ... and no sort or search box over nothing
                self.assertEqual(
                    "o_portal_search_panel" in response.text,
                    login != "cpi_a_none",
                )

    def test_receipt_page_by_id(self):
        for login, visible in self.matrix.items():
            self.authenticate(login, login)
            for payment in self.all_payments:
                with self.subTest(login=login, payment=payment.name):
                    response = self._get(self._receipt_url(payment))
                    if payment in visible:
                        self.assertEqual(response.status_code, 200)
                        self.assertTrue(self._mentions(response.text, payment))
                        self.assertIn("o_portal_payment_receipt", response.text)
                    else:
                        self._assert_redirect_to(response, ("/my",), "refused")
                        self.assertFalse(self._mentions(response.text, payment))

    def test_receipt_pdf_by_id(self):
        for login, visible in self.matrix.items():
            self.authenticate(login, login)
            for payment in self.all_payments:
                with self.subTest(login=login, payment=payment.name):
                    response = self._get(
                        self._receipt_url(payment, report_type="pdf", download="true")
                    )
                    if payment in visible:
                        self.assertEqual(response.status_code, 200)
                        self.assertEqual(
                            response.headers["Content-Type"], "application/pdf"
                        )
                        self.assertIn(
                            "attachment", response.headers["Content-Disposition"]
                        )
                        # tests render reports as HTML: the receipt's content
                        self.assertTrue(self._mentions(response.text, payment))
                    else:
                        self._assert_redirect_to(response, ("/my",), "refused")

    def test_access_token(self):
        payment = self.pay_b
        token = payment._portal_ensure_token()
        for login in ("cpi_a_company", "cpi_a_none", None):
            self.authenticate(login, login)
            with self.subTest(login=login):
                self._assert_redirect_to(
                    self._get(self._receipt_url(payment)), ("/my",), "no token"
                )
                self._assert_redirect_to(
                    self._get(self._receipt_url(payment, access_token="wrong")),
                    ("/my",),
                    "wrong token",
                )
                response = self._get(self._receipt_url(payment, access_token=token))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(self._mentions(response.text, payment))
                # the invoices the holder of the token may not read are not
                # listed (the memo may name it): only their total
                self.assertNotIn(f"/my/invoices/{self.inv_b.id}", response.text)
                self.assertNotIn("o_portal_payment_allocation_line", response.text)
                self.assertIn("o_portal_payment_allocation_hidden", response.text)
                response = self._get(
                    self._receipt_url(
                        payment, access_token=token, report_type="pdf", download="true"
                    )
                )
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "application/pdf")
                response = self._get(
                    self._receipt_url(payment, access_token="wrong", report_type="pdf")
                )
                self._assert_redirect_to(response, ("/my",), "pdf, wrong token")

    def test_access_token_of_unlisted_payment(self):
        """A token opens only what the history lists: never a draft nor a
        refund sent to the customer."""
        self.authenticate(None, None)
        for payment in self.pay_a_draft | self.pay_a_refund:
            with self.subTest(payment=payment.display_name):
                token = payment._portal_ensure_token()
                response = self._get(self._receipt_url(payment, access_token=token))
                self._assert_redirect_to(response, ("/my",), "unlisted")

    def test_counters(self):
        for login, visible in self.matrix.items():
            if login is None:
                continue
            with self.subTest(login=login):
                self.authenticate(login, login)
                counters = self.make_jsonrpc_request(
                    "/my/counters", {"counters": ["payment_count"]}
                )
                self.assertEqual(counters["payment_count"], len(visible))

    def test_home_tile(self):
        self.authenticate("cpi_a_company", "cpi_a_company")
        response = self._get("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-placeholder_count="payment_count"', response.text)
        self.assertIn('href="/my/payments"', response.text)

    # ------------------------------------------------------------------
    # content
    # ------------------------------------------------------------------

    def test_allocation(self):
        payments = self.matrix["cpi_a_company"].with_user(self.user_a_company)
        allocations = payments._portal_payment_allocations()
        self.assertEqual(
            [
                (invoice, amount)
                for invoice, amount in allocations[self.pay_a_company.id]["lines"]
            ],
            [(self.inv_a_company, 1000.0), (self.inv_a_followed, 1300.0)],
        )
        self.assertEqual(
            allocations[self.pay_a_sibling.id]["lines"], [(self.inv_a_sibling, 500.0)]
        )
        self.assertEqual(allocations[self.pay_a_unapplied.id]["lines"], [])
        self.assertEqual(allocations[self.pay_a_unapplied.id]["unapplied"], 60.0)
        self.assertEqual(allocations[self.pay_a_company.id]["unapplied"], 0.0)
        self.assertEqual(allocations[self.pay_a_company.id]["hidden"], 0.0)
        # another reader sees the same payment's documents as "other"
        other = self.pay_a_company.sudo()._portal_payment_allocations(
            user=self.user_b_company
        )[self.pay_a_company.id]
        self.assertEqual(other["lines"], [])
        self.assertEqual(other["hidden"], 2300.0)

    def test_receipt_content(self):
        self.authenticate("cpi_a_company", "cpi_a_company")
        response = self._get(self._receipt_url(self.pay_a_company))
        self.assertEqual(response.status_code, 200)
        body = response.text
        for invoice in self.inv_a_company | self.inv_a_followed:
            self.assertTrue(self._mentions(body, invoice))
            self.assertIn(f'href="/my/invoices/{invoice.id}"', body)
        self.assertIn("1,000.00", body)
        self.assertIn("1,300.00", body)
        self.assertIn("2,300.00", body)
        self.assertIn(self.pay_a_company.payment_method_line_id.name, body)
        self.assertIn("report_type=pdf", body)
        response = self._get(self._receipt_url(self.pay_a_unapplied))
        self.assertIn("o_portal_payment_allocation_unapplied", response.text)

    def test_list_sort_and_search(self):
        self.authenticate("cpi_a_company", "cpi_a_company")
        response = self._get("/my/payments?sortby=amount")
        self.assertEqual(response.status_code, 200)
        body = response.text
        self.assertLess(
            body.index(self.pay_a_company.name), body.index(self.pay_a_unapplied.name)
        )
        response = self._get(f"/my/payments?search={self.pay_a_sibling.name}")
        self.assertEqual(response.text.count("o_portal_payment_row"), 1)
        self.assertTrue(self._mentions(response.text, self.pay_a_sibling))
        # bad parameters: the defaults, no traceback
        response = self._get("/my/payments?sortby=nope&search_in=nope&page=99")
        self.assertEqual(response.status_code, 200)

    def test_invoice_page_links_its_payments(self):
        self.authenticate("cpi_a_company", "cpi_a_company")
        response = self._get(f"/my/invoices/{self.inv_a_followed.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/payments?invoice={self.inv_a_followed.id}", response.text)
        self.assertIn("Payments (1)", response.text)
        response = self._get(f"/my/payments?invoice={self.inv_a_followed.id}")
        self.assertEqual(response.text.count("o_portal_payment_row"), 1)
        self.assertTrue(self._mentions(response.text, self.pay_a_company))
        # an invoice without payment: no link
        response = self._get(f"/my/invoices/{self.refund_a_company.id}")
        self.assertNotIn("o_portal_invoice_payments_link", response.text)
        # another customer's invoice, or nonsense: no payment at all
        for value in (self.inv_b.id, "abc"):
            response = self._get(f"/my/payments?invoice={value}")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("o_portal_payment_row", response.text)
        # the "own" contact: its invoice's payment only
        self.authenticate("cpi_a_own", "cpi_a_own")
        response = self._get(f"/my/invoices/{self.inv_a_own.id}")
        self.assertIn("Payments (1)", response.text)
        response = self._get(f"/my/invoices/{self.inv_a_followed.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_portal_invoice_payments_link", response.text)

    # ------------------------------------------------------------------
    # /report/*: the receipt and the statement answer as the portal pages
    # ------------------------------------------------------------------

    def _report_urls(self, report, ids):
        docids = ",".join(str(record_id) for record_id in ids)
        pdf = f"/report/pdf/{report}/{docids}"
        data = json.dumps([pdf, "qweb-pdf"])
        return [
            f"/report/html/{report}/{docids}",
            pdf,
            f"/report/download?{urlencode({'data': data})}",
        ]

    def _assert_report_refused(self, url, hidden, what):
        response = self._get(url)
        if not url.startswith("/report/download"):
            # /report/download answers its errors as a JSON body (stock)
            self.assertIn(response.status_code, (303, 403, 404), what)
        self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""))
        self.assertFalse(response.content.startswith(b"%PDF"), what)
        for record in hidden:
            self.assertFalse(self._mentions(response.text, record), what)

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_receipt_report_routes(self):
        """``/report/*`` of the portal receipt, by id, gives a portal user
        only the payments its rules give: never another customer's nor, for
        a narrower contact, a colleague's; one id or several at once."""
        for login, visible in self.matrix.items():
            if login is None:
                continue
            with self.subTest(login=login):
                self.authenticate(login, login)
                hidden = self.all_payments - visible - self.pay_a_draft
                for ids in ([hidden[0].id], (visible | hidden).ids):
                    for url in self._report_urls(RECEIPT_REPORT, ids):
                        self._assert_report_refused(url, hidden, f"{login} {url}")
        # the owner gets its receipt, with the invoices it paid
        self.authenticate("cpi_a_company", "cpi_a_company")
        response = self._get(f"/report/html/{RECEIPT_REPORT}/{self.pay_a_company.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self._mentions(response.text, self.pay_a_company))
        self.assertTrue(self._mentions(response.text, self.inv_a_company))

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_statement_report_routes(self):
        """``/report/*`` of the statement: a portal user's own customer only,
        and only if its access level allows statements."""
        refused = {
            "cpi_a_none": self.customer_a | self.customer_b,
            "cpi_a_own": self.customer_b,
            "cpi_a_company": self.customer_b,
            "cpi_b_company": self.customer_a,
        }
        for login, customers in refused.items():
            with self.subTest(login=login):
                self.authenticate(login, login)
                for customer in customers:
                    for url in self._report_urls(STATEMENT_REPORT, customer.ids):
                        self._assert_report_refused(url, (), f"{login} {url}")
                        self.assertNotIn(customer.name, self._get(url).text)
        self.authenticate("cpi_a_company", "cpi_a_company")
        response = self._get(
            f"/report/html/{STATEMENT_REPORT}/{self.partner_a_company.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.customer_a.name, response.text)

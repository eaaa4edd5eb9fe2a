# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import html
import json
import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.customer_portal_invoices.tests.common import JsonRpcMixin

from .common import MultiSiteCommon

# The reports our addons render, by model.
RECEIPT_REPORT = "customer_portal_invoices.report_portal_payment_receipt"
PARENT_REPORT = "multi_site_billing.report_parent_invoice"
STATEMENT_REPORT = "customer_portal_invoices.report_statement"
# Stock's invoice report, which customer_portal_invoices extends (pay QR).
INVOICE_REPORT = "account.report_invoice_with_payments"

# Links the crawler does not follow: leaving the portal, logging out,
# switching language, files and the back office.
SKIPPED_PATHS = re.compile(
    r"^/(web|odoo|website|mail|payment|shop|[a-z]{2}_[A-Z]{2}(/|$))"
    r"|^/my/(deactivate_account|security)"
)
DOCUMENT_PATH = re.compile(r"^/my/(invoices|parent_invoices|payments)/(\d+)$")
DEPTH = 3
MAX_PAGES = 70  # per viewer
MAX_PER_PATH = 3  # query-string variants of one path (sort, filter, page)


@tagged("post_install", "-at_install")
class TestOutsider(JsonRpcMixin, MultiSiteCommon, HttpCase):
    """The portal played by an outsider: each kind of contact (company, own,
    site, none, another customer's, and a logged-out holder of share links)
    follows every link the portal shows it, three levels deep, and meets the
    visibility matrix of the README (no number nor share token of a document
    it may not read, no link to one); and every report of our models, asked
    directly (``/report/*``) with other customers' ids, answers nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.contact_own = cls._create_contact(cls.customer, "Olga Own", "own")
        cls.user_own = cls._create_portal_user(cls.contact_own, "msb_own")
        own_values = cls._site_invoice_values(cls.customer, 40.0)
        own_values["partner_id"] = cls.contact_own.id
        cls.inv_own = cls.env["account.move"].create(own_values)
        cls.inv_own.action_post()
        cls.pay_plain = cls._register_payment(cls.inv_plain, 50.0)
        cls.pay_north = cls._register_payment(cls.inv_north_single, 30.0)
        cls.pay_own = cls._register_payment(cls.inv_own, 10.0)
        cls.pay_other = cls._register_payment(cls.inv_other, 500.0)
        Move = cls.env["account.move"]
        cls.invoices = (
            cls.children
            | cls.inv_north_single
            | cls.inv_plain
            | cls.inv_own
            | cls.inv_other
        )
        cls.payments = cls.pay_plain | cls.pay_north | cls.pay_own | cls.pay_other
        for record in [*cls.invoices, *cls.payments, *cls.parent]:
            record._portal_ensure_token()
        Parent = cls.env["account.parent.invoice"]
        Payment = cls.env["account.payment"]
        cls.users = {
            "msb_company": cls.user_company,
            "msb_own": cls.user_own,
            "msb_site": cls.user_site,
            "msb_none": cls.user_none,
            "msb_other": cls.user_other,
        }
        # viewer -> (invoices, parents, payments) it may read: the matrix
        cls.matrix = {
            "msb_company": (
                cls.children | cls.inv_north_single | cls.inv_plain | cls.inv_own,
                cls.parent,
                cls.pay_plain | cls.pay_north | cls.pay_own,
            ),
            "msb_own": (cls.inv_own, Parent, cls.pay_own),
            "msb_site": (cls.inv_north | cls.inv_north_single, cls.parent, None),
            "msb_none": (Move, Parent, Payment),
            "msb_other": (cls.inv_other, Parent, cls.pay_other),
        }
        # a site contact reads the payments of its sites' invoices, as the
        # rules say (the payment of inv_north_single)
        cls.matrix["msb_site"] = cls.matrix["msb_site"][:2] + (
            Payment.with_user(cls.user_site)
            .search([("id", "in", cls.payments.ids)])
            .sudo(),
        )
        # the logged-out holder of the parent's and of one invoice's share
        # link: those two documents and the children's numbers (read-only)
        cls.public_matrix = (
            cls.children | cls.inv_north_single,
            cls.parent,
            Payment,
        )
        cls.public_tokens = {cls.parent.access_token, cls.inv_north_single.access_token}

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _mentions(body, record):
        pattern = r"(?<![A-Za-z0-9])" + re.escape(record.name) + r"(?!\d)"
        return bool(re.search(pattern, body))

    def _login(self, login):
        if login:
            self.authenticate(login, login)
        else:
            self.authenticate(None, None)

    @staticmethod
    def _links(body):
        """Same-site hrefs of ``body``: (path, query dict)."""
        links = []
        for href in re.findall(r'href="([^"]*)"', body):
            href = html.unescape(href).strip()
            parts = urlsplit(href)
            if parts.scheme and parts.netloc and not parts.netloc.startswith("127."):
                continue
            if parts.scheme not in ("", "http") or not parts.path.startswith("/"):
                continue
            links.append((parts.path, dict(parse_qsl(parts.query))))
        return links

    @staticmethod
    def _followed_url(path, query):
        """The URL the crawler asks for a link: a PDF is asked as HTML (the
        same document, checkable), never as a download."""
        query = dict(query)
        if query.get("report_type") == "pdf":
            query["report_type"] = "html"
        query.pop("download", None)
        return path + ("?" + urlencode(sorted(query.items())) if query else "")

    def _visible(self, viewer):
        return self.public_matrix if viewer is None else self.matrix[viewer]

    def _forbidden(self, viewer):
        """Records whose number must not show, and share tokens that must
        not show, for ``viewer``."""
        invoices, parents, payments = self._visible(viewer)
        records = (
            list(self.invoices - invoices)
            + list(self.parent - parents)
            + list(self.payments - payments)
        )
        tokens = {
            record.access_token
            for record in [*(self.invoices - invoices), *(self.payments - payments)]
        }
        if viewer is None:
            # opened by its token, the parent shows no child's token
            tokens |= {child.access_token for child in self.children}
        else:
            # a parent's share link opens every site: never on a page
            tokens.add(self.parent.access_token)
        tokens -= self.public_tokens if viewer is None else set()
        return records, tokens

    def _check_link(self, viewer, page, path, query):
        """A link to a document is a link to one the viewer may read."""
        match = DOCUMENT_PATH.match(path)
        if not match:
            return
        kind, record_id = match.group(1), int(match.group(2))
        invoices, parents, payments = self._visible(viewer)
        allowed = {
            "invoices": invoices,
            "parent_invoices": parents,
            "payments": payments,
        }[kind]
        self.assertIn(
            record_id, allowed.ids, f"{viewer}: {page} links to {path} {query}"
        )

    def _crawl(self, viewer, start_urls):
        """Follow the portal's links from ``start_urls``, ``DEPTH`` levels
        deep, and check every page against the matrix. Returns the pages
        visited."""
        records, tokens = self._forbidden(viewer)
        queue = deque((url, 0) for url in start_urls)
        seen = set(start_urls)
        per_path = {}
        visited = []
        while queue and len(visited) < MAX_PAGES:
            url, depth = queue.popleft()
            response = self.url_open(url, allow_redirects=False)
            visited.append(url)
            location = response.headers.get("Location", "")
            for token in tokens:
                self.assertNotIn(token, location, f"{viewer}: {url} -> {location}")
            if response.status_code != 200 or "html" not in response.headers.get(
                "Content-Type", ""
            ):
                continue
            body = response.text
            for record in records:
                self.assertFalse(
                    self._mentions(body, record),
                    f"{viewer}: {url} shows {record._name} {record.name}",
                )
            for token in tokens:
                self.assertNotIn(token, body, f"{viewer}: {url} shows a token")
            for path, query in self._links(body):
                self._check_link(viewer, url, path, query)
                if depth + 1 > DEPTH or SKIPPED_PATHS.match(path):
                    continue
                if not path.startswith("/my") and not DOCUMENT_PATH.match(path):
                    continue
                followed = self._followed_url(path, query)
                if followed in seen or per_path.get(path, 0) >= MAX_PER_PATH:
                    continue
                seen.add(followed)
                per_path[path] = per_path.get(path, 0) + 1
                queue.append((followed, depth + 1))
        return visited

    # ------------------------------------------------------------------
    # the crawl
    # ------------------------------------------------------------------

    def test_matrix_of_the_rules(self):
        """The matrix the crawl asserts is the record rules' (so the crawl
        tests the pages, not a second opinion)."""
        for login, user in self.users.items():
            with self.subTest(login=login):
                invoices, parents, payments = self.matrix[login]
                Move = self.env["account.move"].with_user(user)
                self.assertEqual(
                    set(Move.search([("id", "in", self.invoices.ids)]).ids),
                    set(invoices.ids),
                )
                self.assertEqual(
                    set(
                        self.env["account.parent.invoice"]
                        .with_user(user)
                        .search([])
                        .ids
                    ),
                    set(parents.ids),
                )
                self.assertEqual(
                    set(
                        self.env["account.payment"]
                        .with_user(user)
                        .search([("id", "in", self.payments.ids)])
                        .ids
                    ),
                    set(payments.ids),
                )
        self.assertNotIn(self.pay_other, self.matrix["msb_site"][2])
        self.assertNotIn(self.pay_plain, self.matrix["msb_site"][2])

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_crawl_logged_in(self):
        start = ["/my", "/my/invoices", "/my/payments", "/my/statement"]
        start.append("/my/invoices/pay")
        for login in self.users:
            with self.subTest(login=login):
                self._login(login)
                visited = self._crawl(login, start)
                self.assertGreaterEqual(len(visited), len(start), login)
                if login == "msb_company":
                    # the crawl reached the documents (it is not vacuous)
                    self.assertIn(self.parent.access_url, visited)
                    self.assertTrue(
                        any(url.startswith("/my/payments/") for url in visited)
                    )

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_crawl_logged_out_with_share_links(self):
        self._login(None)
        start = [
            f"{self.parent.access_url}?access_token={self.parent.access_token}",
            self.inv_north_single.get_portal_url(),
        ]
        visited = self._crawl(None, start)
        response = self.url_open(start[0])
        self.assertEqual(response.status_code, 200)
        # the whole document, read-only: every child's number, no pay form
        for child in self.children:
            self.assertTrue(self._mentions(response.text, child), child.name)
        self.assertNotIn("o_portal_child_pay", response.text)
        self.assertNotIn("o_portal_parent_invoice_pay", response.text)
        self.assertGreaterEqual(len(visited), 2)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_site_contact_with_parent_token(self):
        """A site contact given the parent's share link still reads the
        parent by the rules: its sites only, no other site's token."""
        self._login("msb_site")
        response = self.url_open(
            f"{self.parent.access_url}?access_token={self.parent.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self._mentions(response.text, self.inv_north))
        for child in self.inv_south | self.inv_east:
            self.assertFalse(self._mentions(response.text, child), child.name)
            self.assertNotIn(child.access_token, response.text)
        # the figures are the North site's (100), not the parent's (600)
        totals = re.search(
            r'o_portal_parent_invoice_total"[^>]*>(.*?)</strong>',
            response.text,
            re.DOTALL,
        )
        self.assertIn("100.00", totals.group(1))

    # ------------------------------------------------------------------
    # /report/*
    # ------------------------------------------------------------------

    def _report_urls(self, report, ids):
        docids = ",".join(str(record_id) for record_id in ids)
        pdf = f"/report/pdf/{report}/{docids}"
        return [
            f"/report/html/{report}/{docids}",
            pdf,
            "/report/download?" + urlencode({"data": json.dumps([pdf, "qweb-pdf"])}),
        ]

    def _assert_report_refused(self, login, report, ids, records):
        for url in self._report_urls(report, ids):
            response = self.url_open(url, allow_redirects=False)
            what = f"{login}: {url}"
            if not url.startswith("/report/download"):
                self.assertIn(response.status_code, (303, 403, 404), what)
            # /report/download answers its errors as a JSON body (stock)
            self.assertNotIn(
                "application/pdf", response.headers.get("Content-Type", ""), what
            )
            self.assertFalse(response.content.startswith(b"%PDF"), what)
            for record in records:
                self.assertFalse(self._mentions(response.text, record), what)

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_reports_refuse_other_customers_ids(self):
        statements = {
            # viewer -> customers whose statement it may not print
            "msb_company": self.other_customer,
            "msb_own": self.other_customer,
            "msb_site": self.other_customer,
            "msb_none": self.customer | self.other_customer,
            "msb_other": self.customer,
        }
        for login in self.users:
            invoices, parents, payments = self.matrix[login]
            self._login(login)
            foreign_invoices = self.invoices - invoices
            foreign_payments = self.payments - payments
            foreign_parents = self.parent - parents
            cases = [
                (RECEIPT_REPORT, foreign_payments[:1], foreign_payments),
                (INVOICE_REPORT, foreign_invoices[:1], foreign_invoices),
            ]
            if foreign_parents:
                cases.append((PARENT_REPORT, foreign_parents, foreign_parents))
            for partner in statements[login]:
                cases.append((STATEMENT_REPORT, partner, self.env["account.move"]))
            for report, records, hidden in cases:
                with self.subTest(login=login, report=report):
                    # one id, then several at once (its own first, if any)
                    own = {
                        INVOICE_REPORT: invoices,
                        RECEIPT_REPORT: payments,
                        PARENT_REPORT: parents,
                        STATEMENT_REPORT: self.env["res.partner"],
                    }[report]
                    for ids in (records.ids, (own | records).ids):
                        self._assert_report_refused(login, report, ids, hidden)
                    if report == STATEMENT_REPORT:
                        response = self.url_open(
                            self._report_urls(report, records.ids)[0],
                            allow_redirects=False,
                        )
                        self.assertNotIn(records.name, response.text)
        # logged out: the login page, nothing else
        self._login(None)
        for url in self._report_urls(RECEIPT_REPORT, self.payments.ids):
            response = self.url_open(url, allow_redirects=False)
            self.assertNotEqual(response.status_code, 200, url)
            for payment in self.payments:
                self.assertFalse(self._mentions(response.text, payment), url)

    def test_reports_answer_the_owner(self):
        self._login("msb_company")
        response = self.url_open(f"/report/html/{RECEIPT_REPORT}/{self.pay_plain.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self._mentions(response.text, self.pay_plain))
        self.assertTrue(self._mentions(response.text, self.inv_plain))
        response = self.url_open(f"/report/html/{PARENT_REPORT}/{self.parent.id}")
        self.assertEqual(response.status_code, 200)
        for child in self.children:
            self.assertTrue(self._mentions(response.text, child), child.name)
        response = self.url_open(f"/report/html/{STATEMENT_REPORT}/{self.customer.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.customer.name, response.text)
        # a site contact: the parent with its sites' children only
        self._login("msb_site")
        response = self.url_open(f"/report/html/{PARENT_REPORT}/{self.parent.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self._mentions(response.text, self.inv_north))
        for child in self.inv_south | self.inv_east:
            self.assertFalse(self._mentions(response.text, child), child.name)

    # ------------------------------------------------------------------
    # the data API: no company-wide figure
    # ------------------------------------------------------------------

    def _call_kw(self, model, method, args, kwargs=None):
        return self._rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    @mute_logger("odoo.http", "odoo.models")
    def test_data_api_hides_company_wide_figures(self):
        figures = [
            "amount_total",
            "amount_untaxed",
            "amount_residual",
            "payment_state",
            "child_count",
            "site_count",
        ]
        for login in ("msb_site", "msb_company"):
            with self.subTest(login=login):
                self._login(login)
                for fname in figures:
                    answer = self._call_kw(
                        "account.parent.invoice", "read", [self.parent.ids, [fname]]
                    )
                    self.assertEqual(
                        answer.get("error", {}).get("data", {}).get("name"),
                        "odoo.exceptions.AccessError",
                        f"{login} read parent {fname}: {answer}",
                    )
                # nor guessed through a search on them
                answer = self._call_kw(
                    "account.parent.invoice",
                    "search_count",
                    [[("amount_residual", ">", 100.0)]],
                )
                self.assertEqual(
                    answer.get("error", {}).get("data", {}).get("name"),
                    "odoo.exceptions.AccessError",
                    f"{login} searched on the parent's amount due: {answer}",
                )
                answer = self._call_kw(
                    "account.parent.invoice",
                    "search_read",
                    [[("id", "=", self.parent.id)]],
                )
                self.assertEqual(len(answer["result"]), 1)
                self.assertFalse(set(figures) & set(answer["result"][0]))
                answer = self._call_kw(
                    "account.move", "read", [self.inv_north.ids, ["partner_credit"]]
                )
                self.assertEqual(
                    answer.get("error", {}).get("data", {}).get("name"),
                    "odoo.exceptions.AccessError",
                    f"{login} read partner_credit: {answer}",
                )
        # the stored totals stay stored, for the back office
        self.assertTrue(self.parent._fields["amount_total"].store)
        self.assertEqual(self.parent.amount_total, 600.0)

    @mute_logger("odoo.http", "odoo.models")
    def test_data_api_hides_parent_token(self):
        """A parent's share link opens every site: no contact reads it
        through the data API, and its holder still opens the page."""
        token = self.parent.access_token
        self.assertTrue(token)
        calls = [
            ("read", [self.parent.ids, ["access_token"]], {}),
            ("search_read", [[]], {"fields": ["access_token"]}),
            ("search_read", [[]], {}),
            ("web_search_read", [[]], {"specification": {"access_token": {}}}),
            ("search_count", [[("access_token", "=", token)]], {}),
            ("get_portal_url", [self.parent.ids], {}),
            ("get_portal_url", [self.parent.ids], {"report_type": "pdf"}),
        ]
        for login in ("msb_site", "msb_own", "msb_company"):
            self._login(login)
            for method, args, kwargs in calls:
                with self.subTest(login=login, method=method, kwargs=kwargs):
                    answer = self._call_kw(
                        "account.parent.invoice", method, args, kwargs
                    )
                    self.assertNotIn(token, json.dumps(answer))
                    if "error" not in answer and method == "get_portal_url":
                        self.assertTrue(
                            answer["result"].startswith(self.parent.access_url)
                        )
                        self.assertNotIn("access_token", answer["result"])
            # the parent's page by the rules shows no token either
            response = self.url_open(self.parent.access_url)
            if response.status_code == 200:
                self.assertNotIn(token, response.text)
        # the back office reads it, and the holder of the link opens the page
        self.assertIn(token, self.parent.get_portal_url())
        self._login(None)
        response = self.url_open(
            f"{self.parent.access_url}?access_token={token}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 200)
        for child in self.children:
            self.assertTrue(self._mentions(response.text, child), child.name)

    @mute_logger("odoo.http", "odoo.models")
    def test_data_api_refuses_searching_the_receivable(self):
        """The customer's whole receivable (payable) is not read, nor guessed
        by searching on it."""
        partner = self.customer
        cases = [
            ("res.partner", [("id", "=", partner.id), ("credit", ">", 1.0)]),
            ("res.partner", [("id", "=", partner.id), ("debit", ">", 1.0)]),
            ("res.partner", [("credit", "=", 0.0)]),
            ("account.move", [("partner_id.credit", ">", 1.0)]),
            ("account.move", [("commercial_partner_id.credit", ">", 1.0)]),
            ("account.move", [("commercial_partner_id.debit", "<", 1.0)]),
        ]
        for login in ("msb_site", "msb_own", "msb_company"):
            self._login(login)
            for model, domain in cases:
                with self.subTest(login=login, model=model, domain=domain):
                    answer = self._call_kw(model, "search_count", [domain])
                    self.assertEqual(
                        answer.get("error", {}).get("data", {}).get("name"),
                        "odoo.exceptions.AccessError",
                        f"{login} {model} {domain}: {answer}",
                    )
        # the back office searches as before
        accountant = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Billing Clerk",
                    "login": "msb_billing_clerk",
                    "groups_id": [
                        (6, 0, self.env.ref("account.group_account_invoice").ids)
                    ],
                }
            )
        )
        Partner = self.env["res.partner"].with_user(accountant)
        receivable = Partner.browse(partner.id).credit
        self.assertGreater(receivable, 1.0)
        self.assertEqual(
            Partner.search([("id", "=", partner.id), ("credit", ">", 1.0)]), partner
        )
        self.assertFalse(
            Partner.search([("id", "=", partner.id), ("credit", ">", receivable + 1.0)])
        )
        self.assertIn(
            self.inv_plain,
            self.env["account.move"]
            .with_user(accountant)
            .search([("partner_id.credit", ">", 1.0)]),
        )

    # ------------------------------------------------------------------
    # the comment switch on parent invoices
    # ------------------------------------------------------------------

    def _parent_comments(self):
        return self.env["mail.message"].search_count(
            [
                ("model", "=", "account.parent.invoice"),
                ("res_id", "=", self.parent.id),
                ("message_type", "=", "comment"),
            ]
        )

    def _post_on_parent(self, record=None, **kwargs):
        record = record or self.parent
        return self._rpc(
            "/mail/message/post",
            {
                "thread_model": record._name,
                "thread_id": record.id,
                "post_data": {
                    "body": "A question on this invoice",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **kwargs,
            },
        )

    @mute_logger("odoo.http")
    def test_comment_switch_on_parents(self):
        company = self.parent.company_id
        company.portal_invoice_allow_comment = True
        self._login(None)
        before = self._parent_comments()
        answer = self._post_on_parent(token=self.parent.access_token)
        self.assertNotIn("error", answer)
        self.assertEqual(self._parent_comments(), before + 1, "switch on: posted")
        company.portal_invoice_allow_comment = False
        before = self._parent_comments()
        for login in (None, "msb_site", "msb_company", "msb_other"):
            with self.subTest(login=login):
                self._login(login)
                for kwargs in ({"token": self.parent.access_token}, {}):
                    answer = self._post_on_parent(**kwargs)
                    self.assertIn("error", answer, f"{login} {kwargs}")
                    self.assertEqual(self._parent_comments(), before)

    @mute_logger("odoo.http")
    def test_comment_switch_on_payments(self):
        """A payment's share link opens the chatter post route too."""
        payment = self.pay_plain
        Message = self.env["mail.message"]
        domain = [
            ("model", "=", "account.payment"),
            ("res_id", "=", payment.id),
            ("message_type", "=", "comment"),
        ]
        payment.company_id.portal_invoice_allow_comment = True
        self._login(None)
        before = Message.search_count(domain)
        answer = self._post_on_parent(payment, token=payment.access_token)
        self.assertNotIn("error", answer)
        self.assertEqual(Message.search_count(domain), before + 1)
        payment.company_id.portal_invoice_allow_comment = False
        for login in (None, "msb_company"):
            with self.subTest(login=login):
                self._login(login)
                answer = self._post_on_parent(payment, token=payment.access_token)
                self.assertIn("error", answer)
                self.assertEqual(Message.search_count(domain), before + 1)


@tagged("post_install", "-at_install")
class TestOutsiderPayments(JsonRpcMixin, MultiSiteCommon, HttpCase):
    """Paying with a share link: the logged-out holder pays (and saves no
    payment method on the customer); a logged-in contact pays its own
    documents only, whatever link it holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.provider = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.provider.write(
            {
                "state": "test",
                "is_published": True,
                "allow_tokenization": True,
                "company_id": cls.env.company.id,
            }
        )
        cls.payment_method = cls.provider.payment_method_ids[:1]
        cls.token = (
            cls.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": cls.provider.id,
                    "payment_method_id": cls.payment_method.id,
                    "partner_id": cls.contact_company.id,
                    "payment_details": "4242",
                    "provider_ref": "outsider-token",
                }
            )
        )

    def _pay(self, invoice, **values):
        params = {
            "access_token": invoice._portal_ensure_token(),
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method.id,
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": invoice.access_url,
            "amount": invoice.amount_residual,
            **values,
        }
        return self._rpc(f"/invoice/transaction/{invoice.id}", params)

    def _transactions(self, invoice):
        return self.env["payment.transaction"].search(
            [("invoice_ids", "in", invoice.ids)]
        )

    @mute_logger("odoo.http")
    def test_logged_out_holder_saves_no_method(self):
        self.authenticate(None, None)
        answer = self._pay(self.inv_south, tokenization_requested=True)
        self.assertNotIn("error", answer, answer)
        self.assertFalse(answer["result"].get("should_tokenize"))
        tx = self._transactions(self.inv_south)
        self.assertEqual(len(tx), 1)
        self.assertFalse(tx.tokenize)
        self.assertEqual(tx.partner_id, self.inv_south.partner_id)
        # nor pays with a saved method of the customer
        answer = self._pay(self.inv_east, flow="token", token_id=self.token.id)
        self.assertIn("error", answer)
        self.assertIn("Log in", answer["error"]["data"]["message"])
        self.assertFalse(self._transactions(self.inv_east))

    @mute_logger("odoo.http")
    def test_site_contact_pays_its_sites_only(self):
        """The North site's contact holding the South invoice's link may not
        pay it logged in; logged out, the link pays it."""
        self.authenticate("msb_site", "msb_site")
        answer = self._pay(self.inv_south)
        self.assertIn("error", answer)
        self.assertIn("not one of your invoices", answer["error"]["data"]["message"])
        self.assertFalse(self._transactions(self.inv_south))
        # its own site's invoice, it pays
        answer = self._pay(self.inv_north)
        self.assertNotIn("error", answer, answer)
        self.assertEqual(
            self._transactions(self.inv_north).partner_id, self.contact_site
        )
        self.authenticate(None, None)
        answer = self._pay(self.inv_south)
        self.assertNotIn("error", answer, answer)
        self.assertEqual(len(self._transactions(self.inv_south)), 1)

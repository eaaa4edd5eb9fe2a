# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input on every portal route of the three addons, and on the stock
routes they override, answers a clear 4xx, a redirect, a page or a
validation message: never a 5xx, never an internal error type in a JSON-RPC
answer, never an error logged."""

import hashlib
import hmac
import json
import logging
import time

from odoo import Command, http
from odoo.tests import HttpCase, tagged

from odoo.addons.payment_allocation.tests.stripe_common import WEBHOOK_SECRET

from .common import MultiSiteCommon

WEBHOOK = "/payment/stripe/webhook"
# The exceptions a JSON-RPC answer may name: the user-facing ones.
CLEAR_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.AccessDenied",
    "werkzeug.exceptions.BadRequest",
    "werkzeug.exceptions.Forbidden",
    "werkzeug.exceptions.NotFound",
}
# 100k characters in bodies; the query string of a GET stays under the HTTP
# server's request line limit (64k), which answers 414 beyond it.
HUGE = "9" * 100_000
LONG = "é" * 5_000
DEEP = "[" * 10_000 + "]" * 10_000

# Values of the query string or a form: text, as browsers send them.
BAD_IDS = ["", "x", "-1", "0", "1.5", "99999999999999999999", "²", "1,2", LONG]
BAD_TEXT = ["", "zz_unknown", "-1", "\x00", "%", "'\"<>", "²", LONG]
BAD_DATES = [
    "",
    "x",
    "2026-13-45",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "-1",
    "\x00",
    LONG,
]
BAD_AMOUNTS = ["", "x", "NaN", "Infinity", "-Infinity", "-5", "0", "1e400", LONG]
# Values of JSON: every type, out of range, huge.
BAD_JSON = [
    None,
    True,
    -1,
    0,
    1.5,
    10**20,
    float("nan"),
    float("inf"),
    "x",
    "99999999999999999999",
    "\x00",
    [],
    [1, "x", None],
    [10**20],
    {},
    {"a": 1},
    HUGE,
]


# Loggers that answer bad input with a WARNING (odoo.http: the user-facing
# message of a refused request; the Stripe webhooks: why an event is refused).
# Their warnings are expected here by the hundred: dropped, so that the log
# check of the test command sees only what is wrong; their ERRORs still pass.
EXPECTED_WARNING_LOGGERS = (
    "odoo.http",
    "odoo.addons.payment_allocation.controllers.stripe",
    "odoo.addons.payment_stripe.controllers.main",
)


def _errors_only(record):
    return record.levelno >= logging.ERROR


class _ErrorCollector(logging.Handler):
    """The ERROR records of the loggers it is attached to."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@tagged("post_install", "-at_install")
class TestBadInput(MultiSiteCommon, HttpCase):
    """A matrix of route x parameter x bad value, logged in as a company-wide
    portal contact and logged out where a route is public."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.provider = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.provider.write(
            {"state": "test", "is_published": True, "company_id": cls.env.company.id}
        )
        cls.payment_method = cls.provider.payment_method_ids[:1]
        cls.stripe = cls.env.ref("payment.payment_provider_stripe").sudo()
        cls.stripe.write(
            {
                "state": "test",
                "company_id": cls.env.company.id,
                "stripe_secret_key": "sk_test_bad_input",
                "stripe_publishable_key": "pk_test_bad_input",
                "stripe_webhook_secret": WEBHOOK_SECRET,
            }
        )
        # A Stripe payment waiting for its confirmation: no bad event may
        # confirm it.
        cls.stripe_tx = (
            cls.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": cls.stripe.id,
                    "payment_method_id": cls.env.ref("payment.payment_method_card").id,
                    "reference": "BAD-INPUT-1",
                    "provider_reference": "pi_bad_input",
                    "amount": 50.0,
                    "currency_id": cls.currency.id,
                    "partner_id": cls.contact_company.id,
                    "invoice_ids": [Command.set(cls.inv_plain.ids)],
                }
            )
        )
        cls.stripe_tx._set_pending()
        cls.payment = cls._register_payment(cls.inv_north_single, 10.0)

    def setUp(self):
        super().setUp()
        self.failures = []
        self.collector = _ErrorCollector()
        for name in ("odoo", "werkzeug"):
            logger = logging.getLogger(name)
            logger.addHandler(self.collector)
            self.addCleanup(logger.removeHandler, self.collector)
        for name in EXPECTED_WARNING_LOGGERS:
            logger = logging.getLogger(name)
            logger.addFilter(_errors_only)
            self.addCleanup(logger.removeFilter, _errors_only)

    # === REQUESTS === #

    def _check(self, what, response):
        """One answer: under 500; a JSON-RPC error of a user-facing kind."""
        if response.status_code >= 500:
            self.failures.append(f"{what}: HTTP {response.status_code}")
            return
        if "json" not in response.headers.get("Content-Type", ""):
            return
        try:
            answer = response.json()
        except ValueError:
            return
        error = isinstance(answer, dict) and answer.get("error")
        if isinstance(error, dict):
            name = (error.get("data") or {}).get("name")
            if name not in CLEAR_ERRORS:
                self.failures.append(f"{what}: JSON-RPC error {name}")

    def _get(self, route, params=None):
        response = self.opener.get(
            self.base_url() + route, params=params, allow_redirects=False, timeout=60
        )
        self._check(f"GET {route} {self._short(params)}", response)
        return response

    def _post_form(self, route, data):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        response = self.opener.post(
            self.base_url() + route, data=data, allow_redirects=False, timeout=60
        )
        self._check(f"POST {route} {self._short(data)}", response)
        return response

    def _post_raw(self, route, body, headers=None):
        headers = {"Content-Type": "application/json", **(headers or {})}
        response = self.opener.post(
            self.base_url() + route, data=body, headers=headers, timeout=60
        )
        self._check(f"POST {route} {self._short(body)}", response)
        return response

    def _rpc_raw(self, route, params):
        body = json.dumps(
            {"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
        )
        return self._post_raw(route, body)

    @staticmethod
    def _short(value):
        text = repr(value)
        return text if len(text) < 160 else text[:160] + "..."

    def _assert_clean(self):
        errors = [
            f"{record.name}: {record.getMessage()[:300]}"
            for record in self.collector.records
        ]
        self.assertFalse(
            self.failures + errors,
            "Bad input answered badly:\n" + "\n".join(self.failures + errors),
        )

    # === MATRICES === #

    def _http_matrix(self, route, params, base=None):
        """``params``: {name: bad values}; each value sent alone over
        ``base``."""
        for name, values in params.items():
            for value in values:
                self._get(route, dict(base or {}, **{name: value}))

    def _json_matrix(self, route, base, params, extra_values=()):
        """Each parameter of ``params`` replaced by each bad JSON value, each
        one left out; unknown keys, no params, and malformed bodies."""
        for name in params:
            for value in [*BAD_JSON, *extra_values]:
                self._rpc_raw(route, dict(base, **{name: value}))
            self._rpc_raw(route, {k: v for k, v in base.items() if k != name})
        self._rpc_raw(route, dict(base, bogus_key=1, another=[1]))
        self._rpc_raw(route, {})
        for body in ("", "{", "[]", "null", '"x"', "1", DEEP):
            self._post_raw(route, body)
        for params_value in ([], "x", 1, None):
            self._post_raw(
                route,
                json.dumps(
                    {"jsonrpc": "2.0", "method": "call", "params": params_value}
                ),
            )

    # === TESTS === #

    def test_portal_pages(self):
        self.authenticate("msb_company", "msb_company")
        self._http_matrix(
            "/my/invoices",
            {
                "page": BAD_IDS,
                "sortby": BAD_TEXT,
                "filterby": BAD_TEXT,
                "date_begin": BAD_DATES,
                "date_end": BAD_DATES,
                "search": BAD_TEXT,
                "search_in": BAD_TEXT,
                "currency": BAD_TEXT,
            },
        )
        self._get("/my/invoices/page/99999999999999999999")
        self._http_matrix(
            f"/my/invoices/{self.inv_plain.id}",
            {
                "access_token": BAD_TEXT,
                "report_type": BAD_TEXT,
                "download": BAD_TEXT,
            },
        )
        for invoice_id in ("99999999999999999999", "0", str(self.inv_other.id)):
            self._get(f"/my/invoices/{invoice_id}")
            self._get(f"/my/invoices/{invoice_id}", {"report_type": "pdf"})
        self._http_matrix("/my/invoices/overdue", {"access_token": BAD_TEXT})
        self._http_matrix(
            "/my/payments",
            {
                "page": BAD_IDS,
                "sortby": BAD_TEXT,
                "search": BAD_TEXT,
                "search_in": BAD_TEXT,
                "invoice": BAD_IDS,
            },
        )
        self._get("/my/payments/page/99999999999999999999")
        self._http_matrix(
            f"/my/payments/{self.payment.id}",
            {"access_token": BAD_TEXT, "report_type": BAD_TEXT, "download": BAD_TEXT},
        )
        self._get("/my/payments/99999999999999999999")
        self._http_matrix(
            "/my/statement",
            {"date_from": BAD_DATES, "date_to": BAD_DATES},
        )
        for begin, end in (("9999-12-31", "0001-01-01"), ("0001-01-01", "9999-12-31")):
            self._get("/my/statement", {"date_from": begin, "date_to": end})
            self._get("/my/invoices", {"date_begin": begin, "date_end": end})
        self._http_matrix(
            "/my/statement/pdf",
            {"date_from": BAD_DATES[2:6], "date_to": BAD_DATES[2:6]},
        )
        self._http_matrix(
            f"/my/parent_invoices/{self.parent.id}",
            {"access_token": BAD_TEXT, "report_type": BAD_TEXT, "download": BAD_TEXT},
        )
        self._get("/my/parent_invoices/99999999999999999999")
        self._assert_clean()

    def test_pay_page(self):
        self.authenticate("msb_company", "msb_company")
        self._http_matrix(
            "/my/invoices/pay",
            {
                "page": BAD_IDS,
                "currency_id": BAD_IDS,
                "company_id": BAD_IDS,
                "parent_id": BAD_IDS,
                "filterby": BAD_TEXT,
                "search": BAD_TEXT,
                "mode": BAD_TEXT,
            },
        )
        self._get("/my/invoices/pay/page/99999999999999999999")
        for tx_id in ("0", "99999999999999999999", str(self.stripe_tx.id)):
            self._get(f"/my/invoices/pay/receipt/{tx_id}")
        self._get("/my/payment_method")
        for route, names in (
            ("/my/payment_method/default", ["token_id"]),
            ("/my/payment_method/autopay", ["token_id", "opt_out"]),
            (
                "/my/payment_method/verify",
                ["token_id", "amount_1", "amount_2", "descriptor_code"],
            ),
        ):
            for name in names:
                values = BAD_AMOUNTS if name.startswith("amount") else BAD_IDS
                for value in [*values, HUGE]:
                    self._post_form(route, {name: value})
        self._assert_clean()

    def test_reports(self):
        self.authenticate("msb_company", "msb_company")
        for docids in (
            "x",
            "-1",
            "²",
            "99999999999999999999",
            f"{self.inv_plain.id},x,,99999999999999999999",
            LONG,
        ):
            for report in (
                "account.report_invoice",
                "multi_site_billing.report_parent_invoice",
            ):
                self._get(f"/report/html/{report}/{docids}")
        self._assert_clean()

    def test_parent_report_child_ids(self):
        """The parent report's ``child_ids`` option is read from the
        browser on /report/*: any JSON value lists no child it should not
        (a traceback on a list of objects before), and the children of a
        valid list are those the contact may read (null: all of those)."""
        report = "multi_site_billing.report_parent_invoice"
        for login in ("msb_company", "msb_site"):
            self.authenticate(login, login)
            # (HUGE: no URL holds it)
            values = [value for value in BAD_JSON if value is not HUGE]
            for value in [*values, [{"a": 1}], [[1]], [{}, self.inv_north.id]]:
                for converter in ("html", "text"):
                    response = self._get(
                        f"/report/{converter}/{report}/{self.parent.id}",
                        {"options": json.dumps({"child_ids": value})},
                    )
                    self.assertEqual(response.status_code, 200, (login, value))
                    # no option (null): every child the contact reads
                    self.assertEqual(
                        self.inv_south.name in response.text,
                        login == "msb_company" and value is None,
                        (login, value),
                    )
            response = self._get(
                f"/report/html/{report}/{self.parent.id}",
                {"options": json.dumps({"child_ids": [{}, *self.children.ids]})},
            )
            self.assertIn(self.inv_north.name, response.text)
            self.assertEqual(
                self.inv_east.name in response.text, login == "msb_company"
            )
        self._assert_clean()

    def test_reports_portal_options(self):
        """/report/* as a portal contact: the options are values of the
        report's template, the context the rendering's. Only what a report
        of ours reads is taken (a ``company_id``, a nested ``context``, a
        list as the language answered 500 before): anything else a clean
        400, nothing logged; what the reports read still works."""
        parent_report = (
            f"/report/html/multi_site_billing.report_parent_invoice/{self.parent.id}"
        )
        invoice_report = f"/report/html/account.report_invoice/{self.inv_plain.id}"
        self.authenticate("msb_company", "msb_company")
        values = [value for value in BAD_JSON if value is not HUGE]
        for route in (parent_report, invoice_report):
            for value in values:
                for key in ("company_id", "company", "context", "o", "docs"):
                    response = self._get(route, {"options": json.dumps({key: value})})
                    self.assertEqual(response.status_code, 400, (route, key, value))
                for key in ("lang", "tz", "active_ids", "allowed_company_ids"):
                    if key in ("lang", "tz") and isinstance(value, str):
                        continue
                    response = self._get(route, {"context": json.dumps({key: value})})
                    self.assertEqual(response.status_code, 400, (route, key, value))
        for route, query in (
            (
                parent_report,
                {"options": json.dumps({"child_ids": [self.inv_north.id]})},
            ),
            (invoice_report, {"context": json.dumps({"lang": "en_US", "tz": "UTC"})}),
            (invoice_report, {"context": json.dumps({"force_report_rendering": True})}),
        ):
            response = self._get(route, query)
            self.assertEqual(response.status_code, 200, (route, query))
        self._assert_clean()

    def test_json_pay_routes(self):
        self.authenticate("msb_company", "msb_company")
        selection = {
            "mode": "select",
            "invoice_ids": self.inv_plain.ids,
            "currency_id": self.currency.id,
            "company_id": self.env.company.id,
        }
        names = [
            "mode",
            "invoice_ids",
            "parent_ids",
            "select_all",
            "custom_amount",
            "currency_id",
            "company_id",
            "filterby",
            "search",
            "apply_credit",
        ]
        self._json_matrix("/my/invoices/pay/preview", selection, names)
        # "select all" resolves the page's filter: every type of filterby
        self._json_matrix(
            "/my/invoices/pay/preview",
            dict(selection, select_all=True, invoice_ids=[]),
            ["filterby", "search", "currency_id", "company_id"],
        )
        for ids in (list(range(1, 100_001)), [self.inv_plain.id] * 3):
            self._rpc_raw("/my/invoices/pay/preview", dict(selection, invoice_ids=ids))
            self._rpc_raw("/my/invoices/pay/preview", dict(selection, parent_ids=ids))
        self._json_matrix(
            "/my/invoices/pay/credit", dict(selection, amount=50.0), ["amount"]
        )
        transaction = dict(
            selection,
            provider_id=self.provider.id,
            payment_method_id=self.payment_method.id,
            token_id=None,
            flow="direct",
            tokenization_requested=False,
            landing_route="/my/invoices/pay",
            is_validation=False,
            amount=50.0,
        )
        # the selection's parameters are the preview's, read by the same code
        self._json_matrix(
            "/my/invoices/pay/transaction",
            transaction,
            [
                "mode",
                "invoice_ids",
                "parent_ids",
                "custom_amount",
                "amount",
                "provider_id",
                "payment_method_id",
                "token_id",
                "flow",
            ],
        )
        self._assert_clean()

    def test_json_stock_routes(self):
        self.authenticate("msb_company", "msb_company")
        overdue = {
            "payment_reference": "INV/OVERDUE",
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method.id,
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/my/invoices",
            "amount": 50.0,
        }
        self._json_matrix(
            "/invoice/transaction/overdue",
            overdue,
            ["payment_reference", "amount", "provider_id", "flow"],
        )
        invoice = dict(overdue, access_token=self.inv_plain._portal_ensure_token())
        del invoice["payment_reference"]
        self._json_matrix(
            f"/invoice/transaction/{self.inv_plain.id}",
            invoice,
            ["access_token", "amount"],
        )
        self._json_matrix(
            "/my/payment_method/stripe/verify",
            {"token_id": 1, "amounts": [32, 45], "descriptor_code": "SM11AA"},
            ["token_id", "amounts", "descriptor_code"],
        )
        self._json_matrix("/payment/archive_token", {"token_id": 0}, ["token_id"])
        self._json_matrix(
            "/mail/message/post",
            {
                "thread_model": "account.move",
                "thread_id": self.inv_plain.id,
                "post_data": {"body": "Hello", "message_type": "comment"},
            },
            ["thread_model", "thread_id"],
        )
        for thread_model, thread_id in (
            ("account.move", "x"),
            ("account.move", "99999999999999999999"),
            ("account.move", ""),
            ("x", self.inv_plain.id),
            ("", ""),
        ):
            response = self.opener.post(
                self.base_url() + "/mail/attachment/upload",
                data={
                    "thread_model": thread_model,
                    "thread_id": thread_id,
                    "csrf_token": http.Request.csrf_token(self),
                },
                files={"ufile": ("note.txt", b"hello", "text/plain")},
                timeout=60,
            )
            self._check(f"upload {thread_model!r} {thread_id!r}", response)
        self._json_matrix(
            "/my/counters",
            {"counters": ["invoice_count", "payment_allocation_overdue_summary"]},
            ["counters"],
        )
        self._json_matrix(
            "/mail/message/update_content",
            {"message_id": 0, "body": "x", "attachment_ids": []},
            ["message_id"],
        )
        self._assert_clean()

    def test_reports_clean_errors(self):
        """/report/* with bad options, unknown reports and documents of
        another customer: a clean 4xx, no traceback, nothing logged."""
        invoice_report = "account.report_invoice_with_payments"
        receipt_report = "account.report_payment_receipt"
        foreign_payment = self._register_payment(self.inv_other, 5.0)
        self.authenticate("msb_company", "msb_company")
        own = self.inv_plain.id
        for query, status in (
            ({"options": "notjson"}, 400),
            ({"options": "[1]"}, 400),
            ({"options": "null"}, 400),
            ({"context": "{"}, 400),
            ({"context": '"x"'}, 400),
        ):
            for converter in ("html", "pdf"):
                response = self._get(
                    f"/report/{converter}/{invoice_report}/{own}", query
                )
                self.assertEqual(response.status_code, status, query)
        for name in ("no_such_report", "no.such_report", "x" * 300):
            response = self._get(f"/report/html/{name}/{own}")
            self.assertEqual(response.status_code, 404, name)
        for report, ids in (
            (invoice_report, self.inv_other.ids),
            (invoice_report, [own, self.inv_other.id]),
            (receipt_report, foreign_payment.ids),
            (receipt_report, [self.payment.id, foreign_payment.id]),
        ):
            docids = ",".join(map(str, ids))
            for converter in ("html", "pdf"):
                response = self._get(f"/report/{converter}/{report}/{docids}")
                self.assertIn(response.status_code, (403, 404), (report, ids))
                self.assertNotIn(self.inv_other.name, response.text)
            data = json.dumps([f"/report/pdf/{report}/{docids}", "qweb-pdf"])
            response = self._get("/report/download", {"data": data})
            self.assertEqual(response.status_code, 403, (report, ids))
            self.assertNotIn("debug", response.text)
            self.assertNotIn("Traceback", response.text)
        for data in (
            "notjson",
            "[1]",
            "{}",
            '["x", "qweb-pdf"]',
            '[1, "qweb-pdf"]',
            json.dumps([f"/report/pdf/no_such_report/{own}", "qweb-pdf"]),
            json.dumps([f"/report/pdf/{invoice_report}/99999999", "qweb-pdf"]),
        ):
            response = self._get("/report/download", {"data": data})
            self.assertIn(response.status_code, (400, 404), data)
            self.assertNotIn("Traceback", response.text)
        self._assert_clean()

    def test_token_not_ascii(self):
        """A share token is ASCII: another value (a digit of another script,
        an accent) on a document that has a token is refused as a wrong
        token is, logged out or as another customer, never a 500."""
        documents = (
            (self.inv_plain, f"/my/invoices/{self.inv_plain.id}"),
            (self.payment, f"/my/payments/{self.payment.id}"),
            (self.parent, f"/my/parent_invoices/{self.parent.id}"),
        )
        for login in (None, "msb_other"):
            self.authenticate(login, login)
            for document, route in documents:
                document.sudo()._portal_ensure_token()
                for token in ("\u0661", "\u00e9", "\u00b2" * 36):
                    for query in ({}, {"report_type": "pdf"}):
                        response = self._get(route, dict(query, access_token=token))
                        self.assertIn(response.status_code, (303, 302), route)
            self._rpc_raw(
                f"/invoice/transaction/{self.inv_plain.id}",
                {"access_token": "\u0661", "amount": 1.0},
            )
        self._assert_clean()

    def test_logged_out(self):
        self.authenticate(None, None)
        for route in (
            f"/my/parent_invoices/{self.parent.id}",
            f"/my/payments/{self.payment.id}",
            f"/my/invoices/{self.inv_plain.id}",
        ):
            self._http_matrix(
                route,
                {
                    "access_token": BAD_TEXT,
                    "report_type": BAD_TEXT,
                    "download": BAD_TEXT[:3],
                },
            )
        self._get("/my/parent_invoices/99999999999999999999", {"access_token": "x"})
        self._rpc_raw("/invoice/transaction/overdue", {})
        self._rpc_raw("/invoice/transaction/overdue", {"payment_reference": [1]})
        self._rpc_raw(f"/invoice/transaction/{self.inv_plain.id}", {})
        self._rpc_raw(
            f"/invoice/transaction/{self.inv_plain.id}",
            {"access_token": ["x"], "amount": "NaN"},
        )
        # the chatter post route with a valid share token: the id as text,
        # and a model that has no chatter
        self.inv_plain.company_id.portal_invoice_allow_comment = True
        token = self.inv_plain._portal_ensure_token()
        post = {
            "thread_model": "account.move",
            "post_data": {"body": "Hello", "message_type": "comment"},
            "token": token,
        }
        for thread_id in (str(self.inv_plain.id), f"{self.inv_plain.id} "):
            self._rpc_raw("/mail/message/post", dict(post, thread_id=thread_id))
        line = self.inv_plain.line_ids[:1]
        for thread_model, thread_id in (
            ("account.move.line", line.id),
            ("res.currency", self.currency.id),
        ):
            answer = self._rpc_raw(
                "/mail/message/post",
                dict(post, thread_model=thread_model, thread_id=thread_id),
            ).json()
            self.assertEqual(
                answer["error"]["data"]["name"], "odoo.exceptions.MissingError"
            )
        self._assert_clean()

    # === STRIPE WEBHOOK === #

    @staticmethod
    def _sign(payload, secret=WEBHOOK_SECRET):
        """A Stripe-Signature header of ``payload``, as Stripe signs it."""
        timestamp = int(time.time())
        signature = hmac.new(
            secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
        ).hexdigest()
        return f"t={timestamp},v1={signature}"

    def _webhook_bodies(self):
        intent = {
            "id": "pi_bad_input",
            "object": "payment_intent",
            "description": self.stripe_tx.reference,
            "amount": 5000,
            "currency": self.currency.name.lower(),
            "status": "succeeded",
        }
        bodies = ["", "{", "[]", "[1, 2]", '"x"', "1", "null", "true", DEEP, HUGE]
        events = [
            {},
            {"type": 5},
            {"type": ["payment_intent.succeeded"]},
            {"type": "payment_intent.succeeded"},
            {"type": "charge.dispute.created"},
        ]
        for event_type in (
            "payment_intent.succeeded",
            "payment_intent.payment_failed",
            "setup_intent.succeeded",
            "charge.refunded",
            "charge.dispute.created",
        ):
            for data in ("x", 5, [], None, {"object": "x"}, {"object": [intent]}):
                events.append({"id": "evt_bad", "type": event_type, "data": data})
            for key, value in (
                ("id", 5),
                ("description", ["x"]),
                ("amount", "5000"),
                ("amount", 10**30),
                ("currency", 5),
                ("status", ["succeeded"]),
                ("payment_intent", {"id": "pi_bad_input"}),
                ("payment_method", 5),
                ("refunds", "x"),
                ("reason", 5),
                ("last_payment_error", "x"),
            ):
                obj = dict(intent, payment_intent="pi_bad_input")
                obj[key] = value
                events.append(
                    {"id": "evt_bad", "type": event_type, "data": {"object": obj}}
                )
        return bodies + [json.dumps(event) for event in events]

    def test_stripe_webhook(self):
        self.authenticate(None, None)
        for body in self._webhook_bodies():
            unsigned = self._post_raw(WEBHOOK, body)
            signed = self._post_raw(
                WEBHOOK, body, headers={"Stripe-Signature": self._sign(body)}
            )
            # a body that is no Stripe event is refused, signed or not
            if body in ("", "{", "[]", "null", DEEP):
                self.assertEqual((unsigned.status_code, signed.status_code), (400, 400))
        # events Odoo can read: of our transaction, unsigned or badly signed
        # (refused), or of no transaction (acknowledged, ignored)
        intent = {
            "id": "pi_bad_input",
            "object": "payment_intent",
            "description": self.stripe_tx.reference,
            "payment_intent": "pi_bad_input",
            "amount": 5000,
            "currency": self.currency.name.lower(),
            "status": "succeeded",
        }
        for event_type in ("payment_intent.succeeded", "charge.dispute.created"):
            payload = json.dumps(
                {"id": "evt_ok", "type": event_type, "data": {"object": intent}}
            )
            for header in (
                None,
                "",
                "x",
                "t=x",
                "t=1,v1=é",
                "a=b=c",
                "t=" + "9" * 400 + ",v1=00",
                LONG,
                self._sign(payload, secret="whsec_wrong"),
            ):
                response = self._post_raw(
                    WEBHOOK,
                    payload,
                    headers=None if header is None else {"Stripe-Signature": header},
                )
                self.assertEqual(response.status_code, 403, header)
            unknown = dict(intent, description="NO-SUCH-TX", payment_intent="pi_no")
            payload = json.dumps(
                {"id": "evt_no", "type": event_type, "data": {"object": unknown}}
            )
            for headers in ({}, {"Stripe-Signature": self._sign(payload)}):
                response = self._post_raw(WEBHOOK, payload, headers=headers)
                self.assertEqual(response.status_code, 200, "acknowledged")
        self.assertEqual(self.stripe_tx.state, "pending", "nothing was confirmed")
        self._assert_clean()

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import html

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import portal_home_text
from .common_portal import PortalInvoicesCommon


def _has_class(cls):
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


def _find(node, cls, **attrs):
    """The elements of ``node`` with the class ``cls`` (and attributes)."""
    conditions = [_has_class(cls)] + [
        f"@{name.replace('_', '-')}='{value}'" for name, value in attrs.items()
    ]
    return node.xpath(f"//*[{' and '.join(conditions)}]")


class InvoiceQueryCommon(PortalInvoicesCommon):
    """Queries of the documents of :class:`PortalInvoicesCommon`; a contact
    of another customer, and the customer's invoice address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Query = cls.env["account.move.query"]
        cls.reason = cls.env.ref("customer_portal_invoices.query_reason_wrong_amount")
        cls.invoice_address = cls.env["res.partner"].create(
            {
                "name": "Ivy Invoices",
                "type": "invoice",
                "parent_id": cls.customer.id,
                "email": "ivy.invoices@example.com",
            }
        )
        cls.contact_other = cls._create_contact(
            cls.other_customer, "Otto Other", "company"
        )
        cls.user_other = cls._create_portal_user(cls.contact_other, "cpi.query.other")
        cls.salesperson = cls.env.user
        cls.inv_open.invoice_user_id = cls.salesperson

    def _post_query(self, invoice, login, access_token=None, files=None, **data):
        """POST the query form of ``invoice`` as ``login`` (None: logged
        out); return the invoice page it leads to."""
        self.authenticate(login, login)
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "reason_id": str(self.reason.id),
            "message": "The amount is wrong.",
            **data,
        }
        if access_token:
            data["access_token"] = access_token
        return self.url_open(
            f"/my/invoices/{invoice.id}/query", data=data, files=files or {}
        )

    @staticmethod
    def _message(response):
        nodes = _find(html.fromstring(response.text), "o_portal_invoice_query_message")
        return nodes[0].text_content().strip() if nodes else ""


@tagged("post_install", "-at_install")
class TestInvoiceQueryPortal(InvoiceQueryCommon):
    def test_raise_query_from_portal(self):
        """A company contact queries an open invoice with a file: the query,
        its message and file on the invoice's chatter, an activity for the
        salesperson, "Queried" on the page, the list filter and the
        overview, the form gone."""
        response = self._post_query(
            self.inv_open,
            "cpi.portal.company",
            files={"attachments": ("proof.txt", b"agreed price: 90", "text/plain")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("your query was sent", self._message(response))
        query = self.Query.search([("move_id", "=", self.inv_open.id)])
        self.assertEqual(len(query), 1)
        self.assertRecordValues(
            query,
            [
                {
                    "state": "open",
                    "partner_id": self.contact_company.id,
                    "commercial_partner_id": self.customer.id,
                    "reason_id": self.reason.id,
                    "message": "The amount is wrong.",
                }
            ],
        )
        self.assertEqual(self.inv_open.portal_query_state, "open")
        self.assertEqual(query.activity_ids.user_id, self.salesperson)
        message = self.inv_open.message_ids.filtered(
            lambda m: (
                m.author_id == self.contact_company and m.message_type == "comment"
            )
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn("The amount is wrong.", message.body)
        self.assertEqual(message.attachment_ids.mapped("name"), ["proof.txt"])

        page = html.fromstring(response.text)
        self.assertTrue(_find(page, "o_portal_invoice_queried"))
        self.assertTrue(_find(page, "o_portal_invoice_query_item", data_state="open"))
        self.assertFalse(page.xpath("//*[@id='portal_invoice_query_form']"))

        listing = html.fromstring(
            self.url_open("/my/invoices?filterby=status_queried").text
        )
        numbers = [
            td.text_content().strip()
            for td in _find(listing, "o_portal_invoice_number")
        ]
        self.assertEqual(len(numbers), 1)
        self.assertIn(self.inv_open.name, numbers[0])
        self.assertTrue(_find(listing, "o_portal_invoice_queried"))
        home = portal_home_text(self)
        self.assertIn("o_portal_overview_queried", home)
        self.assertIn("1 queried invoice", home)

    def test_every_contact_sees_queried(self):
        """The own-documents contact sees "Queried" on its invoice queried by
        the company contact."""
        self._post_query(self.inv_own, "cpi.portal.company")
        self.authenticate("cpi.portal.own", "cpi.portal.own")
        page = html.fromstring(self.url_open(self.inv_own.access_url).text)
        self.assertTrue(_find(page, "o_portal_invoice_queried"))
        self.assertTrue(_find(page, "o_portal_invoice_query_item"))

    def test_query_changes_no_figure(self):
        """A queried overdue invoice stays overdue, in the overdue filter and
        the overview's overdue balance."""
        Move = self.env["account.move"].with_user(self.user_company)
        before = Move._portal_account_overview()
        self._post_query(self.inv_overdue, "cpi.portal.company")
        self.inv_overdue.invalidate_recordset()
        self.assertEqual(self.inv_overdue.portal_status, "overdue")
        after = Move._portal_account_overview()
        for figures in (before, after):
            for values in figures:
                values.pop("queried_count")
        self.assertEqual(before, after)
        overdue = Move.search(Move._portal_status_domain("overdue"))
        self.assertIn(self.inv_overdue, overdue)
        queried = Move.search(Move._portal_status_domain("queried"))
        self.assertEqual(queried, self.inv_overdue)

    def test_access_matrix(self):
        """Who may query: the company contact any open invoice of its
        customer, the own contact its own; not another customer's contact
        with a share link, nor a logged-out share-link holder, nor a contact
        without invoice access, nor anyone for a paid invoice or when the
        company turned queries off. Nothing is created when refused."""
        token = self.inv_open._portal_ensure_token()
        refused = [
            # (invoice, login, share token, message or None for a redirect)
            (self.inv_open, "cpi.portal.own", None, None),
            (self.inv_open, "cpi.portal.none", None, None),
            (self.inv_open, "cpi.query.other", None, None),
            (
                self.inv_open,
                "cpi.query.other",
                token,
                "You may not query this invoice.",
            ),
            (self.inv_open, None, token, "Log in to query this invoice."),
            (self.inv_paid, "cpi.portal.company", None, "Only open invoices"),
            (self.refund_open, "cpi.portal.company", None, None),
        ]
        for invoice, login, access_token, text in refused:
            with self.subTest(
                login=login, invoice=invoice.name, token=bool(access_token)
            ):
                response = self._post_query(invoice, login, access_token=access_token)
                self.assertEqual(response.status_code, 200)
                if text:
                    self.assertIn(text, self._message(response))
                else:
                    # the page of a document the user may not read: /my
                    self.assertFalse(self._message(response))
                self.assertFalse(self.Query.search([("move_id", "=", invoice.id)]))
        # the none contact cannot even read it; asked directly, the rule says no
        self.assertIn(
            "not allowed",
            self.inv_open._portal_query_error(user=self.user_none),
        )
        allowed = [
            (self.inv_own, "cpi.portal.own"),
            (self.inv_overdue, "cpi.portal.company"),
        ]
        for invoice, login in allowed:
            with self.subTest(login=login, invoice=invoice.name):
                self._post_query(invoice, login)
                self.assertEqual(
                    self.Query.search(
                        [("move_id", "=", invoice.id)]
                    ).partner_id.user_ids.login,
                    login,
                )
        # one open query at a time
        response = self._post_query(self.inv_overdue, "cpi.portal.company")
        self.assertIn("queried already", self._message(response))
        self.assertEqual(
            self.Query.search_count([("move_id", "=", self.inv_overdue.id)]), 1
        )

    def test_company_switch(self):
        """Queries have their own switch: off, nothing is queried and the
        form is gone, while comments stay on."""
        self.env.company.portal_invoice_allow_query = False
        self.assertTrue(self.env.company.portal_invoice_allow_comment)
        self.authenticate("cpi.portal.company", "cpi.portal.company")
        page = html.fromstring(self.url_open(self.inv_open.access_url).text)
        self.assertFalse(_find(page, "o_portal_invoice_query_toggle"))
        response = self._post_query(self.inv_open, "cpi.portal.company")
        self.assertIn("turned off", self._message(response))
        self.assertFalse(self.Query.search([("move_id", "=", self.inv_open.id)]))

    def test_bad_input(self):
        """No reason, an unknown reason or an empty message: a clear
        message, nothing created."""
        for data, text in (
            ({"reason_id": ""}, "Choose the reason"),
            ({"reason_id": "999999"}, "Choose the reason"),
            ({"reason_id": "x1"}, "Choose the reason"),
            ({"message": "   "}, "Tell us what is wrong"),
            # control characters only: no text either
            ({"message": "\x01\x02 \x7f\x1b"}, "Tell us what is wrong"),
        ):
            with self.subTest(data=data):
                response = self._post_query(self.inv_open, "cpi.portal.company", **data)
                self.assertIn(text, self._message(response))
        self.assertFalse(self.Query.search([("move_id", "=", self.inv_open.id)]))

    def test_message_control_characters_left_out(self):
        """Control characters in the message are not stored; its lines
        are."""
        self._post_query(
            self.inv_open, "cpi.portal.company", message="Wrong\x01 amount\r\nsee\x1b"
        )
        query = self.Query.search([("move_id", "=", self.inv_open.id)])
        self.assertEqual(query.message, "Wrong amount\nsee")

    def test_markup_attachments_stored_as_text(self):
        """A customer's HTML, SVG or XML file is stored as plain text, as
        Odoo stores a portal user's uploads: the back office never opens it
        as a page (the query is created as the superuser)."""
        files = [
            (
                "attachments",
                ("page.html", b"<script>alert(1)</script>", "text/html"),
            ),
            (
                "attachments",
                (
                    "image.svg",
                    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                    "image/svg+xml",
                ),
            ),
            ("attachments", ("proof.txt", b"agreed price: 90", "text/plain")),
        ]
        response = self._post_query(self.inv_open, "cpi.portal.company", files=files)
        self.assertIn("your query was sent", self._message(response))
        query = self.Query.search([("move_id", "=", self.inv_open.id)])
        attachments = query.message_ids.attachment_ids
        self.assertEqual(
            sorted(attachments.mapped("name")), ["image.svg", "page.html", "proof.txt"]
        )
        self.assertEqual(set(attachments.mapped("mimetype")), {"text/plain"})


@tagged("post_install", "-at_install")
class TestInvoiceQueryAnswer(InvoiceQueryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.query = (
            cls.inv_open.with_user(cls.user_company)
            ._portal_query_raise(cls.reason.id, "Should be 90.", user=cls.user_company)
            .with_env(cls.env)
        )

    def _answer_message(self):
        return self.inv_open.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("mail.mt_comment")
                and not m.author_id.user_ids.share
            )
        )[:1]

    def test_accept_with_credit_note(self):
        """Accept opens a draft credit note; the query stays open (the
        invoice queried) until the credit note is posted, then it is
        accepted and the customer told."""
        self.query.answer_message = "You are right: 10 credited."
        action = self.query.action_accept()
        credit_note = self.query.credit_note_id
        self.assertEqual(action["res_id"], credit_note.id)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.reversed_entry_id, self.inv_open)
        self.assertEqual(self.query.state, "open")
        self.assertEqual(self.inv_open.portal_query_state, "open")
        credit_note.invoice_line_ids.price_unit = 10.0
        credit_note.action_post()
        self.assertRecordValues(
            self.query,
            [{"state": "accepted", "answered_by_id": self.env.user.id}],
        )
        self.assertTrue(self.query.answer_date)
        self.assertEqual(self.inv_open.portal_query_state, "accepted")
        self.assertFalse(self.query.activity_ids)
        # its smart button still opens the credit note
        self.assertEqual(self.query.action_view_credit_note()["res_id"], credit_note.id)
        message = self._answer_message()
        self.assertIn("accepted", message.subject)
        self.assertIn(credit_note.name, message.body)
        self.assertEqual(
            message.partner_ids, self.contact_company | self.invoice_address
        )
        # the portal page shows the answer
        self.authenticate("cpi.portal.company", "cpi.portal.company")
        page = html.fromstring(self.url_open(self.inv_open.access_url).text)
        self.assertFalse(_find(page, "o_portal_invoice_queried"))
        item = _find(page, "o_portal_invoice_query_item", data_state="accepted")
        self.assertTrue(item)
        self.assertIn("You are right", item[0].text_content())
        self.assertIn(credit_note.name, item[0].text_content())

    def test_reject_with_message(self):
        """Reject needs the answer; then the query is rejected, the customer
        told, the invoice no longer queried."""
        with self.assertRaisesRegex(UserError, "Write the answer"):
            self.query.action_reject()
        self.query.answer_message = "The price is the contract's."
        self.query.action_reject()
        self.assertEqual(self.query.state, "rejected")
        self.assertEqual(self.inv_open.portal_query_state, "rejected")
        message = self._answer_message()
        self.assertIn("The price is the contract's.", message.body)
        self.assertEqual(
            message.partner_ids, self.contact_company | self.invoice_address
        )
        with self.assertRaisesRegex(UserError, "answered already"):
            self.query.action_accept()
        # answered: the customer may query it again
        self.assertEqual(self.inv_open._portal_query_error(user=self.user_company), "")

    def test_accept_without_credit_note(self):
        self.query.action_accept_without_credit_note()
        self.assertEqual(self.query.state, "accepted")
        self.assertFalse(self.query.credit_note_id)

    def test_smart_buttons_and_configured_user(self):
        """The invoice and the customer count their queries; a configured
        user gets the activity instead of the salesperson."""
        self.assertEqual(self.inv_open.portal_query_count, 1)
        self.assertEqual(self.contact_company.portal_query_count, 1)
        self.assertEqual(self.customer.portal_query_count, 1)
        action = self.customer.action_view_portal_queries()
        self.assertEqual(self.Query.search(action["domain"]), self.query)
        action = self.inv_open.action_view_portal_queries()
        self.assertEqual(self.Query.search(action["domain"]), self.query)
        other_user = self.env["res.users"].create(
            {"name": "Query Desk", "login": "cpi.query.desk"}
        )
        self.env.company.portal_query_user_id = other_user
        query = self.inv_overdue.with_user(self.user_company)._portal_query_raise(
            self.reason.id, "Duplicate?", user=self.user_company
        )
        self.assertEqual(query.activity_ids.user_id, other_user)

    def test_statement_marks_queried(self):
        """The statement marks the queried invoice and keeps every total."""
        Report = self.env["report.customer_portal_invoices.report_statement"]
        statement = Report._get_statement(self.customer)
        lines = [
            line
            for cur in statement["currencies"]
            for line in cur["lines"]
            if line["move_id"] == self.inv_open.id
        ]
        self.assertTrue(lines)
        self.assertTrue(all(line["queried"] for line in lines))
        others = [
            line
            for cur in statement["currencies"]
            for line in cur["lines"]
            if line["move_id"] != self.inv_open.id
        ]
        self.assertFalse(any(line["queried"] for line in others))
        # the portal statement shows the mark on that line only
        self.authenticate("cpi.portal.company", "cpi.portal.company")
        page = html.fromstring(self.url_open("/my/statement").text)
        marked = _find(page, "o_statement_line_queried")
        self.assertEqual(len(marked), len(lines))
        self.assertIn(self.inv_open.name, marked[0].getparent().text_content())
        self.query.answer_message = "No."
        self.query.action_reject()
        after = Report._get_statement(self.customer)

        def totals(result):
            return [
                (
                    cur["opening_balance"],
                    cur["closing_balance"],
                    cur["total_debit"],
                    cur["total_credit"],
                    [bucket["amount"] for bucket in cur["aging"]],
                )
                for cur in result["currencies"]
            ]

        self.assertEqual(totals(statement), totals(after))


@tagged("post_install", "-at_install", "portal_tour")
class TestInvoiceQueryTour(InvoiceQueryCommon):
    def test_query_tour(self):
        """A customer raises a query from the invoice page."""
        self.start_tour(
            self.inv_open.access_url,
            "customer_portal_invoices_query_tour",
            login="cpi.portal.company",
        )
        query = self.Query.search([("move_id", "=", self.inv_open.id)])
        self.assertEqual(query.partner_id, self.contact_company)
        self.assertEqual(query.message, "The discount we agreed on is missing.")

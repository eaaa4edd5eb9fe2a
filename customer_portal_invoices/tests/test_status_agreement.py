# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from lxml import html

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalContactsMixin

MOVE_TYPES = (
    "out_invoice",
    "out_refund",
    "out_receipt",
    "in_invoice",
    "in_refund",
    "in_receipt",
)
# Due date relative to today.
DUE_DAYS = {"past": -10, "today": 0, "future": 10}
# How each posted document is brought to its payment state: a real payment
# or reversal where Community Odoo reaches the state, else the state set as
# the accountant app (in payment) or an import (blocked, legacy) would.
PAYMENT_CASES = (
    "not_paid",
    "partial",
    "paid",
    "in_payment",
    "reversed",
    "blocked",
    "invoicing_legacy",
)
# The status filters of /my/invoices, per status.
STATUS_FILTERS = {
    "overdue": "overdue_invoices",
    "partial": "status_partial",
    "open": "status_open",
    "in_payment": "status_in_payment",
    "paid": "status_paid",
    "reversed": "status_reversed",
}
ITEMS_PER_PAGE = 80  # portal's CustomerPortal._items_per_page


@tagged("post_install", "-at_install")
class TestStatusAgreement(PortalContactsMixin, AccountTestInvoicingHttpCommon):
    """One definition of the portal status and of "overdue": for every
    document type and state the portal can show (the company shows every
    type), every payment state and a due date past, today and future, the
    badge (computed status, and as rendered on /my/invoices), the list
    filters of /my/invoices, the account overview's overdue figure and the
    SQL (sort by status, overview sums) agree.

    The rule decided where they disagreed: only customer invoices and
    receipts fall overdue; a past-due vendor bill (or vendor receipt) with
    an amount left is not overdue, neither on its badge nor in the Overdue
    filter (nor in the overview, which counts customer documents)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company = cls.env.company
        cls.company.write(
            {
                "portal_invoice_show_invoices": True,
                "portal_invoice_show_credit_notes": True,
                "portal_invoice_show_receipts": True,
                "portal_invoice_show_vendor_bills": True,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Status Customer", "is_company": True, "email": "s@example.com"}
        )
        contact = cls._create_contact(cls.customer, "Sam Status", "company")
        cls.user = cls._create_portal_user(contact, "cpi.status.company")

        cases = [
            (move_type, state, due, payment)
            for move_type in MOVE_TYPES
            for due in DUE_DAYS
            for state, payments in (
                ("posted", PAYMENT_CASES),
                ("draft", ("not_paid",)),
                ("cancel", ("not_paid",)),
            )
            for payment in payments
        ]
        moves = cls.env["account.move"].create(
            [cls._document_values(move_type, due) for move_type, _s, due, _p in cases]
        )
        cls.case_of = {}
        by_case = defaultdict(lambda: cls.env["account.move"])
        for move, case in zip(moves, cases, strict=True):
            cls.case_of[move] = case
            by_case[case[1], case[3]] |= move
        posted = moves.filtered(lambda m: cls.case_of[m][1] != "draft")
        posted.action_post()
        by_case["cancel", "not_paid"].button_cancel()
        for move in by_case["posted", "partial"]:
            cls._pay(move, move.amount_total / 4)
        for move_type in MOVE_TYPES:
            cls._pay(
                (by_case["posted", "paid"] | by_case["posted", "in_payment"]).filtered(
                    lambda m, t=move_type: m.move_type == t
                )
            )
        reversed_moves = by_case["posted", "reversed"]
        reversed_moves._reverse_moves(
            [{"date": cls.today, "invoice_date": cls.today}] * len(reversed_moves),
            cancel=True,
        )
        cls.env.flush_all()
        for payment_state in ("in_payment", "blocked", "invoicing_legacy"):
            cls.env.cr.execute(
                SQL(
                    "UPDATE account_move SET payment_state = %s WHERE id IN %s",
                    payment_state,
                    tuple(by_case["posted", payment_state].ids),
                )
            )
        cls.env.invalidate_all()
        # every document of the customer the portal could list: those above
        # and the credit notes that reversed some of them
        cls.docs = cls.env["account.move"].search(
            [
                ("commercial_partner_id", "=", cls.customer.id),
                ("move_type", "in", MOVE_TYPES),
            ]
        )
        cls.shown = cls.docs.filtered(lambda m: m.state == "posted")

    @classmethod
    def _document_values(cls, move_type, due):
        return {
            "move_type": move_type,
            "partner_id": cls.customer.id,
            "invoice_date": cls.today - timedelta(days=30),
            "invoice_date_due": cls.today + timedelta(days=DUE_DAYS[due]),
            "invoice_line_ids": [
                Command.create({"name": "Service", "quantity": 1, "price_unit": 400.0})
            ],
        }

    @classmethod
    def _pay(cls, moves, amount=None):
        values = {"payment_date": cls.today - timedelta(days=1)}
        if amount is not None:
            values["amount"] = amount
        else:
            values["group_payment"] = False
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(values)
            ._create_payments()
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _status(self, move):
        """The computed status (what the badge reads): as the portal user for
        the documents it may read (posted ones)."""
        if move.state == "posted":
            move = move.with_user(self.user)
        return move.portal_status

    def _by_status(self, moves):
        result = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            result[self._status(move)] |= move
        return result

    def _list_rows(self, filterby):
        """``{number: data-status of its badge}`` of /my/invoices with the
        filter ``filterby``, every page."""
        rows = {}
        pages = max(1, math.ceil(len(self.shown) / ITEMS_PER_PAGE))
        for page in range(1, pages + 1):
            path = "/my/invoices" + (f"/page/{page}" if page > 1 else "")
            response = self.url_open(
                f"{path}?{urlencode({'filterby': filterby, 'sortby': 'date'})}"
            )
            self.assertEqual(response.status_code, 200, filterby)
            tree = html.fromstring(response.content)
            for row in tree.xpath("//table//tbody/tr[td[1]/a/@title]"):
                status = row.xpath(".//*[@data-status]/@data-status")
                rows[row.xpath("./td[1]/a/@title")[0]] = status[0] if status else None
        return rows

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------

    def test_fixture_covers_the_matrix(self):
        """Every type in every payment state (posted), with each due date,
        and drafts and cancelled documents of every type; the
        documents are in every status."""
        seen = {
            (move.move_type, move.state, move.payment_state)
            for move in self.docs
            if move in self.case_of
        }
        for move_type in MOVE_TYPES:
            for payment_state in PAYMENT_CASES:
                if payment_state == "reversed" and move_type.endswith("_refund"):
                    # Odoo reverses a credit note by an entry: it ends paid
                    continue
                self.assertIn((move_type, "posted", payment_state), seen)
            for state in ("draft", "cancel"):
                self.assertIn((move_type, state, "not_paid"), seen)
        self.assertEqual(
            set(self._by_status(self.shown)), set(STATUS_FILTERS), "every status"
        )

    def test_badge_is_the_status_domain(self):
        """The computed status of each document is the one status domain it
        matches (posted documents match exactly one, others none), and the
        search on the status selects the same documents."""
        Move = self.env["account.move"].with_user(self.user)
        scope = [("id", "in", self.docs.ids)]
        by_status = self._by_status(self.docs)
        for status in STATUS_FILTERS:
            matched = Move.search(scope + Move._portal_status_domain(status))
            self.assertEqual(matched, by_status[status], status)
            self.assertEqual(
                Move.search(scope + [("portal_status", "=", status)]), matched, status
            )
        self.assertEqual(by_status[False], self.docs - self.shown)
        for move in self.docs:
            move = move.with_user(self.user)
            if move.portal_status == "overdue":
                self.assertEqual(
                    move.portal_days_overdue, (self.today - move.invoice_date_due).days
                )
            else:
                self.assertEqual(move.portal_days_overdue, 0, move.name)

    def test_overdue_rule(self):
        """Overdue: a posted customer invoice or receipt, not or partially
        paid, past its due date; never a credit note nor a vendor document,
        never due today or later."""
        for move in self.docs:
            expected = (
                move.state == "posted"
                and move.move_type in ("out_invoice", "out_receipt")
                and move.payment_state in ("not_paid", "partial")
                and move.invoice_date_due < self.today
            )
            self.assertEqual(
                self._status(move) == "overdue", expected, self.case_of.get(move)
            )
        bills = self.shown.filtered(
            lambda m: (
                m.move_type in ("in_invoice", "in_receipt")
                and m.invoice_date_due < self.today
                and m.payment_state in ("not_paid", "partial")
            )
        )
        self.assertTrue(bills)
        for bill in bills:
            self.assertEqual(
                self._status(bill),
                "partial" if bill.payment_state == "partial" else "open",
            )

    def test_sql_sort_rank_is_the_status(self):
        """The CASE of the sort by status ranks each document by its status
        (statuses in their order, no status last)."""
        # the superuser's: drafts and cancelled documents too
        Move = self.env["account.move"]
        statuses = Move._portal_statuses()
        query = Move._search([("id", "in", self.docs.ids)])
        rank = Move._order_field_to_sql(
            query.table, "portal_status", SQL(), SQL(), query
        )
        self.env.cr.execute(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s",
                SQL.identifier(query.table, "id"),
                rank,
                query.from_clause,
                query.where_clause,
            )
        )
        ranks = dict(self.env.cr.fetchall())
        self.assertEqual(set(ranks), set(self.docs.ids))
        for move in self.docs:
            status = self._status(move)
            expected = statuses.index(status) if status else len(statuses)
            self.assertEqual(ranks[move.id], expected, self.case_of.get(move))
        ordered = Move.search([("id", "in", self.docs.ids)], order="portal_status, id")
        self.assertEqual(
            [ranks[move.id] for move in ordered],
            sorted(ranks[move.id] for move in ordered),
        )

    def test_overview_overdue_figure(self):
        """The overview's overdue documents are the overdue ones (badge),
        and its overdue balance (SQL) is their amount due."""
        Move = self.env["account.move"].with_user(self.user)
        overdue = self._by_status(self.docs)["overdue"]
        self.assertTrue(overdue)
        self.assertEqual(Move.search(Move._portal_overview_domain("overdue")), overdue)
        [overview] = Move._portal_account_overview()
        currency = overview["currency_id"]
        self.assertEqual(currency, self.company.currency_id)
        self.assertEqual(
            currency.compare_amounts(
                overview["overdue_balance"], sum(overdue.mapped("amount_residual"))
            ),
            0,
        )

    def test_list_badges_and_filters(self):
        """/my/invoices lists every posted document once with the badge of
        its status, no draft nor cancelled one, and each status filter lists
        exactly the documents whose badge says that status."""
        self.authenticate(self.user.login, self.user.login)
        rows = self._list_rows("all")
        self.assertEqual(set(rows), set(self.shown.mapped("name")))
        for move in self.shown:
            self.assertEqual(rows[move.name], self._status(move), move.name)
        by_status = self._by_status(self.shown)
        for status, filterby in STATUS_FILTERS.items():
            self.assertEqual(
                set(self._list_rows(filterby)),
                set(by_status[status].mapped("name")),
                filterby,
            )
        # the Make a Payment page's name of the overdue filter
        self.assertEqual(
            set(self._list_rows("overdue")), set(by_status["overdue"].mapped("name"))
        )

    def test_queried_is_a_flag_over_the_status(self):
        """ "Queried" (an open query, customer_portal_invoices) is a flag
        beside the status, from the same definition: each document keeps its
        status (badge, filters, overview, sort); the Queried filter lists
        exactly the documents with the flag, whose rows show both badges."""
        Move = self.env["account.move"].with_user(self.user)
        queryable = self.shown.filtered(
            lambda m: (
                m.move_type in ("out_invoice", "out_receipt")
                and m.payment_state in ("not_paid", "partial")
            )
        )
        self.assertEqual(
            set(self._by_status(queryable)), {"open", "partial", "overdue"}
        )
        statuses = {move: self._status(move) for move in self.docs}
        [overview] = Move._portal_account_overview()
        reason = self.env.ref("customer_portal_invoices.query_reason_other")
        self.env["account.move.query"].create(
            [
                {
                    "move_id": move.id,
                    "partner_id": self.user.partner_id.id,
                    "reason_id": reason.id,
                    "message": "Query",
                }
                for move in queryable
            ]
        )
        self.env.invalidate_all()
        self.assertEqual({move: self._status(move) for move in self.docs}, statuses)
        self.assertNotIn("queried", Move._portal_statuses())
        scope = [("id", "in", self.docs.ids)]
        self.assertEqual(
            Move.search(scope + Move._portal_status_domain("queried")), queryable
        )
        [after] = Move._portal_account_overview()
        self.assertEqual(after.pop("queried_count"), len(queryable))
        overview.pop("queried_count")
        self.assertEqual(after, overview)
        self.authenticate(self.user.login, self.user.login)
        self.assertEqual(
            set(self._list_rows("status_queried")), set(queryable.mapped("name"))
        )
        for move, status in self._list_rows("all").items():
            self.assertEqual(
                status,
                statuses[self.docs.filtered(lambda m, n=move: m.name == n)],
                move,
            )
        response = self.url_open("/my/invoices?filterby=status_queried")
        tree = html.fromstring(response.content)
        self.assertEqual(
            len(tree.xpath("//table//tbody//*[@data-status='queried']")),
            len(queryable),
        )

    def test_status_of_a_grouping_document(self):
        """A document standing for others (a multi-site parent invoice) with
        a payment state and a due date has the status of a customer invoice
        with them."""
        Move = self.env["account.move"].with_user(self.user)
        invoices = self.shown.filtered(
            lambda m: m.move_type == "out_invoice" and m in self.case_of
        )
        for move in invoices:
            self.assertEqual(
                Move._portal_status_of(move.payment_state, move.invoice_date_due),
                (move.with_user(self.user).portal_status, move.portal_days_overdue),
                self.case_of[move],
            )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_portal import PortalInvoicesCommon

STATUS_RANK = ["overdue", "partial", "open", "in_payment", "paid", "reversed"]


@tagged("post_install", "-at_install")
class TestPortalStatus(PortalInvoicesCommon):
    """portal_status / portal_days_overdue and their search and sort on
    stored fields."""

    def expected_statuses(self):
        return {
            self.inv_open: "open",
            self.inv_overdue: "overdue",
            self.inv_partial: "partial",
            self.inv_partial_overdue: "overdue",
            self.inv_paid: "paid",
            self.inv_in_payment: "in_payment",
            self.inv_reversed: "reversed",
            self.refund_of_reversed: "paid",
            self.refund_open: "open",
            self.inv_own: "open",
            self.inv_eur_partial: "partial",
            self.inv_eur_overdue: "overdue",
        }

    def test_fixture_states(self):
        """The fixture covers every payment state it claims."""
        self.assertEqual(self.inv_partial.payment_state, "partial")
        self.assertEqual(self.inv_partial_overdue.payment_state, "partial")
        self.assertEqual(self.inv_eur_partial.payment_state, "partial")
        self.assertEqual(self.inv_paid.payment_state, "paid")
        self.assertEqual(self.inv_reversed.payment_state, "reversed")
        self.assertEqual(self.refund_open.payment_state, "not_paid")
        self.assertEqual(self.inv_eur_partial.currency_id, self.eur)
        self.assertEqual(self.inv_eur_partial.amount_residual, 400.0)

    def test_status_of_every_document(self):
        for move, status in self.expected_statuses().items():
            self.assertEqual(move.portal_status, status, move.name)

    def test_days_overdue(self):
        self.assertEqual(self.inv_overdue.portal_days_overdue, 15)
        self.assertEqual(self.inv_partial_overdue.portal_days_overdue, 40)
        self.assertEqual(self.inv_eur_overdue.portal_days_overdue, 5)
        # paid late or not yet due: not overdue
        for move in (self.inv_paid, self.inv_open, self.inv_partial, self.refund_open):
            self.assertEqual(move.portal_days_overdue, 0, move.name)

    def test_search_matches_status(self):
        """The search domain (stored fields) selects exactly the documents
        whose computed status matches, for every operator."""
        Move = self.env["account.move"]
        docs = self.customer_docs
        scope = [("id", "in", docs.ids)]
        for status in STATUS_RANK:
            expected = docs.filtered(lambda m, s=status: m.portal_status == s)
            self.assertEqual(
                Move.search(scope + [("portal_status", "=", status)]), expected, status
            )
            self.assertEqual(
                Move.search(scope + [("portal_status", "!=", status)]),
                docs - expected,
                status,
            )
        pair = ["overdue", "partial"]
        expected = docs.filtered(lambda m: m.portal_status in pair)
        self.assertEqual(Move.search(scope + [("portal_status", "in", pair)]), expected)
        self.assertEqual(
            Move.search(scope + [("portal_status", "not in", pair)]), docs - expected
        )
        # every status is represented in the fixture
        self.assertEqual(set(docs.mapped("portal_status")), set(STATUS_RANK))

    def test_sort_by_status_is_one_paginated_query(self):
        Move = self.env["account.move"]
        domain = [("id", "in", self.customer_docs.ids)]
        order = "portal_status, invoice_date_due, id desc"
        ordered = Move.search(domain, order=order)
        ranks = [STATUS_RANK.index(m.portal_status) for m in ordered]
        self.assertEqual(ranks, sorted(ranks))
        self.assertEqual(
            ordered[:3],
            self.inv_partial_overdue | self.inv_overdue | self.inv_eur_overdue,
        )
        self.assertEqual(
            Move.search(domain, order="portal_status desc, id")[0], self.inv_reversed
        )
        self.env.flush_all()
        with self.assertQueryCount(1):
            page = Move.search(domain, order=order, limit=4, offset=3)
        self.assertEqual(page, ordered[3:7])

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from lxml import html

from odoo import fields
from odoo.tests import tagged

from .common_portal import PortalInvoicesCommon

STATUS_RANK = ["overdue", "partial", "open", "in_payment", "paid", "reversed"]


@tagged("post_install", "-at_install")
class TestPortalMyInvoices(PortalInvoicesCommon):
    """/my/invoices: status badges, filters, search, sort and invoice-date
    range, company-wide as the record rules allow."""

    def setUp(self):
        super().setUp()
        self.authenticate("cpi.portal.company", "cpi.portal.company")

    def _rows(self, **params):
        response = self.url_open("/my/invoices?" + urlencode(params))
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        return [
            (
                row.xpath("./td[1]/a/@title")[0],
                (row.xpath(".//*[@data-status]/@data-status") or [None])[0],
                " ".join(row.xpath("string(.//*[@data-status])").split()),
            )
            for row in tree.xpath("//table//tbody/tr[td[1]/a/@title]")
        ]

    def _names(self, **params):
        return {name for name, _status, _text in self._rows(**params)}

    def test_all_documents_company_wide(self):
        self.assertEqual(self._names(), set(self.customer_docs.mapped("name")))
        self.assertNotIn(self.inv_other.name, self._names(filterby="all"))

    def test_own_contact_sees_own_documents(self):
        """The list relies on the record rules: an "own" contact lists only
        the documents addressed to it."""
        self.authenticate("cpi.portal.own", "cpi.portal.own")
        self.assertEqual(self._names(), {self.inv_own.name})
        self.assertEqual(self._names(filterby="overdue_invoices"), set())

    def test_badges(self):
        rows = {name: (status, text) for name, status, text in self._rows()}
        for move in self.customer_docs:
            self.assertEqual(rows[move.name][0], move.portal_status, move.name)
        self.assertEqual(rows[self.inv_partial_overdue.name][1], "Overdue (40 days)")
        self.assertEqual(rows[self.inv_partial.name][1], "Partially paid")
        self.assertEqual(rows[self.inv_in_payment.name][1], "In payment")
        self.assertEqual(rows[self.inv_reversed.name][1], "Reversed")
        self.assertEqual(rows[self.inv_paid.name][1], "Paid")
        self.assertEqual(rows[self.inv_open.name][1], "Open")

    def test_status_and_type_filters(self):
        expected = {
            # addressed to the company, not to the user's contact: stock
            # Odoo's overdue filter would list none of them
            "overdue_invoices": self.inv_overdue
            | self.inv_partial_overdue
            | self.inv_eur_overdue,
            "status_partial": self.inv_partial | self.inv_eur_partial,
            "status_open": self.inv_open | self.refund_open | self.inv_own,
            "status_in_payment": self.inv_in_payment,
            "status_paid": self.inv_paid | self.refund_of_reversed,
            "status_reversed": self.inv_reversed,
            "type_out_refund": self.refund_open | self.refund_of_reversed,
            "type_out_invoice": self.customer_docs.filtered(
                lambda m: m.move_type == "out_invoice"
            ),
        }
        for filterby, moves in expected.items():
            self.assertEqual(
                self._names(filterby=filterby), set(moves.mapped("name")), filterby
            )

    def test_filters_are_domains(self):
        """The status filters select with a domain on stored fields, so the
        pager counts them in SQL."""
        response = self.url_open("/my/invoices?filterby=overdue_invoices")
        self.assertEqual(response.status_code, 200)
        filters = self.env["account.move"]._portal_status_domain("overdue")
        self.assertTrue(all(isinstance(term, tuple | list | str) for term in filters))
        fnames = {term[0] for term in filters if not isinstance(term, str)}
        self.assertTrue(
            all(self.env["account.move"]._fields[f].store for f in fnames), fnames
        )

    def test_search(self):
        self.assertEqual(
            self._names(search="PO-OPEN-7781", search_in="ref"), {self.inv_open.name}
        )
        self.assertEqual(
            self._names(search="rf-overdue", search_in="payment_reference"),
            {self.inv_overdue.name},
        )
        self.assertEqual(
            self._names(search=self.inv_paid.name, search_in="name"),
            {self.inv_paid.name},
        )
        self.assertEqual(
            self._names(search="PO-OPEN", search_in="all"), {self.inv_open.name}
        )
        self.assertEqual(self._names(search="PO-OPEN", search_in="name"), set())
        # an unknown field searches everywhere, no error
        self.assertEqual(
            self._names(search="PO-OPEN", search_in="password"), {self.inv_open.name}
        )
        # combined with a status filter
        self.assertEqual(
            self._names(search="RF-OVERDUE", filterby="status_paid"), set()
        )

    def test_sortings(self):
        """Each sort of the menu sorts on a column the list shows, as shown
        (credit notes negative); unknown keys fall back to the defaults."""
        response = self.url_open("/my/invoices")
        tree = html.fromstring(response.content)
        headers = [
            " ".join(th.text_content().split()) for th in tree.xpath("//thead//th")
        ]
        sorts = {
            " ".join(a.text_content().split()): parse_qs(urlsplit(a.get("href")).query)[
                "sortby"
            ][0]
            for a in tree.xpath(
                "//div[@aria-labelledby='portal_searchbar_sortby']/a[@href]"
            )
        }
        column_of = {
            "date": "Invoice Date",
            "duedate": "Due Date",
            "name": "Invoice #",
            "state": "Status",
            "amount": "Total",
            "amount_due": "Amount Due",
        }
        self.assertEqual(set(sorts.values()), set(column_of))
        for sortby, column in column_of.items():
            self.assertIn(column, headers, sortby)
        keys = {
            "date": lambda m: m.invoice_date,
            "duedate": lambda m: m.invoice_date_due,
            "name": lambda m: m.name,
            "amount": lambda m: m.portal_amount_total,
            "amount_due": lambda m: m.portal_amount_due,
        }
        by_name = {move.name: move for move in self.customer_docs}
        for sortby, key in keys.items():
            with self.subTest(sortby=sortby):
                names = [name for name, _s, _t in self._rows(sortby=sortby)]
                values = [key(by_name[name]) for name in names]
                self.assertEqual(values, sorted(values, reverse=True))
                self.assertEqual(len(names), len(self.customer_docs))
        statuses = [status for _n, status, _t in self._rows(sortby="state")]
        ranks = [STATUS_RANK.index(status) for status in statuses]
        self.assertEqual(ranks, sorted(ranks))
        # the amounts as shown: a credit note sorts below every invoice
        names = [name for name, _s, _t in self._rows(sortby="amount")]
        self.assertEqual(names[-1], self.refund_of_reversed.name)
        # unknown keys fall back to the defaults
        self.assertEqual(
            len(self._rows(sortby="nope", filterby="nope")), len(self.customer_docs)
        )

    def test_invoice_date_range(self):
        begin = fields.Date.to_string(self.today - timedelta(days=55))
        end = fields.Date.to_string(self.today - timedelta(days=40))
        # inv_partial_overdue is dated 50 days ago, inv_reversed 70 days ago
        self.assertEqual(
            self._names(date_begin=begin, date_end=end),
            {self.inv_partial_overdue.name},
        )
        self.assertEqual(
            self._names(date_end=end),
            {self.inv_partial_overdue.name, self.inv_reversed.name},
        )
        self.assertNotIn(self.inv_reversed.name, self._names(date_begin=begin))
        # invalid dates are ignored
        self.assertEqual(
            self._names(date_begin="2024-13-45", date_end="yesterday"),
            set(self.customer_docs.mapped("name")),
        )
        # the pager keeps the range and the search
        response = self.url_open(
            "/my/invoices?"
            + urlencode({"date_begin": begin, "date_end": end, "search": "x"})
        )
        self.assertIn(f'value="{begin}"', response.text)

    def test_download_link_and_setting(self):
        response = self.url_open(self.inv_open.get_portal_url())
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        (link,) = tree.xpath("//a[contains(@class, 'o_download_btn')]/@href")
        self.assertIn("report_type=pdf", link)
        self.assertEqual(tree.xpath("//*[@data-status]/@data-status")[0], "open")
        pdf = self.url_open(link)
        self.assertEqual(pdf.status_code, 200)
        self.assertIn(".pdf", pdf.headers.get("Content-Disposition", ""))
        self.env.company.portal_invoice_allow_download = False
        response = self.url_open(self.inv_open.get_portal_url())
        tree = html.fromstring(response.content)
        self.assertFalse(tree.xpath("//a[contains(@class, 'o_download_btn')]"))
        refused = self.url_open(link)
        self.assertNotIn(".pdf", refused.headers.get("Content-Disposition", ""))

    def test_other_customer_invoice_unreachable(self):
        response = self.url_open(f"/my/invoices/{self.inv_other.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        response = self.url_open(
            f"/my/invoices/{self.inv_other.id}?report_type=pdf&download=true"
        )
        self.assertNotIn(".pdf", response.headers.get("Content-Disposition", ""))

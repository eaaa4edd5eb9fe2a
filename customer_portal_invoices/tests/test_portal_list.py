# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import parse_qs, urlencode, urlsplit

from lxml import html

from odoo.tests import tagged

from .common import portal_home_text
from .common_portal import PortalInvoicesCommon


def _text(node):
    return " ".join(node.text_content().split())


@tagged("post_install", "-at_install")
class TestPortalInvoiceList(PortalInvoicesCommon):
    """My Invoices as a customer reads it: one short filter menu, Total
    beside Amount Due, empty states that say why, nothing invoice-related
    for a contact without invoice access, no pro-forma of a posted invoice,
    no "Salesperson: OdooBot"."""

    def setUp(self):
        super().setUp()
        self.authenticate("cpi.portal.company", "cpi.portal.company")

    def _tree(self, url):
        if url == "/my":
            # as shown once its script has asked the account overview
            return html.fromstring(portal_home_text(self))
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.content)

    def _menu(self, **params):
        """[(filterby, label, active)] of the filter menu."""
        tree = self._tree("/my/invoices?" + urlencode(params))
        return [
            (
                parse_qs(urlsplit(a.get("href")).query)["filterby"][0],
                _text(a),
                "active" in a.get("class").split(),
            )
            for a in tree.xpath(
                "//div[@aria-labelledby='portal_searchbar_filters']/a[@href]"
            )
        ]

    def _listed(self, **params):
        tree = self._tree("/my/invoices?" + urlencode(params))
        names = set(tree.xpath("//table//tbody/tr/td[1]/a/@title"))
        return self.env["account.move"].search([("name", "in", list(names))])

    def test_filter_menu(self):
        """One short menu, statuses then document types, no two entries
        alike; each entry lists what it says."""
        menu = self._menu()
        keys = [key for key, _label, _active in menu]
        labels = [label for _key, label, _active in menu]
        expected = [
            "all",
            "open_customer",
            "overdue_invoices",
            "status_queried",
            "status_in_payment",
            "status_paid",
            "type_out_invoice",
            "type_out_refund",
            # the company shows vendor bills (default): customer documents
            # or vendor bills
            "invoices",
            "bills",
        ]
        self.assertEqual(keys[: len(expected)], expected)
        self.assertEqual(
            labels[: len(expected)],
            [
                "All",
                "Unpaid",
                "Overdue",
                "Queried",
                "In payment",
                "Paid",
                "Invoices",
                "Credit notes",
                "Customer documents",
                "Vendor bills",
            ],
        )
        # other addons may add theirs (sites), never a second of a label
        self.assertEqual(len(labels), len(set(labels)), labels)
        self.assertEqual([key for key, _l, active in menu if active], ["all"])
        invoices = self.customer_docs.filtered(lambda m: m.move_type == "out_invoice")
        lists = {
            "all": self.customer_docs,
            "open_customer": self.inv_open
            | self.inv_overdue
            | self.inv_partial
            | self.inv_partial_overdue
            | self.inv_own
            | self.inv_eur_partial
            | self.inv_eur_overdue,
            "overdue_invoices": self.inv_overdue
            | self.inv_partial_overdue
            | self.inv_eur_overdue,
            # nothing queried here (see test_invoice_query)
            "status_queried": self.env["account.move"],
            "status_in_payment": self.inv_in_payment,
            "status_paid": self.inv_paid | self.refund_of_reversed,
            "type_out_invoice": invoices,
            "type_out_refund": self.refund_open | self.refund_of_reversed,
            "invoices": self.customer_docs,
            "bills": self.env["account.move"],
        }
        for key, moves in lists.items():
            with self.subTest(filterby=key):
                self.assertEqual(self._listed(filterby=key), moves)
                active = [k for k, _l, a in self._menu(filterby=key) if a]
                self.assertEqual(active, [key])

    def test_filter_keys_other_pages_use(self):
        """Keys off the menu still filter, and show as the active entry:
        payment_allocation's "overdue", the stock portal home's "invoices",
        older status links; an unknown key lists everything."""
        overdue = self.inv_overdue | self.inv_partial_overdue | self.inv_eur_overdue
        self.assertEqual(self._listed(filterby="overdue"), overdue)
        menu = self._menu(filterby="overdue")
        self.assertEqual([k for k, _l, a in menu if a], ["overdue_invoices"])
        self.assertEqual([label for _k, label, _a in menu].count("Overdue"), 1)
        self.assertEqual(
            self._listed(filterby="status_open"),
            self.inv_open | self.refund_open | self.inv_own,
        )
        menu = self._menu(filterby="status_open")
        self.assertEqual([(k, a) for k, _l, a in menu if a], [("status_open", True)])
        self.assertNotIn("status_open", [k for k, _l, _a in self._menu()])
        for unknown in ("nope", "site_0", ""):
            self.assertEqual(self._listed(filterby=unknown), self.customer_docs)
        # without vendor bills on the portal, "invoices" and "bills" leave the
        # menu (they still filter)
        self.env.company.portal_invoice_show_vendor_bills = False
        keys = [k for k, _l, _a in self._menu()]
        self.assertNotIn("bills", keys)
        self.assertNotIn("invoices", keys)
        self.assertEqual(self._listed(filterby="invoices"), self.customer_docs)

    def test_total_and_amount_due_columns(self):
        tree = self._tree("/my/invoices")
        headers = [_text(th) for th in tree.xpath("//thead//th")]
        self.assertEqual(
            headers[headers.index("Total") + 1], "Amount Due", "Total beside due"
        )
        rows = {
            row.xpath("./td[1]/a/@title")[0]: (
                _text(row.xpath("./td[@name='invoice_total']")[0]),
                _text(row.xpath("./td[@name='amount_due']")[0]),
            )
            for row in tree.xpath("//table//tbody/tr[td[1]/a/@title]")
        }
        total, due = rows[self.inv_partial.name]
        self.assertIn("300.00", total)
        self.assertIn("180.00", due)
        total, due = rows[self.refund_open.name]
        self.assertIn("-", total)
        self.assertIn("70.00", total)
        total, due = rows[self.inv_eur_partial.name]
        self.assertIn("€", total)
        self.assertIn("400.00", due)

    def test_empty_states(self):
        tree = self._tree("/my/invoices?search=NO-SUCH-REFERENCE")
        (alert,) = tree.xpath("//p[contains(@class, 'o_portal_invoices_empty')]")
        self.assertIn("No documents match these filters.", _text(alert))
        self.assertEqual(alert.xpath(".//a/@href"), ["/my/invoices"])
        customer = self.env["res.partner"].create(
            {"name": "New Customer", "is_company": True}
        )
        self._create_portal_user(
            self._create_contact(customer, "Nils New", "company"), "cpi.portal.new"
        )
        self.authenticate("cpi.portal.new", "cpi.portal.new")
        tree = self._tree("/my/invoices")
        (alert,) = tree.xpath("//p[contains(@class, 'o_portal_invoices_empty')]")
        self.assertEqual(_text(alert), "There are no invoices for your account yet.")
        self.assertNotIn("payments", tree.text_content())

    def test_contact_without_invoice_access(self):
        """ "none": on /my no invoice entry, overview nor statement; on
        /my/invoices one line instead of an empty list, and nothing to
        filter or pay."""
        tree = self._tree("/my")
        self.assertTrue(tree.xpath("//a[@href='/my/invoices?filterby=invoices']"))
        self.authenticate("cpi.portal.none", "cpi.portal.none")
        tree = self._tree("/my")
        # entries of a counter stay hidden (d-none) while it is 0
        shown = (
            "[not(ancestor-or-self::*[contains(concat(' ', @class, ' '), ' d-none ')])]"
        )
        self.assertFalse(tree.xpath("//a[starts-with(@href, '/my/invoices')]" + shown))
        self.assertFalse(
            tree.xpath("//*[contains(@class, 'o_portal_account_overview')]")
        )
        self.assertFalse(tree.xpath("//a[starts-with(@href, '/my/statement')]"))
        tree = self._tree("/my/invoices")
        (alert,) = tree.xpath("//p[contains(@class, 'o_portal_invoice_access_denied')]")
        self.assertIn("no access to invoices", _text(alert))
        self.assertFalse(tree.xpath("//p[contains(@class, 'o_portal_invoices_empty')]"))
        self.assertFalse(tree.xpath("//*[contains(@class, 'o_portal_invoice_list')]"))
        self.assertFalse(tree.xpath("//*[@id='portal_searchbar_filters']"))
        self.assertFalse(
            tree.xpath("//*[contains(@class, 'o_portal_account_overview')]")
        )
        # no payment button of any addon (payment_allocation's Make a Payment)
        self.assertFalse(tree.xpath("//a[starts-with(@href, '/my/invoices/pay')]"))

    def test_salesperson_card(self):
        def salesperson_card(invoice):
            tree = self._tree(invoice.get_portal_url())
            return tree.xpath(
                "//div[contains(@class, 'o_portal_invoice_sidebar')]"
                "//h6[contains(., 'Salesperson')]"
            )

        self.assertTrue(self.inv_open.invoice_user_id)
        self.assertTrue(salesperson_card(self.inv_open))
        self.inv_open.invoice_user_id = self.env.ref("base.user_root")
        self.assertFalse(salesperson_card(self.inv_open))

    def test_posted_invoice_never_proforma(self):
        """A posted invoice whose official PDF was never generated: its page
        and its PDF (inline and downloaded) show an invoice, no pro-forma."""
        invoice = self.inv_open
        self.assertFalse(invoice.invoice_pdf_report_id)
        for params in (
            {"report_type": "html"},
            {"report_type": "pdf"},
            {"report_type": "pdf", "download": True},
        ):
            with self.subTest(**params):
                response = self.url_open(invoice.get_portal_url(**params))
                self.assertEqual(response.status_code, 200)
                # the test runner renders PDF reports as HTML
                self.assertIn(invoice.name, response.text)
                self.assertIn("Invoice", response.text)
                self.assertNotIn("PROFORMA", response.text)
        response = self.url_open(
            invoice.get_portal_url(report_type="pdf", download=True)
        )
        self.assertNotIn("proforma", response.headers.get("Content-Disposition", ""))
        # once generated, the official PDF is what the download gives
        self.env["account.move.send"]._generate_and_send_invoices(
            invoice, sending_methods=["manual"]
        )
        self.assertTrue(invoice.invoice_pdf_report_id)
        response = self.url_open(
            invoice.get_portal_url(report_type="pdf", download=True)
        )
        self.assertEqual(response.content, invoice.invoice_pdf_report_id.raw)
        # the download setting still applies
        self.env.company.portal_invoice_allow_download = False
        self.inv_overdue.invalidate_recordset()
        response = self.url_open(
            self.inv_overdue.get_portal_url(report_type="pdf", download=True)
        )
        self.assertNotIn(".pdf", response.headers.get("Content-Disposition", ""))

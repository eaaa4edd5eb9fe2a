# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_statement import StatementCommon


@tagged("post_install", "-at_install")
class TestInvoiceViewed(StatementCommon):
    """First and last portal view of a document, by portal users only."""

    def _open(self, login, invoice, **kwargs):
        self.authenticate(login, login)
        response = self.url_open(invoice.get_portal_url(**kwargs), **self._ua())
        self.assertEqual(response.status_code, 200)
        invoice.invalidate_recordset()
        return response

    def _ua(self, agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
        return {"headers": {"User-Agent": agent}}

    def _view_messages(self, invoice):
        return invoice.message_ids.filtered(
            lambda m: "Viewed on the portal" in (m.body or "")
        )

    def test_first_and_last_view(self):
        invoice = self.inv4
        self.assertFalse(invoice.portal_viewed)
        self.assertIn(
            invoice, self.env["account.move"].search([("portal_viewed", "=", False)])
        )
        self._open("cpi.st.own", invoice)
        self.assertTrue(invoice.portal_viewed)
        self.assertEqual(invoice.portal_first_viewer_id, self.contact_own)
        self.assertEqual(invoice.portal_last_viewer_id, self.contact_own)
        first = invoice.portal_first_view_date
        self.assertTrue(first)
        self.assertEqual(invoice.portal_last_view_date, first)
        self.assertEqual(len(self._view_messages(invoice)), 1)
        self.assertTrue(self._view_messages(invoice).subtype_id.internal)
        self.assertNotIn(
            invoice, self.env["account.move"].search([("portal_viewed", "=", False)])
        )
        self.assertIn(
            invoice, self.env["account.move"].search([("portal_viewed", "=", True)])
        )
        # a reload by the same viewer writes nothing
        write_date = invoice.write_date
        self._open("cpi.st.own", invoice)
        self.assertEqual(invoice.write_date, write_date)
        self.assertEqual(invoice.portal_last_view_date, first)
        # another viewer: the last view changes, the first stays, no new log
        self._open("cpi.st.company", invoice)
        self.assertEqual(invoice.portal_first_viewer_id, self.contact_own)
        self.assertEqual(invoice.portal_first_view_date, first)
        self.assertEqual(invoice.portal_last_viewer_id, self.contact_company)
        self.assertEqual(len(self._view_messages(invoice)), 1)

    def test_no_view_recorded(self):
        """The back office, a bot, and the PDF are no portal views."""
        invoice = self.inv3
        self.assertFalse(invoice._portal_register_view(self.env.user))
        self.assertFalse(
            invoice._portal_register_view(self.env.ref("base.public_user").sudo())
        )
        self.authenticate("cpi.st.company", "cpi.st.company")
        self.url_open(
            invoice.get_portal_url(),
            **self._ua("Mozilla/5.0 (compatible; Googlebot/2.1)"),
        )
        self.url_open(invoice.get_portal_url(report_type="pdf"), **self._ua())
        invoice.invalidate_recordset()
        self.assertFalse(invoice.portal_viewed)
        self.assertFalse(invoice.portal_first_viewer_id)
        self.assertFalse(self._view_messages(invoice))

    def test_share_link_of_another_reader(self):
        """A share link opened by a contact the record rules do not let read
        the document (another customer's, or a HEAD of a link checker)
        records no view and names nobody on the document."""
        invoice = self.inv3
        # get_portal_url(): the page with the document's share token
        self._open("cpi.st.other", invoice)
        self.assertFalse(invoice.portal_viewed)
        self.assertFalse(invoice.portal_first_viewer_id)
        self.assertFalse(self._view_messages(invoice))
        self.authenticate("cpi.st.company", "cpi.st.company")
        response = self.opener.head(
            self.base_url() + invoice.get_portal_url(), **self._ua()
        )
        self.assertEqual(response.status_code, 200)
        invoice.invalidate_recordset()
        self.assertFalse(invoice.portal_viewed)
        # the contact's own GET is a view
        self._open("cpi.st.company", invoice)
        self.assertEqual(invoice.portal_first_viewer_id, self.contact_company)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.tests import tagged

from .common import JsonRpcMixin
from .common_statement import StatementCommon


@tagged("post_install", "-at_install")
class TestPortalNotifications(JsonRpcMixin, StatementCommon):
    """E-mails to the responsible on portal activity, each on or off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.salesperson = cls.env["res.users"].create(
            {
                "name": "Sally Sales",
                "login": "cpi.sally",
                "email": "sally@example.com",
                "groups_id": [(6, 0, cls.env.ref("account.group_account_invoice").ids)],
            }
        )
        cls.inv3.invoice_user_id = cls.salesperson
        cls.customer.user_id = cls.salesperson

    def _mails(self, subject_part):
        return self.env["mail.mail"].sudo().search([("subject", "ilike", subject_part)])

    def _post_comment(self, body):
        self.authenticate("cpi.st.company", "cpi.st.company")
        return self._rpc(
            "/mail/message/post",
            {
                "thread_model": "account.move",
                "thread_id": self.inv3.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )

    def test_comment(self):
        # off: nothing sent
        self.assertNotIn("error", self._post_comment("First question"))
        self.assertFalse(self._mails("commented"))
        self.company.portal_notify_comment = True
        self.assertNotIn("error", self._post_comment("Why this amount?"))
        mail = self._mails("commented")
        self.assertEqual(len(mail), 1)
        self.assertIn("Stella Company", mail.subject)
        self.assertIn(self.inv3.name, mail.subject)
        self.assertIn("sally@example.com", mail.email_to)
        self.assertIn("Why this amount?", str(mail.body_html))
        # a back-office message is no customer activity
        self.inv3.message_post(
            body="Answer", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(len(self._mails("commented")), 1)

    def test_billing_address(self):
        self.company.write(
            {
                "portal_notify_comment": True,
                "portal_notify_email": "billing@example.com",
            }
        )
        self._post_comment("Please call me")
        mail = self._mails("commented")
        self.assertEqual(mail.email_to, "billing@example.com")

    def test_payment(self):
        invoices = self.inv3 | self.inv5
        self.assertFalse(
            invoices._portal_notify_payment(450.0, self.usd, self.contact_company)
        )
        self.company.portal_notify_payment = True
        self.inv5.invoice_user_id = self.salesperson
        mails = invoices.with_user(self.user_company)._portal_notify_payment(
            450.0, self.usd, self.contact_company
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("Stella Company paid", mails.subject)
        self.assertIn("450.00", mails.subject)
        self.assertIn(self.inv3.name, str(mails.body_html))
        self.assertIn(self.inv5.name, str(mails.body_html))
        self.assertEqual(mails.email_to, self.salesperson.email_formatted)

    def test_details_change(self):
        contact = self.contact_company.with_user(self.user_company)
        self.company.portal_notify_details = True
        self.assertFalse(
            contact._portal_notify_details_change({"email": contact.email})
        )
        mail = contact._portal_notify_details_change(
            {"email": contact.email, "city": "Springfield", "phone": "555 0199"}
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Stella Company", mail.subject)
        self.assertIn("City", str(mail.body_html))
        self.assertIn("Phone", str(mail.body_html))
        self.assertNotIn("Email", str(mail.body_html))
        self.assertEqual(mail.email_to, self.salesperson.email_formatted)
        self.company.portal_notify_details = False
        self.assertFalse(contact._portal_notify_details_change({"city": "Shelbyville"}))

    def test_details_change_on_portal(self):
        """The portal's "My details" form tells the salesperson."""
        self.company.portal_notify_details = True
        self.authenticate("cpi.st.company", "cpi.st.company")
        response = self.url_open(
            "/my/account",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "name": "Stella Company",
                "email": self.contact_company.email,
                "phone": "555 0142",
                "street": "1 Harbour Street",
                "city": "Portsmouth",
                "zipcode": "12345",
                "country_id": self.env.ref("base.us").id,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.contact_company.city, "Portsmouth")
        mail = self._mails("changed their details")
        self.assertEqual(len(mail), 1)
        self.assertIn("City", str(mail.body_html))
        self.assertEqual(mail.email_to, self.salesperson.email_formatted)

    def test_back_office_messages_on_portal(self):
        """Internal notes stay internal; messages sent to the customer are
        shown on the portal."""
        self.inv3.message_post(
            body="Internal: customer is slow to pay",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.inv3.message_post(
            body="Reply: the amount includes freight",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.authenticate("cpi.st.company", "cpi.st.company")
        result = self._rpc(
            "/mail/chatter_fetch",
            {"thread_model": "account.move", "thread_id": self.inv3.id},
        )["result"]
        bodies = " ".join(
            str(message["body"]) for message in result["data"]["mail.message"]
        )
        self.assertIn("the amount includes freight", bodies)
        self.assertNotIn("slow to pay", bodies)

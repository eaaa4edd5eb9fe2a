# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, http
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import JsonRpcMixin

REFUSED = "Comments on invoices are turned off on the portal."


@tagged("post_install", "-at_install")
class TestCommentSetting(JsonRpcMixin, AccountTestInvoicingHttpCommon):
    """The company setting portal_invoice_allow_comment: portal users post on
    their invoices through the real chatter routes only while it is on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.company_data["company"]
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Comment Customer", "is_company": True, "email": "cc@example.com"}
        )
        cls.contact = Partner.create(
            {
                "name": "Comment Contact",
                "parent_id": cls.customer.id,
                "email": "comment.contact@example.com",
                "portal_invoice_access": "company",
            }
        )
        cls.portal_user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": "cpi.comment",
                    "password": "cpi.comment",
                    "partner_id": cls.contact.id,
                    "company_id": cls.company.id,
                    "company_ids": [Command.set(cls.company.ids)],
                    "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
                }
            )
        )
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.customer, amounts=[100.0], post=True
        )
        cls.invoice.message_post(
            body="Message from the accountant",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def setUp(self):
        super().setUp()
        self.authenticate("cpi.comment", "cpi.comment")

    def _comments(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", self.invoice.id),
                ("message_type", "=", "comment"),
            ]
        )

    def _post(self, body, **post_data):
        return self._rpc(
            "/mail/message/post",
            {
                "thread_model": "account.move",
                "thread_id": self.invoice.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    **post_data,
                },
            },
        )

    def _upload(self):
        return self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": self.invoice.id,
                "thread_model": "account.move",
                "is_pending": True,
            },
            files={"ufile": ("question.txt", b"Why this amount?", "text/plain")},
        )

    def test_comment_on_posts_a_message(self):
        before = self._comments()
        result = self._post("Could you send the delivery note?")
        self.assertNotIn("error", result)
        message = self._comments() - before
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.contact)
        self.assertIn("delivery note", str(message.body))
        self.assertEqual(self._upload().status_code, 200)
        page = self.url_open(self.invoice.get_portal_url()).text
        self.assertIn('data-allow_composer="1"', page)

    def test_comment_off_refuses_posting(self):
        self.company.portal_invoice_allow_comment = False
        before = self._comments()
        attachments_before = self.env["ir.attachment"].search_count([])
        with mute_logger("odoo.http"):
            result = self._post("Could you send the delivery note?")
            # Another message type changes nothing.
            result_note = self._post("A note", message_type="notification")
            upload = self._upload()
        for refused in (result, result_note):
            self.assertIn("error", refused)
            self.assertEqual(refused["error"]["data"]["message"], REFUSED)
        self.assertEqual(self._comments(), before, "no message is created")
        self.assertEqual(upload.status_code, 403)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments_before)

    def test_comment_off_keeps_reading(self):
        self.company.portal_invoice_allow_comment = False
        page = self.url_open(self.invoice.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="discussion"', page.text)
        self.assertIn('data-allow_composer="0"', page.text)
        result = self._rpc(
            "/mail/chatter_fetch",
            {"thread_model": "account.move", "thread_id": self.invoice.id},
        )["result"]
        bodies = [message["body"] for message in result["data"]["mail.message"]]
        self.assertTrue(any("Message from the accountant" in body for body in bodies))

    def test_comment_off_edit_of_own_message_refused(self):
        result = self._post("First version")
        message = self._comments().filtered(lambda m: m.author_id == self.contact)
        self.assertTrue(message, result)
        self.company.portal_invoice_allow_comment = False
        with mute_logger("odoo.http"):
            result = self._rpc(
                "/mail/message/update_content",
                {
                    "message_id": message.id,
                    "body": "Second version",
                    "attachment_ids": [],
                },
            )
        self.assertEqual(result["error"]["data"]["message"], REFUSED)
        self.assertIn("First version", str(message.body))

    def test_comment_off_internal_users_still_post(self):
        self.company.portal_invoice_allow_comment = False
        Move = self.env["account.move"]
        self.assertFalse(Move._portal_invoice_comment_refused(self.invoice.id))
        self.assertTrue(
            Move.with_user(self.portal_user)._portal_invoice_comment_refused(
                self.invoice.id
            )
        )
        self.authenticate(self.env.user.login, self.env.user.login)
        before = self._comments()
        result = self._post("Internal answer")
        self.assertNotIn("error", result)
        self.assertEqual(len(self._comments() - before), 1)

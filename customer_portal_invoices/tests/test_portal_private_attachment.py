# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CustomerPortalCommon


@tagged("post_install", "-at_install")
class TestPortalPrivateAttachment(CustomerPortalCommon, HttpCase):
    """A file a logged-out visitor posts on an invoice through its share link
    stays private: /web/content serves it with the attachment's access token
    only, never to another visitor or to a portal user without it."""

    def _upload_logged_out(self, invoice, content):
        self.authenticate(None, None)
        response = self.url_open(
            f"{invoice.get_base_url()}/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": invoice.id,
                "thread_model": invoice._name,
                "token": invoice._portal_ensure_token(),
            },
            files={"ufile": ("delivery-note.txt", content, "text/plain")},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()["data"]["ir.attachment"][0]

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_logged_out_upload_stays_private(self):
        content = b"private delivery note 7319"
        invoice = self.inv_a_company
        uploaded = self._upload_logged_out(invoice, content)
        attachment = self.env["ir.attachment"].browse(uploaded["id"])
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("account.move", invoice.id)
        )
        self.assertFalse(attachment.public)
        urls = (
            f"/web/content/{attachment.id}",
            f"/web/content/{attachment.id}?download=true",
            f"/web/content/ir.attachment/{attachment.id}/raw",
            f"/web/content/ir.attachment/{attachment.id}/datas",
            f"/web/image/{attachment.id}",
        )
        # another logged-out visitor, a portal user of another customer and a
        # contact of the invoice's customer: none has the attachment's token
        sessions = ((None, None), ("cpi_b_company", "cpi_b_company"))
        sessions += (("cpi_a_company", "cpi_a_company"),)
        for login, password in sessions:
            self.authenticate(login, password)
            for url in urls:
                with self.subTest(login=login, url=url):
                    response = self.url_open(url, allow_redirects=False)
                    # /web/image answers a refusal with its placeholder
                    if not url.startswith("/web/image/"):
                        self.assertEqual(response.status_code, 404)
                    self.assertNotIn(content, response.content)
        # the token the upload answered opens it (what the chatter shows)
        self.authenticate(None, None)
        response = self.url_open(
            f"/web/content/{attachment.id}?access_token={uploaded['access_token']}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, content)

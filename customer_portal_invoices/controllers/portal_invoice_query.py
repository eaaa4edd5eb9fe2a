# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from ..parsing import clean_text, parse_id

# What a query's attachments may weigh, together (the portal chatter's
# limit is the server's; a query is no file transfer).
MAX_QUERY_FILES = 5
MAX_QUERY_FILES_SIZE = 10 * 1024 * 1024
# The session key of the message the invoice page shows once after a query.
QUERY_MESSAGE_KEY = "portal_invoice_query_message"


class PortalInvoiceQueryMixin:
    """Query (dispute) an invoice from its portal page. The rule of who may
    query what is ``account.move._portal_query_error``; this only parses the
    form and tells the result on the invoice page."""

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        # plain values (the page is rendered with the sudo'ed document)
        values["portal_invoice_query"] = (
            invoice._portal_query_values(user=request.env.user)
            if invoice.move_type in ("out_invoice", "out_receipt")
            else None
        )
        values["portal_invoice_query_message"] = request.session.pop(
            QUERY_MESSAGE_KEY, None
        )
        return values

    @staticmethod
    def _portal_query_files(files):
        """``(name, content, mimetype)`` of the uploaded files, empty ones
        left out.

        :raise UserError: when there are too many or they are too large.
        """
        files = [file for file in files if getattr(file, "filename", None)]
        if len(files) > MAX_QUERY_FILES:
            raise UserError(
                request.env._(
                    "Attach at most %(count)s files to a query.", count=MAX_QUERY_FILES
                )
            )
        result, size = [], 0
        for file in files:
            content = file.read(MAX_QUERY_FILES_SIZE + 1)
            size += len(content)
            if size > MAX_QUERY_FILES_SIZE:
                raise UserError(
                    request.env._("The attachments of a query may weigh 10 MB at most.")
                )
            if content:
                result.append(
                    (clean_text(file.filename)[:200], content, file.mimetype or None)
                )
        return result

    @http.route(
        "/my/invoices/<int:invoice_id>/query",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_my_invoice_query(
        self, invoice_id, access_token=None, reason_id=None, message=None, **kw
    ):
        try:
            invoice_sudo = self._document_check_access(
                "account.move", invoice_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            files = self._portal_query_files(
                request.httprequest.files.getlist("attachments")
            )
            invoice_sudo._portal_query_raise(
                parse_id(reason_id),
                clean_text(message)[:5000],
                files=files,
                user=request.env.user,
            )
        except UserError as error:
            request.session[QUERY_MESSAGE_KEY] = {
                "success": False,
                "text": error.args[0],
            }
        else:
            request.session[QUERY_MESSAGE_KEY] = {
                "success": True,
                "text": request.env._(
                    "Thank you: your query was sent. We will answer it soon."
                ),
            }
        # back to the page as the user reached it: with the share link it
        # came with, else through its record rules (no token added)
        url = invoice_sudo.access_url
        if access_token:
            url += "?" + urlencode({"access_token": access_token})
        return request.redirect(url + "#portal_invoice_query")

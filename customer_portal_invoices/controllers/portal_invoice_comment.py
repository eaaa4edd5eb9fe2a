# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request, route

from odoo.addons.mail.controllers.attachment import AttachmentController
from odoo.addons.mail.controllers.thread import ThreadController

from ..parsing import parse_id


def _check_thread(thread_model, thread_id):
    """The document a message is posted on, as the browser names it: a
    model of the database and a record id.

    :raise MissingError: when it names no document.
    """
    if (
        not isinstance(thread_model, str)
        or thread_model not in request.env
        or parse_id(thread_id) is None
        # a document with a chatter (a mail thread) only
        or not hasattr(request.env[thread_model], "_get_thread_with_access")
    ):
        raise MissingError(request.env._("This document does not exist."))


def _check_portal_invoice_comment(thread_model, thread_id):
    """Refuse a portal or public user's post on a document whose company
    turned portal comments off: invoices, and every document of the invoice
    portal that answers ``_portal_invoice_comment_refused`` (payments here,
    parent invoices in multi_site_billing), logged in or with a token.
    Reading the messages stays allowed."""
    if not isinstance(thread_model, str) or thread_model not in request.env:
        return  # not a model: the chatter route refuses it
    model = request.env[thread_model]
    refused = getattr(model, "_portal_invoice_comment_refused", None)
    if refused is not None and refused(parse_id(thread_id)):
        raise AccessError(
            request.env._("Comments on invoices are turned off on the portal.")
        )


class PortalInvoiceThreadController(ThreadController):
    """Portal comment setting on the chatter routes (account.move lets anyone
    who can read a document post on it, so the access mode cannot tell)."""

    @route()
    def mail_message_post(
        self, thread_model=None, thread_id=None, post_data=None, context=None, **kwargs
    ):
        _check_thread(thread_model, thread_id)
        _check_portal_invoice_comment(thread_model, thread_id)
        if not isinstance(post_data, dict):
            raise UserError(request.env._("The message is missing."))
        # the id as parsed ("41 " or "41" as text name the document 41)
        return super().mail_message_post(
            thread_model, parse_id(thread_id), post_data, context=context, **kwargs
        )

    @route()
    def mail_message_update_content(
        self,
        message_id=None,
        body=None,
        attachment_ids=None,
        attachment_tokens=None,
        partner_ids=None,
        **kwargs,
    ):
        if parse_id(message_id) is None:
            raise MissingError(request.env._("This message does not exist."))
        if not isinstance(body, str) or not isinstance(attachment_ids, list):
            raise UserError(request.env._("The message is missing."))
        # sudo: only the document the message belongs to is read
        message_sudo = request.env["mail.message"].sudo().browse(message_id).exists()
        if message_sudo:
            _check_portal_invoice_comment(message_sudo.model, message_sudo.res_id)
        return super().mail_message_update_content(
            message_id,
            body,
            attachment_ids,
            attachment_tokens=attachment_tokens,
            partner_ids=partner_ids,
            **kwargs,
        )


class PortalInvoiceAttachmentController(AttachmentController):
    """Portal comment setting: no file posted on such a document either."""

    @route()
    def mail_attachment_upload(
        self, ufile=None, thread_id=None, thread_model=None, is_pending=False, **kwargs
    ):
        _check_thread(thread_model, thread_id)
        _check_portal_invoice_comment(thread_model, thread_id)
        return super().mail_attachment_upload(
            ufile, parse_id(thread_id), thread_model, is_pending=is_pending, **kwargs
        )

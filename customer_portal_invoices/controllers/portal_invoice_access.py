# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount


def _download_refused(moves_sudo):
    """Whether the current user may not download ``moves_sudo``: a portal or
    public user, and a company of the documents turned portal downloads off."""
    if request.env.user._is_internal():
        return False
    return not all(moves_sudo.company_id.mapped("portal_invoice_allow_download"))


class PortalInvoiceAccess(PortalAccount):
    """Portal download setting on the portal invoice routes: the downloaded
    legal documents (the route, which stock serves without _show_report) and
    the rendered report (_show_report); ir.binary covers /web/content. Who
    may see the document is decided by record rules. The back-office
    download routes (/account/download_invoice_*) need read access on
    attachments, which portal users do not have."""

    @http.route()
    def portal_my_invoice_detail(
        self, invoice_id, access_token=None, report_type=None, download=False, **kw
    ):
        # Stock serves a downloaded PDF (the legal documents of the invoice)
        # without going through _show_report: refuse it here.
        if report_type == "pdf" and download:
            try:
                invoice_sudo = self._document_check_access(
                    "account.move", invoice_id, access_token
                )
            except (AccessError, MissingError):
                return request.redirect("/my")
            if _download_refused(invoice_sudo):
                return request.redirect(invoice_sudo.get_portal_url())
        return super().portal_my_invoice_detail(
            invoice_id,
            access_token=access_token,
            report_type=report_type,
            download=download,
            **kw,
        )

    def _show_report(self, model, report_type, report_ref, download=False):
        if (
            model._name == "account.move"
            and report_type == "pdf"
            and _download_refused(model.sudo())
        ):
            return request.redirect(model.get_portal_url())
        return super()._show_report(model, report_type, report_ref, download=download)

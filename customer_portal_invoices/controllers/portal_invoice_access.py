# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount


def _download_refused(moves_sudo):
    """Whether the current user may not download ``moves_sudo``: a portal or
    public user, and a company of the documents turned portal downloads off."""
    if request.env.user._is_internal():
        return False
    return not all(moves_sudo.company_id.mapped("portal_invoice_allow_download"))


class PortalInvoiceAccess(PortalAccount):
    """Portal download setting, for every way the portal renders an invoice
    PDF (who may see the document is decided by record rules). The
    back-office download routes (/account/download_invoice_*) need read
    access on attachments, which portal users do not have."""

    def _show_report(self, model, report_type, report_ref, download=False):
        if (
            model._name == "account.move"
            and report_type == "pdf"
            and _download_refused(model.sudo())
        ):
            return request.redirect(model.get_portal_url())
        return super()._show_report(model, report_type, report_ref, download=download)

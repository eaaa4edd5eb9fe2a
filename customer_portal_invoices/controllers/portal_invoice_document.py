# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount


def _posted(moves):
    return bool(moves) and all(move.state == "posted" for move in moves)


class PortalInvoiceDocument(PortalAccount):
    """A posted invoice is never a pro-forma to its customer. Stock renders
    the invoice of the portal page (HTML, PDF shown inline) as a "PROFORMA"
    until its official PDF was generated (sent or printed from the back
    office), and its download is then a pro-forma PDF. The customer gets the
    invoice itself instead: the same report, without the pro-forma title.
    The official PDF, once generated, is still what the download gives."""

    @http.route()
    def portal_my_invoice_detail(
        self, invoice_id, access_token=None, report_type=None, download=False, **kw
    ):
        if report_type == "pdf" and download:
            try:
                invoice_sudo = self._document_check_access(
                    "account.move", invoice_id, access_token
                )
            except (AccessError, MissingError):
                return request.redirect("/my")
            if _posted(invoice_sudo) and not invoice_sudo.invoice_pdf_report_id:
                # _show_report applies the portal download setting
                return self._show_report(
                    model=invoice_sudo,
                    report_type="pdf",
                    report_ref=invoice_sudo._portal_invoice_report_name(),
                    download=True,
                )
        return super().portal_my_invoice_detail(
            invoice_id,
            access_token=access_token,
            report_type=report_type,
            download=download,
            **kw,
        )

    def _show_report(self, model, report_type, report_ref, download=False):
        if model._name == "account.move" and _posted(model):
            request.update_context(proforma_invoice=False)
        return super()._show_report(model, report_type, report_ref, download=download)

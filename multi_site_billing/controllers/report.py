# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from odoo.addons.customer_portal_invoices.controllers.portal_invoice_access import (
    PortalInvoiceReportController,
)


class ParentInvoiceReportController(PortalInvoiceReportController):
    """The portal download setting on /report/* for parent invoices too: a
    portal user gets no rendering of a parent whose company turned portal
    downloads off. (The children a user sees in it follow the record rules.)"""

    @http.route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        if docids and not request.env.user._is_internal():
            try:
                report = request.env["ir.actions.report"]._get_report(reportname)
            except ValueError:
                report = request.env["ir.actions.report"]
            if report.model == "account.parent.invoice":
                ids = [int(i) for i in docids.split(",") if i.isdigit()]
                parents = request.env["account.parent.invoice"].browse(ids).exists()
                # sudo: only the children's companies are read, by the rule
                parents.sudo().child_invoice_ids.with_env(
                    request.env
                )._portal_check_download()
        return super().report_routes(
            reportname, docids=docids, converter=converter, **data
        )

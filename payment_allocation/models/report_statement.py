# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportStatement(models.AbstractModel):
    _inherit = "report.customer_portal_invoices.report_statement"

    @api.model
    def _statement_payment_path(self, partner):
        """Override of customer_portal_invoices: the statement's QR code opens
        the Make a Payment page."""
        return "/my/invoices/pay"

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError


class ReportPortalPaymentReceipt(models.AbstractModel):
    """The portal payment receipt, for the payments the printing user may
    read: ``/report/*`` answers a portal user as ``/my/payments/<id>`` does.
    The method labels and the allocation need sudo: they are computed here,
    after the access check, and handed to the template as plain values."""

    _name = "report.customer_portal_invoices.report_portal_payment_receipt"
    _description = "Portal Payment Receipt Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        payments = self.env["account.payment"].browse(docids)
        self._check_portal_receipt_access(payments)
        return {
            "doc_ids": docids,
            "doc_model": "account.payment",
            "docs": payments,
            "payment_methods": payments._portal_payment_method_labels(),
            "payment_allocations": payments._portal_payment_allocations(),
        }

    @api.model
    def _check_portal_receipt_access(self, payments):
        """Refuse payments the current user may not read, before anything is
        read in sudo (which would warm the cache the template then reads).
        The portal routes render in sudo once they have checked the payment
        or its token; a portal user also gets only what the payment history
        lists (received, confirmed customer payments)."""
        if self.env.su:
            return
        payments.check_access("read")
        if self.env.user._is_internal():
            return
        if payments - payments.filtered_domain(payments._portal_payment_domain()):
            raise AccessError(
                self.env._("You may not print the receipt of this payment.")
            )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    portal_invoice_default_access = fields.Selection(
        related="company_id.portal_invoice_default_access", readonly=False
    )
    portal_invoice_show_invoices = fields.Boolean(
        related="company_id.portal_invoice_show_invoices", readonly=False
    )
    portal_invoice_show_credit_notes = fields.Boolean(
        related="company_id.portal_invoice_show_credit_notes", readonly=False
    )
    portal_invoice_show_receipts = fields.Boolean(
        related="company_id.portal_invoice_show_receipts", readonly=False
    )
    portal_invoice_show_vendor_bills = fields.Boolean(
        related="company_id.portal_invoice_show_vendor_bills", readonly=False
    )
    portal_invoice_allow_download = fields.Boolean(
        related="company_id.portal_invoice_allow_download", readonly=False
    )
    portal_invoice_allow_comment = fields.Boolean(
        related="company_id.portal_invoice_allow_comment", readonly=False
    )
    portal_invoice_allow_pay = fields.Boolean(
        related="company_id.portal_invoice_allow_pay", readonly=False
    )
    portal_invoice_allow_query = fields.Boolean(
        related="company_id.portal_invoice_allow_query", readonly=False
    )
    portal_query_user_id = fields.Many2one(
        related="company_id.portal_query_user_id", readonly=False
    )

    def action_portal_invoice_apply_default_access(self):
        """Give every existing portal contact of the company the default
        invoice access level."""
        self.ensure_one()
        partners = self.company_id._portal_invoice_apply_default_access()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": (
                    self.env._("Default invoice access applied to 1 portal contact.")
                    if len(partners) == 1
                    else self.env._(
                        "Default invoice access applied to %(count)s portal contacts.",
                        count=len(partners),
                    )
                ),
            },
        }

    portal_notify_payment = fields.Boolean(
        related="company_id.portal_notify_payment", readonly=False
    )
    portal_notify_comment = fields.Boolean(
        related="company_id.portal_notify_comment", readonly=False
    )
    portal_notify_details = fields.Boolean(
        related="company_id.portal_notify_details", readonly=False
    )
    portal_notify_email = fields.Char(
        related="company_id.portal_notify_email", readonly=False
    )
    portal_invoice_pay_qr = fields.Boolean(
        related="company_id.portal_invoice_pay_qr", readonly=False
    )

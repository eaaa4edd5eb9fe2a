# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.osv import expression

PORTAL_INVOICE_ACCESS_LEVELS = [
    ("none", "None"),
    ("own", "Own documents"),
    ("company", "Whole company"),
]

# Setting field on res.company -> document types it shows on the portal.
PORTAL_DOCUMENT_TYPE_FIELDS = {
    "portal_invoice_show_invoices": ("out_invoice",),
    "portal_invoice_show_credit_notes": ("out_refund",),
    "portal_invoice_show_receipts": ("out_receipt", "in_receipt"),
    "portal_invoice_show_vendor_bills": ("in_invoice", "in_refund"),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    portal_invoice_default_access = fields.Selection(
        selection=PORTAL_INVOICE_ACCESS_LEVELS,
        string="Default Portal Invoice Access",
        default="company",
        required=True,
        help="Invoice access level given to new contacts, who see it once "
        "they have portal access.",
    )
    portal_invoice_show_invoices = fields.Boolean(
        string="Portal Shows Customer Invoices", default=True
    )
    portal_invoice_show_credit_notes = fields.Boolean(
        string="Portal Shows Credit Notes", default=True
    )
    portal_invoice_show_receipts = fields.Boolean(
        string="Portal Shows Receipts",
        default=False,
        help="Sales and purchase receipts.",
    )
    portal_invoice_show_vendor_bills = fields.Boolean(
        string="Portal Shows Vendor Bills",
        default=True,
        help="Vendor bills and refunds, shown to the vendor's contacts.",
    )
    portal_invoice_allow_download = fields.Boolean(
        string="Portal Invoice Download",
        default=True,
        help="Portal users may download the PDF of their documents.",
    )
    portal_invoice_allow_comment = fields.Boolean(
        string="Portal Invoice Comments",
        default=True,
        help="Portal users may post messages on their documents.",
    )
    portal_invoice_allow_pay = fields.Boolean(
        string="Portal Invoice Payment",
        default=True,
        help="Portal users may pay their documents online.",
    )
    portal_invoice_allow_query = fields.Boolean(
        string="Portal Invoice Queries",
        default=True,
        help="Portal users may query (dispute) the open invoices they may "
        "pay; nothing charges a queried invoice until the query is answered.",
    )
    portal_query_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Queries Answered By",
        domain=[("share", "=", False)],
        help="Who gets the activity to answer a customer's query; empty: the "
        "invoice's salesperson.",
    )

    def write(self, vals):
        res = super().write(vals)
        if any(field in vals for field in PORTAL_DOCUMENT_TYPE_FIELDS):
            # the portal invoice record rules read these settings, and record
            # rule domains are cached per user
            self.env.registry.clear_cache()
        return res

    def _portal_invoice_move_types(self):
        """Document types (``move_type`` values) the portal shows for this
        company's documents."""
        self.ensure_one()
        return [
            move_type
            for field_name, move_types in PORTAL_DOCUMENT_TYPE_FIELDS.items()
            if self[field_name]
            for move_type in move_types
        ]

    @api.model
    def _portal_invoice_move_type_domain(self):
        """Domain on ``account.move``: the documents whose type the portal
        shows, according to the settings of each document's company."""
        setting_fields = list(PORTAL_DOCUMENT_TYPE_FIELDS)
        # sudo: portal users may not read every company; only the settings
        # are read, to build the domain
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group([], groupby=setting_fields, aggregates=["id:array_agg"])
        )
        domains = []
        for *settings, company_ids in groups:
            move_types = [
                move_type
                for field_name, shown in zip(setting_fields, settings, strict=True)
                if shown
                for move_type in PORTAL_DOCUMENT_TYPE_FIELDS[field_name]
            ]
            if move_types:
                domains.append(
                    [("company_id", "in", company_ids), ("move_type", "in", move_types)]
                )
        return expression.OR(domains or [expression.FALSE_DOMAIN])

    @api.model
    def _portal_comment_refused_on(self, model_name, thread_id):
        """Whether the current user may not post on the record ``thread_id``
        of ``model_name`` (a portal document with a company) from the portal:
        a portal or public user, and the record's company turned portal
        comments off. Internal users are never refused."""
        if self.env.user._is_internal():
            return False
        try:
            record_id = int(thread_id)
        except (TypeError, ValueError):
            return False  # not a document: the chatter route refuses it
        if not 0 < record_id < 2**31:
            return False  # not a document either
        # sudo: only the company setting of the document is read
        record_sudo = self.env[model_name].sudo().browse(record_id).exists()
        company = record_sudo.company_id
        return bool(record_sudo) and not company.portal_invoice_allow_comment

    def _portal_invoice_apply_default_access(self):
        """Give every portal contact of the company the default access level.

        :return: the contacts whose level changed
        """
        self.ensure_one()
        users = self.env["res.users"].search(
            [
                ("share", "=", True),
                ("groups_id", "in", self.env.ref("base.group_portal").ids),
                ("company_ids", "in", self.ids),
            ]
        )
        partners = users.partner_id.filtered(
            lambda p: p.portal_invoice_access != self.portal_invoice_default_access
        )
        partners.write({"portal_invoice_access": self.portal_invoice_default_access})
        return partners

    # ------------------------------------------------------------------
    # Portal activity notifications
    # ------------------------------------------------------------------

    portal_notify_payment = fields.Boolean(
        string="Notify Portal Payments",
        help="E-mail the invoice's salesperson (or the billing address) when "
        "a customer pays invoices online.",
    )
    portal_notify_comment = fields.Boolean(
        string="Notify Portal Comments",
        help="E-mail the invoice's salesperson (or the billing address) when "
        "a customer comments an invoice on the portal.",
    )
    portal_notify_details = fields.Boolean(
        string="Notify Portal Details Changes",
        help="E-mail the customer's salesperson (or the billing address) when "
        "a portal user changes its contact or company details.",
    )
    portal_notify_email = fields.Char(
        string="Billing Notification Address",
        help="When set, portal activity notifications go to this address "
        "instead of the invoice's or customer's salesperson.",
    )

    def _portal_activity_notify(self, event, users, subject, body):
        """E-mail a portal activity notification of ``event`` ("payment",
        "comment", "details") to ``users`` (the responsible), or to the
        billing notification address when set, if the company turned that
        notification on.

        :return: the ``mail.mail`` created (empty when none is sent)
        """
        self.ensure_one()
        Mail = self.env["mail.mail"].sudo()
        if not self[f"portal_notify_{event}"]:
            return Mail
        if self.portal_notify_email:
            recipients = [self.portal_notify_email]
        else:
            # sudo: the responsible's address, for the notification only
            recipients = (
                users.sudo().partner_id.filtered("email").mapped("email_formatted")
            )
        if not recipients:
            return Mail
        # sudo: portal users may not create mails
        return Mail.create(
            {
                "subject": subject,
                "body_html": body,
                "email_to": ",".join(recipients),
                "email_from": self.sudo().email_formatted or False,
                "auto_delete": True,
            }
        )

    portal_invoice_pay_qr = fields.Boolean(
        string="Pay-link QR Code on Invoices",
        help="Print on customer invoices a QR code that opens the invoice on "
        "the portal, where the customer pays it.",
    )

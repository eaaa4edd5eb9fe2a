# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CustomerStatementSend(models.TransientModel):
    """Send the statement of account of one or more customers by e-mail: the
    wizard collects the period and the template, the report model computes
    the statements and the customers' chatter keeps the message."""

    _name = "customer.statement.send"
    _description = "Send Customer Statements"

    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        required=True,
        default=lambda self: self._default_partner_ids(),
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self._statement_report()._statement_default_dates()[0],
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self._statement_report()._statement_default_dates()[1],
    )
    template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Template",
        required=True,
        domain=[("model", "=", "res.partner")],
        default=lambda self: self.env.ref(
            "customer_portal_invoices.mail_template_customer_statement",
            raise_if_not_found=False,
        ),
    )

    @api.model
    def _statement_report(self):
        return self.env["report.customer_portal_invoices.report_statement"]

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") != "res.partner":
            return False
        partners = self.env["res.partner"].browse(
            self.env.context.get("active_ids") or []
        )
        return partners.commercial_partner_id

    def action_send(self):
        self.ensure_one()
        partners = self.partner_ids.commercial_partner_id
        sent = partners._portal_statement_send(
            self.date_from, self.date_to, self.template_id
        )
        skipped = partners - sent
        message = (
            self.env._("Statement sent to 1 customer.")
            if len(sent) == 1
            else self.env._("Statement sent to %(count)s customers.", count=len(sent))
        )
        if skipped:
            message += " " + self.env._(
                "Without an e-mail address, not sent: %(names)s.",
                names=", ".join(skipped.mapped("display_name")),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if skipped else "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

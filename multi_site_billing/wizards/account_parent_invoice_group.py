# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AccountParentInvoiceGroup(models.TransientModel):
    """Group the selected customer invoices under a new parent invoice or
    add them to an existing one; the grouping rules are the constraints of
    the child invoices, whatever the entry point."""

    _name = "account.parent.invoice.group"
    _description = "Group Invoices under a Parent Invoice"

    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('parent_invoice_id', '=', False)]",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        compute="_compute_partner_id",
        string="Customer",
    )
    parent_invoice_id = fields.Many2one(
        comodel_name="account.parent.invoice",
        string="Add to Parent Invoice",
        domain="[('partner_id', '=', partner_id)]",
        help="Leave empty to create a new parent invoice.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            "invoice_ids" in fields_list
            and self.env.context.get("active_model") == "account.move"
            and self.env.context.get("active_ids")
        ):
            values["invoice_ids"] = [Command.set(self.env.context["active_ids"])]
        return values

    @api.depends("invoice_ids")
    def _compute_partner_id(self):
        for wizard in self:
            partners = wizard.invoice_ids.commercial_partner_id
            wizard.partner_id = partners if len(partners) == 1 else False

    def action_group(self):
        self.ensure_one()
        if not self.invoice_ids:
            raise UserError(self.env._("Select the invoices to group."))
        parent = self.env["account.parent.invoice"]._group_invoices(
            self.invoice_ids, parent=self.parent_invoice_id
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.parent.invoice",
            "res_id": parent.id,
            "view_mode": "form",
        }

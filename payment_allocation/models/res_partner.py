# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    payment_allocation_ach = fields.Selection(
        selection=[
            ("default", "Company Default"),
            ("allowed", "Allowed"),
            ("refused", "Not Allowed"),
        ],
        string="May Pay by Bank Account (ACH)",
        default="default",
        help="Whether the customer may pay by US bank account (ACH) and save "
        "bank accounts on the portal. Company Default follows the setting of "
        "the company (Invoicing settings). Set on the customer company; its "
        "contacts follow it.",
    )

    def _payment_allocation_ach_allowed(self):
        """Whether this customer (its commercial partner decides) may pay by
        bank account (ACH)."""
        self.ensure_one()
        customer = self.commercial_partner_id
        if customer.payment_allocation_ach != "default":
            return customer.payment_allocation_ach == "allowed"
        company = customer.company_id or self.env.company
        return company.payment_allocation_ach_default

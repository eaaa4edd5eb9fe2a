# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    payment_allocation_share_tokens = fields.Boolean(
        string="Share Saved Payment Methods",
        default=False,
        help="Contacts with access to their whole company's invoices may pay "
        "with the payment methods saved by the other contacts of their "
        "company. When off, a saved method is used only by the contact who "
        "saved it.",
    )
    payment_allocation_ach_default = fields.Boolean(
        string="Customers May Pay by Bank Account (ACH)",
        default=True,
        help="Default of the customers' 'May Pay by Bank Account (ACH)': when "
        "off, only the customers allowed one by one are offered ACH on the "
        "portal.",
    )
    payment_allocation_autopay_retries = fields.Integer(
        string="Autopay Retries",
        default=3,
        help="How many times autopay charges a failed invoice again, one day "
        "after the other, before it tells the customer and the salesperson and "
        "stops for that invoice.",
    )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    payment_allocation_share_tokens = fields.Boolean(
        related="company_id.payment_allocation_share_tokens",
        readonly=False,
    )
    payment_allocation_ach_default = fields.Boolean(
        related="company_id.payment_allocation_ach_default",
        readonly=False,
    )
    payment_allocation_autopay_retries = fields.Integer(
        related="company_id.payment_allocation_autopay_retries",
        readonly=False,
    )

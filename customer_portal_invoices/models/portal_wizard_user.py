# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    portal_invoice_access = fields.Selection(
        related="partner_id.portal_invoice_access", readonly=False
    )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """ACH bank accounts: active, savable and offered with Stripe, on
    databases upgraded from an earlier version (new installs: the post-init
    hook)."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["payment.method"]._payment_allocation_enable_ach()

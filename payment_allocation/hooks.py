# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """ACH bank accounts: active, savable and offered with Stripe (Odoo
    ships ACH inactive in a noupdate file; the migration to 18.0.1.2.0 does
    the same on upgrade)."""
    env["payment.method"]._payment_allocation_enable_ach()

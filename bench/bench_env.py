# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the benchmarks share: an Odoo environment on an existing database
(superuser, mail tracking off), rolled back afterwards."""

import contextlib
import os

BENCH_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_create_nosubscribe": True,
    "no_reset_password": True,
}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def odoo_addons():
    """The addons folder of the Odoo that this python3 imports."""
    import odoo

    return os.path.join(os.path.dirname(odoo.__file__), "addons")


def default_addons_path():
    """Odoo's own addons (of the imported ``odoo``) and this repository."""
    return f"{odoo_addons()},{ROOT}"


@contextlib.contextmanager
def rolled_back_env(args):
    """An environment on ``args.database`` (``args.addons_path``,
    ``args.db_host``, ``args.db_user``); nothing it does is kept."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    options = ["-d", args.database, "--addons-path", args.addons_path]
    options += ["--db_host", args.db_host] if args.db_host else []
    options += ["--db_user", args.db_user] if args.db_user else []
    config.parse_config(options)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        try:
            yield api.Environment(cr, SUPERUSER_ID, dict(BENCH_CONTEXT))
        finally:
            cr.rollback()  # Leave the database clean.


def invoice_values(partner, invoice_date, due_date, price):
    """Values of a one-line, untaxed customer invoice of ``partner``."""
    from odoo.fields import Command

    return {
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_date": invoice_date,
        "invoice_date_due": due_date,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": "Service",
                    "quantity": 1,
                    "price_unit": price,
                    "tax_ids": [Command.clear()],
                }
            )
        ],
    }

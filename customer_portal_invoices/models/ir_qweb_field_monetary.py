# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..amounts import monetary_sign_first


class IrQwebFieldMonetary(models.AbstractModel):
    _inherit = "ir.qweb.field.monetary"

    @api.model
    def value_to_html(self, value, options):
        """A negative amount with its sign first: "-$ 80.00", not
        "$ -80.00" (see ``amounts.monetary_sign_first``). The widget renders
        dozens of amounts per page: positive amounts are returned as they
        are, a negative one costs a string edit."""
        html = super().value_to_html(value, options)
        # a converted amount (from_currency) is not ``value``: its sign only
        is_zero = (
            value < 0
            and not options.get("from_currency")
            and options["display_currency"].is_zero(value)
        )
        return monetary_sign_first(html, value, is_zero)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, models

from ..amounts import MINUS

VALUE = '<span class="oe_currency_value">'
NEGATIVE_VALUE = VALUE + MINUS


class IrQwebFieldMonetary(models.AbstractModel):
    _inherit = "ir.qweb.field.monetary"

    @api.model
    def value_to_html(self, value, options):
        """A negative amount with its sign first: "-$ 80.00", not
        "$ -80.00" (see ``amounts.format_amount``). The widget renders
        dozens of amounts per page: positive amounts are returned as they
        are, a negative one costs a string edit."""
        html = super().value_to_html(value, options)
        if value >= 0:
            return html
        text = str(html)
        start = text.find(NEGATIVE_VALUE)
        if start < 0:
            return html
        unsigned = text[:start] + VALUE + text[start + len(NEGATIVE_VALUE) :]
        if not options.get("from_currency") and options["display_currency"].is_zero(
            value
        ):
            # -0.001 reads "$ 0.00", as zero does
            return Markup(unsigned)
        if start == 0:
            # the symbol follows the amount: "-80,00 €" is already right
            return html
        return Markup(MINUS + unsigned)

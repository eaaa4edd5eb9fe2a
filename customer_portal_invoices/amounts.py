# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amounts shown to people: by the currency and the language, sign first.

Odoo writes a negative amount of a currency whose symbol comes first as
"$ -80.00"; languages write the minus first: "-$ 80.00" in English, and
"-80,00 €" in German, where the symbol of the euro follows the amount. The
QWeb ``monetary`` widget does the same (``models/ir_qweb_field_monetary.py``).
"""

from odoo.tools.misc import format_amount as odoo_format_amount

# The minus, glued to what follows (as Odoo glues it to the digits), so that
# no line breaks between the sign and the amount.
MINUS = "-\N{ZERO WIDTH NO-BREAK SPACE}"


def format_amount(env, amount, currency, lang_code=None):
    """``amount`` of ``currency`` as text: the currency's decimal places and
    symbol, the separators of the language ``lang_code`` (by default the
    language of ``env``), the minus sign first. An amount that rounds to zero
    has no sign."""
    rounded = currency.round(amount)
    text = odoo_format_amount(env, abs(rounded), currency, lang_code)
    if currency.compare_amounts(rounded, 0.0) < 0:
        return MINUS + text
    return text

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amounts shown to people: by the currency and the language, sign first.

Odoo writes a negative amount of a currency whose symbol comes first as
"$ -80.00"; languages write the minus first: "-$ 80.00" in English, and
"-80,00 €" in German, where the symbol of the euro follows the amount. The
QWeb ``monetary`` widget does the same (``models/ir_qweb_field_monetary.py``).
"""

import ast

from markupsafe import Markup

from odoo.tools.misc import format_amount as odoo_format_amount

from odoo.addons.base.models.res_lang import intersperse

# The minus, glued to what follows (as Odoo glues it to the digits), so that
# no line breaks between the sign and the amount.
MINUS = "-\N{ZERO WIDTH NO-BREAK SPACE}"
VALUE = '<span class="oe_currency_value">'
NEGATIVE_VALUE = VALUE + MINUS
NBSP = "\N{NO-BREAK SPACE}"


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


def monetary_sign_first(html, value, is_zero):
    """The markup of the QWeb ``monetary`` widget for ``value`` (``html``,
    as Odoo renders it), the minus put first: "-$ 80.00", not "$ -80.00";
    an amount that rounds to zero (``is_zero``) reads "$ 0.00", as zero
    does. Positive amounts are returned as they are."""
    if value >= 0:
        return html
    text = str(html)
    start = text.find(NEGATIVE_VALUE)
    if start < 0:
        return html
    unsigned = text[:start] + VALUE + text[start + len(NEGATIVE_VALUE) :]
    if is_zero:
        return Markup(unsigned)
    if start == 0:
        # the symbol follows the amount: "-80,00 €" is already right
        return html
    return Markup(MINUS + unsigned)


def monetary_html(env, currency):
    """The QWeb ``monetary`` widget of ``currency`` in the language of
    ``env``, as a function of the amount, for the rows of a list: the same
    markup as ``<span t-out="amount" t-options="{'widget': 'monetary',
    'display_currency': currency}"/>`` gives inside its span, sign first
    (:func:`monetary_sign_first`), with the language's separators and the
    currency's symbol looked up once rather than once per amount (the widget
    costs about 0.1 ms an amount, most of it finding the language)."""
    lang = env["ir.qweb.field.monetary"].user_lang()
    data = lang._get_data(id=lang.id)
    grouping = ast.literal_eval(data.grouping)
    thousands_sep, decimal_point = data.thousands_sep or "", data.decimal_point
    number_format = f"%.{currency.decimal_places}f"
    symbol = currency.symbol or ""
    if currency.position == "before":
        pre, post = symbol + NBSP, ""
    else:
        pre, post = "", NBSP + symbol
    template = Markup("{pre}" + VALUE + "{0}</span>{post}")

    def html(value):
        parts = (number_format % currency.round(value)).split(".")
        parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
        digits = decimal_point.join(parts).replace(" ", NBSP).replace("-", MINUS)
        markup = template.format(digits, pre=pre, post=post)
        return monetary_sign_first(markup, value, value < 0 and currency.is_zero(value))

    return html

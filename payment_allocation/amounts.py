# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amounts typed in the portal, read once for every payment route."""

import math

from odoo.exceptions import ValidationError

from odoo.addons.customer_portal_invoices.amounts import format_amount

# No invoice is that large: refuse such input before any arithmetic.
MAX_AMOUNT = 1e15


def parse_amount(env, value, currency):
    """The amount the customer typed, rounded to ``currency``.

    :raise ValidationError: with a sentence when it is missing, not a number,
        not finite, absurdly large or not positive.
    """
    if value is None or value == "":
        raise ValidationError(env._("Enter the amount to pay."))
    if isinstance(value, bool | list | dict):
        raise ValidationError(env._("The amount to pay is not a number."))
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            env._("The amount to pay is not a number: %(value)s.", value=value)
        ) from None
    if not math.isfinite(number) or abs(number) >= MAX_AMOUNT:
        raise ValidationError(env._("The amount to pay is not a valid amount."))
    number = currency.round(number)
    if currency.compare_amounts(number, 0.0) <= 0:
        raise ValidationError(env._("The amount to pay must be greater than zero."))
    return number


def parse_amount_due(env, value, due, currency):
    """``parse_amount``, and refused when it is more than ``due``."""
    number = parse_amount(env, value, currency)
    if currency.compare_amounts(number, due) > 0:
        raise ValidationError(
            env._(
                "The amount to pay (%(amount)s) is more than the amount due (%(due)s).",
                amount=format_amount(env, number, currency),
                due=format_amount(env, due, currency),
            )
        )
    return number

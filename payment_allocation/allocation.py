# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Allocation engine: split a payment over open items, oldest first.

This module is pure: it imports nothing from Odoo (only the standard library),
touches no database and has no side effect, so it can be loaded by its path
and tested on its own. Odoo code imports it as
``odoo.addons.payment_allocation.allocation``.

Rules (decided here, one place for all callers):

- Numbers (amount, residuals, rounding) may be ``Decimal``, ``int`` or
  ``float``; ``bool``, ``str``, ``None`` and anything else are refused. A float
  is converted through its shortest ``repr`` so ``0.1`` stays ``Decimal("0.1")``.
- ``rounding`` must be positive and finite (``0.01``, ``1``, ``0.05`` ...).
  The amount and every residual are rounded to a multiple of it, half up
  (away from zero on ties, like Odoo's ``float_round``); results carry the
  exponent of ``rounding`` (``Decimal("0.01")`` gives ``Decimal("12.30")``).
- The amount must be positive after rounding; so must every residual.
- Payment order: due date, then invoice date (``None`` after any date), then
  id. Integer ids sort numerically before other ids, which sort by type name
  and ``str(id)``, so mixed ids still sort deterministically.
- Ids must be hashable, not ``None`` (``None`` marks the surplus line) and
  unique (by equality). ``due_date`` and ``date`` may be missing (= ``None``).
- Every error raises ``ValueError`` with a sentence; callers translate it.
"""

import datetime
import numbers
from decimal import Decimal

__all__ = ["allocate", "order_items"]

# Refuse values with more digits than this before the rounding unit: no
# currency needs them, and exact integer arithmetic on them would be costly.
MAX_DIGITS = 60


def _to_decimal(value, label):
    """``value`` as a finite ``Decimal``; ``ValueError`` if it is not a number."""
    result = None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        result = Decimal(repr(value))  # shortest repr: 0.1 -> Decimal("0.1")
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        result = Decimal(int(value))
    if result is None:
        raise ValueError(
            f"{label} must be a number (Decimal, int or float), "
            f"got {type(value).__name__} {value!r}."
        )
    if not result.is_finite():
        raise ValueError(f"{label} must be a finite number, got {value!r}.")
    return result


def _to_units(value, rounding, label):
    """Round ``value`` (a finite Decimal) half up to an integer number of
    ``rounding`` units, with exact integer arithmetic."""
    if value.is_zero():
        return 0
    if value.adjusted() - rounding.adjusted() > MAX_DIGITS:
        raise ValueError(f"{label} {value} is too large.")
    if value.adjusted() < rounding.adjusted() - 1:
        return 0  # less than a tenth of the unit: rounds to zero
    sign, digits, exponent = value.as_tuple()
    _r_sign, r_digits, r_exponent = rounding.as_tuple()
    numerator = int("".join(map(str, digits)))
    denominator = int("".join(map(str, r_digits)))
    shift = exponent - r_exponent
    if shift >= 0:
        numerator *= 10**shift
    else:
        denominator *= 10**-shift
    units, remainder = divmod(numerator, denominator)
    if 2 * remainder >= denominator:
        units += 1
    return -units if sign else units


def _from_units(units, rounding):
    """The Decimal worth ``units`` times ``rounding``, exact."""
    _sign, r_digits, r_exponent = rounding.as_tuple()
    coefficient = units * int("".join(map(str, r_digits)))
    return Decimal(
        (int(coefficient < 0), tuple(map(int, str(abs(coefficient)))), r_exponent)
    )


def _date_key(value, label):
    """Sort key of a date: dates (or datetimes) in time order, ``None`` last."""
    if value is None:
        return (1, 0, 0, 0)
    if isinstance(value, datetime.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return (0, value.toordinal(), seconds, value.microsecond)
    if isinstance(value, datetime.date):
        return (0, value.toordinal(), 0, 0)
    raise ValueError(f"{label} must be a date or None, got {value!r}.")


def _id_key(item_id):
    """Sort key of an id: integers numerically, then others by type and str."""
    if isinstance(item_id, numbers.Integral) and not isinstance(item_id, bool):
        return (0, int(item_id), "", "")
    return (1, 0, type(item_id).__name__, str(item_id))


def _item_id(item):
    try:
        return item["id"]
    except (KeyError, TypeError, IndexError):
        raise ValueError(f"Item {item!r} has no 'id'.") from None


def _sort_key(item):
    item_id = _item_id(item)
    return (
        _date_key(item.get("due_date"), f"Due date of item {item_id!r}"),
        _date_key(item.get("date"), f"Date of item {item_id!r}"),
        _id_key(item_id),
    )


def order_items(items):
    """Return ``items`` (mappings with ``id``, ``due_date``, ``date``) as a new
    list in payment order: oldest due date first, then oldest invoice date,
    then id; ``None`` dates come after every date. The sort is stable and
    does not look at residuals."""
    return sorted(items, key=_sort_key)


def _check_ids(items):
    seen = set()
    for item in items:
        item_id = _item_id(item)
        if item_id is None:
            raise ValueError("An item id must not be None (None marks the surplus).")
        try:
            duplicate = item_id in seen
        except TypeError:
            raise ValueError(f"Item id {item_id!r} must be hashable.") from None
        if duplicate:
            raise ValueError(f"Item id {item_id!r} appears more than once.")
        seen.add(item_id)


def allocate(amount, items, rounding=0.01, allow_surplus=False):
    """Split ``amount`` over ``items``, oldest first.

    :param amount: the amount paid (Decimal, int or float), > 0.
    :param items: iterable of mappings with ``id``, ``residual`` (> 0) and
        optional ``due_date`` / ``date`` (``datetime.date`` or ``None``).
    :param rounding: the currency's rounding unit, > 0 (e.g. ``0.01``).
    :param allow_surplus: accept an amount above the open total; the surplus
        is returned as a last ``(None, surplus)`` pair.
    :return: list of ``(id, Decimal)`` pairs in payment order, each amount a
        positive multiple of ``rounding`` and at most the item's residual;
        every item is paid in full but the last one; items the amount does
        not reach are left out; the amounts add up exactly to the rounded
        ``amount``.
    :raise ValueError: on a bad amount, rounding or item, or an amount
        above the open total without ``allow_surplus``.
    """
    rounding_dec = _to_decimal(rounding, "The rounding")
    if rounding_dec <= 0:
        raise ValueError(f"The rounding must be positive, got {rounding!r}.")
    amount_dec = _to_decimal(amount, "The amount")
    if amount_dec <= 0:
        raise ValueError(f"The amount must be positive, got {amount!r}.")
    amount_units = _to_units(amount_dec, rounding_dec, "The amount")
    if amount_units <= 0:
        raise ValueError(
            f"The amount {amount!r} rounds to zero at rounding {rounding!r}."
        )

    ordered = order_items(list(items))
    _check_ids(ordered)
    residuals = []
    for item in ordered:
        label = f"The residual of item {item['id']!r}"
        if "residual" not in item:
            raise ValueError(f"Item {item['id']!r} has no 'residual'.")
        residual = _to_decimal(item["residual"], label)
        units = _to_units(residual, rounding_dec, label) if residual > 0 else 0
        if units <= 0:
            raise ValueError(
                f"{label} must be positive at rounding {rounding!r}, "
                f"got {item['residual']!r}."
            )
        residuals.append(units)

    open_units = sum(residuals)
    if amount_units > open_units and not allow_surplus:
        raise ValueError(
            f"The amount {_from_units(amount_units, rounding_dec)} is above the "
            f"open total {_from_units(open_units, rounding_dec)}."
        )

    result = []
    remaining = amount_units
    for item, units in zip(ordered, residuals, strict=True):
        if remaining <= 0:
            break
        paid = min(remaining, units)
        result.append((item["id"], _from_units(paid, rounding_dec)))
        remaining -= paid
    if remaining > 0:
        result.append((None, _from_units(remaining, rounding_dec)))
    return result

"""Odoo-free tests of the allocation engine (payment_allocation/allocation.py).

The module is loaded by its path: importing the ``payment_allocation`` package
would run its ``__init__``, which imports Odoo.
"""

import datetime
import importlib.util
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

MODULE_PATH = (
    Path(__file__).resolve().parent.parent / "payment_allocation" / "allocation.py"
)


def _load_engine():
    spec = importlib.util.spec_from_file_location(
        "payment_allocation_engine", MODULE_PATH
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


engine = _load_engine()
allocate = engine.allocate
order_items = engine.order_items

D = Decimal
SETTINGS = settings(max_examples=200, deadline=None)
ROUNDINGS = [D("0.01"), D("1"), D("0.001"), D("0.05")]


def day(n):
    return datetime.date(2024, 1, 1) + datetime.timedelta(days=n)


def reference_round(value, rounding):
    """Half-up rounding to a multiple of ``rounding``, computed independently."""
    with localcontext() as ctx:
        ctx.prec = 100
        value = D(repr(value)) if isinstance(value, float) else D(value)
        units = (value / rounding).quantize(D(1), rounding=ROUND_HALF_UP)
        return units * rounding


def reference_order(items):
    """Payment order computed independently: None dates last, then int ids."""

    def key(item):
        due, date = item["due_date"], item["date"]
        return (due is None, due or day(0), date is None, date or day(0), item["id"])

    return sorted(items, key=key)


# ------------------------------------------------------------ strategies

dates = st.one_of(st.none(), st.integers(0, 40).map(day))


@st.composite
def scenarios(draw, surplus=False):
    """(rounding, items, amount): residuals are multiples of the rounding,
    the amount is within the open total (or above it when ``surplus``)."""
    rounding = draw(st.sampled_from(ROUNDINGS))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=12, unique=True))
    items = [
        {
            "id": item_id,
            "residual": draw(st.integers(1, 100_000)) * rounding,
            "due_date": draw(dates),
            "date": draw(dates),
        }
        for item_id in ids
    ]
    total = sum(item["residual"] for item in items)
    units_total = int(total / rounding)
    if surplus:
        units = draw(st.integers(units_total + 1, units_total * 2 + 10))
    else:
        units = draw(st.integers(1, units_total))
    amount = units * rounding
    # the engine takes Decimal, int and float alike
    as_type = draw(st.sampled_from(["decimal", "float", "int"]))
    if as_type == "float":
        amount = float(amount)
    elif as_type == "int" and amount == int(amount):
        amount = int(amount)
    return rounding, items, amount


def check_invariants(result, items, amount, rounding, allow_surplus):
    by_id = {item["id"]: item for item in items}
    expected_amount = reference_round(amount, rounding)
    total = sum(item["residual"] for item in items)
    assert sum(paid for _id, paid in result) == expected_amount
    for _id, paid in result:
        assert isinstance(paid, Decimal)
        assert paid > 0
        assert paid % rounding == 0
        assert paid.as_tuple().exponent == rounding.as_tuple().exponent
    lines = [(item_id, paid) for item_id, paid in result if item_id is not None]
    surplus = [paid for item_id, paid in result if item_id is None]
    # the ids paid are the first items in payment order, in that order
    expected_ids = [item["id"] for item in reference_order(items)]
    assert [item_id for item_id, _paid in lines] == expected_ids[: len(lines)]
    for index, (item_id, paid) in enumerate(lines):
        assert paid <= by_id[item_id]["residual"]
        if index < len(lines) - 1 or surplus:
            assert paid == by_id[item_id]["residual"]
    if expected_amount > total:
        assert allow_surplus
        assert surplus == [expected_amount - total]
        assert result[-1][0] is None
        assert len(lines) == len(items)
    else:
        assert surplus == []


# ------------------------------------------------------------ properties


@SETTINGS
@given(scenarios(), st.booleans())
def test_allocation_invariants(scenario, allow_surplus):
    rounding, items, amount = scenario
    result = allocate(amount, items, rounding=rounding, allow_surplus=allow_surplus)
    check_invariants(result, items, amount, rounding, allow_surplus)


@SETTINGS
@given(scenarios(surplus=True))
def test_surplus_line_only_with_allow_surplus(scenario):
    rounding, items, amount = scenario
    result = allocate(amount, items, rounding=rounding, allow_surplus=True)
    check_invariants(result, items, amount, rounding, True)
    with pytest.raises(ValueError, match="above the open total"):
        allocate(amount, items, rounding=rounding)


@SETTINGS
@given(scenarios(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(scenario, rnd):
    rounding, items, amount = scenario
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert allocate(amount, shuffled, rounding=rounding) == allocate(
        amount, items, rounding=rounding
    )
    assert order_items(shuffled) == reference_order(items)


@SETTINGS
@given(
    st.sampled_from(ROUNDINGS),
    st.decimals(min_value=D("0.001"), max_value=D("100000"), places=4),
    st.lists(
        st.decimals(min_value=D("0.05"), max_value=D("100000"), places=4),
        min_size=1,
        max_size=8,
    ),
)
def test_unrounded_inputs_are_rounded_half_up(rounding, amount, residuals):
    """Amount and residuals with more digits than the rounding are rounded
    half up first; the invariants then hold on the rounded figures."""
    items = [
        {"id": i, "residual": r, "due_date": None, "date": None}
        for i, r in enumerate(residuals, start=1)
    ]
    rounded_items = [
        dict(item, residual=reference_round(item["residual"], rounding))
        for item in items
    ]
    rounded_amount = reference_round(amount, rounding)
    if rounded_amount <= 0 or any(i["residual"] <= 0 for i in rounded_items):
        with pytest.raises(ValueError):
            allocate(amount, items, rounding=rounding, allow_surplus=True)
        return
    result = allocate(amount, items, rounding=rounding, allow_surplus=True)
    check_invariants(result, rounded_items, amount, rounding, True)


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.integers(-50, 50),
            st.text(max_size=3),
            st.tuples(st.integers(0, 3), st.integers(0, 3)),
        ),
        min_size=1,
        max_size=10,
        unique_by=lambda value: (type(value).__name__, value),
    ),
    st.randoms(use_true_random=False),
)
def test_mixed_type_ids_sort_deterministically(ids, rnd):
    items = [
        {"id": item_id, "residual": D("10.00"), "due_date": day(1), "date": None}
        for item_id in ids
    ]
    shuffled = list(items)
    rnd.shuffle(shuffled)
    ordered = [item["id"] for item in order_items(items)]
    assert [item["id"] for item in order_items(shuffled)] == ordered
    # integers first, numerically; then the others by type name and str(id)
    ints = sorted(i for i in ids if isinstance(i, int))
    assert ordered[: len(ints)] == ints
    total = D("10.00") * len(ids)
    result = allocate(total, shuffled)
    assert [item_id for item_id, _paid in result] == ordered


@SETTINGS
@given(
    scenarios(),
    st.one_of(
        st.integers(max_value=0),
        st.decimals(max_value=0, allow_nan=False, allow_infinity=False),
        st.floats(max_value=0, allow_nan=False, allow_infinity=False),
    ),
)
def test_non_positive_residual_refused(scenario, bad_residual):
    rounding, items, amount = scenario
    items = [dict(item) for item in items]
    items[-1]["residual"] = bad_residual
    with pytest.raises(ValueError, match="must be positive"):
        allocate(amount, items, rounding=rounding, allow_surplus=True)


@SETTINGS
@given(scenarios(), st.data())
def test_duplicate_ids_refused(scenario, data):
    rounding, items, amount = scenario
    twin = dict(data.draw(st.sampled_from(items)))
    items = [*items, twin]
    with pytest.raises(ValueError, match="more than once"):
        allocate(amount, items, rounding=rounding, allow_surplus=True)


@SETTINGS
@given(scenarios(), st.integers(1, 10**6))
def test_amount_above_total_refused(scenario, extra_units):
    rounding, items, _amount = scenario
    total = sum(item["residual"] for item in items)
    with pytest.raises(ValueError, match="above the open total"):
        allocate(total + extra_units * rounding, items, rounding=rounding)


# ------------------------------------------------------------ examples

INVOICES = [
    # listed out of order on purpose
    {"id": 30, "residual": D("300.00"), "due_date": day(60), "date": day(30)},
    {"id": 10, "residual": D("100.00"), "due_date": day(30), "date": day(0)},
    {"id": 20, "residual": D("200.00"), "due_date": day(45), "date": day(15)},
]


def test_custom_amount_covers_two_invoices_and_part_of_a_third():
    assert allocate(D("350.00"), INVOICES) == [
        (10, D("100.00")),
        (20, D("200.00")),
        (30, D("50.00")),
    ]


def test_exact_total_pays_everything_without_surplus():
    assert allocate(600, INVOICES, allow_surplus=True) == [
        (10, D("100.00")),
        (20, D("200.00")),
        (30, D("300.00")),
    ]


def test_surplus_becomes_a_none_line():
    assert allocate(D("650.25"), INVOICES, allow_surplus=True) == [
        (10, D("100.00")),
        (20, D("200.00")),
        (30, D("300.00")),
        (None, D("50.25")),
    ]
    assert allocate(5, [], allow_surplus=True) == [(None, D("5.00"))]


def test_small_amount_touches_only_the_oldest():
    assert allocate(D("0.01"), INVOICES) == [(10, D("0.01"))]


def test_order_due_date_then_invoice_date_then_id_none_last():
    items = [
        {"id": 1, "residual": 1, "due_date": None, "date": day(0)},
        {"id": 2, "residual": 1, "due_date": day(5), "date": None},
        {"id": 3, "residual": 1, "due_date": day(5), "date": day(9)},
        {"id": 4, "residual": 1, "due_date": day(5), "date": day(2)},
        {"id": 5, "residual": 1, "due_date": day(1), "date": day(9)},
        {"id": 6, "residual": 1, "due_date": None, "date": None},
        {"id": 0, "residual": 1, "due_date": day(5), "date": day(2)},
    ]
    ordered = [item["id"] for item in order_items(items)]
    assert ordered == [5, 0, 4, 3, 2, 1, 6]
    assert [i for i, _a in allocate(7, items)] == ordered
    # the items returned are the caller's own mappings
    assert order_items(items)[0] is items[4]


def test_missing_dates_count_as_none():
    items = [{"id": 2, "residual": 5}, {"id": 1, "residual": 5, "due_date": day(0)}]
    assert allocate(6, items) == [(1, D("5.00")), (2, D("1.00"))]


def test_datetimes_sort_with_dates():
    items = [
        {"id": 1, "residual": 1, "due_date": datetime.datetime(2024, 1, 2, 9, 0)},
        {"id": 2, "residual": 1, "due_date": datetime.datetime(2024, 1, 2, 8, 0)},
        {"id": 3, "residual": 1, "due_date": datetime.date(2024, 1, 2)},
    ]
    assert [item["id"] for item in order_items(items)] == [3, 2, 1]


def test_floats_convert_through_repr():
    # 0.1 stays 0.1; 2.675 (stored as 2.67499999...) rounds half up to 2.68
    items = [{"id": 1, "residual": 0.3, "due_date": None, "date": None}]
    assert allocate(0.1, items) == [(1, D("0.10"))]
    assert allocate(0.1 + 0.2, items) == [(1, D("0.30"))]
    big = [{"id": 1, "residual": 10, "due_date": None, "date": None}]
    assert allocate(2.675, big) == [(1, D("2.68"))]
    assert allocate(0.1, big, rounding=0.001) == [(1, D("0.100"))]


def test_rounding_half_up_and_non_decimal_units():
    big = [{"id": 1, "residual": 100, "due_date": None, "date": None}]
    assert allocate(D("0.025"), big) == [(1, D("0.03"))]  # half up, not even
    assert allocate(D("0.005"), big) == [(1, D("0.01"))]
    assert allocate(D("12.5"), big, rounding=1) == [(1, D("13"))]
    assert allocate(D("12.49"), big, rounding=1) == [(1, D("12"))]
    assert allocate(D("0.125"), big, rounding=D("0.05")) == [(1, D("0.15"))]
    assert allocate(D("0.12"), big, rounding=D("0.05")) == [(1, D("0.10"))]
    items = [
        {"id": 1, "residual": D("0.07"), "due_date": day(0), "date": None},
        {"id": 2, "residual": D("1"), "due_date": day(1), "date": None},
    ]
    # residual 0.07 rounds to 0.05 at rounding 0.05
    assert allocate(D("0.30"), items, rounding=D("0.05")) == [
        (1, D("0.05")),
        (2, D("0.25")),
    ]
    # the amount is compared to the open total after rounding
    assert allocate(D("1.004"), [{"id": 1, "residual": 1}]) == [(1, D("1.00"))]


@pytest.mark.parametrize(
    "amount, message",
    [
        (0, "must be positive"),
        (D("0"), "must be positive"),
        (-5, "must be positive"),
        (D("-0.01"), "must be positive"),
        (-0.0, "must be positive"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        (D("NaN"), "finite"),
        (D("sNaN"), "finite"),
        (D("Infinity"), "finite"),
        ("10", "must be a number"),
        (True, "must be a number"),
        (False, "must be a number"),
        (None, "must be a number"),
        ([10], "must be a number"),
        (complex(1, 0), "must be a number"),
        (D("0.004"), "rounds to zero"),
        (601, "above the open total"),
        (D("600.01"), "above the open total"),
        (D("1e80"), "too large"),
    ],
)
def test_bad_amount_refused(amount, message):
    with pytest.raises(ValueError, match=message):
        allocate(amount, INVOICES)


@pytest.mark.parametrize(
    "rounding", [0, -0.01, D("0"), float("nan"), D("Infinity"), "0.01", True, None]
)
def test_bad_rounding_refused(rounding):
    with pytest.raises(ValueError, match="rounding"):
        allocate(10, INVOICES, rounding=rounding)


@pytest.mark.parametrize(
    "residual, message",
    [
        (0, "must be positive"),
        (-1, "must be positive"),
        (D("0.004"), "must be positive"),
        ("5", "must be a number"),
        (None, "must be a number"),
        (False, "must be a number"),
        (float("nan"), "finite"),
    ],
)
def test_bad_residual_refused(residual, message):
    items = [*INVOICES, {"id": 40, "residual": residual, "due_date": None}]
    with pytest.raises(ValueError, match=message):
        allocate(10, items)


@pytest.mark.parametrize(
    "items, message",
    [
        ([{"residual": 5}], "has no 'id'"),
        ([{"id": 1}], "has no 'residual'"),
        ([{"id": None, "residual": 5}], "must not be None"),
        ([{"id": [1], "residual": 5}], "hashable"),
        ([{"id": 1, "residual": 5}, {"id": 1, "residual": 6}], "more than once"),
        ([{"id": 1, "residual": 5, "due_date": "2024-01-01"}], "date or None"),
        ([{"id": 1, "residual": 5, "date": 20240101}], "date or None"),
    ],
)
def test_bad_items_refused(items, message):
    with pytest.raises(ValueError, match=message):
        allocate(1, items)


def test_items_may_be_any_iterable():
    gen = (dict(item) for item in INVOICES)
    assert allocate(150, gen) == [(10, D("100.00")), (20, D("50.00"))]


def test_module_is_pure():
    source = MODULE_PATH.read_text()
    assert "import odoo" not in source
    assert "from odoo" not in source
    assert "pure" in engine.__doc__


def test_shuffle_example_is_stable():
    items = [dict(item) for item in INVOICES]
    random.Random(4).shuffle(items)
    assert allocate(D("350"), items) == allocate(D("350"), INVOICES)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from ..controllers.stripe import EVENT_MAX_DEPTH, _depth, _event_error


def _event(event_type="payment_intent.succeeded", **obj):
    intent = {
        "id": "pi_1",
        "description": "INV-1",
        "amount": 1000,
        "currency": "usd",
        "status": "succeeded",
        "payment_method": "pm_1",
        **obj,
    }
    return {"id": "evt_1", "type": event_type, "data": {"object": intent}}


@tagged("post_install", "-at_install")
class TestStripeEventParsing(TransactionCase):
    """What the webhook accepts to read as a Stripe event (the HTTP side is
    in multi_site_billing's test_bad_input)."""

    def test_events_read(self):
        self.assertIsNone(_event_error(_event()))
        self.assertIsNone(_event_error(_event(description=None, status=None)))
        self.assertIsNone(
            _event_error(_event(payment_method={"id": "pm_1", "type": "card"}))
        )
        self.assertIsNone(
            _event_error(_event("charge.dispute.created", payment_intent="pi_1"))
        )
        refunds = {"data": [{"id": "re_1", "amount": 500}], "has_more": False}
        self.assertIsNone(_event_error(_event("charge.refunded", refunds=refunds)))
        # events Odoo does not handle: acknowledged whatever their data
        self.assertIsNone(_event_error({"type": "customer.created", "data": "x"}))

    def test_events_refused(self):
        for event in (
            None,
            [],
            "x",
            5,
            {},
            {"type": 5},
            {"type": ["payment_intent.succeeded"]},
            dict(_event(), id=None),
            dict(_event(), id=5),
            dict(_event(), data="x"),
            dict(_event(), data={"object": "x"}),
            dict(_event(), data={"object": [_event()]}),
            dict(_event("charge.dispute.created"), data="x"),
            _event(id=5),
            _event(id=None),
            _event(description=["x"]),
            _event(currency=5),
            _event(status=["succeeded"]),
            _event(amount="1000"),
            _event(amount=1000.0),
            _event(amount=True),
            _event(amount=-1),
            _event(amount=10**30),
            _event(payment_method=5),
            _event(last_payment_error="x"),
            _event(refunds="x"),
            _event("charge.dispute.created", payment_intent={"id": "pi_1"}),
            _event("charge.dispute.created", reason=5),
            _event("setup_intent.succeeded", payment_method=None),
            _event("charge.refunded"),
            _event("charge.refunded", refunds={"data": "x", "has_more": False}),
            _event("charge.refunded", refunds={"data": [{"id": 1}], "has_more": 0}),
        ):
            self.assertTrue(_event_error(event), repr(event)[:120])

    def test_depth(self):
        self.assertEqual(_depth("x"), 0)
        self.assertEqual(_depth({"a": [1, {"b": []}]}), 4)
        nested = []
        for _level in range(10_000):
            nested = [nested]
        # iterative: no recursion limit, stops past the limit
        self.assertGreater(_depth(nested), EVENT_MAX_DEPTH)
        self.assertTrue(_event_error({"type": "customer.created", "data": nested}))

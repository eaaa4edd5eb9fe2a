# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class PaymentAllocationStripeEvent(models.Model):
    """The Stripe webhook events already processed: a replay of one of them
    changes nothing."""

    _name = "payment.allocation.stripe.event"
    _description = "Processed Stripe Webhook Event"
    _order = "id desc"
    _rec_name = "event_id"

    event_id = fields.Char(required=True, readonly=True, index=True)
    event_type = fields.Char(readonly=True)
    provider_id = fields.Many2one(
        comodel_name="payment.provider", readonly=True, ondelete="cascade"
    )

    _sql_constraints = (
        ("event_id_unique", "UNIQUE(event_id)", "A Stripe event is processed once."),
    )

    @api.model
    def _payment_allocation_register(self, event_id, event_type, provider):
        """Record ``event_id`` as processed.

        :return: False when it already was (a replay), True otherwise.
        """
        self.env.cr.execute(
            """
            INSERT INTO payment_allocation_stripe_event
                (event_id, event_type, provider_id, create_uid, create_date,
                 write_uid, write_date)
            VALUES (%s, %s, %s, %s, now() at time zone 'UTC', %s,
                    now() at time zone 'UTC')
            ON CONFLICT (event_id) DO NOTHING
            RETURNING id
            """,
            (event_id, event_type, provider.id or None, self.env.uid, self.env.uid),
        )
        return bool(self.env.cr.fetchone())

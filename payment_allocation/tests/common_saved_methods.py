# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import PaymentAllocationCommonMixin


class SavedMethodsCommonMixin(PaymentAllocationCommonMixin):
    """Saved payment methods of the Demo provider, whose charges end in the
    state the token was saved with (payment_demo)."""

    @classmethod
    def _create_demo_token(cls, partner, state="done", details="4242"):
        return cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.payment_method.id,
                "partner_id": partner.id,
                "payment_details": details,
                "provider_ref": f"demo-{partner.id}-{details}",
                "demo_simulated_state": state,
            }
        )

    @classmethod
    def _stop_other_autopay(cls):
        """Only the tests' customers are on autopay (not the demo data's)."""
        cls.env["res.partner"].search(
            [("payment_allocation_autopay", "=", True)]
        ).payment_allocation_autopay = False

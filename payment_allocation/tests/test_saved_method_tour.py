# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import PaymentAllocationCommonMixin


@tagged("post_install", "-at_install", "portal_tour")
class TestSavedMethodTour(PaymentAllocationCommonMixin, HttpCase):
    """A method is saved while paying with the Demo provider, made the
    default, then paid with again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.provider.allow_tokenization = True
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])

    def test_tour_save_and_reuse_a_method(self):
        self.start_tour(
            "/my/invoices/pay",
            "payment_allocation_saved_method_tour",
            login="pa_contact",
        )
        first, second = (self.invoices[0] + self.invoices[1]).transaction_ids.sorted(
            "id"
        )
        token = self.env["payment.token"].search([("partner_id", "=", self.contact.id)])
        self.assertEqual(len(token), 1, "the method was saved once")
        self.assertEqual(token.payment_details, "4242424242424242")
        self.assertEqual(first.token_id, token)
        self.assertEqual(first.operation, "online_direct")
        self.assertEqual(second.token_id, token)
        self.assertEqual(second.operation, "online_token")
        self.assertEqual((first + second).mapped("state"), ["done", "done"])
        self.assertEqual(self.contact.payment_allocation_default_token_id, token)
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 0.0, 300.0])

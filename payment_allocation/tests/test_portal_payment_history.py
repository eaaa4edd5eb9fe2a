# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import PaymentAllocationCommonMixin


@tagged("post_install", "-at_install")
class TestPortalPaymentHistory(PaymentAllocationCommonMixin, HttpCase):
    """The payment history of customer_portal_invoices tells how an online
    payment was made (method and last digits of the saved card) and what the
    customer allocated it to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.contact.portal_invoice_access = "company"
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0])
        cls.token = cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.payment_method.id,
                "partner_id": cls.contact.id,
                "payment_details": "4242",
                "provider_ref": "pa-history-token",
                "demo_simulated_state": "done",
            }
        )

    def _online_payment(self, token=None, reference="PA-HISTORY"):
        tx = self._create_allocated_transaction(self.invoices, reference=reference)
        if token:
            tx.write({"token_id": token.id, "operation": "online_token"})
        tx._set_done()
        tx._post_process()
        self.assertTrue(tx.payment_id)
        return tx.payment_id

    def test_method_label_with_saved_card(self):
        payment = self._online_payment(token=self.token)
        label = payment._portal_payment_method_labels()[payment.id]
        self.assertEqual(label, f"{self.payment_method.name} •••• 4242")
        self.authenticate("pa_contact", "pa_contact")
        response = self.url_open("/my/payments")
        self.assertEqual(response.status_code, 200)
        self.assertIn("•••• 4242", response.text)
        self.assertIn(payment.name, response.text)
        response = self.url_open(f"/my/payments/{payment.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("•••• 4242", response.text)
        for invoice in self.invoices:
            self.assertIn(invoice.name, response.text)

    def test_method_label_without_token(self):
        payment = self._online_payment(reference="PA-HISTORY-NEW")
        label = payment._portal_payment_method_labels()[payment.id]
        self.assertEqual(label, self.payment_method.name)

    def test_allocation_from_reconciliation_then_from_lines(self):
        payment = self._online_payment()
        expected = [(self.invoices[0], 100.0), (self.invoices[1], 200.0)]
        allocation = payment._portal_payment_allocations()[payment.id]
        self.assertEqual(allocation["lines"], expected)
        # not (or no longer) reconciled: the allocation the customer paid
        payment.move_id.line_ids.remove_move_reconcile()
        payment.invalidate_recordset()
        allocation = payment._portal_payment_allocations()[payment.id]
        self.assertEqual(allocation["lines"], expected)
        self.assertEqual(allocation["unapplied"], 0.0)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .test_portal_payment import PAY, TRANSACTION, PortalPaymentMixin

REFUSED = "cannot be used here"


@tagged("post_install", "-at_install")
class TestPortalChecks(PortalPaymentMixin, HttpCase):
    """What the browser chooses (provider, payment method, token) and the
    invoices it may pay are checked on the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])
        Token = cls.env["payment.token"]
        token_values = {
            "provider_id": cls.provider.id,
            "payment_method_id": cls.payment_method.id,
            "payment_details": "4242",
            "provider_ref": "demo-token",
            "demo_simulated_state": "done",
        }
        cls.token = Token.create(dict(token_values, partner_id=cls.contact.id))
        cls.other_token = Token.create(
            dict(token_values, partner_id=cls.other_customer.id)
        )

    def setUp(self):
        super().setUp()
        self.authenticate("pa_contact", "pa_contact")

    def _params(self, **changes):
        params = self._tx_params(
            100.0, mode="select", invoice_ids=self.invoices[:1].ids
        )
        params.update(changes)
        return params

    # ------------------------------------------------------------------
    # Provider, payment method, token
    # ------------------------------------------------------------------

    def test_unpublished_provider_refused(self):
        self.provider.is_published = False
        self._assert_refused(self._params(), REFUSED)

    def test_disabled_provider_refused(self):
        self.provider.state = "disabled"
        self._assert_refused(self._params(), REFUSED)

    def test_provider_not_for_the_currency_refused(self):
        self.provider.available_currency_ids = self.env.ref("base.EUR")
        self._assert_refused(self._params(), REFUSED)

    def test_payment_method_not_of_the_provider_refused(self):
        method = self.env["payment.method"].create(
            {"name": "Not Demo", "code": "pa_not_demo", "active": True}
        )
        self._assert_refused(self._params(payment_method_id=method.id), REFUSED)
        self._assert_refused(self._params(payment_method_id="x"), REFUSED)

    def test_missing_flow_or_provider_gives_an_error(self):
        params = self._params()
        del params["flow"]
        self._assert_refused(params, "Choose a payment method")
        self._assert_refused(self._params(flow="bogus"), "Choose a payment method")
        params = self._params()
        del params["provider_id"]
        self._assert_refused(params, REFUSED)
        params = self._params(flow="token")
        del params["token_id"]
        self._assert_refused(params, REFUSED)

    def test_token_of_another_customer_refused(self):
        self._assert_refused(
            self._params(flow="token", token_id=self.other_token.id), REFUSED
        )

    def test_archived_token_refused(self):
        self.token.active = False
        self._assert_refused(
            self._params(flow="token", token_id=self.token.id), REFUSED
        )

    def test_own_token_accepted(self):
        before = self._tx_count()
        result = self._rpc(
            TRANSACTION,
            self._params(flow="token", token_id=self.token.id, provider_id=None),
        )
        self.assertNotIn("error", result, result.get("error"))
        self.assertEqual(self._tx_count(), before + 1)
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", result["result"]["reference"])])
        )
        self.assertEqual(tx.token_id, self.token)
        self.assertEqual(tx.provider_id, self.provider)
        self.assertEqual(tx.invoice_ids, self.invoices[:1])

    # ------------------------------------------------------------------
    # Odoo's Invoice Online Payment switch (account_payment)
    # ------------------------------------------------------------------

    def _switch_portal_payment_off(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", False
        )

    def test_portal_payment_switch_off(self):
        self.assertTrue(self.invoices[0]._payment_allocation_pay_allowed())
        self._switch_portal_payment_off()
        self.assertFalse(self.invoices[0]._payment_allocation_pay_allowed())
        response = self.url_open(PAY, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/invoices"))
        self._assert_refused(self._params(), "is not available")
        response = self.url_open("/my/invoices")
        self.assertNotIn("o_payment_allocation_link", response.text)

    # ------------------------------------------------------------------
    # Invoices with a payment being processed
    # ------------------------------------------------------------------

    def test_invoice_with_pending_transaction_not_payable(self):
        pending_invoice = self.invoices[0]
        tx = self._create_allocated_transaction(pending_invoice, reference="PA-PEND")
        tx._set_pending()
        response = self.url_open(PAY)
        self.assertNotIn(f'data-invoice-id="{pending_invoice.id}"', response.text)
        self.assertIn(f'data-invoice-id="{self.invoices[1].id}"', response.text)
        self._assert_refused(self._params(), "being processed")
        # A custom amount skips it and starts with the next invoice.
        preview = self._rpc(
            f"{PAY}/preview",
            {"mode": "custom", "custom_amount": "150", "currency_id": self.currency.id},
        )["result"]
        self.assertEqual(
            [line["id"] for line in preview["lines"]], self.invoices[1:2].ids
        )
        with self.assertRaisesRegex(UserError, "being processed"):
            self.env["payment.transaction"]._payment_allocation_prepare(pending_invoice)
        # Once the transaction is cancelled, the invoice can be paid again.
        tx._set_canceled()
        self.assertEqual(
            self.env["payment.transaction"]._payment_allocation_prepare(
                pending_invoice
            )[0],
            100.0,
        )

    # ------------------------------------------------------------------
    # Partial amount on the invoice page
    # ------------------------------------------------------------------

    def test_invoice_partial_amount_rounded(self):
        invoice = self.invoices[0]
        params = self._tx_params(12.504, access_token=invoice._portal_ensure_token())
        result = self._rpc(f"/invoice/transaction/{invoice.id}", params)
        self.assertNotIn("error", result, result.get("error"))
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", result["result"]["reference"])])
        )
        self.assertEqual(tx.amount, 12.5)
        self.assertEqual(result["result"]["amount"], 12.5)


@tagged("post_install", "-at_install")
class TestPortalTwoCompanies(PortalPaymentMixin, HttpCase):
    """One currency, invoices of two seller companies: the page and the
    payment are per company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.company_b = cls.env["res.company"].create(
            {"name": "Allocation Seller B", "currency_id": cls.currency.id}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_b, install_demo=False
        )
        cls.user.write({"company_ids": [(4, cls.company_b.id)]})
        cls.invoices_a = cls._create_invoices(cls.customer, [100.0, 200.0])
        cls.invoices_b = cls._create_invoices(
            cls.customer, [50.0, 70.0], company=cls.company_b
        )
        cls.provider_b = cls.provider.copy({"company_id": cls.company_b.id})
        cls.provider_b.write({"state": "test", "is_published": True})

    def test_page_and_payment_per_company(self):
        self.assertEqual(self.invoices_b.company_id, self.company_b)
        self.authenticate("pa_contact", "pa_contact")
        response = self.url_open(
            f"{PAY}?currency_id={self.currency.id}&company_id={self.company_b.id}"
        )
        for invoice in self.invoices_b:
            self.assertIn(f'data-invoice-id="{invoice.id}"', response.text)
        for invoice in self.invoices_a:
            self.assertNotIn(f'data-invoice-id="{invoice.id}"', response.text)
        self.assertIn("Allocation Seller B", response.text)
        params = self._tx_params(
            120.0,
            mode="select",
            select_all=True,
            currency_id=self.currency.id,
            company_id=self.company_b.id,
        )
        params["payment_method_id"] = self.provider_b.payment_method_ids[:1].id
        # The provider of the other company cannot pay these invoices.
        self._assert_refused(dict(params, provider_id=self.provider.id), REFUSED)
        params["provider_id"] = self.provider_b.id
        result = self._rpc(TRANSACTION, params)
        self.assertNotIn("error", result, result.get("error"))
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", result["result"]["reference"])])
        )
        self.assertEqual(tx.invoice_ids, self.invoices_b)
        self.assertEqual(tx.company_id, self.company_b)
        # A custom amount of company A only reaches company A's invoices.
        preview = self._rpc(
            f"{PAY}/preview",
            {
                "mode": "custom",
                "custom_amount": "250",
                "currency_id": self.currency.id,
                "company_id": self.invoices_a.company_id.id,
            },
        )["result"]
        self.assertEqual([line["id"] for line in preview["lines"]], self.invoices_a.ids)

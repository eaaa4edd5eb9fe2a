# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.customer_portal_invoices.tests.common import JsonRpcMixin

from .common import PaymentAllocationCommonMixin

PAY = "/my/invoices/pay"
TRANSACTION = "/my/invoices/pay/transaction"


class PortalPaymentMixin(JsonRpcMixin, PaymentAllocationCommonMixin):
    def _tx_count(self):
        return self.env["payment.transaction"].sudo().search_count([])

    def _tx_params(self, amount, **selection):
        return {
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method.id,
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": PAY,
            "is_validation": False,
            "amount": amount,
            **selection,
        }

    def _pay(self, amount, **selection):
        """Create the transaction through the portal route, then let the Demo
        provider confirm it and the status page post-process it."""
        result = self._rpc(TRANSACTION, self._tx_params(amount, **selection))
        self.assertNotIn("error", result, result.get("error"))
        reference = result["result"]["reference"]
        self._rpc(
            "/payment/demo/simulate_payment",
            {
                "reference": reference,
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        self._rpc("/payment/status/poll", {})
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", reference)])
        )
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.is_post_processed)
        return tx

    def _assert_refused(self, params, message, route=TRANSACTION):
        before = self._tx_count()
        with mute_logger("odoo.http"):
            result = self._rpc(route, params)
        self.assertIn("error", result, f"{params} should be refused")
        self.assertIn(message, result["error"]["data"]["message"])
        self.assertEqual(self._tx_count(), before, "no transaction is created")


@tagged("post_install", "-at_install")
class TestPortalPayment(PortalPaymentMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0, 400.0])
        cls.other_invoice = cls._create_invoices(cls.other_customer, [70.0])
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.eur_invoice = cls._create_invoices(cls.customer, [80.0], currency=cls.eur)

    def setUp(self):
        super().setUp()
        self.authenticate("pa_contact", "pa_contact")

    def test_page_renders(self):
        response = self.url_open(f"{PAY}?currency_id={self.currency.id}")
        self.assertEqual(response.status_code, 200)
        for invoice in self.invoices:
            self.assertIn(f'data-invoice-id="{invoice.id}"', response.text)
        self.assertNotIn(f'data-invoice-id="{self.other_invoice.id}"', response.text)
        self.assertNotIn(f'data-invoice-id="{self.eur_invoice.id}"', response.text)
        self.assertIn("Account Overview", response.text)
        self.assertIn("How will you be paying today?", response.text)
        self.assertIn('id="o_payment_form"', response.text)

    def test_pay_three_selected_invoices(self):
        invoices = self.invoices[:3]
        tx = self._pay(600.0, mode="select", invoice_ids=invoices.ids)
        self.assertEqual(tx.amount, 600.0)
        self.assertEqual(tx.partner_id, self.contact)
        self.assertEqual(tx.invoice_ids, invoices)
        self.assertEqual(tx.landing_route, f"{PAY}/receipt/{tx.id}")
        self.assertEqual(tx.payment_id.amount, 600.0)
        self.assertEqual(tx.payment_id.partner_id, self.customer)
        self.assertEqual(invoices.mapped("amount_residual"), [0.0, 0.0, 0.0])
        self.assertEqual(self.invoices[3].amount_residual, 400.0)
        response = self.url_open(tx.landing_route)
        self.assertIn("Payment received", response.text)
        self.assertIn(invoices[2].name, response.text)

    def test_pay_custom_amount(self):
        preview = self._rpc(
            f"{PAY}/preview",
            {"mode": "custom", "custom_amount": "450", "currency_id": self.currency.id},
        )["result"]
        self.assertEqual(
            [line["id"] for line in preview["lines"]], self.invoices[:3].ids
        )
        self.assertEqual([line["amount"] for line in preview["lines"]], [100, 200, 150])
        self.assertTrue(preview["lines"][-1]["partial"])
        tx = self._pay(
            450.0, mode="custom", custom_amount="450", currency_id=self.currency.id
        )
        self.assertEqual(
            tx.payment_allocation_line_ids.mapped("amount_applied"),
            [100.0, 200.0, 150.0],
        )
        self.assertEqual(
            self.invoices.mapped("amount_residual"), [0.0, 0.0, 150.0, 400.0]
        )

    def test_preview_error(self):
        result = self._rpc(
            f"{PAY}/preview",
            {
                "mode": "custom",
                "custom_amount": "5000",
                "currency_id": self.currency.id,
            },
        )["result"]
        self.assertIn("more than your open balance", result["error"])

    def test_tampering_refused(self):
        ids = self.invoices[:3].ids
        cases = [
            # The amount changed in the browser.
            (self._tx_params(599.0, mode="select", invoice_ids=ids), "does not match"),
            (self._tx_params(6000.0, mode="select", invoice_ids=ids), "does not match"),
            # Another customer's invoice.
            (
                self._tx_params(
                    170.0, mode="select", invoice_ids=[ids[0], self.other_invoice.id]
                ),
                "cannot be paid",
            ),
            # Duplicate ids.
            (
                self._tx_params(200.0, mode="select", invoice_ids=[ids[0], ids[0]]),
                "more than once",
            ),
            # Too many ids.
            (
                self._tx_params(100.0, mode="select", invoice_ids=list(range(1, 202))),
                "at most 200",
            ),
            # Not ids.
            (self._tx_params(100.0, mode="select", invoice_ids=["x"]), "invalid"),
            (self._tx_params(100.0, mode="select", invoice_ids=[]), "Select at least"),
            (
                self._tx_params(100.0, mode="select", invoice_ids="1,2"),
                "Select at least",
            ),
            # Mixed currencies.
            (
                self._tx_params(
                    180.0, mode="select", invoice_ids=[ids[0], self.eur_invoice.id]
                ),
                "different currencies",
            ),
            (self._tx_params(100.0, mode="bogus", invoice_ids=ids), "Choose whether"),
        ]
        for amount, message in [
            ("-10", "greater than zero"),
            ("0", "greater than zero"),
            ("0.001", "greater than zero"),
            ("NaN", "not a valid amount"),
            ("inf", "not a valid amount"),
            ("1e308", "not a valid amount"),
            ("99999999999", "more than your open balance"),
            ("abc", "not a number"),
            ("", "Enter the amount"),
        ]:
            cases.append(
                (
                    self._tx_params(
                        100.0,
                        mode="custom",
                        custom_amount=amount,
                        currency_id=self.currency.id,
                    ),
                    message,
                )
            )
        # The custom amount is valid but the browser shows another one.
        cases.append(
            (
                self._tx_params(
                    "NaN",
                    mode="custom",
                    custom_amount="100",
                    currency_id=self.currency.id,
                ),
                "not a valid amount",
            )
        )
        cases.append(
            (
                self._tx_params(
                    90.0,
                    mode="custom",
                    custom_amount="100",
                    currency_id=self.currency.id,
                ),
                "does not match",
            )
        )
        # Unexpected parameters are not passed to the transaction.
        params = self._tx_params(100.0, mode="select", invoice_ids=ids[:1])
        params["partner_id"] = self.other_customer.id
        cases.append((params, "not whitelisted"))
        for params, message in cases:
            with self.subTest(params=params):
                self._assert_refused(params, message)

    def test_provider_of_another_company_refused(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        provider = self.provider.copy({"company_id": other_company.id})
        params = self._tx_params(
            100.0, mode="select", invoice_ids=self.invoices[:1].ids
        )
        params["provider_id"] = provider.id
        self._assert_refused(params, "cannot be used here")
        params["provider_id"] = "abc"
        self._assert_refused(params, "cannot be used here")

    def test_single_invoice_route_checks_amount(self):
        invoice = self.invoices[0]
        token = invoice._portal_ensure_token()
        route = f"/invoice/transaction/{invoice.id}"
        base = self._tx_params(100.0)
        base["access_token"] = token
        for amount, message in [
            (100.01, "more than the amount due"),
            (1e9, "more than the amount due"),
            (0, "greater than zero"),
            (-5, "greater than zero"),
            ("abc", "not a number"),
            (None, "Enter the amount"),
        ]:
            with self.subTest(amount=amount):
                self._assert_refused(dict(base, amount=amount), message, route=route)
        # A partial amount typed by the customer is accepted and paid.
        before = self._tx_count()
        result = self._rpc(route, dict(base, amount=40.0))
        self.assertNotIn("error", result)
        self.assertEqual(self._tx_count(), before + 1)
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", result["result"]["reference"])])
        )
        self.assertEqual(tx.amount, 40.0)

    def test_receipt_of_someone_else_redirects(self):
        tx = self._create_allocated_transaction(self.invoices[:1])
        tx.partner_id = self.customer
        response = self.url_open(f"{PAY}/receipt/{tx.id}")
        self.assertNotIn("o_payment_allocation_receipt", response.text)


@tagged("post_install", "-at_install")
class TestPortalPaymentAccessLevels(PortalPaymentMixin, HttpCase):
    """Contacts limited to their own documents, or to none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        Partner = cls.env["res.partner"]
        cls.contact.portal_invoice_access = "own"
        cls.sibling = Partner.create(
            {"name": "Allocation Sibling", "parent_id": cls.customer.id}
        )
        cls.no_access = Partner.create(
            {
                "name": "Allocation No Access",
                "parent_id": cls.customer.id,
                "portal_invoice_access": "none",
            }
        )
        cls._create_portal_user(cls.no_access, "pa_none")
        cls.own_invoice = cls._create_invoices(cls.contact, [100.0])
        cls.sibling_invoice = cls._create_invoices(cls.sibling, [50.0])
        # Partially paid overdue invoice of the contact, for the stock route.
        cls.overdue_invoice = cls._create_invoices(cls.contact, [300.0], start_days=-10)

    def test_own_contact_cannot_pay_sibling_invoice(self):
        self.authenticate("pa_contact", "pa_contact")
        response = self.url_open(PAY)
        self.assertIn(f'data-invoice-id="{self.own_invoice.id}"', response.text)
        self.assertNotIn(f'data-invoice-id="{self.sibling_invoice.id}"', response.text)
        self._assert_refused(
            self._tx_params(50.0, mode="select", invoice_ids=self.sibling_invoice.ids),
            "cannot be paid",
        )
        self._assert_refused(
            self._tx_params(
                150.0,
                mode="select",
                invoice_ids=(self.own_invoice + self.sibling_invoice).ids,
            ),
            "cannot be paid",
        )
        # A custom amount only reaches the contact's own invoices.
        self._assert_refused(
            self._tx_params(
                450.0, mode="custom", custom_amount="450", currency_id=self.currency.id
            ),
            "more than your open balance",
        )
        tx = self._pay(
            400.0, mode="custom", custom_amount="400", currency_id=self.currency.id
        )
        self.assertEqual(tx.invoice_ids, self.overdue_invoice + self.own_invoice)
        self.assertEqual(self.sibling_invoice.amount_residual, 50.0)

    def test_no_access_contact_gets_no_payment_page(self):
        self.authenticate("pa_none", "pa_none")
        response = self.url_open(PAY)
        self.assertNotIn("o_payment_allocation_page", response.text)
        # not a silent bounce: the page it lands on says why
        self.assertTrue(response.url.endswith("/my/invoices"), response.url)
        self.assertIn("o_portal_invoice_access_denied", response.text)
        self._assert_refused(
            self._tx_params(100.0, mode="select", invoice_ids=self.own_invoice.ids),
            "not allowed to pay",
        )

    def test_overdue_payment_charges_the_residual(self):
        self._pay_in_back_office(self.overdue_invoice, 120.0)
        self.assertEqual(self.overdue_invoice.amount_residual, 180.0)
        self.authenticate("pa_contact", "pa_contact")
        response = self.url_open("/my/invoices/overdue")
        self.assertEqual(response.status_code, 200)
        # Overdue: 100.0 (own invoice) + 180.0 still due on the other one.
        self.assertIn('data-amount="280.0"', response.text)
        params = self._tx_params(400.0, payment_reference=self.overdue_invoice.name)
        overdue_route = "/invoice/transaction/overdue"
        # The invoice totals (stock Odoo's amount) are more than what is due.
        self._assert_refused(params, "more than the amount due", route=overdue_route)
        self._assert_refused(
            dict(params, amount=200.0), "does not match", route=overdue_route
        )
        self._assert_refused(
            dict(params, amount=-1),
            "greater than zero",
            route="/invoice/transaction/overdue",
        )
        result = self._rpc("/invoice/transaction/overdue", dict(params, amount=280.0))
        self.assertNotIn("error", result)
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", result["result"]["reference"])])
        )
        self.assertEqual(tx.amount, 280.0)
        tx._set_done()
        tx._post_process()
        self.assertEqual(self.overdue_invoice.amount_residual, 0.0)
        self.assertEqual(self.own_invoice.amount_residual, 0.0)
        self.assertEqual(tx.payment_id.amount, 280.0)

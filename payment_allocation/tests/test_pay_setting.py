# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .test_portal_payment import PAY, TRANSACTION, PortalPaymentMixin

OVERDUE_PAGE = "/my/invoices/overdue"
OVERDUE_TRANSACTION = "/invoice/transaction/overdue"
NOT_AVAILABLE = "is not available"


@tagged("post_install", "-at_install")
class TestPaySetting(PortalPaymentMixin, HttpCase):
    """The company setting portal_invoice_allow_pay, on every payment route
    and button of the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        # Overdue invoices of the contact itself (the stock overdue page pays
        # the user's own contact's invoices only).
        cls.invoices = cls._create_invoices(cls.contact, [100.0, 200.0])
        cls.invoice = cls.invoices[0]

    def setUp(self):
        super().setUp()
        self.authenticate("pa_contact", "pa_contact")

    def _turn_pay_off(self):
        self.company.portal_invoice_allow_pay = False

    def _get(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (200, 303), url)
        return response

    def _assert_redirects(self, url, target):
        response = self._get(url)
        self.assertEqual(response.status_code, 303, url)
        self.assertTrue(
            response.headers["Location"].endswith(target),
            f"{url} redirects to {response.headers['Location']}",
        )

    def _invoice_route_params(self, invoice, amount):
        return dict(
            self._tx_params(amount), access_token=invoice._portal_ensure_token()
        )

    # ------------------------------------------------------------------
    # Model
    # ------------------------------------------------------------------

    def test_has_to_be_paid_follows_the_setting(self):
        self.assertTrue(self.invoice._has_to_be_paid())
        self._turn_pay_off()
        self.assertFalse(self.invoice._has_to_be_paid())
        self.assertIn(
            "Online payment of this invoice is not available",
            self.invoice._get_online_payment_error(),
        )
        Move = self.env["account.move"]
        open_domain = Move._payment_allocation_open_domain(self.customer)
        self.assertFalse(Move.search(open_domain))

    # ------------------------------------------------------------------
    # Pages and buttons
    # ------------------------------------------------------------------

    def test_pay_on_pages_and_buttons(self):
        response = self._get(PAY)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'data-invoice-id="{self.invoice.id}"', response.text)
        invoices_page = self._get("/my/invoices").text
        self.assertIn("o_payment_allocation_link", invoices_page)
        self.assertIn("Pay Now", invoices_page)
        self.assertIn(f'href="{OVERDUE_PAGE}"', invoices_page)
        invoice_page = self._get(self.invoice.get_portal_url()).text
        self.assertIn('data-bs-target="#pay_with"', invoice_page)
        self.assertIn('id="portal_pay"', invoice_page)
        self.assertIn('id="pay_with"', invoice_page)
        self.assertIn(OVERDUE_PAGE, self._get("/my").text)
        response = self._get(OVERDUE_PAGE)
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="o_payment_form"', response.text)

    def test_pay_off_pages_redirect(self):
        self._turn_pay_off()
        self._assert_redirects(PAY, "/my/invoices")
        self._assert_redirects(f"{PAY}/page/2", "/my/invoices")
        self._assert_redirects(OVERDUE_PAGE, "/my/invoices")

    def test_pay_off_buttons_hidden(self):
        self._turn_pay_off()
        invoices_page = self._get("/my/invoices").text
        self.assertIn(self.invoice.name, invoices_page)
        self.assertNotIn("o_payment_allocation_link", invoices_page)
        self.assertNotIn("Pay Now", invoices_page)
        self.assertNotIn(OVERDUE_PAGE, invoices_page)
        invoice_page = self._get(self.invoice.get_portal_url()).text
        self.assertIn(self.invoice.name, invoice_page)
        self.assertNotIn("#pay_with", invoice_page)
        self.assertNotIn('id="portal_pay"', invoice_page)
        self.assertNotIn('id="pay_with"', invoice_page)
        self.assertNotIn("Pay Now", invoice_page)
        # The dialog does not open from a link either.
        invoice_page = self._get(
            self.invoice.get_portal_url(query_string="&payment=True")
        ).text
        self.assertNotIn('id="pay_with"', invoice_page)
        home = self._get("/my").text
        self.assertIn("Invoices to pay", home)
        self.assertNotIn(OVERDUE_PAGE, home)

    # ------------------------------------------------------------------
    # JSON routes
    # ------------------------------------------------------------------

    def test_pay_off_json_routes_refused(self):
        self._turn_pay_off()
        ids = self.invoices.ids
        self._assert_refused(
            self._tx_params(300.0, mode="select", invoice_ids=ids), NOT_AVAILABLE
        )
        self._assert_refused(
            self._tx_params(
                50.0, mode="custom", custom_amount="50", currency_id=self.currency.id
            ),
            NOT_AVAILABLE,
        )
        self._assert_refused(
            self._tx_params(300.0, mode="select", select_all=True), NOT_AVAILABLE
        )
        preview = self._rpc(f"{PAY}/preview", {"mode": "select", "invoice_ids": ids})
        self.assertIn(NOT_AVAILABLE, preview["result"]["error"])
        self._assert_refused(
            self._invoice_route_params(self.invoice, 100.0),
            NOT_AVAILABLE,
            route=f"/invoice/transaction/{self.invoice.id}",
        )
        self._assert_refused(
            self._tx_params(300.0, payment_reference=self.invoice.name),
            NOT_AVAILABLE,
            route=OVERDUE_TRANSACTION,
        )
        self.assertFalse(self.invoices.transaction_ids)

    def test_pay_off_public_invoice_link_refused(self):
        """The access-token route refuses for a logged-out customer too."""
        self._turn_pay_off()
        self.authenticate(None, None)
        self._assert_refused(
            self._invoice_route_params(self.invoice, 100.0),
            NOT_AVAILABLE,
            route=f"/invoice/transaction/{self.invoice.id}",
        )

    def test_pay_on_json_routes_work(self):
        tx = self._pay(100.0, mode="select", invoice_ids=self.invoice.ids)
        self.assertEqual(tx.invoice_ids, self.invoice)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        other = self.invoices[1]
        before = self._tx_count()
        result = self._rpc(
            OVERDUE_TRANSACTION, self._tx_params(200.0, payment_reference=other.name)
        )
        self.assertNotIn("error", result)
        self.assertEqual(self._tx_count(), before + 1)
        third = self._create_invoices(self.contact, [70.0])
        result = self._rpc(
            f"/invoice/transaction/{third.id}", self._invoice_route_params(third, 50.0)
        )
        self.assertNotIn("error", result)
        self.assertEqual(self._tx_count(), before + 2)

    def test_pay_setting_is_read_per_request(self):
        """Turning the setting back on restores payments."""
        self._turn_pay_off()
        self._assert_refused(
            self._tx_params(100.0, mode="select", invoice_ids=self.invoice.ids),
            NOT_AVAILABLE,
            route=TRANSACTION,
        )
        self.company.portal_invoice_allow_pay = True
        tx = self._pay(100.0, mode="select", invoice_ids=self.invoice.ids)
        self.assertEqual(tx.state, "done")

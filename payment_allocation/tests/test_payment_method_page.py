# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.customer_portal_invoices.tests.common import JsonRpcMixin

from .common_saved_methods import SavedMethodsCommonMixin

PAGE = "/my/payment_method"


@tagged("post_install", "-at_install")
class TestPaymentMethodPage(JsonRpcMixin, SavedMethodsCommonMixin, HttpCase):
    """/my/payment_method: the methods a contact may use, delete only its own,
    a default preselected when paying, autopay on and off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.company.payment_allocation_share_tokens = True
        cls.contact.portal_invoice_access = "company"
        cls.sibling = cls.env["res.partner"].create(
            {
                "name": "Own Contact",
                "parent_id": cls.customer.id,
                "portal_invoice_access": "own",
            }
        )
        cls._create_portal_user(cls.sibling, "pa_own")
        other_contact = cls.env["res.partner"].create(
            {
                "name": "Other Contact",
                "parent_id": cls.other_customer.id,
                "portal_invoice_access": "company",
            }
        )
        cls._create_portal_user(other_contact, "pa_other")
        cls.mine = cls._create_demo_token(cls.contact, details="1111")
        cls.siblings = cls._create_demo_token(cls.sibling, details="2222")
        cls.company_token = cls._create_demo_token(cls.customer, details="3333")
        cls.others = cls._create_demo_token(other_contact, details="4444")
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0])

    def _page(self, login):
        self.authenticate(login, login)
        response = self.url_open(PAGE)
        self.assertEqual(response.status_code, 200)
        return response.text

    def _post(self, route, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(route, data=data)

    @staticmethod
    def _listed(html, token):
        return f'id="o_payment_token_{token.id}"' in html

    @staticmethod
    def _deletable(html, token):
        return f'data-linked-radio="o_payment_token_{token.id}"' in html

    @staticmethod
    def _preselected(html, token):
        tag = re.search(rf'<input[^>]*id="o_payment_token_{token.id}"[^>]*>', html)
        return bool(tag) and "checked" in tag.group(0)

    def test_company_contact_lists_shared_methods_deletes_its_own(self):
        html = self._page("pa_contact")
        for token in (self.mine, self.siblings, self.company_token):
            self.assertTrue(self._listed(html, token), token.payment_details)
        self.assertFalse(self._listed(html, self.others))
        self.assertTrue(self._deletable(html, self.mine))
        self.assertTrue(self._deletable(html, self.company_token))
        self.assertFalse(self._deletable(html, self.siblings), "used, not managed")
        self.assertIn("Pay my invoices automatically on their due date", html)

    def test_own_contact_lists_only_its_methods(self):
        html = self._page("pa_own")
        self.assertTrue(self._listed(html, self.siblings))
        for token in (self.mine, self.company_token, self.others):
            self.assertFalse(self._listed(html, token), token.payment_details)
        self.assertNotIn("Pay my invoices automatically on their due date", html)
        self.assertIn("can turn it on", html)

    def _archive(self, token):
        with mute_logger("odoo.http"):
            return self._rpc("/payment/archive_token", {"token_id": token.id})

    def test_only_the_owner_deletes(self):
        self.authenticate("pa_own", "pa_own")
        self.assertIn("error", self._archive(self.mine))
        self.assertIn("error", self._archive(self.company_token))
        self.authenticate("pa_other", "pa_other")
        self.assertIn("error", self._archive(self.mine))
        self.authenticate("pa_contact", "pa_contact")
        self.assertIn("error", self._archive(self.siblings))
        tokens = self.mine + self.siblings + self.company_token
        self.assertTrue(all(tokens.mapped("active")), "nothing deleted")
        result = self._archive(self.mine)
        self.assertNotIn("error", result)
        self.assertFalse(self.mine.active)
        self.assertNotIn("error", self._archive(self.company_token))
        self.assertFalse(self.company_token.active)
        self.assertTrue(self.siblings.active)

    def test_default_method_preselected_on_the_payment_page(self):
        self.authenticate("pa_contact", "pa_contact")
        pay_page = self.url_open("/my/invoices/pay").text
        self.assertTrue(self._preselected(pay_page, self.mine), "stock: the first")
        response = self._post(f"{PAGE}/default", token_id=self.siblings.id)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.contact.payment_allocation_default_token_id, self.siblings
        )
        self.assertIn("o_payment_allocation_default_badge", response.text)
        pay_page = self.url_open("/my/invoices/pay").text
        self.assertTrue(self._preselected(pay_page, self.siblings))
        self.assertFalse(self._preselected(pay_page, self.mine))
        # Cleared.
        self._post(f"{PAGE}/default", token_id="")
        self.assertFalse(self.contact.payment_allocation_default_token_id)

    def test_default_only_among_usable_methods(self):
        self.authenticate("pa_own", "pa_own")
        response = self._post(f"{PAGE}/default", token_id=self.mine.id)
        self.assertIn("o_payment_allocation_error", response.text)
        self.assertFalse(self.sibling.payment_allocation_default_token_id)
        self.authenticate("pa_other", "pa_other")
        response = self._post(f"{PAGE}/default", token_id=self.mine.id)
        self.assertIn("You may not use this saved payment method", response.text)
        self._post(f"{PAGE}/default", token_id="not a number")
        self.assertFalse(self.contact.payment_allocation_default_token_id)

    def test_autopay_on_and_off(self):
        self.authenticate("pa_contact", "pa_contact")
        response = self._post(f"{PAGE}/autopay", token_id=self.mine.id)
        self.assertIn("Automatic payment is on", response.text)
        self.assertTrue(self.customer.payment_allocation_autopay)
        self.assertEqual(self.customer.payment_allocation_autopay_token_id, self.mine)
        self.assertIn("o_payment_allocation_autopay_badge", response.text)
        # A contact with access to its own invoices only may not stop it.
        self.authenticate("pa_own", "pa_own")
        response = self._post(f"{PAGE}/autopay", opt_out=1)
        self.assertIn("o_payment_allocation_error", response.text)
        self.assertTrue(self.customer.payment_allocation_autopay)
        # Another company's contact changes only its own customer, and not
        # with our method.
        self.authenticate("pa_other", "pa_other")
        response = self._post(f"{PAGE}/autopay", token_id=self.mine.id)
        self.assertIn("o_payment_allocation_error", response.text)
        self.assertFalse(self.other_customer.payment_allocation_autopay)
        self._post(f"{PAGE}/autopay", opt_out=1)
        self.assertTrue(self.customer.payment_allocation_autopay)
        # Opting out is immediate.
        self.authenticate("pa_contact", "pa_contact")
        self.assertIn("Stop automatic payment", self._page("pa_contact"))
        response = self._post(f"{PAGE}/autopay", opt_out=1)
        self.assertIn("Automatic payment is off", response.text)
        self.assertFalse(self.customer.payment_allocation_autopay)

    def test_deleting_the_autopay_method_stops_autopay(self):
        self.customer._payment_allocation_autopay_opt_in(self.mine, user=self.user)
        self.authenticate("pa_contact", "pa_contact")
        self.assertNotIn("error", self._archive(self.mine))
        self.assertFalse(self.customer.payment_allocation_autopay)
        html = self._page("pa_contact")
        self.assertNotIn("Stop automatic payment", html)

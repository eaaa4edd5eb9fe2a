# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import MultiSiteCommon

OUR_MODULES = ("customer_portal_invoices", "payment_allocation", "multi_site_billing")

# The portal routes of our addons that only read: served by a read-only
# cursor (a replica when `db_replica_host` is set). Every other route of ours
# writes (a payment, a saved method, a comment) or overrides a stock route
# whose mode stock decides, and stays read/write.
READONLY_ROUTES = {
    "/my/statement",
    "/my/statement/pdf",
    "/my/payments",
    "/my/payments/page/<int:page>",
    "/my/payments/<int:payment_id>",
    "/my/parent_invoices/<int:parent_id>",
    "/my/invoices/pay/preview",
    "/my/invoices/pay/receipt/<int:tx_id>",
}

# Routes of ours that write, and so must never be read-only.
WRITING_ROUTES = {
    "/my/invoices/pay/transaction",
    "/my/invoices/pay/credit",
    "/my/payment_method/default",
    "/my/payment_method/autopay",
    "/my/invoices/<int:invoice_id>/query",
}


def _defining_module(endpoint):
    """The addon whose controller first declares ``endpoint``'s route (an
    override of a stock route is stock's route)."""
    controller = endpoint.func.__self__
    name = endpoint.func.__name__
    for cls in reversed(type(controller).mro()):
        method = vars(cls).get(name)
        if getattr(method, "original_routing", None) is not None:
            return cls.__module__.split(".")[2]
    return None


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(MultiSiteCommon, HttpCase):
    """Our read-only routes render with a read-only cursor and write nothing
    on the way: Odoo never has to retry them on a read/write cursor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sudo: the accounting test user configures no provider
        cls.provider = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.provider.write(
            {"state": "test", "is_published": True, "company_id": cls.env.company.id}
        )
        cls.payment = cls._register_payment(cls.inv_plain, 20.0)
        Transaction = cls.env["payment.transaction"].sudo()
        total, values = Transaction._payment_allocation_prepare(cls.inv_north_single)
        cls.transaction = Transaction.create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.provider.payment_method_ids[:1].id,
                "reference": "MSB-READONLY",
                "amount": total,
                "currency_id": cls.currency.id,
                "partner_id": cls.contact_company.id,
                "operation": "online_direct",
                **values,
            }
        )
        # the shares the back office made: the documents' tokens exist
        cls.parent_token = cls.parent.sudo()._portal_ensure_token()
        cls.payment_token = cls.payment._portal_ensure_token()
        # what the pages must not create: no child or payment token yet
        (cls.children | cls.inv_north_single).sudo().access_token = False

    def _our_routes(self):
        """{route: readonly} of every route our addons declare."""
        routes = {}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if _defining_module(rule.endpoint) in OUR_MODULES:
                routes[rule.rule] = rule.endpoint.routing["readonly"]
        return routes

    def _requests(self):
        """(route, url, json params or None, login or None) for each
        read-only route, as the portal asks it."""
        parent_url = f"/my/parent_invoices/{self.parent.id}"
        payment_url = f"/my/payments/{self.payment.id}"
        preview = {
            "mode": "select",
            "invoice_ids": self.inv_north_single.ids,
            "currency_id": self.currency.id,
        }
        return [
            ("/my/statement", "/my/statement", None, "msb_company"),
            ("/my/statement/pdf", "/my/statement/pdf", None, "msb_company"),
            ("/my/payments", "/my/payments", None, "msb_company"),
            ("/my/payments/page/<int:page>", "/my/payments/page/1", None, "msb_site"),
            ("/my/payments/<int:payment_id>", payment_url, None, "msb_company"),
            (
                "/my/payments/<int:payment_id>",
                f"{payment_url}?report_type=pdf&download=true",
                None,
                "msb_company",
            ),
            (
                "/my/payments/<int:payment_id>",
                f"{payment_url}?access_token={self.payment_token}",
                None,
                None,
            ),
            ("/my/parent_invoices/<int:parent_id>", parent_url, None, "msb_company"),
            ("/my/parent_invoices/<int:parent_id>", parent_url, None, "msb_site"),
            (
                "/my/parent_invoices/<int:parent_id>",
                f"{parent_url}?report_type=pdf&download=true",
                None,
                "msb_company",
            ),
            (
                "/my/parent_invoices/<int:parent_id>",
                f"{parent_url}?access_token={self.parent_token}",
                None,
                None,
            ),
            (
                "/my/invoices/pay/preview",
                "/my/invoices/pay/preview",
                preview,
                "msb_site",
            ),
            (
                "/my/invoices/pay/receipt/<int:tx_id>",
                f"/my/invoices/pay/receipt/{self.transaction.id}",
                None,
                "msb_company",
            ),
        ]

    def test_readonly_routes_declared(self):
        routes = self._our_routes()
        self.assertIn("/my/statement", routes, "the routing map lists our routes")
        readonly = {route for route, mode in routes.items() if mode is True}
        self.assertEqual(readonly, READONLY_ROUTES)
        for route in WRITING_ROUTES:
            with self.subTest(route=route):
                self.assertIn(route, routes)
                self.assertFalse(routes[route], f"{route} writes: read/write")
        # every read-only route is requested below
        self.assertEqual({request[0] for request in self._requests()}, READONLY_ROUTES)

    def test_readonly_routes_write_nothing(self):
        # HttpCase serves a read-only route with a read-only test cursor
        self.assertTrue(self.registry.test_readonly_enabled)
        for route, url, params, login in self._requests():
            with self.subTest(route=route, url=url, login=login):
                self.authenticate(login, login)
                with self.assertNoLogs("odoo.http", "WARNING"):
                    if params is None:
                        response = self.url_open(url, allow_redirects=False)
                    else:
                        response = self.url_open(
                            url,
                            data=json.dumps(
                                {"jsonrpc": "2.0", "method": "call", "params": params}
                            ),
                            headers={"Content-Type": "application/json"},
                        )
                self.assertEqual(response.status_code, 200, url)
                if params is not None:
                    result = response.json()["result"]
                    self.assertNotIn("error", result)
                    self.assertEqual(
                        [line["id"] for line in result["lines"]],
                        self.inv_north_single.ids,
                    )
        # nothing was shared by rendering: the pages created no token
        self.assertFalse(
            any((self.children | self.inv_north_single).sudo().mapped("access_token"))
        )

    def test_pages_link_without_new_token(self):
        """The parent page links its children by the rules (no token
        created); a child shared before keeps its token in the link."""
        self.inv_north.sudo()._portal_ensure_token()
        self.authenticate("msb_company", "msb_company")
        response = self.url_open(f"/my/parent_invoices/{self.parent.id}")
        self.assertIn(f'href="{self.inv_north.get_portal_url()}"', response.text)
        self.assertIn(f'href="{self.inv_south.access_url}"', response.text)
        self.assertFalse(self.inv_south.access_token)

    def test_payment_pager_without_new_token(self):
        """A receipt opened from My Payments links the previous and next
        payments of the list (stock's records pager) without giving them a
        share token: the read-only route writes nothing."""
        newer = self._register_payment(self.inv_south, 10.0)
        self.assertFalse(newer.access_token)
        self.authenticate("msb_company", "msb_company")
        self.assertEqual(self.url_open("/my/payments").status_code, 200)
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open(f"/my/payments/{self.payment.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/my/payments/{newer.id}"', response.text)
        newer.invalidate_recordset(["access_token"])
        self.assertFalse(newer.access_token)

    def test_payment_pager_links_only_readable(self):
        """The pager's history is the session's and outlives a change of
        access: once the contact is narrowed to the North site, a receipt it
        opens by its share link links no payment it may no longer read, nor
        shows that payment's token."""
        newer = self._register_payment(self.inv_south, 10.0)
        newer_token = newer._portal_ensure_token()
        self.authenticate("msb_company", "msb_company")
        self.assertEqual(self.url_open("/my/payments").status_code, 200)
        self.contact_company.write(
            {
                "portal_invoice_access": "site",
                "portal_site_ids": [Command.set(self.site_north.ids)],
            }
        )
        response = self.url_open(
            f"/my/payments/{self.payment.id}?access_token={self.payment_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_portal_payment", response.text)
        self.assertNotIn(f"/my/payments/{newer.id}", response.text)
        self.assertNotIn(newer_token, response.text)

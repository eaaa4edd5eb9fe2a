# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class JsonRpcMixin:
    """Call a JSON route of the running test server as the authenticated
    user (HttpCase), the way the portal's JavaScript does."""

    def _rpc(self, route, params):
        data = json.dumps(
            {"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
        ).encode()
        response = self.url_open(
            route, data, headers={"Content-Type": "application/json"}
        )
        response.raise_for_status()
        return response.json()


# The place of the account overview on /my, filled by the page's script.
HOME_OVERVIEW_SLOT = re.compile(
    r'<div class="o_portal_home_overview" aria-busy="true">.*?</div>\s*</div>\s*</div>',
    re.DOTALL,
)


def portal_home_text(case):
    """/my of the authenticated user (HttpCase ``case``) as its browser shows
    it once the page's script has run: the account overview, asked with the
    counters (``portal_account_overview``), in place of its loading line."""
    response = case.url_open("/my")
    case.assertEqual(response.status_code, 200)
    data = json.dumps(
        {
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"counters": ["portal_account_overview"]},
        }
    ).encode()
    counters = case.url_open(
        "/my/counters", data, headers={"Content-Type": "application/json"}
    )
    counters.raise_for_status()
    overview = counters.json()["result"]["portal_account_overview"]
    text, count = HOME_OVERVIEW_SLOT.subn(
        lambda match: f'<div class="o_portal_home_overview">{overview}</div>',
        response.text,
    )
    case.assertLessEqual(count, 1)
    if not count:
        case.assertFalse(overview, "an overview without its place on /my")
    return text


class PortalContactsMixin:
    """Create customer contacts and their portal users in tests."""

    @classmethod
    def _create_contact(cls, customer, name, access):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "portal_invoice_access": access,
            }
        )

    @classmethod
    def _create_portal_user(cls, partner, login):
        # sudo: the accounting test user may not create users
        return (
            cls.env["res.users"]
            .sudo()
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "tz": "UTC",
                    "company_id": cls.env.company.id,
                    "company_ids": [Command.set(cls.env.company.ids)],
                    "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
                }
            )
        )


class PortalLoadMixin(PortalContactsMixin):
    """Customers with many documents, and the query count of a portal page,
    for the query budget tests (HttpCase)."""

    @classmethod
    def _create_load_customer(cls, name, login, count, invoice_day, payments):
        """A customer with a company-wide portal contact ``login`` and
        ``count`` posted documents (every fifth a credit note, every seventh
        in ``cls.eur``), the i-th dated ``invoice_day(i)`` days ago, then
        ``payments``: (document index, amount) registered in the back office."""
        customer = cls.env["res.partner"].create({"name": name, "is_company": True})
        contact = cls._create_contact(customer, f"{name} Contact", "company")
        cls._create_portal_user(contact, login)
        today = fields.Date.today()
        moves = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_refund" if i % 5 == 4 else "out_invoice",
                    "partner_id": customer.id,
                    "currency_id": (
                        cls.eur if i % 7 == 6 else cls.env.company.currency_id
                    ).id,
                    "invoice_date": today - timedelta(days=invoice_day(i)),
                    "invoice_date_due": today + timedelta(days=i % 40 - 20),
                    "ref": f"{login}-{i}",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": 100.0 + i,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
                for i in range(count)
            ]
        )
        moves.action_post()
        for index, amount in payments:
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=moves[index].ids
            ).create({"amount": amount})._create_payments()
        return customer

    def _page_query_count(self, login, url):
        """Queries of ``url`` as ``login``, caches warm: (count, page text)."""
        self.authenticate(login, login)
        # warm up: caches, access tokens of the listed documents
        for _i in range(2):
            self.assertEqual(self.url_open(url).status_code, 200)
        self.env.flush_all()
        count0 = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - count0, response.text


class CustomerPortalCommon(PortalContactsMixin, AccountTestInvoicingCommon):
    """Two customer companies with portal contacts of every invoice access
    level, and posted documents addressed in every way.

    Customer A ("Acme Customer"):
      - ``partner_a_none`` / ``user_a_none``: access "none";
      - ``partner_a_own`` / ``user_a_own``: access "own";
      - ``partner_a_company`` / ``user_a_company``: access "company";
      - ``partner_a_sibling``: a contact without login.
    Customer B ("Beta Customer"): ``partner_b_company`` / ``user_b_company``.

    Posted documents (``docs_a`` / ``docs_b``, all customer documents):
      - ``inv_a_company``: invoice addressed to customer A itself;
      - ``inv_a_own``: invoice addressed to the "own" contact;
      - ``inv_a_sibling``: invoice addressed to the sibling contact (who
        follows it, so the stock follower rule shows it to every contact);
      - ``inv_a_followed``: invoice addressed to customer A that the "own"
        contact follows explicitly;
      - ``refund_a_company``: credit note addressed to customer A;
      - ``inv_b``: invoice addressed to customer B.

    Each portal user's password is its login.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create(
            {"name": "Acme Customer", "is_company": True, "email": "acme@example.com"}
        )
        cls.customer_b = Partner.create(
            {"name": "Beta Customer", "is_company": True, "email": "beta@example.com"}
        )
        cls.partner_a_none = cls._create_contact(cls.customer_a, "Nina None", "none")
        cls.partner_a_own = cls._create_contact(cls.customer_a, "Olga Own", "own")
        cls.partner_a_company = cls._create_contact(
            cls.customer_a, "Carl Company", "company"
        )
        cls.partner_a_sibling = cls._create_contact(
            cls.customer_a, "Sam Sibling", "company"
        )
        cls.partner_b_company = cls._create_contact(
            cls.customer_b, "Bea Beta", "company"
        )
        cls.user_a_none = cls._create_portal_user(cls.partner_a_none, "cpi_a_none")
        cls.user_a_own = cls._create_portal_user(cls.partner_a_own, "cpi_a_own")
        cls.user_a_company = cls._create_portal_user(
            cls.partner_a_company, "cpi_a_company"
        )
        cls.user_b_company = cls._create_portal_user(
            cls.partner_b_company, "cpi_b_company"
        )

        cls.inv_a_company = cls._create_document(cls.customer_a, 1000.0)
        cls.inv_a_own = cls._create_document(cls.partner_a_own, 1100.0)
        cls.inv_a_sibling = cls._create_document(cls.partner_a_sibling, 1200.0)
        cls.inv_a_followed = cls._create_document(cls.customer_a, 1300.0)
        cls.inv_a_followed.message_subscribe(cls.partner_a_own.ids)
        cls.refund_a_company = cls._create_document(
            cls.customer_a, 140.0, move_type="out_refund"
        )
        cls.inv_b = cls._create_document(cls.customer_b, 1500.0)
        cls.docs_a = (
            cls.inv_a_company
            | cls.inv_a_own
            | cls.inv_a_sibling
            | cls.inv_a_followed
            | cls.refund_a_company
        )
        cls.docs_b = cls.inv_b
        cls.all_docs = cls.docs_a | cls.docs_b

    @classmethod
    def _create_document(cls, partner, amount, move_type="out_invoice", post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": "2024-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Service {amount}",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.customer_portal_invoices.tests.common import PortalContactsMixin


class MultiSiteCommon(PortalContactsMixin, AccountTestInvoicingCommon):
    """A customer with three sites, a parent invoice over them, and portal
    contacts of every kind.

    Customer "Multi Customer" (``customer``):
      - sites ``site_north`` (N01), ``site_south`` (S02), ``site_east`` (E03);
      - ``contact_company`` / ``user_company`` ("msb_company"): whole company;
      - ``contact_site`` / ``user_site`` ("msb_site"): site level, North only;
      - ``contact_none`` / ``user_none`` ("msb_none"): no invoices.
    Customer "Other Multi Customer" (``other_customer``): a site with the
    same code N01 and ``contact_other`` / ``user_other`` ("msb_other").

    Posted invoices, all due on ``due``:
      - ``inv_north`` 100, ``inv_south`` 200, ``inv_east`` 300, grouped under
        ``parent``;
      - ``inv_north_single`` 70 (North, not grouped), ``inv_plain`` 50 (no site);
      - ``inv_other`` 999 of the other customer's site.
    Each portal user's password is its login.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.today = fields.Date.context_today(cls.env["account.move"])
        cls.due = cls.today + timedelta(days=30)
        cls.currency = cls.env.company.currency_id
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Multi Customer", "is_company": True, "email": "mc@example.com"}
        )
        cls.other_customer = Partner.create(
            {"name": "Other Multi Customer", "is_company": True}
        )
        cls.site_north = cls._create_site(cls.customer, "North Depot", "N01")
        cls.site_south = cls._create_site(cls.customer, "South Depot", "S02")
        cls.site_east = cls._create_site(cls.customer, "East Depot", "E03")
        cls.site_other = cls._create_site(cls.other_customer, "Other Depot", "N01")
        cls.contact_company = cls._create_contact(
            cls.customer, "Cora Company", "company"
        )
        cls.contact_site = cls._create_contact(cls.customer, "Sid Site", "site")
        cls.contact_site.portal_site_ids = cls.site_north
        cls.contact_none = cls._create_contact(cls.customer, "Nils None", "none")
        cls.contact_other = cls._create_contact(
            cls.other_customer, "Otto Other", "company"
        )
        cls.user_company = cls._create_portal_user(cls.contact_company, "msb_company")
        cls.user_site = cls._create_portal_user(cls.contact_site, "msb_site")
        cls.user_none = cls._create_portal_user(cls.contact_none, "msb_none")
        cls.user_other = cls._create_portal_user(cls.contact_other, "msb_other")

        cls.inv_north = cls._create_site_invoice(cls.site_north, 100.0)
        cls.inv_south = cls._create_site_invoice(cls.site_south, 200.0)
        cls.inv_east = cls._create_site_invoice(cls.site_east, 300.0)
        cls.inv_north_single = cls._create_site_invoice(cls.site_north, 70.0)
        cls.inv_plain = cls._create_site_invoice(cls.customer, 50.0)
        cls.inv_other = cls._create_site_invoice(cls.site_other, 999.0)
        cls.children = cls.inv_north | cls.inv_south | cls.inv_east
        cls.parent = cls.env["account.parent.invoice"]._group_invoices(cls.children)

    @classmethod
    def _create_site(cls, customer, name, code):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "type": "delivery",
                "site_code": code,
            }
        )

    @classmethod
    def _site_invoice_values(cls, address, amount, due=None, currency=None):
        """Values of a customer invoice of ``address``'s company delivered
        to ``address`` (a site, or the company itself)."""
        customer = address.commercial_partner_id
        return {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "partner_shipping_id": address.id,
            "currency_id": (currency or cls.currency).id,
            "invoice_date": cls.today - timedelta(days=5),
            "invoice_date_due": due or cls.due,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Site service {amount}",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    @classmethod
    def _create_site_invoice(cls, address, amount, post=True, **kwargs):
        move = cls.env["account.move"].create(
            cls._site_invoice_values(address, amount, **kwargs)
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _register_payment(cls, invoice, amount):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": cls.today})
            ._create_payments()
        )

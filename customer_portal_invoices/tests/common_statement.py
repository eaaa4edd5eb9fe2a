# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalContactsMixin


class StatementCommon(PortalContactsMixin, AccountTestInvoicingHttpCommon):
    """Customer "Statement Customer" with documents and payments at known
    dates (T = today), in USD (company currency) and EUR.

    USD:
      - ``inv1``  1000, dated T-100, due T-95; ``pay1`` 400 on T-50
      - ``inv2``   500, dated T-70,  due T-65; ``pay2`` 250 on T-2
      - ``inv3``   300, dated T-45,  due T-40
      - ``inv4``   200, dated T-20,  due T-10, to the "own" contact;
        ``pay3`` 120 on T-8
      - ``refund1`` credit note 50, dated T-15 (due T-15), not applied
      - ``inv5``   150, dated T-5,   due T+25
      - ``pay_unapplied`` 80 received on T-3, not applied
    EUR: ``inv_eur`` 700, dated T-10, due T+20.
    Another customer has ``inv_other`` 999, dated T-10.

    Contacts: ``user_company`` (company), ``user_own`` (own), ``user_none``
    (none) of the customer, ``user_other`` (company) of the other customer;
    each password is the login.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.usd = cls.env.company.currency_id
        cls.eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Statement Customer",
                "is_company": True,
                "email": "statement@example.com",
            }
        )
        cls.other_customer = Partner.create(
            {"name": "Other Customer", "is_company": True, "email": "oc@example.com"}
        )
        cls.contact_company = cls._create_contact(
            cls.customer, "Stella Company", "company"
        )
        cls.contact_own = cls._create_contact(cls.customer, "Owen Own", "own")
        cls.contact_none = cls._create_contact(cls.customer, "Nell None", "none")
        cls.contact_other = cls._create_contact(
            cls.other_customer, "Otto Other", "company"
        )
        cls.user_company = cls._create_portal_user(
            cls.contact_company, "cpi.st.company"
        )
        cls.user_own = cls._create_portal_user(cls.contact_own, "cpi.st.own")
        cls.user_none = cls._create_portal_user(cls.contact_none, "cpi.st.none")
        cls.user_other = cls._create_portal_user(cls.contact_other, "cpi.st.other")

        C = cls.customer
        cls.inv1 = cls._create_invoice(C, 1000.0, 100, 95)
        cls.inv2 = cls._create_invoice(C, 500.0, 70, 65)
        cls.inv3 = cls._create_invoice(C, 300.0, 45, 40)
        cls.inv4 = cls._create_invoice(cls.contact_own, 200.0, 20, 10)
        cls.refund1 = cls._create_invoice(C, 50.0, 15, 15, move_type="out_refund")
        cls.inv5 = cls._create_invoice(C, 150.0, 5, -25)
        cls.inv_eur = cls._create_invoice(C, 700.0, 10, -20, currency=cls.eur)
        cls.inv_other = cls._create_invoice(cls.other_customer, 999.0, 10, 0)
        cls.pay1 = cls._pay(cls.inv1, 400.0, 50)
        cls.pay2 = cls._pay(cls.inv2, 250.0, 2)
        cls.pay3 = cls._pay(cls.inv4, 120.0, 8)
        cls.pay_unapplied = cls.env["account.payment"].create(
            {
                "amount": 80.0,
                "date": cls.today - timedelta(days=3),
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": C.id,
                "currency_id": cls.usd.id,
            }
        )
        cls.pay_unapplied.action_post()

    @classmethod
    def _days_ago(cls, days):
        return cls.today - timedelta(days=days)

    @classmethod
    def _create_invoice(
        cls,
        partner,
        amount,
        days_ago,
        due_days_ago,
        move_type="out_invoice",
        currency=None,
    ):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "currency_id": (currency or cls.usd).id,
                "invoice_date": cls._days_ago(days_ago),
                "invoice_date_due": cls._days_ago(due_days_ago),
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
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, days_ago):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": cls._days_ago(days_ago)})
            ._create_payments()
        )

    def _statement(self, user, date_from, date_to):
        report = self.env["report.customer_portal_invoices.report_statement"]
        if user:
            report = report.with_user(user)
        return report._get_statement(
            (user.partner_id if user else self.customer), date_from, date_to
        )

    @staticmethod
    def _by_currency(statement):
        return {cur["currency"].name: cur for cur in statement["currencies"]}

    @staticmethod
    def _aging(currency_statement):
        return {
            bucket["key"]: bucket["amount"] for bucket in currency_statement["aging"]
        }

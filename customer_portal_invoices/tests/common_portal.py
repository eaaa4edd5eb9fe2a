# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import PortalContactsMixin


class PortalInvoicesCommon(PortalContactsMixin, AccountTestInvoicingHttpCommon):
    """Customer "Portal Customer" with documents in every portal status, in
    the company currency and in a second currency (EUR, with a rate created
    here), payments, an open credit note and an unapplied payment.

    Company currency:
      - ``inv_open``       100, due in 10 days                 -> open
      - ``inv_overdue``    200, due 15 days ago                -> overdue 15
      - ``inv_partial``    300, due in 5 days, 120 paid        -> partial
      - ``inv_partial_overdue`` 400, due 40 days ago, 100 paid -> overdue 40
      - ``inv_paid``       150, paid                           -> paid
      - ``inv_in_payment`` 250, paid, payment not matched yet  -> in payment
      - ``inv_reversed``   80, reversed by a credit note       -> reversed
      - ``refund_open``    credit note 70, not applied         -> open
      - ``inv_own``        50, due in 3 days, to the "own" contact -> open
      - ``payment_unapplied`` 60 received yesterday, not applied
    EUR:
      - ``inv_eur_partial`` 500, due in 20 days, 100 EUR paid 4 days ago
      - ``inv_eur_overdue`` 250, due 5 days ago
    Another customer has ``inv_other`` (999), never visible.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.eur = cls.setup_other_currency(
            "EUR", rates=[("2000-01-01", 1.5), (fields.Date.to_string(cls.today), 2.0)]
        )
        cls.usd = cls.env.company.currency_id
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Portal Customer", "is_company": True, "email": "pc@example.com"}
        )
        cls.other_customer = Partner.create(
            {"name": "Other Customer", "is_company": True, "email": "oc@example.com"}
        )
        cls.contact_company = cls._create_contact(
            cls.customer, "Carla Company", "company"
        )
        cls.contact_own = cls._create_contact(cls.customer, "Oscar Own", "own")
        cls.contact_none = cls._create_contact(cls.customer, "Nora None", "none")
        cls.user_company = cls._create_portal_user(
            cls.contact_company, "cpi.portal.company"
        )
        cls.user_own = cls._create_portal_user(cls.contact_own, "cpi.portal.own")
        cls.user_none = cls._create_portal_user(cls.contact_none, "cpi.portal.none")

        C = cls.customer
        cls.inv_open = cls._create_document(C, 100.0, 10, ref="PO-OPEN-7781")
        cls.inv_overdue = cls._create_document(
            C, 200.0, -15, payment_reference="RF-OVERDUE-9931"
        )
        cls.inv_partial = cls._create_document(C, 300.0, 5)
        cls.inv_partial_overdue = cls._create_document(C, 400.0, -40)
        cls.inv_paid = cls._create_document(C, 150.0, -1)
        cls.inv_in_payment = cls._create_document(C, 250.0, 2)
        cls.inv_reversed = cls._create_document(C, 80.0, -60)
        cls.refund_open = cls._create_document(C, 70.0, 0, move_type="out_refund")
        cls.inv_own = cls._create_document(cls.contact_own, 50.0, 3)
        cls.inv_eur_partial = cls._create_document(C, 500.0, 20, currency=cls.eur)
        cls.inv_eur_overdue = cls._create_document(C, 250.0, -5, currency=cls.eur)
        cls.inv_other = cls._create_document(cls.other_customer, 999.0, -3)

        cls._pay(cls.inv_partial, 120.0, 10)
        cls._pay(cls.inv_partial_overdue, 100.0, 8)
        cls._pay(cls.inv_paid, 150.0, 2)
        cls._pay(cls.inv_in_payment, 250.0, 3)
        cls._pay(cls.inv_eur_partial, 100.0, 4, currency=cls.eur)
        cls.inv_reversed._reverse_moves(
            [{"date": cls.today, "ref": "Returned goods"}], cancel=True
        )
        cls.refund_of_reversed = cls.inv_reversed.reversal_move_ids
        cls.payment_unapplied = cls.env["account.payment"].create(
            {
                "amount": 60.0,
                "date": cls.today - timedelta(days=1),
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.customer.id,
                "currency_id": cls.usd.id,
            }
        )
        cls.payment_unapplied.action_post()
        # Community Odoo never leaves "in payment" (the accountant app does):
        # set it as that app would, the amounts stay those of a paid invoice.
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE account_move SET payment_state = 'in_payment' WHERE id = %s",
                cls.inv_in_payment.id,
            )
        )
        cls.inv_in_payment.invalidate_recordset(["payment_state"])
        cls.customer_docs = (
            cls.inv_open
            | cls.inv_overdue
            | cls.inv_partial
            | cls.inv_partial_overdue
            | cls.inv_paid
            | cls.inv_in_payment
            | cls.inv_reversed
            | cls.refund_of_reversed
            | cls.refund_open
            | cls.inv_own
            | cls.inv_eur_partial
            | cls.inv_eur_overdue
        )

    @classmethod
    def _document_values(
        cls,
        partner,
        amount,
        due_in_days,
        move_type="out_invoice",
        currency=None,
        ref=None,
        payment_reference=None,
        invoice_days_ago=None,
    ):
        if invoice_days_ago is None:
            invoice_days_ago = max(30, 10 - due_in_days)
        values = {
            "move_type": move_type,
            "partner_id": partner.id,
            "currency_id": (currency or cls.usd).id,
            "invoice_date": cls.today - timedelta(days=invoice_days_ago),
            "invoice_date_due": cls.today + timedelta(days=due_in_days),
            "ref": ref,
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
        if payment_reference:
            values["payment_reference"] = payment_reference
        return values

    @classmethod
    def _create_document(cls, partner, amount, due_in_days, **kwargs):
        move = cls.env["account.move"].create(
            cls._document_values(partner, amount, due_in_days, **kwargs)
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, days_ago, currency=None):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "currency_id": (currency or cls.usd).id,
                    "payment_date": cls.today - timedelta(days=days_ago),
                }
            )
            ._create_payments()
        )

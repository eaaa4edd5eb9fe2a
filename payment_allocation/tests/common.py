# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


class PaymentAllocationCommonMixin:
    """Customers, portal contacts, invoices and the Demo provider."""

    @classmethod
    def _setup_payment_allocation(cls):
        if not cls.env["ir.module.module"].search_count(
            [("name", "=", "payment_demo"), ("state", "=", "installed")]
        ):
            # no skip: without the Demo provider these tests fail, loudly
            raise AssertionError(
                "payment_allocation tests pay with the Demo provider: install "
                "payment_demo to run them."
            )
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.today = fields.Date.context_today(cls.env["account.move"])
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write(
            {"state": "test", "is_published": True, "company_id": cls.company.id}
        )
        cls.payment_method = cls.provider.payment_method_ids[:1]
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Allocation Customer", "is_company": True}
        )
        cls.contact = Partner.create(
            {
                "name": "Allocation Contact",
                "parent_id": cls.customer.id,
                "email": "allocation.contact@example.com",
            }
        )
        cls.other_customer = Partner.create(
            {"name": "Other Customer", "is_company": True}
        )
        cls.user = cls._create_portal_user(cls.contact, "pa_contact")

    @classmethod
    def _create_portal_user(cls, partner, login):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    # the tests' "today" (cls.today) is the date in this
                    # user's time zone too, at any hour
                    "tz": cls.env.user.tz or "UTC",
                    "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
                }
            )
        )

    @classmethod
    def _create_invoices(
        cls, partner, amounts, currency=None, start_days=-60, company=None
    ):
        """Posted invoices of ``partner``, one per amount, due one day after
        the other from ``start_days`` (negative: overdue), of ``company``
        (default: the current one)."""
        currency = currency or cls.currency
        values = []
        for index, amount in enumerate(amounts):
            due = cls.today + timedelta(days=start_days + index)
            values.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        Move = cls.env["account.move"]
        if company:
            Move = Move.with_company(company)
        invoices = Move.create(values)
        invoices.action_post()
        return invoices.with_env(cls.env)

    @classmethod
    def _create_allocated_transaction(cls, invoices, amount=None, reference="PA-TEST"):
        """A draft transaction carrying the allocation, as the portal creates it."""
        Transaction = cls.env["payment.transaction"]
        total, values = Transaction._payment_allocation_prepare(invoices, amount)
        return Transaction.create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.payment_method.id,
                "reference": reference,
                "amount": total,
                "currency_id": invoices.currency_id.id,
                "partner_id": cls.contact.id,
                "operation": "online_direct",
                **values,
            }
        )

    def _pay_in_back_office(self, invoice, amount):
        """Register a payment on ``invoice`` as an accountant would."""
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount})
        )
        return wizard._create_payments()

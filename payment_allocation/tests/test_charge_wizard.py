# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, tagged

from .common_saved_methods import SavedMethodsCommonMixin
from .test_invoice_query import _raise_query


@tagged("post_install", "-at_install")
class TestChargeSavedMethod(SavedMethodsCommonMixin, TransactionCase):
    """Back office: charge a customer's saved method for selected invoices or
    a custom amount, allocated with the engine and reconciled exactly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_payment_allocation()
        cls.token = cls._create_demo_token(cls.contact)
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])
        cls.Wizard = cls.env["payment.allocation.charge.wizard"]
        cls.accountant = cls.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "pa_charge_accountant",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("account.group_account_invoice").id,
                            cls.env.ref("base.group_partner_manager").id,
                        ]
                    )
                ],
            }
        )

    def _wizard_for_invoices(self, invoices, user=None):
        Wizard = self.Wizard.with_user(user or self.accountant).with_context(
            active_model="account.move", active_ids=invoices.ids
        )
        return Form(Wizard)

    def test_charge_selected_invoices(self):
        selection = self.invoices[0] + self.invoices[2]
        form = self._wizard_for_invoices(selection)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.amount_due, 400.0)
        form.token_id = self.token
        wizard = form.save()
        action = wizard.action_charge()
        self.assertEqual(action["params"]["type"], "success")
        tx = self.invoices[0].transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.operation, "offline")
        self.assertEqual(tx.amount, 400.0)
        self.assertEqual(tx.token_id, self.token)
        self.assertEqual(tx.invoice_ids, selection)
        self.assertEqual(
            tx.payment_allocation_line_ids.mapped("amount_applied"), [100.0, 300.0]
        )
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 200.0, 0.0])

    def test_open_balance_is_the_account_balance(self):
        """'Open Balance' is the customer's balance net of its credit notes
        (its account summary, as its portal shows it), whether the wizard is
        opened on the customer or on selected invoices; what it charges is
        labelled apart (the selection, or the open invoices)."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Refund",
                            "quantity": 1,
                            "price_unit": 50.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        [summary] = self.customer._portal_account_summary()
        self.assertEqual(summary["balance"], 550.0)
        action = self.customer.action_payment_allocation_charge()
        form = Form(
            self.Wizard.with_user(self.accountant).with_context(**action["context"])
        )
        self.assertEqual(form.account_balance, 550.0)
        self.assertEqual(form.amount_due, 600.0)
        form = self._wizard_for_invoices(self.invoices[2])
        self.assertEqual(form.account_balance, 550.0)
        self.assertEqual(form.amount_due, 300.0)
        arch = self.env.ref(
            "payment_allocation.payment_allocation_charge_wizard_view_form"
        ).arch
        self.assertIn('string="Selected Invoices"', arch)
        self.assertEqual(self.Wizard._fields["account_balance"].string, "Open Balance")

    def test_charge_custom_amount_oldest_first(self):
        action = self.customer.action_payment_allocation_charge()
        form = Form(
            self.Wizard.with_user(self.accountant).with_context(**action["context"])
        )
        self.assertEqual(form.amount_due, 600.0)
        form.token_id = self.token
        form.amount = 250.0
        form.save().action_charge()
        tx = self.invoices[0].transaction_ids
        self.assertEqual(tx.amount, 250.0)
        self.assertEqual(
            tx.payment_allocation_line_ids.mapped("amount_applied"), [100.0, 150.0]
        )
        self.assertEqual(self.invoices.mapped("amount_residual"), [0.0, 50.0, 300.0])

    def test_custom_amount_skips_queried_invoice(self):
        """A custom amount is applied to the open invoices the customer has
        not queried (as on the portal); selected on purpose, a queried
        invoice is still charged."""
        self.contact.portal_invoice_access = "company"
        _raise_query(self.invoices[0], self.user)
        action = self.customer.action_payment_allocation_charge()
        form = Form(
            self.Wizard.with_user(self.accountant).with_context(**action["context"])
        )
        self.assertEqual(form.amount_due, 500.0)
        self.assertEqual(form.account_balance, 600.0, "a query changes no figure")
        form.token_id = self.token
        form.amount = 250.0
        form.save().action_charge()
        self.assertEqual(self.invoices.mapped("amount_residual"), [100.0, 0.0, 250.0])
        form = self._wizard_for_invoices(self.invoices[0])
        self.assertEqual(form.amount_due, 100.0)
        form.token_id = self.token
        form.save().action_charge()
        self.assertEqual(self.invoices[0].amount_residual, 0.0)

    def test_proposals(self):
        """The only saved method and the open balance are proposed; with two
        methods, the autopay one; else the accountant chooses."""
        action = self.customer.action_payment_allocation_charge()
        Wizard = self.Wizard.with_user(self.accountant).with_context(
            **action["context"]
        )
        form = Form(Wizard)
        self.assertEqual(form.token_id, self.token)
        self.assertEqual(form.amount, 600.0)
        form.amount = 150.0
        self.assertEqual(form.save().amount, 150.0, "the amount typed is kept")
        unverified = self._create_demo_token(self.contact, details="0000")
        unverified.payment_allocation_verified = False
        self.assertEqual(
            Form(Wizard).token_id, self.token, "only what the payment rule charges"
        )
        second = self._create_demo_token(self.contact, details="1881")
        self.assertFalse(Form(Wizard).token_id, "two methods: none proposed")
        self.customer.write(
            {
                "payment_allocation_autopay": True,
                "payment_allocation_autopay_token_id": second.id,
            }
        )
        self.assertEqual(Form(Wizard).token_id, second)
        # selected invoices: their total, no amount to type
        form = self._wizard_for_invoices(self.invoices[1])
        self.assertEqual(form.token_id, second)
        self.assertEqual(form.amount_due, 200.0)

    def test_custom_amount_above_balance_refused(self):
        form = Form(self.Wizard.with_context(default_partner_id=self.customer.id))
        form.token_id = self.token
        form.amount = 600.01
        with self.assertRaisesRegex(UserError, "more than the open balance"):
            form.save().action_charge()

    def test_mixed_selection_refused(self):
        other_invoices = self._create_invoices(self.other_customer, [50.0])
        with self.assertRaisesRegex(UserError, "different customers"):
            self._wizard_for_invoices(self.invoices[0] + other_invoices)
        paid = self.invoices[0]
        self._pay_in_back_office(paid, 100.0)
        with self.assertRaisesRegex(UserError, "cannot be paid online"):
            self._wizard_for_invoices(paid + self.invoices[1])
        eur = self.env.ref("base.EUR")
        eur.active = True
        eur_invoice = self._create_invoices(self.customer, [10.0], currency=eur)
        with self.assertRaisesRegex(UserError, "different currencies"):
            self._wizard_for_invoices(self.invoices[1] + eur_invoice)

    def test_method_of_another_customer_refused(self):
        other_contact = self.env["res.partner"].create(
            {"name": "Other Contact", "parent_id": self.other_customer.id}
        )
        other_token = self._create_demo_token(other_contact, details="9999")
        form = self._wizard_for_invoices(self.invoices[0])
        form.token_id = other_token
        with self.assertRaisesRegex(UserError, "saved by a contact of the customer"):
            form.save().action_charge()
        self.assertFalse(self.invoices[0].transaction_ids)

    def test_declined_card_reported(self):
        declined = self._create_demo_token(self.contact, state="error", details="0002")
        form = self._wizard_for_invoices(self.invoices[0])
        form.token_id = declined
        action = form.save().action_charge()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self.invoices[0].transaction_ids.state, "error")
        self.assertEqual(self.invoices[0].amount_residual, 100.0)

    def test_invoice_being_paid_refused(self):
        tx = self._create_allocated_transaction(self.invoices[0])
        # an unconfirmed attempt blocks nobody; one being processed does
        self.assertTrue(self._wizard_for_invoices(self.invoices[0]))
        tx._set_pending()
        with self.assertRaisesRegex(UserError, "being processed"):
            self._wizard_for_invoices(self.invoices[0])

    def test_stock_payment_register_with_token_still_works(self):
        """account_payment's register wizard charging a token, untouched."""
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=self.invoices[1].ids)
            .create({})
        )
        wizard.payment_method_line_id = (
            wizard.available_payment_method_line_ids.filtered(
                lambda line: line.payment_provider_id == self.provider
            )[:1]
        )
        self.assertTrue(wizard.payment_method_line_id, "the Demo provider's method")
        wizard.payment_token_id = self.token
        payment = wizard._create_payments()
        self.assertEqual(payment.payment_transaction_id.state, "done")
        self.assertEqual(self.invoices[1].amount_residual, 0.0)
        self.assertIn(self.invoices[1].payment_state, ("paid", "in_payment"))

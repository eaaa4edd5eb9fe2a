# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The payment rule: who may pay what, with which saved method, on every
route; and what a payment leaves behind for the other contacts."""

import re

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.customer_portal_invoices.tests.common import portal_home_text

from .test_portal_payment import PAY, TRANSACTION, PortalPaymentMixin

NOT_YOURS = "may not use this saved payment method"


class PaymentRulesMixin(PortalPaymentMixin):
    @classmethod
    def _setup_rules(cls):
        cls._setup_payment_allocation()
        Partner = cls.env["res.partner"]
        # pa_contact: whole company; an "own" sibling and a second company-wide
        # contact of the same customer.
        cls.own_contact = Partner.create(
            {
                "name": "Rules Own Contact",
                "parent_id": cls.customer.id,
                "portal_invoice_access": "own",
            }
        )
        cls.own_user = cls._create_portal_user(cls.own_contact, "pa_own")
        cls.colleague = Partner.create(
            {
                "name": "Rules Colleague",
                "parent_id": cls.customer.id,
                "portal_invoice_access": "company",
            }
        )
        cls.colleague_user = cls._create_portal_user(cls.colleague, "pa_colleague")
        cls.invoices = cls._create_invoices(cls.customer, [100.0, 200.0, 300.0])
        cls.own_invoice = cls._create_invoices(cls.own_contact, [50.0])

    @classmethod
    def _token(cls, partner, ref="demo-token"):
        return cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.payment_method.id,
                "partner_id": partner.id,
                "payment_details": "4242",
                "provider_ref": ref,
                "demo_simulated_state": "done",
            }
        )

    def _invoice_params(self, invoice, amount, **changes):
        params = self._tx_params(amount, access_token=invoice._portal_ensure_token())
        params.update(changes)
        return params


@tagged("post_install", "-at_install")
class TestPortalAfterPayment(PaymentRulesMixin, HttpCase):
    """Once an invoice was paid online, every contact who sees it still gets
    its pages: the list asks each row whether it must be paid, which reads
    transactions portal users cannot read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rules()

    def _filters(self, html):
        return sorted(set(re.findall(r"filterby=(\w+)", html)))

    def test_every_contact_reopens_the_pages_after_a_payment(self):
        self.authenticate("pa_contact", "pa_contact")
        self._pay(100.0, mode="select", invoice_ids=self.invoices[:1].ids)
        # A payment still being processed too (pending transaction).
        tx = self._create_allocated_transaction(self.invoices[1], reference="PA-PEND")
        tx._set_pending()
        for login in ("pa_contact", "pa_colleague", "pa_own"):
            self.authenticate(login, login)
            response = self.url_open("/my/invoices")
            self.assertEqual(response.status_code, 200, login)
            filters = self._filters(response.text)
            self.assertIn("overdue_invoices", filters)
            for filterby in filters:
                with self.subTest(login=login, filterby=filterby):
                    response = self.url_open(f"/my/invoices?filterby={filterby}")
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("Forbidden", response.text)
            self.assertIn("o_portal_account_overview", portal_home_text(self))
        for login, invoice in (
            ("pa_contact", self.invoices[0]),
            ("pa_colleague", self.invoices[1]),
            ("pa_own", self.own_invoice),
        ):
            self.authenticate(login, login)
            response = self.url_open(invoice.get_portal_url())
            self.assertEqual(response.status_code, 200, login)
            self.assertIn(invoice.name, response.text)
        # The list still offers to pay what is payable, not the others.
        self.authenticate("pa_colleague", "pa_colleague")
        html = self.url_open("/my/invoices").text

        def pay_now(invoice):
            return re.search(
                rf'href="/my/invoices/{invoice.id}\?[^"]*#portal_pay"', html
            )

        self.assertTrue(pay_now(self.invoices[2]))
        self.assertFalse(pay_now(self.invoices[0]), "paid")
        self.assertFalse(pay_now(self.invoices[1]), "being paid")


@tagged("post_install", "-at_install")
class TestPaymentForm(PaymentRulesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rules()

    def test_make_a_payment_form_is_a_payment_form(self):
        self.authenticate("pa_contact", "pa_contact")
        html = self.url_open(PAY).text
        self.assertIn('data-mode="payment"', html)
        self.assertNotIn('data-mode="select"', html)
        # The Demo provider allows saving the card: the box is offered.
        self.assertIn('name="o_payment_tokenize_checkbox"', html)
        submit = re.search(
            r'<button[^>]*name="o_payment_submit_button".*?</button>', html, re.DOTALL
        ).group(0)
        self.assertIn("Pay", submit)
        self.assertNotIn("Save", submit)
        # The page's own choice (selected invoices or a custom amount) works.
        html = self.url_open(f"{PAY}?mode=custom").text
        self.assertRegex(html, r'id="o_payment_allocation_mode_custom"[^>]*checked')


@tagged("post_install", "-at_install")
class TestSavedMethodRule(PaymentRulesMixin, HttpCase):
    """A saved method is used by the contact who saved it; by the company's
    other company-wide contacts only when the company shares them; never by
    a logged-out visitor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rules()
        cls.contact_token = cls._token(cls.contact, "tok-contact")
        cls.own_token = cls._token(cls.own_contact, "tok-own")
        cls.colleague_token = cls._token(cls.colleague, "tok-colleague")

    def _token_params(self, token, invoice, amount):
        return self._invoice_params(
            invoice, amount, flow="token", token_id=token.id, provider_id=None
        )

    def test_own_contact_cannot_use_a_siblings_token(self):
        self.authenticate("pa_own", "pa_own")
        route = f"/invoice/transaction/{self.own_invoice.id}"
        self._assert_refused(
            self._token_params(self.contact_token, self.own_invoice, 50.0),
            NOT_YOURS,
            route=route,
        )
        # Sharing does not reach a contact limited to its own documents.
        self.company.payment_allocation_share_tokens = True
        self._assert_refused(
            self._token_params(self.contact_token, self.own_invoice, 50.0),
            NOT_YOURS,
            route=route,
        )
        # Its own saved method pays.
        result = self._rpc(
            route, self._token_params(self.own_token, self.own_invoice, 50.0)
        )
        self.assertNotIn("error", result, result.get("error"))

    def test_company_contact_uses_colleagues_token_only_when_shared(self):
        self.authenticate("pa_contact", "pa_contact")
        invoice = self.invoices[0]
        select = {"mode": "select", "invoice_ids": invoice.ids}
        params = self._tx_params(
            100.0, flow="token", token_id=self.colleague_token.id, **select
        )
        self._assert_refused(params, "cannot be used here")
        self._assert_refused(
            self._token_params(self.colleague_token, invoice, 100.0),
            NOT_YOURS,
            route=f"/invoice/transaction/{invoice.id}",
        )
        html = self.url_open(PAY).text
        self.assertEqual(html.count('data-payment-option-type="token"'), 1)
        self.company.payment_allocation_share_tokens = True
        html = self.url_open(PAY).text
        # Its own and the colleague's; the "own" contact's is shared too: it
        # belongs to the same customer.
        self.assertEqual(html.count('data-payment-option-type="token"'), 3)
        result = self._rpc(TRANSACTION, params)
        self.assertNotIn("error", result, result.get("error"))
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", result["result"]["reference"])])
        )
        self.assertEqual(tx.token_id, self.colleague_token)
        self.assertEqual(tx.partner_id, self.contact)

    def test_share_link_holder_uses_no_saved_method(self):
        self.company.payment_allocation_share_tokens = True
        self.authenticate(None, None)
        invoice = self.invoices[0]
        route = f"/invoice/transaction/{invoice.id}"
        for token in (self.contact_token, self.colleague_token):
            with self.subTest(token=token.provider_ref):
                self._assert_refused(
                    self._token_params(token, invoice, 100.0), "Log in", route=route
                )
        # The invoice page of the share link lists no saved method.
        response = self.url_open(invoice.get_portal_url(query_string="&payment=True"))
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="o_payment_radio"', response.text)
        self.assertNotIn('data-payment-option-type="token"', response.text)
        # Paying without a saved method stays possible.
        result = self._rpc(route, self._invoice_params(invoice, 100.0))
        self.assertNotIn("error", result, result.get("error"))

    def test_rule_in_the_models(self):
        invoice = self.invoices[0]
        Move = self.env["account.move"]
        self.assertFalse(
            invoice._payment_allocation_portal_payment_error(
                user=self.user, token=self.contact_token
            )
        )
        self.assertIn(
            NOT_YOURS,
            invoice._payment_allocation_portal_payment_error(
                user=self.user, token=self.colleague_token
            ),
        )
        public = self.env.ref("base.public_user")
        self.assertIn(
            "Log in",
            invoice._payment_allocation_portal_payment_error(
                user=public, token=self.contact_token
            ),
        )
        # Back-office staff charge the customer's methods.
        self.assertFalse(
            invoice._payment_allocation_portal_payment_error(
                user=self.env.user, token=self.colleague_token
            )
        )
        self.assertIn(
            "Select at least one",
            Move._payment_allocation_portal_payment_error(user=self.user),
        )


@tagged("post_install", "-at_install")
class TestUnpayableDocuments(PaymentRulesMixin, HttpCase):
    """Documents that cannot be paid get no transaction, by any route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rules()
        Move = cls.env["account.move"]
        line = {
            "name": "Service",
            "quantity": 1,
            "price_unit": 80.0,
            "tax_ids": [Command.clear()],
        }
        cls.credit_note = Move.create(
            {
                "move_type": "out_refund",
                "partner_id": cls.customer.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        cls.credit_note.action_post()
        cls.draft = Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        cls.bill = Move.create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        cls.bill.action_post()

    def _refused_on_invoice_route(self, document, message):
        self._assert_refused(
            self._invoice_params(document, 80.0),
            message,
            route=f"/invoice/transaction/{document.id}",
        )

    def test_not_payable_documents_refused(self):
        for login in ("pa_contact", None):
            self.authenticate(login, login)
            for document in (self.credit_note, self.draft, self.bill):
                with self.subTest(login=login, document=document.move_type):
                    self._refused_on_invoice_route(document, "cannot be paid online")
                    self.assertFalse(document.sudo()._has_to_be_paid())
        self.assertFalse(self.credit_note.transaction_ids)
        self.assertFalse(self.bill.transaction_ids)

    def test_pay_now_of_a_page_is_the_rule_per_row(self):
        """My Invoices asks the payment rule once for its page of rows
        (`_payment_allocation_portal_payable`, `_payment_allocation_pay_now`):
        the same answer as the rule asked row by row, for every kind of
        document and payer."""
        paid = self._create_invoices(self.customer, [40.0])
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({})._create_payments()
        self.assertIn(paid.payment_state, ("in_payment", "paid"))
        being_paid = self._create_invoices(self.customer, [60.0])
        self._create_allocated_transaction(
            being_paid, reference="PA-BATCH"
        )._set_pending()
        documents = (
            self.invoices
            | self.own_invoice
            | self.credit_note
            | self.draft
            | self.bill
            | paid
            | being_paid
        ).sudo()
        public = self.env.ref("base.public_user")
        for user in (
            self.user,
            self.own_user,
            self.colleague_user,
            public,
            self.env.user,
        ):
            with self.subTest(user=user.login):
                per_row = documents.filtered(
                    lambda move, user=user: (
                        not move._payment_allocation_portal_payment_error(user=user)
                    )
                )
                self.assertEqual(
                    documents._payment_allocation_portal_payable(user=user), per_row
                )
        # what a contact's list shows: its readable rows, in its environment
        rows = documents.with_user(self.own_user)._filtered_access("read")
        self.assertTrue(rows)
        rows = rows.with_user(self.own_user)
        self.assertEqual(
            rows._payment_allocation_pay_now(),
            rows.filtered(lambda move: move._has_to_be_paid()),
        )
        rows = (
            documents.with_user(self.user)._filtered_access("read").with_user(self.user)
        )
        pay_now = rows._payment_allocation_pay_now()
        self.assertEqual(pay_now, rows.filtered(lambda move: move._has_to_be_paid()))
        self.assertIn(self.invoices[0], pay_now)
        self.assertNotIn(being_paid, pay_now)
        self.assertNotIn(self.credit_note, pay_now)

    def test_invoice_being_paid_refused(self):
        invoice = self.invoices[0]
        tx = self._create_allocated_transaction(invoice, reference="PA-AUTH")
        tx._set_authorized()
        self.authenticate(None, None)
        self._refused_on_invoice_route(invoice, "being processed")
        # Confirmed but not yet turned into a payment: still being paid.
        tx._set_done()
        self.assertFalse(tx.is_post_processed)
        self._refused_on_invoice_route(invoice, "being processed")

    def test_two_quick_submissions_give_one_charge(self):
        """The same payment submitted again while its draft is fresh gives
        that draft back: one transaction, one charge."""
        self.authenticate("pa_contact", "pa_contact")
        params = self._tx_params(
            300.0, mode="select", invoice_ids=self.invoices[:2].ids
        )
        before = self._tx_count()
        first = self._rpc(TRANSACTION, params)
        self.assertNotIn("error", first, first.get("error"))
        self.assertEqual(self._tx_count(), before + 1)
        # The first transaction is still a draft (the customer is paying).
        again = self._rpc(TRANSACTION, params)
        self.assertNotIn("error", again, again.get("error"))
        self.assertEqual(again["result"]["reference"], first["result"]["reference"])
        self.assertEqual(self._tx_count(), before + 1)
        tx = self.env["payment.transaction"].search(
            [("reference", "=", first["result"]["reference"])]
        )
        self.assertEqual(tx.state, "draft")
        # The untouched invoice is payable on its own all along.
        result = self._rpc(
            f"/invoice/transaction/{self.invoices[2].id}",
            self._invoice_params(self.invoices[2], 300.0),
        )
        self.assertNotIn("error", result, result.get("error"))
        self.assertEqual(tx.state, "draft", "another invoice: not superseded")

    def test_abandoned_draft_blocks_nothing(self):
        """The customer closed the provider's page: it pays again at once."""
        self.authenticate("pa_contact", "pa_contact")
        params = self._tx_params(
            100.0, mode="select", invoice_ids=self.invoices[:1].ids
        )
        result = self._rpc(TRANSACTION, params)
        self.assertNotIn("error", result, result.get("error"))
        tx = self.invoices[0].sudo().transaction_ids
        self.assertEqual(tx.state, "draft")
        # Straight away, another way: the invoice page, a partial amount.
        result = self._rpc(
            f"/invoice/transaction/{self.invoices[0].id}",
            self._invoice_params(self.invoices[0], 40.0),
        )
        self.assertNotIn("error", result, result.get("error"))
        self.assertEqual(tx.state, "cancel", "superseded by its own contact")


@tagged("post_install", "-at_install")
class TestOverdueAgrees(PaymentRulesMixin, HttpCase):
    """'Overdue' is company-wide everywhere: figures, counter, list, page and
    payment of a company contact agree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rules()
        # Overdue: the customer's (100, 200 and 300 from _setup_rules), the
        # "own" sibling's 50, and one addressed to the colleague.
        cls.colleague_invoice = cls._create_invoices(cls.colleague, [70.0])
        cls.not_due = cls._create_invoices(cls.customer, [40.0], start_days=10)
        cls.overdue = cls.invoices + cls.own_invoice + cls.colleague_invoice

    def test_overdue_figures_counter_page_and_payment_agree(self):
        self.authenticate("pa_contact", "pa_contact")
        total = 720.0
        [overview] = (
            self.env["account.move"].with_user(self.user)._portal_account_overview()
        )
        self.assertEqual(overview["overdue_balance"], total)
        counters = self._rpc("/my/counters", {"counters": ["overdue_invoice_count"]})
        self.assertEqual(counters["result"]["overdue_invoice_count"], len(self.overdue))
        html = self.url_open("/my/invoices?filterby=overdue_invoices").text
        for invoice in self.overdue:
            self.assertIn(invoice.name, html)
        self.assertNotIn(self.not_due.name, html)
        response = self.url_open("/my/invoices/overdue")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'data-amount="{total}"', response.text)
        result = self._rpc(
            "/invoice/transaction/overdue",
            self._tx_params(total, payment_reference="OVERDUE"),
        )
        self.assertNotIn("error", result, result.get("error"))
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", result["result"]["reference"])])
        )
        self.assertEqual(tx.invoice_ids, self.overdue)
        self.assertEqual(tx.amount, total)
        tx._set_done()
        tx._post_process()
        self.assertEqual(set(self.overdue.mapped("amount_residual")), {0.0})
        self.assertEqual(self.not_due.amount_residual, 40.0)
        self.assertEqual(
            sorted(tx.payment_allocation_line_ids.mapped("amount_applied")),
            sorted(self.overdue.mapped("amount_total")),
        )
        counters = self._rpc("/my/counters", {"counters": ["overdue_invoice_count"]})
        self.assertEqual(counters["result"]["overdue_invoice_count"], 0)

    def test_several_currencies_go_to_the_payment_page(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self._create_invoices(self.customer, [30.0], currency=eur)
        self.authenticate("pa_contact", "pa_contact")
        response = self.url_open("/my/invoices/overdue", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"{PAY}?filterby=overdue", response.headers["Location"])
        self._assert_refused(
            self._tx_params(750.0, payment_reference="OVERDUE"),
            "different currencies",
            route="/invoice/transaction/overdue",
        )

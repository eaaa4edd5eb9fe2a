# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from odoo.tests import HttpCase, tagged

from odoo.addons.payment_allocation.tests.test_portal_payment import (
    PortalPaymentMixin,
)

from .common import MultiSiteCommon


@tagged("post_install", "-at_install")
class TestPortalPayParent(PortalPaymentMixin, MultiSiteCommon, HttpCase):
    """Paying a parent from the portal is one transaction over its open
    children, allocated per child (payment.allocation.line) and reconciled
    exactly per child: the parent is no journal entry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.provider = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.provider.write(
            {"state": "test", "is_published": True, "company_id": cls.env.company.id}
        )
        cls.payment_method = cls.provider.payment_method_ids[:1]
        # the payment mixin's transaction partner
        cls.contact = cls.contact_company

    def _assert_children_settled(self, tx, expected):
        """``expected``: {child: amount allocated}; each child is reconciled
        with exactly that amount of the transaction's payment."""
        lines = tx.payment_allocation_line_ids
        self.assertEqual(
            {line.move_id: line.amount for line in lines},
            expected,
        )
        payment_lines = tx.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        for child, amount in expected.items():
            self.assertTrue(child.currency_id.is_zero(child.amount_residual))
            partials = (
                child.line_ids.matched_credit_ids
                if child.line_ids.matched_credit_ids
                else child.line_ids.matched_debit_ids
            ).filtered(lambda p: p.credit_move_id in payment_lines)
            self.assertAlmostEqual(sum(partials.mapped("amount")), amount)

    def test_pay_parent_reconciles_each_child(self):
        self.authenticate("msb_company", "msb_company")
        tx = self._pay(600.0, mode="select", invoice_ids=self.children.ids)
        self._assert_children_settled(
            tx, {self.inv_north: 100.0, self.inv_south: 200.0, self.inv_east: 300.0}
        )
        self.assertIn(self.parent.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.parent.amount_residual, 0.0)
        self.assertEqual(self.parent.amount_total, 600.0)

    def test_pay_parent_after_a_partial_payment(self):
        self._register_payment(self.inv_south, 50.0)
        self.assertEqual(self.parent.payment_state, "partial")
        self.authenticate("msb_company", "msb_company")
        tx = self._pay(550.0, mode="select", invoice_ids=self.children.ids)
        self._assert_children_settled(
            tx, {self.inv_north: 100.0, self.inv_south: 150.0, self.inv_east: 300.0}
        )
        self.assertEqual(self.parent.amount_residual, 0.0)

    def test_pay_parent_by_parent_ids(self):
        """Ticking the parent sends its id: the server pays its open children."""
        self._register_payment(self.inv_south, 50.0)
        self.authenticate("msb_company", "msb_company")
        tx = self._pay(550.0, mode="select", parent_ids=self.parent.ids)
        self._assert_children_settled(
            tx, {self.inv_north: 100.0, self.inv_south: 150.0, self.inv_east: 300.0}
        )
        self.assertIn(self.parent.payment_state, ("paid", "in_payment"))

    def test_pay_parent_and_other_invoices(self):
        """A parent and single invoices in one payment; a child ticked twice
        (under its parent and in the table) is paid once."""
        self.authenticate("msb_company", "msb_company")
        tx = self._pay(
            670.0,
            mode="select",
            parent_ids=self.parent.ids,
            invoice_ids=(self.inv_north | self.inv_north_single).ids,
        )
        self._assert_children_settled(
            tx,
            {
                self.inv_north: 100.0,
                self.inv_south: 200.0,
                self.inv_east: 300.0,
                self.inv_north_single: 70.0,
            },
        )

    def test_site_contact_pays_its_share_of_a_parent(self):
        self.authenticate("msb_site", "msb_site")
        preview = self._rpc(
            "/my/invoices/pay/preview",
            {"mode": "select", "parent_ids": self.parent.ids},
        )["result"]
        self.assertEqual([line["id"] for line in preview["lines"]], self.inv_north.ids)
        tx = self._pay(100.0, mode="select", parent_ids=self.parent.ids)
        self._assert_children_settled(tx, {self.inv_north: 100.0})
        self.assertEqual(self.inv_south.amount_residual, 200.0)
        self.assertEqual(self.parent.payment_state, "partial")

    def test_parent_of_another_customer_refused(self):
        self.authenticate("msb_other", "msb_other")
        self._assert_refused(
            self._tx_params(600.0, mode="select", parent_ids=self.parent.ids),
            "cannot be paid",
        )
        self.authenticate("msb_company", "msb_company")
        self._assert_refused(
            self._tx_params(600.0, mode="select", parent_ids=["x"]),
            "selection of invoices is invalid",
        )
        self._register_payment(self.children, 600.0)
        self._assert_refused(
            self._tx_params(600.0, mode="select", parent_ids=self.parent.ids),
            "nothing is left to pay",
        )

    def test_pay_page_filters_and_parents(self):
        self.authenticate("msb_company", "msb_company")
        response = self.url_open("/my/invoices/pay?filterby=multi_site")
        self.assertEqual(response.status_code, 200)
        table = response.text.split("o_payment_allocation_row", 1)[-1]
        self.assertIn(self.inv_east.name, table)
        self.assertNotIn(self.inv_plain.name, response.text)
        response = self.url_open("/my/invoices/pay?filterby=single_site")
        self.assertIn(self.inv_plain.name, response.text)
        self.assertNotIn(self.inv_east.name, response.text)
        self.assertNotIn("o_multi_site_pay_parents", response.text)
        response = self.url_open(f"/my/invoices/pay?parent_id={self.parent.id}")
        self.assertIn("o_multi_site_pay_parents", response.text)
        self.assertRegex(
            response.text,
            rf'o_multi_site_parent_check"\s+value="{self.parent.id}"[^>]*checked',
        )
        # "select all" of the multi-site filter: the children only
        preview = self._rpc(
            "/my/invoices/pay/preview",
            {"mode": "select", "select_all": True, "filterby": "multi_site"},
        )["result"]
        self.assertEqual(
            {line["id"] for line in preview["lines"]}, set(self.children.ids)
        )

    def test_site_filters_only_with_multi_site_invoices(self):
        """Single-site / Multi-site show where there are multi-site invoices
        to tell apart, not for a customer without any."""
        self.authenticate("msb_company", "msb_company")
        page = self.url_open("/my/invoices/pay").text
        self.assertIn("o_multi_site_pay_filter_single", page)
        self.assertIn("o_multi_site_pay_filter_multi", page)
        # the filter on stays in sight, even with no parent listed
        page = self.url_open("/my/invoices/pay?filterby=single_site").text
        self.assertIn("o_multi_site_pay_filter_single", page)
        self.authenticate("msb_other", "msb_other")
        page = self.url_open("/my/invoices/pay").text
        self.assertIn(self.inv_other.name, page)
        self.assertNotIn("o_multi_site_pay_filter_single", page)
        self.assertNotIn("o_multi_site_pay_filter_multi", page)

    def test_limit_counts_children(self):
        moves = self.env["account.move"].create(
            [self._site_invoice_values(self.site_east, 1.0) for _index in range(198)]
        )
        moves.action_post()
        moves.write({"parent_invoice_id": self.parent.id})
        self.authenticate("msb_company", "msb_company")
        # 201 children
        self._assert_refused(
            self._tx_params(798.0, mode="select", parent_ids=self.parent.ids),
            "at most 200 invoices",
        )
        # 200 invoices: paid
        self.inv_north.action_parent_invoice_ungroup()
        tx = self._pay(698.0, mode="select", parent_ids=self.parent.ids)
        self.assertEqual(len(tx.payment_allocation_line_ids), 200)

    def test_pay_page_lists_a_child_once(self):
        """A child invoice is listed under its parent only, not again in the
        main table; the other invoices stay in the main table."""
        self.authenticate("msb_company", "msb_company")
        for url in ("/my/invoices/pay", "/my/invoices/pay?filterby=multi_site"):
            page = self.url_open(url).text
            main_rows = re.findall(
                r'class="o_payment_allocation_row[^"]*"\s+data-invoice-id="(\d+)"', page
            )
            for child in self.children:
                self.assertNotIn(str(child.id), main_rows, url)
                self.assertEqual(
                    page.count(f'data-invoice-id="{child.id}"'), 1, (url, child.name)
                )
                self.assertEqual(page.count(f">{child.name}<"), 1, (url, child.name))
        page = self.url_open("/my/invoices/pay").text
        main_rows = re.findall(
            r'class="o_payment_allocation_row[^"]*"\s+data-invoice-id="(\d+)"', page
        )
        self.assertIn(str(self.inv_plain.id), main_rows)
        self.assertIn(str(self.inv_north_single.id), main_rows)

    def test_site_contact_no_red_zero_overdue(self):
        """Nothing overdue: the overdue balance is not shown in red."""
        self.authenticate("msb_site", "msb_site")
        page = self.url_open("/my/invoices/pay").text
        tag = re.search(
            r"(<div[^>]*o_overdue_balance[^>]*>)(.*?)</div>", page, re.DOTALL
        )
        self.assertTrue(tag)
        self.assertIn("0.00", tag.group(2))
        self.assertNotIn("text-danger", tag.group(1))
        # overdue: red
        self.inv_north_single.invoice_date_due = self.today - timedelta(days=3)
        page = self.url_open("/my/invoices/pay").text
        tag = re.search(r"<div[^>]*o_overdue_balance[^>]*>", page)
        self.assertIn("text-danger", tag.group(0))

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.customer_portal_invoices.controllers.portal import (
    CustomerPortalInvoices,
)
from odoo.addons.customer_portal_invoices.parsing import clean_text, parse_page
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..amounts import parse_amount
from ..models.account_move import PAY_ORDER
from .payment_method import PaymentAllocationDefaultTokenMixin

PAY_ROUTE = "/my/invoices/pay"
TRANSACTION_ROUTE = "/my/invoices/pay/transaction"
# What the page sends to describe the selection (see
# `account.move._payment_allocation_resolve_selection`).
SELECTION_KEYS = {
    "mode",
    "invoice_ids",
    "select_all",
    "custom_amount",
    "currency_id",
    "filterby",
    "search",
    "company_id",
}


class PaymentAllocationPortal(
    PaymentAllocationDefaultTokenMixin, CustomerPortalInvoices, PortalAccount
):
    """The Make a Payment page: pay selected invoices or a custom amount.

    Extends the portal of customer_portal_invoices (a dependency): its
    values, such as ``portal_invoice_allow_pay``, are refined here. The one
    extension of stock ``PortalAccount`` in this addon; the default saved
    method of the payment forms lives in
    ``PaymentAllocationDefaultTokenMixin`` (no method is overridden by both)."""

    # === HELPERS === #

    @staticmethod
    def _payment_allocation_may_pay(partner):
        """Whether the contact may pay online at all (its portal scope,
        customer_portal_invoices); one that may not gets no payment page."""
        return partner._portal_scope()["may_pay"]

    @staticmethod
    def _payment_allocation_pay_allowed(company=None):
        """Whether portal users may pay invoices online: Odoo's Invoice Online
        Payment switch (account_payment) is on and ``company`` (default: the
        current one) allows it (customer_portal_invoices setting)."""
        company = company or request.env.company
        if not request.env["account.move"]._payment_allocation_portal_payment_enabled():
            return False
        # sudo: only the setting of the company is read
        return bool(company.sudo().portal_invoice_allow_pay)

    def _payment_allocation_compute(self, apply_credit=False, **selection):
        """Resolve the selection and plan its payment (credits first, then
        the charge): ``(invoices, plan)``.

        :raise UserError: for a selection the page does not send (a key it
            does not know).
        """
        unknown = set(selection) - SELECTION_KEYS
        if unknown:
            raise UserError(
                request.env._(
                    "The payment request is invalid (unknown: %(keys)s). Reload "
                    "the page and try again.",
                    keys=", ".join(sorted(unknown))[:200],
                )
            )
        if "search" in selection:
            selection["search"] = clean_text(selection["search"])
        apply_credit = apply_credit is True
        invoices, amount = request.env[
            "account.move"
        ]._payment_allocation_resolve_selection(apply_credit=apply_credit, **selection)
        plan = invoices._payment_allocation_payment_plan(
            amount, use_credit=apply_credit
        )
        return invoices, amount, plan

    # === PAGE === #

    def _payment_allocation_page_values(
        self,
        page=1,
        currency_id=None,
        filterby=None,
        search=None,
        mode=None,
        company_id=None,
        **kwargs,
    ):
        """The page of the open invoices of one currency and one company
        (``account.move._payment_allocation_page_data`` decides which, and
        the figures), with a switch to the others."""
        Move = request.env["account.move"]
        data = Move._payment_allocation_page_data(
            currency_id=currency_id,
            company_id=company_id,
            filterby=filterby,
            search=clean_text(search),
        )
        currency, company = data["currency"], data["payment_company"]
        url_args = {"filterby": data["filterby"], "search": data["search"]}
        if currency:
            url_args.update(currency_id=currency.id, company_id=company.id)
        pager = portal_pager(
            url=PAY_ROUTE,
            url_args=url_args,
            total=data["filter_count"],
            page=page,
            step=self._items_per_page,
        )
        invoices = Move.search(
            data.pop("domain"),
            order=PAY_ORDER,
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            data,
            page_name="payment_allocation",
            pager=pager,
            invoices=invoices,
            format_amount=lambda amount: Move._payment_allocation_format(
                amount, currency
            ),
            format_amount_plain=lambda amount: Move._payment_allocation_format(
                amount, currency, symbol=False
            ),
            # not "mode": the payment form reads that one ("payment")
            payment_allocation_mode=mode if mode in ("select", "custom") else "select",
            pay_route=PAY_ROUTE,
        )
        if invoices:
            total = data["payable_total"]
            values.update(
                self._get_common_page_view_values(
                    invoices_data={
                        "partner": request.env.user.partner_id.commercial_partner_id,
                        "company": company,
                        "total_amount": total,
                        "currency": currency,
                        "amount_residual": total,
                        "landing_route": PAY_ROUTE,
                        "transaction_route": TRANSACTION_ROUTE,
                    }
                ),
                amount=total,
            )
        return values

    @http.route(
        [PAY_ROUTE, f"{PAY_ROUTE}/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        sitemap=False,
    )
    def payment_allocation_page(self, page=1, **kwargs):
        page = parse_page(page)
        partner = request.env.user.partner_id
        if not self._payment_allocation_may_pay(partner):
            # My Invoices says in one line that access is not granted
            return request.redirect("/my/invoices")
        if not self._payment_allocation_pay_allowed():
            return request.redirect("/my/invoices")
        values = self._payment_allocation_page_values(page=page, **kwargs)
        return request.render(
            "payment_allocation.portal_payment_allocation_page", values
        )

    # === JSON ROUTES === #

    @http.route(f"{PAY_ROUTE}/preview", type="json", auth="user", readonly=True)
    def payment_allocation_preview(self, **selection):
        """How the selection or the custom amount would be paid, credits
        first, computed on the server: every amount preformatted, for the
        page to show as is."""
        try:
            invoices, _amount, plan = self._payment_allocation_compute(**selection)
        except UserError as error:
            return {"error": error.args[0]}
        return invoices._payment_allocation_plan_display(plan)

    @http.route(f"{PAY_ROUTE}/credit", type="json", auth="user")
    def payment_allocation_apply_credit(self, amount=None, **selection):
        """Pay the selection with the customer's open credits alone, when
        they cover it: a reconciliation, no transaction. ``amount`` is the
        credit the page showed, checked against the server's plan."""
        Move = request.env["account.move"]
        try:
            invoices, _amount, plan = self._payment_allocation_compute(
                **dict(selection, apply_credit=True)
            )
            currency = invoices.currency_id
            if currency.compare_amounts(plan["charge"], 0) > 0 or not plan["credit"]:
                raise UserError(
                    request.env._(
                        "Your credits do not cover this payment: choose how to "
                        "pay the rest."
                    )
                )
            shown = parse_amount(request.env, amount, currency)
            if currency.compare_amounts(shown, plan["credit"]) != 0:
                raise UserError(
                    request.env._(
                        "Your credits changed meanwhile. Reload the page and try again."
                    )
                )
            display = invoices._payment_allocation_plan_display(plan)
            invoices._payment_allocation_apply_credit(plan, user=request.env.user)
        except UserError as error:
            return {"error": error.args[0]}
        display["message"] = request.env._(
            "%(amount)s of your credits was applied to your invoices. Nothing "
            "was charged.",
            amount=Move._payment_allocation_format(plan["credit"], currency),
        )
        return display

    @http.route(TRANSACTION_ROUTE, type="json", auth="user")
    def payment_allocation_transaction(
        self,
        mode="select",
        invoice_ids=None,
        select_all=False,
        custom_amount=None,
        currency_id=None,
        filterby=None,
        search=None,
        company_id=None,
        access_token=None,
        apply_credit=False,
        **kwargs,
    ):
        """Create one transaction for the selection or the custom amount.

        Everything is recomputed by the models; the amount the browser shows
        must match what they computed, or nothing is created.
        """
        self._validate_transaction_kwargs(kwargs)
        if kwargs.pop("is_validation", False):
            raise ValidationError(request.env._("This payment cannot be a validation."))
        Transaction = request.env["payment.transaction"]
        partner = request.env.user.partner_id
        try:
            invoices, amount, plan = self._payment_allocation_compute(
                mode=mode,
                invoice_ids=invoice_ids,
                select_all=select_all,
                custom_amount=custom_amount,
                currency_id=currency_id,
                filterby=filterby,
                search=search,
                company_id=company_id,
                apply_credit=apply_credit,
            )
            currency, company = invoices.currency_id, invoices.company_id
            charge = Transaction._payment_allocation_check_charge(
                plan, currency, kwargs.pop("amount", None)
            )
            if not self._can_partner_pay_in_company(partner, company):
                raise UserError(
                    request.env._(
                        "You cannot pay invoices of %(company)s.", company=company.name
                    )
                )
            kwargs = Transaction._payment_allocation_check_payment_choice(
                kwargs, company, partner, charge, currency
            )
            total, create_values, reference = (
                Transaction._payment_allocation_portal_values(
                    invoices, amount, plan, request.env.user
                )
            )
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        kwargs.pop("landing_route", None)
        # The payment rule is asked once more, with the invoices locked, by
        # _create_transaction (controllers/payment.py), as on every route.
        tx_sudo = self._create_transaction(
            amount=total,
            currency_id=currency.id,
            partner_id=partner.id,
            landing_route=PAY_ROUTE,
            reference_prefix=reference,
            custom_create_values=create_values,
            **kwargs,
        )
        tx_sudo.landing_route = tx_sudo._payment_allocation_receipt_url()
        return tx_sudo._get_processing_values()

    # === RECEIPT === #

    @http.route(
        f"{PAY_ROUTE}/receipt/<int:tx_id>",
        type="http",
        auth="user",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def payment_allocation_receipt(self, tx_id, **kwargs):
        # In sudo mode: portal users cannot read transactions; only the contact
        # who paid sees the receipt.
        tx_sudo = request.env["payment.transaction"].sudo().browse(tx_id).exists()
        if (
            not tx_sudo
            or not tx_sudo.payment_allocation_line_ids
            or tx_sudo.partner_id != request.env.user.partner_id
        ):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "payment_allocation_receipt", "tx_sudo": tx_sudo})
        return request.render(
            "payment_allocation.portal_payment_allocation_receipt", values
        )

    # === STOCK PAGES === #

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # The "Pay Now" button of the overdue invoices entry on /my.
            values["portal_invoice_allow_pay"] = self._payment_allocation_pay_allowed()
        if "payment_allocation_overdue_summary" in counters:
            # What "Pay Now" pays, asked with the entry's counter once /my is
            # shown (the entry stays hidden until its counters arrive): the
            # page itself makes no query for it.
            values["payment_allocation_overdue_summary"] = (
                self._payment_allocation_overdue_summary_text()
            )
        return values

    def _payment_allocation_overdue_summary_text(self):
        """The sentence of the "Invoices to pay" entry on /my; 0 (the portal's
        "nothing", which leaves the entry hidden) when there is no overdue
        invoice, "" when there are some but none to pay online now."""
        Move = request.env["account.move"]
        summary = (
            Move._payment_allocation_overdue_summary()
            if self._payment_allocation_pay_allowed()
            else []
        )
        if summary:
            return request.env._(
                "Pay Now pays %(what)s",
                what="; ".join(group["text"] for group in summary),
            )
        return "" if self._get_overdue_invoice_count() else 0

    def _prepare_my_invoices_values(self, *args, **kwargs):
        """The "Make a Payment" button of /my/invoices follows Odoo's Invoice
        Online Payment switch too."""
        values = super()._prepare_my_invoices_values(*args, **kwargs)
        Move = request.env["account.move"]
        if not Move._payment_allocation_portal_payment_enabled():
            values["portal_invoice_allow_pay"] = False
        get_invoices = values["invoices"]

        def invoices_with_pay_now(pager_offset):
            """The rows, each saying whether its "Pay Now" button shows: the
            payment rule asked once for the page's rows, not per row."""
            rows = get_invoices(pager_offset)
            if rows:
                pay_now = set(
                    Move.browse([row["invoice"].id for row in rows])
                    ._payment_allocation_pay_now()
                    .ids
                )
                for row in rows:
                    row["payment_allocation_pay_now"] = row["invoice"].id in pay_now
            return rows

        values["invoices"] = invoices_with_pay_now
        return values

    @http.route()
    def portal_my_overdue_invoices(self, access_token=None, **kw):
        """Override of `account_payment`: "Pay overdue" pays the overdue
        invoices of the whole customer that the contact may see (the overdue
        counter's), for what is still due. When they cannot be paid in one
        payment (several currencies or companies, more than the limit, a
        payment in progress), the Make a Payment page lists them instead."""
        Move = request.env["account.move"]
        try:
            overdue = Move._payment_allocation_overdue_invoices()
        except UserError:
            # no access, or online payment is off
            return request.redirect("/my/invoices")
        if not overdue:
            return request.redirect("/my/invoices")
        if overdue._payment_allocation_payable_error():
            return request.redirect(f"{PAY_ROUTE}?filterby=overdue")
        return super().portal_my_overdue_invoices(access_token=access_token, **kw)

    def _overdue_invoices_get_page_view_values(self, overdue_invoices, **kwargs):
        """Override of `account_payment`: the page shows what the overdue
        payment route charges (see `_process_transaction`): the residual of
        the overdue invoices open for payment, whichever contact of the
        customer they were addressed to. Stock's values are those of its
        empty page (it requires one partner for all the invoices, which a
        customer's contacts do not share), ours are added to them."""
        values = super()._overdue_invoices_get_page_view_values(
            overdue_invoices.browse(), **kwargs
        )
        invoices = request.env["account.move"]._payment_allocation_overdue_invoices()
        if not invoices or invoices._payment_allocation_payable_error():
            return values
        company, currency = invoices.company_id, invoices.currency_id
        residual = currency.round(sum(invoices.mapped("amount_residual")))
        reference = request.env[
            "payment.transaction"
        ]._payment_allocation_reference_prefix(invoices)
        values.update(
            {
                "payment": {
                    "date": fields.Date.context_today(invoices),
                    "reference": reference,
                    "amount": residual,
                    "currency": currency,
                },
                "amount": residual,
            }
        )
        values |= self._get_common_page_view_values(
            invoices_data={
                "partner": request.env.user.partner_id,
                "company": company,
                "total_amount": residual,
                "currency": currency,
                "amount_residual": residual,
                "payment_reference": reference,
                "landing_route": "/my/invoices",
                "transaction_route": "/invoice/transaction/overdue",
            },
        )
        return values

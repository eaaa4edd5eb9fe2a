# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.misc import formatLang

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.customer_portal_invoices.controllers.portal import (
    CustomerPortalInvoices,
)
from odoo.addons.customer_portal_invoices.parsing import clean_text, parse_page
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..amounts import parse_amount
from ..models.account_move import MAX_INVOICES_PER_PAYMENT, PAY_ORDER

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


class PaymentAllocationPortal(CustomerPortalInvoices, PortalAccount):
    """The Make a Payment page: pay selected invoices or a custom amount.

    Extends the portal of customer_portal_invoices (a dependency): its
    values, such as ``portal_invoice_allow_pay``, are refined here."""

    # === HELPERS === #

    @staticmethod
    def _payment_allocation_access(partner):
        """The contact's portal invoice access level (customer_portal_invoices);
        a contact set to 'none' gets no payment page."""
        return partner.portal_invoice_access

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
        """The page shows the open invoices of one currency and one company
        at a time (one payment is in one currency to one company), with a
        switch to the others."""
        partner = request.env.user.partner_id
        Move = request.env["account.move"]
        base_domain = Move._payment_allocation_open_domain(
            partner.commercial_partner_id
        )
        balances = Move._read_group(
            base_domain,
            ["currency_id", "company_id"],
            ["amount_residual:sum", "__count"],
            order="currency_id, company_id",
        )
        overdue = {
            (cur, comp): total
            for cur, comp, total in Move._read_group(
                base_domain
                + Move._payment_allocation_filter_domain(filterby="overdue"),
                ["currency_id", "company_id"],
                ["amount_residual:sum"],
            )
        }
        groups = [(cur, comp) for cur, comp, _total, _count in balances]
        currencies = request.env["res.currency"].browse(
            list(dict.fromkeys(cur.id for cur, _comp in groups))
        )
        cast = Move._payment_allocation_cast_id
        wanted_currency, wanted_company = cast(currency_id), cast(company_id)
        current = request.env.company
        group = (
            next(
                (
                    (cur, comp)
                    for cur, comp in groups
                    if cur.id == wanted_currency
                    and (not wanted_company or comp.id == wanted_company)
                ),
                None,
            )
            or next(
                (
                    (cur, comp)
                    for cur, comp in groups
                    if cur == current.currency_id and comp == current
                ),
                None,
            )
            or (groups[0] if groups else None)
        )
        currency, company = group or (
            request.env["res.currency"],
            request.env["res.company"],
        )
        balance, count_open = next(
            (
                (total, count)
                for cur, comp, total, count in balances
                if (cur, comp) == group
            ),
            (0.0, 0),
        )
        credit = (
            Move._payment_allocation_credit_totals(partner.commercial_partner_id).get(
                group, 0.0
            )
            if group
            else 0.0
        )
        filterby = filterby if filterby in ("all", "overdue") else "all"
        search = clean_text(search)
        domain = base_domain + Move._payment_allocation_filter_domain(
            currency.id, filterby, search, company.id
        )
        [(filter_count, filter_total)] = Move._read_group(
            domain, [], ["__count", "amount_residual:sum"]
        )
        url_args = {"filterby": filterby, "search": search}
        if currency:
            url_args["currency_id"] = currency.id
            url_args["company_id"] = company.id
        pager = portal_pager(
            url=PAY_ROUTE,
            url_args=url_args,
            total=filter_count,
            page=page,
            step=self._items_per_page,
        )
        invoices = Move.search(
            domain, order=PAY_ORDER, limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "payment_allocation",
                "pager": pager,
                "invoices": invoices,
                "currency": currency,
                "currencies": currencies,
                "payment_company": company,
                "payment_groups": groups,
                "show_company": len({comp for _cur, comp in groups}) > 1,
                "balance": balance or 0.0,
                "credit_available": credit,
                "net_balance": (balance or 0.0) - credit,
                "format_amount": (
                    lambda amount: Move._payment_allocation_format(amount, currency)
                ),
                "format_amount_plain": (
                    lambda amount: Move._payment_allocation_format(
                        amount, currency, symbol=False
                    )
                ),
                "overdue_balance": overdue.get(group, 0.0) if group else 0.0,
                "count_open": count_open,
                "filter_count": filter_count,
                "filter_total": filter_total or 0.0,
                "filterby": filterby,
                "search": search,
                # not "mode": the payment form reads that one ("payment")
                "payment_allocation_mode": (
                    mode if mode in ("select", "custom") else "select"
                ),
                "max_invoices": MAX_INVOICES_PER_PAYMENT,
                # why "select all" cannot pay the filter's invoices ("" if it can)
                "select_all_error": Move._payment_allocation_count_error(filter_count),
                "pay_route": PAY_ROUTE,
            }
        )
        if invoices:
            values.update(
                self._get_common_page_view_values(
                    invoices_data={
                        "partner": partner.commercial_partner_id,
                        "company": company,
                        "total_amount": balance,
                        "currency": currency,
                        "amount_residual": balance,
                        "landing_route": PAY_ROUTE,
                        "transaction_route": TRANSACTION_ROUTE,
                    }
                )
            )
            values["amount"] = balance
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
        if self._payment_allocation_access(partner) == "none":
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

        Everything is recomputed here; the amount the browser shows must match
        what the server computed, or nothing is created.
        """
        self._validate_transaction_kwargs(kwargs)
        if kwargs.pop("is_validation", False):
            raise ValidationError(request.env._("This payment cannot be a validation."))
        Transaction = request.env["payment.transaction"]
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
            currency = invoices.currency_id
            total = plan["charge"]
            if currency.compare_amounts(total, 0) <= 0:
                raise UserError(
                    request.env._(
                        "Your credits pay this selection in full: apply them, "
                        "nothing is charged."
                    )
                )
            browser_amount = parse_amount(
                request.env, kwargs.pop("amount", None), currency
            )
            if currency.compare_amounts(browser_amount, total) != 0:
                raise UserError(
                    request.env._(
                        "The amount to pay (%(amount)s) does not match your "
                        "selection (%(expected)s). Reload the page and try again.",
                        amount=formatLang(
                            request.env, browser_amount, currency_obj=currency
                        ),
                        expected=formatLang(request.env, total, currency_obj=currency),
                    )
                )
            partner = request.env.user.partner_id
            company = invoices.company_id
            if not self._can_partner_pay_in_company(partner, company):
                raise UserError(
                    request.env._(
                        "You cannot pay invoices of %(company)s.", company=company.name
                    )
                )
            kwargs = Transaction._payment_allocation_check_payment_choice(
                kwargs, company, partner, total, currency
            )
            # Credits first: a reconciliation the customer asked for, under
            # the locks and the payment rule; it stays should the charge of
            # the rest fail later. A failure from here on rolls it back.
            invoices._payment_allocation_apply_credit(plan, user=request.env.user)
            charged = invoices.browse([move.id for move, _part in plan["charge_pairs"]])
            total, create_values = Transaction._payment_allocation_prepare(
                charged, amount
            )
            if currency.compare_amounts(total, plan["charge"]) != 0:
                raise UserError(
                    request.env._(
                        "Your invoices changed meanwhile. Reload the page and try "
                        "again."
                    )
                )
            if plan["credit"]:
                create_values["payment_allocation_credit_applied"] = plan["credit"]
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        paid = invoices.browse(create_values["invoice_ids"][0][2])
        reference = Transaction._payment_allocation_reference_prefix(paid)
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
        if not request.env["account.move"]._payment_allocation_portal_payment_enabled():
            values["portal_invoice_allow_pay"] = False
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
        payment route charges (see `overdue_invoices_transaction`): the
        residual of the overdue invoices open for payment, whichever contact
        of the customer they were addressed to."""
        values = {"page_name": "overdue_invoices"}
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

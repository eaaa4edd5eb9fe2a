# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.misc import formatLang

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.account_move import MAX_INVOICES_PER_PAYMENT

PAY_ROUTE = "/my/invoices/pay"
TRANSACTION_ROUTE = "/my/invoices/pay/transaction"
# Payment order of the open invoices: the order the engine pays them in.
PAY_ORDER = "invoice_date_due asc, invoice_date asc, id asc"


class PaymentAllocationPortal(PortalAccount):
    """The Make a Payment page: pay selected invoices or a custom amount."""

    # === HELPERS === #

    @staticmethod
    def _payment_allocation_access(partner):
        """The contact's portal invoice access level (customer_portal_invoices);
        a contact set to 'none' gets no payment page."""
        return getattr(partner, "portal_invoice_access", "company") or "company"

    @staticmethod
    def _payment_allocation_pay_allowed(company=None):
        """Whether ``company`` (default: the current one) lets portal users pay
        invoices online (customer_portal_invoices setting)."""
        company = company or request.env.company
        # sudo: only the setting of the company is read
        return bool(company.sudo().portal_invoice_allow_pay)

    def _payment_allocation_check_access(self):
        partner = request.env.user.partner_id
        if request.env.user._is_public() or (
            self._payment_allocation_access(partner) == "none"
        ):
            raise ValidationError(
                request.env._("You are not allowed to pay invoices online.")
            )
        if not self._payment_allocation_pay_allowed():
            raise ValidationError(
                request.env._("Online payment of invoices is not available.")
            )
        return partner

    @staticmethod
    def _payment_allocation_parse_amount(value, currency):
        """The amount typed by the customer, rounded to the currency, or a
        ValidationError with a sentence."""
        if value is None or value == "":
            raise ValidationError(request.env._("Enter the amount to pay."))
        if isinstance(value, bool | list | dict):
            raise ValidationError(request.env._("The amount to pay is not a number."))
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                request.env._(
                    "The amount to pay is not a number: %(value)s.", value=value
                )
            ) from None
        if not math.isfinite(number) or abs(number) >= 1e15:
            raise ValidationError(
                request.env._("The amount to pay is not a valid amount.")
            )
        number = currency.round(number)
        if currency.compare_amounts(number, 0.0) <= 0:
            raise ValidationError(
                request.env._("The amount to pay must be greater than zero.")
            )
        return number

    @staticmethod
    def _payment_allocation_cast_id(value):
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return None

    def _payment_allocation_filter_domain(
        self, currency_id=None, filterby=None, search=None
    ):
        """Domain of the page filters, also used to resolve 'select all'."""
        domain = []
        currency_id = self._payment_allocation_cast_id(currency_id)
        if currency_id:
            domain.append(("currency_id", "=", currency_id))
        if filterby == "overdue":
            today = fields.Date.context_today(request.env["account.move"])
            domain.append(("invoice_date_due", "<", today))
        if search and isinstance(search, str):
            domain += ["|", ("name", "ilike", search), ("ref", "ilike", search)]
        return domain

    def _payment_allocation_resolve(
        self,
        mode="select",
        invoice_ids=None,
        select_all=False,
        custom_amount=None,
        currency_id=None,
        filterby=None,
        search=None,
    ):
        """The invoices to pay and the custom amount (None: pay them in full),
        recomputed on the server from what the browser asked.

        Only invoices the user may read (record rules) of the user's customer
        and open for payment are considered.
        """
        partner = self._payment_allocation_check_access()
        Move = request.env["account.move"]
        domain = Move._payment_allocation_open_domain(partner.commercial_partner_id)
        if mode == "custom":
            currency_id = self._payment_allocation_cast_id(currency_id)
            invoices = Move.search(
                domain + [("currency_id", "=", currency_id)], order=PAY_ORDER
            )
            if not invoices:
                raise ValidationError(
                    request.env._("You have no open invoice in this currency.")
                )
            currency = invoices.currency_id
            amount = self._payment_allocation_parse_amount(custom_amount, currency)
            balance = currency.round(sum(invoices.mapped("amount_residual")))
            if currency.compare_amounts(amount, balance) > 0:
                raise ValidationError(
                    request.env._(
                        "The amount to pay (%(amount)s) is more than your open "
                        "balance (%(balance)s).",
                        amount=formatLang(request.env, amount, currency_obj=currency),
                        balance=formatLang(request.env, balance, currency_obj=currency),
                    )
                )
            return invoices, amount
        if mode != "select":
            raise ValidationError(
                request.env._(
                    "Choose whether you pay selected invoices or a custom amount."
                )
            )
        if select_all:
            domain += self._payment_allocation_filter_domain(
                currency_id, filterby, search
            )
            count = Move.search_count(domain)
            if count > MAX_INVOICES_PER_PAYMENT:
                raise ValidationError(
                    request.env._(
                        "Your filter matches %(count)s invoices: you can pay at most "
                        "%(max)s invoices at once. Narrow the filter and try again.",
                        count=count,
                        max=MAX_INVOICES_PER_PAYMENT,
                    )
                )
            return Move.search(domain, order=PAY_ORDER), None
        if not isinstance(invoice_ids, list) or not invoice_ids:
            raise ValidationError(request.env._("Select at least one invoice to pay."))
        ids = [self._payment_allocation_cast_id(value) for value in invoice_ids]
        if None in ids:
            raise ValidationError(
                request.env._("The selection of invoices is invalid.")
            )
        if len(ids) > MAX_INVOICES_PER_PAYMENT:
            raise ValidationError(
                request.env._(
                    "You can pay at most %(max)s invoices at once; you selected "
                    "%(count)s.",
                    max=MAX_INVOICES_PER_PAYMENT,
                    count=len(ids),
                )
            )
        if len(set(ids)) != len(ids):
            raise ValidationError(
                request.env._("An invoice appears more than once in the selection.")
            )
        invoices = Move.search(domain + [("id", "in", ids)], order=PAY_ORDER)
        if len(invoices) != len(ids):
            raise ValidationError(
                request.env._(
                    "Some of the selected invoices cannot be paid: they are paid "
                    "already or you may not pay them. Reload the page and try again."
                )
            )
        return invoices, None

    def _payment_allocation_compute(self, **selection):
        """Resolve the selection and allocate it: list of (invoice, amount)."""
        invoices, amount = self._payment_allocation_resolve(**selection)
        try:
            return request.env["payment.transaction"]._payment_allocation_compute(
                invoices, amount
            )
        except UserError as error:
            raise ValidationError(error.args[0]) from error

    # === PAGE === #

    def _payment_allocation_page_values(
        self, page=1, currency_id=None, filterby=None, search=None, mode=None, **kwargs
    ):
        partner = request.env.user.partner_id
        Move = request.env["account.move"]
        base_domain = Move._payment_allocation_open_domain(
            partner.commercial_partner_id
        )
        today = fields.Date.context_today(Move)
        balances = Move._read_group(
            base_domain, ["currency_id"], ["amount_residual:sum", "__count"]
        )
        overdue = dict(
            Move._read_group(
                base_domain + [("invoice_date_due", "<", today)],
                ["currency_id"],
                ["amount_residual:sum"],
            )
        )
        currencies = request.env["res.currency"].browse(
            [currency.id for currency, _total, _count in balances]
        )
        currency = currencies.filtered(
            lambda c: c.id == self._payment_allocation_cast_id(currency_id)
        ) or (
            request.env.company.currency_id & currencies
            if request.env.company.currency_id in currencies
            else currencies[:1]
        )
        balance, count_open = next(
            ((total, count) for cur, total, count in balances if cur == currency),
            (0.0, 0),
        )
        filterby = filterby if filterby in ("all", "overdue") else "all"
        search = search if isinstance(search, str) else ""
        domain = base_domain + self._payment_allocation_filter_domain(
            currency.id, filterby, search
        )
        [(filter_count, filter_total)] = Move._read_group(
            domain, [], ["__count", "amount_residual:sum"]
        )
        url_args = {"filterby": filterby, "search": search}
        if currency:
            url_args["currency_id"] = currency.id
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
                "balance": balance or 0.0,
                "overdue_balance": overdue.get(currency, 0.0) if currency else 0.0,
                "count_open": count_open,
                "filter_count": filter_count,
                "filter_total": filter_total or 0.0,
                "filterby": filterby,
                "search": search,
                "mode": mode if mode in ("select", "custom") else "select",
                "max_invoices": MAX_INVOICES_PER_PAYMENT,
                "today": today,
                "pay_route": PAY_ROUTE,
            }
        )
        if invoices:
            values.update(
                self._get_common_page_view_values(
                    invoices_data={
                        "partner": partner.commercial_partner_id,
                        "company": invoices[:1].company_id,
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
        partner = request.env.user.partner_id
        if self._payment_allocation_access(partner) == "none":
            return request.redirect("/my")
        if not self._payment_allocation_pay_allowed():
            return request.redirect("/my/invoices")
        values = self._payment_allocation_page_values(page=page, **kwargs)
        return request.render(
            "payment_allocation.portal_payment_allocation_page", values
        )

    # === JSON ROUTES === #

    @http.route(f"{PAY_ROUTE}/preview", type="json", auth="user")
    def payment_allocation_preview(self, **selection):
        """How the selection or the custom amount would be applied, computed by
        the allocation engine on the server: for the live preview."""
        try:
            pairs = self._payment_allocation_compute(**selection)
        except ValidationError as error:
            return {"error": error.args[0]}
        currency = pairs[0][0].currency_id
        total = currency.round(sum(amount for _move, amount in pairs))

        def fmt(amount):
            return formatLang(request.env, amount, currency_obj=currency)

        return {
            "currency_id": currency.id,
            "amount": total,
            "amount_display": fmt(total),
            "count": len(pairs),
            "lines": [
                {
                    "id": move.id,
                    "name": move.name,
                    "due_date": fields.Date.to_string(move.invoice_date_due),
                    "residual_display": fmt(move.amount_residual),
                    "amount": amount,
                    "amount_display": fmt(amount),
                    "partial": currency.compare_amounts(amount, move.amount_residual)
                    < 0,
                }
                for move, amount in pairs
            ],
        }

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
        access_token=None,
        **kwargs,
    ):
        """Create one transaction for the selection or the custom amount.

        Everything is recomputed here; the amount the browser shows must match
        what the server computed, or nothing is created.
        """
        self._validate_transaction_kwargs(kwargs)
        if kwargs.pop("is_validation", False):
            raise ValidationError(request.env._("This payment cannot be a validation."))
        invoices, amount = self._payment_allocation_resolve(
            mode=mode,
            invoice_ids=invoice_ids,
            select_all=select_all,
            custom_amount=custom_amount,
            currency_id=currency_id,
            filterby=filterby,
            search=search,
        )
        currency = invoices.currency_id
        Transaction = request.env["payment.transaction"]
        try:
            total, create_values = Transaction._payment_allocation_prepare(
                invoices, amount
            )
        except UserError as error:
            raise ValidationError(error.args[0]) from error
        browser_amount = self._payment_allocation_parse_amount(
            kwargs.pop("amount", None), currency
        )
        if currency.compare_amounts(browser_amount, total) != 0:
            raise ValidationError(
                request.env._(
                    "The amount to pay (%(amount)s) does not match your selection "
                    "(%(expected)s). Reload the page and try again.",
                    amount=formatLang(
                        request.env, browser_amount, currency_obj=currency
                    ),
                    expected=formatLang(request.env, total, currency_obj=currency),
                )
            )
        partner = request.env.user.partner_id
        company = invoices.company_id
        if not invoices._payment_allocation_pay_allowed():
            raise ValidationError(
                request.env._("Online payment of invoices is not available.")
            )
        if not self._can_partner_pay_in_company(partner, company):
            raise ValidationError(
                request.env._(
                    "You cannot pay invoices of %(company)s.", company=company.name
                )
            )
        self._payment_allocation_check_provider(kwargs, company)
        paid = invoices.browse(create_values["invoice_ids"][0][2])
        reference = (
            paid.name
            if len(paid) == 1
            else company.get_next_batch_payment_communication()
        )
        kwargs.pop("landing_route", None)
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

    def _payment_allocation_check_provider(self, kwargs, company):
        """The provider (or token) chosen in the browser must belong to the
        company of the invoices."""
        if kwargs.get("flow") == "token":
            token_sudo = (
                request.env["payment.token"]
                .sudo()
                .browse(self._payment_allocation_cast_id(kwargs.get("token_id")))
                .exists()
            )  # In sudo mode: portal users cannot read tokens.
            provider_sudo = token_sudo.provider_id
        else:
            provider_sudo = (
                request.env["payment.provider"]
                .sudo()
                .browse(self._payment_allocation_cast_id(kwargs.get("provider_id")))
                .exists()
            )  # In sudo mode: portal users cannot read providers.
        if (
            not provider_sudo
            or provider_sudo.state == "disabled"
            or provider_sudo.company_id != company
        ):
            raise ValidationError(
                request.env._("This payment method cannot be used here.")
            )

    # === RECEIPT === #

    @http.route(
        f"{PAY_ROUTE}/receipt/<int:tx_id>",
        type="http",
        auth="user",
        website=True,
        sitemap=False,
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
        return values

    def _overdue_invoices_get_page_view_values(self, overdue_invoices, **kwargs):
        """Override of `account_payment`: the overdue payment charges what is
        still due (the residual), not the invoice totals. Without payment
        values, the stock route redirects to /my/invoices: so it does when a
        company of the invoices turned portal payments off."""
        if not overdue_invoices._payment_allocation_pay_allowed():
            return {"page_name": "overdue_invoices"}
        values = super()._overdue_invoices_get_page_view_values(
            overdue_invoices, **kwargs
        )
        if "payment" in values:
            currency = values["payment"]["currency"]
            residual = currency.round(sum(overdue_invoices.mapped("amount_residual")))
            values["payment"]["amount"] = residual
            values["amount"] = residual
        return values

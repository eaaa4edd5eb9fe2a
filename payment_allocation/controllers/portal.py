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
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.account_move import MAX_INVOICES_PER_PAYMENT
from .amounts import parse_amount

PAY_ROUTE = "/my/invoices/pay"
TRANSACTION_ROUTE = "/my/invoices/pay/transaction"
# Payment order of the open invoices: the order the engine pays them in.
PAY_ORDER = "invoice_date_due asc, invoice_date asc, id asc"


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
    def _payment_allocation_cast_id(value):
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return None

    def _payment_allocation_filter_domain(
        self, currency_id=None, filterby=None, search=None, company_id=None
    ):
        """Domain of the page filters, also used to resolve 'select all'."""
        domain = []
        currency_id = self._payment_allocation_cast_id(currency_id)
        if currency_id:
            domain.append(("currency_id", "=", currency_id))
        company_id = self._payment_allocation_cast_id(company_id)
        if company_id:
            domain.append(("company_id", "=", company_id))
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
        company_id=None,
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
            company_id = self._payment_allocation_cast_id(company_id)
            if company_id:
                domain = domain + [("company_id", "=", company_id)]
            return self._payment_allocation_resolve_custom(
                domain, custom_amount, currency_id
            )
        if mode != "select":
            raise ValidationError(
                request.env._(
                    "Choose whether you pay selected invoices or a custom amount."
                )
            )
        if select_all:
            domain += self._payment_allocation_filter_domain(
                currency_id, filterby, search, company_id
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

    def _payment_allocation_resolve_custom(self, domain, custom_amount, currency_id):
        """The open invoices a custom amount reaches, in payment order, and
        the amount: the balance is summed in SQL and only the invoices the
        amount covers are fetched, a chunk at a time."""
        Move = request.env["account.move"]
        currency_id = self._payment_allocation_cast_id(currency_id)
        domain = domain + [("currency_id", "=", currency_id)]
        [(count, balance)] = Move._read_group(
            domain, [], ["__count", "amount_residual:sum"]
        )
        if not count:
            raise ValidationError(
                request.env._("You have no open invoice in this currency.")
            )
        currency = request.env["res.currency"].browse(currency_id)
        amount = parse_amount(request.env, custom_amount, currency)
        balance = currency.round(balance or 0.0)
        if currency.compare_amounts(amount, balance) > 0:
            raise ValidationError(
                request.env._(
                    "The amount to pay (%(amount)s) is more than your open "
                    "balance (%(balance)s).",
                    amount=formatLang(request.env, amount, currency_obj=currency),
                    balance=formatLang(request.env, balance, currency_obj=currency),
                )
            )
        invoices = Move._payment_allocation_search_reached(
            domain, amount, currency, order=PAY_ORDER
        )
        return invoices, amount

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
        today = fields.Date.context_today(Move)
        balances = Move._read_group(
            base_domain,
            ["currency_id", "company_id"],
            ["amount_residual:sum", "__count"],
            order="currency_id, company_id",
        )
        overdue = {
            (cur, comp): total
            for cur, comp, total in Move._read_group(
                base_domain + [("invoice_date_due", "<", today)],
                ["currency_id", "company_id"],
                ["amount_residual:sum"],
            )
        }
        groups = [(cur, comp) for cur, comp, _total, _count in balances]
        currencies = request.env["res.currency"].browse(
            list(dict.fromkeys(cur.id for cur, _comp in groups))
        )
        cast = self._payment_allocation_cast_id
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
        filterby = filterby if filterby in ("all", "overdue") else "all"
        search = search if isinstance(search, str) else ""
        domain = base_domain + self._payment_allocation_filter_domain(
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
                "overdue_balance": overdue.get(group, 0.0) if group else 0.0,
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
        company_id=None,
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
            company_id=company_id,
        )
        currency = invoices.currency_id
        Transaction = request.env["payment.transaction"]
        try:
            total, create_values = Transaction._payment_allocation_prepare(
                invoices, amount
            )
        except UserError as error:
            raise ValidationError(error.args[0]) from error
        browser_amount = parse_amount(request.env, kwargs.pop("amount", None), currency)
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
        kwargs = self._payment_allocation_check_provider(
            kwargs, company, partner, total, currency
        )
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

    def _payment_allocation_check_provider(
        self, kwargs, company, partner, amount, currency
    ):
        """The provider, payment method or token chosen in the browser must be
        one the payment form offers for this payment: a compatible provider of
        the company of the invoices (enabled or in test mode, published for
        portal users, accepting the currency, the amount and the partner's
        country), one of its compatible payment methods, or an active token of
        the paying contact on such a provider.

        :return: the transaction keyword arguments, cleaned.
        :raise ValidationError: with a sentence, when the choice is not valid.
        """
        refused = ValidationError(
            request.env._("This payment method cannot be used here.")
        )
        flow = kwargs.get("flow")
        if flow not in ("redirect", "direct", "token"):
            raise ValidationError(request.env._("Choose a payment method to pay with."))
        # In sudo mode: portal users cannot read providers, methods and tokens;
        # the portal user stays the env user, so unpublished providers are out.
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, partner.id, amount, currency_id=currency.id
            )
        )
        cast = self._payment_allocation_cast_id
        values = dict(
            kwargs,
            flow=flow,
            tokenization_requested=bool(kwargs.get("tokenization_requested")),
        )
        if flow == "token":
            token_id = cast(kwargs.get("token_id"))
            tokens_sudo = (
                request.env["payment.token"]
                .sudo()
                ._get_available_tokens(providers_sudo.ids, partner.id)
            )
            token_sudo = tokens_sudo.filtered(lambda token: token.id == token_id)
            if (
                not token_sudo
                or not token_sudo.active
                or token_sudo.partner_id.commercial_partner_id
                != partner.commercial_partner_id
            ):
                raise refused
            values.update(
                token_id=token_sudo.id,
                provider_id=token_sudo.provider_id.id,
                payment_method_id=token_sudo.payment_method_id.id,
            )
            return values
        provider_sudo = providers_sudo.filtered(
            lambda provider: provider.id == cast(kwargs.get("provider_id"))
        )
        if not provider_sudo:
            raise refused
        methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                provider_sudo.ids, partner.id, currency_id=currency.id
            )
        )
        method_id = cast(kwargs.get("payment_method_id"))
        method_sudo = methods_sudo.filtered(lambda method: method.id == method_id)
        if not method_sudo:
            raise refused
        values.update(
            provider_id=provider_sudo.id,
            payment_method_id=method_sudo.id,
            token_id=None,
        )
        return values

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

    def _prepare_my_invoices_values(self, *args, **kwargs):
        """The "Make a Payment" button of /my/invoices follows Odoo's Invoice
        Online Payment switch too."""
        values = super()._prepare_my_invoices_values(*args, **kwargs)
        if not request.env["account.move"]._payment_allocation_portal_payment_enabled():
            values["portal_invoice_allow_pay"] = False
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

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.account.controllers.portal import PortalAccount

from ..amounts import monetary_html
from ..dates import date_text
from ..parsing import clean_text, parse_page
from .portal_invoice_access import PortalInvoiceAccessMixin
from .portal_invoice_query import PortalInvoiceQueryMixin
from .portal_invoice_viewed import PortalInvoiceViewedMixin
from .portal_payments import PortalPaymentsMixin
from .portal_token import PortalAccessTokenMixin

# The filter menu of My Invoices, in this order: the statuses, then the
# document types; the filters of other addons (sites) follow.
FILTER_MENU = (
    "all",
    "open_customer",
    "overdue_invoices",
    "status_queried",
    "status_in_payment",
    "status_paid",
    "type_out_invoice",
    "type_out_refund",
    "type_out_receipt",
    "invoices",
    "bills",
)
# Filters kept for the links that ask for them (older bookmarks, other
# pages) but left out of the menu, where they would near-duplicate an entry
# ("Unpaid" covers open and partially paid); the active one is shown.
FILTERS_OFF_MENU = ("status_open", "status_partial", "status_reversed")
# Other names of a filter: payment_allocation's Make a Payment page names
# the overdue filter "overdue".
FILTER_ALIASES = {"overdue": "overdue_invoices"}
# The request memo of the current user's account overview.
ACCOUNT_OVERVIEW_MEMO = "account_overview"


class CustomerPortalInvoices(
    PortalAccessTokenMixin,
    PortalInvoiceQueryMixin,
    PortalPaymentsMixin,
    PortalInvoiceViewedMixin,
    PortalInvoiceAccessMixin,
    PortalAccount,
):
    """My Invoices: company-wide status filters, search, invoice-date range
    and the account overview (on /my and above the invoice list).

    The one extension of ``PortalAccount`` in this addon; the other portal
    pages of invoices live in plain mixins (no ``http.Controller`` base: their
    routes register through this class). Methods several of them override
    chain with ``super()`` in this order: this class, then the mixins as
    listed (query, payments, viewed, access), then stock:
    ``_invoice_get_page_view_values`` (this class, query, payments, viewed)
    and ``_prepare_home_portal_values`` (this class, payments). Each adds
    its own keys."""

    # ------------------------------------------------------------------
    # Settings of the company (fields added by the access/settings part)
    # ------------------------------------------------------------------

    @staticmethod
    def _portal_invoice_allows(company, action):
        """Whether ``company`` lets portal users ``action`` ("download",
        "comment", "pay") invoices."""
        return bool(company[f"portal_invoice_allow_{action}"])

    def _get_portal_account_overview(self):
        """The account overview of the current user
        (``account.move._portal_account_overview``), computed once per
        request: the steps of a page that show its figures share it."""
        return self._portal_request_memo(
            ACCOUNT_OVERVIEW_MEMO,
            request.env["account.move"]._portal_account_overview,
        )

    # ------------------------------------------------------------------
    # My Home
    # ------------------------------------------------------------------

    @staticmethod
    def _portal_invoice_access_denied():
        """Whether the user is a portal contact whose invoice access is
        "none": its portal shows nothing about invoices but one line."""
        return (
            request.env.user._is_portal()
            and not request.env.user.partner_id._portal_scope()["may_see"]
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        # The page itself is rendered with no counter asked. Its account
        # overview, whose cost grows with the customer's open items, is asked
        # like the document counters once the page is shown (the
        # `portal_account_overview` counter, static/src/js): /my answers as
        # fast as stock's.
        if not counters:
            values["portal_invoice_access_denied"] = (
                self._portal_invoice_access_denied()
            )
        elif "portal_account_overview" in counters:
            values["portal_account_overview"] = self._portal_account_overview_html()
        return values

    def _portal_account_overview_html(self):
        """The account overview card of the current user, rendered with its
        rights ("" when it has none: a contact without invoice access)."""
        overview = self._get_portal_account_overview()
        if not overview:
            return ""
        return request.env["ir.qweb"]._render(
            "customer_portal_invoices.portal_account_overview",
            {"portal_account_overview": overview},
        )

    @http.route()
    def counters(self, counters=None, **kw):
        """Override of `portal`: the counters /my asks for are a list of
        names (the overrides of `_prepare_home_portal_values` look them up)."""
        if not isinstance(counters, list) or not all(
            isinstance(counter, str) for counter in counters
        ):
            raise UserError(request.env._("The counters asked for are invalid."))
        return super().counters(counters, **kw)

    # ------------------------------------------------------------------
    # My Invoices
    # ------------------------------------------------------------------

    def _get_overdue_invoices_domain(self, partner_id=None):
        """Override of `account`: "overdue" means one thing on every page
        (the home counter, the list filter, the account overview, the overdue
        payment of account_payment): the overdue customer documents of the
        user's whole customer, as far as the record rules let the user see.
        With an explicit ``partner_id``, stock's meaning is kept."""
        if partner_id:
            return super()._get_overdue_invoices_domain(partner_id=partner_id)
        return request.env["account.move"]._portal_overview_domain("overdue")

    def _get_overdue_invoice_count(self):
        """Override of `account`: the number of the documents of
        :meth:`_get_overdue_invoices_domain` the user may read. On a page
        that has computed the account overview (My Invoices computes it
        first), the overview's count of them, without a second count;
        elsewhere (the /my counter), one count of what the record rules give
        (``account.move._portal_overview_scope``: no ``child_of`` of the
        stock follower rule to expand)."""
        overview = self._portal_request_memo_peek(ACCOUNT_OVERVIEW_MEMO)
        if overview is not None:
            return sum(row["overdue_count"] for row in overview)
        Move = request.env["account.move"]
        if not Move.has_access("read"):
            return 0
        model, domain = Move._portal_overview_scope(self._get_overdue_invoices_domain())
        return model.search_count(domain)

    def _get_account_searchbar_sortings(self):
        """One sort per column the list shows but the reference, on what the
        column shows."""
        sortings = super()._get_account_searchbar_sortings()
        sortings["date"]["label"] = request.env._("Invoice date")
        sortings["date"]["order"] = "invoice_date desc, id desc"
        sortings["duedate"]["label"] = request.env._("Due date")
        sortings["duedate"]["order"] = "invoice_date_due desc, id desc"
        sortings["name"]["label"] = request.env._("Number")
        sortings["name"]["order"] = "name desc, id desc"
        # portal_status and the amounts as shown (credit notes negative) sort
        # with a CASE on stored fields (see account.move)
        sortings["state"]["order"] = "portal_status, invoice_date_due, id desc"
        sortings["amount"] = {
            "label": request.env._("Total"),
            "order": "portal_amount_total desc, id desc",
        }
        sortings["amount_due"] = {
            "label": request.env._("Amount due"),
            "order": "portal_amount_due desc, id desc",
        }
        return sortings

    @staticmethod
    def _portal_request_memo_key(key):
        env = request.env
        return (key, env.uid, env.su, env.lang, tuple(env.companies.ids))

    @classmethod
    def _portal_request_memo(cls, key, compute):
        """``compute()``, run once per request for the request's user,
        language and companies: a value several steps of one page ask for."""
        # on the request object: nothing outlives the request
        memo = getattr(request, "portal_invoice_memo", None)
        if memo is None:
            memo = request.portal_invoice_memo = {}
        key = cls._portal_request_memo_key(key)
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    @classmethod
    def _portal_request_memo_peek(cls, key):
        """The value :meth:`_portal_request_memo` has computed for ``key`` in
        this request, None if it has not."""
        memo = getattr(request, "portal_invoice_memo", None) or {}
        return memo.get(cls._portal_request_memo_key(key))

    def _get_account_searchbar_filters(self):
        """The filters of My Invoices, built once per request (the page asks
        for them to check the filter, to list and, with multi_site_billing,
        to fold the parent rows); each caller gets its own copy."""
        stock_filters = super()._get_account_searchbar_filters
        filters = self._portal_request_memo(
            "searchbar_filters",
            lambda: self._portal_searchbar_filters(stock_filters()),
        )
        return {key: dict(value) for key, value in filters.items()}

    def _portal_searchbar_filters(self, filters):
        """The filters of My Invoices: ours added to ``filters`` (stock's).
        Other addons add theirs by overriding this method."""
        Move = request.env["account.move"]
        # Company-wide (as record rules allow), not the user's own contact.
        filters["overdue_invoices"] = {
            "label": request.env._("Overdue"),
            "domain": self._get_overdue_invoices_domain(),
        }
        status_labels = {
            "open": request.env._("Open"),
            "partial": request.env._("Partially paid"),
            "in_payment": request.env._("In payment"),
            "paid": request.env._("Paid"),
            "reversed": request.env._("Reversed"),
        }
        for status, label in status_labels.items():
            filters[f"status_{status}"] = {
                "label": label,
                "domain": Move._portal_status_domain(status),
            }
        # queried: a flag beside the status (see _portal_status_domain)
        filters["status_queried"] = {
            "label": request.env._("Queried"),
            "domain": Move._portal_status_domain("queried"),
        }
        # The account overview links to these: they list exactly the
        # documents counted in its "Open invoices" and "Overdue balance"
        # (overdue_invoices above).
        filters["open_customer"] = {
            "label": request.env._("Unpaid"),
            "domain": Move._portal_overview_domain("open"),
        }
        type_labels = {
            "out_invoice": request.env._("Invoices"),
            "out_refund": request.env._("Credit notes"),
            "out_receipt": request.env._("Receipts"),
        }
        # Which documents are listed is decided by the record rules, per
        # document company; only the filters of types no company of the
        # user shows are left out.
        shown_types = {
            move_type
            for company in request.env.companies
            for move_type in company._portal_invoice_move_types()
        }
        for move_type, label in type_labels.items():
            if move_type in shown_types:
                filters[f"type_{move_type}"] = {
                    "label": label,
                    "domain": [("move_type", "=", move_type)],
                }
        # Stock's customer documents / vendor bills (the stock portal home
        # links to both): in the menu only when the portal shows vendor bills.
        filters["invoices"]["label"] = request.env._("Customer documents")
        filters["bills"]["label"] = request.env._("Vendor bills")
        if not shown_types & {"in_invoice", "in_refund"}:
            filters["invoices"]["off_menu"] = filters["bills"]["off_menu"] = True
        for alias, key in FILTER_ALIASES.items():
            filters[alias] = dict(filters[key], off_menu=True)
        return filters

    @staticmethod
    def _portal_filter_menu(filters, filterby):
        """The entries of the filter menu: :data:`FILTER_MENU` first, then
        the filters other addons add; none off the menu but the active one."""
        keys = [key for key in FILTER_MENU if key in filters]
        keys += [key for key in filters if key not in keys]
        return {
            key: filters[key]
            for key in keys
            if key == filterby
            or not (key in FILTERS_OFF_MENU or filters[key].get("off_menu"))
        }

    def _get_account_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
            "payment_reference": {
                "input": "payment_reference",
                "label": request.env._("Search in Reference"),
            },
            "ref": {
                "input": "ref",
                "label": request.env._("Search in Customer Reference"),
            },
        }

    def _get_account_search_domain(self, search_in, search):
        if not search:
            return []
        fnames = {
            "name": ["name"],
            "payment_reference": ["payment_reference"],
            "ref": ["ref"],
        }.get(search_in, ["name", "payment_reference", "ref"])
        return expression.OR([[(fname, "ilike", search)] for fname in fnames])

    @staticmethod
    def _parse_portal_date(value):
        """A date from the query string, or None when absent or invalid."""
        if not value:
            return None
        try:
            return fields.Date.to_date(value)
        except (TypeError, ValueError):
            return None

    def _get_my_invoices_query(self, date_begin, date_end, search=None, search_in=None):
        """What the query string asks of My Invoices beside the filter and the
        sort: the search terms, the invoice-date range and the currency (the
        overview links of a currency row list that currency only).

        :return: ``(domain, values)``: the domain they add to the list, and
            the values read (``search``, ``search_in``, ``begin``, ``end``,
            ``currency``), bad ones left out.
        """
        # Stock does not pass the search terms to the list: read them from
        # the query string when the caller did not give them.
        params = request.params
        if search is None:
            search = params.get("search")
        search = clean_text(search).strip()
        if search_in is None:
            search_in = params.get("search_in") or "all"
        if search_in not in self._get_account_searchbar_inputs():
            search_in = "all"
        # Stock filters the creation date; the portal filters the invoice date.
        begin = self._parse_portal_date(date_begin)
        end = self._parse_portal_date(date_end)
        currency = clean_text(params.get("currency")).strip()
        parts = [self._get_account_search_domain(search_in, search)]
        if begin:
            parts.append([("invoice_date", ">=", begin)])
        if end:
            parts.append([("invoice_date", "<=", end)])
        if currency:
            parts.append([("currency_id.name", "=", currency)])
        values = {
            "search": search,
            "search_in": search_in,
            "begin": begin,
            "end": end,
            "currency": currency,
        }
        return expression.AND(parts), values

    def _prepare_my_invoices_values(
        self,
        page,
        date_begin,
        date_end,
        sortby,
        filterby,
        domain=None,
        url="/my/invoices",
        search=None,
        search_in=None,
    ):
        # Bad sort/filter keys fall back to the defaults (no traceback).
        page = parse_page(page)
        if sortby not in self._get_account_searchbar_sortings():
            sortby = None
        if filterby not in self._get_account_searchbar_filters():
            filterby = None
        filterby = FILTER_ALIASES.get(filterby, filterby)
        extra_domain, query = self._get_my_invoices_query(
            date_begin, date_end, search=search, search_in=search_in
        )
        search, search_in = query["search"], query["search_in"]
        begin, end, currency = query["begin"], query["end"], query["currency"]
        denied = self._portal_invoice_access_denied()
        # before stock's values: their overdue count is the overview's
        # (`_get_overdue_invoice_count`)
        overview = [] if denied else self._get_portal_account_overview()
        values = super()._prepare_my_invoices_values(
            page,
            None,
            None,
            sortby,
            filterby,
            domain=expression.AND([domain or [], extra_domain]),
            url=url,
        )
        date_begin = fields.Date.to_string(begin) if begin else None
        date_end = fields.Date.to_string(end) if end else None
        values["pager"]["url_args"].update(
            {
                "date_begin": date_begin,
                "date_end": date_end,
                "search": search or None,
                "search_in": search_in if search else None,
                "currency": currency or None,
            }
        )
        company = request.env.company
        values.update(
            {
                "date": date_begin,
                "date_begin": date_begin,
                "date_end": date_end,
                "search": search,
                "search_in": search_in,
                "searchbar_inputs": self._get_account_searchbar_inputs(),
                "searchbar_filters": self._portal_filter_menu(
                    values["searchbar_filters"], values["filterby"]
                ),
                "portal_invoice_currency": currency,
                "portal_invoice_filtered": bool(
                    values["filterby"] != "all" or search or begin or end or currency
                ),
                "portal_invoice_access_denied": denied,
                "portal_account_overview": overview,
                "portal_invoice_allow_download": self._portal_invoice_allows(
                    company, "download"
                ),
                # a contact without invoice access pays nothing: no "Make a
                # Payment" (payment_allocation) either
                "portal_invoice_allow_pay": not denied
                and self._portal_invoice_allows(company, "pay"),
            }
        )
        if denied:
            # nothing to sort, filter nor search
            values.update(
                searchbar_sortings={}, searchbar_filters={}, searchbar_inputs={}
            )
        values["invoices"] = self._portal_rows_with_amounts(values["invoices"])
        return values

    @staticmethod
    def _portal_rows_with_amounts(get_invoices):
        """``get_invoices`` (the rows of My Invoices, a function of the page
        offset) with each row's Total and Amount Due (``portal_amounts``) and
        dates (``portal_dates``) formatted as the widgets show them, one
        formatter per currency and language for the page, not a widget per
        value. Credit notes are shown negative."""

        def invoices_with_amounts(pager_offset):
            rows = get_invoices(pager_offset)
            formatters = {}
            date = date_text(request.env) if rows else None
            for row in rows:
                invoice = row["invoice"]
                currency = invoice.currency_id
                if currency not in formatters:
                    formatters[currency] = monetary_html(request.env, currency)
                html = formatters[currency]
                sign = -1 if invoice.move_type == "out_refund" else 1
                row["portal_amounts"] = {
                    "total": html(sign * invoice.amount_total),
                    "due": html(sign * invoice.amount_residual),
                }
                row["portal_dates"] = {
                    "invoice_date": date(invoice.invoice_date),
                    "due": date(invoice.invoice_date_due),
                }
            return rows

        return invoices_with_amounts

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        company = invoice.company_id
        values.update(
            {
                "portal_invoice_allow_download": self._portal_invoice_allows(
                    company, "download"
                ),
                "portal_invoice_allow_pay": self._portal_invoice_allows(company, "pay"),
                "portal_invoice_allow_comment": self._portal_invoice_allows(
                    company, "comment"
                ),
            }
        )
        return values

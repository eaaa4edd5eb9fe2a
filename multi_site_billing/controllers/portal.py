# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.payment_allocation.controllers.portal import (
    PaymentAllocationPortal,
)
from odoo.addons.payment_allocation.models.account_move import PAY_ORDER

PARENT_ROUTE = "/my/parent_invoices"
CHILD_FIELDS = [
    "name",
    "state",
    "move_type",
    "parent_invoice_id",
    "site_id",
    "invoice_date",
    "invoice_date_due",
    "amount_total",
    "amount_residual",
    "payment_state",
    "currency_id",
    "company_id",
]
CHILD_ORDER = "invoice_date_due asc, id asc"
# The most parent invoices the Make a Payment page lists at once.
PAY_PARENTS_LIMIT = 20


class MultiSiteBillingPortal(PaymentAllocationPortal):
    """Parent (multi-site) invoices on the portal: a parent is one row of
    /my/invoices that expands to its children, and has its own page and PDF.
    Which documents a contact sees is decided by the record rules (the
    "site" level included); the pages only fold and sum what they read."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _parent_invoice_visible_children(parents):
        """The child invoices of ``parents`` the current user may read (record
        rules), in one query: ``{parent id: children}``."""
        Move = request.env["account.move"]
        children_by_parent = {parent.id: Move for parent in parents}
        if not parents or not Move.has_access("read"):
            return children_by_parent
        children = Move.search_fetch(
            [("parent_invoice_id", "in", parents.ids), ("state", "=", "posted")],
            CHILD_FIELDS,
            order=CHILD_ORDER,
        )
        for child in children:
            children_by_parent[child.parent_invoice_id.id] |= child
        return children_by_parent

    @staticmethod
    def _parent_invoice_portal_summary(parent, children):
        """Totals and status of ``parent`` over ``children`` (those the user
        sees): a site contact is shown its sites' share only."""
        currency = parent.currency_id
        Parent = request.env["account.parent.invoice"]
        state = Parent._payment_state_of(children.mapped("payment_state"))
        status, days_overdue = request.env["account.move"]._portal_status_of(
            state, parent.invoice_date_due
        )
        return {
            "parent": parent,
            "children": children,
            "amount_total": currency.round(sum(children.mapped("amount_total"))),
            "amount_residual": currency.round(sum(children.mapped("amount_residual"))),
            "payment_state": state,
            "site_count": len(children.site_id),
            # what the status badge of customer_portal_invoices reads
            "badge": request.env["account.move"]._portal_status_badge_of(
                status, days_overdue
            ),
        }

    # ------------------------------------------------------------------
    # My Invoices: filters and parent rows
    # ------------------------------------------------------------------

    def _portal_searchbar_filters(self, filters):
        filters = super()._portal_searchbar_filters(filters)
        sites = self._portal_invoice_sites()
        if not sites:
            # a customer without sites has no multi-site invoice to tell apart
            return filters
        filters["single_site"] = {
            "label": request.env._("Single-site"),
            "domain": [("parent_invoice_id", "=", False)],
        }
        filters["multi_site"] = {
            "label": request.env._("Multi-site"),
            "domain": [("parent_invoice_id", "!=", False)],
        }
        for site in sites:
            code = " ".join(filter(None, [site.site_code, site.name]))
            filters[f"site_{site.id}"] = {
                "label": request.env._("Site %(code)s", code=code),
                "domain": [("site_id", "=", site.id)],
            }
        return filters

    @staticmethod
    def _portal_invoice_sites():
        """The sites of the user's customer a filter is offered for: its
        portal sites for a site contact, every site otherwise (the record
        rules decide what each filter lists)."""
        partner = request.env.user.partner_id
        if request.env.user._is_public():
            return partner.browse()
        if partner._portal_scope()["sites_only"]:
            # sudo: the contact's own sites, to label the filters
            return partner.sudo().portal_site_ids.sorted("site_code")
        # sudo: only the sites of the user's own customer are read
        return (
            request.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("site_code", "!=", False),
                ],
                order="site_code",
            )
        )

    def _parent_invoice_list_domain(
        self, date_begin, date_end, filterby, domain, search, search_in
    ):
        """The domain of the documents /my/invoices lists: stock's documents,
        the filter, and what the query string asks (customer_portal_invoices)."""
        filters = self._get_account_searchbar_filters()
        filter_domain = filters.get(filterby or "all", filters["all"])["domain"]
        query_domain, _query = self._get_my_invoices_query(
            date_begin, date_end, search=search, search_in=search_in
        )
        return expression.AND(
            [domain or [], self._get_invoices_domain(), filter_domain, query_domain]
        )

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
        """A parent invoice is one row: of its children matching the list's
        domain, only the first one (its representative) is listed, and the
        row shows the parent with all its children the user sees."""
        Move = request.env["account.move"]
        fold_domain = []
        if Move.has_access("read"):
            list_domain = self._parent_invoice_list_domain(
                date_begin, date_end, filterby, domain, search, search_in
            )
            representatives = [
                move_id
                for _parent, move_id in Move._read_group(
                    expression.AND([list_domain, [("parent_invoice_id", "!=", False)]]),
                    ["parent_invoice_id"],
                    ["id:min"],
                )
            ]
            fold_domain = [
                "|",
                ("parent_invoice_id", "=", False),
                ("id", "in", representatives),
            ]
        values = super()._prepare_my_invoices_values(
            page,
            date_begin,
            date_end,
            sortby,
            filterby,
            domain=expression.AND([domain or [], fold_domain]),
            url=url,
            search=search,
            search_in=search_in,
        )
        get_invoices = values["invoices"]

        def invoices_with_parents(pager_offset):
            rows = get_invoices(pager_offset)
            if not rows:
                return rows
            grouped = Move.browse(
                [row["invoice"].id for row in rows if row["invoice"].parent_invoice_id]
            )
            parents = grouped.parent_invoice_id
            if not parents:
                return rows
            children = self._parent_invoice_visible_children(parents)
            for row in rows:
                parent = row["invoice"].parent_invoice_id
                if parent:
                    row["parent_invoice"] = self._parent_invoice_portal_summary(
                        parent, children[parent.id]
                    )
            return rows

        values["invoices"] = invoices_with_parents
        return values

    # ------------------------------------------------------------------
    # Parent invoice page and PDF
    # ------------------------------------------------------------------

    def _parent_invoice_page_values(self, parent_sudo, access_token, **kwargs):
        parent = parent_sudo.with_env(request.env)
        by_rules = parent.has_access("read")
        if by_rules:
            children = self._parent_invoice_visible_children(parent)[parent.id]
        else:
            # opened with the document's access token: the whole document,
            # read-only (no link, token nor pay form of any child)
            children = parent_sudo.child_invoice_ids.filtered(
                lambda move: move.state == "posted"
            )
        summary = self._parent_invoice_portal_summary(parent_sudo, children)
        company = parent_sudo.company_id
        values = {
            "page_name": "parent_invoice",
            "parent_invoice": parent_sudo,
            "parent_summary": summary,
            "site_summary": parent_sudo._portal_site_summary(children),
            "parent_invoice_by_token": not by_rules,
            # the PDF: by the rules (no token shown) or with the token the
            # viewer opened the page with
            "parent_invoice_pdf_url": self._parent_invoice_url(
                parent_sudo,
                None if by_rules else access_token,
                report_type="pdf",
                download="true",
            ),
            # the download rule of customer_portal_invoices, asked for the
            # request's user about the documents of the parent
            "portal_invoice_allow_download": parent_sudo.child_invoice_ids.with_env(
                request.env
            )._portal_download_allowed()
            and self._portal_invoice_allows(company, "download"),
            # paying goes by the rules: a page opened by token pays nothing
            "portal_invoice_allow_pay": by_rules
            and self._payment_allocation_pay_allowed(company)
            and request.env.user._is_portal()
            and self._payment_allocation_may_pay(request.env.user.partner_id),
        }
        return self._get_page_view_values(
            parent_sudo, access_token, values, "my_parent_invoices_history", False
        )

    @staticmethod
    def _parent_invoice_url(parent, access_token=None, **query):
        """The URL of ``parent``'s page. A parent's share link opens every
        child, every site: it is never put on a page (a contact reads the
        parent by the record rules), only handed back to whoever opened the
        page with it (``access_token``)."""
        if access_token:
            query = {"access_token": access_token, **query}
        if not query:
            return parent.access_url
        return f"{parent.access_url}?{url_encode(query)}"

    @http.route(
        f"{PARENT_ROUTE}/<int:parent_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def portal_my_parent_invoice(
        self, parent_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            parent_sudo = self._document_check_access(
                "account.parent.invoice", parent_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._parent_invoice_page_values(parent_sudo, access_token, **kw)
        if report_type in ("pdf", "html"):
            if not values["portal_invoice_allow_download"]:
                return request.redirect(
                    self._parent_invoice_url(
                        parent_sudo,
                        access_token if values["parent_invoice_by_token"] else None,
                    )
                )
            return self._parent_invoice_report(
                parent_sudo, values["parent_summary"]["children"], report_type, download
            )
        return request.render("multi_site_billing.portal_parent_invoice_page", values)

    def _parent_invoice_report(self, parent_sudo, children, report_type, download):
        """The parent PDF with the children the user sees only."""
        # sudo: portal users cannot read reports; the records are checked
        report_sudo = request.env["ir.actions.report"].sudo()
        report_ref = "multi_site_billing.action_report_parent_invoice"
        render = getattr(report_sudo, f"_render_qweb_{report_type}")
        content = render(
            report_ref,
            parent_sudo.ids,
            data={"report_type": report_type, "child_ids": children.ids},
        )[0]
        headers = self._get_http_headers(parent_sudo, report_type, content, download)
        return request.make_response(content, headers=list(headers.items()))

    # ------------------------------------------------------------------
    # Make a Payment page (payment_allocation)
    # ------------------------------------------------------------------

    @staticmethod
    def _multi_site_expand_selection(selection):
        """A selection naming parent invoices (``parent_ids``) as the invoice
        ids they stand for, resolved on the server (account.move)."""
        parent_ids = selection.pop("parent_ids", None)
        if (
            parent_ids is None
            or selection.get("mode", "select") != "select"
            or selection.get("select_all")
        ):
            return selection
        selection["invoice_ids"] = request.env[
            "account.move"
        ]._payment_allocation_expand_parents(
            parent_ids,
            invoice_ids=selection.get("invoice_ids"),
            currency_id=selection.get("currency_id"),
            company_id=selection.get("company_id"),
        )
        return selection

    def _payment_allocation_compute(self, **selection):
        return super()._payment_allocation_compute(
            **self._multi_site_expand_selection(selection)
        )

    @http.route()
    def payment_allocation_transaction(self, parent_ids=None, **kwargs):
        """Ticking a parent pays its open children: ``parent_ids`` become
        invoice ids before payment_allocation checks the selection."""
        try:
            kwargs = self._multi_site_expand_selection(
                dict(kwargs, parent_ids=parent_ids)
            )
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        return super().payment_allocation_transaction(**kwargs)

    def _payment_allocation_page_values(
        self, page=1, currency_id=None, filterby=None, parent_id=None, **kwargs
    ):
        """The page with the filters single-site and multi-site, and the
        multi-site invoices of its currency and company. With ``parent_id``
        (the Pay button of a parent), the page opens on that parent's
        currency and company, the parent ticked."""
        Move = request.env["account.move"]
        cast = Move._payment_allocation_cast_id
        preselected = request.env["account.parent.invoice"]
        if cast(parent_id):
            preselected = preselected.search([("id", "=", cast(parent_id))])
            if preselected and not currency_id:
                currency_id = preselected.currency_id.id
                kwargs["company_id"] = preselected.company_id.id
        values = super()._payment_allocation_page_values(
            page=page, currency_id=currency_id, filterby=filterby, **kwargs
        )
        site_filter = values["filterby"]
        values.update(
            self._multi_site_pay_parents(
                values["currency"], values["payment_company"], site_filter, preselected
            )
        )
        return values

    def _multi_site_pay_parents(self, currency, company, site_filter, preselected):
        """The parent invoices with open children the user may pay in
        ``currency`` and ``company``, each with all those children, in a
        fixed number of queries."""
        values = {
            "multi_site_parents": [],
            "multi_site_parent_ids": set(),
            "multi_site_preselected_parent_id": preselected.id or 0,
        }
        if not currency or site_filter == "single_site":
            return values
        Move = request.env["account.move"]
        partner = request.env.user.partner_id
        domain = Move._payment_allocation_open_domain(partner.commercial_partner_id) + [
            ("currency_id", "=", currency.id),
            ("company_id", "=", company.id),
            ("parent_invoice_id", "!=", False),
        ]
        groups = Move._read_group(
            domain,
            ["parent_invoice_id"],
            ["amount_residual:sum"],
            order="parent_invoice_id",
            limit=PAY_PARENTS_LIMIT,
        )
        residuals = {parent: residual for parent, residual in groups}
        if preselected and preselected not in residuals:
            residuals.update(
                Move._read_group(
                    domain + [("parent_invoice_id", "=", preselected.id)],
                    ["parent_invoice_id"],
                    ["amount_residual:sum"],
                )
            )
        if not residuals:
            return values
        parents = request.env["account.parent.invoice"].union(*residuals)
        children = Move.search_fetch(
            domain + [("parent_invoice_id", "in", parents.ids)],
            CHILD_FIELDS,
            order=PAY_ORDER,
        )
        by_parent = {parent: children.browse() for parent in parents}
        for child in children:
            by_parent[child.parent_invoice_id] |= child
        values["multi_site_parents"] = [
            {
                "parent": parent,
                "children": by_parent[parent],
                "residual": currency.round(residuals[parent]),
            }
            for parent in parents
        ]
        # their children are listed under them, not again in the main table
        values["multi_site_parent_ids"] = set(parents.ids)
        return values

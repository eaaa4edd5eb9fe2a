# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from types import SimpleNamespace

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.payment_allocation.controllers.portal import PaymentAllocationPortal

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
        today = fields.Date.context_today(parent)
        status = {
            "not_paid": "open",
            "partial": "partial",
            "in_payment": "in_payment",
            "paid": "paid",
        }[state]
        days_overdue = 0
        if state in ("not_paid", "partial") and parent.invoice_date_due < today:
            status = "overdue"
            days_overdue = (today - parent.invoice_date_due).days
        return {
            "parent": parent,
            "children": children,
            "amount_total": currency.round(sum(children.mapped("amount_total"))),
            "amount_residual": currency.round(sum(children.mapped("amount_residual"))),
            "payment_state": state,
            "site_count": len(children.site_id),
            # what the status badge of customer_portal_invoices reads
            "badge": SimpleNamespace(
                portal_status=status, portal_days_overdue=days_overdue
            ),
        }

    # ------------------------------------------------------------------
    # My Invoices: filters and parent rows
    # ------------------------------------------------------------------

    def _get_account_searchbar_filters(self):
        filters = super()._get_account_searchbar_filters()
        filters["single_site"] = {
            "label": request.env._("Single-site"),
            "domain": [("parent_invoice_id", "=", False)],
        }
        filters["multi_site"] = {
            "label": request.env._("Multi-site"),
            "domain": [("parent_invoice_id", "!=", False)],
        }
        for site in self._portal_invoice_sites():
            filters[f"site_{site.id}"] = {
                "label": request.env._(
                    "Site %(code)s", code=f"{site.site_code} {site.name or ''}".strip()
                ),
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
        if partner.portal_invoice_access == "site":
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
        """The domain of the documents /my/invoices lists (the filters of
        customer_portal_invoices and stock, recomposed)."""
        params = request.params
        if search is None:
            search = (params.get("search") or "").strip()
        if search_in is None:
            search_in = params.get("search_in") or "all"
        if search_in not in self._get_account_searchbar_inputs():
            search_in = "all"
        filters = self._get_account_searchbar_filters()
        filter_domain = filters.get(filterby or "all", filters["all"])["domain"]
        parts = [
            domain or [],
            self._get_invoices_domain(),
            filter_domain,
            self._get_account_search_domain(search_in, search),
        ]
        begin = self._parse_portal_date(date_begin)
        end = self._parse_portal_date(date_end)
        if begin:
            parts.append([("invoice_date", ">=", begin)])
        if end:
            parts.append([("invoice_date", "<=", end)])
        currency = (params.get("currency") or "").strip()
        if currency:
            parts.append([("currency_id.name", "=", currency)])
        return expression.AND(parts)

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
        if parent.has_access("read"):
            children = self._parent_invoice_visible_children(parent)[parent.id]
        else:
            # opened with the document's access token: the whole document
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
            "portal_invoice_allow_download": self._portal_invoice_allows(
                company, "download"
            ),
            "portal_invoice_allow_pay": self._payment_allocation_pay_allowed(company)
            and request.env.user._is_portal()
            and self._payment_allocation_access(request.env.user.partner_id) != "none",
        }
        return self._get_page_view_values(
            parent_sudo, access_token, values, "my_parent_invoices_history", False
        )

    @http.route(
        f"{PARENT_ROUTE}/<int:parent_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
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
                return request.redirect(parent_sudo.get_portal_url())
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

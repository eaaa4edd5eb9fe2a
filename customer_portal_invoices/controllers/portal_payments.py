# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..parsing import clean_text, parse_id, parse_page

PAYMENT_RECEIPT_REPORT = "customer_portal_invoices.action_report_portal_payment_receipt"


class PortalPaymentsMixin:
    """Payment history: /my/payments lists the payments the record rules
    let the user read (``account.payment`` rule driven by the contact's
    invoice access level), /my/payments/<id> shows one receipt, as a page or
    a PDF; the invoice page links to the payments of the invoice. The models
    compute the method and the allocation."""

    def _portal_payment_model(self):
        return request.env["account.payment"]

    def _portal_payments_readable(self):
        return self._portal_payment_model().has_access("read")

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "payment_count" in counters:
            Payment = self._portal_payment_model()
            values["payment_count"] = (
                Payment.search_count(Payment._portal_payment_domain())
                if self._portal_payments_readable()
                else 0
            )
        return values

    def _get_portal_payment_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date desc, id desc",
            },
            "date_asc": {
                "label": request.env._("Oldest"),
                "order": "date asc, id asc",
            },
            "amount": {
                "label": request.env._("Amount"),
                "order": "amount desc, id desc",
            },
            "name": {
                "label": request.env._("Number"),
                "order": "name desc, id desc",
            },
        }

    def _get_portal_payment_search_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
            "memo": {"input": "memo", "label": request.env._("Search in Memo")},
        }

    def _get_portal_payment_search_domain(self, search_in, search):
        if not search:
            return []
        fnames = {"name": ["name"], "memo": ["memo"]}.get(search_in, ["name", "memo"])
        return expression.OR([[(fname, "ilike", search)] for fname in fnames])

    def _get_portal_payment_invoice(self, invoice_id):
        """The invoice whose payments the list is limited to (``invoice`` in
        the query string), as far as the user may read it; None when not
        asked, an empty recordset when not readable."""
        if not invoice_id:
            return None
        invoice_id = parse_id(invoice_id)
        if not invoice_id:
            return request.env["account.move"]
        invoice = request.env["account.move"].browse(invoice_id).exists()
        return invoice._filtered_access("read")

    def _prepare_my_payments_values(
        self, page=1, sortby=None, search=None, search_in=None, invoice_id=None
    ):
        Payment = self._portal_payment_model()
        sortings = self._get_portal_payment_sortings()
        if sortby not in sortings:
            sortby = "date"
        inputs = self._get_portal_payment_search_inputs()
        if search_in not in inputs:
            search_in = "all"
        search = clean_text(search).strip()
        page = parse_page(page)
        invoice = self._get_portal_payment_invoice(invoice_id)
        domain = expression.AND(
            [
                Payment._portal_payment_domain(),
                self._get_portal_payment_search_domain(search_in, search),
                (
                    Payment._portal_payment_domain_of_invoices(invoice)
                    if invoice is not None
                    else []
                ),
            ]
        )
        count = Payment.search_count(domain)
        pager = portal_pager(
            url="/my/payments",
            url_args={
                "sortby": sortby,
                "search": search or None,
                "search_in": search_in if search else None,
                "invoice": invoice.id if invoice else None,
            },
            total=count,
            page=page,
            step=self._items_per_page,
        )
        payments = Payment.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "payment",
                "default_url": "/my/payments",
                "payments": payments,
                "payment_methods": payments._portal_payment_method_labels(),
                "payment_allocations": payments._portal_payment_allocations(
                    user=request.env.user
                ),
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
                "portal_payment_invoice": invoice,
            }
        )
        return values

    @http.route(
        ["/my/payments", "/my/payments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_payments(
        self, page=1, sortby=None, search=None, search_in=None, invoice=None, **kw
    ):
        if not self._portal_payments_readable():
            return request.redirect("/my")
        values = self._prepare_my_payments_values(
            page=page,
            sortby=sortby,
            search=search,
            search_in=search_in,
            invoice_id=invoice,
        )
        request.session["my_payments_history"] = values["payments"].ids[:100]
        # a contact without invoice access reads one line, as on My Invoices
        values["portal_invoice_access_denied"] = (
            request.env.user._is_portal()
            and not request.env.user.partner_id._portal_scope()["may_see"]
        )
        return request.render("customer_portal_invoices.portal_my_payments", values)

    def _payment_get_page_view_values(self, payment, access_token, **kwargs):
        values = {
            "page_name": "payment",
            "payment": payment,
            "payment_method": payment._portal_payment_method_labels()[payment.id],
            "payment_allocation": payment._portal_payment_allocations(
                user=request.env.user
            )[payment.id],
        }
        # No session history for stock's records pager: it gives the previous
        # and next payments a share token, a write this read-only route may
        # not make (_portal_payment_pager links them without one).
        values = self._get_page_view_values(
            payment, access_token, values, False, False, **kwargs
        )
        values.update(self._portal_payment_pager(payment))
        return values

    def _portal_payment_pager(self, payment):
        """The previous and next payments of the last My Payments list
        (``prev_record`` and ``next_record`` of stock's records pager), linked
        with their existing share token if any, never a new one."""
        history = request.session.get("my_payments_history", [])
        if payment.id not in history:
            return {}
        index = history.index(payment.id)
        Payment = request.env["account.payment"]
        pager = {}
        for key, position in (("prev_record", index - 1), ("next_record", index + 1)):
            # The history is the session's (it outlives a change of access or
            # of user): a neighbour is linked only if the reader may read it
            # by its record rules, and is a portal payment.
            neighbour = (
                Payment.browse(
                    history[position] if 0 <= position < len(history) else []
                )
                .exists()
                ._filtered_access("read")
            )
            # sudo: the token of a payment the reader may read (checked above)
            neighbour = neighbour.sudo().filtered_domain(
                Payment._portal_payment_domain()
            )
            pager[key] = neighbour._portal_url_existing_token() if neighbour else False
        return pager

    @http.route(
        ["/my/payments/<int:payment_id>"],
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_payment_detail(
        self, payment_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            payment_sudo = self._document_check_access(
                "account.payment", payment_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        # the rule also limits what a valid token opens: received, confirmed
        # customer payments only (never a draft, a refund or a vendor payment)
        if not payment_sudo.filtered_domain(payment_sudo._portal_payment_domain()):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=payment_sudo,
                report_type=report_type,
                report_ref=PAYMENT_RECEIPT_REPORT,
                download=download,
            )
        values = self._payment_get_page_view_values(payment_sudo, access_token, **kw)
        return request.render("customer_portal_invoices.portal_payment_page", values)

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        # the payments of the invoice the user may see (none by token only)
        Payment = self._portal_payment_model()
        count = 0
        if invoice.is_sale_document(include_receipts=True) and (
            self._portal_payments_readable()
        ):
            count = Payment.search_count(
                expression.AND(
                    [
                        Payment._portal_payment_domain(),
                        Payment._portal_payment_domain_of_invoices(invoice),
                    ]
                )
            )
        values["portal_invoice_payment_count"] = count
        return values

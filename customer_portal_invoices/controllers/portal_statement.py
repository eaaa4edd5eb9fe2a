# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import fields, http
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal_activity import PortalActivityNotificationMixin

STATEMENT_REPORT = "customer_portal_invoices.action_report_statement"


class PortalStatement(PortalActivityNotificationMixin, CustomerPortal):
    """Statement of account on the portal: the page and its PDF. The report
    model computes everything, as the portal user; the controller only
    passes the period.

    The one extension of stock ``CustomerPortal`` in this addon; the details
    change notification lives in ``PortalActivityNotificationMixin`` (no
    method is overridden by both)."""

    def _statement_report(self):
        return request.env["report.customer_portal_invoices.report_statement"]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            values["portal_statement_available"] = (
                self._statement_report()._statement_portal_allowed()
            )
        return values

    def _prepare_portal_statement_values(self, date_from=None, date_to=None):
        report = self._statement_report()
        partner = request.env.user.partner_id.commercial_partner_id
        statement = report._get_statement(partner, date_from, date_to)
        values = self._prepare_portal_layout_values()
        date_from = fields.Date.to_string(statement["date_from"])
        date_to = fields.Date.to_string(statement["date_to"])
        values.update(
            {
                "page_name": "statement",
                "statement": statement,
                "date_from": date_from,
                "date_to": date_to,
                "statement_pdf_url": (
                    f"/my/statement/pdf?date_from={date_from}&date_to={date_to}"
                ),
            }
        )
        return values

    @http.route(
        ["/my/statement"], type="http", auth="user", website=True, readonly=True
    )
    def portal_my_statement(self, date_from=None, date_to=None, **kw):
        if not self._statement_report()._statement_portal_allowed():
            return request.redirect("/my")
        values = self._prepare_portal_statement_values(date_from, date_to)
        return request.render("customer_portal_invoices.portal_my_statement", values)

    @http.route(
        ["/my/statement/pdf"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_statement_pdf(self, date_from=None, date_to=None, **kw):
        report = self._statement_report()
        if not report._statement_portal_allowed():
            return request.redirect("/my")
        date_from, date_to = report._statement_parse_dates(date_from, date_to)
        partner = request.env.user.partner_id.commercial_partner_id
        pdf = report._statement_render_pdf(partner, date_from, date_to)
        filename = "{}.pdf".format(
            re.sub(
                r"\W+",
                "_",
                request.env._(
                    "Statement %(partner)s %(date)s",
                    partner=partner.name or "",
                    date=fields.Date.to_string(date_to),
                ),
            )
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

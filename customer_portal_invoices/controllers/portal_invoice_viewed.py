# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.http import request

# User agents of crawlers and link previews, whose requests are no view.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|headless", re.IGNORECASE
)


class PortalInvoiceViewedMixin:
    """Viewed tracking: the invoice page (not its PDF) opened by a portal
    user records a view on the document."""

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        user_agent = request.httprequest.user_agent.string or ""
        # a HEAD (link checkers) is no view of the page
        if request.httprequest.method != "HEAD" and not BOT_USER_AGENT.search(
            user_agent
        ):
            invoice._portal_register_view(request.env.user)
        return values

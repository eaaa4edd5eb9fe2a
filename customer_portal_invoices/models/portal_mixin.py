# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PortalMixin(models.AbstractModel):
    _inherit = "portal.mixin"

    def _portal_url_existing_token(
        self,
        suffix=None,
        report_type=None,
        download=None,
        query_string=None,
        anchor=None,
    ):
        """``get_portal_url()`` that never creates a share token: the
        document's token when it has one, else the URL without a token (the
        reader reads the document by the record rules; a guest only ever
        arrives with an existing token). Rendering a page then writes
        nothing, so the page can be served by a read-only cursor (a replica).
        Tokens are created when a document is shared (sent, posted with a
        share link), as stock does."""
        self.ensure_one()
        if self.access_token:
            return self.get_portal_url(
                suffix=suffix,
                report_type=report_type,
                download=download,
                query_string=query_string,
                anchor=anchor,
            )
        query = "{}{}{}".format(
            f"&report_type={report_type}" if report_type else "",
            "&download=true" if download else "",
            query_string or "",
        )
        return "{}{}{}{}".format(
            self.access_url,
            suffix or "",
            f"?{query.lstrip('&')}" if query else "",
            f"#{anchor}" if anchor else "",
        )

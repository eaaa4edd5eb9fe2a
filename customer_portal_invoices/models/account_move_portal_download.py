# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import AccessError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _portal_download_allowed(self):
        """Whether the current user may get a file of these documents: their
        PDF (portal page, report routes), their attachments (/web/content).
        Internal users always may; portal and public users only when the
        company of every document allows portal downloads. The one rule of
        the download setting: every route serving such a file asks it."""
        if self.env.user._is_internal():
            return True
        # sudo: only the companies of the documents are read
        return all(self.sudo().company_id.mapped("portal_invoice_allow_download"))

    def _portal_check_download(self):
        """Raise AccessError when :meth:`_portal_download_allowed` refuses."""
        if not self._portal_download_allowed():
            raise AccessError(
                self.env._("Downloading invoice files from the portal is disabled.")
            )

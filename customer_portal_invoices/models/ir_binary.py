# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import AccessError


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _find_record(
        self,
        xmlid=None,
        res_model="ir.attachment",
        res_id=None,
        access_token=None,
        field=None,
    ):
        """Portal download setting on /web/content and /web/image: portal and
        public users get no file of a document (its PDF, its attachments)
        when the document's company turned portal downloads off."""
        record = super()._find_record(
            xmlid=xmlid,
            res_model=res_model,
            res_id=res_id,
            access_token=access_token,
            field=field,
        )
        if not self.env.user._is_internal():
            # sudo: only the company of the document is read
            record_sudo = record.sudo()
            moves = self.env["account.move"].sudo()
            if record_sudo._name == "account.move":
                moves = record_sudo
            elif record_sudo._name == "ir.attachment" and (
                record_sudo.res_model == "account.move" and record_sudo.res_id
            ):
                moves = moves.browse(record_sudo.res_id).exists()
            if not all(moves.company_id.mapped("portal_invoice_allow_download")):
                raise AccessError(
                    self.env._("Downloading invoice files from the portal is disabled.")
                )
        return record

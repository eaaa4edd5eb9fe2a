# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


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
        when the document's company turned portal downloads off
        (``account.move._portal_check_download``)."""
        record = super()._find_record(
            xmlid=xmlid,
            res_model=res_model,
            res_id=res_id,
            access_token=access_token,
            field=field,
        )
        if not self.env.user._is_internal():
            self._portal_invoice_files_of(record)._portal_check_download()
        return record

    def _portal_invoice_files_of(self, record):
        """The invoices whose file ``record`` is: the invoice itself, or the
        invoice an attachment belongs to."""
        moves = self.env["account.move"]
        if record._name == "account.move":
            return record
        if record._name != "ir.attachment":
            return moves
        # Stock may hand back an attachment whose access is still to be
        # checked when its content is read (a public user without token).
        # Read only where it belongs, without prefetching: fields prefetched
        # here would land in the cache shared with ``record`` and be served
        # from it without that check (a private file would leak).
        # sudo: only the model and id of the attachment's document are read
        attachment = record.sudo().with_context(prefetch_fields=False)
        if attachment.res_model == "account.move" and attachment.res_id:
            return moves.browse(attachment.res_id).exists()
        return moves

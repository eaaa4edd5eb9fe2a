# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from odoo.addons.customer_portal_invoices.parsing import parse_id


class ReportParentInvoice(models.AbstractModel):
    _name = "report.multi_site_billing.report_parent_invoice"
    _description = "Parent Invoice Report"
    # what a portal user may pass on /report/* (the children shown)
    _portal_report_options = ("child_ids",)

    @api.model
    def _get_report_values(self, docids, data=None):
        """The parents and, per parent, the child invoices shown: all of
        them, or only ``data["child_ids"]`` (the portal passes those the
        contact may read, computed on the server under its record rules)."""
        parents = self.env["account.parent.invoice"].browse(docids)
        # the user's rights decide (``/report/*``); the portal route renders
        # in sudo once it has checked the parent or its token
        if not self.env.su:
            parents.check_access("read")
        allowed = (data or {}).get("child_ids")
        # searched, not read through the one2many: the record rules leave out
        # the children the user may not read (a site contact's other sites)
        children = self.env["account.move"].search(
            [("parent_invoice_id", "in", parents.ids)]
        )
        if allowed is not None:
            # ``data`` may come from the browser (``/report/*?options=``):
            # what is no id names no child
            allowed_ids = {
                parse_id(value)
                for value in (allowed if isinstance(allowed, list | tuple) else ())
            }
            children = children.filtered(lambda move: move.id in allowed_ids)
        children_by_parent = {
            parent.id: children.filtered(
                lambda move, p=parent: move.parent_invoice_id == p
            )
            for parent in parents
        }
        return {
            "doc_ids": docids,
            "doc_model": "account.parent.invoice",
            "docs": parents,
            "children_by_parent": children_by_parent,
        }

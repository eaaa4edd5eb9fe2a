# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportParentInvoice(models.AbstractModel):
    _name = "report.multi_site_billing.report_parent_invoice"
    _description = "Parent Invoice Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The parents and, per parent, the child invoices shown: all of
        them, or only ``data["child_ids"]`` (the portal passes those the
        contact may read, computed on the server under its record rules)."""
        parents = self.env["account.parent.invoice"].browse(docids)
        allowed = (data or {}).get("child_ids")
        children_by_parent = {}
        for parent in parents:
            children = parent.child_invoice_ids
            if allowed is not None:
                children = children.filtered(lambda move: move.id in set(allowed))
            children_by_parent[parent.id] = children
        return {
            "doc_ids": docids,
            "doc_model": "account.parent.invoice",
            "docs": parents,
            "children_by_parent": children_by_parent,
        }

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AccountMoveQueryReason(models.Model):
    """Why a customer queries an invoice: the short list its company offers
    on the portal (wrong amount, not received, duplicate, other)."""

    _name = "account.move.query.reason"
    _description = "Invoice Query Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        index=True,
        help="Leave empty to offer the reason to the customers of every company.",
    )

    @api.model
    def _portal_query_reasons(self, company):
        """The reasons ``company`` offers on the portal, as plain values
        ``[(id, name)]`` (portal users cannot read the model)."""
        # sudo: portal users may not read the reasons; only ids and names of
        # the active reasons of the company go to the page
        reasons = self.sudo().search(
            [("company_id", "in", [False, company.id])], order=self._order
        )
        return [(reason.id, reason.name) for reason in reasons]

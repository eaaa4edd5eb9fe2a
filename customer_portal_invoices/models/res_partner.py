# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.osv import expression

from .res_company import PORTAL_INVOICE_ACCESS_LEVELS


class ResPartner(models.Model):
    _inherit = "res.partner"

    portal_invoice_access = fields.Selection(
        selection=PORTAL_INVOICE_ACCESS_LEVELS,
        string="Portal Invoice Access",
        default=lambda self: self._default_portal_invoice_access(),
        required=True,
        tracking=True,
        help="Invoices this contact sees on the customer portal:\n"
        "- None: no invoices at all;\n"
        "- Own documents: the documents addressed to this contact or that it "
        "follows;\n"
        "- Whole company: every document of its company, whoever it was "
        "addressed to.",
    )

    @api.model
    def _default_portal_invoice_access(self):
        return self.env.company.portal_invoice_default_access or "company"

    # Fields whose change may change which documents a portal contact's
    # record rules give: its access level, and its commercial partner (which
    # follows the parent and is_company of the contact and its ancestors).
    _PORTAL_INVOICE_RULE_FIELDS = ("portal_invoice_access", "parent_id", "is_company")

    def _portal_invoice_rule_key(self):
        """What the portal invoice record rules read of these contacts."""
        # sudo: only compared, to know whether the rule cache must be cleared
        return {
            partner.id: (
                partner.portal_invoice_access,
                partner.commercial_partner_id.id,
            )
            for partner in self.sudo()
        }

    def write(self, vals):
        # read before super(), which may remove is_company from vals
        before = (
            self._portal_invoice_rule_key()
            if any(fname in vals for fname in self._PORTAL_INVOICE_RULE_FIELDS)
            else None
        )
        res = super().write(vals)
        if before is not None and before != self._portal_invoice_rule_key():
            # the portal invoice record rules read the access level and the
            # commercial partner of the user's contact, and record rule
            # domains are cached: clear them only when one of those really
            # changed (an import rewriting the same values clears nothing)
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        # the contacts of a deleted partner lose their parent, hence their
        # commercial partner (sudo: the children may be archived or hidden)
        clear_rules = bool(self.sudo().with_context(active_test=False).child_ids)
        res = super().unlink()
        if clear_rules:
            self.env.registry.clear_cache()
        return res

    def _portal_invoice_rule_domain(self):
        """Domain on ``account.move`` of the documents the current (portal)
        user, whose contact is ``self``, may read; the global record rules on
        invoices and journal items AND it with the portal group rules.

        - none: nothing;
        - own: documents addressed to the contact (or one of its addresses)
          or that the contact follows explicitly;
        - company: every document of the contact's commercial partner, and
          those it follows explicitly;

        always limited to the document types the portal shows.
        """
        self.ensure_one()
        if self.env.user._is_public():
            return expression.FALSE_DOMAIN
        level = self.portal_invoice_access
        if level == "own":
            partner_domain = [("partner_id", "child_of", self.id)]
        elif level == "company":
            partner_domain = [
                ("commercial_partner_id", "=", self.commercial_partner_id.id)
            ]
        else:
            return expression.FALSE_DOMAIN
        return expression.AND(
            [
                expression.OR(
                    [partner_domain, [("message_partner_ids", "in", self.ids)]]
                ),
                self.env["res.company"]._portal_invoice_move_type_domain(),
            ]
        )

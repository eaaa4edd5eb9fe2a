# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models, tools
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    @tools.ormcache(
        "self.env.uid",
        "self.env.su",
        "model_name",
        "tuple(self._compute_domain_context_values())",
    )
    def _portal_global_domain(self, model_name):
        """The global record rules of ``model_name`` (those of no group) for
        reading, evaluated for the current user and AND-ed. Cached like
        :meth:`_compute_domain`, and cleared with it (any change of a rule,
        of the user's groups, or of what a rule reads of the contact).

        For a query whose domain lies within a group rule of the user (the
        portal company rule of account.move), what the record rules let the
        user read of it is what these leave: the group rules are OR-ed, the
        global ones AND-ed."""
        eval_context = self._eval_context()
        domains = [
            expression.normalize_domain(safe_eval(rule.domain_force, eval_context))
            if rule.domain_force
            else []
            # sudo: the rules, not the records, as _compute_domain reads them
            for rule in self._get_rules(model_name, mode="read").sudo()
            if not rule.groups
        ]
        return expression.AND(domains) if domains else []

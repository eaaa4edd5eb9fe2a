# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# Amount fields of the lines of a grouped child invoice; reconciliation
# fields (residuals, matching) stay writable so payments settle it.
LOCKED_LINE_FIELDS = (
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "price_unit",
    "quantity",
    "discount",
    "tax_ids",
    "account_id",
    "currency_id",
    "date_maturity",
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _parent_invoice_check_unlocked(self):
        self.move_id._parent_invoice_check_unlocked(
            self.env._("changed in its amounts")
        )

    @api.model_create_multi
    def create(self, vals_list):
        move_ids = {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        if move_ids:
            self.env["account.move"].browse(move_ids)._parent_invoice_check_unlocked(
                self.env._("changed in its amounts")
            )
        return super().create(vals_list)

    def write(self, vals):
        fnames = [fname for fname in LOCKED_LINE_FIELDS if fname in vals]
        if fnames:
            grouped = self.filtered("move_id.parent_invoice_id")
            grouped.filtered(
                lambda line: any(
                    line._parent_invoice_changes(f, vals[f]) for f in fnames
                )
            )._parent_invoice_check_unlocked()
        return super().write(vals)

    def _parent_invoice_changes(self, fname, value):
        """Whether writing ``value`` in ``fname`` changes this line."""
        field = self._fields[fname]
        if field.type in ("one2many", "many2many"):
            return True
        new = field.convert_to_record(field.convert_to_cache(value, self), self)
        return new != self[fname]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_grouped_child(self):
        self._parent_invoice_check_unlocked()

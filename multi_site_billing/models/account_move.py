# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.payment_allocation.models.account_move import PAY_ORDER

# Filters of the Make a Payment page added here (payment_allocation has
# "all" and "overdue").
SITE_PAY_FILTERS = {
    "single_site": [("parent_invoice_id", "=", False)],
    "multi_site": [("parent_invoice_id", "!=", False)],
}

# Fields of a grouped child invoice that cannot change while it is grouped:
# its amounts (lines) and what the parent groups invoices by.
LOCKED_MOVE_FIELDS = ("invoice_line_ids", "line_ids", "invoice_payment_term_id")


class AccountMove(models.Model):
    _inherit = "account.move"

    site_id = fields.Many2one(
        comodel_name="res.partner",
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        domain="[('site_code', '!=', False), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        help="Site of the customer this invoice bills; by default the delivery "
        "address when it is a site.",
    )
    site_code = fields.Char(related="site_id.site_code")
    parent_invoice_id = fields.Many2one(
        comodel_name="account.parent.invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The multi-site invoice grouping this invoice. A grouped invoice "
        "cannot be reset to draft, cancelled or changed until it is ungrouped.",
    )

    @api.depends("partner_shipping_id", "partner_id")
    def _compute_site_id(self):
        for move in self:
            commercial = (
                move.commercial_partner_id or move.partner_id.commercial_partner_id
            )
            if move.site_id and move.site_id.commercial_partner_id == commercial:
                continue
            site = (
                move.partner_shipping_id
                if move.partner_shipping_id.site_code
                else (
                    move.partner_id
                    if move.partner_id.site_code
                    else move.site_id.browse()
                )
            )
            move.site_id = site if site.commercial_partner_id == commercial else False

    @api.constrains("site_id", "partner_id")
    def _check_site_id(self):
        for move in self.filtered("site_id"):
            if (
                not move.site_id.site_code
                or move.site_id.commercial_partner_id != move.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The site of %(move)s must be a site (a contact with a site "
                        "code) of %(customer)s.",
                        move=move.display_name,
                        customer=move.commercial_partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Grouping rules
    # ------------------------------------------------------------------

    @api.constrains(
        "parent_invoice_id",
        "state",
        "move_type",
        "partner_id",
        "currency_id",
        "company_id",
        "invoice_date_due",
    )
    def _check_parent_invoice_rules(self):
        """A child invoice is a posted customer invoice of the parent's
        customer (commercial partner), currency, company and due date."""
        for move in self.filtered("parent_invoice_id"):
            # sudo: the rules compare with the parent, whatever company or
            # user grouped the invoice (only its fields are read)
            parent = move.parent_invoice_id.sudo()
            values = {"move": move.display_name, "parent": parent.name}
            if move.move_type != "out_invoice":
                raise ValidationError(
                    self.env._(
                        "Only customer invoices can be grouped under a parent "
                        "invoice: %(move)s is not one.",
                        **values,
                    )
                )
            if move.state != "posted":
                raise ValidationError(
                    self.env._(
                        "Only posted invoices can be grouped under a parent "
                        "invoice: %(move)s is not posted.",
                        **values,
                    )
                )
            if move.commercial_partner_id != parent.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(move)s is an invoice of %(customer)s, the parent invoice "
                        "%(parent)s groups invoices of %(parent_customer)s: a parent "
                        "groups the invoices of one customer.",
                        customer=move.commercial_partner_id.display_name,
                        parent_customer=parent.partner_id.display_name,
                        **values,
                    )
                )
            if move.currency_id != parent.currency_id:
                raise ValidationError(
                    self.env._(
                        "%(move)s is in %(currency)s, the parent invoice %(parent)s "
                        "in %(parent_currency)s: a parent groups invoices in one "
                        "currency.",
                        currency=move.currency_id.name,
                        parent_currency=parent.currency_id.name,
                        **values,
                    )
                )
            if move.company_id != parent.company_id:
                raise ValidationError(
                    self.env._(
                        "%(move)s belongs to %(company)s, the parent invoice "
                        "%(parent)s to %(parent_company)s: a parent groups invoices "
                        "of one company.",
                        company=move.company_id.name,
                        parent_company=parent.company_id.name,
                        **values,
                    )
                )
            if move.invoice_date_due != parent.invoice_date_due:
                raise ValidationError(
                    self.env._(
                        "%(move)s is due on %(date)s, the parent invoice %(parent)s "
                        "on %(parent_date)s: a parent groups invoices with the same "
                        "due date.",
                        date=move.invoice_date_due,
                        parent_date=parent.invoice_date_due,
                        **values,
                    )
                )

    def _parent_invoice_check_unlocked(self, action):
        """Refuse ``action`` (a sentence) on grouped invoices."""
        grouped = self.filtered("parent_invoice_id")
        if grouped:
            raise UserError(
                self.env._(
                    "%(moves)s cannot be %(action)s while grouped under a parent "
                    "invoice (%(parents)s): ungroup it first.",
                    moves=", ".join(grouped.mapped("display_name")),
                    action=action,
                    parents=", ".join(grouped.parent_invoice_id.mapped("name")),
                )
            )

    def _parent_invoice_lock(self, skip_locked=False):
        """Lock these invoices until the end of the transaction and read
        their parent again: two transactions grouping the same invoice (the
        automatic grouping, an accountant) never both take it. With
        ``skip_locked``, only the invoices no other transaction holds and
        not grouped yet are locked and returned."""
        if not self:
            return self
        self.flush_recordset(["parent_invoice_id"])
        query = SQL(
            "SELECT id FROM account_move WHERE id IN %s %s FOR UPDATE %s",
            tuple(self.ids),
            SQL("AND parent_invoice_id IS NULL") if skip_locked else SQL(),
            SQL("SKIP LOCKED") if skip_locked else SQL(),
        )
        try:
            with self.env.cr.savepoint(flush=False):
                # a concurrent change is expected, not a bad query to log
                self.env.cr.execute(query, log_exceptions=False)
                rows = self.env.cr.fetchall()
        except SerializationFailure:
            if not skip_locked:
                raise  # a request: Odoo serves it again, it reads the change
            # changed by another transaction since this one began: its unit
            rows = []
        locked = self.browse([row[0] for row in rows])
        self.invalidate_recordset(["parent_invoice_id"])
        return self & locked

    def write(self, vals):
        if vals.get("parent_invoice_id"):
            self._parent_invoice_lock()
            moved = self.filtered(
                lambda move: (
                    move.parent_invoice_id
                    and move.parent_invoice_id.id != vals["parent_invoice_id"]
                )
            )
            if moved:
                raise UserError(
                    self.env._(
                        "%(moves)s already belongs to the parent invoice "
                        "%(parents)s: an invoice belongs to one parent at most; "
                        "ungroup it first.",
                        moves=", ".join(moved.mapped("display_name")),
                        parents=", ".join(moved.parent_invoice_id.mapped("name")),
                    )
                )
        # the lock applies unless this very write ungroups the invoices
        if not ("parent_invoice_id" in vals and not vals["parent_invoice_id"]):
            locked = self.filtered("parent_invoice_id")
            if vals.get("state") in ("draft", "cancel"):
                locked._parent_invoice_check_unlocked(
                    self.env._("reset to draft or cancelled")
                )
            if any(fname in vals for fname in LOCKED_MOVE_FIELDS):
                locked._parent_invoice_check_unlocked(
                    self.env._("changed in its amounts")
                )
        return super().write(vals)

    def _check_draftable(self):
        self._parent_invoice_check_unlocked(self.env._("reset to draft or cancelled"))
        return super()._check_draftable()

    def action_parent_invoice_ungroup(self):
        """Take the invoices out of their parent invoice."""
        self.filtered("parent_invoice_id").write({"parent_invoice_id": False})
        return True

    # ------------------------------------------------------------------
    # Make a Payment page (payment_allocation)
    # ------------------------------------------------------------------

    @api.model
    def _payment_allocation_page_filters(self):
        """The filters "single-site" and "multi-site" of the page."""
        return super()._payment_allocation_page_filters() + list(SITE_PAY_FILTERS)

    @api.model
    def _payment_allocation_filter_domain(
        self, currency_id=None, filterby=None, search=None, company_id=None
    ):
        """The filters "single-site" and "multi-site" of the page and of its
        "select all"."""
        domain = super()._payment_allocation_filter_domain(
            currency_id=currency_id,
            filterby=filterby,
            search=search,
            company_id=company_id,
        )
        # filterby comes from the browser's JSON: a list or an object is no
        # filter (not a TypeError)
        if not isinstance(filterby, str):
            return domain
        return domain + SITE_PAY_FILTERS.get(filterby, [])

    @api.model
    def _payment_allocation_expand_parents(
        self, parent_ids, invoice_ids=None, currency_id=None, company_id=None
    ):
        """The invoice ids a selection of parent invoices stands for: the open
        children of ``parent_ids`` the current user may pay (record rules),
        in the page's currency and company, then the other ``invoice_ids``.
        The payment rules of payment_allocation then check the whole
        selection, the 200 limit counting children.

        :raise UserError: when a parent is unknown, not the user's, or has
            nothing left to pay.
        """
        cast = self._payment_allocation_cast_id
        if not isinstance(parent_ids, list) or not parent_ids:
            raise UserError(self.env._("The selection of invoices is invalid."))
        ids = [cast(value) for value in parent_ids]
        if None in ids:
            raise UserError(self.env._("The selection of invoices is invalid."))
        if invoice_ids is not None and not isinstance(invoice_ids, list):
            raise UserError(self.env._("The selection of invoices is invalid."))
        parents = self.env["account.parent.invoice"].search([("id", "in", ids)])
        if len(parents) != len(set(ids)):
            raise UserError(
                self.env._(
                    "Some of the selected multi-site invoices cannot be paid. "
                    "Reload the page and try again."
                )
            )
        partner = self._payment_allocation_check_payer()
        children = self.search(
            self._payment_allocation_open_domain(partner.commercial_partner_id)
            # the page's currency and company, none of its filters: a
            # parent is paid whole
            + self._payment_allocation_filter_domain(
                currency_id=currency_id, company_id=company_id
            )
            + [("parent_invoice_id", "in", parents.ids)],
            order=PAY_ORDER,
        )
        if not children:
            raise UserError(
                self.env._(
                    "%(parents)s: nothing is left to pay.",
                    parents=", ".join(parents.mapped("name")),
                )
            )
        child_ids = set(children.ids)
        others = [value for value in invoice_ids or [] if cast(value) not in child_ids]
        return children.ids + others

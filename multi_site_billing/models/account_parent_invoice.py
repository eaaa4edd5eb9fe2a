# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading

from dateutil.relativedelta import relativedelta
from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Payment states of a child that count as settled.
SETTLED_STATES = ("paid", "reversed", "invoicing_legacy")
# Who reads the figures a parent holds over all its children (all sites).
PARENT_FIGURES_GROUPS = "base.group_user"


class AccountParentInvoice(models.Model):
    """A multi-site (parent) invoice: one document, with its own number,
    grouping the posted per-site invoices of one customer, currency, company
    and due date. It is not a journal entry: the children stay the
    receivables, and its totals and payment state derive from them."""

    _name = "account.parent.invoice"
    _description = "Parent Invoice"
    _inherit = ("portal.mixin", "mail.thread", "mail.activity.mixin")
    _order = "invoice_date_due desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The customer company (commercial partner) of the child invoices.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    invoice_date_due = fields.Date(string="Due Date", required=True, tracking=True)
    invoice_date = fields.Date(
        compute="_compute_amounts",
        store=True,
        help="Date of the latest child invoice.",
    )
    child_invoice_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="parent_invoice_id",
        string="Child Invoices",
    )
    # The stored totals cover every child, every site: back office only. The
    # portal computes a contact's figures over the children it may read
    # (controllers/portal.py, the report), never from these fields.
    child_count = fields.Integer(
        compute="_compute_amounts", store=True, groups=PARENT_FIGURES_GROUPS
    )
    site_count = fields.Integer(
        compute="_compute_amounts", store=True, groups=PARENT_FIGURES_GROUPS
    )
    amount_untaxed = fields.Monetary(
        compute="_compute_amounts", store=True, groups=PARENT_FIGURES_GROUPS
    )
    amount_total = fields.Monetary(
        compute="_compute_amounts", store=True, groups=PARENT_FIGURES_GROUPS
    )
    amount_residual = fields.Monetary(
        string="Amount Due",
        compute="_compute_amounts",
        store=True,
        groups=PARENT_FIGURES_GROUPS,
    )
    payment_state = fields.Selection(
        groups=PARENT_FIGURES_GROUPS,
        selection=[
            ("not_paid", "Not Paid"),
            ("partial", "Partially Paid"),
            ("in_payment", "In Payment"),
            ("paid", "Paid"),
        ],
        compute="_compute_amounts",
        store=True,
        tracking=True,
    )
    # A parent's share link opens every child, every site: the back office
    # hands it out; a portal or public user never reads it as itself (the
    # portal compares the token a browser sent in sudo).
    access_token = fields.Char(groups="base.group_user")
    billing_period_start = fields.Date(
        readonly=True,
        help="For a parent grouped automatically: first day of the billing period.",
    )
    billing_period_end = fields.Date(
        readonly=True,
        help="For a parent grouped automatically: last day of the billing period.",
    )

    @api.depends(
        "child_invoice_ids.amount_total",
        "child_invoice_ids.amount_untaxed",
        "child_invoice_ids.amount_residual",
        "child_invoice_ids.payment_state",
        "child_invoice_ids.invoice_date",
        "child_invoice_ids.site_id",
    )
    def _compute_amounts(self):
        for parent in self:
            children = parent.child_invoice_ids
            currency = parent.currency_id
            parent.amount_untaxed = currency.round(
                sum(children.mapped("amount_untaxed"))
            )
            parent.amount_total = currency.round(sum(children.mapped("amount_total")))
            parent.amount_residual = currency.round(
                sum(children.mapped("amount_residual"))
            )
            parent.child_count = len(children)
            parent.site_count = len(children.site_id)
            dates = [d for d in children.mapped("invoice_date") if d]
            parent.invoice_date = max(dates) if dates else False
            parent.payment_state = self._payment_state_of(
                children.mapped("payment_state")
            )

    @api.model
    def _payment_state_of(self, child_states):
        """Payment state of a parent whose children are in ``child_states``:
        paid when every child is settled, in payment when every child is
        settled or in payment, partially paid when a child is (partially)
        paid or in payment, not paid otherwise."""
        states = set(child_states)
        if not states:
            return "not_paid"
        if states <= set(SETTLED_STATES):
            return "paid"
        if states <= {*SETTLED_STATES, "in_payment"}:
            return "in_payment"
        if states & {*SETTLED_STATES, "in_payment", "partial"}:
            return "partial"
        return "not_paid"

    @api.model
    def _portal_invoice_comment_refused(self, thread_id):
        """The portal comment setting of customer_portal_invoices holds on
        parent invoices: no portal message by any route (the chatter post
        route with the parent's token, logged in or not)."""
        return self.env["res.company"]._portal_comment_refused_on(self._name, thread_id)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for parent in self:
            parent.access_url = f"/my/parent_invoices/{parent.id}"
        return res

    def _portal_token_hidden(self):
        """Whether the share token is hidden from the environment's user:
        anyone but the back office, unless in sudo."""
        return not self.env.su and not self.env.user._is_internal()

    def _portal_ensure_token(self):
        if self._portal_token_hidden():
            raise AccessError(
                self.env._("The share link of a parent invoice is not yours to read.")
            )
        return super()._portal_ensure_token()

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        return super()._get_share_url(
            redirect=redirect,
            signup_partner=signup_partner,
            pid=pid,
            share_token=share_token and not self._portal_token_hidden(),
        )

    def get_portal_url(
        self,
        suffix=None,
        report_type=None,
        download=None,
        query_string=None,
        anchor=None,
    ):
        """The portal URL, without the share token for a portal or public
        user (it reads the parent by the rules)."""
        if not self._portal_token_hidden():
            return super().get_portal_url(
                suffix=suffix,
                report_type=report_type,
                download=download,
                query_string=query_string,
                anchor=anchor,
            )
        self.ensure_one()
        query = {}
        if report_type:
            query["report_type"] = report_type
        if download:
            query["download"] = "true"
        url = self.access_url + (suffix or "")
        if query:
            url += "?" + url_encode(query)
        if query_string:
            url += ("&" if query else "?") + query_string.lstrip("&")
        if anchor:
            url += f"#{anchor}"
        return url

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "account.parent.invoice",
                    sequence_date=vals.get("invoice_date_due"),
                ) or self.env._("New")
        return super().create(vals_list)

    @api.constrains("partner_id", "currency_id", "company_id", "invoice_date_due")
    def _check_children_consistency(self):
        self.child_invoice_ids._check_parent_invoice_rules()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_paid(self):
        if any(parent.payment_state != "not_paid" for parent in self):
            raise UserError(
                self.env._(
                    "A parent invoice with payments cannot be deleted: ungroup "
                    "its child invoices first."
                )
            )

    def _portal_check_download(self):
        """The portal download setting of customer_portal_invoices, for the
        parent's PDF: the rule of its children (report routes ask it)."""
        # sudo: only the children's companies are read, by the rule
        self.sudo().child_invoice_ids.with_env(self.env)._portal_check_download()

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Parent Invoice %(name)s", name=self.name).replace("/", "_")

    # ------------------------------------------------------------------
    # Grouping
    # ------------------------------------------------------------------

    @api.model
    def _group_invoices(self, invoices, parent=None):
        """Group ``invoices`` under ``parent``, or under a new parent when none
        is given; the constraints of the children check the grouping rules.

        :return: the parent
        """
        if not invoices:
            raise UserError(self.env._("Select the invoices to group."))
        if not parent:
            first = invoices[0]
            parent = self.create(
                {
                    "partner_id": first.commercial_partner_id.id,
                    "company_id": first.company_id.id,
                    "currency_id": first.currency_id.id,
                    "invoice_date_due": first.invoice_date_due,
                }
            )
        invoices.write({"parent_invoice_id": parent.id})
        return parent

    @api.model
    def _auto_group_domain(self, before):
        """The invoices the automatic grouping takes: posted customer
        invoices billed to a site of a customer that asked for it, not
        grouped yet, dated before ``before``."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("parent_invoice_id", "=", False),
            ("site_id", "!=", False),
            ("commercial_partner_id.parent_invoice_auto_group", "=", True),
            ("invoice_date", "<", before),
            ("invoice_date_due", "!=", False),
        ]

    @api.model
    def _cron_auto_group(self, today=None, auto_commit=None):
        """Group the site invoices of the months that are over, per customer,
        company, currency, due date and month, under one parent each: added
        to the parent of that month when there is one, else a new parent
        when at least two invoices meet. Safe to run twice: grouped invoices
        are never taken again.

        One group is one unit of work: its invoices not held by another
        transaction (an accountant grouping them, a run on another server)
        are locked and read again, grouped and, with ``auto_commit`` (the
        scheduled job, not in tests), committed; a run killed midway leaves
        the groups done grouped, and the next run takes the others."""
        if auto_commit is None:
            auto_commit = not getattr(threading.current_thread(), "testing", False)
        today = today or fields.Date.context_today(self)
        period_limit = today.replace(day=1)
        Move = self.env["account.move"]
        groups = Move._read_group(
            self._auto_group_domain(period_limit),
            groupby=[
                "commercial_partner_id",
                "company_id",
                "currency_id",
                "invoice_date_due:day",
                "invoice_date:month",
            ],
            aggregates=["id:recordset"],
        )
        if not groups:
            return self.browse()
        period_starts = {group[4] for group in groups}
        existing = self.search(
            [
                ("partner_id", "in", [group[0].id for group in groups]),
                ("billing_period_start", "in", list(period_starts)),
            ]
        )
        parents_by_key = {
            (
                parent.partner_id,
                parent.company_id,
                parent.currency_id,
                parent.invoice_date_due,
                parent.billing_period_start,
            ): parent
            for parent in existing
        }
        parents = self.browse()
        for partner, company, currency, date_due, month, moves in groups:
            moves = moves._parent_invoice_lock(skip_locked=True)
            if not moves:
                continue
            key = (partner, company, currency, date_due, month)
            parent = parents_by_key.get(key)
            if not parent:
                if len(moves) < 2:
                    continue
                parent = self.create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "currency_id": currency.id,
                        "invoice_date_due": date_due,
                        "billing_period_start": month,
                        "billing_period_end": month + relativedelta(day=31),
                    }
                )
            moves.write({"parent_invoice_id": parent.id})
            parents |= parent
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return parents

    def action_ungroup(self):
        """Ungroup every child invoice: they become single invoices again."""
        self.child_invoice_ids.action_parent_invoice_ungroup()
        return True

    def action_view_child_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            {
                "domain": [("parent_invoice_id", "=", self.id)],
                "context": {"default_move_type": "out_invoice", "create": False},
            }
        )
        return action

    def _portal_site_summary(self, children=None):
        """Per site: ``[{site (res.partner), count, amount_untaxed,
        amount_total, amount_residual}]`` of ``children`` (default: all the
        children), in site code order; invoices without a site last."""
        self.ensure_one()
        children = self.child_invoice_ids if children is None else children
        summary = {}
        for child in children:
            values = summary.setdefault(
                child.site_id,
                {
                    "site": child.site_id,
                    "count": 0,
                    "amount_untaxed": 0.0,
                    "amount_total": 0.0,
                    "amount_residual": 0.0,
                    "invoices": child.browse(),
                },
            )
            values["count"] += 1
            values["amount_untaxed"] += child.amount_untaxed
            values["amount_total"] += child.amount_total
            values["amount_residual"] += child.amount_residual
            values["invoices"] |= child
        for values in summary.values():
            for key in ("amount_untaxed", "amount_total", "amount_residual"):
                values[key] = self.currency_id.round(values[key])
        return sorted(
            summary.values(),
            key=lambda v: (not v["site"], v["site"].site_code or "", v["site"].id),
        )

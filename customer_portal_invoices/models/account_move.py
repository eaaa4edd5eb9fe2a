# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, plaintext2html
from odoo.tools.query import Query

from ..amounts import format_amount

_logger = logging.getLogger(__name__)

# Customer documents the customer owes: they count as open invoices on the
# account overview and are the only documents that fall overdue (credit notes
# and vendor bills are owed to the customer, never by it).
DUE_MOVE_TYPES = ("out_invoice", "out_receipt")
UNPAID_STATES = ("not_paid", "partial")
PAID_STATES = ("paid", "invoicing_legacy")
# Status badge: status -> (Bootstrap colour classes, Font Awesome icon). Each
# pair of text and background colours reaches WCAG AA contrast (4.5:1): white
# on info or success does not, their subtle backgrounds with dark text do.
PORTAL_STATUS_BADGES = {
    "overdue": ("text-bg-danger", "fa-exclamation-triangle"),
    "partial": (
        "bg-warning-subtle text-warning-emphasis border border-warning-subtle",
        "fa-adjust",
    ),
    "open": (
        "bg-info-subtle text-info-emphasis border border-info-subtle",
        "fa-clock-o",
    ),
    "in_payment": ("text-bg-primary", "fa-hourglass-half"),
    "paid": (
        "bg-success-subtle text-success-emphasis border border-success-subtle",
        "fa-check",
    ),
    "reversed": ("text-bg-secondary", "fa-undo"),
}
# The stored fields the portal status is read from (_portal_status_domain).
PORTAL_STATUS_FIELDS = ("state", "payment_state", "move_type", "invoice_date_due")
CUSTOMER_DOCUMENT_TYPES = ("out_invoice", "out_refund", "out_receipt")


class AccountMove(models.Model):
    _inherit = "account.move"

    # The key of the portal record rules and of every portal domain.
    commercial_partner_id = fields.Many2one(index=True)
    # The customer's whole receivable (stock): a portal contact reading its
    # invoice through the data API must not read the company-wide figure.
    # The same groups as stock's partner_credit_warning and res.partner.credit.
    partner_credit = fields.Monetary(
        groups="account.group_account_invoice,account.group_account_readonly"
    )
    portal_status = fields.Selection(
        selection=[
            ("overdue", "Overdue"),
            ("partial", "Partially paid"),
            ("open", "Open"),
            ("in_payment", "In payment"),
            ("paid", "Paid"),
            ("reversed", "Reversed"),
        ],
        compute="_compute_portal_status",
        search="_search_portal_status",
        help="Payment status of a posted document on the customer portal. A "
        "customer invoice or receipt that is past its due date and not fully "
        "paid is overdue, even when partially paid.",
    )
    portal_days_overdue = fields.Integer(
        compute="_compute_portal_status",
        help="Days since the due date of an overdue document, 0 otherwise.",
    )
    # The amounts of the portal list, as it shows them: in the document's
    # currency, credit notes negative. Sortable (see _order_field_to_sql).
    portal_amount_total = fields.Monetary(
        string="Portal Total",
        compute="_compute_portal_amounts",
        currency_field="currency_id",
    )
    portal_amount_due = fields.Monetary(
        string="Portal Amount Due",
        compute="_compute_portal_amounts",
        currency_field="currency_id",
    )

    @api.depends("move_type", "amount_total", "amount_residual")
    def _compute_portal_amounts(self):
        for move in self:
            sign = -1 if move.move_type == "out_refund" else 1
            move.portal_amount_total = sign * move.amount_total
            move.portal_amount_due = sign * move.amount_residual

    # ------------------------------------------------------------------
    # Status
    # ------------------------------------------------------------------

    @api.depends(*PORTAL_STATUS_FIELDS)
    @api.depends_context("tz")
    def _compute_portal_status(self):
        """Read from :meth:`_portal_status_domain`, the one definition."""
        today = fields.Date.context_today(self)
        self.portal_status = False
        self.portal_days_overdue = 0
        # Saved documents (a portal list shows dozens at once): one query of
        # the domains' SQL, rather than each domain evaluated row by row in
        # Python. Others (new records in a form): the domains in Python.
        saved = self.filtered("id")
        if saved:
            saved.flush_recordset(list(PORTAL_STATUS_FIELDS))
            statuses = dict(
                self.env.execute_query(
                    SQL(
                        "SELECT id, CASE %s END FROM account_move WHERE id IN %s",
                        SQL(" ").join(
                            SQL(
                                "WHEN %s THEN %s",
                                self._portal_domain_sql(
                                    self._portal_status_domain(status, today),
                                    "account_move",
                                ),
                                status,
                            )
                            for status in self._portal_statuses()
                        ),
                        tuple(saved.ids),
                    )
                )
            )
            for move in saved:
                move.portal_status = statuses.get(move.id) or False
        remaining = self - saved
        for status in self._portal_statuses():
            if not remaining:
                break
            moves = remaining.filtered_domain(self._portal_status_domain(status, today))
            moves.portal_status = status
            remaining -= moves
        for move in self.filtered(lambda m: m.portal_status == "overdue"):
            move.portal_days_overdue = (today - move.invoice_date_due).days

    def _portal_status_badge(self):
        """The status badge of the document on the portal (lists, pages):
        markup, built here rather than by a template called per row (a
        call of a template costs more than the badge itself, and a list
        shows dozens of rows). "" for a document without a status."""
        self.ensure_one()
        return self._portal_status_badge_of(
            self.portal_status, self.portal_days_overdue
        )

    @api.model
    def _portal_status_badge_of(self, status, days_overdue=0):
        """The badge of a ``status`` of :meth:`_portal_statuses` (markup);
        also for a document grouping others (a parent invoice), whose
        status is computed from theirs. "" without a status."""
        if not status:
            return ""
        css, icon = PORTAL_STATUS_BADGES[status]
        label = {
            "overdue": self.env._("Overdue"),
            "partial": self.env._("Partially paid"),
            "open": self.env._("Open"),
            "in_payment": self.env._("In payment"),
            "paid": self.env._("Paid"),
            "reversed": self.env._("Reversed"),
        }[status]
        days = ""
        if status == "overdue":
            days = Markup(' <span class="o_portal_days_overdue">%s</span>') % (
                self.env._("(1 day)")
                if days_overdue == 1
                else self.env._("(%(days)s days)", days=days_overdue)
            )
        return Markup(
            '<span class="badge rounded-pill %s o_portal_invoice_status" '
            'data-status="%s"><i class="fa fa-fw %s" role="img" aria-label="%s" '
            'title="%s"></i> <span>%s</span>%s</span>'
        ) % (css, status, icon, label, label, label, days)

    def _portal_query_badge(self):
        """The "Queried" badge shown beside the status of a document with an
        open query (markup, see :meth:`_portal_status_badge`); "" without."""
        self.ensure_one()
        if self.portal_query_state != "open":
            return ""
        label = self.env._("Queried")
        return Markup(
            '<span class="badge rounded-pill text-bg-warning '
            'o_portal_invoice_queried" data-status="queried">'
            '<i class="fa fa-fw fa-question-circle" role="img" aria-label="%s" '
            'title="%s"></i> <span>%s</span></span>'
        ) % (label, label, label)

    @api.model
    def _portal_statuses(self):
        """The portal statuses, in the order the list sorts them."""
        return [status for status, _label in self._fields["portal_status"].selection]

    @api.model
    def _portal_status_domain(self, status, today=None):
        """The one definition of the portal status and of "overdue": domain
        on stored fields of the documents in ``status`` on ``today``.

        Only posted documents have a status, exactly one (the statuses
        partition them). A document is overdue when it is a customer invoice
        or receipt (:data:`DUE_MOVE_TYPES`), not or partially paid, and past
        its due date. Every reader derives from this domain: the computed
        status (badge), its search, the list filters, the account overview
        (:meth:`_portal_overview_domain` and its SQL) and the sort by status
        (SQL, :meth:`_portal_domain_sql`).

        ``"queried"`` (not one of :meth:`_portal_statuses`) gives the posted
        documents with an open query: a flag shown beside the status, which
        it does not change."""
        today = today or fields.Date.context_today(self)
        past_due = [
            ("move_type", "in", DUE_MOVE_TYPES),
            ("invoice_date_due", "<", today),
        ]
        not_past_due = [
            "|",
            "|",
            ("move_type", "not in", DUE_MOVE_TYPES),
            ("invoice_date_due", "=", False),
            ("invoice_date_due", ">=", today),
        ]
        domains = {
            "reversed": [("payment_state", "=", "reversed")],
            "paid": [("payment_state", "in", PAID_STATES)],
            "in_payment": [("payment_state", "=", "in_payment")],
            "overdue": [("payment_state", "in", UNPAID_STATES), *past_due],
            "partial": [("payment_state", "=", "partial"), *not_past_due],
            "open": expression.OR(
                [
                    [("payment_state", "=", "not_paid"), *not_past_due],
                    [("payment_state", "=", "blocked")],
                ]
            ),
        }
        if status == "queried":
            # a flag over the payment status, not one of the statuses: a
            # queried invoice keeps its status (open, overdue...) and its
            # figures; the list shows both badges and filters on either
            return expression.AND(
                [[("state", "=", "posted")], [("portal_query_state", "=", "open")]]
            )
        return expression.AND([[("state", "=", "posted")], domains[status]])

    @api.model
    def _portal_status_of(self, payment_state, invoice_date_due, move_type=None):
        """``(status, days overdue)`` of a posted document of ``move_type``
        (default: a customer invoice) with this payment state and due date:
        the status of a document standing for others (a multi-site parent
        invoice), by the same definition. Computed in memory, no query."""
        document = self.new(
            {
                "state": "posted",
                "move_type": move_type or "out_invoice",
                "payment_state": payment_state,
                "invoice_date_due": invoice_date_due,
            }
        )
        return document.portal_status, document.portal_days_overdue

    @api.model
    def _portal_domain_sql(self, domain, alias):
        """SQL condition of ``domain`` (on stored columns of this model, as
        :meth:`_portal_status_domain`) on the row ``alias``: what the SQL of
        the sort and of the account overview compare, so that they match
        the domain exactly, NULLs included."""
        query = Query(self.env, alias, SQL.identifier(self._table))
        expression.expression(domain, self, alias, query)
        return query.where_clause

    def _search_portal_status(self, operator, value):
        if operator in ("=", "!="):
            values = [value]
        elif operator in ("in", "not in"):
            values = list(value)
        else:
            raise UserError(
                self.env._(
                    "The portal status can only be searched with =, !=, in or not in."
                )
            )
        today = fields.Date.context_today(self)
        domain = expression.OR(
            [
                self._portal_status_domain(status, today)
                for status in values
                if status in self._portal_statuses()
            ]
            or [expression.FALSE_DOMAIN]
        )
        if operator in ("!=", "not in"):
            domain = ["!", *expression.normalize_domain(domain)]
        return domain

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Sort by ``portal_status`` with a CASE expression on stored fields
        (in the order of the statuses: overdue first, then partially paid,
        open, in payment, paid, reversed; documents without a status last)
        and by the portal amounts as shown, so the portal list stays a single
        paginated query."""
        amount_fields = {
            "portal_amount_total": "amount_total",
            "portal_amount_due": "amount_residual",
        }
        if field_name in amount_fields:
            amount = self._field_to_sql(alias, amount_fields[field_name], query)
            move_type = self._field_to_sql(alias, "move_type", query)
            return SQL(
                "CASE WHEN %s = 'out_refund' THEN -%s ELSE %s END %s %s",
                move_type,
                amount,
                amount,
                direction,
                nulls,
            )
        if field_name != "portal_status":
            return super()._order_field_to_sql(
                alias, field_name, direction, nulls, query
            )
        today = fields.Date.context_today(self)
        statuses = self._portal_statuses()
        rank = SQL(
            "CASE %s ELSE %s END",
            SQL(" ").join(
                SQL(
                    "WHEN %s THEN %s",
                    self._portal_domain_sql(
                        self._portal_status_domain(status, today), alias
                    ),
                    index,
                )
                for index, status in enumerate(statuses)
            ),
            len(statuses),
        )
        return SQL("%s %s %s", rank, direction, nulls)

    # ------------------------------------------------------------------
    # Portal invoice list
    # ------------------------------------------------------------------

    def _get_invoice_next_payment_values(self, custom_amount=None):
        """Override of `account`: the portal invoice list asks this of every
        row it shows, which reads the row's payment term journal items. The
        rows were read through the invoice record rules already: their items
        are read in sudo, as stock's invoice page does on its sudo'ed
        document, rather than once more through the journal-item rules,
        whose subqueries the planner loops over once per invoice on tables
        without statistics (a fresh import)."""
        if self.env.su or not self.env.user.share:
            return super()._get_invoice_next_payment_values(custom_amount=custom_amount)
        return super(AccountMove, self.sudo())._get_invoice_next_payment_values(
            custom_amount=custom_amount
        )

    # ------------------------------------------------------------------
    # Portal invoice page
    # ------------------------------------------------------------------

    def _portal_invoice_report_name(self):
        """The report the portal renders the document with: the partner's
        invoice template, else the invoice report (stock's choice)."""
        self.ensure_one()
        # sudo: the portal user may not read the report
        report = self.sudo().partner_id.invoice_template_pdf_report_id
        return report.report_name or "account.account_invoices"

    def _portal_salesperson_shown(self):
        """Whether the portal page of the document shows its "Salesperson"
        card: only for a salesperson customers may contact, not OdooBot (the
        superuser, salesperson of what imports, automated flows and demo
        data create) nor an archived user."""
        self.ensure_one()
        salesperson = self.sudo().invoice_user_id
        return bool(
            salesperson and salesperson.active and not salesperson._is_superuser()
        )

    # ------------------------------------------------------------------
    # Portal download setting
    # ------------------------------------------------------------------

    def _portal_download_allowed(self):
        """Whether the current user may get a file of these documents: their
        PDF (portal page, report routes), their attachments (/web/content).
        Internal users always may; portal and public users only when the
        company of every document allows portal downloads. The one rule of
        the download setting: every route serving such a file asks it."""
        if self.env.user._is_internal():
            return True
        # sudo: only the companies of the documents are read
        return all(self.sudo().company_id.mapped("portal_invoice_allow_download"))

    def _portal_check_download(self):
        """Raise AccessError when :meth:`_portal_download_allowed` refuses."""
        if not self._portal_download_allowed():
            raise AccessError(
                self.env._("Downloading invoice files from the portal is disabled.")
            )

    # ------------------------------------------------------------------
    # Portal comment setting
    # ------------------------------------------------------------------

    @api.model
    def _portal_invoice_comment_refused(self, thread_id):
        """Whether the current user may not post on the document ``thread_id``
        from the portal: a portal or public user, and the document's company
        turned portal comments off. Internal users are never refused."""
        if self.env.user._is_internal():
            return False
        try:
            move_id = int(thread_id)
        except (TypeError, ValueError):
            return False  # not a document: the chatter route refuses it
        # sudo: only the company setting of the document is read
        move_sudo = self.sudo().browse(move_id).exists()
        return bool(move_sudo) and not move_sudo.company_id.portal_invoice_allow_comment

    # ------------------------------------------------------------------
    # Account overview
    # ------------------------------------------------------------------

    @api.model
    def _portal_overview_domain(self, figure, today=None):
        """Domain of the documents behind a figure of the account overview of
        the current user's customer; the overview and the portal list filters
        its links open both use it, so a link lists exactly what is counted.

        - "unpaid": unpaid customer documents (balance due, credit notes of
          the unapplied credit);
        - "open": unpaid customer invoices and receipts (``open_count``);
        - "overdue": those in status "overdue" (``overdue_balance``; the
          status is defined by :meth:`_portal_status_domain`).
        """
        commercial_partner = self.env.user.partner_id.commercial_partner_id
        domain = [
            ("state", "=", "posted"),
            ("commercial_partner_id", "=", commercial_partner.id),
            ("payment_state", "in", UNPAID_STATES),
        ]
        if figure == "unpaid":
            return expression.AND(
                [domain, [("move_type", "in", CUSTOMER_DOCUMENT_TYPES)]]
            )
        domain = expression.AND([domain, [("move_type", "in", DUE_MOVE_TYPES)]])
        if figure == "overdue":
            domain = expression.AND(
                [domain, self._portal_status_domain("overdue", today)]
            )
        return domain

    @api.model
    def _portal_overview_scope(self, domain):
        """``(model, domain)``: the documents of ``domain`` the current user
        may read are ``model``'s records of the returned domain. ``domain``
        is one of :meth:`_portal_overview_domain`: posted documents of the
        user's own customer, which the portal company rule (a group rule,
        OR-ed with the others) gives every portal user; for a portal user,
        what the record rules leave of them is what the global rules leave
        (access level, document types, companies, and those of other
        addons), applied here from their cache, in sudo. Unlike a search
        under every rule, this expands no ``child_of`` of the stock follower
        rule: a figure of the account overview costs one query whatever the
        documents. Any other user: ``domain`` under its record rules."""
        if self.env.user._is_portal():
            global_domain = self.env["ir.rule"]._portal_global_domain(self._name)
            # sudo: the record rules that matter are applied in the domain
            return self.sudo(), expression.AND([domain, global_domain])
        return self, domain

    @api.model
    def _portal_overview_query(self, domain):
        """Query of the documents of ``domain`` (one of
        :meth:`_portal_overview_domain`) the current user may read, see
        :meth:`_portal_overview_scope`."""
        model, domain = self._portal_overview_scope(domain)
        return model._search(domain)

    @api.model
    def _portal_account_overview(self):
        """Account overview of the current user's customer, one dict per
        currency, read from its account summary
        (``res.partner._portal_account_summary``, the one source of the
        figures):

        ``{currency_id (res.currency record), balance_due (the balance, net
        of credits), due (owed before credits), overdue_balance,
        unapplied_credit (credit notes and unapplied payments),
        last_payment_date, last_payment_amount, last_payment (the newest
        single payment: id, date, amount, name, url, or False),
        open_count, overdue_count, queried_count}``

        A contact without invoice access gets an empty list.
        """
        partner = self.env.user.partner_id.commercial_partner_id
        return [
            {
                "currency_id": summary["currency"],
                "balance_due": summary["balance"],
                "due": summary["due"],
                "overdue_balance": summary["overdue"],
                "unapplied_credit": summary["credits"],
                "last_payment": summary["last_payment"],
                "last_payment_date": (
                    summary["last_payment"] and summary["last_payment"]["date"]
                ),
                "last_payment_amount": (
                    summary["last_payment"] and summary["last_payment"]["amount"]
                )
                or 0.0,
                "open_count": summary["open_count"],
                "overdue_count": summary["overdue_count"],
                "queried_count": summary["queried_count"],
            }
            for summary in partner._portal_account_summary()
        ]

    # ------------------------------------------------------------------
    # Viewed tracking
    # ------------------------------------------------------------------

    portal_first_view_date = fields.Datetime(
        string="First Viewed On",
        readonly=True,
        copy=False,
        help="First time a portal user opened this document on the portal.",
    )
    portal_first_viewer_id = fields.Many2one(
        comodel_name="res.partner",
        string="First Viewed By",
        readonly=True,
        copy=False,
    )
    portal_last_view_date = fields.Datetime(
        string="Last Viewed On", readonly=True, copy=False
    )
    portal_last_viewer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Last Viewed By",
        readonly=True,
        copy=False,
    )
    portal_viewed = fields.Boolean(
        string="Viewed",
        compute="_compute_portal_viewed",
        search="_search_portal_viewed",
        help="A portal user opened this document on the portal.",
    )

    # A view within this many seconds of the last one, by the same viewer,
    # is the same view (a reload): nothing is written.
    _PORTAL_VIEW_REPEAT_SECONDS = 60

    @api.depends("portal_first_view_date")
    def _compute_portal_viewed(self):
        for move in self:
            move.portal_viewed = bool(move.portal_first_view_date)

    def _search_portal_viewed(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Viewed can only be searched with = or !=."))
        viewed = bool(value) == (operator == "=")
        return [("portal_first_view_date", "!=" if viewed else "=", False)]

    def _portal_register_view(self, user=None):
        """Record that ``user`` (default: the current user) opened the
        document on the portal: only portal users count (not the public user,
        nor back-office users). At most one write per view, none for a reload
        by the same viewer; the first view is logged in the chatter."""
        self.ensure_one()
        user = user or self.env.user
        if not user.share or user._is_public():
            return False
        viewer = user.partner_id
        now = fields.Datetime.now()
        vals = {}
        if not self.portal_first_view_date:
            vals.update(
                {"portal_first_view_date": now, "portal_first_viewer_id": viewer.id}
            )
        last = self.portal_last_view_date
        if (
            vals
            or self.portal_last_viewer_id != viewer
            or not last
            or (now - last).total_seconds() >= self._PORTAL_VIEW_REPEAT_SECONDS
        ):
            vals.update(
                {"portal_last_view_date": now, "portal_last_viewer_id": viewer.id}
            )
        if not vals:
            return False
        # Only a contact its record rules let read the document is a viewer of
        # the customer: a share link forwarded to another customer's contact
        # (or to a narrower contact of this one) opens the page, but neither
        # marks the document viewed nor names that person on it. Asked only
        # when there is something to write (a reload asks nothing).
        if not self.with_user(user)._filtered_access("read"):
            return False
        # A view is the portal's bookkeeping, not a change of the document:
        # its columns are set in SQL, not by a write of the move (which runs
        # the accounting checks and line synchronisation, and changes the
        # write date, on every page view). Nor does a page view wait for a
        # lock: a document being posted or paid at this very moment keeps its
        # previous view (the next view records itself).
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(fname), value)
            for fname, value in vals.items()
        )
        self.env.cr.execute(
            SQL(
                """UPDATE account_move SET %s
                    WHERE id = (SELECT id FROM account_move WHERE id = %s
                                FOR NO KEY UPDATE SKIP LOCKED)""",
                assignments,
                self.id,
            )
        )
        recorded = bool(self.env.cr.rowcount)
        self.invalidate_recordset([*vals, "portal_viewed"])
        if recorded and "portal_first_view_date" in vals:
            # sudo: portal users cannot post on documents; a note (no
            # notification), as the chatter logs
            self.sudo()._message_log(
                body=escape(
                    self.env._(
                        "Viewed on the portal for the first time by %(viewer)s.",
                        viewer=viewer.display_name,
                    )
                ),
                author_id=viewer.id,
            )
        return recorded

    # ------------------------------------------------------------------
    # Portal activity notifications
    # ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        # a customer's comment: posted from the portal by a portal user or
        # through the document's access link (public user)
        if (
            self.env.user.share
            and not self.env.context.get("portal_invoice_query")
            and message.message_type == "comment"
            and not message.subtype_id.internal
        ):
            for move in self:
                move._portal_notify_comment(message)
        return res

    def _portal_notify_comment(self, message):
        self.ensure_one()
        # sudo: the portal user may not read the salesperson nor the company
        move_sudo = self.sudo()
        subject = self.env._(
            "%(author)s commented %(document)s",
            author=message.author_id.display_name or self.env._("A customer"),
            document=move_sudo.display_name,
        )
        body = Markup("<p>%s</p>%s<p><a href='%s'>%s</a></p>") % (
            subject,
            message.body,
            move_sudo.get_base_url() + f"/odoo/account.move/{move_sudo.id}",
            move_sudo.display_name,
        )
        return move_sudo.company_id._portal_activity_notify(
            "comment", move_sudo.invoice_user_id, subject, body
        )

    def _portal_notify_payment(self, amount, currency, payer):
        """Tell each invoice's salesperson that ``payer`` paid ``amount``
        (``currency``) online for the invoices ``self``. Called when a
        payment of a payment transaction is posted; addons with their own
        payment flows may call it too."""
        mails = self.env["mail.mail"]
        # sudo: called from payment flows run by portal or public users
        moves_sudo = self.sudo()
        for (company, salesperson), moves in moves_sudo.grouped(
            lambda m: (m.company_id, m.invoice_user_id)
        ).items():
            subject = self.env._(
                "%(payer)s paid %(amount)s online",
                payer=payer.display_name,
                amount=format_amount(self.env, amount, currency),
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                subject,
                Markup("").join(
                    Markup("<li>%s</li>") % move.display_name for move in moves
                ),
            )
            mails |= company._portal_activity_notify(
                "payment", salesperson, subject, body
            )
        return mails

    # ------------------------------------------------------------------
    # Pay-link QR code on the invoice PDF
    # ------------------------------------------------------------------

    def _portal_pay_qr_shown(self):
        """Whether the invoice PDF shows the pay-link QR code: the company
        turned it on, and a posted customer invoice still has to be paid."""
        self.ensure_one()
        return bool(
            self.company_id.portal_invoice_pay_qr
            and self.state == "posted"
            and self.move_type in ("out_invoice", "out_receipt")
            and not self.currency_id.is_zero(self.amount_residual)
        )

    def _portal_pay_url(self):
        """Absolute URL of the invoice's portal page, where it is paid, with
        its access token (the customer needs no login)."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    def _portal_pay_qr_code(self):
        """PNG data URI of a QR code of :meth:`_portal_pay_url`."""
        self.ensure_one()
        return self.env[
            "report.customer_portal_invoices.report_statement"
        ]._qr_code_data_uri(self._portal_pay_url())

    # ------------------------------------------------------------------
    # Queries (disputes)
    # ------------------------------------------------------------------

    portal_query_ids = fields.One2many(
        comodel_name="account.move.query",
        inverse_name="move_id",
        string="Queries",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    # Stored and indexed: the list filter, the badges, autopay and Make a
    # Payment read it in their domains, no query per row.
    portal_query_state = fields.Selection(
        selection=[
            ("open", "Queried"),
            ("accepted", "Query accepted"),
            ("rejected", "Query rejected"),
        ],
        string="Query",
        compute="_compute_portal_query_state",
        store=True,
        index="btree_not_null",
        copy=False,
        help="Queried: the customer queried the invoice and awaits an answer; "
        "nothing charges it meanwhile. Otherwise the answer of its last query.",
    )
    portal_query_count = fields.Integer(
        compute="_compute_portal_query_count",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    @api.depends("portal_query_ids.state")
    def _compute_portal_query_state(self):
        for move in self:
            # sudo: the queries are read by whoever changes them
            queries = move.sudo().portal_query_ids
            if not queries:
                move.portal_query_state = False
            elif "open" in queries.mapped("state"):
                move.portal_query_state = "open"
            else:
                move.portal_query_state = queries.sorted("id")[-1].state

    def _compute_portal_query_count(self):
        counts = dict(
            self.env["account.move.query"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.portal_query_count = counts.get(move, 0)

    def action_view_portal_queries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_portal_invoices.account_move_query_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id, "create": False}
        return action

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda move: move.move_type == "out_refund")
        if refunds:
            self.env["account.move.query"]._close_by_credit_notes(refunds)
        return posted

    def _portal_query_error(self, user=None):
        """Why ``user`` (default: the current user) may not query this
        invoice from the portal; "" when it may. The one rule of who may
        query what: a contact may query what it may pay, i.e. an open
        customer invoice of a company that allows queries, which its record
        rules let it read (its access level: company, own, a site of
        multi_site_billing), with an invoice access other than none; never
        the public user (a share link opens the document, it names nobody
        to answer). Addons with stricter payment rules extend it."""
        self.ensure_one()
        user = user or self.env.user
        # sudo: the state of the document and its company's setting are read
        # to explain a refusal; whether the user may read it is checked below
        move = self.sudo()
        if not move.company_id.portal_invoice_allow_query:
            return self.env._("Queries on invoices are turned off on the portal.")
        if user._is_public():
            return self.env._("Log in to query this invoice.")
        if not user._is_portal():
            return self.env._("Only customers query invoices from the portal.")
        if not user.partner_id._portal_scope()["may_see"]:
            return self.env._("You are not allowed to query invoices.")
        if not self.with_user(user).sudo(False)._filtered_access("read"):
            return self.env._("You may not query this invoice.")
        if not (
            move.state == "posted"
            and move.move_type in DUE_MOVE_TYPES
            and move.payment_state in UNPAID_STATES
        ):
            return self.env._("Only open invoices can be queried.")
        if move.portal_query_state == "open":
            return self.env._(
                "This invoice is queried already: we will answer the query soon."
            )
        return ""

    def _portal_query_raise(self, reason_id, message, files=(), user=None):
        """``user`` (default: the current one) queries this invoice: the
        query, its message on the invoice's chatter with the files attached,
        an activity for whoever answers.

        :param files: ``(name, content bytes, mimetype)`` of the attachments
        :raise UserError: with a sentence when the user may not query it or
            the request is not valid; nothing is created.
        """
        self.ensure_one()
        user = user or self.env.user
        # One query at a time per invoice: a second request (a double click,
        # another contact) waits for the first, then fails to serialize and
        # is run again by Odoo, and finds the invoice queried already.
        # (no error logged: Odoo runs the request again, as intended)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM account_move WHERE id = %s FOR NO KEY UPDATE",
                self.id,
            ),
            log_exceptions=False,
        )
        error = self._portal_query_error(user=user)
        if error:
            raise UserError(error)
        # sudo: portal users may not create queries, messages nor
        # attachments; what they may query was checked above
        move = self.sudo()
        Reason = self.env["account.move.query.reason"]
        reason_ids = [
            rid for rid, _name in Reason._portal_query_reasons(move.company_id)
        ]
        if reason_id not in reason_ids:
            raise UserError(self.env._("Choose the reason of your query."))
        # what is no text (control characters) is left out
        message = "".join(
            char for char in message or "" if char.isprintable() or char in "\n\t"
        ).strip()
        if not message:
            raise UserError(self.env._("Tell us what is wrong with this invoice."))
        contact = user.partner_id
        query = (
            self.env["account.move.query"]
            .sudo()
            # the contact follows the invoice, not the back-office record
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "move_id": move.id,
                    "partner_id": contact.id,
                    "reason_id": reason_id,
                    "message": message,
                }
            )
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            # stored as the superuser, yet sent by a customer: HTML, SVG and
            # XML as plain text, as Odoo stores a portal user's uploads
            .with_context(attachments_mime_plainxml=True)
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": "account.move",
                        "res_id": move.id,
                    }
                    for name, content, mimetype in files
                ]
            )
        )
        body = Markup("<p><strong>%s</strong></p><p>%s</p>") % (
            self.env._("Query: %(reason)s", reason=query.reason_id.name),
            plaintext2html(message),
        )
        move.with_context(portal_invoice_query=True).message_post(
            body=body,
            author_id=contact.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments.ids,
        )
        query.message_post(
            body=body, author_id=contact.id, attachment_ids=attachments.ids
        )
        return query

    def _portal_query_demo(self, user_xmlid, reason_xmlid, message):
        """Demo data: the portal user ``user_xmlid`` queries the invoices."""
        user = self.env.ref(user_xmlid)
        reason = self.env.ref(reason_xmlid)
        # once: the demo data is loaded again on each update
        for move in self.filtered(lambda m: not m.sudo().portal_query_ids):
            move.with_user(user)._portal_query_raise(reason.id, message, user=user)

    def _portal_query_values(self, user=None):
        """What the invoice page shows about queries, plain values: the
        reasons and whether the current user may query it (and why not),
        and its queries (:meth:`account.move.query._portal_values`)."""
        self.ensure_one()
        # sudo: portal users may not read queries; plain values only
        move = self.sudo()
        error = self._portal_query_error(user=user)
        return {
            "allowed": not error,
            "error": error,
            "queried": move.portal_query_state == "open",
            "reasons": self.env["account.move.query.reason"]._portal_query_reasons(
                move.company_id
            )
            if not error
            else [],
            "queries": move.portal_query_ids._portal_values(),
        }

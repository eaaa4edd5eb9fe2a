# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

# Documents that can fall overdue (credit notes cannot).
OVERDUE_MOVE_TYPES = ("out_invoice", "out_receipt", "in_invoice", "in_receipt")
UNPAID_STATES = ("not_paid", "partial")
PAID_STATES = ("paid", "invoicing_legacy")
CUSTOMER_DOCUMENT_TYPES = ("out_invoice", "out_refund", "out_receipt")
# Customer documents counted as open invoices on the account overview.
OPEN_COUNT_TYPES = ("out_invoice", "out_receipt")


class AccountMove(models.Model):
    _inherit = "account.move"

    # The key of the portal record rules and of every portal domain.
    commercial_partner_id = fields.Many2one(index=True)
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
        help="Payment status shown on the customer portal. A document that is "
        "past its due date and not fully paid is overdue, even when partially "
        "paid.",
    )
    portal_days_overdue = fields.Integer(
        compute="_compute_portal_status",
        help="Days since the due date of an overdue document, 0 otherwise.",
    )

    # ------------------------------------------------------------------
    # Status
    # ------------------------------------------------------------------

    @api.depends("payment_state", "move_type", "invoice_date_due")
    @api.depends_context("tz")
    def _compute_portal_status(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.portal_status = move._portal_status_at(today)
            move.portal_days_overdue = (
                (today - move.invoice_date_due).days
                if move.portal_status == "overdue"
                else 0
            )

    def _portal_status_at(self, today):
        """Status of the document on ``today``; mirrors
        :meth:`_portal_status_domain` (keep both in sync)."""
        self.ensure_one()
        if self.payment_state == "reversed":
            return "reversed"
        if self.payment_state in PAID_STATES:
            return "paid"
        if self.payment_state == "in_payment":
            return "in_payment"
        if (
            self.payment_state in UNPAID_STATES
            and self.move_type in OVERDUE_MOVE_TYPES
            and self.invoice_date_due
            and self.invoice_date_due < today
        ):
            return "overdue"
        if self.payment_state == "partial":
            return "partial"
        return "open"

    @api.model
    def _portal_status_domain(self, status, today=None):
        """Domain on stored fields matching the documents in ``status``."""
        today = today or fields.Date.context_today(self)
        overdue = [
            ("payment_state", "in", UNPAID_STATES),
            ("move_type", "in", OVERDUE_MOVE_TYPES),
            ("invoice_date_due", "<", today),
        ]
        not_overdue = [
            "|",
            "|",
            ("move_type", "not in", OVERDUE_MOVE_TYPES),
            ("invoice_date_due", "=", False),
            ("invoice_date_due", ">=", today),
        ]
        domains = {
            "reversed": [("payment_state", "=", "reversed")],
            "paid": [("payment_state", "in", PAID_STATES)],
            "in_payment": [("payment_state", "=", "in_payment")],
            "overdue": overdue,
            "partial": expression.AND(
                [[("payment_state", "=", "partial")], not_overdue]
            ),
            "open": expression.OR(
                [
                    expression.AND([[("payment_state", "=", "not_paid")], not_overdue]),
                    [("payment_state", "=", "blocked")],
                ]
            ),
        }
        return domains[status]

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
        known = dict(self._fields["portal_status"].selection)
        domain = expression.OR(
            [
                self._portal_status_domain(status, today)
                for status in values
                if status in known
            ]
            or [expression.FALSE_DOMAIN]
        )
        if operator in ("!=", "not in"):
            domain = ["!", *expression.normalize_domain(domain)]
        return domain

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Sort by ``portal_status`` with a CASE expression on stored fields
        (overdue first, then partially paid, open, in payment, paid, reversed)
        so the portal list stays a single paginated query."""
        if field_name != "portal_status":
            return super()._order_field_to_sql(
                alias, field_name, direction, nulls, query
            )
        payment_state = self._field_to_sql(alias, "payment_state", query)
        move_type = self._field_to_sql(alias, "move_type", query)
        date_due = self._field_to_sql(alias, "invoice_date_due", query)
        today = fields.Date.context_today(self)
        rank = SQL(
            """CASE
                WHEN %(state)s = 'reversed' THEN 5
                WHEN %(state)s IN %(paid)s THEN 4
                WHEN %(state)s = 'in_payment' THEN 3
                WHEN %(state)s IN %(unpaid)s AND %(type)s IN %(types)s
                    AND %(due)s < %(today)s THEN 0
                WHEN %(state)s = 'partial' THEN 1
                ELSE 2
            END""",
            state=payment_state,
            paid=PAID_STATES,
            unpaid=UNPAID_STATES,
            type=move_type,
            types=OVERDUE_MOVE_TYPES,
            due=date_due,
            today=today,
        )
        return SQL("%s %s %s", rank, direction, nulls)

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
    def _portal_invoice_access_level(self):
        """Invoice access level of the current user's contact: "none", "own"
        or "company"."""
        return self.env.user.partner_id.portal_invoice_access

    @api.model
    def _portal_overview_domain(self, figure, today=None):
        """Domain of the documents behind a figure of the account overview of
        the current user's customer; the overview and the portal list filters
        its links open both use it, so a link lists exactly what is counted.

        - "unpaid": unpaid customer documents (balance due, credit notes of
          the unapplied credit);
        - "open": unpaid customer invoices and receipts (``open_count``);
        - "overdue": those of them past their due date (``overdue_balance``).
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
        domain = expression.AND([domain, [("move_type", "in", OPEN_COUNT_TYPES)]])
        if figure == "overdue":
            today = today or fields.Date.context_today(self)
            domain = expression.AND([domain, [("invoice_date_due", "<", today)]])
        return domain

    @api.model
    def _portal_account_overview(self):
        """Account overview of the current user's customer, one dict per
        currency, with grouped queries under the user's record rules:

        ``{currency_id (res.currency record), balance_due, overdue_balance,
        unapplied_credit, last_payment_date, last_payment_amount,
        open_count}``

        Customer payments are added only for company-wide contacts (portal
        users cannot read payments); "none" gets an empty list.
        """
        level = self._portal_invoice_access_level()
        if level == "none" or not self.has_access("read"):
            return []
        commercial_partner = self.env.user.partner_id.commercial_partner_id
        # the record rules leave out the document types the portal hides
        figures = {}

        def currency_figures(currency):
            return figures.setdefault(
                currency,
                {
                    "currency_id": currency,
                    "balance_due": 0.0,
                    "overdue_balance": 0.0,
                    "unapplied_credit": 0.0,
                    "last_payment_date": False,
                    "last_payment_amount": 0.0,
                    "open_count": 0,
                },
            )

        open_groups = self._read_group(
            self._portal_overview_domain("unpaid"),
            groupby=["currency_id", "move_type"],
            aggregates=["amount_residual:sum", "__count"],
        )
        for currency, move_type, residual, count in open_groups:
            values = currency_figures(currency)
            if move_type == "out_refund":
                values["unapplied_credit"] += residual
            else:
                values["balance_due"] += residual
                values["open_count"] += count
        overdue_groups = self._read_group(
            self._portal_overview_domain("overdue"),
            groupby=["currency_id"],
            aggregates=["amount_residual:sum"],
        )
        for currency, residual in overdue_groups:
            currency_figures(currency)["overdue_balance"] += residual
        if level == "company":
            self._portal_overview_add_payments(commercial_partner, currency_figures)
        result = []
        for currency, values in figures.items():
            for key in (
                "balance_due",
                "overdue_balance",
                "unapplied_credit",
                "last_payment_amount",
            ):
                values[key] = currency.round(values[key])
            result.append(values)
        company_currency = self.env.company.currency_id
        result.sort(
            key=lambda v: (v["currency_id"] != company_currency, v["currency_id"].name)
        )
        return result

    @api.model
    def _portal_overview_add_payments(self, commercial_partner, currency_figures):
        """Unapplied customer payments and the last payment per currency."""
        company_ids = self.env.companies.ids
        # sudo: portal users cannot read payments nor journal items; the
        # domains restrict the figures to the user's own customer.
        lines = self.env["account.move.line"].sudo()
        unapplied = lines._read_group(
            [
                ("partner_id", "child_of", commercial_partner.id),
                ("company_id", "in", company_ids),
                ("parent_state", "=", "posted"),
                ("payment_id", "!=", False),
                ("account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("amount_residual_currency", "<", 0),
            ],
            groupby=["currency_id"],
            aggregates=["amount_residual_currency:sum"],
        )
        for currency, residual in unapplied:
            values = currency_figures(currency.with_env(self.env))
            values["unapplied_credit"] -= residual
        payments = self.env["account.payment"].sudo()
        payment_domain = [
            ("partner_id", "child_of", commercial_partner.id),
            ("company_id", "in", company_ids),
            ("partner_type", "=", "customer"),
            ("payment_type", "=", "inbound"),
            ("state", "in", ("in_process", "paid")),
        ]
        last_dates = payments._read_group(
            payment_domain, groupby=["currency_id"], aggregates=["date:max"]
        )
        if not last_dates:
            return
        last_amounts = payments._read_group(
            expression.AND(
                [
                    payment_domain,
                    expression.OR(
                        [
                            [("currency_id", "=", currency.id), ("date", "=", date)]
                            for currency, date in last_dates
                        ]
                    ),
                ]
            ),
            groupby=["currency_id"],
            aggregates=["amount:sum"],
        )
        amounts = dict(last_amounts)
        for currency, date in last_dates:
            values = currency_figures(currency.with_env(self.env))
            values["last_payment_date"] = date
            values["last_payment_amount"] = amounts.get(currency, 0.0)

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, str2bool
from odoo.tools.misc import format_date, formatLang

from odoo.addons.customer_portal_invoices.amounts import format_amount
from odoo.addons.customer_portal_invoices.parsing import parse_id

from ..allocation import allocate
from ..amounts import parse_amount

# The most invoices one portal payment may cover.
MAX_INVOICES_PER_PAYMENT = 200
# A custom amount fetches the open invoices it reaches this many at a time.
PAY_CHUNK = 200
PAY_FETCH_FIELDS = [
    "name",
    "state",
    "move_type",
    "payment_state",
    "amount_residual",
    "invoice_date_due",
    "invoice_date",
    "currency_id",
    "company_id",
    "commercial_partner_id",
    "invoice_payment_term_id",
]
# Payment order of the open invoices: the order the engine pays them in.
PAY_ORDER = "invoice_date_due asc, invoice_date asc, id asc"
# Documents a portal user can pay online (as account_payment's
# `_has_to_be_paid`): customer invoices.
PAYABLE_MOVE_TYPES = ("out_invoice",)
# A draft transaction is "fresh" this long: its payer may be on the provider's
# page, about to pay. A draft blocks no person (see
# `_payment_allocation_in_progress_tx_domain`); autopay skips the invoices of a
# fresh one, and the same contact repeating the same payment meanwhile gets it
# back (see `payment.transaction._payment_allocation_reuse_or_supersede`).
DRAFT_TX_FRESH = timedelta(minutes=30)


class AccountMove(models.Model):
    _inherit = "account.move"

    payment_allocation_line_ids = fields.One2many(
        comodel_name="payment.allocation.line",
        inverse_name="move_id",
        string="Online Payment Allocations",
        readonly=True,
    )
    payment_allocation_count = fields.Integer(
        string="Online Payments",
        compute="_compute_payment_allocation_count",
    )

    @api.depends("payment_allocation_line_ids")
    def _compute_payment_allocation_count(self):
        data = dict(
            self.env["payment.allocation.line"]._read_group(
                [("move_id", "in", self.ids)], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.payment_allocation_count = data.get(move, 0)

    def action_view_payment_allocation_lines(self):
        self.ensure_one()
        return {
            "name": self.env._("Online Payment Allocations"),
            "type": "ir.actions.act_window",
            "res_model": "payment.allocation.line",
            "view_mode": "list,form",
            "domain": [("move_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Who may pay what: the one rule every payment route asks
    # ------------------------------------------------------------------

    @api.model
    def _payment_allocation_portal_payment_enabled(self):
        """Odoo's switch "Invoice Online Payment" (account_payment), which
        stock `_has_to_be_paid` checks too."""
        # sudo: system parameters are not readable by portal users
        return str2bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_payment.enable_portal_payment")
        )

    def _payment_allocation_pay_allowed(self):
        """Whether portal users may pay these documents online: the Invoice
        Online Payment switch is on and their companies allow it
        (``portal_invoice_allow_pay``); for no document, the switch alone."""
        if not self._payment_allocation_portal_payment_enabled():
            return False
        # sudo: only the setting of the documents' companies is read
        return all(self.company_id.sudo().mapped("portal_invoice_allow_pay"))

    @api.model
    def _payment_allocation_in_progress_tx_domain(self, fresh_drafts=False):
        """Domain of the transactions that mean "this invoice is being paid":
        pending or authorized, or confirmed but not yet turned into a payment.
        An unconfirmed attempt (draft) of a person blocks nobody: a new
        attempt is always possible, whoever started the draft. A saved method
        charged by the server (autopay, the back office) is stored as a draft
        and sent at once: younger than `DRAFT_TX_FRESH`, it is being sent and
        counts. With ``fresh_drafts`` (autopay,
        which is no person) a draft younger than `DRAFT_TX_FRESH` counts too:
        someone is paying the invoice right now. Manual providers (wire
        transfer) leave the invoice payable online, as in stock
        `_has_to_be_paid`."""
        fresh_since = fields.Datetime.now() - DRAFT_TX_FRESH
        in_progress = [
            "|",
            "|",
            ("state", "in", ("pending", "authorized")),
            "&",
            ("state", "=", "done"),
            ("is_post_processed", "=", False),
            # a saved method charged by the server (autopay, the back office)
            # is stored, then sent: a fresh draft is being sent right now
            "&",
            "&",
            ("operation", "=", "offline"),
            ("state", "=", "draft"),
            ("create_date", ">=", fresh_since),
        ]
        if fresh_drafts:
            in_progress = expression.OR(
                [
                    in_progress,
                    [("state", "=", "draft"), ("create_date", ">=", fresh_since)],
                ]
            )
        return expression.AND(
            [[("provider_code", "not in", ("none", "custom"))], in_progress]
        )

    def _payment_allocation_pending(self):
        """The documents being paid (see the in-progress transaction domain)."""
        domain = self._payment_allocation_in_progress_tx_domain()
        # sudo: portal users cannot read transactions
        return (
            self.sudo()
            .filtered(lambda move: move.transaction_ids.filtered_domain(domain))
            .with_env(self.env)
        )

    def _payment_allocation_is_open(self):
        self.ensure_one()
        return (
            self.state == "posted"
            and self.move_type in PAYABLE_MOVE_TYPES
            and self.payment_state in ("not_paid", "partial")
            and self.currency_id.compare_amounts(self.amount_residual, 0) > 0
        )

    @api.model
    def _payment_allocation_count_error(self, count):
        """The one rule and message of the limit of invoices per payment:
        why a payment of ``count`` invoices cannot be made, "" when it can
        (at most :data:`MAX_INVOICES_PER_PAYMENT`)."""
        if count <= MAX_INVOICES_PER_PAYMENT:
            return ""
        return self.env._(
            "You can pay at most %(max)s invoices in one payment; this one "
            "would pay %(count)s. Select fewer invoices, narrow the filter or "
            "pay a smaller amount.",
            max=MAX_INVOICES_PER_PAYMENT,
            count=count,
        )

    @api.model
    def _payment_allocation_check_count(self, count):
        """Raise :meth:`_payment_allocation_count_error` as a UserError."""
        error = self._payment_allocation_count_error(count)
        if error:
            raise UserError(error)

    def _payment_allocation_closed(self):
        """The documents that cannot be paid online at all: not an open
        customer invoice, or of a type their company does not show on the
        portal."""
        return self.filtered(
            lambda move: (
                not move._payment_allocation_is_open()
                or move.move_type not in move.company_id._portal_invoice_move_types()
            )
        )

    def _payment_allocation_payable_error(self, check_count=True):
        """Why these documents cannot be paid together in one online payment
        now, as a sentence; "" when they can: at least one, at most 200 (with
        ``check_count``), all open customer invoices of a type their company
        shows on the portal, none being paid, one customer, one company, one
        currency."""
        if not self:
            return self.env._("Select at least one invoice to pay.")
        count_error = check_count and self._payment_allocation_count_error(len(self))
        if count_error:
            return count_error
        # sudo: the documents' state and the company settings are read to
        # explain a refusal; which documents the user reaches is checked by
        # the caller (record rules or an access token)
        moves = self.sudo()
        closed = moves._payment_allocation_closed()
        if closed:
            return self.env._(
                "These documents cannot be paid online: %(names)s. Only posted "
                "customer invoices with an amount due can be paid.",
                names=", ".join(closed.mapped("display_name")),
            )
        pending = moves._payment_allocation_pending()
        if pending:
            return self.env._(
                "A payment of these invoices is being processed: %(names)s. "
                "Wait for it to complete before paying them again.",
                names=", ".join(pending.mapped("display_name")),
            )
        if len(moves.currency_id) > 1:
            return self.env._(
                "Invoices in different currencies (%(currencies)s) are paid "
                "separately: select invoices in one currency.",
                currencies=", ".join(moves.currency_id.mapped("name")),
            )
        if len(moves.company_id) > 1:
            return self.env._(
                "Invoices of different companies are paid separately: "
                "select invoices of one company."
            )
        if len(moves.commercial_partner_id) > 1:
            return self.env._("Invoices of different customers are paid separately.")
        return ""

    def _payment_allocation_portal_payment_error(self, user=None, token=None):
        """Why ``user`` (default: the current user) may not pay these
        documents online now, with the saved payment method ``token`` if
        given; "" when allowed.

        This is the one rule of who may pay what with which method: the
        portal pages (pay buttons), the Make a Payment page and every payment
        route (ours and the stock ones we inherit) ask it. Which documents a
        user may reach (record rules, access tokens) is checked before.
        """
        user = user or self.env.user
        if not self._payment_allocation_pay_allowed():
            if len(self) == 1:
                return self.env._("Online payment of this invoice is not available.")
            return self.env._("Online payment of invoices is not available.")
        error = (
            self._payment_allocation_user_error(user, token)
            or self._payment_allocation_payable_error()
        )
        if error:
            return error
        foreign = self._payment_allocation_foreign(user)
        if foreign:
            return self.env._(
                "%(names)s: not one of your invoices. Log out to pay it with its link.",
                names=", ".join(foreign.sudo().mapped("display_name")),
            )
        if token:
            return token._payment_allocation_use_error(user)
        return ""

    @api.model
    def _payment_allocation_user_error(self, user, token=None):
        """The part of the payment rule that depends on the payer only: why
        ``user`` may pay no document online (with the saved method ``token``
        if given), "" when it may pay some."""
        # internal users are the users that are not share (res.users.share):
        # each group is asked once
        public = user.share and user._is_public()
        if public and token:
            return self.env._("Log in to pay with a saved payment method.")
        if user.share and not public and not user.partner_id._portal_scope()["may_pay"]:
            return self.env._("You are not allowed to pay invoices online.")
        return ""

    def _payment_allocation_foreign(self, user):
        """The documents ``user`` (a portal contact) does not read by its
        record rules. A contact pays the documents its record rules give it,
        whatever share link it holds (another site's, another customer's).
        Asked of documents reached in sudo (a share link, a route): those in
        the contact's own environment are read under its rules already (a
        foreign one raises AccessError on its first field read), so a list
        makes no query for it."""
        if (self.env.su or self.env.uid != user.id) and user._is_portal():
            return self - self.with_user(user)._filtered_access("read")
        return self.browse()

    def _payment_allocation_portal_payable(self, user=None):
        """The documents ``user`` (default: the current user) may each pay
        online on its own now, with no saved method: the documents for which
        :meth:`_payment_allocation_portal_payment_error` says "", asked for a
        page of rows at once (the payer's part once, the documents' parts in
        batch)."""
        user = user or self.env.user
        if not self or self._payment_allocation_user_error(user):
            return self.browse()
        companies = self.company_id
        allowed = companies.filtered(
            lambda company: self.filtered(
                lambda move: move.company_id == company
            )._payment_allocation_pay_allowed()
        )
        moves = self.filtered(lambda move: move.company_id in allowed)
        # sudo: as in _payment_allocation_payable_error
        moves_sudo = moves.sudo()
        moves -= (
            moves_sudo._payment_allocation_closed()
            | moves_sudo._payment_allocation_pending()
        ).with_env(self.env)
        return moves - moves._payment_allocation_foreign(user)

    def _payment_allocation_check_portal_payment(self, user=None, token=None):
        """`_payment_allocation_portal_payment_error`, raised as a UserError."""
        error = self._payment_allocation_portal_payment_error(user=user, token=token)
        if error:
            raise UserError(error)

    def _payment_allocation_check_payable(self, check_count=True):
        """Raise a UserError unless the invoices can be paid together in one
        online payment (see `_payment_allocation_payable_error`)."""
        error = self._payment_allocation_payable_error(check_count=check_count)
        if error:
            raise UserError(error)

    def _payment_allocation_lock(self):
        """Lock the invoices a new payment is about to pay, until the end of
        the database transaction: a second payment of the same invoices
        submitted meanwhile is refused at once, not charged twice.

        :raise UserError: when another payment holds them.
        """
        if not self:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                # a lock held elsewhere is expected, not a bad query to log
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM account_move WHERE id IN %s FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except LockNotAvailable:
            raise UserError(
                self.env._(
                    "Another payment of these invoices is being made right now. "
                    "Wait a moment, reload the page and check before paying again."
                )
            ) from None

    def _has_to_be_paid(self):
        """Override of `account_payment`: the Pay buttons and the pay dialog
        follow our payment rule. Stock reads the invoice's transactions, which
        portal users cannot read: it is evaluated in sudo, on a document the
        caller already let the user see."""
        self.ensure_one()
        return bool(self._payment_allocation_pay_now())

    def _payment_allocation_pay_now(self):
        """The documents whose "Pay Now" button shows (`_has_to_be_paid`),
        for a page of rows at once: stock's conditions and our payment rule
        (:meth:`_payment_allocation_portal_payable`)."""
        return self._payment_allocation_portal_payable().filtered(
            lambda move: super(AccountMove, move.sudo())._has_to_be_paid()
        )

    def _get_online_payment_error(self):
        """Override of `account_payment`: say why our payment rule refuses."""
        self.ensure_one()
        # sudo: stock reads the invoice's transactions (see _has_to_be_paid)
        error = super(AccountMove, self.sudo())._get_online_payment_error()
        ours = self._payment_allocation_portal_payment_error()
        return "\n".join(filter(None, [ours, error]))

    # ------------------------------------------------------------------
    # What a portal payment covers: open invoices, selections, amounts
    # ------------------------------------------------------------------

    @api.model
    def _payment_allocation_open_domain(self, commercial_partner):
        """Domain of the invoices of ``commercial_partner`` open for payment.

        Searched with the portal user's environment, the record rules of
        customer_portal_invoices narrow it to what the contact may see. The
        invoices of companies that turned portal payments off and those with
        a payment still being processed are left out."""
        # sudo: only the payment setting of the companies is read; a
        # subquery, not ids
        pay_on_companies = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            ._search([("portal_invoice_allow_pay", "=", True)])
        )
        # sudo: portal users cannot read transactions; a subquery, not ids
        pending = self.sudo()._search(
            [
                ("commercial_partner_id", "=", commercial_partner.id),
                (
                    "transaction_ids",
                    "any",
                    self._payment_allocation_in_progress_tx_domain(),
                ),
            ]
        )
        return [
            ("state", "=", "posted"),
            ("move_type", "in", PAYABLE_MOVE_TYPES),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual", ">", 0),
            ("commercial_partner_id", "=", commercial_partner.id),
            ("company_id", "in", pay_on_companies),
            ("id", "not in", pending),
        ]

    @api.model
    def _payment_allocation_unqueried_domain(self):
        """What the selections made for the customer leave out: the invoices
        it queried (customer_portal_invoices), until the query is answered.
        Select all, pay overdue, a custom amount's allocation and autopay
        skip them; the customer still pays one on purpose (its checkbox, its
        own page)."""
        return [("portal_query_state", "!=", "open")]

    @api.model
    def _payment_allocation_cast_id(self, value):
        """An id sent by the browser as an int, or None when it is not one
        (see `customer_portal_invoices.parsing.parse_id`)."""
        return parse_id(value)

    @api.model
    def _payment_allocation_filter_domain(
        self, currency_id=None, filterby=None, search=None, company_id=None
    ):
        """Domain of the Make a Payment page filters, also used to resolve
        'select all'."""
        cast = self._payment_allocation_cast_id
        domain = []
        if cast(currency_id):
            domain.append(("currency_id", "=", cast(currency_id)))
        if cast(company_id):
            domain.append(("company_id", "=", cast(company_id)))
        if filterby == "overdue":
            domain += self._portal_status_domain("overdue")
        if search and isinstance(search, str):
            domain += ["|", ("name", "ilike", search), ("ref", "ilike", search)]
        return domain

    @api.model
    def _payment_allocation_page_filters(self):
        """The values of the Make a Payment page's ``filterby`` (the first is
        the default); other addons add theirs, with their domain in
        :meth:`_payment_allocation_filter_domain`."""
        return ["all", "overdue"]

    @api.model
    def _payment_allocation_page_data(
        self, currency_id=None, company_id=None, filterby=None, search=None
    ):
        """What the Make a Payment page shows of the current user's customer,
        besides its rows: the open invoices of one currency and one company
        at a time (one payment is in one currency to one company, the
        wanted one, else the current company's, else the first), the other
        (currency, company) groups, and the account figures of the group,
        read from the account summary (``res.partner._portal_account_summary``):
        ``balance`` (open invoices, before credits), ``credit_available``,
        ``net_balance``, ``overdue_balance``; ``count_open`` and
        ``payable_total`` (the invoices open for payment online), and the
        filter's ``domain``, ``filter_count``, ``filter_total``, how many
        invoices "select all" takes (``select_all_count``: queried ones left
        out) and why it cannot pay them (``select_all_error``, "" if it can).
        A fixed number of grouped queries."""
        commercial_partner = self.env.user.partner_id.commercial_partner_id
        base_domain = self._payment_allocation_open_domain(commercial_partner)
        balances = self._read_group(
            base_domain,
            ["currency_id", "company_id"],
            ["amount_residual:sum", "__count"],
            order="currency_id, company_id",
        )
        groups = [(cur, comp) for cur, comp, _total, _count in balances]
        cast = self._payment_allocation_cast_id
        wanted_currency, wanted_company = cast(currency_id), cast(company_id)
        current = self.env.company
        group = (
            next(
                (
                    (cur, comp)
                    for cur, comp in groups
                    if cur.id == wanted_currency
                    and (not wanted_company or comp.id == wanted_company)
                ),
                None,
            )
            or next(
                (
                    (cur, comp)
                    for cur, comp in groups
                    if cur == current.currency_id and comp == current
                ),
                None,
            )
            or (groups[0] if groups else None)
        )
        currency, company = group or (
            self.env["res.currency"],
            self.env["res.company"],
        )
        payable_total, count_open = next(
            (
                (currency.round(total or 0.0), count)
                for cur, comp, total, count in balances
                if (cur, comp) == group
            ),
            (0.0, 0),
        )
        summary = {}
        if group:
            summary = next(
                (
                    row
                    for row in commercial_partner._portal_account_summary(
                        company=company
                    )
                    if row["currency"] == currency
                ),
                {},
            )
        filters = self._payment_allocation_page_filters()
        filterby = filterby if filterby in filters else filters[0]
        domain = base_domain + self._payment_allocation_filter_domain(
            currency.id, filterby, search, company.id
        )
        # one query: the filter's rows, and those "select all" takes (it
        # leaves out the queried invoices, see `_payment_allocation_resolve`)
        filter_count = filter_total = selectable_count = 0
        for query_state, count, total in self._read_group(
            domain, ["portal_query_state"], ["__count", "amount_residual:sum"]
        ):
            filter_count += count
            filter_total += total or 0.0
            if query_state != "open":
                selectable_count += count
        return {
            "currency": currency,
            "currencies": self.env["res.currency"].browse(
                list(dict.fromkeys(cur.id for cur, _comp in groups))
            ),
            "payment_company": company,
            "payment_groups": groups,
            "show_company": len({comp for _cur, comp in groups}) > 1,
            "balance": summary.get("due", 0.0),
            "credit_available": summary.get("credits", 0.0),
            "net_balance": summary.get("balance", 0.0),
            "overdue_balance": summary.get("overdue", 0.0),
            "count_open": count_open,
            "payable_total": payable_total,
            "domain": domain,
            "filter_count": filter_count,
            "filter_total": currency.round(filter_total) if currency else 0.0,
            "select_all_count": selectable_count,
            "filterby": filterby,
            "search": search,
            "max_invoices": MAX_INVOICES_PER_PAYMENT,
            "select_all_error": self._payment_allocation_count_error(selectable_count),
        }

    @api.model
    def _payment_allocation_check_payer(self, user=None):
        """The contact of ``user`` (default: the current one), when it may pay
        invoices online at all; the payment rule then decides per invoice.

        :raise UserError: for the public user, a contact with no invoice
            access, or when online payment is off.
        """
        user = user or self.env.user
        partner = user.partner_id
        if user._is_public() or not partner._portal_scope()["may_pay"]:
            raise UserError(self.env._("You are not allowed to pay invoices online."))
        if not self.browse()._payment_allocation_pay_allowed() or not (
            self.env.company.sudo().portal_invoice_allow_pay
        ):
            raise UserError(self.env._("Online payment of invoices is not available."))
        return partner

    @api.model
    def _payment_allocation_resolve_selection(
        self,
        mode="select",
        invoice_ids=None,
        select_all=False,
        custom_amount=None,
        currency_id=None,
        filterby=None,
        search=None,
        company_id=None,
        apply_credit=False,
    ):
        """The invoices to pay and the custom amount (None: pay them in full),
        recomputed on the server from what the browser asked on the Make a
        Payment page. Only invoices the current user may read (record rules)
        of the user's customer and open for payment are considered.

        :return: ``(invoices, amount)``
        :raise UserError: with a sentence, when the selection is not valid.
        """
        partner = self._payment_allocation_check_payer()
        cast = self._payment_allocation_cast_id
        domain = self._payment_allocation_open_domain(partner.commercial_partner_id)
        if mode == "custom":
            domain = domain + self._payment_allocation_unqueried_domain()
            if cast(company_id):
                domain = domain + [("company_id", "=", cast(company_id))]
            credit = 0.0
            if apply_credit and cast(company_id) and cast(currency_id):
                credit = self._payment_allocation_credit_totals(
                    partner.commercial_partner_id
                ).get(
                    (
                        self.env["res.currency"].browse(cast(currency_id)),
                        self.env["res.company"].browse(cast(company_id)),
                    ),
                    0.0,
                )
            return self._payment_allocation_resolve_custom(
                domain, custom_amount, cast(currency_id), credit=credit
            )
        if mode != "select":
            raise UserError(
                self.env._(
                    "Choose whether you pay selected invoices or a custom amount."
                )
            )
        if select_all:
            domain += self._payment_allocation_filter_domain(
                currency_id, filterby, search, company_id
            )
            domain += self._payment_allocation_unqueried_domain()
            self._payment_allocation_check_count(self.search_count(domain))
            return self.search(domain, order=PAY_ORDER), None
        if not isinstance(invoice_ids, list) or not invoice_ids:
            raise UserError(self.env._("Select at least one invoice to pay."))
        ids = [cast(value) for value in invoice_ids]
        if None in ids:
            raise UserError(self.env._("The selection of invoices is invalid."))
        self._payment_allocation_check_count(len(ids))
        if len(set(ids)) != len(ids):
            raise UserError(
                self.env._("An invoice appears more than once in the selection.")
            )
        invoices = self.search(domain + [("id", "in", ids)], order=PAY_ORDER)
        if len(invoices) != len(ids):
            # Say why, for the documents the user may see; nothing of the others.
            left_out = self.search([("id", "in", ids)]) - invoices
            raise UserError(
                (left_out and left_out._payment_allocation_payable_error())
                or self.env._(
                    "Some of the selected invoices cannot be paid: they are paid "
                    "already or you may not pay them. Reload the page and try again."
                )
            )
        return invoices, None

    @api.model
    def _payment_allocation_overdue_invoices(self):
        """The overdue invoices of the current user's customer that the user
        may see and pay now, in payment order: the overdue documents of the
        account overview and of the overdue counter (customer_portal_invoices)
        that are open for payment."""
        partner = self._payment_allocation_check_payer()
        domain = expression.AND(
            [
                self._payment_allocation_open_domain(partner.commercial_partner_id),
                self._portal_overview_domain("overdue"),
                self._payment_allocation_unqueried_domain(),
            ]
        )
        return self.search(domain, order=PAY_ORDER)

    @api.model
    def _payment_allocation_overdue_summary(self):
        """What "Pay overdue" pays, per currency, in one grouped query:
        list of ``{"currency", "count", "amount", "amount_display"}``; [] when
        the user may not pay online."""
        try:
            partner = self._payment_allocation_check_payer()
        except UserError:
            return []
        domain = expression.AND(
            [
                self._payment_allocation_open_domain(partner.commercial_partner_id),
                self._portal_overview_domain("overdue"),
                self._payment_allocation_unqueried_domain(),
            ]
        )
        company_currency = self.env.company.currency_id
        # what the user may read of them, grouped in one query (see
        # `_portal_overview_scope`: no child_of of the stock follower rule)
        model, domain = self._portal_overview_scope(domain)
        groups = model._read_group(
            domain, ["currency_id"], ["__count", "amount_residual:sum"]
        )
        groups = [(currency.sudo(False), *rest) for currency, *rest in groups]
        # the company's currency first, then by name
        groups.sort(key=lambda group: (group[0] != company_currency, group[0].name))
        return [
            {
                "currency": currency,
                "count": count,
                "amount": currency.round(total),
                "amount_display": self._payment_allocation_format(total, currency),
                "text": (
                    self.env._(
                        "%(count)s overdue invoice (%(amount)s)",
                        count=count,
                        amount=self._payment_allocation_format(total, currency),
                    )
                    if count == 1
                    else self.env._(
                        "%(count)s overdue invoices (%(amount)s)",
                        count=count,
                        amount=self._payment_allocation_format(total, currency),
                    )
                ),
            }
            for currency, count, total in groups
        ]

    @api.model
    def _payment_allocation_resolve_custom(
        self, domain, custom_amount, currency_id, credit=0.0
    ):
        """The open invoices a custom amount reaches, in payment order, and
        the amount: the balance is summed in SQL and only the invoices the
        amount covers are fetched, a chunk at a time. With ``credit`` (open
        credits applied first), the invoices the credits and the amount
        reach together; the amount is at most the balance net of credits."""
        domain = domain + [("currency_id", "=", currency_id)]
        [(count, balance)] = self._read_group(
            domain, [], ["__count", "amount_residual:sum"]
        )
        if not count:
            raise UserError(self.env._("You have no open invoice in this currency."))
        currency = self.env["res.currency"].browse(currency_id)
        amount = parse_amount(self.env, custom_amount, currency)
        balance = currency.round(balance or 0.0)
        credit = min(credit or 0.0, balance)
        if credit and currency.compare_amounts(amount, balance - credit) > 0:
            raise UserError(
                self.env._(
                    "The amount to pay (%(amount)s) is more than your open "
                    "balance net of your credits (%(balance)s).",
                    amount=format_amount(self.env, amount, currency),
                    balance=format_amount(self.env, balance - credit, currency),
                )
            )
        if currency.compare_amounts(amount, balance) > 0:
            raise UserError(
                self.env._(
                    "The amount to pay (%(amount)s) is more than your open "
                    "balance (%(balance)s).",
                    amount=format_amount(self.env, amount, currency),
                    balance=format_amount(self.env, balance, currency),
                )
            )
        invoices = self._payment_allocation_search_reached(
            domain, currency.round(amount + credit), currency, order=PAY_ORDER
        )
        return invoices, amount

    @api.model
    def _payment_allocation_search_reached(
        self, domain, amount, currency, order, chunk=PAY_CHUNK
    ):
        """The invoices of ``domain``, in ``order``, that ``amount`` reaches:
        fetched ``chunk`` at a time until their residuals cover the amount,
        so a small amount does not load every open invoice."""
        ids = []
        covered = 0.0
        offset = 0
        while currency.compare_amounts(covered, amount) < 0:
            moves = self.search_fetch(
                domain, PAY_FETCH_FIELDS, order=order, offset=offset, limit=chunk
            )
            for move in moves:
                ids.append(move.id)
                covered += move._payment_allocation_amount_due()
                if currency.compare_amounts(covered, amount) >= 0:
                    break
            if len(moves) < chunk:
                break
            offset += chunk
        return self.browse(ids)

    def _payment_allocation_amount_due(self):
        """What pays this invoice in full today: its residual or, while the
        early-payment discount of its payment term applies, the discounted
        amount, as account's invoice page offers it
        (`_get_invoice_next_payment_values`)."""
        self.ensure_one()
        if self.invoice_payment_term_id.early_discount and self.payment_state in (
            "not_paid",
            "partial",
        ):
            # sudo: the payment term lines and their matches are read
            values = self.sudo()._get_invoice_next_payment_values()
            if values.get("installment_state") == "epd":
                return self.currency_id.round(values["amount_due"])
        return self.amount_residual

    def _payment_allocation_discount_info(self):
        """The early-payment discount this invoice gets if paid in full today,
        as ``{"amount": discount, "date": last day}``; {} without one."""
        self.ensure_one()
        if not self.invoice_payment_term_id.early_discount:
            return {}
        # sudo: the payment term lines and their matches are read
        values = self.sudo()._get_invoice_next_payment_values()
        if values.get("installment_state") != "epd":
            return {}
        return {
            "amount": values["epd_discount_amount_currency"],
            "date": fields.Date.to_date(values["discount_date"]),
        }

    def _payment_allocation_items(self):
        """The open items handed to the allocation engine: what pays each
        invoice in full today (early-payment discounts included)."""
        return [
            {
                "id": move.id,
                "residual": move._payment_allocation_amount_due(),
                "due_date": move.invoice_date_due,
                "date": move.invoice_date,
            }
            for move in self
        ]

    def _payment_allocation_split(self, amount=None, allow_surplus=False):
        """Split ``amount`` (default: the open total) over the invoices, oldest
        first, with the allocation engine.

        :return: list of ``(invoice, amount)`` in payment order, then
            ``(empty recordset, surplus)`` if a surplus is allowed and left.
        """
        currency = self.currency_id
        currency.ensure_one()
        if amount is None:
            amount = currency.round(
                sum(move._payment_allocation_amount_due() for move in self)
            )
        try:
            pairs = allocate(
                amount,
                self._payment_allocation_items(),
                rounding=currency.rounding,
                allow_surplus=allow_surplus,
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The amount %(amount)s cannot be applied to these invoices.",
                    amount=amount,
                )
            ) from error
        moves = {move.id: move for move in self}
        return [
            (moves[move_id] if move_id else self.browse(), float(part))
            for move_id, part in pairs
        ]

    # ------------------------------------------------------------------
    # Credits: open credit notes and unapplied payments, applied first
    # ------------------------------------------------------------------

    def _payment_allocation_receivable_lines(self):
        """The open receivable (payment term) lines of these invoices."""
        # sudo: journal items are read to reconcile; the caller checked access
        return (
            self.sudo()
            .line_ids.filtered(
                lambda line: (
                    line.display_type == "payment_term"
                    and not line.reconciled
                    and line.account_id.account_type == "asset_receivable"
                )
            )
            .with_env(self.env)
        )

    @api.model
    def _payment_allocation_credit_domain(self, commercial_partner, currency, company):
        """Domain of the customer's open credits in ``currency`` at
        ``company``: the credit side of posted receivable journal items not
        yet reconciled, that is open credit notes and customer payments not
        matched with an invoice (the "Outstanding credits" of the invoice
        form)."""
        return self._payment_allocation_credit_base_domain(commercial_partner) + [
            ("company_id", "=", company.id),
            ("currency_id", "=", currency.id),
        ]

    @api.model
    def _payment_allocation_credit_base_domain(self, commercial_partner):
        """Domain of the open credits of ``commercial_partner`` the current
        user may apply. A contact with access to the whole company's invoices
        applies all of them; a narrower contact (own documents, sites) only
        the credit notes its record rules let it see, no payment: it learns
        nothing of the others' credits."""
        domain = [
            ("partner_id", "child_of", commercial_partner.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("amount_residual_currency", "<", 0),
        ]
        user = self.env.user
        if user._is_internal() or user.partner_id._portal_scope()["company_wide"]:
            return domain
        # the user's record rules apply to this subquery
        visible_refunds = self._search(
            [
                ("move_type", "=", "out_refund"),
                ("commercial_partner_id", "=", commercial_partner.id),
            ]
        )
        return domain + [("move_id", "in", visible_refunds)]

    @api.model
    def _payment_allocation_credit_totals(self, commercial_partner):
        """Open credit of ``commercial_partner`` per (currency, company), in
        one grouped query: ``{(currency, company): amount}``."""
        # sudo: portal users cannot read journal items; the domain is the
        # user's own customer
        lines = self.env["account.move.line"].sudo()
        domain = self._payment_allocation_credit_base_domain(commercial_partner)
        return {
            (currency.with_env(self.env), company.with_env(self.env)): (
                currency.round(-residual)
            )
            for currency, company, residual in lines._read_group(
                domain,
                ["currency_id", "company_id"],
                ["amount_residual_currency:sum"],
            )
        }

    def _payment_allocation_credit_lines(self):
        """The open credits these invoices may be paid with: credit lines of
        their customer, currency, company and receivable account, oldest
        first (in sudo). Empty when the invoices are of several of them."""
        if (
            not self
            or len(self.commercial_partner_id) > 1
            or len(self.currency_id) > 1
            or len(self.company_id) > 1
        ):
            return self.env["account.move.line"]
        accounts = self._payment_allocation_receivable_lines().account_id
        if len(accounts) != 1:
            return self.env["account.move.line"]
        domain = self._payment_allocation_credit_domain(
            self.commercial_partner_id, self.currency_id, self.company_id
        ) + [("account_id", "=", accounts.id)]
        # sudo: portal users cannot read journal items (nor payments): the
        # lines stay in sudo, read and reconciled by our code only
        return self.env["account.move.line"].sudo().search(domain, order="date, id")

    def _payment_allocation_credit_plan(self, amount=None, use_credit=True):
        """How a payment of these invoices (in payment order, open) is made:
        the open credits first, oldest invoice first, then the charge.

        With credits, what pays an invoice is its residual (a partly paid
        invoice loses its early-payment discount, as in stock Odoo); the
        others are charged their amount due today (discount included).

        :param amount: the amount to charge (custom amount), None to pay the
            invoices in full.
        :return: dict with ``credit_lines``, ``credit_available``, ``credit``
            (the amount applied from credits), ``credit_pairs`` and
            ``charge_pairs`` (lists of ``(invoice, amount)``) and ``charge``
            (the amount to charge).
        :raise UserError: when the amount cannot be applied.
        """
        currency = self.currency_id
        currency.ensure_one()
        credit_lines = (
            self._payment_allocation_credit_lines()
            if use_credit
            else self.env["account.move.line"]
        )
        available = currency.round(
            -sum(credit_lines.mapped("amount_residual_currency"))
        )
        open_total = currency.round(sum(self.mapped("amount_residual")))
        credit = min(available, open_total)
        credit_pairs = []
        if currency.compare_amounts(credit, 0) > 0:
            credit_pairs = allocate(
                credit,
                [
                    {
                        "id": move.id,
                        "residual": move.amount_residual,
                        "due_date": move.invoice_date_due,
                        "date": move.invoice_date,
                    }
                    for move in self
                ],
                rounding=currency.rounding,
            )
        by_id = {move.id: move for move in self}
        credited = {move_id: float(part) for move_id, part in credit_pairs}
        rest = []
        for move in self:
            if move.id in credited:
                left = currency.round(move.amount_residual - credited[move.id])
            else:
                left = move._payment_allocation_amount_due()
            if currency.compare_amounts(left, 0) > 0:
                rest.append(
                    {
                        "id": move.id,
                        "residual": left,
                        "due_date": move.invoice_date_due,
                        "date": move.invoice_date,
                    }
                )
        charge_pairs = []
        if amount is None:
            charge_pairs = [(item["id"], item["residual"]) for item in rest]
        elif rest:
            try:
                charge_pairs = allocate(amount, rest, rounding=currency.rounding)
            except ValueError as error:
                raise UserError(
                    self.env._(
                        "The amount to pay (%(amount)s) is more than what is left "
                        "to pay on your invoices after your credits (%(left)s).",
                        amount=format_amount(self.env, amount, currency),
                        left=format_amount(
                            self.env, sum(item["residual"] for item in rest), currency
                        ),
                    )
                ) from error
        elif amount:
            raise UserError(
                self.env._("Your credits already pay these invoices in full.")
            )
        charge_pairs = [(by_id[move_id], float(part)) for move_id, part in charge_pairs]
        return {
            "credit_lines": credit_lines,
            "credit_available": available,
            "credit": currency.round(credit) if credit_pairs else 0.0,
            "credit_pairs": [
                (by_id[move_id], float(part)) for move_id, part in credit_pairs
            ],
            "charge_pairs": charge_pairs,
            "charge": currency.round(sum(part for _move, part in charge_pairs)),
        }

    def _payment_allocation_apply_credit(self, plan, user=None):
        """Apply the credits of ``plan`` (see `_payment_allocation_credit_plan`)
        to these invoices: reconcile the credit lines with each invoice in
        turn, oldest first, so each receives what the engine allocated. No
        money moves. The invoices and the credit lines are locked first, and
        the payment rule decides whether ``user`` may (as for paying).

        :raise UserError: when another payment holds them, or the rule refuses.
        """
        if not plan["credit_pairs"]:
            return
        self._payment_allocation_lock()
        self._payment_allocation_check_portal_payment(user=user)
        credit_lines = plan["credit_lines"].sudo()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM account_move_line WHERE id IN %s "
                        "FOR UPDATE NOWAIT",
                        tuple(credit_lines.ids),
                    ),
                    log_exceptions=False,
                )
        except LockNotAvailable:
            raise UserError(
                self.env._(
                    "Your credits are being applied by another payment right now. "
                    "Wait a moment, reload the page and check before paying again."
                )
            ) from None
        # Read again under the locks: nothing applied twice.
        credit_lines.invalidate_recordset(["amount_residual_currency", "reconciled"])
        currency = self.currency_id
        available = -sum(
            credit_lines.filtered(lambda line: not line.reconciled).mapped(
                "amount_residual_currency"
            )
        )
        if currency.compare_amounts(available, plan["credit"]) < 0:
            raise UserError(
                self.env._(
                    "Your credits changed meanwhile. Reload the page and try again."
                )
            )
        groups = [
            credit_lines + move._payment_allocation_receivable_lines().sudo()
            for move, _part in plan["credit_pairs"]
        ]
        self.env["account.move.line"].sudo()._reconcile_plan([groups])

    # ------------------------------------------------------------------
    # Display: amounts and dates in the user's language
    # ------------------------------------------------------------------

    @api.model
    def _payment_allocation_format(self, amount, currency, symbol=True):
        """``amount`` formatted by ``currency`` (decimal places, symbol) and
        the user's language (separators): every amount the payment page
        shows, and the prefill of amount inputs (``symbol=False``)."""
        if symbol:
            return format_amount(self.env, amount, currency)
        return formatLang(self.env, amount, digits=currency.decimal_places)

    @api.model
    def _payment_allocation_format_date(self, date):
        """``date`` formatted by the user's language, as the page shows it."""
        return format_date(self.env, date) if date else ""

    def _payment_allocation_payment_plan(self, amount=None, use_credit=False):
        """The plan of a portal payment of these invoices (see
        `_payment_allocation_credit_plan`), after checking they can be paid
        together and that the charge covers at most the limit of invoices."""
        self._payment_allocation_check_payable(check_count=amount is None)
        plan = self._payment_allocation_credit_plan(amount, use_credit=use_credit)
        self._payment_allocation_check_count(len(plan["charge_pairs"]))
        return plan

    def _payment_allocation_plan_display(self, plan):
        """The plan as the page shows it: every amount and date preformatted
        in the user's language."""
        currency = self.currency_id
        fmt = self._payment_allocation_format
        credits = dict(plan["credit_pairs"])
        charges = dict(plan["charge_pairs"])
        lines = []
        for move in self:
            if move not in credits and move not in charges:
                continue
            credit = credits.get(move, 0.0)
            charge = charges.get(move, 0.0)
            due = (
                move.amount_residual
                if credit
                else move._payment_allocation_amount_due()
            )
            discount = {} if credit else move._payment_allocation_discount_info()
            lines.append(
                {
                    "id": move.id,
                    "name": move.name,
                    "due_date": self._payment_allocation_format_date(
                        move.invoice_date_due
                    ),
                    "residual_display": fmt(due, currency),
                    "credit": credit,
                    "credit_display": fmt(credit, currency) if credit else "",
                    "amount": charge,
                    "amount_display": fmt(charge, currency),
                    "discount_display": (
                        fmt(discount["amount"], currency) if discount else ""
                    ),
                    "partial": currency.compare_amounts(credit + charge, due) < 0,
                }
            )
        return {
            "currency_id": currency.id,
            "amount": plan["charge"],
            "amount_display": fmt(plan["charge"], currency),
            "credit": plan["credit"],
            "credit_display": fmt(plan["credit"], currency),
            "credit_available": plan["credit_available"],
            "credit_available_display": fmt(plan["credit_available"], currency),
            "count": len(lines),
            "lines": lines,
        }

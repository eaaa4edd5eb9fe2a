# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading

from markupsafe import Markup
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, Query

from .account_move import CUSTOMER_DOCUMENT_TYPES, DUE_MOVE_TYPES
from .res_company import PORTAL_INVOICE_ACCESS_LEVELS

# Aging buckets of the account summary and the statement: key, label,
# lowest and highest number of days past due.
AGING_BUCKETS = (
    ("current", "Current", None, 0),
    ("1_30", "1-30", 1, 30),
    ("31_60", "31-60", 31, 60),
    ("61_90", "61-90", 61, 90),
    ("90_plus", "90+", 91, None),
)


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

    # The customer's whole receivable and payable (stock): reading them is
    # refused by their groups, searching on them must be too, or a portal
    # contact bisects the figure with search_count.
    credit = fields.Monetary(search="_search_credit")
    debit = fields.Monetary(search="_search_debit")

    portal_query_count = fields.Integer(
        string="Invoice Queries",
        compute="_compute_portal_query_count",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    def _compute_portal_query_count(self):
        counts = dict(
            self.env["account.move.query"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.portal_query_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_portal_queries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_portal_invoices.account_move_query_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"create": False}
        return action

    @api.model
    def _search_credit(self, operator, operand):
        self.check_field_access_rights("read", ["credit"])
        return self._credit_search(operator, operand)

    @api.model
    def _search_debit(self, operator, operand):
        self.check_field_access_rights("read", ["debit"])
        return self._debit_search(operator, operand)

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

    def _portal_scope(self):
        """What the contact ``self`` may do on the portal, the one answer
        every record rule, route and template asks (no compare of the access
        level elsewhere), as plain values:

        - ``level``: its portal invoice access (none / own / company, and
          the levels of other addons);
        - ``customer_id``: its commercial partner;
        - ``may_see``: it sees invoices at all;
        - ``company_wide``: it sees every document of its customer (and its
          payments, unapplied credits, account as a whole);
        - ``own_documents``: it sees the documents addressed to it (level
          own);
        - ``sites_only`` and ``site_ids``: it is limited to the documents
          of these sites (multi_site_billing);
        - ``may_pay``: it may pay invoices online (what it sees; the payment
          rule then decides per invoice);
        - ``may_manage_methods``: it may open Payment Methods and save,
          delete or choose a saved method (none of that without invoice
          access);
        - ``shares_methods``: it may use the methods saved by the other
          contacts of its customer (when the company shares them).
        """
        self.ensure_one()
        # sudo: the contact's own access settings
        partner = self.sudo()
        level = partner.portal_invoice_access or "none"
        may_see = level != "none"
        company_wide = level == "company"
        return {
            "level": level,
            "customer_id": partner.commercial_partner_id.id,
            "may_see": may_see,
            "company_wide": company_wide,
            "own_documents": level == "own",
            "sites_only": False,
            "site_ids": [],
            "may_pay": may_see,
            "may_manage_methods": may_see,
            "shares_methods": company_wide,
        }

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
        scope = self._portal_scope()
        if scope["own_documents"]:
            partner_domain = [("partner_id", "child_of", self.id)]
        elif scope["company_wide"]:
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

    def _portal_payment_rule_domain(self):
        """Domain on ``account.payment`` of the payments the current (portal)
        user, whose contact is ``self``, may read (the payment history):

        - company: the customer payments of the contact's commercial partner;
        - own: the payments of the contact itself, and those that paid only
          documents addressed to the contact (never a sibling's);
        - none, and any other level (e.g. the "site" level of
          multi_site_billing): nothing;

        always limited to the received, confirmed customer payments. It reads
        the same fields as the invoice rules, whose cache key
        (``_portal_invoice_rule_key``) covers it.
        """
        self.ensure_one()
        if self.env.user._is_public():
            return expression.FALSE_DOMAIN
        scope = self._portal_scope()
        if scope["company_wide"]:
            partner_domain = [
                ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id)
            ]
        elif scope["own_documents"]:
            own_documents = [("partner_id", "child_of", self.id)]
            partner_domain = expression.OR(
                [
                    [("partner_id", "child_of", self.id)],
                    [
                        ("invoice_ids", "any", own_documents),
                        ("invoice_ids", "not any", ["!", *own_documents]),
                    ],
                ]
            )
        else:
            return expression.FALSE_DOMAIN
        return expression.AND(
            [partner_domain, self.env["account.payment"]._portal_payment_domain()]
        )

    # ------------------------------------------------------------------
    # Statement of account (monthly run)
    # ------------------------------------------------------------------

    portal_statement_monthly = fields.Boolean(
        string="Monthly Statement",
        help="E-mail this customer its statement of account of the previous "
        "month, early each month.",
    )
    portal_statement_last_date = fields.Date(
        string="Last Monthly Statement",
        readonly=True,
        copy=False,
        help="End of the period of the last monthly statement sent.",
    )

    def _portal_statement_send(self, date_from, date_to, template=None):
        """E-mail each customer of ``self`` its statement of account for the
        period, PDF attached, and keep the message in its chatter.

        :return: the customers it was sent to (those with an e-mail address)
        """
        template = template or self.env.ref(
            "customer_portal_invoices.mail_template_customer_statement"
        )
        report = self.env["report.customer_portal_invoices.report_statement"]
        date_from, date_to = report._statement_parse_dates(date_from, date_to)
        partners = self.commercial_partner_id.filtered("email")
        if not partners:
            return partners
        rendered = {
            fname: template._render_field(fname, partners.ids, compute_lang=True)
            for fname in ("subject", "body_html")
        }
        for partner in partners:
            pdf = report._statement_render_pdf(partner, date_from, date_to)
            filename = "{}.pdf".format(
                self.env._(
                    "Statement %(date_from)s - %(date_to)s",
                    date_from=fields.Date.to_string(date_from),
                    date_to=fields.Date.to_string(date_to),
                )
            )
            partner.message_post(
                body=rendered["body_html"][partner.id],
                subject=rendered["subject"][partner.id],
                partner_ids=partner.ids,
                attachments=[(filename, pdf)],
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        return partners

    @api.model
    def _cron_portal_statement_monthly(self):
        # commit after each customer, except in tests (as mail's queue does)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        return self._portal_statement_monthly_run(auto_commit=auto_commit)

    @api.model
    def _portal_statement_monthly_run(
        self, today=None, auto_commit=False, customers=None
    ):
        """Send the statement of the previous month to every customer who
        opted in and has not received it yet: running it twice sends
        nothing more. One customer is one unit of work: locked (a run on
        another server sending it meanwhile holds the lock and this run skips
        it), read again, sent, marked as sent and, with ``auto_commit``,
        committed; a run killed midway leaves the customers done marked, and
        the next run sends the others.

        :param customers: only these customers (default: all)
        :return: the customers it was sent to
        """
        today = today or fields.Date.context_today(self)
        date_to = fields.Date.subtract(today.replace(day=1), days=1)
        date_from = date_to.replace(day=1)
        partners = self.search(
            [
                ("portal_statement_monthly", "=", True),
                *([("id", "in", customers.ids)] if customers is not None else []),
                "|",
                ("portal_statement_last_date", "=", False),
                ("portal_statement_last_date", "<", date_to),
            ]
        ).commercial_partner_id.filtered(
            lambda p: (
                not p.portal_statement_last_date
                or p.portal_statement_last_date < date_to
            )
        )
        sent = self.browse()
        for partner in partners:
            if not partner._portal_statement_lock_unsent(date_to):
                continue
            sent |= partner._portal_statement_send(date_from, date_to)
            # the partners without e-mail are not retried every day either
            partner.portal_statement_last_date = date_to
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return sent

    def _portal_statement_lock_unsent(self, date_to):
        """Lock this customer until the end of the transaction, if no other
        transaction holds it and its statement up to ``date_to`` is still to
        send (read again under the lock).

        :return: whether this transaction sends it
        """
        self.ensure_one()
        self.flush_recordset(["portal_statement_last_date"])
        query = SQL(
            "SELECT id FROM res_partner WHERE id = %s AND "
            "(portal_statement_last_date IS NULL "
            "OR portal_statement_last_date < %s) "
            "FOR UPDATE SKIP LOCKED",
            self.id,
            date_to,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                # a concurrent change is expected, not a bad query to log
                self.env.cr.execute(query, log_exceptions=False)
                row = self.env.cr.fetchone()
        except SerializationFailure:
            # changed by another transaction since this one began
            return False
        if not row:
            return False
        self.invalidate_recordset(["portal_statement_last_date"])
        return True

    # ------------------------------------------------------------------
    # Portal activity notifications
    # ------------------------------------------------------------------

    def _portal_notify_details_change(self, values):
        """Tell the customer's salesperson that the portal user whose contact
        is ``self`` changes its details to ``values`` (only the fields that
        change are listed)."""
        self.ensure_one()
        # sudo: the portal user may not read its salesperson nor its company
        partner_sudo = self.sudo()
        changes = []
        for fname, value in values.items():
            field = partner_sudo._fields.get(fname)
            if not field:
                continue
            old = partner_sudo[fname]
            if field.type == "many2one":
                old = old.id
            if str(old or "") != str(value or ""):
                changes.append(field._description_string(self.env))
        if not changes:
            return self.env["mail.mail"]
        commercial = partner_sudo.commercial_partner_id
        subject = self.env._(
            "%(contact)s (%(customer)s) changed their details on the portal",
            contact=partner_sudo.display_name,
            customer=commercial.display_name,
        )
        body = Markup("<p>%s</p><p>%s</p>") % (
            subject,
            self.env._("Changed: %(fields)s", fields=", ".join(sorted(changes))),
        )
        company = partner_sudo.company_id or self.env.company
        return company._portal_activity_notify(
            "details", commercial.user_id or partner_sudo.user_id, subject, body
        )

    # ------------------------------------------------------------------
    # Account summary: the one source of a customer's figures
    # ------------------------------------------------------------------

    def _portal_account_summary(self, contact=None, date=None, company=None):
        """The account summary of the customer ``self`` (its commercial
        partner is used) as ``contact`` sees it (default: the current user's
        contact; an internal user sees the whole customer), as at ``date``
        (default: now), in ``company`` (default: the current companies), one
        dict per currency, company currency first:

        ``{"currency": res.currency, "balance", "balance_company", "due",
        "credits", "unapplied_payments", "overdue", "open_count",
        "overdue_count", "queried_count",
        "aging": {bucket key: amount}, "last_payment": {"id", "date",
        "amount", "name", "url"} or False}``

        - ``balance``: what the customer owes in the currency, net of its
          credits: the open amount of its receivable journal items in scope.
          For a company-wide contact (or an internal user), all of them: the
          residual of the customer's open receivable lines in the currency,
          and ``balance_company`` (their residual in the company currency;
          summed over the currencies, Odoo's ``res.partner.credit``). For a
          narrower contact, those of the documents its record rules let it
          read. As at a past date, each item's amount less its
          reconciliations dated on or before ``date``.
        - ``due``: the open amount owed (invoices, receipts, debit entries);
          ``credits``: the open credits (credit notes, unapplied payments),
          ``unapplied_payments`` among them; ``balance = due - credits``.
        - ``overdue``: the open amount of the documents in portal status
          "overdue" (``account.move._portal_status_domain``) on ``date``.
        - ``aging``: ``balance`` by days past the items' due dates
          (:data:`AGING_BUCKETS`); the buckets add up to ``balance``.
        - ``open_count``: open customer invoices and receipts;
          ``overdue_count``: those of them in portal status "overdue" (the
          documents of ``overdue``);
          ``queried_count``: open documents with an open query (a flag,
          ``account.move._portal_status_domain("queried")``).
        - ``last_payment``: the newest single payment the contact may read
          (the payment history's record rules), on or before ``date``.

        A constant number of queries (two: the ids of the customer's
        contacts and the figures; and one read of the currencies), whatever
        the number of documents; an empty list for a contact without
        invoice access.
        """
        # the figures are those the user may see: never in sudo (records
        # reached through env.user are); sudo: only the id of the customer is
        # read (no record rule of contacts to evaluate)
        partner = self.sudo(False).browse(self.sudo().commercial_partner_id.id)
        self = partner  # noqa: PLW0642
        user = self.env.user
        if contact and contact != user.partner_id:
            # the figures of another contact: computed with its rights
            contact_user = contact.sudo().user_ids.filtered("share")[:1]
            if contact_user:
                return partner.with_user(contact_user)._portal_account_summary(
                    date=date, company=company
                )
        partner.ensure_one()
        Move = self.env["account.move"]
        company_wide = self._portal_account_summary_company_wide(partner)
        if not company_wide and (
            user._is_public()
            or not user.partner_id._portal_scope()["may_see"]
            or user.partner_id.commercial_partner_id != partner
            or not Move.has_access("read")
        ):
            return []
        company_ids = company.ids if company else self.env.companies.ids
        today = fields.Date.context_today(self)
        as_of = date if date and date < today else None
        cutoff = date or None
        # The ids of the customer's contacts and addresses (inactive ones
        # included) and of the receivable accounts, read first and written
        # into the summary's query as values: PostgreSQL then knows from its
        # statistics how many items they select (thousands for a big
        # customer: one pass over the documents; a few for a small one: an
        # index lookup each), which it cannot guess through subqueries. With
        # the company currency, in one query. sudo: ids only, no record read.
        contacts = (
            self.sudo()
            .with_context(active_test=False)
            ._search([("commercial_partner_id", "=", partner.id)])
        )
        receivable = (
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            ._search([("account_type", "=", "asset_receivable")])
        )
        self.env.cr.execute(
            SQL(
                """SELECT ARRAY(%s), ARRAY(%s),
                          (SELECT currency_id FROM res_company WHERE id = %s)""",
                contacts.subselect(),
                receivable.subselect(),
                self.env.company.id,
            )
        )
        contact_ids, receivable_ids, company_currency_id = self.env.cr.fetchone()
        line_domain = [
            # the customer's items (its contacts' and addresses' included)
            ("partner_id", "in", contact_ids),
            ("company_id", "in", company_ids),
            ("parent_state", "=", "posted"),
            ("account_id", "in", receivable_ids),
        ]
        if not company_wide:
            documents = Move._portal_overview_query(
                [
                    ("state", "=", "posted"),
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "in", CUSTOMER_DOCUMENT_TYPES),
                ]
            )
            line_domain.append(("move_id", "in", documents))
        if as_of is None:
            line_domain.append(("reconciled", "=", False))
        if cutoff:
            line_domain.append(("date", "<=", cutoff))
        for model in ("account.move.line", "account.move", "account.payment"):
            self.env[model].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        # sudo: portal users cannot read journal items; the domain is the
        # customer's receivable, narrowed to the documents the user reads.
        # Its conditions apply to the summary's own scan of the items (alias
        # "l"), not through a subquery of their ids: one pass over the lines
        Line = self.env["account.move.line"].sudo()
        lines = Query(self.env, "l", SQL.identifier(Line._table))
        expression.expression(line_domain, Line, "l", lines)
        Payment = self.env["account.payment"]
        if company_wide:
            # sudo: the customer's payments, which the payment history's
            # record rules give a company-wide contact anyway (no rule of
            # contacts to expand)
            Payment = Payment.sudo()
        payments = Payment._search(
            [
                *Payment._portal_payment_domain(),
                ("partner_id", "in", contact_ids),
                ("company_id", "in", company_ids),
                *([("date", "<=", cutoff)] if cutoff else []),
            ]
        )
        self.env.cr.execute(
            self._portal_account_summary_sql(lines, payments, as_of, date or today)
        )
        rows = self.env.cr.dictfetchall()
        # one read of the currencies, the company's among them
        currencies = self.env["res.currency"].browse(
            [*(row["currency_id"] for row in rows), company_currency_id]
        )
        company_currency = currencies[-1]
        currencies = currencies[:-1]
        result = []
        for row, currency in zip(rows, currencies, strict=True):
            figures = {
                key: currency.round(float(row[key] or 0.0))
                for key in (
                    "balance",
                    "due",
                    "credits",
                    "unapplied_payments",
                    "overdue",
                )
            }
            figures["balance_company"] = company_currency.round(
                float(row["balance_company"] or 0.0)
            )
            figures["aging"] = {
                key: currency.round(float(row[f"aging_{key}"] or 0.0))
                for key, _label, _low, _high in AGING_BUCKETS
            }
            last_payment = False
            if row["payment_id"]:
                last_payment = {
                    "id": row["payment_id"],
                    "date": row["payment_date"],
                    "amount": currency.round(float(row["payment_amount"])),
                    "name": row["payment_name"] or "",
                    "url": f"/my/payments/{row['payment_id']}",
                }
            result.append(
                {
                    "currency": currency,
                    **figures,
                    "open_count": row["open_count"] or 0,
                    "overdue_count": row["overdue_count"] or 0,
                    "queried_count": row["queried_count"] or 0,
                    "last_payment": last_payment,
                }
            )
        result.sort(
            key=lambda v: (v["currency"] != company_currency, v["currency"].name)
        )
        return result

    @api.model
    def _portal_account_summary_company_wide(self, partner):
        """Whether the current user sees the whole account of ``partner``
        (a commercial partner): internal users, and its contacts with
        company-wide invoice access; any other level sees the documents its
        record rules give."""
        user = self.env.user
        if user._is_internal():
            return True
        scope = user.partner_id._portal_scope()
        return scope["company_wide"] and scope["customer_id"] == partner.id

    @api.model
    def _portal_account_summary_sql(self, lines, payments, as_of, date):
        """The one query of :meth:`_portal_account_summary`: the figures of
        the journal items ``lines`` (a Query on the alias ``l``) per
        currency, open as at ``as_of`` (None: now, their residual), aged and
        overdue on ``date``, joined with the newest payment of ``payments``
        (a Query)."""
        Move = self.env["account.move"]
        if as_of is None:
            open_amount = SQL("l.amount_residual_currency")
            # the status of each document, as the list shows it
            overdue = Move._portal_domain_sql(
                Move._portal_status_domain("overdue", date), "m"
            )
        else:
            open_amount = SQL(
                """l.amount_currency
                - COALESCE((SELECT SUM(p.debit_amount_currency)
                              FROM account_partial_reconcile p
                             WHERE p.debit_move_id = l.id
                               AND p.max_date <= %(as_of)s), 0)
                + COALESCE((SELECT SUM(p.credit_amount_currency)
                              FROM account_partial_reconcile p
                             WHERE p.credit_move_id = l.id
                               AND p.max_date <= %(as_of)s), 0)""",
                as_of=as_of,
            )
            # the status definition, its payment state read as at the date:
            # a customer invoice or receipt open then and past its due date
            overdue = SQL(
                "m.move_type IN %s AND m.invoice_date_due < %s",
                DUE_MOVE_TYPES,
                date,
            )
        days = SQL("(%s::date - COALESCE(i.date_maturity, i.date))", date)
        buckets = []
        for key, _label, low, high in AGING_BUCKETS:
            if low is None:
                condition = SQL("%s <= %s", days, high)
            elif high is None:
                condition = SQL("%s >= %s", days, low)
            else:
                condition = SQL("%s BETWEEN %s AND %s", days, low, high)
            buckets.append(
                SQL(
                    "SUM(i.open) FILTER (WHERE %s) AS %s",
                    condition,
                    SQL.identifier(f"aging_{key}"),
                )
            )
        return SQL(
            """WITH items AS (
                   SELECT l.currency_id, l.move_id, l.date, l.date_maturity,
                          l.amount_residual, m.move_type,
                          %(overdue)s AS overdue, %(queried)s AS queried,
                          %(open)s AS open
                     FROM %(lines_from)s
                     JOIN account_move m ON m.id = l.move_id
                    WHERE %(lines_where)s
               ), figures AS (
                   SELECT i.currency_id,
                          SUM(i.open) AS balance,
                          %(balance_company)s AS balance_company,
                          SUM(i.open) FILTER (WHERE i.open > 0) AS due,
                          -SUM(i.open) FILTER (WHERE i.open < 0) AS credits,
                          -SUM(i.open) FILTER (WHERE i.open < 0
                              AND i.move_type = 'entry') AS unapplied_payments,
                          SUM(i.open) FILTER (WHERE i.open > 0
                              AND i.overdue) AS overdue,
                          COUNT(DISTINCT i.move_id) FILTER (WHERE i.open > 0
                              AND i.move_type IN %(due_types)s) AS open_count,
                          COUNT(DISTINCT i.move_id) FILTER (WHERE i.open > 0
                              AND i.overdue) AS overdue_count,
                          COUNT(DISTINCT i.move_id) FILTER (WHERE i.queried)
                              AS queried_count,
                          %(buckets)s
                     FROM items i
                 GROUP BY i.currency_id
               ), last_payment AS (
                   SELECT DISTINCT ON (p.currency_id) p.currency_id,
                          p.id AS payment_id, p.date AS payment_date,
                          p.amount AS payment_amount, p.name AS payment_name
                     FROM account_payment p
                    WHERE p.id IN %(payments)s
                 ORDER BY p.currency_id, p.date DESC, p.id DESC
               )
               SELECT * FROM figures
               FULL OUTER JOIN last_payment USING (currency_id)
               ORDER BY currency_id""",
            overdue=SQL("COALESCE(%s, FALSE)", overdue),
            # documents with an open query (a flag, not a status)
            queried=SQL(
                "COALESCE(%s, FALSE)",
                Move._portal_domain_sql(
                    Move._portal_status_domain("queried", date), "m"
                ),
            ),
            balance_company=SQL(
                "SUM(i.amount_residual)" if as_of is None else "NULL::numeric"
            ),
            open=open_amount,
            lines_from=lines.from_clause,
            lines_where=lines.where_clause or SQL("TRUE"),
            due_types=DUE_MOVE_TYPES,
            buckets=SQL(", ").join(buckets),
            payments=payments.subselect(),
        )

# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date

import qrcode
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..models.account_move import CUSTOMER_DOCUMENT_TYPES
from ..models.res_partner import AGING_BUCKETS


class ReportStatement(models.AbstractModel):
    """Statement of account of a customer for a period, per currency:
    opening balance, the documents and payments of the period with a running
    balance, closing balance, aging as at the end of the period, closing
    balance in words and a QR code to the payment page.

    The closing balance and the aging are the customer's account summary
    as at the end of the period (``res.partner._portal_account_summary``).
    The other figures are computed from the customer's receivable journal items
    with a fixed number of grouped queries, under the current user's record
    rules: a portal user gets exactly the documents the portal shows to it
    (whatever its access level), and the payments applied to them; a
    contact that sees its whole company also gets the company's unapplied
    payments and other receivable entries.
    """

    _name = "report.customer_portal_invoices.report_statement"
    _description = "Customer Statement of Account"
    # what a portal user may pass on /report/* (the period)
    _portal_report_options = ("date_from", "date_to")

    # ------------------------------------------------------------------
    # Period
    # ------------------------------------------------------------------

    @api.model
    def _statement_default_dates(self):
        """Default period: the first day of the month three months back, to
        today."""
        today = fields.Date.context_today(self)
        return today.replace(day=1) - relativedelta(months=3), today

    @api.model
    def _statement_parse_dates(self, date_from=None, date_to=None):
        """The period from strings (``YYYY-MM-DD``) or dates; missing or
        invalid values take their default, and a reversed period is swapped."""
        default_from, default_to = self._statement_default_dates()
        date_from = self._statement_parse_date(date_from) or default_from
        date_to = self._statement_parse_date(date_to) or default_to
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        return date_from, date_to

    @api.model
    def _statement_parse_date(self, value):
        if isinstance(value, date):
            return value
        if not value or not isinstance(value, str):
            return None
        try:
            return fields.Date.to_date(value.strip())
        except ValueError:
            return None

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------

    @api.model
    def _statement_shows_all_payments(self, partner):
        """Whether the statement of ``partner`` (a commercial partner) lists
        all its receivable entries that are not documents (payments, refunds,
        unapplied payments, miscellaneous entries), rather than only the
        payments applied to the documents the user may read: internal users,
        and portal contacts that see their whole company. Any other level
        (own, or levels added by other addons) gets only what is applied to
        the documents its record rules give."""
        user = self.env.user
        if user._is_internal():
            return True
        scope = user.partner_id._portal_scope()
        return scope["company_wide"] and scope["customer_id"] == partner.id

    @api.model
    def _statement_partner_ids(self, partner):
        # sudo: only the ids of the customer's contacts and addresses are
        # read (archived included), to filter its journal items
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._search([("id", "child_of", partner.id)])
        )

    @api.model
    def _statement_line_domain(self, partner):
        return [
            ("partner_id", "in", self._statement_partner_ids(partner)),
            ("company_id", "in", self.env.companies.ids),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
        ]

    @api.model
    def _statement_document_query(self, partner):
        """Receivable journal items of the customer's documents (invoices,
        credit notes, receipts) the current user may read: the record rules
        apply."""
        return self.env["account.move.line"]._search(
            [
                *self._statement_line_domain(partner),
                ("move_id.move_type", "in", CUSTOMER_DOCUMENT_TYPES),
            ]
        )

    @api.model
    def _statement_entry_query(self, partner):
        """Receivable journal items of the customer's other entries
        (payments, refunds, miscellaneous entries), or None when the user
        gets only the payments applied to its documents."""
        if not self._statement_shows_all_payments(partner):
            return None
        # sudo: portal users cannot read payments; the domain is the
        # customer's receivable entries, which a company-wide contact sees
        # (see _statement_shows_all_payments)
        return (
            self.env["account.move.line"]
            .sudo()
            ._search(
                [
                    *self._statement_line_domain(partner),
                    ("move_id.move_type", "=", "entry"),
                ]
            )
        )

    @api.model
    def _statement_items_sql(self, partner):
        """SQL of the statement items: one row per receivable journal item in
        scope (``aml_id``, ``move_id``, ``currency_id``, ``date``,
        ``date_maturity``, ``amount`` in the item's currency), plus, when the
        user only sees the payments applied to its documents, one row per
        part of a payment applied to one of them (``aml_id`` NULL)."""
        documents = self._statement_document_query(partner).subselect()
        entries = self._statement_entry_query(partner)
        if entries is not None:
            scope = SQL(
                "SELECT id FROM account_move_line WHERE id IN %s OR id IN %s",
                documents,
                entries.subselect(),
            )
            return SQL(
                """SELECT l.id AS aml_id, l.move_id, l.currency_id, l.date,
                          l.date_maturity, l.amount_currency AS amount
                     FROM account_move_line l
                    WHERE l.id IN (%s)""",
                scope,
            )
        # Payments applied to the documents: the reconciled part of each,
        # dated and in the currency of the payment's journal item. The
        # partials are read in SQL (portal users cannot read them), only
        # those of the documents the user may read.
        return SQL(
            """SELECT l.id AS aml_id, l.move_id, l.currency_id, l.date,
                      l.date_maturity, l.amount_currency AS amount
                 FROM account_move_line l
                WHERE l.id IN %(documents)s
            UNION ALL
               SELECT NULL, pay.move_id, pay.currency_id, pay.date,
                      NULL, -p.credit_amount_currency
                 FROM account_partial_reconcile p
                 JOIN account_move_line pay ON pay.id = p.credit_move_id
                 JOIN account_move pm ON pm.id = pay.move_id
                WHERE p.debit_move_id IN %(documents)s
                  AND pm.move_type = 'entry' AND pm.state = 'posted'
            UNION ALL
               SELECT NULL, pay.move_id, pay.currency_id, pay.date,
                      NULL, p.debit_amount_currency
                 FROM account_partial_reconcile p
                 JOIN account_move_line pay ON pay.id = p.debit_move_id
                 JOIN account_move pm ON pm.id = pay.move_id
                WHERE p.credit_move_id IN %(documents)s
                  AND pm.move_type = 'entry' AND pm.state = 'posted'""",
            documents=documents,
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _get_statement(self, partner, date_from=None, date_to=None):
        """Statement of ``partner`` (its commercial partner is used) for the
        period, as the current user may see it.

        :return: ``{"partner", "date_from", "date_to", "payment_url",
            "payment_qr", "currencies": [{"currency", "opening_balance",
            "lines": [{"move_id", "name", "reference", "type", "type_label",
            "date", "date_due", "amount", "debit", "credit", "balance",
            "queried"}],
            "closing_balance", "closing_balance_words", "total_debit",
            "total_credit", "aging": [{"key", "label", "amount"}],
            "aging_total"}]}``
        """
        partner = partner.commercial_partner_id
        date_from, date_to = self._statement_parse_dates(date_from, date_to)
        items = self._statement_items_sql(partner)
        cr = self.env.cr
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()

        # One pass over the items: the opening balance per currency (the
        # rows flagged "opening", before the period) and the documents and
        # payments of the period, in their order
        cr.execute(
            SQL(
                """WITH i AS (%(items)s)
                   SELECT * FROM (
                       SELECT TRUE AS opening, i.currency_id,
                              NULL::integer AS move_id, NULL AS name,
                              NULL AS ref, NULL AS payment_reference,
                              NULL AS move_type, NULL::boolean AS is_payment,
                              NULL::date AS date, NULL::date AS date_maturity,
                              SUM(i.amount) AS amount,
                              NULL::integer AS payment_id,
                              NULL AS portal_query_state
                         FROM i
                        WHERE i.date < %(date_from)s
                     GROUP BY i.currency_id
                    UNION ALL
                       SELECT FALSE, i.currency_id, i.move_id, m.name, m.ref,
                              m.payment_reference, m.move_type,
                              m.origin_payment_id IS NOT NULL,
                              MIN(i.date), MAX(i.date_maturity), SUM(i.amount),
                              m.origin_payment_id, m.portal_query_state
                         FROM i
                         JOIN account_move m ON m.id = i.move_id
                        WHERE i.date BETWEEN %(date_from)s AND %(date_to)s
                     GROUP BY i.currency_id, i.move_id, m.name, m.ref,
                              m.payment_reference, m.move_type,
                              m.origin_payment_id, m.portal_query_state
                   ) rows
                   ORDER BY rows.opening DESC, rows.date, rows.name,
                            rows.move_id""",
                items=items,
                date_from=date_from,
                date_to=date_to,
            )
        )
        opening, period_rows = {}, []
        for is_opening, *row in cr.fetchall():
            if is_opening:
                opening[row[0]] = row[9]
            else:
                period_rows.append(tuple(row))
        # the memos of the payments as the customer reads them (one batch)
        payment_memos = (
            self.env["account.payment"]
            .browse({row[10] for row in period_rows if row[10]})
            ._portal_payment_memos()
        )

        # the closing figures: the account summary as at the end
        summaries = {
            summary["currency"].id: summary
            for summary in partner.with_env(self.env)._portal_account_summary(
                date=date_to
            )
        }

        currency_ids = set(opening) | {row[0] for row in period_rows}
        currency_ids |= set(summaries)
        Currency = self.env["res.currency"]
        currencies = Currency.browse(sorted(currency_ids))
        company_currency = self.env.company.currency_id
        currencies = currencies.sorted(lambda c: (c != company_currency, c.name or ""))
        type_labels = self._statement_type_labels()
        aging_labels = self._statement_aging_labels()
        result = []
        for currency in currencies:
            opening_balance = currency.round(opening.get(currency.id) or 0.0)
            balance = opening_balance
            lines = []
            total_debit = total_credit = 0.0
            for row in period_rows:
                if row[0] != currency.id:
                    continue
                (_cur, move_id, name, ref, payment_ref, move_type, is_payment) = row[:7]
                line_date, date_due, amount, payment_id, query_state = row[7:]
                if payment_id and payment_id in payment_memos:
                    ref = payment_memos[payment_id]
                amount = currency.round(amount or 0.0)
                line_type = self._statement_line_type(move_type, is_payment, amount)
                balance = currency.round(balance + amount)
                debit = amount if amount > 0 else 0.0
                credit = -amount if amount < 0 else 0.0
                total_debit += debit
                total_credit += credit
                lines.append(
                    {
                        "move_id": move_id,
                        "name": name,
                        "reference": ref
                        or (payment_ref if payment_ref != name else "")
                        or "",
                        "type": line_type,
                        "type_label": type_labels[line_type],
                        "date": line_date,
                        "date_due": date_due if move_type != "entry" else False,
                        "amount": amount,
                        "debit": debit,
                        "credit": credit,
                        "balance": balance,
                        # queried by the customer: marked, counted as any
                        # other (a query changes no figure)
                        "queried": query_state == "open",
                    }
                )
            summary = summaries.get(currency.id)
            aging_amounts = summary["aging"] if summary else {}
            if summary:
                balance = summary["balance"]
            if (
                not lines
                and currency.is_zero(opening_balance)
                and all(currency.is_zero(amount) for amount in aging_amounts.values())
            ):
                # only settled history in this currency: nothing to state
                continue
            aging = [
                {
                    "key": key,
                    "label": aging_labels[key],
                    "amount": aging_amounts.get(key, 0.0),
                }
                for key, _label, _low, _high in AGING_BUCKETS
            ]
            result.append(
                {
                    "currency": currency,
                    "opening_balance": opening_balance,
                    "lines": lines,
                    "total_debit": currency.round(total_debit),
                    "total_credit": currency.round(total_credit),
                    "closing_balance": balance,
                    "closing_balance_words": self._statement_amount_in_words(
                        currency, balance
                    ),
                    "aging": aging,
                    "aging_total": currency.round(
                        sum(bucket["amount"] for bucket in aging)
                    ),
                }
            )
        payment_url = self._statement_payment_url(partner)
        return {
            "partner": partner,
            "date_from": date_from,
            "date_to": date_to,
            "currencies": result,
            "payment_url": payment_url,
            "payment_qr": self._statement_qr_code(payment_url),
        }

    @api.model
    def _statement_line_type(self, move_type, is_payment, amount):
        if move_type == "out_invoice":
            return "invoice"
        if move_type == "out_refund":
            return "credit_note"
        if move_type == "out_receipt":
            return "receipt"
        if is_payment:
            return "payment" if amount <= 0 else "refund"
        return "entry"

    @api.model
    def _statement_type_labels(self):
        return {
            "invoice": self.env._("Invoice"),
            "credit_note": self.env._("Credit Note"),
            "receipt": self.env._("Receipt"),
            "payment": self.env._("Payment"),
            "refund": self.env._("Refund"),
            "entry": self.env._("Journal Entry"),
        }

    @api.model
    def _statement_aging_labels(self):
        return {
            "current": self.env._("Current"),
            "1_30": self.env._("1-30 days"),
            "31_60": self.env._("31-60 days"),
            "61_90": self.env._("61-90 days"),
            "90_plus": self.env._("Over 90 days"),
        }

    @api.model
    def _statement_amount_in_words(self, currency, amount):
        """The amount in words (num2words, through the currency), a credit
        balance said as such."""
        words = currency.amount_to_text(abs(amount))
        if currency.compare_amounts(amount, 0.0) < 0:
            return self.env._("%(amount)s (in your favour)", amount=words)
        return words

    # ------------------------------------------------------------------
    # Payment link
    # ------------------------------------------------------------------

    @api.model
    def _statement_payment_path(self, partner):
        """Path of the page where the customer pays what it owes; addons with
        a payment page override this (default: the open invoices)."""
        return "/my/invoices?filterby=open_customer"

    @api.model
    def _statement_payment_url(self, partner):
        base_url = partner.get_base_url()
        return base_url.rstrip("/") + self._statement_payment_path(partner)

    @api.model
    def _statement_qr_code(self, url):
        """PNG of a QR code of ``url``, as a data URI (qrcode package)."""
        return self._qr_code_data_uri(url)

    @api.model
    def _qr_code_data_uri(self, value):
        qr = qrcode.QRCode(border=1, box_size=6)
        qr.add_data(value)
        qr.make(fit=True)
        stream = io.BytesIO()
        qr.make_image().save(stream)
        return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode()

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------

    @api.model
    def _get_report_values(self, docids, data=None):
        """Statements of the partners ``docids`` for the period in ``data``
        (``date_from``, ``date_to``), computed as the current user."""
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        self._check_statement_access(partners)
        statements = [
            self._get_statement(partner, data.get("date_from"), data.get("date_to"))
            for partner in partners.commercial_partner_id
        ]
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "data": data,
            "statements": statements,
        }

    @api.model
    def _check_statement_access(self, partners):
        """A portal or public user prints the statement of its own customer
        only, and only if its access level allows statements (``/report/*``
        answers as ``/my/statement`` does). Internal users: the access
        rights decide; the superuser (sudo'ed rendering): no check."""
        if self.env.su or self.env.user._is_internal():
            return
        own = self.env.user.partner_id.commercial_partner_id
        if (
            not self._statement_portal_allowed()
            or partners.commercial_partner_id != own
        ):
            raise AccessError(
                self.env._("You may only print the statement of your own account.")
            )

    @api.model
    def _statement_render_pdf(self, partner, date_from, date_to):
        """PDF of the statement of ``partner``, computed as the current user
        (a portal user gets what its record rules give)."""
        data = {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
        }
        return self.env["ir.actions.report"]._render_qweb_pdf(
            "customer_portal_invoices.action_report_statement",
            partner.ids,
            data=data,
        )[0]

    @api.model
    def _statement_portal_allowed(self):
        """Whether the current user may see a statement on the portal: not
        the public user, nor a contact without invoice access. What it sees
        is decided by the record rules."""
        user = self.env.user
        if user._is_public():
            return False
        if user._is_internal():
            return True
        return (
            self.env["account.move"].has_access("read")
            and user.partner_id._portal_scope()["may_see"]
        )

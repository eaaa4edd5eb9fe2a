# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading

from markupsafe import Markup
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

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
        level = self.portal_invoice_access
        if level == "company":
            partner_domain = [
                ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id)
            ]
        elif level == "own":
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

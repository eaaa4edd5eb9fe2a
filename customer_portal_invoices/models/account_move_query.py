# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

QUERY_STATES = [
    ("open", "Open"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
]


class AccountMoveQuery(models.Model):
    """A customer's query (dispute) of one of its invoices, raised from the
    portal. While it is open the invoice is charged by nothing (autopay,
    Make a Payment's selections: see ``account.move.portal_query_state``).
    Its conversation is posted on the invoice's chatter, where the portal
    shows it; the back office answers here: accept (with a credit note: the
    query closes when the credit note is posted) or reject, with a message."""

    _name = "account.move.query"
    _description = "Invoice Query"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "create_date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_receipt'))]",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Raised By",
        required=True,
        index=True,
        help="The customer contact who raised the query.",
    )
    commercial_partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", store=True, index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_total = fields.Monetary(related="move_id.amount_total")
    amount_residual = fields.Monetary(related="move_id.amount_residual")
    invoice_user_id = fields.Many2one(
        related="move_id.invoice_user_id", string="Salesperson"
    )
    reason_id = fields.Many2one(
        comodel_name="account.move.query.reason",
        string="Reason",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    message = fields.Text(help="What the customer wrote.")
    state = fields.Selection(
        selection=QUERY_STATES,
        default="open",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    answered_by_id = fields.Many2one(
        comodel_name="res.users", string="Answered By", readonly=True, copy=False
    )
    answer_date = fields.Datetime(string="Answered On", readonly=True, copy=False)
    answer_message = fields.Text(
        string="Answer",
        copy=False,
        help="Sent to the customer with the answer (required to reject).",
    )
    credit_note_id = fields.Many2one(
        comodel_name="account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The credit note that settles an accepted query: the query is "
        "accepted when it is posted.",
    )
    credit_note_state = fields.Selection(related="credit_note_id.state")

    @api.depends("move_id.name", "reason_id.name")
    def _compute_display_name(self):
        for query in self:
            query.display_name = self.env._(
                "%(invoice)s: %(reason)s",
                invoice=query.move_id.name or "",
                reason=query.reason_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        queries = super().create(vals_list)
        queries._schedule_answer_activity()
        return queries

    # ------------------------------------------------------------------
    # Back office: who answers, and the answers
    # ------------------------------------------------------------------

    def _answer_user(self):
        """Who is asked to answer: the user the company configured, else
        the invoice's salesperson."""
        self.ensure_one()
        return self.company_id.portal_query_user_id or self.move_id.invoice_user_id

    def _schedule_answer_activity(self):
        # sudo: raised by a portal user, who may not create activities
        for query in self.sudo():
            user = query._answer_user()
            if not user or not user.active:
                continue
            query.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Answer the customer's query"),
                note=plaintext2html(query.message or ""),
                user_id=user.id,
            )

    def _check_open(self):
        for query in self:
            if query.state != "open":
                raise UserError(
                    self.env._(
                        "The query %(query)s is answered already.",
                        query=query.display_name,
                    )
                )

    def action_accept(self):
        """Accept the query with a credit note: a draft reversal of the
        invoice, opened for the accountant to adjust; the query is accepted
        (and the customer told) when the credit note is posted."""
        self.ensure_one()
        self._check_open()
        if not self.credit_note_id or self.credit_note_id.state == "cancel":
            invoice = self.move_id
            today = fields.Date.context_today(self)
            self.credit_note_id = invoice._reverse_moves(
                [
                    {
                        "ref": self.env._(
                            "Query on %(invoice)s: %(reason)s",
                            invoice=invoice.name,
                            reason=self.reason_id.name,
                        ),
                        "date": today,
                        "invoice_date": today,
                    }
                ]
            )
            if self.answer_message:
                self.credit_note_id.narration = plaintext2html(self.answer_message)
        return self.action_view_credit_note()

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.credit_note_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_move_type": "out_refund"},
        }

    def action_accept_without_credit_note(self):
        """Accept the query without changing the invoice (e.g. a copy of a
        document not received was sent): closes it at once."""
        self._check_open()
        self._answer("accepted")
        return True

    def action_reject(self):
        """Reject the query, with the message said to the customer."""
        self._check_open()
        for query in self:
            if not (query.answer_message or "").strip():
                raise UserError(
                    self.env._(
                        "Write the answer the customer receives before "
                        "rejecting the query."
                    )
                )
        self._answer("rejected")
        return True

    def _answer(self, state):
        """Close the queries as ``state`` (accepted or rejected): who and
        when, the activity done, the customer told."""
        self.write(
            {
                "state": state,
                "answered_by_id": self.env.user.id,
                "answer_date": fields.Datetime.now(),
            }
        )
        # sudo: the activity may belong to another user
        self.sudo().activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=(
                self.env._("Query accepted.")
                if state == "accepted"
                else self.env._("Query rejected.")
            ),
        )
        self._notify_answer()

    def _close_by_credit_notes(self, credit_notes):
        """The open queries settled by ``credit_notes`` (just posted) are
        accepted."""
        queries = self.search(
            [("credit_note_id", "in", credit_notes.ids), ("state", "=", "open")]
        )
        if queries:
            queries._answer("accepted")
        return queries

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------

    def _answer_recipients(self):
        """Who is told the answer: the contact who raised the query and the
        customer's invoice-address contact."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        invoice_contact = self.env["res.partner"].browse(
            commercial.address_get(["invoice"])["invoice"]
        )
        return (self.partner_id | invoice_contact).filtered("email")

    def _notify_answer(self):
        """Post the answer on each invoice's chatter, as the conversation the
        portal shows, rendered from the mail template of its state, and
        e-mail it to :meth:`_answer_recipients`."""
        templates = {
            "accepted": "customer_portal_invoices.mail_template_query_accepted",
            "rejected": "customer_portal_invoices.mail_template_query_rejected",
        }
        for query in self:
            template = self.env.ref(templates[query.state], raise_if_not_found=False)
            if not template:
                continue
            # sudo: rendering reads the invoice and the customer, whoever
            # posts the credit note
            template = template.sudo()
            subject = template._render_field("subject", query.ids)[query.id]
            body = template._render_field("body_html", query.ids)[query.id]
            query.move_id.with_context(portal_invoice_query=True).message_post(
                body=body,
                subject=subject,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=query._answer_recipients().ids,
                email_layout_xmlid="mail.mail_notification_light",
            )
            query.message_post(
                body=Markup("<p>%s</p>") % subject,
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _portal_values(self):
        """What the invoice page shows of these queries, as plain values
        (portal users may not read queries): newest first."""
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        return [
            {
                "id": query.id,
                "reason": query.reason_id.name,
                "message": query.message or "",
                "state": query.state,
                "state_label": state_labels[query.state],
                "date": query.create_date,
                "author": query.partner_id.name,
                "answer": query.answer_message or "",
                "answer_date": query.answer_date,
                "credit_note": query.credit_note_id.name
                if query.credit_note_id.state == "posted"
                else "",
            }
            for query in self.sudo()
        ]

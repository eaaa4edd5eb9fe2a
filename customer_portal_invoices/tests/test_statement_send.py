# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import tagged

from .common_statement import StatementCommon


@tagged("post_install", "-at_install")
class TestStatementSend(StatementCommon):
    """Back office: the Send Statement wizard and the monthly run."""

    @staticmethod
    def _filename(date_from, date_to):
        start = fields.Date.to_string(date_from)
        end = fields.Date.to_string(date_to)
        return f"Statement {start} - {end}.pdf"

    def _statement_messages(self, partner):
        return partner.message_ids.filtered(
            lambda m: (
                m.message_type == "comment"
                and "statement of account" in (m.subject or "")
            )
        )

    def test_wizard_selection(self):
        """Sent to each selected customer (contacts count as their company),
        PDF attached, kept in its chatter; a customer without e-mail is
        reported, not sent to."""
        no_email = self.env["res.partner"].create(
            {"name": "Mailless Customer", "is_company": True}
        )
        wizard = (
            self.env["customer.statement.send"]
            .with_context(
                active_model="res.partner",
                active_ids=(self.contact_company | self.other_customer | no_email).ids,
            )
            .create({"date_from": self._days_ago(60), "date_to": self.today})
        )
        self.assertEqual(
            wizard.partner_ids, self.customer | self.other_customer | no_email
        )
        self.assertEqual(
            wizard.template_id,
            self.env.ref("customer_portal_invoices.mail_template_customer_statement"),
        )
        action = wizard.action_send()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Mailless Customer", action["params"]["message"])
        self.assertIn("Statement sent to 2 customers.", action["params"]["message"])
        for partner in (self.customer, self.other_customer):
            message = self._statement_messages(partner)
            self.assertEqual(len(message), 1)
            self.assertIn(partner, message.partner_ids)
            self.assertEqual(len(message.attachment_ids), 1)
            self.assertEqual(
                message.attachment_ids.name,
                self._filename(self._days_ago(60), self.today),
            )
            self.assertIn("/my/statement", message.body)
        self.assertFalse(self._statement_messages(no_email))
        # the attachment holds this customer's statement (Odoo renders
        # reports as HTML while it runs tests)
        content = self._statement_messages(self.customer).attachment_ids.raw
        self.assertIn(self.inv3.name.encode(), content)
        self.assertNotIn(self.inv_other.name.encode(), content)
        # one customer: the singular sentence
        action = (
            self.env["customer.statement.send"]
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"date_from": self._days_ago(60), "date_to": self.today})
            .action_send()
        )
        self.assertEqual(action["params"]["message"], "Statement sent to 1 customer.")

    def test_monthly_cron_twice(self):
        self.customer.portal_statement_monthly = True
        cron = self.env.ref("customer_portal_invoices.ir_cron_portal_statement_monthly")
        first_of_month = self.today.replace(day=1)
        last_month_end = fields.Date.subtract(first_of_month, days=1)
        for _run in range(2):
            cron.method_direct_trigger()
            self.assertEqual(len(self._statement_messages(self.customer)), 1)
            self.assertEqual(self.customer.portal_statement_last_date, last_month_end)
        self.assertFalse(self._statement_messages(self.other_customer))
        self.assertEqual(
            self._statement_messages(self.customer).attachment_ids.name,
            self._filename(last_month_end.replace(day=1), last_month_end),
        )

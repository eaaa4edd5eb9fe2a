# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tests import tagged

from .common import CustomerPortalCommon


@tagged("post_install", "-at_install")
class TestAccessRules(CustomerPortalCommon):
    """Record rules: the invoice access level of each portal contact decides
    which documents, journal items and messages it reads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expected = {
            cls.user_a_none: cls.env["account.move"],
            cls.user_a_own: cls.inv_a_own | cls.inv_a_followed,
            cls.user_a_company: cls.docs_a,
            cls.user_b_company: cls.docs_b,
        }

    def _visible(self, user, moves=None):
        moves = self.all_docs if moves is None else moves
        return (
            self.env["account.move"].with_user(user).search([("id", "in", moves.ids)])
        )

    def test_search_by_access_level(self):
        for user, expected in self.expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user), expected)

    def test_read_refused_outside_access_level(self):
        for user, expected in self.expected.items():
            for move in self.all_docs:
                with self.subTest(user=user.login, move=move.name):
                    record = move.with_user(user)
                    if move in expected:
                        self.assertEqual(record.read(["name"])[0]["name"], move.name)
                    else:
                        with self.assertRaises(AccessError):
                            record.read(["name"])

    def test_stock_follower_rule_does_not_widen_own(self):
        """The sibling contact follows its invoice: the stock rule (followers
        child of the commercial partner) would show it to every contact."""
        self.assertIn(self.partner_a_sibling, self.inv_a_sibling.message_partner_ids)
        self.assertNotIn(self.inv_a_sibling, self._visible(self.user_a_own))
        self.assertNotIn(self.inv_a_company, self._visible(self.user_a_own))

    def test_none_sees_nothing_whatever_the_followers(self):
        self.inv_a_company.message_subscribe(self.partner_a_none.ids)
        self.assertFalse(self._visible(self.user_a_none))
        self.assertFalse(
            self.env["account.move"].with_user(self.user_a_none).search_count([])
        )

    def test_company_sees_documents_nobody_follows(self):
        """Company-wide access does not depend on followers."""
        self.inv_a_company.message_unsubscribe(self.customer_a.ids)
        self.assertFalse(
            self.inv_a_company.message_partner_ids & self.customer_a.child_ids
        )
        self.assertIn(self.inv_a_company, self._visible(self.user_a_company))

    def test_own_follows_explicitly(self):
        self.assertNotIn(self.inv_a_sibling, self._visible(self.user_a_own))
        self.inv_a_sibling.message_subscribe(self.partner_a_own.ids)
        self.assertIn(self.inv_a_sibling, self._visible(self.user_a_own))

    def test_own_sees_documents_of_its_addresses(self):
        address = self.env["res.partner"].create(
            {
                "name": "Olga's invoice address",
                "type": "invoice",
                "parent_id": self.partner_a_own.id,
            }
        )
        move = self._create_document(address, 77.0)
        self.assertEqual(self._visible(self.user_a_own, move), move)
        self.assertFalse(self._visible(self.user_a_none, move))
        self.assertEqual(self._visible(self.user_a_company, move), move)

    def test_level_change_applies_at_once(self):
        self.assertEqual(self._visible(self.user_a_own), self.expected[self.user_a_own])
        self.partner_a_own.portal_invoice_access = "company"
        self.assertEqual(self._visible(self.user_a_own), self.docs_a)
        self.partner_a_own.portal_invoice_access = "none"
        self.assertFalse(self._visible(self.user_a_own))

    def _department_contact(self, login):
        """A contact with company-wide access under a department (not a
        company) of customer A, and its portal user."""
        department = self.env["res.partner"].create(
            {"name": f"Acme department of {login}", "parent_id": self.customer_a.id}
        )
        contact = self._create_contact(department, f"Dora {login}", "company")
        user = self._create_portal_user(contact, login)
        self.assertEqual(contact.commercial_partner_id, self.customer_a)
        # reads the rules once, so that their domain is cached
        self.assertEqual(self._visible(user), self.docs_a)
        return department, contact, user

    def test_ancestor_parent_change_applies_at_once(self):
        """Moving an ancestor moves its contacts to another company: they see
        the documents of the new company and no longer those of the old."""
        department, contact, user = self._department_contact("cpi_dept_move")
        department.parent_id = self.customer_b
        self.assertEqual(contact.commercial_partner_id, self.customer_b)
        self.assertEqual(self._visible(user), self.docs_b)

    def test_ancestor_becomes_company_applies_at_once(self):
        department, contact, user = self._department_contact("cpi_dept_company")
        # as a partner manager: stock write() then drops is_company from vals
        self.assertTrue(self.env.user.has_group("base.group_partner_manager"))
        department.is_company = True
        self.assertEqual(contact.commercial_partner_id, department)
        self.assertFalse(self._visible(user))
        move = self._create_document(department, 88.0)
        self.assertEqual(self._visible(user, self.all_docs | move), move)

    def test_ancestor_deleted_applies_at_once(self):
        department, contact, user = self._department_contact("cpi_dept_unlink")
        department.unlink()
        self.assertFalse(contact.parent_id)
        self.assertEqual(contact.commercial_partner_id, contact)
        self.assertFalse(self._visible(user))

    def test_draft_and_cancelled_stay_hidden(self):
        draft = self._create_document(self.customer_a, 55.0, post=False)
        cancelled = self._create_document(self.customer_a, 66.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        moves = self.env["account.move"].with_user(self.user_a_company)
        self.assertFalse(moves.search([("id", "in", (draft | cancelled).ids)]))

    def test_journal_items_follow_the_documents(self):
        all_lines = self.all_docs.line_ids
        for user, expected in self.expected.items():
            with self.subTest(user=user.login):
                lines = (
                    self.env["account.move.line"]
                    .with_user(user)
                    .search([("id", "in", all_lines.ids)])
                )
                self.assertEqual(lines.move_id, expected)
                self.assertEqual(lines, expected.line_ids)

    def test_messages_follow_the_documents(self):
        for move in self.all_docs:
            move.message_post(
                body=f"Note on {move.name}",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        for user, expected in self.expected.items():
            with self.subTest(user=user.login):
                messages = (
                    self.env["mail.message"]
                    .with_user(user)
                    .search(
                        [
                            ("model", "=", "account.move"),
                            ("res_id", "in", self.all_docs.ids),
                            ("message_type", "=", "comment"),
                        ]
                    )
                )
                self.assertEqual(set(messages.mapped("res_id")), set(expected.ids))
        hidden = self.inv_a_company.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        with self.assertRaises(AccessError):
            hidden.with_user(self.user_a_own).read(["body"])

    def test_public_user_sees_nothing(self):
        public = self.env.ref("base.public_user")
        moves = self.env["account.move"].with_user(public)
        with self.assertRaises(AccessError):
            moves.search([("id", "in", self.all_docs.ids)])
        # the rule itself gives the public user nothing
        domain = (
            self.env["ir.rule"]
            .with_user(public)
            ._compute_domain("account.move", "read")
        )
        self.assertFalse(
            self.env["account.move"]
            .sudo()
            .search_count(expression.AND([[("id", "in", self.all_docs.ids)], domain]))
        )

    def test_internal_users_unaffected(self):
        moves = self.env["account.move"].search([("id", "in", self.all_docs.ids)])
        self.assertEqual(moves, self.all_docs)

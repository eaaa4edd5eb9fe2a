# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import re

from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .common import CustomerPortalCommon


@tagged("post_install", "-at_install")
class TestSettings(CustomerPortalCommon, HttpCase):
    """Portal settings: document types shown, actions allowed, default access
    level for new contacts and its application to existing ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.receipt_a = cls._create_document(
            cls.customer_a, 210.0, move_type="out_receipt"
        )
        cls.bill_a = cls._create_document(cls.customer_a, 320.0, move_type="in_invoice")

    def _visible(self, user, moves):
        return (
            self.env["account.move"].with_user(user).search([("id", "in", moves.ids)])
        )

    def _page(self, login, url):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    @staticmethod
    def _mentions(body, move):
        pattern = r"(?<![A-Za-z0-9])" + re.escape(move.name) + r"(?!\d)"
        return bool(re.search(pattern, body))

    # ------------------------------------------------------------------
    # document types
    # ------------------------------------------------------------------

    def test_default_document_types(self):
        self.assertEqual(
            set(self.company._portal_invoice_move_types()),
            {"out_invoice", "out_refund", "in_invoice", "in_refund"},
        )
        self.assertTrue(self.company.portal_invoice_allow_download)
        self.assertTrue(self.company.portal_invoice_allow_comment)
        self.assertTrue(self.company.portal_invoice_allow_pay)
        visible = self._visible(self.user_a_company, self.receipt_a | self.bill_a)
        self.assertEqual(visible, self.bill_a, "receipts are off by default")

    def test_document_types_off_not_visible(self):
        self.company.write(
            {
                "portal_invoice_show_credit_notes": False,
                "portal_invoice_show_vendor_bills": False,
                "portal_invoice_show_receipts": True,
            }
        )
        self.assertEqual(
            set(self.company._portal_invoice_move_types()),
            {"out_invoice", "out_receipt", "in_receipt"},
        )
        docs = self.docs_a | self.receipt_a | self.bill_a
        expected = docs - self.refund_a_company - self.bill_a
        self.assertEqual(self._visible(self.user_a_company, docs), expected)
        # journal items follow
        lines = (
            self.env["account.move.line"]
            .with_user(self.user_a_company)
            .search([("move_id", "in", docs.ids)])
        )
        self.assertEqual(lines.move_id, expected)
        # and the portal
        response = self._page("cpi_a_company", "/my/invoices")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._mentions(response.text, self.refund_a_company))
        self.assertFalse(self._mentions(response.text, self.bill_a))
        self.assertTrue(self._mentions(response.text, self.receipt_a))
        self.assertTrue(self._mentions(response.text, self.inv_a_company))
        response = self.url_open(
            f"/my/invoices/{self.refund_a_company.id}", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertFalse(self._mentions(response.text, self.refund_a_company))

    def test_invoices_off_hides_everything_of_that_type(self):
        self.company.portal_invoice_show_invoices = False
        visible = self._visible(self.user_a_company, self.docs_a)
        self.assertEqual(visible, self.refund_a_company)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def test_download_off_refuses_pdf(self):
        url = f"/my/invoices/{self.inv_a_company.id}?report_type=pdf&download=true"
        response = self._page("cpi_a_company", url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")

        self.company.portal_invoice_allow_download = False
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303, 403))
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        # nor shown inline
        response = self.url_open(
            f"/my/invoices/{self.inv_a_company.id}?report_type=pdf",
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303, 403))
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        # the document page itself stays available
        response = self.url_open(
            f"/my/invoices/{self.inv_a_company.id}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 200)
        # a token link cannot download either
        self.authenticate(None, None)
        token = self.inv_a_company._portal_ensure_token()
        response = self.url_open(f"{url}&access_token={token}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303, 403))
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")

    def test_download_off_refuses_files(self):
        """/web/content serves the invoice PDF and attachments of documents a
        portal user reads: not when downloads are off."""
        move = self.inv_a_company
        move.invoice_pdf_report_file = base64.b64encode(b"%PDF-1.4 invoice")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "timesheet.pdf",
                "raw": b"%PDF-1.4 timesheet",
                "res_model": "account.move",
                "res_id": move.id,
            }
        )
        urls = (
            f"/web/content/account.move/{move.id}/invoice_pdf_report_file",
            (
                f"/web/content/{attachment.id}?download=true"
                f"&access_token={attachment.generate_access_token()[0]}"
            ),
        )
        self.authenticate("cpi_a_company", "cpi_a_company")
        for url in urls:
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 200, url)
            self.assertTrue(response.content.startswith(b"%PDF"), url)
        # another contact's level still applies (the attachment's token is a
        # share of that file)
        self.authenticate("cpi_a_none", "cpi_a_none")
        with mute_logger("odoo.http"):
            response = self.url_open(urls[0], allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)

        self.company.portal_invoice_allow_download = False
        self.authenticate("cpi_a_company", "cpi_a_company")
        for url in urls:
            with mute_logger("odoo.http"):
                response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertFalse(response.content.startswith(b"%PDF"), url)
        # back-office users are not concerned
        self.assertEqual(
            self.env["ir.binary"]._find_record(
                res_model="account.move", res_id=move.id
            ),
            move,
        )

    # ------------------------------------------------------------------
    # access levels: default, apply to existing, wizard, views
    # ------------------------------------------------------------------

    def test_settings_form_writes_company(self):
        settings = self.env["res.config.settings"].create(
            {
                "portal_invoice_default_access": "own",
                "portal_invoice_show_receipts": True,
                "portal_invoice_allow_pay": False,
            }
        )
        settings.execute()
        self.assertEqual(self.company.portal_invoice_default_access, "own")
        self.assertTrue(self.company.portal_invoice_show_receipts)
        self.assertFalse(self.company.portal_invoice_allow_pay)
        self.assertIn(
            self.receipt_a, self._visible(self.user_a_company, self.receipt_a)
        )

    def test_new_contact_gets_default(self):
        self.company.portal_invoice_default_access = "none"
        contact = self.env["res.partner"].create(
            {"name": "New Contact", "parent_id": self.customer_a.id}
        )
        self.assertEqual(contact.portal_invoice_access, "none")
        self.company.portal_invoice_default_access = "own"
        form = Form(self.env["res.partner"])
        form.name = "Another Contact"
        self.assertEqual(form.portal_invoice_access, "own")
        self.assertEqual(form.save().portal_invoice_access, "own")

    def test_apply_default_button(self):
        self.company.portal_invoice_default_access = "own"
        settings = self.env["res.config.settings"].create({})
        action = settings.action_portal_invoice_apply_default_access()
        self.assertEqual(action["tag"], "display_notification")
        # every portal contact of the company: a_none, a_company, b_company
        # changed (a_own already had it)
        self.assertEqual(
            action["params"]["message"],
            "Default invoice access applied to 3 portal contacts.",
        )
        for partner in (
            self.partner_a_none,
            self.partner_a_own,
            self.partner_a_company,
            self.partner_b_company,
        ):
            self.assertEqual(partner.portal_invoice_access, "own", partner.name)
        # contacts without portal access keep their level
        self.assertEqual(self.partner_a_sibling.portal_invoice_access, "company")
        # and the rules use the new levels at once
        self.assertEqual(
            self._visible(self.user_a_company, self.docs_a), self.env["account.move"]
        )
        self.assertEqual(
            self._visible(self.user_a_none, self.docs_a),
            self.env["account.move"],
        )
        self.assertEqual(
            self._visible(self.user_a_own, self.docs_a),
            self.inv_a_own | self.inv_a_followed,
        )
        # one contact: the singular sentence
        self.partner_a_none.portal_invoice_access = "none"
        action = settings.action_portal_invoice_apply_default_access()
        self.assertEqual(
            action["params"]["message"],
            "Default invoice access applied to 1 portal contact.",
        )

    def test_portal_wizard_edits_access(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Wanda Wizard",
                "parent_id": self.customer_a.id,
                "email": "wanda@example.com",
                "portal_invoice_access": "company",
            }
        )
        wizard = (
            self.env["portal.wizard"]
            .with_context(active_ids=(contact | self.partner_a_none).ids)
            .create({})
        )
        line = wizard.user_ids.filtered(lambda wl: wl.partner_id == contact)
        self.assertEqual(line.portal_invoice_access, "company")
        none_line = wizard.user_ids - line
        self.assertEqual(none_line.portal_invoice_access, "none")
        line.portal_invoice_access = "own"
        self.assertEqual(contact.portal_invoice_access, "own")
        # sudo: granting access creates a user
        line.sudo().action_grant_access()
        user = contact.with_context(active_test=False).user_ids
        self.assertTrue(user._is_portal())
        self.assertEqual(contact.portal_invoice_access, "own")
        self.assertEqual(self._visible(user, self.docs_a), self.env["account.move"])

    def test_contact_views_show_access(self):
        views = self.env["res.partner"].get_views(
            [(False, "form"), (False, "list"), (False, "search")]
        )
        for view_type in ("form", "list", "search"):
            self.assertIn(
                "portal_invoice_access", views["views"][view_type]["arch"], view_type
            )
        groups = self.env["res.partner"].read_group(
            [("id", "in", (self.partner_a_none | self.partner_a_own).ids)],
            ["portal_invoice_access"],
            ["portal_invoice_access"],
        )
        self.assertEqual({g["portal_invoice_access"] for g in groups}, {"none", "own"})
        wizard_arch = self.env["portal.wizard"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("portal_invoice_access", wizard_arch)
        settings_arch = self.env["res.config.settings"].get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        self.assertIn("action_portal_invoice_apply_default_access", settings_arch)

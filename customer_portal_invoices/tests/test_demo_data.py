# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo database shows the portal in every invoice state and every
    invoice access level, and the second demo customer stays invisible to the
    first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.harbor = cls.env.ref(
            "customer_portal_invoices.partner_harbor", raise_if_not_found=False
        )
        if not cls.harbor:
            # no skip: a database without demo data fails here, loudly
            raise AssertionError(
                "demo data is missing: install the addons with demo data"
            )
        cls.summit = cls.env.ref("customer_portal_invoices.partner_summit")
        cls.alice = cls.env.ref("customer_portal_invoices.user_harbor_alice")
        cls.diego = cls.env.ref("customer_portal_invoices.user_summit_diego")
        cls.Move = cls.env["account.move"]

    def _documents(self, partner):
        return self.Move.search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )

    def test_customer_has_three_portal_contacts(self):
        """Harbor's portal contacts of this addon, one per access level (other
        addons, e.g. multi_site_billing, add their own)."""
        portal = self.env.ref("base.group_portal")
        users = self.env["res.users"].search(
            [("partner_id.commercial_partner_id", "=", self.harbor.id)]
        )
        ours = (
            self.alice
            | self.env.ref("customer_portal_invoices.user_harbor_alice")
            | self.env.ref("customer_portal_invoices.user_harbor_chloe")
        )
        self.assertLessEqual(ours, users)
        self.assertEqual(
            set(ours.partner_id.mapped("portal_invoice_access")),
            {"company", "own", "none"},
        )
        self.assertTrue(all(portal in user.groups_id for user in users))

    def test_documents_in_every_state(self):
        docs = self._documents(self.harbor)
        self.assertGreaterEqual(len(docs), 25)
        self.assertEqual(set(docs.mapped("state")), {"posted"})
        self.assertTrue(docs.filtered(lambda m: m.move_type == "out_refund"))
        invoices = docs.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(
            {"paid", "partial", "not_paid"} - set(invoices.mapped("payment_state")),
            set(),
        )
        today = fields.Date.context_today(self.alice)
        overdue_days = {
            (today - m.invoice_date_due).days
            for m in invoices
            if m.payment_state != "paid" and m.invoice_date_due < today
        }
        # overdue by several ages: 1-30, 31-60, 61-90 and 90+ days
        for low, high in ((1, 30), (31, 60), (61, 90), (91, 10000)):
            self.assertTrue(
                any(low <= days <= high for days in overdue_days),
                f"no invoice overdue by {low}-{high} days",
            )
        # some invoices are addressed to a contact, not to the company
        self.assertTrue(invoices.filtered(lambda m: m.partner_id != self.harbor))

    def test_payments_exist(self):
        payments = self.env["account.payment"].search(
            [("partner_id", "=", self.harbor.id), ("state", "!=", "draft")]
        )
        self.assertGreaterEqual(len(payments), 5)
        unapplied = self.env.ref("customer_portal_invoices.payment_harbor_unapplied")
        self.assertFalse(unapplied.reconciled_invoice_ids)

    def test_other_customer_is_invisible(self):
        harbor_docs = self._documents(self.harbor)
        summit_docs = self._documents(self.summit)
        self.assertTrue(summit_docs)
        seen_by_alice = self.Move.with_user(self.alice).search(
            [("move_type", "in", ("out_invoice", "out_refund"))]
        )
        self.assertFalse(seen_by_alice & summit_docs)
        self.assertEqual(seen_by_alice & harbor_docs, harbor_docs)
        seen_by_diego = self.Move.with_user(self.diego).search(
            [("move_type", "in", ("out_invoice", "out_refund"))]
        )
        self.assertFalse(seen_by_diego & harbor_docs)
        self.assertEqual(seen_by_diego, summit_docs)

    def _user(self, name):
        return self.env.ref(f"customer_portal_invoices.user_{name}")

    def test_demo_access_levels(self):
        levels = {
            name: self._user(name).partner_id.portal_invoice_access
            for name in ("harbor_alice", "harbor_bruno", "harbor_chloe", "summit_diego")
        }
        self.assertEqual(
            levels,
            {
                "harbor_alice": "company",
                "harbor_bruno": "own",
                "harbor_chloe": "none",
                "summit_diego": "company",
            },
        )

    def test_demo_visibility(self):
        documents = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.harbor.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        bruno = self._user("harbor_bruno")
        seen = {
            name: self.env["account.move"]
            .with_user(self._user(name))
            .search([("id", "in", documents.ids)])
            for name in ("harbor_alice", "harbor_bruno", "harbor_chloe")
        }
        self.assertEqual(seen["harbor_alice"], documents)
        self.assertFalse(seen["harbor_chloe"])
        self.assertTrue(seen["harbor_bruno"])
        self.assertLess(len(seen["harbor_bruno"]), len(documents))
        for move in seen["harbor_bruno"]:
            self.assertTrue(
                move.partner_id == bruno.partner_id
                or bruno.partner_id in move.message_partner_ids
            )


@tagged("post_install", "-at_install")
class TestDemoDocumentsNotProforma(HttpCase):
    """The demo documents were sent: their official PDF exists, and neither
    the portal nor the PDF shows a posted document as a pro-forma."""

    def test_demo_documents_are_invoices(self):
        alice = self.env.ref(
            "customer_portal_invoices.user_harbor_alice", raise_if_not_found=False
        )
        self.assertTrue(
            alice,
            "demo data is missing: install the addons with demo data",
        )
        demo_ids = (
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "customer_portal_invoices"),
                    ("model", "=", "account.move"),
                ]
            )
            .mapped("res_id")
        )
        demo_docs = self.env["account.move"].browse(demo_ids)
        self.assertGreaterEqual(len(demo_docs), 30)
        self.assertEqual(set(demo_docs.mapped("state")), {"posted"})
        for move in demo_docs:
            pdf = move.invoice_pdf_report_id
            self.assertTrue(pdf, move.name)
            # the test runner renders reports as HTML: the file is readable
            self.assertNotIn(b"PROFORMA", pdf.raw, move.name)
        self.authenticate("alice.harbor", "alice.harbor")
        # every posted document Alice sees, those of other addons' demo data
        # (without generated PDF) included
        visible = self.env["account.move"].with_user(alice).search([])
        self.assertTrue(demo_docs & visible)
        for move in visible:
            with self.subTest(move=move.name):
                response = self.url_open(
                    f"/my/invoices/{move.id}?report_type=html", timeout=60
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(move.name, response.text)
                self.assertNotIn("PROFORMA", response.text)
        move = demo_docs.filtered(
            lambda m: m.commercial_partner_id == alice.commercial_partner_id
        )[0]
        response = self.url_open(f"/my/invoices/{move.id}?report_type=pdf&download=1")
        self.assertEqual(response.content, move.invoice_pdf_report_id.raw)


@tagged("post_install", "-at_install")
class TestDemoQuery(TransactionCase):
    """Harbor has one queried invoice, raised by Alice, to answer."""

    def test_harbor_queried_invoice(self):
        invoice = self.env.ref(
            "customer_portal_invoices.inv_harbor_22", raise_if_not_found=False
        )
        if not invoice:
            raise AssertionError(
                "demo data is missing: install the addons with demo data"
            )
        self.assertEqual(invoice.portal_query_state, "open")
        query = invoice.portal_query_ids
        self.assertEqual(len(query), 1)
        self.assertEqual(
            query.partner_id,
            self.env.ref("customer_portal_invoices.partner_harbor_alice"),
        )
        self.assertEqual(query.activity_ids.user_id, self.env.ref("base.user_admin"))
        Move = self.env["account.move"].with_user(
            self.env.ref("customer_portal_invoices.user_harbor_alice")
        )
        self.assertEqual(
            Move.search(Move._portal_status_domain("queried")).ids, invoice.ids
        )

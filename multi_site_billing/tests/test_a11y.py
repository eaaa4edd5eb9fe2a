# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Accessibility: axe-core's WCAG 2.1 A and AA rules on the portal pages.

axe-core is not an Odoo asset: ``.ci/run`` installs it from npm into the
git-ignored ``.axe/`` folder at the root of the repository
(``npm install --no-save --prefix .axe axe-core@4``). Headless Chromium
(Odoo's browser machinery) opens, for a demo contact of each invoice access
level, every portal page the contact works with, at desktop (1280 px) and
phone (390 px) width, each in a frame of that width, runs axe-core in it and
fails on any serious or critical violation, naming the page, the rule and the
nodes."""

import base64
import json
from pathlib import Path

from odoo.tests import HttpCase, tagged

AXE_FILE = Path(__file__).resolve().parents[2] / ".axe/node_modules/axe-core/axe.min.js"
# Not a local address: the test browser asks the test case (fetch_proxy) for it.
AXE_URL = "https://axe-core.test/axe.min.js"
AXE_INSTALL = "npm install --no-save --prefix .axe axe-core@4"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# width x height of the desktop and phone frames
VIEWPORTS = [(1280, 800), (390, 844)]
# every page, as a company-wide contact opens them
ALL_PAGES = [
    "Home",
    "My Invoices",
    "Invoice (open)",
    "Invoice document",
    "Invoice (paid)",
    "Invoice (queried)",
    "Parent invoice",
    "Statement",
    "Make a Payment",
    "Payment receipt (online)",
    "My Payments",
    "Payment receipt",
    "Payment Methods",
]

# Run in the test browser: each page in a frame of each width, axe-core
# injected into the page once it has settled (the portal's scripts started,
# the counters of /my arrived, no request for 300 ms).
CHECK_JS = r"""
(async () => {
    const {pages, viewports, tags, axeUrl} = %(params)s;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const problems = [];
    const frame = document.createElement("iframe");
    frame.style.cssText = "position:absolute;top:0;left:0;border:0;z-index:99999";
    document.body.appendChild(frame);
    const settle = async (win, doc) => {
        const deadline = Date.now() + 10000;
        // a portal page has started its scripts (a document has none)
        const odoo = win.odoo || {};
        const busy = () => (odoo.__session_info__ && !odoo.__WOWL_DEBUG__)
            || doc.querySelector(".o_portal_doc_spinner")
            || doc.querySelector(".o_portal_home_overview[aria-busy]");
        while (busy() && Date.now() < deadline) {
            await sleep(50);
        }
        let seen = -1;
        while (Date.now() < deadline) {
            const now = win.performance.getEntriesByType("resource").length;
            if (now === seen) {
                break;
            }
            seen = now;
            await sleep(300);
        }
    };
    const loadAxe = (win, doc) => new Promise((resolve, reject) => {
        const script = doc.createElement("script");
        script.src = axeUrl;
        script.onload = () => resolve(win.axe);
        script.onerror = () => reject(new Error("axe-core could not be loaded"));
        doc.head.appendChild(script);
    });
    for (const [width, height] of viewports) {
        frame.style.width = `${width}px`;
        for (const page of pages) {
            const where = `${page.name} (${page.url}) at ${width}px`;
            frame.style.height = `${height}px`;
            await new Promise((resolve) => {
                frame.onload = resolve;
                frame.src = page.url;
            });
            const win = frame.contentWindow;
            const doc = frame.contentDocument;
            if (win.location.pathname !== page.url.split("?")[0]) {
                problems.push(`${where}: opened ${win.location.pathname} instead`);
                continue;
            }
            await settle(win, doc);
            if (page.fit) {
                // shown in a frame as high as its content, as the invoice
                // page shows it
                frame.style.height = `${doc.documentElement.scrollHeight}px`;
                await sleep(100);
            }
            const axe = await loadAxe(win, doc);
            const result = await axe.run(doc, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            for (const violation of result.violations) {
                if (!["serious", "critical"].includes(violation.impact)) {
                    continue;
                }
                const nodes = violation.nodes.slice(0, 5).map((node) => {
                    const why = (node.failureSummary || "").split("\n")[1] || "";
                    return `\n    - ${node.target.join(" ")}: ` +
                        `${node.html.slice(0, 160)} ${why.trim()}`;
                });
                problems.push(
                    `${where}: ${violation.id} [${violation.impact}] ` +
                    `${violation.help}; ${violation.nodes.length} node(s):` +
                    nodes.join("")
                );
            }
        }
    }
    frame.remove();
    if (problems.length) {
        console.error(
            `axe-core: ${problems.length} serious or critical violation(s)\n` +
            problems.join("\n")
        );
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install", "portal_tour")
class TestPortalAccessibility(HttpCase):
    """The demo's Harbor Logistics contacts, one per access level: Alice
    (company), Bruno (own documents), Sofia (site: Portland) and Chloe
    (none)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("multi_site_billing.parent_invoice_harbor", False):
            # no skip: a database without demo data fails here, loudly
            raise AssertionError(
                "demo data is missing: install the addons with demo data"
            )
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", True
        )
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write(
            {"state": "test", "is_published": True, "company_id": cls.env.company.id}
        )

    def setUp(self):
        super().setUp()
        if not AXE_FILE.is_file():
            # no skip: without axe-core nothing is checked, which fails loudly
            self.fail(
                f"axe-core is not installed ({AXE_FILE} is missing): run "
                f"`{AXE_INSTALL}` at the root of the repository (.ci/run does it)"
            )
        self.axe_source = AXE_FILE.read_bytes()

    def fetch_proxy(self, url):
        if url == AXE_URL:
            return {
                "body": base64.b64encode(self.axe_source).decode(),
                "responseCode": 200,
                "responseHeaders": [
                    {"name": "Content-Type", "value": "text/javascript"},
                    {"name": "Cache-Control", "value": "public, max-age=3600"},
                ],
            }
        return super().fetch_proxy(url)

    def _receipt_transaction(self, user, invoice):
        """A transaction paying ``invoice``, made by ``user``'s contact, as
        Make a Payment creates it: its receipt page is the contact's."""
        Transaction = self.env["payment.transaction"]
        total, values = Transaction._payment_allocation_prepare(invoice, None)
        return Transaction.create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.provider.payment_method_ids[:1].id,
                "reference": f"A11Y-{user.login}",
                "amount": total,
                "currency_id": invoice.currency_id.id,
                "partner_id": user.partner_id.id,
                "operation": "online_direct",
                **values,
            }
        )

    def _pages(self, login):
        """{"name", "url"} of each portal page the contact ``login`` opens:
        the pages of its home, and the first document of each kind it may
        read."""
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(len(user), 1, login)
        scope = user.partner_id._portal_scope()
        Move = self.env["account.move"].with_user(user)
        Payment = self.env["account.payment"].with_user(user)
        Parent = self.env["account.parent.invoice"].with_user(user)
        invoices = Move.search(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
            order="invoice_date_due, id",
        )
        open_invoice = invoices.filtered(
            lambda move: move.payment_state in ("not_paid", "partial")
        )[:1]
        paid_invoice = invoices.filtered(lambda move: move.payment_state == "paid")[:1]
        payment = Payment.browse()
        if Payment.has_access("read"):
            payment = Payment.search(Payment._portal_payment_domain(), limit=1)
        pages = [
            ("Home", "/my"),
            ("My Invoices", "/my/invoices"),
            ("Invoice (open)", open_invoice.access_url),
            # the document the invoice page shows in a frame
            (
                "Invoice document",
                open_invoice and f"{open_invoice.access_url}?report_type=html",
            ),
            ("Invoice (paid)", paid_invoice.access_url),
            (
                "Invoice (queried)",
                Move.search([("portal_query_state", "=", "open")], limit=1).access_url,
            ),
            ("Parent invoice", Parent.search([], limit=1).access_url),
            ("Statement", scope["may_see"] and "/my/statement"),
            ("Make a Payment", scope["may_pay"] and "/my/invoices/pay"),
        ]
        if scope["may_pay"] and open_invoice:
            tx = self._receipt_transaction(user, open_invoice.sudo())
            pages += [("Payment receipt (online)", f"/my/invoices/pay/receipt/{tx.id}")]
        pages += [
            ("My Payments", "/my/payments"),
            ("Payment receipt", payment.access_url),
            ("Payment Methods", scope["may_manage_methods"] and "/my/payment_method"),
        ]
        return [
            {"name": name, "url": url, "fit": name == "Invoice document"}
            for name, url in pages
            if url
        ]

    def _check_pages(self, login, expected):
        """axe-core on each page of ``login`` at each width; ``expected``:
        the names of the pages that contact must have."""
        pages = self._pages(login)
        self.assertEqual([page["name"] for page in pages], expected)
        params = {
            "pages": pages,
            "viewports": VIEWPORTS,
            "tags": AXE_TAGS,
            "axeUrl": AXE_URL,
        }
        self.browser_js(
            "/my",
            CHECK_JS % {"params": json.dumps(params)},
            login=login,
            timeout=600,
        )

    def test_company_contact(self):
        """Alice sees the whole company's documents and payments."""
        self._check_pages("alice.harbor", ALL_PAGES)

    def test_own_contact(self):
        """Bruno sees his own documents (none paid or queried, no payment,
        no parent)."""
        self._check_pages(
            "bruno.harbor",
            [
                "Home",
                "My Invoices",
                "Invoice (open)",
                "Invoice document",
                "Statement",
                "Make a Payment",
                "Payment receipt (online)",
                "My Payments",
                "Payment Methods",
            ],
        )

    def test_site_contact(self):
        """Sofia sees the Portland site's documents and its share of the
        parent invoice."""
        self._check_pages(
            "sofia.harbor",
            [
                "Home",
                "My Invoices",
                "Invoice (open)",
                "Invoice document",
                "Parent invoice",
                "Statement",
                "Make a Payment",
                "Payment receipt (online)",
                "My Payments",
                "Payment Methods",
            ],
        )

    def test_none_contact(self):
        """Chloe sees no invoice: her lists say so in one line."""
        self._check_pages("chloe.harbor", ["Home", "My Invoices", "My Payments"])

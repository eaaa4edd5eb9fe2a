# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from pathlib import Path

import polib
from lxml import html as lxml_html

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, tagged

from odoo.addons.customer_portal_invoices.tests.common import portal_home_text

OUR_ADDONS = ("customer_portal_invoices", "payment_allocation", "multi_site_billing")
# the stock modules whose templates and menus these pages show: a German
# user has their German translations too
STOCK_MODULES = (
    "base",
    "web",
    "mail",
    "portal",
    "account",
    "payment",
    "account_payment",
    "payment_stripe",
    "payment_demo",
)
# what a sentence is cut at: placeholders and inline markup
CUT_RE = re.compile(r"%\(\w+\)[a-z]|%[a-z]|\{\{.*?\}\}|\{\w*\}|<[^>]*>", re.DOTALL)
SPACES_RE = re.compile(r"\s+")
# attributes people read (or hear) too
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


def _words(text):
    """``text`` with its white space (no-break spaces too) made single."""
    return SPACES_RE.sub(" ", text.replace("\N{NO-BREAK SPACE}", " ")).strip()


def _fragments(text):
    """The pieces of ``text`` of more than one word between its placeholders
    and tags: what a page shows of it, whatever the values."""
    pieces = (_words(piece).strip(" ,.:;!?()-–") for piece in CUT_RE.split(text))
    return {piece for piece in pieces if len(piece.split()) > 1}


@tagged("post_install", "-at_install")
class TestGermanPortal(HttpCase):
    """A German customer reads our portal in German: none of our interface
    sentences is left in English on the overview (/my), the pay page, the
    statement, the payments and the invoices.

    Our sentences are the msgids of the three .pot files that de.po
    translates differently, of more than one word; a page fails when it
    shows one of them in English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user = cls.env.ref("customer_portal_invoices.user_harbor_alice", False)
        if not user:
            # no skip: a database without demo data fails here, loudly
            raise AssertionError(
                "demo data is missing: install the addons with demo data"
            )
        cls.env["res.lang"]._activate_lang("de_DE")
        installed = (
            cls.env["ir.module.module"]
            .search([("name", "in", STOCK_MODULES), ("state", "=", "installed")])
            .mapped("name")
        )
        cls.env["ir.module.module"]._load_module_terms(
            [*installed, *OUR_ADDONS], ["de_DE"], overwrite=True
        )
        user.partner_id.lang = "de_DE"
        cls.login = user.login
        cls.english, cls.german = cls._our_sentences()

    @classmethod
    def _our_sentences(cls):
        """(English fragments that must not show, German fragments of the
        translations), from the .pot and de.po of each addon; both empty
        when a de.po is missing (the tests then fail, see _page)."""
        english, german = set(), set()
        cls.missing = []
        for addon in OUR_ADDONS:
            i18n = Path(get_module_path(addon)) / "i18n"
            po_path = i18n / "de.po"
            if not po_path.is_file():
                cls.missing.append(f"{addon}/i18n/de.po")
                continue
            translations = {
                (entry.msgctxt, entry.msgid): entry.msgstr
                for entry in polib.pofile(str(po_path))
                if entry.msgstr and not entry.obsolete
            }
            for entry in polib.pofile(str(i18n / f"{addon}.pot")):
                msgstr = translations.get((entry.msgctxt, entry.msgid))
                if msgstr and msgstr != entry.msgid:
                    english |= _fragments(entry.msgid)
                    german |= _fragments(msgstr)
        # words German shares with English (names, loanwords) are no sign
        # of a missing translation
        english = {
            fragment
            for fragment in english
            if not any(fragment in sentence for sentence in german)
        }
        return english, german

    def _page(self, url):
        """What the German user reads on ``url``: its text and the
        attributes read out, without scripts and styles."""
        if self.missing:
            self.fail(
                "No German translation to check the portal with: missing "
                + ", ".join(self.missing)
                + " (written by the translators; this test fails until then)"
            )
        self.authenticate(self.login, self.login)
        if url == "/my":
            # as shown once its script has asked the account overview
            root = lxml_html.fromstring(portal_home_text(self))
        else:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            root = lxml_html.fromstring(response.content)
        for node in root.xpath("//script | //style | //template"):
            node.drop_tree()
        texts = [root.text_content()]
        for attribute in READ_ATTRIBUTES:
            texts += root.xpath(f"//@{attribute}")
        return _words(" \n ".join(texts))

    def _check_german(self, url):
        text = self._page(url)
        in_english = sorted(s for s in self.english if s in text)
        self.assertFalse(
            in_english,
            f"{url} shows our sentences in English to a German user: {in_english}",
        )
        self.assertTrue(
            any(sentence in text for sentence in self.german),
            f"{url} shows none of our German sentences",
        )
        return text

    def test_home(self):
        text = self._check_german("/my")
        overview = polib.pofile(
            str(Path(get_module_path("customer_portal_invoices")) / "i18n" / "de.po")
        ).find("Account Overview")
        self.assertIn(overview.msgstr, text)

    def test_pay_page(self):
        self._check_german("/my/invoices/pay")

    def test_statement(self):
        self._check_german("/my/statement")

    def test_payments(self):
        self._check_german("/my/payments")

    def test_invoices(self):
        self._check_german("/my/invoices")

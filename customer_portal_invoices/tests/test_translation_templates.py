# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

OUR_ADDONS = ("customer_portal_invoices", "payment_allocation", "multi_site_billing")


@tagged("post_install", "-at_install")
class TestTranslationTemplates(TransactionCase):
    """Each addon's committed i18n/<addon>.pot holds exactly the terms
    Odoo's exporter finds in its code, views, data and models: a sentence
    added or changed without regenerating the template (tools/export_pot.py)
    would reach no translator, and the .po completeness check of the static
    stage would pass on a stale template."""

    def test_pot_files_match_the_code(self):
        installed = (
            self.env["ir.module.module"]
            .search([("name", "in", OUR_ADDONS), ("state", "=", "installed")])
            .mapped("name")
        )
        self.assertIn("customer_portal_invoices", installed)
        for addon in installed:
            with self.subTest(addon=addon):
                buffer = io.BytesIO()
                trans_export(False, [addon], buffer, "po", self.env.cr)
                exported = {
                    entry.msgid
                    for entry in polib.pofile(buffer.getvalue().decode())
                    if entry.msgid
                }
                path = f"{get_module_path(addon)}/i18n/{addon}.pot"
                committed = {entry.msgid for entry in polib.pofile(path) if entry.msgid}
                self.assertTrue(exported)
                self.assertFalse(
                    sorted(exported - committed),
                    f"{addon}: terms missing from {addon}.pot "
                    "(run tools/export_pot.py)",
                )
                self.assertFalse(
                    sorted(committed - exported),
                    f"{addon}: {addon}.pot has terms the code no longer has "
                    "(run tools/export_pot.py)",
                )

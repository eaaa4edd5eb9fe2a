# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import CustomerPortalCommon


@tagged("post_install", "-at_install")
class TestRuleCache(CustomerPortalCommon):
    """The portal record rules are cached: writes that change what they read
    clear the cache; writes that change nothing (an import rewriting the same
    values) leave it, so that every worker keeps its caches."""

    def _clears_cache(self, records, vals):
        registry = self.env.registry
        registry.cache_invalidated.clear()
        records.write(vals)
        cleared = "default" in registry.cache_invalidated
        registry.cache_invalidated.clear()
        return cleared

    def test_same_values_keep_the_cache(self):
        contact = self.partner_a_own
        self.assertFalse(
            self._clears_cache(
                contact,
                {
                    "parent_id": contact.parent_id.id,
                    "is_company": contact.is_company,
                    "portal_invoice_access": contact.portal_invoice_access,
                    "phone": "+1 555 0100",
                },
            )
        )
        self.assertFalse(
            self._clears_cache(self.customer_a, {"is_company": True, "name": "Acme 2"})
        )

    def test_real_changes_clear_the_cache(self):
        self.assertTrue(
            self._clears_cache(self.partner_a_own, {"portal_invoice_access": "company"})
        )
        self.assertTrue(
            self._clears_cache(self.partner_a_own, {"parent_id": self.customer_b.id})
        )
        self.assertEqual(self.partner_a_own.commercial_partner_id, self.customer_b)

    def test_rules_key_is_indexed(self):
        """The portal rules and domains filter account_move on the commercial
        partner: an index backs it."""
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = 'account_move' "
            "AND indexname = 'account_move__commercial_partner_id_index'"
        )
        self.assertTrue(self.env.cr.fetchone())

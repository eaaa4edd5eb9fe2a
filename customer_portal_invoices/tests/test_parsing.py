# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from ..parsing import MAX_ID, clean_text, parse_id, parse_page


@tagged("post_install", "-at_install")
class TestParsing(TransactionCase):
    """What the portal routes read of the browser's values."""

    def test_parse_id(self):
        for value, expected in (
            (7, 7),
            ("7", 7),
            (" 42 ", 42),
            (MAX_ID, MAX_ID),
            (str(MAX_ID), MAX_ID),
            (MAX_ID + 1, None),
            (str(MAX_ID + 1), None),
            ("99999999999999999999", None),
            ("9" * 100_000, None),
            (0, None),
            ("0", None),
            (-1, None),
            ("-1", None),
            ("1.5", None),
            (1.0, None),
            ("²", None),
            ("١٢", None),  # Arabic-Indic digits
            ("", None),
            ("x", None),
            (None, None),
            (True, None),
            ([1], None),
            ({"id": 1}, None),
        ):
            self.assertEqual(parse_id(value), expected, repr(value)[:40])

    def test_parse_page(self):
        self.assertEqual(parse_page("3"), 3)
        self.assertEqual(parse_page(3), 3)
        for value in ("²", "-2", "0", "x", None, "99999999999999999999", [2]):
            self.assertEqual(parse_page(value), 1, repr(value))

    def test_clean_text(self):
        self.assertEqual(clean_text("INV/2026\x00/1"), "INV/2026/1")
        self.assertEqual(clean_text(" abc "), " abc ")
        for value in (None, 5, ["x"], {"x": 1}, True):
            self.assertEqual(clean_text(value), "")
        # the cleaned text reaches a query
        Move = self.env["account.move"]
        self.assertFalse(Move.search([("name", "ilike", clean_text("\x00zz\x00q"))]))

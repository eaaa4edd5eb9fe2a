# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Values sent by the browser (query string, form, JSON), read once at the
top of the portal routes: what is not what the route expects becomes
nothing (None, 1, "") and never reaches a query."""

# The largest id PostgreSQL stores in an integer column.
MAX_ID = 2**31 - 1


def parse_id(value):
    """A record id sent by the browser (an int, or a string of ASCII
    digits), or None when it is not a positive id PostgreSQL can hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
            return None
        value = int(value)
    if isinstance(value, int) and 0 < value <= MAX_ID:
        return value
    return None


def parse_page(value):
    """A page number of a portal list: 1 when it is no positive id (the
    pager clamps it to the last page)."""
    return parse_id(value) or 1


def clean_text(value):
    """A text sent by the browser without the NUL characters PostgreSQL
    refuses in a string; "" when it is no text."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "")

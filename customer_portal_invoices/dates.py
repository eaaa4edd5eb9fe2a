# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dates shown in lists: the language's date format, looked up once."""

import babel.dates

from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml


def date_text(env):
    """A function giving the text of a date in the language of ``env``, as
    ``<span t-field="record.a_date_field"/>`` shows it ("" for no date),
    for the rows of a list: the language and its format are looked up once
    rather than once per date (the widget costs about 0.1 ms a date, most of
    it finding the language)."""
    lang = get_lang(env)
    locale = babel_locale_parse(lang.code)
    pattern = posix_to_ldml(lang.date_format, locale=locale)

    def text(value):
        if not value:
            return ""
        return babel.dates.format_date(value, format=pattern, locale=locale)

    return text

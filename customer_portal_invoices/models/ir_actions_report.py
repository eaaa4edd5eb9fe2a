# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import copy
import logging

import lxml.html
from lxml import etree

from odoo import models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# A report table with this class repeats its headings on every page of the
# PDF. wkhtmltopdf built without patched Qt (Debian's) never repeats a
# table's <thead> on the next page, whatever the CSS says: the table is
# printed as blocks of rows, each with a copy of the headings and kept on one
# page (page-break-inside: avoid), so that every page starts with headings.
REPEAT_HEAD_CLASS = "o_pdf_repeat_head"
REPEAT_HEAD_XPATH = (
    "//table[contains(concat(' ', normalize-space(@class), ' '), "
    f"' {REPEAT_HEAD_CLASS} ')]"
)
# rows per block: a block must fit on a page, wrapped rows included
# (``data-pdf-rows-per-block`` on the table sets another number)
ROWS_PER_BLOCK = 20


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        return super()._prepare_html(
            self._pdf_split_repeat_head_tables(html), report_model=report_model
        )

    @staticmethod
    def _pdf_split_repeat_head_tables(html):
        """``html`` with each table of class :data:`REPEAT_HEAD_CLASS` cut
        into blocks of rows, each block a table with the same attributes and
        headings, kept on one page."""
        marker = (
            REPEAT_HEAD_CLASS.encode() if isinstance(html, bytes) else REPEAT_HEAD_CLASS
        )
        if marker not in html:
            return html
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        for table in root.xpath(REPEAT_HEAD_XPATH):
            thead = table.find("thead")
            tbody = table.find("tbody")
            if thead is None or tbody is None:
                continue
            try:
                size = max(int(table.get("data-pdf-rows-per-block", ROWS_PER_BLOCK)), 1)
            except ValueError:
                size = ROWS_PER_BLOCK
            style = "; ".join(
                filter(
                    None,
                    [table.get("style", "").strip("; "), "page-break-inside: avoid"],
                )
            )
            table.set("style", style)
            rows = tbody.findall("tr")
            previous = table
            for start in range(size, len(rows), size):
                block = etree.Element("table", attrib=dict(table.attrib))
                block.append(copy.deepcopy(thead))
                block_body = etree.SubElement(block, "tbody", attrib=dict(tbody.attrib))
                for row in rows[start : start + size]:
                    block_body.append(row)
                previous.addnext(block)
                previous = block
        return etree.tostring(root, method="html", encoding="utf-8")

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """A render that produced no PDF is an error, never an empty file.

        Stock accepts wkhtmltopdf's exit code 1 (a resource that failed to
        load still gives a PDF) and then returns whatever the output file
        holds. A wkhtmltopdf built without patched Qt (Debian's) exits with 1
        too when given several documents at once, and leaves the file empty:
        stock would serve that empty file as a PDF, with a 200 status, and
        store it as an invoice's PDF. Raise instead, so every route shows the
        user an error and nothing empty is stored."""
        content = super()._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if content[:5] != b"%PDF-":
            _logger.error(
                "wkhtmltopdf produced no PDF for %s (%s document(s))",
                report_ref or self.report_name,
                len(bodies),
            )
            if len(bodies) > 1:
                # a wkhtmltopdf without patched Qt renders one document a time
                raise UserError(
                    self.env._(
                        "The PDF of these %(count)s documents could not be "
                        "generated together. Please print them one at a time.",
                        count=len(bodies),
                    )
                )
            raise UserError(
                self.env._(
                    "The PDF could not be generated. Please try again later or "
                    "contact us."
                )
            )
        return content

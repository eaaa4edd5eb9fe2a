# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The text of each page of a PDF, read by poppler's pdfinfo and pdftotext
(installed with wkhtmltopdf wherever the PDF tests run)."""

import re
import subprocess
import tempfile


def pdf_pages_text(content):
    """``[text of page 1, text of page 2, ...]`` of the PDF ``content``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
        pdf_file.write(content)
        pdf_file.flush()
        info = subprocess.run(
            ["pdfinfo", pdf_file.name], check=True, capture_output=True, text=True
        ).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
        return [
            subprocess.run(
                ["pdftotext", "-layout", "-f", str(page), "-l", str(page)]
                + [pdf_file.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for page in range(1, pages + 1)
        ]

#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's command line, as a script: ``python3 tools/odoo_cli.py <odoo args>``.

Same as ``python3 -m odoo``, except that the prefork server (``--workers``)
can start its gevent process, which it runs as ``sys.argv[0]``: with ``-m``
that is a file of the odoo package, which cannot run alone."""

from odoo.cli.command import main

if __name__ == "__main__":
    main()

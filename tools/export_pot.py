#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Regenerate each addon's translation template (i18n/<addon>.pot) with
Odoo's own exporter, from a database where the three addons are installed.

    python3 tools/export_pot.py --database DB [--addons-path PATH]
        [--db-host localhost] [--db-user USER] [ADDON ...]

Without ADDON: the three addons. The header's server version is written as
"Odoo Server 18.0" whatever the build, so that templates exported on two
18.0 builds differ only where the terms differ. After this, bring each
language file in step: ``msgmerge --update --no-fuzzy-matching
<addon>/i18n/<lang>.po <addon>/i18n/<addon>.pot`` and translate what it
left empty; the static stage checks every .po is complete against its .pot,
and an Odoo test that the .pot holds exactly the terms of the code.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("customer_portal_invoices", "payment_allocation", "multi_site_billing")


def default_addons_path():
    import odoo.addons

    return ",".join([os.path.dirname(odoo.addons.__file__), str(ROOT)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER"))
    parser.add_argument("addons", nargs="*", default=list(ADDONS))
    args = parser.parse_args(argv)
    for addon in args.addons:
        if addon not in ADDONS:
            parser.error(f"{addon}: not one of {', '.join(ADDONS)}")
    with tempfile.TemporaryDirectory() as tmp:
        for addon in args.addons:
            out = Path(tmp) / f"{addon}.pot"
            cmd = [
                sys.executable,
                "-m",
                "odoo",
                "-d",
                args.database,
                "--addons-path",
                args.addons_path or default_addons_path(),
                "--db_host",
                args.db_host,
                f"--i18n-export={out}",
                f"--modules={addon}",
                "--stop-after-init",
                "--log-level=warn",
            ]
            if args.db_user:
                cmd += ["--db_user", args.db_user]
            subprocess.run(cmd, check=True)
            text = re.sub(
                r'^"Project-Id-Version: Odoo Server [^\\]*\\n"$',
                r'"Project-Id-Version: Odoo Server 18.0\\n"',
                out.read_text(encoding="utf-8"),
                count=1,
                flags=re.MULTILINE,
            )
            target = ROOT / addon / "i18n" / f"{addon}.pot"
            target.write_text(text, encoding="utf-8")
            print(f"{target.relative_to(ROOT)}: {text.count('msgid ') - 1} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

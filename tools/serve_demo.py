#!/usr/bin/env python3
"""Create a demo database with the three addons and serve Odoo on it.

    python3 tools/serve_demo.py [--db NAME] [--port 8069] [--reset]
        [--workers N] [--cron-threads N]

Needs Odoo 18 importable by this python3 and PostgreSQL reachable (PGHOST,
PGUSER; default localhost and the current user). The database is created on
the first run (with demo data and Odoo's Demo payment provider) and reused
afterwards; --reset drops and recreates it. ``--workers N`` serves it as
production does, with Odoo's prefork server (N HTTP workers, plus the cron
workers of ``--cron-threads``); the default, 0, is Odoo's threaded server.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from run import ADDONS, DB_HOST, DB_USER, EXTRA_MODULES, OPTIONS, missing_prerequisites

LOGINS = (
    ("back office", "admin", "admin", "administrator"),
    ("portal", "alice.harbor", "alice.harbor", "Harbor Logistics, whole company"),
    ("portal", "bruno.harbor", "bruno.harbor", "Harbor Logistics, own documents"),
    ("portal", "chloe.harbor", "chloe.harbor", "Harbor Logistics, no invoices"),
    ("portal", "sofia.harbor", "sofia.harbor", "Harbor Logistics, site HL-PDX only"),
    ("portal", "diego.summit", "diego.summit", "Summit Foods, another customer"),
)


def database_exists(name):
    probe = (
        "import psycopg2, sys\n"
        "cn = psycopg2.connect(dbname='postgres', host=sys.argv[1], user=sys.argv[2])\n"
        "cr = cn.cursor()\n"
        "cr.execute('SELECT 1 FROM pg_database WHERE datname = %s', (sys.argv[3],))\n"
        "sys.exit(0 if cr.fetchone() else 1)\n"
    )
    return (
        subprocess.run(
            [sys.executable, "-c", probe, DB_HOST, DB_USER, name], check=False
        ).returncode
        == 0
    )


def odoo_args(db, port):
    return [
        sys.executable,
        str(ROOT / "tools" / "odoo_cli.py"),
        "--database",
        db,
        "--db-filter",
        f"^{db}$",
        "--db_host",
        DB_HOST,
        "--db_user",
        DB_USER,
        "--addons-path",
        OPTIONS["addons_path"],
        "--http-port",
        str(port),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="invoice_portal_demo")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--reset", action="store_true", help="recreate the database")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="HTTP worker processes (Odoo's prefork server); 0: threaded",
    )
    parser.add_argument(
        "--cron-threads", type=int, default=1, help="cron workers (default 1)"
    )
    args = parser.parse_args()

    missing = missing_prerequisites()[0]
    if missing:
        sys.stderr.write(f"Cannot start the demo: missing {', '.join(missing)}.\n")
        sys.stderr.write(
            "Prerequisites: Odoo 18.0 importable by this python3 (its source with "
            "its requirements installed, then `pip install -e <odoo-source>`), the "
            "packages of requirements.txt, and a PostgreSQL server.\n"
        )
        return 2
    if args.reset and database_exists(args.db):
        subprocess.run(["dropdb", "-h", DB_HOST, "-U", DB_USER, args.db], check=True)
    if not database_exists(args.db):
        modules = ",".join(ADDONS + EXTRA_MODULES)
        sys.stdout.write(f"Creating {args.db} with {modules} and demo data...\n")
        sys.stdout.flush()
        rc = subprocess.run(
            [
                *odoo_args(args.db, args.port),
                "--init",
                modules,
                "--stop-after-init",
                "--log-level",
                "warn",
            ],
            cwd=ROOT,
            check=False,
        ).returncode
        if rc:
            sys.stderr.write(f"Installing the addons failed (exit {rc}).\n")
            return rc
    sys.stdout.write(f"\nOdoo on http://localhost:{args.port} (database {args.db})\n")
    for kind, login, password, what in LOGINS:
        sys.stdout.write(f"  {kind:<12} {login:<14} / {password:<14} {what}\n")
    sys.stdout.write("Stop with Ctrl-C.\n\n")
    sys.stdout.flush()
    os.chdir(ROOT)
    command = odoo_args(args.db, args.port) + [
        "--workers",
        str(args.workers),
        "--max-cron-threads",
        str(args.cron_threads),
    ]
    os.execv(command[0], command)
    return 0


if __name__ == "__main__":
    sys.exit(main())

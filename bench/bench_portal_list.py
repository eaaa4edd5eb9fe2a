#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark: /my/invoices of a company-wide contact with 10 and 10,000
invoices, with and without the index on account_move.commercial_partner_id
(the key of the portal record rules), before and after ANALYZE.

    python3 bench/bench_portal_list.py --template <db> [--invoices 10000]

``--template`` is a database with the addons (and payment_demo) installed;
the benchmark copies it into a scratch database, loads the invoices there
(committed: the pages are served by Odoo's own HTTP stack, in this process,
with their own cursors), prints time and query count of each page, then
EXPLAIN of the record rule's filter, and drops the scratch database
(``--keep`` keeps it). PostgreSQL here runs without autovacuum: "before
ANALYZE" is what a fresh import looks like.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INDEX = "account_move__commercial_partner_id_index"
REPEAT = 3
# The requests are served in this process: the WSGI environ a server sets.
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", required=True)
    parser.add_argument("--database", default="bench_portal_list")
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db_user", default=os.environ.get("PGUSER"))
    parser.add_argument("--addons-path", default=f"/opt/odoo18/odoo/addons,{ROOT}")
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch db")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the scratch database of an earlier --keep run again",
    )
    return parser.parse_args()


def psql_args(args):
    extra = ["-h", args.db_host] if args.db_host else []
    return extra + (["-U", args.db_user] if args.db_user else [])


def create_customer(env, name, login, count, batch=1000):
    """A customer company, a company-wide portal contact and ``count``
    posted invoices addressed to the company."""
    Command = __import__("odoo").fields.Command
    Partner = env["res.partner"]
    customer = Partner.create({"name": name, "is_company": True})
    contact = Partner.create({"name": f"{name} Contact", "parent_id": customer.id})
    contact.portal_invoice_access = "company"
    env["res.users"].create(
        {
            "login": login,
            "password": login,
            "partner_id": contact.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    today = env["account.move"].browse()._fields["date"].context_today(env.user)
    for start in range(0, count, batch):
        values = [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=(index % 700) + 30),
                "invoice_date_due": today - timedelta(days=index % 700),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": 10.0 + index % 97,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
            for index in range(start, min(start + batch, count))
        ]
        env["account.move"].create(values).action_post()
        env.cr.commit()
        sys.stdout.write(f"  {name}: {min(start + batch, count)} invoices\n")
        sys.stdout.flush()
    return customer


def page(client, url):
    """Time and query count of one GET, served in this thread."""
    thread = threading.current_thread()
    thread.query_count = 0
    start = time.perf_counter()
    response = client.get(url, environ_base=ENVIRON)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return elapsed, thread.query_count


def login(odoo_http, db, user):
    from werkzeug.test import Client

    client = Client(odoo_http.root)
    response = client.post(
        "/web/session/authenticate",
        environ_base=ENVIRON,
        json={"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": user}},
    )
    if response.status_code != 200 or "error" in response.get_json():
        raise RuntimeError(f"login {user}: {response.get_data(as_text=True)[:300]}")
    return client


def measure(odoo_http, db, users, label):
    rows = {}
    for count, user in users.items():
        client = login(odoo_http, db, user)
        page(client, "/my/invoices")  # warm caches
        runs = [page(client, "/my/invoices") for _ in range(REPEAT)]
        elapsed = statistics.median(r[0] for r in runs)
        queries = runs[-1][1]
        rows[count] = (elapsed, queries)
        sys.stdout.write(
            f"{label:<38} {count:>6} invoices {elapsed:8.3f} s {queries:5d} queries\n"
        )
        sys.stdout.flush()
    return rows


def explain(registry, login):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", login)])
        query = (
            env["account.move"]
            .with_user(user)
            ._search(
                [("state", "not in", ("cancel", "draft"))], order="invoice_date desc"
            )
        )
        cr.execute(
            __import__("odoo").tools.SQL(
                "EXPLAIN %s LIMIT 20", query.select("account_move.id")
            )
        )
        return "\n".join(row[0] for row in cr.fetchall())


def set_index(registry, present):
    with registry.cursor() as cr:
        if present:
            cr.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} "
                "ON account_move (commercial_partner_id)"
            )
        else:
            cr.execute(f"DROP INDEX IF EXISTS {INDEX}")


def main():
    args = parse_args()
    psql = psql_args(args)
    if not args.reuse:
        subprocess.run(["dropdb", "--if-exists", *psql, args.database], check=True)
        subprocess.run(
            ["createdb", *psql, "-T", args.template, args.database], check=True
        )
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo import http as odoo_http
    from odoo.tools import config

    options = ["-d", args.database, "--addons-path", args.addons_path]
    options += ["--db_host", args.db_host] if args.db_host else []
    options += ["--db_user", args.db_user] if args.db_user else []
    config.parse_config(options)
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    context = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "mail_create_nosubscribe": True,
        "no_reset_password": True,
    }
    try:
        if not args.reuse:
            sys.stdout.write("Loading invoices (committed to the scratch database)\n")
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, context)
                create_customer(env, "Bench Small", "bench_small", 10)
                create_customer(env, "Bench Big", "bench_big", args.invoices)
        users = {10: "bench_small", args.invoices: "bench_big"}
        results = {}
        for stats in ("before ANALYZE", "after ANALYZE"):
            if stats == "after ANALYZE":
                with registry.cursor() as cr:
                    cr.execute("ANALYZE")
            for present in (False, True):
                set_index(registry, present)
                label = f"{stats}, {'with' if present else 'without'} index"
                results[label] = measure(odoo_http, args.database, users, label)
        sys.stdout.write("\nratios (without index / with index, 10,000 invoices):\n")
        for stats in ("before ANALYZE", "after ANALYZE"):
            without = results[f"{stats}, without index"][args.invoices]
            with_ = results[f"{stats}, with index"][args.invoices]
            sys.stdout.write(
                f"  {stats}: time {without[0] / with_[0]:.2f}, "
                f"queries {without[1] / with_[1]:.2f}\n"
            )
        sys.stdout.write("\nqueries, 10 vs 10,000 invoices (with index, analyzed): ")
        analyzed = results["after ANALYZE, with index"]
        sys.stdout.write(f"{analyzed[10][1]} vs {analyzed[args.invoices][1]}\n")
        sys.stdout.write("\nEXPLAIN of the portal list query of the big customer:\n")
        plan = explain(registry, "bench_big")
        sys.stdout.write(plan + "\n")
        sys.stdout.write(f"the record rule's filter uses {INDEX}: {INDEX in plan}\n")
    finally:
        odoo.sql_db.close_db(args.database)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", *psql, args.database], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

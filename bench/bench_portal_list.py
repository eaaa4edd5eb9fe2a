#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark: /my and /my/invoices of a company-wide contact with 10 and N
invoices, ours beside stock Odoo, before and after ANALYZE.

    python3 bench/bench_portal_list.py --template <db> [--invoices 1000]
        [--stock-template <db>] [--repeat 7] [--keep] [--reuse]

``--template`` is a database with our addons installed. "Stock" is a database
with only the stock modules our addons build on (account, portal,
account_payment, payment_stripe, payment_demo): ``--stock-template`` when
given, else one the benchmark installs itself (no demo data). The
benchmark copies each into a scratch database (``--database`` and
``<database>_stock``), loads the same customers and invoices in both
(committed: the pages are served by Odoo's own HTTP stack, in this process,
with their own cursors), then prints the time (median of ``--repeat``
requests, the two databases' requests interleaved) and the query count of
each page on both databases, and their ratio (ours / stock); "/my+calls" is
/my with the calls its scripts make once it is shown (the document counters
and, ours, the account overview), one after the other. PostgreSQL here runs
without autovacuum: "before ANALYZE" is what a fresh import looks like. The
scratch databases are dropped at the end (``--keep`` keeps them; ``--reuse``
measures those of an earlier ``--keep`` run again, without loading
anything).
"""

import argparse
import functools
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta

from bench_env import default_addons_path, odoo_addons

PAGES = ("/my", "/my/invoices")
# /my with the calls its scripts make once it is shown: the document counters
# (data-placeholder_count) and, ours, the account overview.
HOME_WITH_CALLS = "/my+calls"
HOME_COUNTER = re.compile(r'data-placeholder_count="([^"]+)"')
REPEAT = 7
MIN_SAMPLES = 3
SLOW = 60.0
# What our addons build on, so that both sides run the same stock code.
STOCK_MODULES = "account,portal,account_payment,payment_stripe,payment_demo"
# The requests are served in this process: the WSGI environ a server sets.
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", required=True, help="database with our addons")
    parser.add_argument(
        "--stock-template",
        help="database with only the stock modules our addons build on "
        "(default: installed)",
    )
    parser.add_argument("--database", default="bench_portal_list")
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db_user", default=os.environ.get("PGUSER"))
    parser.add_argument("--addons-path", default=default_addons_path())
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument(
        "--repeat",
        type=int,
        default=REPEAT,
        help="requests timed per page (their median is shown)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch dbs")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the scratch databases of an earlier --keep run again",
    )
    return parser.parse_args()


def psql_args(args):
    extra = ["-h", args.db_host] if args.db_host else []
    return extra + (["-U", args.db_user] if args.db_user else [])


def odoo_args(args):
    extra = ["--db_host", args.db_host] if args.db_host else []
    return extra + (["--db_user", args.db_user] if args.db_user else [])


def prepare_databases(args, ours, stock):
    psql = psql_args(args)
    for db in (ours, stock):
        subprocess.run(["dropdb", "--if-exists", *psql, db], check=True)
    subprocess.run(["createdb", *psql, "-T", args.template, ours], check=True)
    if args.stock_template:
        subprocess.run(
            ["createdb", *psql, "-T", args.stock_template, stock], check=True
        )
        return
    sys.stdout.write(f"Installing {STOCK_MODULES} in {stock}\n")
    sys.stdout.flush()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            stock,
            "--addons-path",
            odoo_addons(),
            *odoo_args(args),
            "-i",
            STOCK_MODULES,
            "--without-demo",
            "all",
            "--stop-after-init",
            "--log-level",
            "warn",
        ],
        check=True,
    )


def create_customer(env, name, login, count, batch=500):
    """A customer company, a company-wide portal contact and ``count``
    posted invoices addressed to the company (every fifth a credit note), a
    third of them paid."""
    Command = __import__("odoo").fields.Command
    Partner = env["res.partner"]
    customer = Partner.create({"name": name, "is_company": True})
    contact = Partner.create({"name": f"{name} Contact", "parent_id": customer.id})
    if "portal_invoice_access" in Partner._fields:
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
                "move_type": "out_refund" if index % 5 == 4 else "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=(index % 700) + 30),
                "invoice_date_due": today - timedelta(days=index % 700 - 20),
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
        moves = env["account.move"].create(values)
        moves.action_post()
        to_pay = moves.filtered(lambda m: m.move_type == "out_invoice")[::3]
        if to_pay:
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=to_pay.ids
            ).create({"group_payment": False})._create_payments()
        env.cr.commit()
        sys.stdout.write(f"  {env.cr.dbname}: {name}: {start + len(moves)} invoices\n")
        sys.stdout.flush()
    return customer


def load(registry, count):
    from odoo import SUPERUSER_ID, api

    context = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "no_reset_password": True,
    }
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        create_customer(env, "Bench Small", "bench_small", 10)
        create_customer(env, "Bench Big", "bench_big", count)


def page(client, url):
    """Time, query count and text of one GET, served in this thread."""
    thread = threading.current_thread()
    thread.query_count = 0
    start = time.perf_counter()
    response = client.get(url, environ_base=ENVIRON)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return elapsed, thread.query_count, response.get_data(as_text=True)


def home_calls(text):
    """The /my/counters calls the scripts of /my (its HTML ``text``) make once
    it is shown, each a list of counter names: the document counters, split
    as the portal's script splits them (at most 3 calls, about 5 counters
    each), and, ours, the account overview (when the page holds its
    place)."""
    names = HOME_COUNTER.findall(text)
    calls = []
    if names:
        count = min(-(-len(names) // 5), 3)
        size = -(-len(names) // count)
        calls = [names[i * size : (i + 1) * size] for i in range(count)]
    if "o_portal_home_overview" in text:
        calls.append(["portal_account_overview"])
    return [names for names in calls if names]


def counters(client, names):
    """Time and query count of one /my/counters call, served in this
    thread."""
    thread = threading.current_thread()
    thread.query_count = 0
    start = time.perf_counter()
    response = client.post(
        "/my/counters",
        environ_base=ENVIRON,
        json={"jsonrpc": "2.0", "method": "call", "params": {"counters": names}},
    )
    elapsed = time.perf_counter() - start
    if response.status_code != 200 or "error" in response.get_json():
        raise RuntimeError(f"/my/counters {names}: {response.get_data()[:300]}")
    return elapsed, thread.query_count


def home_with_calls(client):
    """/my and the calls its scripts make once it is shown (the document
    counters, split as the portal's script splits them, and ours' account
    overview), one after the other: (seconds, queries) in all."""
    seconds, queries, text = page(client, "/my")
    for names in home_calls(text):
        more = counters(client, names)
        seconds, queries = seconds + more[0], queries + more[1]
    return seconds, queries


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


def measure(odoo_http, dbs, users, repeat):
    """{db: {(url, invoice count): (median seconds, queries)}} of ``dbs``,
    their requests interleaved (one of each database's in turn, the order
    alternating), so that the machine's drift weighs on both alike. A page
    that has taken over SLOW seconds in all stops at MIN_SAMPLES
    samples (stock's list before ANALYZE takes a minute a request)."""
    rows = {db: {} for db in dbs}
    for count, user in users.items():
        clients = {db: login(odoo_http, db, user) for db in dbs}
        for url in (*PAGES, HOME_WITH_CALLS):
            if url == HOME_WITH_CALLS:
                sample = home_with_calls
            else:
                sample = functools.partial(page, url=url)
            runs = {db: [] for db in dbs}
            spent = dict.fromkeys(dbs, 0.0)
            for db in dbs:
                spent[db] += sample(clients[db])[0]  # warm caches
            for index in range(repeat):
                order = dbs if index % 2 == 0 else dbs[::-1]
                for db in order:
                    if len(runs[db]) >= MIN_SAMPLES and spent[db] > SLOW:
                        continue
                    run = sample(clients[db])
                    spent[db] += run[0]
                    runs[db].append(run)
            for db in dbs:
                rows[db][url, count] = (
                    statistics.median(r[0] for r in runs[db]),
                    min(r[1] for r in runs[db]),
                )
    return rows


def report(label, ours, stock):
    sys.stdout.write(f"\n{label}\n")
    sys.stdout.write(
        f"{'page':<14}{'invoices':>9}{'ours s':>10}{'stock s':>10}{'ratio':>7}"
        f"{'ours q':>9}{'stock q':>9}{'ratio':>7}{'+q':>5}\n"
    )
    for key in ours:
        url, count = key
        (t_ours, q_ours), (t_stock, q_stock) = ours[key], stock[key]
        sys.stdout.write(
            f"{url:<14}{count:>9}{t_ours:>10.3f}{t_stock:>10.3f}"
            f"{t_ours / t_stock:>7.2f}{q_ours:>9}{q_stock:>9}"
            f"{q_ours / q_stock:>7.2f}{q_ours - q_stock:>+5}\n"
        )
    sys.stdout.flush()


def main():
    args = parse_args()
    ours_db, stock_db = args.database, f"{args.database}_stock"
    if not args.reuse:
        prepare_databases(args, ours_db, stock_db)
    import odoo
    from odoo import http as odoo_http
    from odoo.tools import config

    options = ["-d", f"{ours_db},{stock_db}", "--addons-path", args.addons_path]
    config.parse_config(options + odoo_args(args))
    odoo.service.server.load_server_wide_modules()
    registries = {db: odoo.modules.registry.Registry(db) for db in (ours_db, stock_db)}
    try:
        if not args.reuse:
            sys.stdout.write("Loading invoices (committed to the scratch databases)\n")
            for registry in registries.values():
                load(registry, args.invoices)
        users = {10: "bench_small", args.invoices: "bench_big"}
        for stats in ("before ANALYZE", "after ANALYZE"):
            if stats == "after ANALYZE":
                for registry in registries.values():
                    with registry.cursor() as cr:
                        cr.execute("ANALYZE")
            results = measure(odoo_http, (ours_db, stock_db), users, args.repeat)
            report(
                f"{stats}: ours ({ours_db}) / stock ({stock_db})",
                results[ours_db],
                results[stock_db],
            )
    finally:
        for db in (ours_db, stock_db):
            odoo.sql_db.close_db(db)
        if not args.keep:
            for db in (ours_db, stock_db):
                subprocess.run(
                    ["dropdb", "--if-exists", *psql_args(args), db], check=False
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

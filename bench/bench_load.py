#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Load benchmark: concurrent portal contacts against a prefork Odoo, ours
beside stock.

    python3 bench/bench_load.py --template <db with our addons>
        [--stock-template <db>] [--customers 8] [--invoices 300]
        [--clients 8] [--duration 30] [--workers 1,2,4] [--runs 1]
        [--pay-every 20] [--http-port P] [--keep] [--reuse] [--profile DIR]

Two scratch databases are made: ``--database`` (a copy of ``--template``, our
addons) and ``<database>_stock`` (a copy of ``--stock-template``, or the stock
modules our addons build on, installed without demo data). Both get the same
``--customers`` customer companies, each with one company-wide portal contact
and ``--invoices`` posted invoices (a third paid, every fifth a credit note),
then ``ANALYZE``. For each worker count, and ``--runs`` times, ours and stock
are served in turn by a prefork server (``--workers N``, no cron) on loopback,
and ``--clients`` logged-in contacts (one per customer, round robin) browse for
``--duration`` seconds: ``/my``, My Invoices, its page 2 and an invoice (with
``--all-pages``, ours also the statement and My Payments). Every
``--pay-every``-th visit of a client pays one open invoice of its customer
with Odoo's Demo provider (``/invoice/transaction/<id>``, then the provider's
simulated confirmation): the same stock route on both sides. After ``/my``,
a client makes the calls the page's scripts make, as a browser does: the
document counters (both sides) and, ours, the account overview.

It prints, per worker count and side, pages and payments served per second
(``req/s``; /my's calls are part of the work, not pages), median and p95
latency overall and per page (``/my+calls``: from /my's request to its
last call's answer), errors, and ours/stock ratios on the pages both
sides serve. Requests go to 127.0.0.1 only; every loop stops by itself.

With ``--profile DIR`` (needs ``py-spy``), each worker process is sampled
during each run (``py-spy record --format raw``, one file per side, run and
worker in DIR), and a table says, per side, the share of the workers'
request samples spent in each of a list of functions (inclusive), and the
functions of our addons with most samples: where the time goes, ours beside
stock.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_portal_list import (
    create_customer,
    home_calls,
    odoo_args,
    prepare_databases,
    psql_args,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The samples of the calls /my's scripts make (not pages of their own).
HOME_CALL_SAMPLES = ("/my counters", "/my overview", "/my+calls")
# Pages both sides serve, and the ones only ours has.
COMMON_PAGES = ("/my", "/my/invoices", "/my/invoices?page=2", "invoice")
OURS_PAGES = ("/my/statement", "/my/payments")


def default_addons_path():
    import odoo.addons

    return ",".join([*odoo.addons.__path__, ROOT])


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", help="database with our addons installed")
    parser.add_argument("--stock-template", help="database with the stock modules")
    parser.add_argument("--database", default="bench_load")
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db_user", default=os.environ.get("PGUSER"))
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--customers", type=int, default=8)
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--pay-every",
        type=int,
        default=20,
        help="a client pays one invoice every N visits (0: never)",
    )
    parser.add_argument(
        "--all-pages",
        action="store_true",
        help="ours also browses the statement and My Payments (no req/s ratio)",
    )
    parser.add_argument(
        "--http-port",
        type=int,
        default=None,
        help="port of the benchmarked servers (default: a free one)",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="sample the workers with py-spy during each run, into DIR",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch dbs")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the scratch dbs of a --keep run"
    )
    args = parser.parse_args()
    if not args.reuse and not args.template:
        parser.error("--template is required (unless --reuse)")
    args.addons_path = args.addons_path or default_addons_path()
    args.log_dir = tempfile.mkdtemp(prefix="bench_load_")
    args.worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    return args


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# ------------------------------------------------------------------ data


def load(args, db):
    """The same customers, contacts and invoices in ``db``, the Demo provider
    in test mode, then ANALYZE."""
    import odoo
    from odoo import SUPERUSER_ID, api

    registry = odoo.modules.registry.Registry(db)
    context = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "no_reset_password": True,
    }
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        provider = env.ref("payment.payment_provider_demo")
        provider.write({"state": "test", "is_published": True})
        # Its payment method line, made once here: Odoo makes it when a first
        # payment needs it, and two workers paying at once make two (then no
        # payment of the provider can be post-processed: "Expected singleton")
        lines = env["account.payment.method.line"].search_count(
            [("payment_provider_id", "=", provider.id)]
        )
        if provider.journal_id and not lines:
            provider._ensure_payment_method_line()
        for index in range(args.customers):
            create_customer(
                env, f"Load Customer {index}", f"load_{index}", args.invoices
            )
        cr.commit()
    odoo.sql_db.close_db(db)
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute("ANALYZE")


def invoice_ids(args, db, login):
    """Posted customer invoices of ``login``'s company: all ids, and (id,
    amount due) of the unpaid ones."""
    import odoo

    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute(
            """
            SELECT m.id, m.payment_state, m.amount_residual
              FROM account_move m
              JOIN res_partner p ON p.id = m.partner_id
              JOIN res_partner c ON c.commercial_partner_id = p.commercial_partner_id
              JOIN res_users u ON u.partner_id = c.id
             WHERE u.login = %s AND m.state = 'posted'
                   AND m.move_type = 'out_invoice'
             ORDER BY m.id
            """,
            [login],
        )
        rows = cr.fetchall()
    return [r[0] for r in rows], [(r[0], r[2]) for r in rows if r[1] == "not_paid"]


def demo_ids(db):
    import odoo

    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute(
            "SELECT p.id, m.id FROM payment_provider p, payment_method m "
            "WHERE p.code = 'demo' AND m.code = 'demo' LIMIT 1"
        )
        return cr.fetchone()


# ------------------------------------------------------------------ server


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, db, workers, port):
    # tools/odoo_cli.py, not ``-m odoo``: the prefork server starts its gevent
    # process with ``sys.argv[0]``.
    command = [
        sys.executable,
        os.path.join(ROOT, "tools", "odoo_cli.py"),
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--addons-path",
        args.addons_path,
        *odoo_args(args),
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(port),
        "--workers",
        str(workers),
        "--max-cron-threads",
        "0",
        "--limit-time-real",
        "600",
        "--limit-time-cpu",
        "600",
        "--log-level",
        "warn",
    ]
    log = open(os.path.join(args.log_dir, f"{db}_{workers}.log"), "w")  # noqa: SIM115
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/login", timeout=5).ok:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise RuntimeError(f"Odoo on {db} exited {server.returncode}: {log.name}")
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"Odoo on {db} did not answer in 120 s: {log.name}")


def stop_server(server):
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ------------------------------------------------------------------ load


class Client(threading.Thread):
    """One logged-in contact browsing (and sometimes paying) until ``stop``."""

    def __init__(self, base, db, login, pages, invoices, demo, pay_every, stop):
        super().__init__(daemon=True)
        self.base, self.db, self.login = base, db, login
        self.pages, self.demo, self.pay_every = pages, demo, pay_every
        self.invoices, self.open_invoices = invoices
        self.stop = stop
        self.samples = []  # (page, seconds, ok)
        self.session = requests.Session()

    def rpc(self, path, params):
        return self.session.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        )

    def log_in(self):
        answer = self.rpc(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": self.login},
        )
        if not answer.ok or "error" in answer.json():
            raise RuntimeError(f"login {self.login}: {answer.text[:300]}")

    def get(self, page, url):
        start = time.perf_counter()
        text = ""
        try:
            answer = self.session.get(self.base + url, timeout=120)
            ok = answer.status_code == 200
            text = answer.text if ok else ""
        except requests.RequestException:
            ok = False
        self.samples.append((page, time.perf_counter() - start, ok))
        if ok and url == "/my":
            self.home_calls(text, start)

    def call(self, name, params):
        start = time.perf_counter()
        try:
            answer = self.rpc("/my/counters", params)
            ok = answer.ok and "error" not in answer.json()
        except requests.RequestException:
            ok = False
        self.samples.append((name, time.perf_counter() - start, ok))
        return ok

    def home_calls(self, text, start):
        """What /my's scripts ask once it is shown, on both sides: the
        document counters, split as the portal's script splits them (at most
        3 calls), and, ours, the account overview (its place on the page).
        Made one after the other (a browser makes them at once): the
        "/my+calls" sample, from the page's request to the last answer, is
        the longest a contact waits for the whole home page."""
        ok = True
        for names in home_calls(text):
            name = (
                "/my overview"
                if names == ["portal_account_overview"]
                else "/my counters"
            )
            ok = self.call(name, {"counters": names}) and ok
        self.samples.append(("/my+calls", time.perf_counter() - start, ok))

    def pay(self):
        if not self.open_invoices:
            return
        invoice, amount = self.open_invoices.pop(0)
        provider_id, method_id = self.demo
        start = time.perf_counter()
        answer = self.rpc(
            f"/invoice/transaction/{invoice}",
            {
                "access_token": None,
                "provider_id": provider_id,
                "payment_method_id": method_id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": f"/my/invoices/{invoice}",
            },
        )
        body = answer.json() if answer.ok else {}
        ok = "result" in body
        if ok:
            reference = body["result"]["reference"]
            done = self.rpc(
                "/payment/demo/simulate_payment",
                {
                    "reference": reference,
                    "payment_details": "4242",
                    "simulated_state": "done",
                },
            )
            ok = done.ok and "error" not in done.json()
            poll = self.rpc("/payment/status/poll", {})
            ok = ok and poll.ok and "error" not in poll.json()
        self.samples.append(("pay", time.perf_counter() - start, ok))

    def warm_up(self):
        for page in self.pages:
            url = f"/my/invoices/{self.invoices[-1]}" if page == "invoice" else page
            self.get("warm", url)

    def run(self):
        visit = 0
        while not self.stop.is_set():
            visit += 1
            for page in self.pages:
                if self.stop.is_set():
                    break
                if page == "invoice":
                    invoice = self.invoices[visit % len(self.invoices)]
                    self.get(page, f"/my/invoices/{invoice}")
                else:
                    self.get(page, page)
            if self.pay_every and visit % self.pay_every == 0:
                self.pay()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def start_profilers(args, server, tag):
    """py-spy on each worker of the prefork ``server`` (its children but the
    gevent process), for the run's duration; [] without --profile."""
    if not args.profile:
        return []
    os.makedirs(args.profile, exist_ok=True)
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    profilers = []
    for pid in children:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            if b"gevent" in cmdline.read():
                continue
        out = os.path.join(args.profile, f"{tag}_{pid}.txt")
        command = ["py-spy", "record", "--pid", pid, "--format", "raw"]
        command += ["--duration", str(int(args.duration)), "--rate", "50"]
        command += ["--nonblocking", "--output", out]
        profilers.append(
            subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    return profilers


# Functions whose inclusive share of the request samples --profile prints.
PROFILED = (
    "__call__ (odoo/http.py",
    "_render (odoo/addons/base/models/ir_qweb.py",
    "_prepare_my_invoices_values (",
    "_prepare_home_portal_values (",
    "_get_account_searchbar_filters (",
    "invoices_with_parents (",
    "_get_invoice_portal_extra_values (",
    "_get_invoice_next_payment_values (",
    "_has_to_be_paid (",
    "_payment_allocation_pay_now (",
    "_payment_allocation_portal_payment_error (",
    "invoices_with_amounts (",
    "value_to_html (",
    "portal_my_invoice_detail (",
    "_invoice_get_page_view_values (",
    "_portal_account_summary (",
    "_portal_scope (",
    "_compute_domain (odoo/addons/base/models/ir_rule.py",
    "execute (odoo/sql_db.py",
)


def profile_table(args, tags):
    """Inclusive share of the request samples per function in PROFILED, and
    our addons' top functions by inclusive samples, per side."""
    ours = ("customer_portal_invoices", "payment_allocation", "multi_site_billing")
    say(f"\n== profile ({args.profile}): share of request samples, inclusive")
    tables = {}
    for tag in tags:
        total, counts, addon_counts = 0, dict.fromkeys(PROFILED, 0), {}
        for name in os.listdir(args.profile):
            if not name.startswith(tag + "_"):
                continue
            with open(os.path.join(args.profile, name)) as lines:
                for line in lines:
                    stack, _sep, count = line.rpartition(" ")
                    if "__call__ (odoo/http.py" not in stack:
                        continue  # idle: not serving a request
                    count = int(count)
                    total += count
                    for key in PROFILED:
                        if key in stack:
                            counts[key] += count
                    frames = {f for f in stack.split(";") if any(a in f for a in ours)}
                    for frame in frames:
                        addon_counts[frame] = addon_counts.get(frame, 0) + count
        tables[tag] = (total, counts, addon_counts)
    say(f"{'function':<60}" + "".join(f"{tag:>14}" for tag in tags))
    for key in PROFILED:
        cells = [
            f"{100 * c[key] / t:>13.1f}%" if t else f"{'-':>14}"
            for t, c, _a in tables.values()
        ]
        say(f"{key[:59]:<60}" + "".join(cells))
    for tag, (total, _counts, addon_counts) in tables.items():
        top = sorted(addon_counts.items(), key=lambda item: -item[1])[:15]
        say(f"\n{tag}: our frames, inclusive share ({total} request samples)")
        for frame, count in top:
            say(f"{100 * count / total:>6.1f}%  {frame[:110]}")


def one_run(args, db, workers, pages, tag="run"):
    port = args.http_port or free_port()
    server = start_server(args, db, workers, port)
    profilers = []
    try:
        base = f"http://127.0.0.1:{port}"
        demo = demo_ids(db)
        stop = threading.Event()
        clients = []
        for index in range(args.clients):
            login = f"load_{index % args.customers}"
            client = Client(
                base,
                db,
                login,
                pages,
                invoice_ids(args, db, login),
                demo,
                args.pay_every,
                stop,
            )
            client.log_in()
            clients.append(client)
        # Warm up: every page once per client, the clients at once, so that
        # each worker has compiled the templates and loaded its caches before
        # the measure (a worker does that once in its life, on both sides).
        warmers = [
            threading.Thread(target=client.warm_up, daemon=True) for client in clients
        ]
        for warmer in warmers:
            warmer.start()
        for warmer in warmers:
            warmer.join(300)
        for client in clients:
            client.samples.clear()
        profilers = start_profilers(args, server, tag)
        started = time.perf_counter()
        for client in clients:
            client.start()
        time.sleep(args.duration)
        stop.set()
        for client in clients:
            client.join(180)
        elapsed = time.perf_counter() - started
        for profiler in profilers:
            profiler.wait(60)
    finally:
        stop_server(server)
    samples = [s for c in clients for s in c.samples]
    return elapsed, samples


def summarize(elapsed, samples):
    done = [s for s in samples if s[2]]
    # pages and payments served per second: the calls a page's scripts make
    # (/my's counters and overview) are part of the work, not more pages
    served = [s for s in done if s[0] not in HOME_CALL_SAMPLES]
    row = {
        "rps": len(served) / elapsed,
        "errors": len(samples) - len(done),
        "median": (statistics.median(s[1] for s in served) if served else float("nan")),
        "p95": percentile([s[1] for s in served], 0.95) if served else float("nan"),
        "pages": {},
    }
    for page in sorted({s[0] for s in done}):
        times = [s[1] for s in done if s[0] == page]
        row["pages"][page] = (statistics.median(times), percentile(times, 0.95))
    return row


def page_medians(rows, page):
    """Median over runs of a page's median and p95, or (None, None)."""
    values = [r["pages"][page] for r in rows if page in r["pages"]]
    if not values:
        return None, None
    return (
        statistics.median(v[0] for v in values),
        statistics.median(v[1] for v in values),
    )


def milliseconds(median, p95):
    return f"{median * 1000:.0f}/{p95 * 1000:.0f}" if median is not None else "-"


def print_rows(workers, rows, compare_rps=True):
    say(f"\n== {workers} worker(s)")
    say(f"{'side':<7}{'run':>4}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}{'errors':>8}")
    for side, run, row in rows:
        say(
            f"{side:<7}{run:>4}{row['rps']:>8.1f}{row['median'] * 1000:>11.0f}"
            f"{row['p95'] * 1000:>9.0f}{row['errors']:>8}"
        )
    say(f"{'page (median/p95 ms)':<26}{'ours':>16}{'stock':>16}{'ratio':>14}")
    ours = [r for s, _n, r in rows if s == "ours"]
    stock = [r for s, _n, r in rows if s == "stock"]
    for page in sorted({p for r in ours + stock for p in r["pages"]}):
        o_med, o_p95 = page_medians(ours, page)
        s_med, s_p95 = page_medians(stock, page)
        ratio = f"{o_med / s_med:.2f}/{o_p95 / s_p95:.2f}" if o_med and s_med else "-"
        say(
            f"{page:<26}{milliseconds(o_med, o_p95):>16}"
            f"{milliseconds(s_med, s_p95):>16}{ratio:>14}"
        )
    if ours and stock and compare_rps:
        rps_o = statistics.median(r["rps"] for r in ours)
        rps_s = statistics.median(r["rps"] for r in stock)
        p95_o = statistics.median(r["p95"] for r in ours)
        p95_s = statistics.median(r["p95"] for r in stock)
        say(
            f"median req/s ours {rps_o:.1f} / stock {rps_s:.1f} = {rps_o / rps_s:.2f}x;"
            f" p95 ratio {p95_o / p95_s:.2f}"
        )


def main():
    args = parse_args()
    ours_db, stock_db = args.database, f"{args.database}_stock"
    try:
        if not args.reuse:
            prepare_databases(args, ours_db, stock_db)
        from odoo.tools import config

        options = ["-d", f"{ours_db},{stock_db}", "--addons-path", args.addons_path]
        config.parse_config(options + odoo_args(args))
        if not args.reuse:
            for db in (ours_db, stock_db):
                say(f"Loading {args.customers} x {args.invoices} invoices in {db}")
                load(args, db)
        say(f"Server logs in {args.log_dir}")
        say(
            f"{args.clients} clients, {args.duration:.0f} s per run, "
            f"pay every {args.pay_every or 'never'} visits"
        )
        ours_pages = COMMON_PAGES + (OURS_PAGES if args.all_pages else ())
        for workers in args.worker_counts:
            rows = []
            for run in range(1, args.runs + 1):
                # Interleaved: ours then stock, run after run.
                for side, db, pages in (
                    ("ours", ours_db, ours_pages),
                    ("stock", stock_db, COMMON_PAGES),
                ):
                    tag = f"{side}_w{workers}_r{run}"
                    elapsed, samples = one_run(args, db, workers, pages, tag)
                    rows.append((side, run, summarize(elapsed, samples)))
            print_rows(workers, rows, compare_rps=not args.all_pages)
            if args.profile:
                profile_table(
                    args, [f"{side}_w{workers}_r1" for side in ("ours", "stock")]
                )
    finally:
        if not (args.keep or args.reuse):
            for db in (ours_db, stock_db):
                subprocess.run(
                    ["dropdb", "--if-exists", *psql_args(args), db], check=False
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

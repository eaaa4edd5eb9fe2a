#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Replica run: Odoo with a PostgreSQL streaming replica, on loopback.

    python3 bench/replica_run.py --database <db with our addons and demo data>
        [--login alice.harbor] [--replica-port 5442] [--http-port 8186]
        [--workers 2] [--pg-bin /usr/lib/postgresql/15/bin] [--fix-hba] [--keep]

Not part of CI. It copies the primary cluster (``localhost:5432``) with
``pg_basebackup -R`` into a temporary directory, starts it as a hot standby
on ``--replica-port`` (loopback only, every statement logged), serves
``--database`` with Odoo's prefork server and ``--db_replica_host 127.0.0.1
--db_replica_port <port>``, logs in as the portal contact ``--login``
(password = login, as in the demo), requests our read-only routes and a few
read/write ones, and prints for each how many SQL statements ran on the
replica (its statement log) and where Odoo's workers are connected
(``pg_stat_activity`` on the replica). Then it pays one open invoice on the
Make a Payment page with Odoo's Demo provider and opens the receipt: paying
runs on the primary, the receipt is read from the replica once replayed.

The primary needs ``wal_level`` replica (or logical), ``max_wal_senders`` >
0 and a ``replication`` entry in ``pg_hba.conf`` for 127.0.0.1: with
``--fix-hba`` the script appends ``host replication all 127.0.0.1/32 trust``
(and the same for the local socket) and reloads PostgreSQL, saying so; it
changes nothing else on the primary. Run as root, the replica runs as the
``postgres`` system user (PostgreSQL refuses root). Everything it starts is
stopped at the end, and the copy removed (``--keep`` keeps it).
"""

import argparse
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_load import ROOT, Client, default_addons_path

HBA_LINES = (
    "local   replication     all                                     trust",
    "host    replication     all             127.0.0.1/32            trust",
)


def say(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--login", default="alice.harbor")
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db_user", default=os.environ.get("PGUSER", "root"))
    parser.add_argument("--primary-port", type=int, default=5432)
    parser.add_argument("--replica-port", type=int, default=5442)
    parser.add_argument("--http-port", type=int, default=8186)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-bin", default="/usr/lib/postgresql/15/bin")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--fix-hba", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.addons_path = args.addons_path or default_addons_path()
    return args


# ------------------------------------------------------------------ SQL


def psql(args, sql, port=None, database=None):
    """One value per line of ``sql``'s answer (psql -At)."""
    answer = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1" if port else args.db_host,
            "-p",
            str(port or args.primary_port),
            "-U",
            args.db_user,
            "-d",
            database or args.database,
            "-Atc",
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return answer.stdout.strip()


def as_postgres(command):
    """``command`` as the postgres system user when run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


# ------------------------------------------------------------------ primary


def check_primary(args):
    wal_level = psql(args, "SHOW wal_level", database="postgres")
    senders = int(psql(args, "SHOW max_wal_senders", database="postgres"))
    hba_file = psql(args, "SHOW hba_file", database="postgres")
    say(f"primary: wal_level={wal_level} max_wal_senders={senders} hba={hba_file}")
    if wal_level not in ("replica", "logical") or not senders:
        raise SystemExit(
            "The primary needs wal_level = replica and max_wal_senders > 0 "
            "(postgresql.conf, then a restart of PostgreSQL)."
        )
    rules = psql(
        args,
        "SELECT count(*) FROM pg_hba_file_rules "
        "WHERE 'replication' = ANY(database) AND auth_method = 'trust' "
        "AND (type = 'local' OR address = '127.0.0.1')",
        database="postgres",
    )
    if int(rules):
        say("primary: pg_hba.conf already allows replication from 127.0.0.1")
        return
    if not args.fix_hba:
        raise SystemExit(
            f"{hba_file} has no replication entry for 127.0.0.1: add\n  "
            + "\n  ".join(HBA_LINES)
            + "\nthen reload PostgreSQL, or run again with --fix-hba."
        )
    with open(hba_file, "a") as hba:
        hba.write("\n# bench/replica_run.py: streaming replica on loopback\n")
        hba.write("\n".join(HBA_LINES) + "\n")
    psql(args, "SELECT pg_reload_conf()", database="postgres")
    say(f"primary: CHANGED {hba_file}: appended {len(HBA_LINES)} replication lines")
    say("primary: reloaded its configuration (SELECT pg_reload_conf())")


# ------------------------------------------------------------------ replica


def start_replica(args, workdir):
    data = os.path.join(workdir, "data")
    log = os.path.join(workdir, "replica.log")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(workdir, user.pw_uid, user.pw_gid)
    say(f"pg_basebackup -R of 127.0.0.1:{args.primary_port} into {data}")
    start = time.time()
    subprocess.run(
        as_postgres(
            [
                os.path.join(args.pg_bin, "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(args.primary_port),
                "-U",
                args.db_user,
                "-D",
                data,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        ),
        check=True,
    )
    say(f"  copied in {time.time() - start:.0f} s")
    settings = {
        "port": str(args.replica_port),
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": workdir,
        "hot_standby": "on",
        "log_statement": "all",
        "log_line_prefix": "%m [%p] %d %a: ",
        "logging_collector": "off",
        "log_destination": "stderr",
        "max_connections": "100",
        "ssl": "off",
    }
    # Debian keeps the configuration outside the data directory: the copy
    # gets its own (the settings above, loopback trust like the primary's)
    files = {
        "postgresql.conf": "",
        "pg_ident.conf": "",
        "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
    }
    for name, text in files.items():
        path = os.path.join(data, name)
        with open(path, "w") as conf:
            conf.write(text)
        if os.geteuid() == 0:
            os.chown(path, user.pw_uid, user.pw_gid)
    command = [os.path.join(args.pg_bin, "postgres"), "-D", data]
    for key, value in settings.items():
        command += ["-c", f"{key}={value}"]
    logfile = open(log, "w")  # noqa: SIM115
    if os.geteuid() == 0:
        os.chown(log, user.pw_uid, user.pw_gid)
    server = subprocess.Popen(
        as_postgres(command), stdout=logfile, stderr=subprocess.STDOUT
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        ready = subprocess.run(
            [
                os.path.join(args.pg_bin, "pg_isready"),
                "-h",
                "127.0.0.1",
                "-p",
                str(args.replica_port),
            ],
            capture_output=True,
            check=False,
        )
        if ready.returncode == 0:
            break
        if server.poll() is not None:
            raise SystemExit(f"the replica exited {server.returncode}: see {log}")
        time.sleep(0.5)
    recovery = psql(args, "SELECT pg_is_in_recovery()", port=args.replica_port)
    say(
        f"replica: 127.0.0.1:{args.replica_port}, hot standby "
        f"(pg_is_in_recovery={recovery}), statement log {log}"
    )
    streaming = psql(
        args,
        "SELECT state || ' ' || client_addr FROM pg_stat_replication",
        database="postgres",
    )
    say(f"primary: pg_stat_replication: {streaming or 'none'}")
    return server, log


def wait_replayed(args):
    """Wait until the replica replayed everything the primary wrote."""
    target = psql(args, "SELECT pg_current_wal_lsn()", database="postgres")
    deadline = time.time() + 30
    while time.time() < deadline:
        behind = psql(
            args,
            f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn()) > 0",
            port=args.replica_port,
        )
        if behind == "f":
            return
        time.sleep(0.1)
    raise SystemExit("the replica did not catch up in 30 s")


# ------------------------------------------------------------------ Odoo


def start_odoo(args, workdir):
    log = os.path.join(workdir, "odoo.log")
    command = [
        sys.executable,
        os.path.join(ROOT, "tools", "odoo_cli.py"),
        "-d",
        args.database,
        "--db-filter",
        f"^{args.database}$",
        "--db_host",
        args.db_host,
        "--db_user",
        args.db_user,
        "--db_replica_host",
        "127.0.0.1",
        "--db_replica_port",
        str(args.replica_port),
        "--addons-path",
        args.addons_path,
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(args.http_port),
        "--workers",
        str(args.workers),
        "--max-cron-threads",
        "0",
        "--log-level",
        "info",
    ]
    say("odoo: " + " ".join(command[1:]))
    logfile = open(log, "w")  # noqa: SIM115
    server = subprocess.Popen(command, stdout=logfile, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            url = f"http://127.0.0.1:{args.http_port}/web/login"
            if requests.get(url, timeout=5).ok:
                return server, log
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise SystemExit(f"Odoo exited {server.returncode}: see {log}")
        time.sleep(0.5)
    raise SystemExit(f"Odoo did not answer in 120 s: see {log}")


def stop(process):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ------------------------------------------------------------------ run


class ReplicaLog:
    """The statements the replica logged for ``database`` since the last
    call."""

    def __init__(self, path, database):
        self.path, self.database = path, database
        self.offset = os.path.getsize(path)

    def new_statements(self):
        time.sleep(0.3)  # the log is written asynchronously
        with open(self.path, errors="replace") as log:
            log.seek(self.offset)
            text = log.read()
            self.offset = log.tell()
        # Odoo's connections only (application_name odoo-<pid>), not psql's
        pattern = re.compile(
            rf"\] {re.escape(self.database)} odoo-\d+: LOG:\s+statement: "
        )
        return [line for line in text.splitlines() if pattern.search(line)]


def document_ids(args):
    """Documents of the contact's customer to request: a customer payment,
    a parent invoice, an open invoice (SQL on the primary)."""
    customer = psql(
        args,
        "SELECT p.commercial_partner_id FROM res_users u "
        f"JOIN res_partner p ON p.id = u.partner_id WHERE u.login = '{args.login}'",
    )
    if not customer:
        raise SystemExit(f"no user {args.login} in {args.database}")
    payment = psql(
        args,
        "SELECT pay.id FROM account_payment pay JOIN account_move m "
        "ON m.id = pay.move_id WHERE pay.partner_id = "
        f"{customer} AND pay.payment_type = 'inbound' AND m.state = 'posted' "
        "ORDER BY pay.id LIMIT 1",
    )
    parent = psql(
        args,
        f"SELECT id FROM account_parent_invoice WHERE partner_id = {customer} "
        "ORDER BY id LIMIT 1",
    )
    invoice = psql(
        args,
        "SELECT id FROM account_move WHERE state = 'posted' AND move_type = "
        f"'out_invoice' AND commercial_partner_id = {customer} AND payment_state "
        "= 'not_paid' AND parent_invoice_id IS NULL ORDER BY invoice_date_due "
        "LIMIT 1",
    )
    currency, residual = psql(
        args,
        f"SELECT currency_id || ' ' || amount_residual FROM account_move "
        f"WHERE id = {invoice}",
    ).split()
    return payment, parent, invoice, currency, float(residual)


def run(args, replica_log):
    base = f"http://127.0.0.1:{args.http_port}"
    payment, parent, invoice, currency, residual = document_ids(args)
    provider, method = psql(
        args,
        "SELECT p.id || ' ' || m.id FROM payment_provider p, payment_method m "
        "WHERE p.code = 'demo' AND m.code = 'demo' LIMIT 1",
    ).split()
    client = Client(
        base, args.database, args.login, [], ([], []), None, 0, threading.Event()
    )
    client.log_in()
    say(f"\nlogged in as {args.login} (portal)\n")
    say(f"{'request':<58} {'status':>6} {'replica SQL':>11}")
    requests_made = [
        ("GET", "/my/statement", None, "read-only"),
        ("GET", "/my/statement/pdf", None, "read-only"),
        ("GET", "/my/payments", None, "read-only"),
        ("GET", f"/my/payments/{payment}", None, "read-only"),
        ("GET", f"/my/payments/{payment}?report_type=pdf", None, "read-only"),
        ("GET", f"/my/parent_invoices/{parent}", None, "read-only"),
        ("GET", f"/my/parent_invoices/{parent}?report_type=pdf", None, "read-only"),
        (
            "JSON",
            "/my/invoices/pay/preview",
            {
                "mode": "select",
                "invoice_ids": [int(invoice)],
                "currency_id": int(currency),
            },
            "read-only",
        ),
        ("JSON", "/my/counters", {"counters": ["invoice_count"]}, "stock read-only"),
        ("GET", "/my/invoices", None, "stock read/write"),
        ("GET", f"/my/invoices/{invoice}", None, "stock read/write"),
        ("GET", f"/my/invoices/pay?currency_id={currency}", None, "read/write"),
    ]
    on_replica = {}
    for kind, url, params, mode in requests_made:
        if re.search(r"/(\?|$)", url):
            continue  # the customer has no such document
        replica_log.new_statements()
        if kind == "GET":
            answer = client.session.get(base + url, timeout=120)
        else:
            answer = client.rpc(url, params)
        count = len(replica_log.new_statements())
        on_replica[url] = count
        label = f"{kind} {url} ({mode})"
        say(f"{label:<58} {answer.status_code:>6} {count:>11}")
    say("\npaying an invoice (Make a Payment, Demo provider)")
    replica_log.new_statements()
    answer = client.rpc(
        "/my/invoices/pay/transaction",
        {
            "provider_id": int(provider),
            "payment_method_id": int(method),
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/my/invoices/pay",
            "is_validation": False,
            "amount": residual,
            "mode": "select",
            "invoice_ids": [int(invoice)],
        },
    ).json()
    if "error" in answer:
        raise SystemExit(f"paying failed: {answer['error']}")
    reference = answer["result"]["reference"]
    done = client.rpc(
        "/payment/demo/simulate_payment",
        {"reference": reference, "payment_details": "4242", "simulated_state": "done"},
    ).json()
    poll = client.rpc("/payment/status/poll", {}).json()
    paid_on_replica = len(replica_log.new_statements())
    state = psql(
        args,
        "SELECT tx.id || ' ' || tx.state || ' ' || tx.is_post_processed || ' ' || "
        "m.payment_state FROM payment_transaction tx JOIN "
        "account_invoice_transaction_rel r ON r.transaction_id = tx.id "
        "JOIN account_move m ON m.id = r.invoice_id "
        f"WHERE tx.reference = '{reference}'",
    )
    tx_id, tx_state, post_processed, payment_state = state.split()
    say(
        f"  transaction {reference}: {tx_state}, post-processed {post_processed}, "
        f"invoice {payment_state} (simulate: {'error' not in done}, poll: "
        f"{'error' not in poll}); statements on the replica while paying: "
        f"{paid_on_replica}"
    )
    wait_replayed(args)
    receipt = client.session.get(f"{base}/my/invoices/pay/receipt/{tx_id}", timeout=120)
    count = len(replica_log.new_statements())
    say(
        f"  GET /my/invoices/pay/receipt/{tx_id} (read-only, after replay): "
        f"{receipt.status_code}, 'Payment received' shown: "
        f"{'Payment received' in receipt.text}, replica SQL {count}"
    )
    say("\npg_stat_activity on the replica (Odoo's connections):")
    say(
        psql(
            args,
            "SELECT pid || ' ' || application_name || ' ' || state FROM "
            f"pg_stat_activity WHERE datname = '{args.database}' "
            "AND application_name LIKE 'odoo-%' ORDER BY pid",
            port=args.replica_port,
        )
        or "(none)"
    )
    return on_replica, tx_state == "done" and payment_state in ("paid", "in_payment")


def main():
    args = parse_args()
    check_primary(args)
    workdir = tempfile.mkdtemp(prefix="replica_run_")
    replica = odoo = None
    try:
        replica, replica_log_path = start_replica(args, workdir)
        odoo, odoo_log = start_odoo(args, workdir)
        on_replica, paid = run(args, ReplicaLog(replica_log_path, args.database))
        say("\nsummary:")
        readonly = [url for url, count in on_replica.items() if count]
        say(f"  served from the replica: {', '.join(readonly) or 'nothing'}")
        primary = [url for url, count in on_replica.items() if not count]
        say(f"  served from the primary only: {', '.join(primary) or 'nothing'}")
        say(f"  paying with the replica configured works: {paid}")
        retried = 0
        with open(odoo_log, errors="replace") as log:
            retried = sum("retrying with a read/write cursor" in line for line in log)
        say(f"  read-only requests retried on the primary (Odoo log): {retried}")
        return 0 if paid else 1
    finally:
        stop(odoo)
        stop(replica)
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark: one payment allocated and reconciled across 200 invoices.

Compares payment_allocation (allocation engine, allocation lines, reconciled
invoice by invoice as allocated) with stock Odoo's overdue payment of the same
number of invoices (one transaction linked to the invoices, reconciled by
account_payment). Prints time and query count of each and their ratio.

    python3 bench/bench_allocation.py -d <db> [--invoices 200]

The database must have payment_allocation and payment_demo installed. All the
data the benchmark creates is rolled back: the database is left as it was.
"""

import argparse
import os
import sys
import time
from datetime import timedelta

from bench_env import default_addons_path, invoice_values, rolled_back_env


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db_user", default=os.environ.get("PGUSER"))
    parser.add_argument("--addons-path", default=default_addons_path())
    parser.add_argument("--invoices", type=int, default=200)
    return parser.parse_args()


def create_invoices(env, partner, count):
    today = env["account.move"].browse()._fields["date"].context_today(env.user)
    values = [
        invoice_values(
            partner,
            today - timedelta(days=400 - index),
            today - timedelta(days=370 - index),
            10.0 + index,
        )
        for index in range(count)
    ]
    invoices = env["account.move"].create(values)
    invoices.action_post()
    return invoices


def measure(env, label, func):
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    start_queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - start_queries
    sys.stdout.write(f"{label:<58} {elapsed:8.3f} s {queries:8d} queries\n")
    return elapsed, queries, result


def new_transaction(env, provider, partner, invoices, amount, reference, values=None):
    return env["payment.transaction"].create(
        {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "reference": reference,
            "amount": amount,
            "currency_id": invoices.currency_id.id,
            "partner_id": partner.id,
            "operation": "online_direct",
            **(values or {"invoice_ids": [(6, 0, invoices.ids)]}),
        }
    )


def confirm(tx):
    tx._set_done()
    tx._post_process()
    return tx.payment_id


def run(env, count):
    provider = env.ref("payment.payment_provider_demo")
    provider.write({"state": "test", "is_published": True})
    Partner = env["res.partner"]
    ours_partner = Partner.create({"name": "Bench Allocation", "is_company": True})
    stock_partner = Partner.create({"name": "Bench Stock", "is_company": True})
    ours_invoices = create_invoices(env, ours_partner, count)
    stock_invoices = create_invoices(env, stock_partner, count)
    Transaction = env["payment.transaction"]
    sys.stdout.write(f"One payment across {count} invoices\n")

    # payment_allocation: allocate with the engine, store, confirm, reconcile.
    def ours():
        total, values = Transaction._payment_allocation_prepare(ours_invoices)
        tx = new_transaction(
            env, provider, ours_partner, ours_invoices, total, "BENCH-OURS", values
        )
        return confirm(tx)

    ours_time, ours_queries, ours_payment = measure(
        env, "payment_allocation: allocate + store + confirm + reconcile", ours
    )

    # Stock Odoo: the overdue payment (one transaction on the invoices).
    def stock():
        total = sum(stock_invoices.mapped("amount_residual"))
        tx = new_transaction(
            env, provider, stock_partner, stock_invoices, total, "BENCH-STOCK"
        )
        return confirm(tx)

    stock_time, stock_queries, stock_payment = measure(
        env, "stock Odoo overdue payment: confirm + reconcile", stock
    )
    for label, invoices, payment in (
        ("payment_allocation", ours_invoices, ours_payment),
        ("stock", stock_invoices, stock_payment),
    ):
        open_count = len(invoices.filtered(lambda move: move.amount_residual))
        sys.stdout.write(
            f"{label}: payment {payment.amount:.2f}, invoices left open: {open_count}\n"
        )
    sys.stdout.write(
        f"ratio payment_allocation / stock: time {ours_time / stock_time:.2f}, "
        f"queries {ours_queries / stock_queries:.2f}\n"
    )


def main():
    args = parse_args()
    with rolled_back_env(args) as env:
        run(env, args.invoices)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark: the autopay job charging due invoices with saved methods.

For each size (default 100 and 1,000 due invoices, 10 per customer), creates
customers on autopay with a Demo provider method, runs the autopay job once
and prints its time and query count, the queries per invoice, and the queries
of selecting the due invoices (one search and one grouped read, whatever the
number). The queries per invoice stay the same from one size to the other: no
search per invoice.

    python3 bench/bench_autopay.py -d <db> [--sizes 100 1000]

The database must have payment_allocation and payment_demo installed. All the
data the benchmark creates is rolled back: the database is left as it was.
"""

import argparse
import os
import sys
import time
from datetime import timedelta

from bench_env import default_addons_path, invoice_values, rolled_back_env

PER_CUSTOMER = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--db_host", default=os.environ.get("PGHOST", "localhost"))
    parser.add_argument("--db_user", default=os.environ.get("PGUSER"))
    parser.add_argument("--addons-path", default=default_addons_path())
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    return parser.parse_args()


def create_customers(env, provider, count, label):
    """``count`` due invoices, ``PER_CUSTOMER`` per customer on autopay."""
    today = env["account.move"].browse()._fields["date"].context_today(env.user)
    method = provider.payment_method_ids[:1]
    Partner = env["res.partner"]
    values = []
    for number in range((count + PER_CUSTOMER - 1) // PER_CUSTOMER):
        customer = Partner.create(
            {"name": f"Bench Autopay {label} {number}", "is_company": True}
        )
        contact = Partner.create(
            {"name": f"Bench Contact {label} {number}", "parent_id": customer.id}
        )
        token = env["payment.token"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "partner_id": contact.id,
                "payment_details": f"{number:04d}",
                "provider_ref": f"bench-{label}-{number}",
                "demo_simulated_state": "done",
            }
        )
        customer.write(
            {
                "payment_allocation_autopay": True,
                "payment_allocation_autopay_token_id": token.id,
            }
        )
        for index in range(min(PER_CUSTOMER, count - number * PER_CUSTOMER)):
            values.append(
                invoice_values(
                    customer,
                    today - timedelta(days=60 - index),
                    today - timedelta(days=30 - index),
                    10.0 + index,
                )
            )
    invoices = env["account.move"].create(values)
    invoices.action_post()
    return invoices


def measure(env, func):
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    start_queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return time.perf_counter() - start, cr.sql_log_count - start_queries, result


def run(env, count, provider):
    Attempt = env["payment.allocation.autopay.attempt"]
    invoices = create_customers(env, provider, count, str(count))
    select_time, select_queries, candidates = measure(
        env, Attempt._payment_allocation_autopay_candidates
    )
    # Only this size's customers are on autopay (the others were rolled back).
    assert len(candidates) >= count, (len(candidates), count)
    elapsed, queries, attempts = measure(env, Attempt._payment_allocation_autopay_run)
    paid = len(invoices.filtered(lambda move: not move.amount_residual))
    sys.stdout.write(
        f"{count:>6} due invoices: select {select_time:7.3f} s {select_queries:4d} "
        f"queries | job {elapsed:8.3f} s {queries:8d} queries, "
        f"{queries / count:6.1f} queries and {elapsed / count * 1000:6.1f} ms per "
        f"invoice | {len(attempts)} attempts, {paid} invoices paid\n"
    )
    return queries / count


def main():
    args = parse_args()
    with rolled_back_env(args) as env:
        provider = env.ref("payment.payment_provider_demo")
        provider.write({"state": "test", "is_published": True})
        # Nobody else is charged: the database's own autopay customers
        # are left out of the measure.
        env["res.partner"].search(
            [("payment_allocation_autopay", "=", True)]
        ).payment_allocation_autopay = False
        sys.stdout.write("Autopay job, one run, Demo provider methods\n")
        per_invoice = []
        for size in args.sizes:
            # Each size starts from the same database.
            savepoint = env.cr.savepoint()
            try:
                per_invoice.append(run(env, size, provider))
            finally:
                savepoint.close(rollback=True)
                env.invalidate_all()
        sys.stdout.write(
            "queries per invoice: "
            + ", ".join(f"{value:.1f}" for value in per_invoice)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

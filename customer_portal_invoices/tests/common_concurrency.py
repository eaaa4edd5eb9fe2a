# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import random
import sys
import threading
import time
import traceback

from odoo import SUPERUSER_ID, api
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
)

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


class WorkerKilled(Exception):
    """Stands for an Odoo server dying in the middle of a job's run."""


class ConcurrencyMixin:
    """Jobs and people at the same moment, as on several Odoo servers: each
    side runs in its own thread with its own environment on its own database
    connection, released together by a barrier; what they act on is
    committed first (another connection sees nothing of the test's own
    transaction), and removed by the test (``_cleanup``)."""

    #: seconds a side may take before the test fails instead of hanging
    TIMEOUT = 30

    @staticmethod
    def _side_context():
        # e-mails queued, not sent from the commit (its hook asks for the
        # registry, whose lock the thread loading the tests holds)
        return dict(DISABLED_MAIL_CONTEXT, mail_notify_force_send=False)

    @staticmethod
    def _as_request(side):
        """``side`` served as Odoo serves a person's request (a page, a
        back-office button, see `odoo.service.model.retrying`): run again
        from the start on a serialization failure, up to 5 times. (Odoo's
        own helper asks the registry again, whose lock the thread loading
        the tests holds.)"""

        def serve(env):
            for tries_left in reversed(range(MAX_TRIES_ON_CONCURRENCY_FAILURE)):
                try:
                    result = side(env)
                    env.cr.flush()
                    return result
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    if not tries_left:
                        raise
                    env.cr.rollback()
                    env.transaction.clear()
                    time.sleep(random.uniform(0.0, 0.5))

        return serve

    @contextlib.contextmanager
    def _committed_env(self, uid=SUPERUSER_ID):
        """An environment on a new connection, committed when the block
        ends without error."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, uid, self._side_context())

    def _run_together(self, *sides, uid=SUPERUSER_ID):
        """Run each ``side(env)`` in its own thread and transaction, all
        started at once; a side that raises is rolled back.

        :return: list of ``(result, exception)``, one per side
        """
        barrier = threading.Barrier(len(sides))
        outcomes = [(None, None)] * len(sides)

        def run(index, side):
            threading.current_thread().dbname = self.registry.db_name
            try:
                with self.registry.cursor() as cr:
                    # the loading thread holds the registries' lock while
                    # tests run: hand the registry over instead of asking it
                    cr.transaction = api.Transaction(self.registry)
                    env = api.Environment(cr, uid, self._side_context())
                    # open the transaction before the start, as a busy server
                    cr.execute("SELECT 1")
                    barrier.wait(timeout=self.TIMEOUT)
                    outcomes[index] = (side(env), None)
            except Exception as error:  # noqa: BLE001 - reported to the test
                barrier.abort()  # the other sides stop waiting
                outcomes[index] = (None, error)

        threads = [
            threading.Thread(target=run, args=(index, side), name=f"side-{index}")
            for index, side in enumerate(sides)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(self.TIMEOUT)
            if thread.is_alive():
                frame = sys._current_frames().get(thread.ident)
                self.fail(
                    f"{thread.name} still running:\n"
                    + "".join(traceback.format_stack(frame))
                )
        return outcomes

    @staticmethod
    @contextlib.contextmanager
    def _killed_after_first_unit(env, unit_done):
        """Make the run on ``env`` die right after the commit that stores its
        first unit of work: ``unit_done(cr)`` says, after each commit, whether
        a unit is stored."""
        cr = env.cr
        commit = cr.commit

        def commit_then_die():
            result = commit()
            if unit_done(cr):
                raise WorkerKilled()
            return result

        cr.commit = commit_then_die
        try:
            yield
        finally:
            cr.commit = commit

    @staticmethod
    def _remove_moves(moves):
        """Remove committed invoices and payments' entries, reconciled or
        not, as Odoo's own concurrency tests remove their entries."""
        moves = moves.exists()
        moves.line_ids.remove_move_reconcile()
        moves.filtered(lambda move: move.state != "draft").button_draft()
        moves.posted_before = False
        moves.with_context(force_delete=True).unlink()

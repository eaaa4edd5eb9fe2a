"""Tests of the runner's compat stage: reading Odoo's log of the stock suites
and judging it against the list of known failures.

Odoo-free: run by stage 2 of ``python3 tests/run.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run

LOG_PREFIX = "2026-01-01 00:00:00,000 42"
KNOWN = {
    "portal:TestPortalWizard.setUpClass": "Odoo's own",
    "account_payment:TestFlows.test_invoice_payment_flow": "deliberate",
}


def _log(tmp_path, *lines):
    path = tmp_path / "odoo-compat.log"
    path.write_text("\n".join(f"{LOG_PREFIX} {line}" for line in lines) + "\n")
    return path


def _result(failed, errors, run_count):
    return (
        f"ERROR db odoo.tests.result: {failed} failed, {errors} error(s) of "
        f"{run_count} tests when loading database 'db'"
    )


def test_test_ids_of_failures_errors_class_errors_and_subtests():
    assert (
        run.compat_test_id(
            "odoo.addons.account.tests.test_portal_attachment",
            "TestPortalAttachment.test_01_portal_attachment",
        )
        == "account:TestPortalAttachment.test_01_portal_attachment"
    )
    assert (
        run.compat_test_id(
            "unittest.case",
            "setUpClass (odoo.addons.portal.tests.test_portal_wizard.TestPortalWizard)",
        )
        == "portal:TestPortalWizard.setUpClass"
    )
    assert (
        run.compat_test_id("unittest.case", "Subtest TestFlows.test_x (amount=1)")
        == "?:TestFlows.test_x"
    )


def test_known_failures_only_pass(tmp_path):
    path = _log(
        tmp_path,
        "ERROR db unittest.case: ERROR: setUpClass "
        "(odoo.addons.portal.tests.test_portal_wizard.TestPortalWizard)",
        "Traceback (most recent call last):",
        "ERROR db odoo.addons.account_payment.tests.test_payment_flows: ERROR: "
        "TestFlows.test_invoice_payment_flow",
        "INFO db odoo.addons.payment.tests.test_x: skipped TestX.test_y : no chrome",
        # as Odoo logs it, with a trailing space
        "INFO db odoo.addons.payment.tests.test_t.TestT.browser: tour succeeded ",
        _result(0, 2, 120),
    )
    failures, counts, critical = run.parse_test_log(path)
    assert counts == {"run": 120, "failed": 0, "errors": 2, "skipped": 1, "tours": 1}
    assert critical == []
    problems, notes = run.judge_compat(failures, counts, critical, KNOWN)
    assert problems == []
    assert len(notes) == 2
    assert all(n.startswith("known ERROR: ") for n in notes)


def test_unknown_failure_fails_and_missing_known_is_reported(tmp_path):
    path = _log(
        tmp_path,
        "ERROR db odoo.addons.account.tests.test_portal_attachment: FAIL: "
        "TestPortalAttachment.test_01_portal_attachment",
        _result(1, 0, 3),
    )
    problems, notes = run.judge_compat(*run.parse_test_log(path), KNOWN)
    expected = (
        "FAIL: account:TestPortalAttachment.test_01_portal_attachment "
        "(not a known failure)"
    )
    assert problems == [expected]
    assert sorted(notes) == [
        f"known failure did not occur: {k} (trim COMPAT_KNOWN_FAILURES)"
        for k in sorted(KNOWN)
    ]


def test_known_test_failing_in_a_subtest_is_known(tmp_path):
    path = _log(
        tmp_path,
        "ERROR db odoo.addons.account_payment.tests.test_payment_flows: FAIL: "
        "Subtest TestFlows.test_invoice_payment_flow (amount=1)",
        "ERROR db unittest.case: FAIL: Subtest TestFlows.test_invoice_payment_flow "
        "(amount=2)",
        _result(2, 0, 3),
    )
    failures, counts, critical = run.parse_test_log(path)
    assert [test_id for test_id, _flavour in failures] == [
        "account_payment:TestFlows.test_invoice_payment_flow",
        "?:TestFlows.test_invoice_payment_flow",
    ]
    problems, _notes = run.judge_compat(failures, counts, critical, KNOWN)
    assert problems == []


def test_unnamed_failures_no_tests_and_critical_lines_fail(tmp_path):
    path = _log(tmp_path, _result(2, 1, 10))
    problems, _notes = run.judge_compat(*run.parse_test_log(path), KNOWN)
    assert problems == ["Odoo counts 3 failures, the log names 0"]
    path = _log(
        tmp_path,
        "CRITICAL db odoo.service.server: Failed to initialize database `db`.",
    )
    problems, _notes = run.judge_compat(*run.parse_test_log(path), KNOWN)
    assert len(problems) == 2
    assert "no test run" in problems[1]


def test_compat_is_a_default_stage_and_in_the_summary(monkeypatch, capsys):
    """Without Odoo and outside CI the stage cannot run: it says so, with the
    setup hint, and the summary line names it SKIPPED."""
    monkeypatch.setattr(run, "IN_CI", False)
    monkeypatch.setattr(run, "missing_prerequisites", lambda: (["Odoo 18"], []))
    assert run.main(["--stages", "compat"]) == 0
    out = capsys.readouterr().out
    summary = next(line for line in out.splitlines() if line.startswith("SUMMARY"))
    assert summary == (
        "SUMMARY: static=not selected; unit=not selected; odoo=not selected; "
        "compat=SKIPPED (missing Odoo 18)"
    )
    assert "odoo18-setup.sh" in out
    assert run.STAGES == ("static", "unit", "odoo", "compat")

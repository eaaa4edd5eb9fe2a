"""Tests of the runner's rules: under CI a missing prerequisite fails the Odoo
stages with the setup hint; a skipped test or no test collected fails a
pytest run.

Odoo-free: run by stage unit of ``python3 tests/run.py``.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run


@pytest.mark.parametrize(
    "prerequisites, missing",
    [
        ((["Odoo 18 importable by python3"], []), "Odoo 18 importable by python3"),
        (([], ["Chromium for the tours"]), "Chromium for the tours"),
        (([], ["wkhtmltopdf (apt-get install wkhtmltopdf)"]), "wkhtmltopdf"),
    ],
)
def test_under_ci_a_missing_prerequisite_fails(
    monkeypatch, capsys, prerequisites, missing
):
    monkeypatch.setattr(run, "IN_CI", True)
    monkeypatch.setattr(run, "missing_prerequisites", lambda: prerequisites)
    assert run.main(["--stages", "odoo,compat"]) == 1
    out = capsys.readouterr().out
    summary = next(line for line in out.splitlines() if line.startswith("SUMMARY"))
    assert "odoo=failed (missing " in summary
    assert "compat=failed (missing " in summary
    assert missing in summary
    assert "../shared/tools/odoo18-setup.sh" in out
    assert out.rstrip().splitlines()[-1] == "FAILED: 0 passed, 0 failed"


def test_outside_ci_the_odoo_free_stages_run_alone(monkeypatch, capsys):
    monkeypatch.setattr(run, "IN_CI", False)
    monkeypatch.setattr(run, "missing_prerequisites", lambda: (["Odoo 18"], []))
    assert run.main(["--stages", "odoo"]) == 0
    out = capsys.readouterr().out
    assert "!! stage odoo did NOT run (missing Odoo 18)" in out


def _pytest_problems(tmp_path, body):
    (tmp_path / "test_sample.py").write_text(body)
    stage = run.Stage("sample")
    args = ["-p", "no:odoo", "-q", "--rootdir", str(tmp_path), str(tmp_path)]
    return stage, run.run_pytest(stage, args, "sample")


def test_a_skipped_test_is_a_failure(tmp_path):
    body = "import pytest\n\ndef test_a():\n    pass\n\n"
    body += "def test_b():\n    pytest.skip('no')\n"
    stage, problems = _pytest_problems(tmp_path, body)
    assert problems == ["sample: 1 test(s) skipped: a skip is not a pass"]
    assert (stage.passed, stage.failed) == (1, 0)


def test_no_test_collected_is_a_failure(tmp_path):
    _stage, problems = _pytest_problems(tmp_path, "X = 1\n")
    assert problems == ["sample: pytest collected no test"]


def test_a_failing_test_is_counted(tmp_path):
    stage, problems = _pytest_problems(tmp_path, "def test_a():\n    assert False\n")
    assert problems == ["sample: pytest exited 1"]
    assert (stage.passed, stage.failed) == (0, 1)


WKHTMLTOPDF = (
    "2026-01-01 00:00:00,000 42 WARNING db odoo.addons.base.models.ir_actions_report:"
    " wkhtmltopdf: The switch --header-spacing, is not support using unpatched qt,"
    " and will be ignored.QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to"
    " '/tmp/runtime-root'\n \n"
)
INFO = "2026-01-01 00:00:01,000 42 INFO db odoo.modules.loading: Modules loaded.\n"


def _checklog(tmp_path, text):
    """The problems odoo_run finds in an Odoo log of ``text`` (the command is
    ``cat``: the log is checked by checklog-odoo with .checklog-odoo.cfg)."""
    source = tmp_path / "source.log"
    source.write_text(text)
    return run.odoo_run(["cat", str(source)], tmp_path / "odoo.log", "sample")


def test_checklog_passes_a_clean_log_and_the_known_wkhtmltopdf_noise(tmp_path):
    assert _checklog(tmp_path, INFO) == []
    connection = WKHTMLTOPDF.replace(
        "'/tmp/runtime-root'",
        "'/tmp/runtime-root'Exit with code 1 due to network error: "
        "ConnectionRefusedError",
    )
    assert _checklog(tmp_path, WKHTMLTOPDF + connection + INFO) == []


@pytest.mark.parametrize(
    "record",
    [
        "2026-01-01 00:00:00,000 42 WARNING db odoo.models: anything at all\n",
        "2026-01-01 00:00:00,000 42 ERROR db odoo.sql_db: bad query\n",
        # other wkhtmltopdf trouble in the same record is not ignored
        WKHTMLTOPDF.replace("\n \n", "Exit with code 1 due to HostNotFoundError\n"),
    ],
)
def test_checklog_fails_any_other_warning_or_error(tmp_path, record):
    problems = _checklog(tmp_path, INFO + record)
    assert len(problems) == 1
    assert "checklog-odoo found errors" in problems[0]

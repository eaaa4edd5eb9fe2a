"""Tests of the repository checks (tests/repo_checks.py).

Odoo-free: run by stage unit of ``python3 tests/run.py``.
"""

import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import repo_checks


@pytest.fixture
def addon(tmp_path):
    """A copy of one of our addons' manifest and layout, to break at will."""
    src = repo_checks.ROOT / "multi_site_billing"
    dst = tmp_path / "multi_site_billing"
    shutil.copytree(src, dst)
    # the tests break the manifest from a known state, whatever the version
    # and data files of the addon today
    manifest = dst / "__manifest__.py"
    text = re.sub(
        r'"version": "[^"]*"', '"version": "18.0.1.0.0"', manifest.read_text()
    )
    text = re.sub(r'"data": \[[^\]]*\]', '"data": []', text)
    manifest.write_text(text)
    return dst


def test_repository_is_sane():
    assert repo_checks.check_repository() == []


def test_good_addon_has_no_problem(addon):
    assert repo_checks.check_manifest(addon, {"payment_allocation"}) == []


def _rewrite_manifest(addon, old, new):
    path = addon / "__manifest__.py"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('"18.0.1.0.0"', '"17.0.1.0.0"', "is not 18.0.x.y.z"),
        ('"18.0.1.0.0"', '"18.0.1.0"', "is not 18.0.x.y.z"),
        ('"LGPL-3"', '"OEEL-1"', "license must be LGPL-3"),
        ('"installable": True', '"installable": False', "not installable"),
        (
            '"installable": True',
            '"installable": True, "description": "x"',
            "no 'description' key",
        ),
        ('"data": []', '"data": ["views/missing.xml"]', "views/missing.xml"),
        ('["payment_allocation"]', '["account"]', "depends ['account']"),
    ],
)
def test_manifest_problems_are_reported(addon, old, new, expected):
    _rewrite_manifest(addon, old, new)
    problems = repo_checks.check_manifest(addon, {"payment_allocation"})
    assert any(expected in p for p in problems), problems


def test_unreadable_manifest(addon):
    (addon / "__manifest__.py").write_text("{not python")
    problems = repo_checks.check_manifest(addon)
    assert problems and "unreadable manifest" in problems[0]


@pytest.mark.parametrize(
    "relative",
    [
        "readme/USAGE.md",
        "static/description/icon.png",
        "pyproject.toml",
        "i18n/multi_site_billing.pot",
    ],
)
def test_missing_layout_file(addon, relative):
    (addon / relative).unlink()
    problems = repo_checks.check_manifest(addon)
    assert any(relative.split("/")[-1] in p for p in problems), problems


def test_test_module_not_imported(addon):
    (addon / "tests" / "test_forgotten.py").write_text("")
    problems = repo_checks.check_tests_imported(addon)
    assert problems == [
        (
            "multi_site_billing: tests/test_forgotten.py is not imported by "
            "tests/__init__.py"
        )
    ]


def test_external_dependencies_match_requirements(tmp_path, addon):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# none\nstripe>=5  # payments\n")
    _rewrite_manifest(
        addon,
        '"data": []',
        '"data": [], "external_dependencies": {"python": ["num2words"]}',
    )
    problems = repo_checks.check_external_dependencies([addon], requirements)
    assert problems == [
        "requirements.txt lacks num2words (declared by a manifest)",
        "requirements.txt lists stripe, which no manifest declares",
    ]


def test_metapackage_lists_every_addon(tmp_path):
    (tmp_path / "setup" / "_metapackage").mkdir(parents=True)
    (tmp_path / "setup" / "_metapackage" / "pyproject.toml").write_text(
        'dependencies = ["odoo-addon-a==18.0.*"]'
    )
    assert repo_checks.check_metapackage(tmp_path, ["a", "b"]) == [
        "setup/_metapackage does not depend on odoo-addon-b"
    ]

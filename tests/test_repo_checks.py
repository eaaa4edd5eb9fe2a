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


# ----------------------------------------------------------------------
# translations: each .po against its .pot
# ----------------------------------------------------------------------

PO_HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {lang}\\n"

"""

POT_ENTRIES = {
    "Total": "",
    "%(count)s invoices": "",
    "Pay %s now": "",
    "Your query on {{ object.move_id.name }}": "",
    'Dear <t t-out="object.name"/>,': "",
}

DE_ENTRIES = {
    "Total": "Total",
    "%(count)s invoices": "%(count)s Rechnungen",
    "Pay %s now": "%s jetzt zahlen",
    "Your query on {{ object.move_id.name }}": (
        "Ihre Anfrage zu {{ object.move_id.name }}"
    ),
    'Dear <t t-out="object.name"/>,': 'Hallo <t t-out="object.name"/>,',
}


def _po_text(entries, lang="", fuzzy=(), obsolete=()):
    def quote(text):
        return text.replace("\\", "\\\\").replace('"', '\\"')

    text = PO_HEADER.format(lang=lang)
    for msgid, msgstr in entries.items():
        if msgid in fuzzy:
            text += "#, fuzzy\n"
        text += f'msgid "{quote(msgid)}"\nmsgstr "{quote(msgstr)}"\n\n'
    for msgid, msgstr in obsolete:
        text += f'#~ msgid "{quote(msgid)}"\n#~ msgstr "{quote(msgstr)}"\n\n'
    return text


@pytest.fixture
def i18n_addon(tmp_path):
    """An addon folder with a .pot and a complete German .po."""
    i18n = tmp_path / "some_addon" / "i18n"
    i18n.mkdir(parents=True)
    (i18n / "some_addon.pot").write_text(_po_text(POT_ENTRIES))
    (i18n / "de.po").write_text(_po_text(DE_ENTRIES, "de"))
    return tmp_path / "some_addon"


def _write_de(addon, entries, **kwargs):
    (addon / "i18n" / "de.po").write_text(_po_text(entries, "de", **kwargs))


def test_complete_translation_passes(i18n_addon):
    assert repo_checks.check_translations(i18n_addon) == []


def test_no_po_file_is_fine(i18n_addon):
    (i18n_addon / "i18n" / "de.po").unlink()
    assert repo_checks.check_translations(i18n_addon) == []


def test_missing_entry(i18n_addon):
    entries = dict(DE_ENTRIES)
    del entries["Pay %s now"]
    _write_de(i18n_addon, entries)
    assert repo_checks.check_translations(i18n_addon) == [
        "some_addon: i18n/de.po: 1 missing msgids of the .pot: 'Pay %s now'"
    ]


def test_entry_not_in_pot(i18n_addon):
    _write_de(i18n_addon, {**DE_ENTRIES, "Gone": "Weg"})
    assert repo_checks.check_translations(i18n_addon) == [
        "some_addon: i18n/de.po: 1 msgids not in the .pot: 'Gone'"
    ]


def test_obsolete_entry(i18n_addon):
    _write_de(i18n_addon, DE_ENTRIES, obsolete=[("Gone", "Weg")])
    assert repo_checks.check_translations(i18n_addon) == [
        "some_addon: i18n/de.po: 1 obsolete entries (#~): 'Gone'"
    ]


def test_empty_msgstr(i18n_addon):
    _write_de(i18n_addon, {**DE_ENTRIES, "Total": ""})
    assert repo_checks.check_translations(i18n_addon) == [
        "some_addon: i18n/de.po: 1 empty msgstr: 'Total'"
    ]


def test_fuzzy_entry(i18n_addon):
    _write_de(i18n_addon, DE_ENTRIES, fuzzy={"%(count)s invoices"})
    assert repo_checks.check_translations(i18n_addon) == [
        "some_addon: i18n/de.po: 1 fuzzy entries: '%(count)s invoices'"
    ]


@pytest.mark.parametrize(
    "msgid, msgstr",
    [
        ("%(count)s invoices", "%(anzahl)s Rechnungen"),
        ("%(count)s invoices", "Rechnungen"),
        ("Pay %s now", "Jetzt zahlen"),
        ("Pay %s now", "%s %s jetzt zahlen"),
        ("Your query on {{ object.move_id.name }}", "Ihre Anfrage zu {{ object }}"),
        ('Dear <t t-out="object.name"/>,', 'Hallo <t t-out="object.email"/>,'),
    ],
)
def test_placeholder_mismatch(i18n_addon, msgid, msgstr):
    _write_de(i18n_addon, {**DE_ENTRIES, msgid: msgstr})
    assert repo_checks.check_translations(i18n_addon) == [
        f"some_addon: i18n/de.po: 1 placeholders not kept by the msgstr: {msgid!r}"
    ]


def test_placeholders_may_move_and_percent_signs_are_text():
    assert repo_checks.placeholders("%(a)s and %(b)s, 100%% sure") == (
        repo_checks.placeholders("%(b)s und %(a)s, 100 %% sicher")
    )
    assert not repo_checks.placeholders("50% off, {{ }} aside")["%"]


def test_many_problems_are_counted(i18n_addon):
    _write_de(i18n_addon, {})
    [problem] = repo_checks.check_translations(i18n_addon)
    assert problem.startswith("some_addon: i18n/de.po: 5 missing msgids of the .pot: ")
    assert problem.endswith(" and 2 more")


def _duplicate_msgid(addon):
    # the same msgid twice: polib reads it, msgfmt refuses it
    path = addon / "i18n" / "de.po"
    path.write_text(path.read_text() + 'msgid "Total"\nmsgstr "Summe"\n')


def test_msgfmt_errors_are_reported(i18n_addon):
    """With gettext installed, its msgfmt checks the file too; without it,
    the other checks still apply (CI need not install gettext)."""
    _duplicate_msgid(i18n_addon)
    problems = repo_checks.check_translations(i18n_addon)
    reported = [p for p in problems if "msgfmt --check-format" in p]
    if shutil.which("msgfmt"):
        assert reported and "duplicate message definition" in reported[0], problems
    else:
        assert not reported, problems


def test_msgfmt_is_run_when_installed(i18n_addon, tmp_path, monkeypatch):
    fake = tmp_path / "msgfmt"
    fake.write_text('#!/bin/sh\necho "de.po:3: bad $1 $2 $3" >&2\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setattr(repo_checks.shutil, "which", lambda name: str(fake))
    expected = f"de.po:3: bad --check-format -o {repo_checks.os.devnull}"
    assert repo_checks.check_translations(i18n_addon) == [
        f"some_addon: i18n/de.po: msgfmt --check-format: {expected}"
    ]
    monkeypatch.setattr(repo_checks.shutil, "which", lambda name: None)
    assert repo_checks.check_translations(i18n_addon) == []


def test_unreadable_po(i18n_addon):
    (i18n_addon / "i18n" / "de.po").write_text('msgid "Total"\nmsgstr \n')
    [problem] = repo_checks.check_translations(i18n_addon)
    assert problem.startswith("some_addon: i18n/de.po: unreadable"), problem

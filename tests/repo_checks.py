"""Repository sanity checks that need no Odoo.

Each ``check_*`` function returns a list of problems (strings); an empty list
means the check holds. ``python3 tests/repo_checks.py`` runs them all on this
repository and exits non-zero when one fails. The test command runs this as
part of its static stage, and ``tests/test_repo_checks.py`` tests the checks.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ADDONS = ("customer_portal_invoices", "payment_allocation", "multi_site_billing")

# Dependencies between our addons run one way (see PRODUCT.md).
EXPECTED_DEPENDS = {
    "customer_portal_invoices": {"account", "portal"},
    "payment_allocation": {
        "customer_portal_invoices",
        "account_payment",
        "payment_stripe",
    },
    "multi_site_billing": {"payment_allocation"},
}

VERSION_RE = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")
README_FRAGMENTS = ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md", "CONTRIBUTORS.md")
REQUIREMENT_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# What a translation must keep of its source text: printf placeholders
# (%(name)s, %s; "%%" is a percent sign), the expressions of mail templates
# ({{ object.name }}), format fields ({name}, {}) and the QWeb expressions
# of the terms of templates (t-out="...").
PLACEHOLDER_RE = re.compile(
    r"%%"
    r"|%(?:\(\w+\))?[-#0+]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|\{\{.*?\}\}"
    r"|\{\w*\}"
    r'|\bt-(?:out|esc|raw|field)="[^"]*"',
    re.DOTALL,
)
# How many msgids a problem quotes before it just counts them.
QUOTED_MSGIDS = 3


def read_manifest(addon_dir):
    """Return the manifest dict of ``addon_dir`` (a Path)."""
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


def _normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_requirements(path):
    """Names (normalized) listed in a pip requirements file."""
    names = set()
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = REQUIREMENT_NAME_RE.match(line)
        if match:
            names.add(_normalize(match.group(1)))
    return names


def check_manifest(addon_dir, expected_depends=None):
    """Problems with one addon's manifest and layout."""
    addon_dir = Path(addon_dir)
    try:
        manifest = read_manifest(addon_dir)
    except (OSError, SyntaxError, ValueError) as exc:
        return [f"{addon_dir.name}: unreadable manifest ({exc})"]
    return (
        _check_manifest_keys(addon_dir.name, manifest, expected_depends)
        + _check_manifest_files(addon_dir, manifest)
        + _check_layout(addon_dir)
        + check_tests_imported(addon_dir)
    )


def _check_manifest_keys(name, manifest, expected_depends):
    problems = []
    if not VERSION_RE.match(str(manifest.get("version", ""))):
        problems.append(
            f"{name}: version {manifest.get('version')!r} is not 18.0.x.y.z"
        )
    if manifest.get("license") != "LGPL-3":
        problems.append(f"{name}: license must be LGPL-3")
    if "description" in manifest:
        problems.append(f"{name}: no 'description' key (use readme/ fragments)")
    if not manifest.get("installable", True):
        problems.append(f"{name}: not installable")
    for key in ("name", "summary", "author", "depends"):
        if not manifest.get(key):
            problems.append(f"{name}: manifest key {key!r} is missing or empty")
    depends = set(manifest.get("depends", []))
    if expected_depends is not None and depends != set(expected_depends):
        problems.append(
            f"{name}: depends {sorted(depends)} != {sorted(expected_depends)}"
        )
    return problems


def _check_manifest_files(addon_dir, manifest):
    name = addon_dir.name
    problems = [
        f"{name}: {key} file {rel} does not exist"
        for key in ("data", "demo")
        for rel in manifest.get(key, [])
        if not (addon_dir / rel).is_file()
    ]
    for bundle in manifest.get("assets", {}).values():
        for entry in bundle:
            path = entry if isinstance(entry, str) else entry[-1]
            # globs and other modules' files are resolved by Odoo itself
            own_file = path.startswith(f"{name}/") and "*" not in path
            if own_file and not (addon_dir / path[len(name) + 1 :]).is_file():
                problems.append(f"{name}: asset {path} does not exist")
    return problems


def _check_layout(addon_dir):
    name = addon_dir.name
    problems = [
        f"{name}: readme/{fragment} is missing"
        for fragment in README_FRAGMENTS
        if not (addon_dir / "readme" / fragment).is_file()
    ]
    if not (addon_dir / "i18n" / f"{name}.pot").is_file():
        problems.append(f"{name}: i18n/{name}.pot is missing")
    if not (addon_dir / "static" / "description" / "icon.png").is_file():
        problems.append(f"{name}: static/description/icon.png is missing")
    pyproject = addon_dir / "pyproject.toml"
    if not pyproject.is_file() or "whool" not in pyproject.read_text():
        problems.append(f"{name}: pyproject.toml with the whool backend is missing")
    return problems


def check_tests_imported(addon_dir):
    """Every tests/test_*.py must be imported by tests/__init__.py (Odoo's
    runner only sees what the package imports)."""
    tests_dir = Path(addon_dir) / "tests"
    if not tests_dir.is_dir():
        return [f"{Path(addon_dir).name}: no tests/ folder"]
    init = tests_dir / "__init__.py"
    imported = set(re.findall(r"from \. import (\w+)", init.read_text()))
    problems = []
    modules = sorted(p.stem for p in tests_dir.glob("test_*.py"))
    if not modules:
        problems.append(f"{Path(addon_dir).name}: tests/ has no test_*.py module")
    for module in modules:
        if module not in imported:
            problems.append(
                f"{Path(addon_dir).name}: tests/{module}.py is not imported "
                "by tests/__init__.py"
            )
    return problems


def check_external_dependencies(addon_dirs, requirements_file):
    """The Python packages the manifests declare are exactly requirements.txt."""
    declared = set()
    for addon_dir in addon_dirs:
        manifest = read_manifest(Path(addon_dir))
        declared |= {
            _normalize(n)
            for n in manifest.get("external_dependencies", {}).get("python", [])
        }
    listed = read_requirements(requirements_file)
    problems = []
    for name in sorted(declared - listed):
        problems.append(f"requirements.txt lacks {name} (declared by a manifest)")
    for name in sorted(listed - declared):
        problems.append(f"requirements.txt lists {name}, which no manifest declares")
    return problems


def placeholders(text):
    """The placeholders of ``text`` (see ``PLACEHOLDER_RE``), counted."""
    return Counter(m for m in PLACEHOLDER_RE.findall(text) if m != "%%")


def _quote(msgids):
    """The first msgids of ``msgids`` (shortened), and how many more."""
    msgids = sorted(msgids)
    shown = ", ".join(
        repr(m if len(m) <= 60 else m[:59] + "…") for m in msgids[:QUOTED_MSGIDS]
    )
    more = len(msgids) - QUOTED_MSGIDS
    return f"{shown} and {more} more" if more > 0 else shown


def check_translations(addon_dir):
    """Each ``i18n/<lang>.po`` of the addon translates exactly the msgids of
    its ``.pot`` (none missing, none obsolete), every one of them (no empty
    msgstr, no fuzzy entry), keeps their placeholders, and compiles
    (``msgfmt --check-format``, when gettext is installed)."""
    addon_dir = Path(addon_dir)
    name = addon_dir.name
    pot_path = addon_dir / "i18n" / f"{name}.pot"
    po_paths = sorted((addon_dir / "i18n").glob("*.po"))
    if not po_paths:
        return []
    try:
        import polib
    except ImportError:
        hint = "pip install -r test-requirements.txt"
        return [f"{name}: polib is missing to check the .po files ({hint})"]
    if not pot_path.is_file():
        return [f"{name}: i18n/{name}.pot is missing, the .po files cannot be checked"]
    try:
        template = {(e.msgctxt, e.msgid) for e in polib.pofile(str(pot_path))}
    except (OSError, ValueError) as exc:
        return [f"{name}: i18n/{name}.pot is unreadable ({exc})"]
    problems = []
    for po_path in po_paths:
        problems += _check_po(po_path, f"{name}: i18n/{po_path.name}", template)
    return problems


def _check_po(po_path, where, template):
    """Problems of one .po file against the msgids of its .pot."""
    import polib

    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as exc:
        return [f"{where}: unreadable ({exc})"]
    entries = [e for e in po if not e.obsolete]
    keys = {(e.msgctxt, e.msgid) for e in entries}
    problems = []
    checks = (
        ("missing msgids of the .pot", [m for _c, m in template - keys]),
        ("msgids not in the .pot", [m for _c, m in keys - template]),
        ("obsolete entries (#~)", [e.msgid for e in po.obsolete_entries()]),
        ("fuzzy entries", [e.msgid for e in entries if "fuzzy" in e.flags]),
        ("empty msgstr", [e.msgid for e in entries if not e.msgstr.strip()]),
        (
            "placeholders not kept by the msgstr",
            [
                e.msgid
                for e in entries
                if e.msgstr.strip() and placeholders(e.msgid) != placeholders(e.msgstr)
            ],
        ),
    )
    for what, msgids in checks:
        if msgids:
            problems.append(f"{where}: {len(msgids)} {what}: {_quote(msgids)}")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        proc = subprocess.run(
            [msgfmt, "--check-format", "-o", os.devnull, str(po_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            errors = proc.stderr.strip().splitlines()[:QUOTED_MSGIDS]
            problems.append(f"{where}: msgfmt --check-format: " + " / ".join(errors))
    return problems


def check_metapackage(root, addons):
    """setup/_metapackage depends on every addon's wheel."""
    path = Path(root) / "setup" / "_metapackage" / "pyproject.toml"
    if not path.is_file():
        return ["setup/_metapackage/pyproject.toml is missing"]
    text = path.read_text()
    return [
        f"setup/_metapackage does not depend on odoo-addon-{addon}"
        for addon in addons
        if f"odoo-addon-{addon}" not in text
    ]


def check_repository(root=ROOT):
    """All checks on the repository at ``root``."""
    root = Path(root)
    problems = []
    for addon in ADDONS:
        addon_dir = root / addon
        if not addon_dir.is_dir():
            problems.append(f"{addon}: addon folder is missing")
            continue
        problems += check_manifest(addon_dir, EXPECTED_DEPENDS[addon])
        problems += check_translations(addon_dir)
    problems += check_external_dependencies(
        [root / a for a in ADDONS if (root / a).is_dir()], root / "requirements.txt"
    )
    problems += check_metapackage(root, ADDONS)
    return problems


def main():
    problems = check_repository()
    for problem in problems:
        sys.stdout.write(f"manifest sanity: {problem}\n")
    if problems:
        sys.stdout.write(f"manifest sanity: {len(problems)} problem(s)\n")
        return 1
    sys.stdout.write(f"manifest sanity: {len(ADDONS)} addons OK\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

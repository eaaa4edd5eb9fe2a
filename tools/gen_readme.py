#!/usr/bin/env python3
# Copyright 2026 Invoice Portal Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Regenerate each addon's README.rst from its manifest and readme/ fragments.

    python3 tools/gen_readme.py [--check] [ADDON_DIR ...]

Without ADDON_DIR: every addon of the repository (a folder with a
__manifest__.py and a readme/ folder). The layout follows OCA's
oca-gen-addon-readme: title, manifest summary, license badge, table of
contents, DESCRIPTION.md, then Installation (INSTALL.md), Configuration
(CONFIGURE.md), Usage (USAGE.md), Known issues / Roadmap (ROADMAP.md),
Changelog (HISTORY.md) and Credits (CONTRIBUTORS.md, CREDITS.md), each
section only when its fragment exists.

The fragments are simple Markdown (paragraphs, "-" and numbered lists, nested
lists, `code`, **bold**, *italic*, [links](url), fenced code blocks),
converted here in pure Python; anything else (headings, tables, block
quotes, HTML) is refused with its file and line.

--check writes nothing and exits 1 when a README.rst is not what this script
would write.
"""

import argparse
import ast
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LICENSES = {
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
}

# (fragment, section title); Credits is assembled apart.
SECTIONS = (
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
CREDITS = (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits"))


class MarkdownError(ValueError):
    pass


# ---------------------------------------------------------------------------
# Markdown blocks

BULLET_RE = re.compile(r"^( {0,3})([-*+])( {1,4}|$)")
ORDERED_RE = re.compile(r"^( {0,3})(\d{1,9})([.)])( {1,4}|$)")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$")
UNSUPPORTED_RE = re.compile(r"^ {0,3}(#{1,6}(\s|$)|>|\||<|(-\s*){3,}$|(\*\s*){3,}$)")


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _marker(line):
    """(kind, number, content column) of a list marker line, or None."""
    line = line.expandtabs(4)
    match = BULLET_RE.match(line)
    if match:
        kind, number = match.group(2), None
    else:
        match = ORDERED_RE.match(line)
        if not match:
            return None
        kind, number = "ordered" + match.group(3), int(match.group(2))
    spaces = match.group(match.lastindex)
    width = match.end() - len(spaces) + (len(spaces) or 1)
    return kind, number, width


class BlockParser:
    """Markdown lines (already dedented to their container) to blocks.

    Blocks: ("para", [lines]), ("code", language, [lines]) and
    ("list", ordered, start, [(blocks, ...)], loose).
    """

    def __init__(self, lines, where):
        self.lines = [line.rstrip().expandtabs(4) for line in lines]
        self.where = where  # (file name, line number of self.lines[0])
        self.pos = 0

    def error(self, message, pos=None):
        name, first = self.where
        line = first + (self.pos if pos is None else pos)
        return MarkdownError(f"{name}:{line}: {message}")

    def parse(self):
        blocks = []
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if not line.strip():
                self.pos += 1
            elif FENCE_RE.match(line):
                blocks.append(self.code())
            elif _marker(line):
                blocks.append(self.list())
            elif UNSUPPORTED_RE.match(line) or _indent(line) >= 4:
                raise self.error(f"unsupported Markdown: {line.strip()!r}")
            else:
                blocks.append(self.paragraph())
        return blocks

    def paragraph(self):
        lines = []
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            marker = _marker(line)
            interrupts = marker and (marker[1] in (None, 1)) and line.strip()
            if not line.strip() or FENCE_RE.match(line) or (lines and interrupts):
                break
            lines.append(line.strip())
            self.pos += 1
        return ("para", lines)

    def code(self):
        start = self.pos
        fence, language = FENCE_RE.match(self.lines[start]).groups()
        indent = _indent(self.lines[start])
        self.pos += 1
        lines = []
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            self.pos += 1
            if line.strip().startswith(fence) and not line.strip(fence[0]).strip():
                return ("code", language, lines)
            lines.append(line[min(indent, _indent(line)) :])
        raise self.error("code block without its closing fence", start)

    def list(self):
        kind, start, _width = _marker(self.lines[self.pos])
        items, loose = [], False
        while self.pos < len(self.lines):
            if not self.lines[self.pos].strip():
                # a blank line between two items makes the list loose
                following = self._next_nonblank()
                marker = following is not None and _marker(following)
                if not marker or marker[0] != kind:
                    break
                loose = True
                while not self.lines[self.pos].strip():
                    self.pos += 1
            marker = _marker(self.lines[self.pos])
            if not marker or marker[0] != kind:
                break
            items.append(self.item(marker[2]))
        return ("list", kind.startswith("ordered"), start, items, loose)

    def item(self, width):
        """The blocks of the list item starting at self.pos."""
        first = self.pos
        base = _indent(self.lines[first])
        body = [self.lines[first][width:]]
        self.pos += 1
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if not line.strip():
                following = self._next_nonblank()
                if following is None or _indent(following) <= base:
                    break
                body.append("")
            elif _indent(line) <= base:
                break  # a sibling item, or the text after the list
            else:
                body.append(line[min(width, _indent(line)) :])
            self.pos += 1
        sub = BlockParser(body, (self.where[0], self.where[1] + first))
        return sub.parse()

    def _next_nonblank(self):
        for line in self.lines[self.pos :]:
            if line.strip():
                return line
        return None


# ---------------------------------------------------------------------------
# Markdown inline markup to reStructuredText

CODE_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
LINK_RE = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
STRONG_RE = re.compile(
    r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", re.DOTALL
)
EM_RE = re.compile(
    r"\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.DOTALL
)
MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
TOKEN_RE = re.compile("\ue000(\\d+)\ue001")
# RST inline markup must start after whitespace or one of these, and end
# before whitespace or one of these (docutils' inline markup recognition rules)
START_OK = set("'\"([{<-/:") | {"\n", " "}
END_OK = set("'\")]}>-/:.,;!?\\") | {"\n", " "}


def _punct_ok(char, categories):
    return unicodedata.category(char) in categories


def _can_start_after(char):
    return char in START_OK or _punct_ok(char, ("Ps", "Pi", "Pf", "Pd", "Po"))


def _can_end_before(char):
    return char in END_OK or _punct_ok(char, ("Pe", "Pi", "Pf", "Pd", "Po"))


def _escape(text):
    """Plain text for RST: no accidental markup."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*`|])", r"\\\1", text)
    return re.sub(r"_(?=\W|$)", r"\\_", text)


class Inline:
    """One paragraph's Markdown inline markup, as RST."""

    def __init__(self, text):
        self.tokens = []  # (kind, content, target)
        text = CODE_RE.sub(self._code, text)
        text = MD_ESCAPE_RE.sub(lambda m: self._add("text", m.group(1)), text)
        text = AUTOLINK_RE.sub(lambda m: self._add("text", m.group(1)), text)
        text = LINK_RE.sub(lambda m: self._add("link", m.group(1), m.group(2)), text)
        text = STRONG_RE.sub(
            lambda m: self._add("strong", m.group(1) or m.group(2)), text
        )
        text = EM_RE.sub(lambda m: self._add("em", m.group(1) or m.group(2)), text)
        self.text = text

    def _add(self, kind, content, target=None):
        self.tokens.append((kind, content, target))
        return f"\ue000{len(self.tokens) - 1}\ue001"

    def _code(self, match):
        content = match.group(2)
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        return self._add("code", content)

    def plain(self, text):
        """Text with placeholders, all markup dropped (RST does not nest)."""
        return TOKEN_RE.sub(lambda m: self.plain(self.tokens[int(m.group(1))][1]), text)

    def render(self):
        out = []  # (rst text, is markup)
        for index, piece in enumerate(TOKEN_RE.split(self.text)):
            if index % 2 == 0:
                if piece:
                    out.append((_escape(piece), False))
                continue
            kind, content, target = self.tokens[int(piece)]
            content = self.plain(content)
            if kind == "text":
                out.append((_escape(content), False))
            elif kind == "code":
                out.append((f"``{content}``", True))
            elif kind == "link":
                out.append((f"`{_escape(content)} <{target}>`__", True))
            else:
                mark = "**" if kind == "strong" else "*"
                out.append((f"{mark}{_escape(content)}{mark}", True))
        return self._join(out)

    @staticmethod
    def _join(pieces):
        result = ""
        previous_markup = False
        for text, markup in pieces:
            if result and (
                (markup and (previous_markup or not _can_start_after(result[-1])))
                or (previous_markup and not markup and not _can_end_before(text[0]))
            ):
                result += "\\ "
            result += text
            previous_markup = markup
        return result


# ---------------------------------------------------------------------------
# Blocks to reStructuredText

# a paragraph starting like this would be read as a list, field, option,
# directive or comment by docutils
RST_START_RE = re.compile(
    r"^(\(?([0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+|#)[.)]\s|[-+*•‣⁃]\s|\.\.(\s|$)"
    r"|:[^:\s][^:]*:(\s|$)|--?\w)"
)


def render_paragraph(lines):
    text = Inline("\n".join(lines)).render()
    if RST_START_RE.match(text):
        text = "\\" + text
    if text.endswith("::"):
        text = text[:-1] + "\\:"
    return text.split("\n")


def render_list(block):
    _kind, ordered, start, items, loose = block
    lines = []
    for offset, item in enumerate(items):
        marker = f"{start + offset}. " if ordered else "- "
        body = render_blocks(item) or [""]
        lines.append((marker + body[0]).rstrip())
        lines.extend((" " * len(marker) + line) if line else "" for line in body[1:])
        if (loose or len(item) > 1) and offset < len(items) - 1:
            lines.append("")
    return lines


def render_code(block):
    _kind, language, code = block
    head = f".. code:: {language}" if language else "::"
    return [head, ""] + [("   " + line).rstrip() for line in code]


def render_blocks(blocks):
    lines = []
    for block in blocks:
        if lines:
            lines.append("")
        if block[0] == "para":
            lines.extend(render_paragraph(block[1]))
        elif block[0] == "list":
            lines.extend(render_list(block))
        else:
            lines.extend(render_code(block))
    return lines


def markdown_to_rst(text, name="<markdown>"):
    blocks = BlockParser(text.splitlines(), (name, 1)).parse()
    return "\n".join(render_blocks(blocks))


# ---------------------------------------------------------------------------
# README.rst


def title(text, char, overline=False):
    rule = char * len(text)
    return f"{rule}\n{text}\n{rule}" if overline else f"{text}\n{rule}"


def read_manifest(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    return manifest


def fragment(addon, name):
    path = addon / "readme" / f"{name}.md"
    if not path.is_file():
        return None
    rst = markdown_to_rst(path.read_text(encoding="utf-8"), str(path))
    return rst or None


def license_badge(license_name):
    if license_name not in LICENSES:
        raise SystemExit(f"unknown license {license_name!r}: add it to LICENSES")
    return (
        f".. |badge1| image:: https://img.shields.io/badge/licence-"
        f"{license_name.replace('-', '--')}-blue.png\n"
        f"    :target: {LICENSES[license_name]}\n"
        f"    :alt: License: {license_name}\n\n|badge1|"
    )


def generate(addon):
    manifest = read_manifest(addon)
    parts = [title(manifest["name"], "=", overline=True)]
    if manifest.get("summary"):
        parts.append(manifest["summary"].strip())
    parts.append(license_badge(manifest.get("license", "LGPL-3")))
    parts.append("**Table of contents**\n\n.. contents::\n   :local:")
    description = fragment(addon, "DESCRIPTION")
    if description is None:
        raise SystemExit(f"{addon / 'readme' / 'DESCRIPTION.md'} is missing")
    parts.append(description)
    for name, heading in SECTIONS:
        body = fragment(addon, name)
        if body:
            parts.append(f"{title(heading, '=')}\n\n{body}")
    credits = [
        f"{title(heading, '~')}\n\n{body}"
        for name, heading in CREDITS
        if (body := fragment(addon, name))
    ]
    if credits:
        parts.append(title("Credits", "="))
        parts.extend(credits)
    return "\n\n".join(parts) + "\n"


def addons_of_repository():
    return sorted(
        path.parent
        for path in ROOT.glob("*/__manifest__.py")
        if (path.parent / "readme").is_dir()
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a README.rst is out of date",
    )
    parser.add_argument("addons", nargs="*", type=Path, help="addon folders")
    args = parser.parse_args(argv)
    addons = [path.resolve() for path in args.addons] or addons_of_repository()
    stale = []
    for addon in addons:
        try:
            text = generate(addon)
        except MarkdownError as error:
            raise SystemExit(f"error: {error}") from None
        readme = addon / "README.rst"
        current = readme.read_text(encoding="utf-8") if readme.exists() else None
        if current == text:
            continue
        stale.append(readme)
        if args.check:
            print(f"{readme} is out of date", file=sys.stderr)
        else:
            readme.write_text(text, encoding="utf-8")
            print(f"{readme} regenerated")
    if args.check and stale:
        print("run: python3 tools/gen_readme.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""HTML comes from autoescaped templates or Styler: no tag is assembled in Python strings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "helpers"
#: An HTML tag opening or closing: ``<p``, ``</td`` (not a regex's named group ``(?P<name>``).
TAG = re.compile(r"(?<!\?P)<[a-zA-Z/]")


def _text(node: ast.AST) -> str:
    """The literal text of a string constant or an f-string's literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v) for v in node.values)
    return ""


def tags_built_in_code(source: str) -> list[int]:
    """Lines where a string with an HTML tag is formatted or joined into markup.

    An f-string with a tag, a string with a tag concatenated (``+``), ``%``-formatted,
    ``.format``-ed or ``.join``-ed: each puts values into HTML without autoescape.
    A plain constant (a docstring, a regular expression that matches a tag) is not.
    """
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and TAG.search(_text(node)):
            lines.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            if TAG.search(_text(node.left)) or TAG.search(_text(node.right)):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "join", "format_map")
            and TAG.search(_text(node.func.value))
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("x = f'<p>{a}</p>'", [1]),
        ("x = '<td>' + a", [1]),
        ("x = '<b>%s</b>' % a", [1]),
        ("x = '<i>{}</i>'.format(a)", [1]),
        ("x = '</td><td>'.join(a)", [1]),
        ("x = re.compile(r'<a href=\"#\">')", []),
        ("x = f'{a} < {b}'", []),
        ("x = re.compile(rf'{p}(?P<name>.+)')", []),
    ],
)
def test_the_check_finds_tags_in_every_kind_of_string_building(source, found):
    assert tags_built_in_code(source) == found


def test_no_html_tag_is_built_in_a_python_string():
    """The views and the orchestrator write HTML only through templates (autoescaped)."""
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in tags_built_in_code(path.read_text(encoding="utf-8"))
    ]
    assert found == []

"""Line numbers of the keys of a YAML mapping, for errors that name the line."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.errors import DataError


def key_lines(path: Path, node: yaml.MappingNode, where: str, offset: int = 1) -> dict[str, int]:
    """Each key of a YAML mapping node -> its line in the file; a repeated key is an error.

    Args:
        path: The file (for messages).
        node: A mapping node from ``yaml.compose`` or a loader's ``get_single_node``.
        where: What the mapping is, for messages (``"front matter"``, ``"entry 2 of
            'files'"``).
        offset: The file line of the YAML text's first line (1 when the YAML is the
            whole file).

    Returns:
        The keys (as text) in file order, with their 1-based file lines.

    Raises:
        DataError: For a key given twice, naming the second line.
    """
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + offset
        if key in lines:
            raise DataError(
                path,
                f"each key once in {where} (first on line {lines[key]}); remove or rename one",
                line=line,
                found=key,
            )
        lines[key] = line
    return lines


def value_node(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    """The value node of ``key`` in a mapping node (``None`` when absent)."""
    for key_node, node_value in node.value:
        if str(key_node.value) == key:
            return node_value
    return None

"""YAML read strictly: every key once at every level, bounded, lines for every error.

Every YAML file the project reads (``accounts.yml``, a commentary file's front
matter) goes through :func:`parse`. It refuses, in one line naming the file and the
line:

* a key given twice in any mapping, at any level (YAML would keep the last and
  drop the first without a word);
* more than :data:`MAX_DEPTH` levels of nesting, more than :data:`MAX_ALIASES`
  aliases (``*name``), or more than :data:`MAX_VALUES` values once aliases are
  expanded: a file that would take the machine's memory or time ("billion laughs");
* anything that is not valid YAML.

Dates stay text (each reader checks them with their line); only plain YAML values
are built (the safe loader: no Python objects).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from helpers.errors import DataError

#: Most levels of nesting a YAML file may have (the project's files use four).
MAX_DEPTH = 32
#: Most aliases (``*name``) a YAML file may use.
MAX_ALIASES = 100
#: Most values (keys, items, scalars) a YAML file may hold once aliases are expanded.
MAX_VALUES = 100_000


class _Limit(yaml.YAMLError):
    """A bound of :class:`StrictLoader` passed, at ``mark``."""

    def __init__(self, expected: str, mark: yaml.Mark | None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.problem_mark = mark


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, dates as text, nesting and aliases bounded while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        """Compose one node, refusing too many aliases or too deep a nesting."""
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Limit(
                    f"at most {MAX_ALIASES} aliases (*name) in the file",
                    self.peek_event().start_mark,
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Limit(f"at most {MAX_DEPTH} levels of nesting", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse(path: Path, text: str, where: str = "the file", offset: int = 1) -> tuple[Any, Any]:
    """The root node and the values of a YAML text, read strictly (see the module).

    Args:
        path: The file (for messages).
        text: The YAML text.
        where: What the root mapping is, for messages (``"front matter"``).
        offset: The file line of the text's first line.

    Returns:
        ``(node, data)``: the root node (None for an empty text) and its values.

    Raises:
        DataError: For a repeated key, a bound passed or invalid YAML, with the line.
    """
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _count_values(path, node, offset)
        _check_keys(path, node, where, offset, set(), top=True)
        return node, loader.construct_document(node)
    except _Limit as exc:
        line = exc.problem_mark.line + offset if exc.problem_mark else None
        raise DataError(path, exc.expected, line=line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(
            path,
            f"valid YAML ({problem}; check indentation and colons)",
            line=mark.line + offset if mark is not None else offset,
        ) from None
    finally:
        loader.dispose()


def _count_values(path: Path, root: yaml.Node, offset: int) -> None:
    """Refuse a node graph with more than :data:`MAX_VALUES` values once expanded."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:  # depth is bounded by MAX_DEPTH
        if id(node) in open_nodes:
            raise DataError(
                path, "no alias (*name) inside its own anchor", line=node.start_mark.line + offset
            )
        if id(node) not in sizes:
            open_nodes.add(id(node))
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            else:
                children = []
            sizes[id(node)] = min(1 + sum(size(c) for c in children), MAX_VALUES + 1)
            open_nodes.discard(id(node))
        return sizes[id(node)]

    if size(root) > MAX_VALUES:
        raise DataError(
            path,
            f"at most {MAX_VALUES:,} values once aliases (*name) are expanded",
            line=root.start_mark.line + offset,
        )


def _check_keys(
    path: Path, node: yaml.Node, where: str, offset: int, seen: set[int], *, top: bool = False
) -> None:
    """Refuse a repeated key in any mapping under ``node`` (each node checked once).

    ``where`` names the mapping in messages: the root as given, a top-level key's
    value by the key (``figures``), deeper ones as ``'key' in <parent>``, and the
    entries of a list as ``entry 2 of 'key'``.
    """
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        key_lines(path, node, where, offset)
        for key_node, child in node.value:
            key = str(key_node.value)
            _check_keys(path, child, key if top else f"'{key}' in {where}", offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        key = where.split("'")[1] if where.startswith("'") else where
        for number, child in enumerate(node.value, 1):
            _check_keys(path, child, f"entry {number} of '{key}'", offset, seen)


def key_lines(path: Path, node: yaml.MappingNode, where: str, offset: int = 1) -> dict[str, int]:
    """Each key of a YAML mapping node -> its line in the file; a repeated key is an error.

    Args:
        path: The file (for messages).
        node: A mapping node from :func:`parse`.
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

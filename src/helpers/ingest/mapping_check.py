"""Strict checks of ``accounts.yml``: every key known, every value usable, no dead entry.

A typo in the mapping must not silently move figures between accounts or
channels. :func:`check_mapping` reads the YAML with its line numbers and refuses,
in one line naming the file and the line:

* a key that is not part of the mapping's shape, at any level (``acounts:``,
  ``chanel:`` in a ``files`` entry);
* a channel or division that does not exist (an area mapped to ``Westt``), a date
  that does not exist (``2015-13-01``) or an ``end`` before its ``start``;
* a ``files`` path that can never match a file (absolute, ``..``, backslashes),
  or one that an earlier entry always wins over ("shadowed": the first matching
  entry wins, so the later one would never be used);
* an ``accounts`` name given twice with different accounts (one entry would never
  be used).

Files present under the exports folder are used too: an entry all of whose
matching files are matched by an earlier entry is shadowed.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers import config
from helpers.errors import DataError
from helpers.ingest import yamlkeys
from helpers.ingest.yamlkeys import key_lines, parse


@dataclass(frozen=True)
class Field:
    """One key of a mapping entry: whether it is required and how its value is checked."""

    required: bool = False
    check: Callable[[Any], str | None] | None = None


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "text (put it in quotes)"


def _channel(value: Any) -> str | None:
    return None if value in config.CHANNELS else f"a channel ({', '.join(config.CHANNELS)})"


def _division(value: Any) -> str | None:
    return _text(value)


def division_problem(value: Any, divisions: Sequence[str]) -> str | None:
    """Why ``value`` is not one of the force's divisions (``None`` when it is).

    Args:
        value: A division name from a file.
        divisions: The divisions ``raw/force.yml`` declares; none declared accepts any
            name (a force that has not said which divisions it has).
    """
    if not divisions or value in divisions:
        return None
    return f"a division of the force ({', '.join(divisions)}, as raw/force.yml declares)"


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return None
    try:
        dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return "a date that exists, written YYYY-MM-DD"
    return None


def _areas(value: Any) -> str | None:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return None
    return "area: division lines (one area per line)"


def _check_areas(
    path: Path, node: yaml.Node, areas: Any, number: int, divisions: Sequence[str]
) -> None:
    """Refuse an area mapped to a division the force does not have, at the area's line."""
    if not isinstance(node, yaml.MappingNode) or not isinstance(areas, dict):
        return
    for key_node, division_node in node.value:
        division = areas.get(key_node.value)
        problem = division_problem(division, divisions)
        if problem:
            raise DataError(
                path,
                f"{problem} for area '{key_node.value}' in entry {number} of 'member_exports'",
                line=_line(division_node),
                found=division,
            )


#: The shape of ``accounts.yml``: list key -> the fields of its entries.
SCHEMA: dict[str, dict[str, Field]] = {
    "accounts": {
        "name": Field(True, _text),
        "account": Field(True, _text),
        "channel": Field(check=_channel),
        "division": Field(check=_division),
    },
    "files": {
        "path": Field(True, _text),
        "account": Field(check=_text),
        "channel": Field(check=_channel),
        "division": Field(check=_division),
        "start": Field(check=_date),
        "end": Field(check=_date),
    },
    "member_exports": {
        "path": Field(check=_text),
        "area_column": Field(True, _text),
        "registered_column": Field(True, _text),
        "date_format": Field(check=_text),
        "date_example": Field(check=_text),
        "as_of": Field(check=_date),
        "areas": Field(check=_areas),
    },
}


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def check_mapping(
    path: Path, text: str, files: Sequence[str] = (), divisions: Sequence[str] = ()
) -> None:
    """Refuse an ``accounts.yml`` that does not have exactly the documented shape.

    Args:
        path: The mapping file (for messages).
        text: Its text.
        files: Paths of the export files under the exports folder (POSIX, relative),
            to find ``files`` entries that an earlier entry always wins over.
        divisions: The force's divisions (``raw/force.yml``): a ``division`` or an
            ``areas`` value must be one of them (any name when none are declared).

    Raises:
        DataError: For the first problem, naming the file and the line.
    """
    root, data = parse(path, text)
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        raise DataError(path, f"a mapping with the keys {', '.join(SCHEMA)}", line=_line(root))
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in SCHEMA:
            raise DataError(
                path,
                f"only the keys {', '.join(SCHEMA)} at the top level",
                line=_line(key_node),
                found=key,
            )
        if isinstance(value_node, yaml.SequenceNode):
            for number, (entry_node, entry) in enumerate(
                zip(value_node.value, data.get(key) or [], strict=False), 1
            ):
                _check_entry(path, key, number, entry_node, entry, divisions)
    _check_names(path, root, data)
    _check_paths(path, root, data, files)


def _check_entry(
    path: Path, key: str, number: int, node: yaml.Node, entry: Any, divisions: Sequence[str] = ()
) -> None:
    fields = SCHEMA[key]
    if not isinstance(node, yaml.MappingNode) or not isinstance(entry, dict):
        raise DataError(
            path, f"entry {number} of '{key}' to be 'key: value' lines", line=_line(node)
        )
    lines = key_lines(path, node, f"entry {number} of '{key}'")
    for name, line in lines.items():
        if name not in fields:
            raise DataError(
                path,
                f"only the keys {', '.join(fields)} in entry {number} of '{key}'",
                line=line,
                found=name,
            )
    for name, field in fields.items():
        if name not in entry:
            if field.required:
                raise DataError(
                    path, f"a '{name}:' line in entry {number} of '{key}'", line=_line(node)
                )
            continue
        problem = field.check(entry[name]) if field.check else None
        if not problem and name == "division":
            problem = division_problem(entry[name], divisions)
        if problem:
            raise DataError(
                path,
                f"{problem} for {name} of entry {number} of '{key}'",
                line=lines[name],
                found=entry[name],
            )
    if key == "member_exports" and "areas" in entry:
        areas = yamlkeys.value_node(node, "areas")
        _check_areas(path, areas, entry["areas"], number, divisions)
    if "start" in entry and "end" in entry:
        start, end = (dt.date.fromisoformat(str(entry[k])) for k in ("start", "end"))
        if end < start:
            raise DataError(
                path,
                f"an end on or after the start ({start}) in entry {number} of '{key}'",
                line=lines["end"],
                found=str(end),
            )


def _entries(root: yaml.MappingNode, data: dict, key: str) -> list[tuple[int, dict]]:
    """``(line, entry)`` of each entry of list ``key``."""
    for key_node, value_node in root.value:
        if str(key_node.value) == key and isinstance(value_node, yaml.SequenceNode):
            return [
                (_line(node), entry)
                for node, entry in zip(value_node.value, data.get(key) or [], strict=False)
            ]
    return []


def _check_names(path: Path, root: yaml.MappingNode, data: dict) -> None:
    """Refuse a name mapped twice to different accounts (one entry would be dead)."""
    seen: dict[str, tuple[int, tuple]] = {}
    for line, entry in _entries(root, data, "accounts"):
        name = " ".join(str(entry.get("name", "")).split()).lstrip("@").lower()
        rule = tuple(entry.get(k) for k in ("account", "channel", "division"))
        if name in seen and seen[name][1] != rule:
            raise DataError(
                path,
                f"each name mapped once in 'accounts' (first on line {seen[name][0]}, to "
                "another account; the names are matched ignoring case and a leading @, so "
                "only one entry can be used): remove one",
                line=line,
                found=entry.get("name"),
            )
        seen.setdefault(name, (line, rule))


def _check_paths(path: Path, root: yaml.MappingNode, data: dict, files: Sequence[str]) -> None:
    earlier: list[tuple[int, str]] = []
    for line, entry in _entries(root, data, "files"):
        pattern = str(entry.get("path", ""))
        matched = [f for f in files if fnmatch.fnmatch(f, pattern)]
        if pattern.startswith(("/", "./")) or ".." in pattern.split("/") or "\\" in pattern:
            raise DataError(
                path,
                "a path glob relative to the exports folder, with / between folders "
                "(e.g. website/*); this one can never match a file",
                line=line,
                found=pattern,
            )
        for first_line, first in earlier:
            covered = fnmatch.fnmatch(pattern, first) or (
                matched and all(fnmatch.fnmatch(f, first) for f in matched)
            )
            if covered:
                raise DataError(
                    path,
                    f"a path that an earlier entry does not already match ('{first}' on line "
                    f"{first_line} wins for every file this one matches, so it is never used): "
                    "put the narrower entry first or remove one",
                    line=line,
                    found=pattern,
                )
        earlier.append((line, pattern))

"""The account mapping ``accounts.yml``: which account and channel a name in an export is.

:func:`load_accounts` reads and checks it (strictly, with
:func:`helpers.ingest.mapping_check.check_mapping`) and returns an :class:`AccountMap`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import config
from helpers.errors import DataError
from helpers.ingest.files import discover, relative_name
from helpers.ingest.mapping_check import check_mapping
from helpers.ingest.yamlkeys import parse

#: Names that many accounts share (every Universal Analytics property's default
#: views): they say nothing about whose figures a file holds.
SHARED_NAMES = frozenset({"all web site data", "all mobile app data"})


@dataclass(frozen=True)
class AccountRule:
    """How a name found in an export maps to a canonical account."""

    account: str
    channel: str | None = None
    division: str | None = None


@dataclass
class AccountMap:
    """The contents of ``accounts.yml``.

    Attributes:
        names: Lower-cased export name (GA view, page, handle) -> rule.
        files: ``(path glob, options)`` for files that carry no usable name or
            range (``account``, ``channel``, ``start``, ``end``, ``division``).
        member_exports: Neighbourhood Alert mappings (``area_column``,
            ``registered_column``, optional ``path``, ``date_format``, ``areas``).
    """

    names: dict[str, AccountRule] = field(default_factory=dict)
    files: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    member_exports: list[dict[str, Any]] = field(default_factory=list)

    def options_for(self, relpath: str) -> dict[str, Any]:
        """Options of the first ``files`` rule whose glob matches ``relpath``."""
        for pattern, options in self.files:
            if fnmatch.fnmatch(relpath, pattern):
                return options
        return {}

    def member_mappings(self, relpath: str) -> list[dict[str, Any]]:
        """Member-export mappings that apply to ``relpath``."""
        return [m for m in self.member_exports if fnmatch.fnmatch(relpath, str(m.get("path", "*")))]

    def resolve(self, channel: str, name: str) -> tuple[str, str]:
        """Map an export's channel and account name to the canonical pair."""
        clean = " ".join(str(name).split()).lstrip("@")
        rule = self.names.get(clean.lower())
        if rule is None:
            return channel, config.canonical_account(clean)
        new_channel = channel
        if rule.channel and {rule.channel, channel} <= {"website", "trusted2know"}:
            new_channel = rule.channel
        return new_channel, rule.account

    def divisions(self) -> dict[str, str]:
        """Canonical account -> division, as the mapping assigns them."""
        out = {r.account: r.division for r in self.names.values() if r.division}
        out.update({o["account"]: o["division"] for _, o in self.files if o.get("division")})
        return out


def load_accounts(
    path: Path, files: Sequence[str] | None = None, divisions: Sequence[str] = ()
) -> AccountMap:
    """Read an ``accounts.yml`` mapping (an empty mapping when the file is absent).

    Args:
        path: The mapping file.
        files: Export paths relative to the exports folder, to find ``files`` entries
            an earlier entry always wins over (default: the files beside ``path``).
        divisions: The force's divisions (``raw/force.yml``), which every ``division``
            and ``areas`` value must name (any name when none are declared).

    Raises:
        DataError: If the file is not valid YAML of the documented shape
            (:func:`helpers.ingest.mapping_check.check_mapping`: unknown keys, bad
            values or dates, entries that are never used).
    """
    if not path.is_file():
        return AccountMap()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(path, "UTF-8 text (save the file as UTF-8)") from None
    data = parse(path, text)[1] or {}
    if not isinstance(data, dict):
        raise DataError(path, "a mapping with the keys accounts, files, member_exports")
    if files is None:
        files = [relative_name(p, path.parent) for p in discover(path.parent)]
    check_mapping(path, text, files, divisions)
    mapping = AccountMap()
    for number, entry in enumerate(_entries(path, data, "accounts", ("name", "account")), 1):
        if " ".join(str(entry["name"]).split()).lower() in SHARED_NAMES:
            raise DataError(
                path,
                f"a name that only one account uses in entry {number} of 'accounts' "
                f"('{entry['name']}' is every Google Analytics property's default view): "
                "map such files by path under 'files' instead",
            )
        channel = entry.get("channel")
        if channel is not None and channel not in config.CHANNELS:
            raise DataError(path, f"a channel ({', '.join(config.CHANNELS)})", found=channel)
        mapping.names[" ".join(str(entry["name"]).split()).lstrip("@").lower()] = AccountRule(
            account=str(entry["account"]),
            channel=channel,
            division=entry.get("division"),
        )
    for entry in _entries(path, data, "files", ("path",)):
        mapping.files.append((str(entry["path"]), dict(entry)))
    for entry in _entries(path, data, "member_exports", ("area_column", "registered_column")):
        mapping.member_exports.append(dict(entry))
    return mapping


def _entries(path: Path, data: dict, key: str, required: Sequence[str]) -> list[dict]:
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise DataError(path, f"'{key}' to be a list of entries")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or any(r not in entry for r in required):
            raise DataError(
                path, f"entry {number} of '{key}' to have the keys {', '.join(required)}"
            )
    return entries

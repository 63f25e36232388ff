"""The force profile ``raw/force.yml``: the force's name, divisions, sites and page texts.

Nothing in the code knows which force a data folder serves: its name on every page
and the board paper, the divisions its accounts and members belong to, which web
property is the force website, and what each page says about the force's channels
all come from this file. The embedded data's profile is Lancashire Constabulary's;
a second force keeps its own beside its exports.

The file is read strictly (every key known, each once, dates that exist), and a
problem is refused in one line naming the file and the line::

    name: Eastmere Constabulary
    divisions: [North, Central, South]
    sites:                      # tidy channel -> the account of that web property
      website: eastmere.police.uk
    pages:                      # page -> what it says about the force's channels
      social:
        - text: "The force's Facebook pages and X accounts ..."
        - text: "... and, from September 2015, its Instagram account."
          from: 2015-09         # the first period this text holds (later ones win)

A data folder without the file has an empty profile: pages carry no description,
the paper no force name, and no account may claim a division.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers import config
from helpers.errors import DataError
from helpers.ingest.yamlkeys import key_lines, parse, value_node

#: The top-level keys of ``force.yml``.
KEYS = ("name", "divisions", "sites", "pages")
#: The keys of one page text.
TEXT_KEYS = ("text", "from")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class PageText:
    """What a page says about the force's channels, from a period on.

    Attributes:
        text: The sentence(s), plain text.
        first: The first period (``YYYY-MM``) it holds; ``""`` for every period.
    """

    text: str
    first: str = ""


@dataclass(frozen=True)
class ForceProfile:
    """The force a data folder serves.

    Attributes:
        name: The force's name (``""`` when the data folder does not say).
        divisions: Its divisions, in the order pages list them.
        sites: Tidy channel -> the account of that web property.
        pages: Page name -> its texts, oldest first.
    """

    name: str = ""
    divisions: tuple[str, ...] = ()
    sites: Mapping[str, str] = field(default_factory=dict)
    pages: Mapping[str, tuple[PageText, ...]] = field(default_factory=dict)

    def description(self, page: str, period: str) -> str:
        """What ``page`` says about the force's channels in ``period`` (``""`` if nothing).

        Args:
            page: A page name (``social``, ``website``...).
            period: The reporting month ``YYYY-MM``: a text dated later is not used.

        Returns:
            The latest text whose first period is not after ``period``.
        """
        held = [t for t in self.pages.get(page, ()) if not t.first or t.first <= period]
        return held[-1].text if held else ""

    def site(self, channel: str) -> str:
        """The account of the web property a channel covers (``""`` when not named)."""
        return self.sites.get(str(channel), "")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(path: Path, node: yaml.Node | None, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        line = _line(node) if node is not None else None
        raise DataError(path, f"{what} as text", line=line)
    return " ".join(str(node.value).split())


def _divisions(path: Path, node: yaml.Node) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise DataError(path, "divisions as a list, e.g. [West, South, East]", line=_line(node))
    names: list[str] = []
    for item in node.value:
        name = _text(path, item, "a division name")
        if name in names:
            raise DataError(path, "each division once", line=_line(item), found=name)
        names.append(name)
    return tuple(names)


def _sites(path: Path, node: yaml.Node) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        raise DataError(path, "sites as 'channel: account' lines", line=_line(node))
    key_lines(path, node, "sites")
    sites = {}
    for key_node, value in node.value:
        channel = str(key_node.value)
        if channel not in config.CHANNELS or channel == config.Channel.ALL:
            known = ", ".join(c for c in config.CHANNELS if c != config.Channel.ALL)
            raise DataError(path, f"a channel ({known})", line=_line(key_node), found=channel)
        sites[channel] = _text(path, value, f"the account of the {channel} site")
    return sites


def _page_texts(path: Path, page: str, node: yaml.Node) -> tuple[PageText, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise DataError(path, f"a list of '- text: ...' entries under {page}", line=_line(node))
    texts: list[PageText] = []
    for number, entry in enumerate(node.value, 1):
        where = f"entry {number} of {page}"
        if not isinstance(entry, yaml.MappingNode):
            raise DataError(path, f"'text:' (and optionally 'from:') in {where}", line=_line(entry))
        lines = key_lines(path, entry, where)
        for key, line in lines.items():
            if key not in TEXT_KEYS:
                raise DataError(
                    path, f"only the keys {', '.join(TEXT_KEYS)} in {where}", line=line, found=key
                )
        text = _text(path, value_node(entry, "text"), f"'text:' in {where}")
        first_node = value_node(entry, "from")
        first = ""
        if first_node is not None:
            first = str(first_node.value).strip()
            if not _MONTH.match(first):
                where_line = _line(first_node)
                raise DataError(
                    path, "a month written YYYY-MM after 'from:'", line=where_line, found=first
                )
        texts.append(PageText(text, first))
    return tuple(sorted(texts, key=lambda t: t.first))


def parse_profile(path: Path, text: str, pages: tuple[str, ...] | None = None) -> ForceProfile:
    """Check and read the text of a ``force.yml``.

    Args:
        path: The file (for messages).
        text: Its text.
        pages: The page names the profile may describe (default: the overview and
            every channel page of :data:`helpers.config.CHANNEL_SPECS`).

    Returns:
        The profile.

    Raises:
        DataError: For the first problem, naming the file and the line.
    """
    known_pages = pages or config.commentary_pages()
    root, _ = parse(path, text, "the top level")  # strict: each key once, bounded
    if root is None:
        return ForceProfile()
    if not isinstance(root, yaml.MappingNode):
        raise DataError(path, f"a mapping with the keys {', '.join(KEYS)}", line=_line(root))
    for key, line in key_lines(path, root, "the top level").items():
        if key not in KEYS:
            raise DataError(path, f"only the keys {', '.join(KEYS)}", line=line, found=key)
    values: dict[str, Any] = {}
    if (node := value_node(root, "name")) is not None:
        values["name"] = _text(path, node, "the force's name")
    if (node := value_node(root, "divisions")) is not None:
        values["divisions"] = _divisions(path, node)
    if (node := value_node(root, "sites")) is not None:
        values["sites"] = _sites(path, node)
    if (node := value_node(root, "pages")) is not None:
        if not isinstance(node, yaml.MappingNode):
            raise DataError(path, "pages as 'page:' headings", line=_line(node))
        texts = {}
        for page, line in key_lines(path, node, "pages").items():
            if page not in known_pages:
                raise DataError(path, f"a page ({', '.join(known_pages)})", line=line, found=page)
            texts[page] = _page_texts(path, page, value_node(node, page))
        values["pages"] = texts
    return ForceProfile(**values)


def read_profile(path: Path) -> ForceProfile:
    """Read a data folder's ``force.yml`` (an empty profile when there is none).

    Args:
        path: The file (``DataLayout.profile``).

    Returns:
        The profile.

    Raises:
        DataError: If the file is not a valid profile.
    """
    if not path.is_file():
        return ForceProfile()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"UTF-8 text (undecodable byte at offset {exc.start})") from None
    return _parsed(path, text)


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, text: str) -> ForceProfile:
    """:func:`parse_profile` once per file content (the profile is frozen).

    A run over every month asks for it once a month.
    """
    return parse_profile(path, text)

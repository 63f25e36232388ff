"""Recognise an export's format from its content: a registry of declared formats.

Every reader module declares its formats (:class:`~helpers.ingest.common.Format`:
key, label, sniff, reader); :func:`detect` offers the first content lines of a file
to each declaration in turn. File names never decide the format (they may later
give an account name or a range). A new format is a new declaration here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from importlib import import_module

from helpers import config
from helpers.ingest import facebook, ga, meta, neighbourhood_alert, twitter, youtube
from helpers.ingest.common import ExportFile, Format
from helpers.ingest.text import split_cells

#: Every known format, in the order they are tried.
REGISTRY: tuple[Format, ...] = (
    *ga.FORMATS,
    *twitter.FORMATS,
    *meta.FORMATS,
    *facebook.FORMATS,
    *youtube.FORMATS,
    neighbourhood_alert.FORMAT,
    # the formats of channels the registry adds (config.ChannelSpec.readers)
    *(f for module in config.reader_modules() for f in import_module(module).FORMATS),
)
FORMATS: dict[str, Format] = {f.key: f for f in REGISTRY}
#: How many content lines (not blank, ``#`` or ``sep=``) are offered to the sniffs.
CONTENT_LINES = 3


def _content_lines(head: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Non-blank, non-``#``, non-``sep=`` head lines as (index, cells), lazily."""
    for index, line in enumerate(head):
        stripped = line.strip()
        if (
            not stripped.strip(",\t")
            or stripped.startswith("#")
            or stripped.lower().startswith("sep=")
        ):
            continue
        yield index, split_cells(line)


def detect(file: ExportFile, mappings: Sequence[dict] = ()) -> tuple[str, dict | None]:
    """Return the format key of ``file`` and the mapping that applies (member exports).

    Args:
        file: The decoded export.
        mappings: Declared Neighbourhood Alert mappings (``area_column``,
            ``registered_column``, ...), tried against the header rows first.

    Returns:
        ``(format key, mapping or None)``.

    Raises:
        DataError: If no known format matches.
    """
    first_line: int | None = None
    for position, (index, cells) in enumerate(_content_lines(file.head)):
        first_line = index + 1 if first_line is None else first_line
        following = split_cells(file.head[index + 1]) if index + 1 < len(file.head) else []
        for spec in mappings:
            if neighbourhood_alert.matches(cells, spec):
                return neighbourhood_alert.FORMAT.key, spec
        for fmt in REGISTRY:
            if fmt.sniff(file, cells, following):
                return fmt.key, None
        if position + 1 >= CONTENT_LINES:
            break
    raise file.error(
        "a supported export (see data/raw/exports/README.md), recognised by its "
        "preamble and header row",
        line=first_line or 1,
    )

"""Transcribed CSV tables read as text, every row with its file line, and their cells.

:func:`read_raw_table` reads a UTF-8 CSV of ``data/raw`` (the report's tables, the
stated figures, the census); the ``*_cell`` functions turn one cell into a value or
raise a :class:`~helpers.errors.DataError` naming the file, line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import config
from helpers.errors import DataError
from helpers.ingest.cleaning import clean_text, parse_count, parse_percent
from helpers.layout import DataLayout

Record = dict[str, object]


@dataclass
class RawTable:
    """A raw CSV read as text, with the file line of every row.

    Attributes:
        path: The file.
        header: Column names, whitespace-cleaned.
        rows: ``(line number, {column: text})`` for each data row.
    """

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    @property
    def relpath(self) -> str:
        """Path relative to ``data/raw`` (used in the tidy ``source`` column)."""
        try:
            raw = DataLayout.from_data_dir().raw
            return self.path.resolve().relative_to(raw.resolve()).as_posix()
        except ValueError:  # a raw folder elsewhere (tests, scratch copies)
            return f"{self.path.parent.name}/{self.path.name}"

    def require(self, *columns: str) -> None:
        """Raise :class:`DataError` naming the first missing column."""
        for column in columns:
            if column not in self.header:
                raise DataError(
                    self.path,
                    f"a column named '{column}' (columns found: {', '.join(self.header)})",
                    line=1,
                    column=column,
                )


def read_raw_table(path: Path) -> RawTable:
    """Read a UTF-8 CSV as text, skipping blank lines.

    Args:
        path: The CSV file.

    Returns:
        The header and rows with their line numbers.

    Raises:
        DataError: If the file is missing, empty, not UTF-8 or has ragged rows.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(path, "the file to exist") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, f"UTF-8 text (undecodable byte at offset {exc.start})") from None
    reader = csv.reader(text.splitlines(keepends=True))
    header: list[str] | None = None
    table: RawTable | None = None
    for raw in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in raw):
            continue
        if header is None:
            header = [clean_text(c) for c in raw]
            table = RawTable(path, header)
            continue
        assert table is not None
        if len(raw) != len(header):
            raise DataError(
                path,
                f"{len(header)} comma-separated cells like the header",
                line=line,
                found=f"{len(raw)} cells",
            )
        table.rows.append((line, {h: clean_text(c) for h, c in zip(header, raw, strict=True)}))
    if table is None:
        raise DataError(path, "a header row followed by data", line=1)
    if not table.rows:
        raise DataError(
            path,
            "rows of data under the header (the table has only its header; restore its rows "
            "or remove the file)",
            line=2,
        )
    return table


def count_cell(table: RawTable, line: int, column: str, text: str) -> float:
    """A count (thousands commas allowed); a dot between thousands is refused."""
    try:
        value = parse_count(text)
    except ValueError as exc:
        if "thousands" in str(exc):
            raise DataError(
                table.path,
                "a number with a comma (or nothing) between thousands: a dot there reads as "
                "a decimal point; write 51,069 or 51069",
                line=line,
                column=column,
                found=text,
            ) from None
        value = None
        ok = False
    else:
        ok = value is not None
    if not ok:
        raise DataError(table.path, "a number", line=line, column=column, found=text)
    assert value is not None
    return value


def percent_cell(table: RawTable, line: int, column: str, text: str) -> float:
    """A percentage such as ``54.46%``."""
    try:
        value = parse_percent(text)
    except ValueError:
        value = None
    if value is None:
        raise DataError(
            table.path, "a percentage such as 54.46%", line=line, column=column, found=text
        )
    return value


def date_cell(table: RawTable, line: int | None, column: str, text: str) -> pd.Timestamp:
    """An ISO date ``YYYY-MM-DD``."""
    try:
        return pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError:
        raise DataError(
            table.path, "an ISO date YYYY-MM-DD", line=line, column=column, found=text
        ) from None


def month_cell(
    table: RawTable, line: int, column: str, text: str
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A month ``YYYY-MM`` as its first and last day."""
    try:
        month = pd.Period(dt.date.fromisoformat(f"{text}-01"), freq="M")
    except ValueError:
        raise DataError(
            table.path, "a month YYYY-MM", line=line, column=column, found=text
        ) from None
    return month.start_time.normalize(), month.end_time.normalize()


def channel_cell(table: RawTable, line: int, column: str, text: str) -> str:
    """A channel of :data:`helpers.config.CHANNELS` (case ignored)."""
    key = text.strip().lower()
    if key not in config.CHANNELS:
        raise DataError(
            table.path,
            f"a channel ({', '.join(config.CHANNELS)})",
            line=line,
            column=column,
            found=text,
        )
    return key

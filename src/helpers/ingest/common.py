"""Shared machinery of the platform export readers.

Every reader follows the same steps: decode the file (BOM, UTF-16, Excel
workbooks), find the header row by content, read the table as text (pandas with
``dtype=str``, the one CSV reader), clean the columns it needs with vectorised
Arrow/numpy operations, and aggregate the values into tidy rows
(one per day or range, segment and metric) with numpy. The ``source`` of a
tidy row names the file, line and column of the first cell that contributed to it.

Errors are :class:`~helpers.errors.DataError` naming the file, line and column and
what was expected. Readers of files holding personal data pass ``personal=True``
so that no cell value is ever quoted in a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.errors import DataError
from helpers.ingest.text import head_lines
from helpers.schema import coerce_tidy

#: Prefix of the ``source`` column for rows read from exports (relative to data/raw).
SOURCE_PREFIX = "exports"
#: How many leading lines detection and header search look at.
HEAD_LINES = 60


@dataclass
class ExportFile:
    """One export file being read.

    Attributes:
        path: The file on disk.
        relpath: Its path relative to the exports folder (POSIX), used in ``source``.
        text: The decoded text (a workbook's data sheet converted to CSV).
        personal: Whether the file holds personal data (no cell is quoted in errors).
        sheet: The workbook sheet the text comes from (``None`` for CSV files).
        preamble: Metadata lines kept outside ``text`` (a workbook's ``Summary``
            sheet, as ``#`` lines), so that lines of ``text`` are sheet rows.
        sheets: For a workbook whose data sheets follow one another in ``text``
            (separated by a blank line): each sheet's name and first line of text.
    """

    path: Path
    relpath: str
    text: str
    personal: bool = False
    sheet: str | None = None
    preamble: list[str] | None = None
    sheets: list[tuple[str, int]] | None = None
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def source_path(self) -> str:
        """The file as the ``source`` column names it.

        ``exports/<relpath>`` for a file under the exports folder, else its own
        (absolute) path.
        """
        return self.relpath if self.relpath.startswith("/") else f"{SOURCE_PREFIX}/{self.relpath}"

    @property
    def head(self) -> list[str]:
        """The first :data:`HEAD_LINES` lines of the text (without line ends)."""
        if self._lines is None:
            self._lines = head_lines(self.text, HEAD_LINES)
        return self._lines

    def error(
        self,
        expected: str,
        *,
        line: int | None = None,
        column: str | None = None,
        found: object = None,
    ) -> DataError:
        """Build a :class:`DataError` for this file (``found`` dropped if personal)."""
        return DataError(
            self.path,
            expected,
            line=line,
            column=column,
            found=None if self.personal else found,
        )


@dataclass
class Parsed:
    """What a reader recognised in one export file.

    Attributes:
        format: The format key (see :data:`helpers.ingest.detect.FORMATS`).
        channel: The channel of the rows.
        account: The account of the rows (after mapping; several joined by commas).
        table: Tidy rows as an Arrow table (not yet validated).
        notes: Remarks for the person checking the file (checks done, warnings).
    """

    format: str
    channel: str
    account: str
    table: pa.Table
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> pd.DataFrame:
        """The tidy rows as a pandas frame."""
        return coerce_tidy(self.table.to_pandas())

    @property
    def start(self) -> pd.Timestamp | None:
        """First day covered by the rows."""
        return None if not len(self.table) else pd.Timestamp(pc.min(self.table["start"]).as_py())

    @property
    def end(self) -> pd.Timestamp | None:
        """Last day covered by the rows."""
        return None if not len(self.table) else pd.Timestamp(pc.max(self.table["end"]).as_py())


@dataclass(frozen=True)
class Format:
    """A known export format, as a reader module declares it.

    Attributes:
        key: Short name (``ga_ua``).
        label: What a person calls it.
        sniff: ``sniff(file, cells, following) -> bool``: whether a content line
            (``cells``, with the next line's ``following``) of ``file`` shows this
            format. Called for the first few content lines of the file.
        read: The reader, ``read(file, options) -> Parsed``.
    """

    key: str
    label: str
    sniff: Callable[[ExportFile, list[str], list[str]], bool]
    read: Callable[[ExportFile, dict | None], Parsed]

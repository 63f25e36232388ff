"""Tables of an export file: the header row, then the rows as text, each with its file line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.errors import DataError
from helpers.ingest.common import ExportFile
from helpers.ingest.text import line_offset, split_cells


def find_header(
    file: ExportFile, required: Sequence[str], *, start: int = 0, what: str = "header row"
) -> int:
    """Return the 0-based index of the first head line holding all ``required`` cells.

    Raises:
        DataError: If no line among the first :data:`~helpers.ingest.common.HEAD_LINES` has them.
    """
    need = {r.lower() for r in required}
    for index, line in enumerate(file.head[start:], start=start):
        cells = {c.lower() for c in split_cells(line)}
        if need <= cells:
            return index
    raise file.error(f"a {what} with the columns {', '.join(required)}", line=start + 1)


#: Longest cell read, in characters (a Facebook post's text is at most 63,206): a longer
#: one is refused before any reader works on it.
MAX_CELL_CHARS = 100_000


def check_cells(file: ExportFile, frame: pd.DataFrame, lines: np.ndarray) -> None:
    """Refuse a cell longer than :data:`MAX_CELL_CHARS`, naming its line and column.

    Raises:
        DataError: For the longest cell of the first column that has one too long.
    """
    for col in frame.columns:
        lengths = pc.utf8_length(arrow(frame[col]))
        longest = pc.max(lengths).as_py() if len(lengths) else None
        if longest is not None and longest > MAX_CELL_CHARS:
            row = pc.index(lengths, longest).as_py()
            raise file.error(
                f"cells of at most {MAX_CELL_CHARS:,} characters (this one has {longest:,})",
                line=int(lines[row]),
                column=None if isinstance(col, int) else str(col),
            )


class Table:
    """A block of an export read as text: a pandas frame of strings.

    Attributes:
        frame: The cells (``str``; columns named by the header, or numbered).
        lines: The file line (1-based) of each row.
        header_line: The file line of the header.
    """

    def __init__(self, frame: pd.DataFrame, lines: np.ndarray, header_line: int) -> None:
        self.frame = frame
        self.lines = lines
        self.header_line = header_line

    @property
    def columns(self) -> list:
        """Column names (numbers for tables read without a header)."""
        return list(self.frame.columns)

    def __len__(self) -> int:
        return len(self.lines)

    def col(self, name: str | int) -> pa.Array:
        """One column as an Arrow string array (for the vectorised parsers)."""
        return arrow(self.frame[name])

    def filter(self, mask: np.ndarray) -> Table:
        """The rows where ``mask`` is true."""
        return Table(self.frame[mask].reset_index(drop=True), self.lines[mask], self.header_line)


def read_table(
    file: ExportFile,
    header_index: int,
    *,
    usecols: Iterable[str | int] | None = None,
    header: bool = True,
) -> Table:
    """Read the table whose header is on 0-based line ``header_index`` as text.

    The one CSV reader of the exports: pandas with ``dtype=str``. Rows made only of
    empty cells (blank lines) are dropped. Line numbers account for line breaks
    inside quoted cells.

    Args:
        file: The export.
        header_index: 0-based index of the header line.
        usecols: Only these columns (by header name, or position when ``header`` is
            false); all when ``None``.
        header: When false, the header line is returned as the first row and the
            columns are numbered (for exports with two header rows).

    Returns:
        The table.

    Raises:
        DataError: If the table is ragged, truncated or not CSV.
    """
    body = file.text[line_offset(file.text, header_index) :]
    wanted = None if usecols is None else list(dict.fromkeys(usecols))
    try:
        frame = pd.read_csv(
            io.BytesIO(body.encode("utf-8")),  # StringIO would hold 4 bytes a character
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            usecols=wanted,
            header=0 if header else None,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise _parser_error(file, exc, header_index) from None
    except pd.errors.EmptyDataError:
        raise file.error("a header row followed by data", line=header_index + 1) from None
    except ValueError as exc:  # usecols not in header
        raise file.error(f"the columns {', '.join(map(str, wanted or []))} ({exc})") from None
    _check_last_row(file, body, header_index)
    if header:
        frame.columns = [" ".join(str(c).replace("\ufeff", "").split()) for c in frame.columns]
    table = _located(frame, body, header, header_index + 1)
    check_cells(file, table.frame, table.lines)
    return table


def _line_numbers(frame: pd.DataFrame, first: int, text: str, skip: int) -> np.ndarray:
    """The file line each row starts on (cells may hold quoted line breaks).

    ``text`` is what was parsed, its first ``skip`` lines not rows (a header), and
    ``first`` the file line of its first row. Blank lines are rows, so when the text
    has as many lines as ``frame`` has rows no cell holds a line break.
    """
    n = len(frame)
    physical = text.count("\n") + (0 if text.endswith("\n") else 1) - skip
    rows = np.arange(n, dtype=np.int64)
    if physical == n or '"' not in text:
        return first + rows
    breaks = np.zeros(n, dtype=np.int64)
    for col in frame.columns:
        values = arrow(frame[col])
        if pc.any(pc.match_substring(values, "\n")).as_py():
            breaks += pc.count_substring(values, "\n").to_numpy(zero_copy_only=False)
    shifted = np.zeros(n, dtype=np.int64)
    shifted[1:] = np.cumsum(breaks)[:-1]
    return first + rows + shifted


_BLANK_LINE = re.compile(r"\n[ ,\t]*\n")


def _located(frame: pd.DataFrame, text: str, header: bool, header_line: int) -> Table:
    """The rows of ``frame`` (parsed from ``text``) that are not blank lines, located."""
    lines = _line_numbers(frame, header_line + (1 if header else 0), text, 1 if header else 0)
    table = Table(frame, lines, header_line)
    if not _BLANK_LINE.search(text.rstrip("\n")):
        return table
    filled = np.zeros(len(frame), dtype=bool)
    for col in frame.columns:
        filled |= pc.not_equal(arrow(frame[col]), "").to_numpy(zero_copy_only=False)
    return table if filled.all() else table.filter(filled)


def read_grid(file: ExportFile) -> Table:
    """Read the whole text as rows of cells (numbered columns), blank lines kept.

    For exports made of several tables of different widths (Google Analytics,
    Meta overview downloads): every line becomes a row as wide as the widest line,
    cells with their whitespace collapsed, a short line padded with empty cells.
    """
    width = max(line.count(",") + 1 for line in file.text.split("\n"))
    try:
        frame = pd.read_csv(
            io.BytesIO(file.text.encode("utf-8")),  # StringIO would hold 4 bytes a character
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            header=None,
            names=range(width),
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise _parser_error(file, exc, -1) from None
    except pd.errors.EmptyDataError:
        raise file.error("a table", line=1) from None
    lines = _line_numbers(frame, 1, file.text, 0)
    check_cells(file, frame, lines)
    frame = pd.DataFrame({c: collapse_spaces(frame[c]) for c in frame.columns}, index=frame.index)
    return Table(frame, lines, 0)


#: Whitespace as Python's ``str.split()`` knows it (RE2 ``\s`` is ASCII only).
_SPACE = (
    r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"
)


def collapse_spaces(values: pd.Series) -> pd.Series:
    """Each cell with its whitespace trimmed and every run of it made one space.

    The same as ``" ".join(cell.split())``, over a whole column at once.
    """
    text = arrow(values)
    text = pc.replace_substring_regex(text, _SPACE, " ")
    text = pc.replace_substring_regex(text, r"^ | $", "")
    return text.to_pandas().set_axis(values.index)


def arrow(values: pd.Series | pa.Array | pa.ChunkedArray | Sequence[str]) -> pa.Array:
    """Text cells as a pyarrow string array (zero-copy for pandas' arrow strings)."""
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    if isinstance(values, pd.Series):
        values = values.astype(str) if values.dtype != "str" else values
        return pa.array(values)
    return pa.array([str(v) for v in values], type=pa.string())


def _parser_error(file: ExportFile, exc: Exception, header_index: int) -> DataError:
    text = str(exc)
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        return file.error(
            f"{match.group(1)} comma-separated cells like the header",
            line=header_index + int(match.group(2)),
            found=None if file.personal else f"{match.group(3)} cells",
        )
    if "EOF inside string" in text:
        row = re.search(r"starting at row (\d+)", text)
        return file.error(
            "a closing quote for the cell starting on this line before the end of the file "
            "(is the file truncated?)",
            line=header_index + 1 + (int(row.group(1)) if row else 0),
        )
    return file.error("a readable CSV table", line=header_index + 1)


def _check_last_row(file: ExportFile, body: str, header_index: int) -> None:
    """Raise if the file ends in a row with fewer cells than the header (truncated)."""
    if body.endswith("\n"):
        return
    header = next(csv.reader(io.StringIO(body[: body.find("\n") + 1 or None])), [])
    tail_start = body.rfind("\n") + 1
    if tail_start == 0:
        return
    last = next(csv.reader(io.StringIO(body[tail_start:])), [])
    if last and len(last) < len(header):
        line = header_index + 1 + body.count("\n") + 1
        raise file.error(
            f"{len(header)} cells like the header (the file seems truncated)",
            line=line,
            found=None if file.personal else f"{len(last)} cells",
        )

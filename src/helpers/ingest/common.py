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

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers import config
from helpers.errors import DataError
from helpers.schema import COLUMNS, coerce_tidy

#: Prefix of the ``source`` column for rows read from exports (relative to data/raw).
SOURCE_PREFIX = "exports"

#: Cells that mean "no data" in exports.
BLANKS: frozenset[str] = frozenset({"", "-", "--", "n/a", "N/A", "(not set)"})

_NUMBER_RE = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_EXCEL_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
#: How many leading lines detection and header search look at.
HEAD_LINES = 60
#: How far a totals row may be from the sum of its rows and still agree with them:
#: the rounding of the figures shown, half a unit of the column's last decimal
#: place for each cell summed. Counts (no decimals) are exact, so any difference
#: counts; ``1183689.3666`` hours summed over 400 rows may be off by 0.02. The same
#: rule for every metric (see :func:`total_covers_more`).
TOTAL_TOLERANCE = 0.5


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


# --- text -------------------------------------------------------------------


def decode(data: bytes, path: Path) -> str:
    r"""Decode an export's bytes: UTF-8 (with or without BOM), UTF-16 or Windows-1252.

    Args:
        data: The file's bytes.
        path: The file (for messages).

    Returns:
        The text, without BOM, with ``\r\n`` line ends turned into ``\n``.

    Raises:
        DataError: If the bytes are not text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _decode_utf8(data[3:], path)
    else:
        text = _decode_utf8(data, path)
    text = text.lstrip("\ufeff")
    if "\x00" in text[:4096]:
        raise DataError(path, "a text (CSV) export or an .xlsx workbook", line=1)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode_utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            raise DataError(path, "a text (CSV) export or an .xlsx workbook", line=1) from None
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise DataError(
                path, f"UTF-8 or Windows-1252 text (undecodable byte at offset {exc.start})"
            ) from None


def head_lines(text: str, count: int) -> list[str]:
    """Return the first ``count`` lines of ``text`` (cheap for large texts)."""
    lines: list[str] = []
    start = 0
    while len(lines) < count and start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            if start < len(text):
                lines.append(text[start:])
            break
        lines.append(text[start:end])
        start = end + 1
    return lines


def line_offset(text: str, index: int) -> int:
    """Character offset of the 0-based line ``index`` in ``text``."""
    offset = 0
    for _ in range(index):
        offset = text.index("\n", offset) + 1
    return offset


def split_cells(line: str) -> list[str]:
    """Split one CSV line into cells (quotes honoured), whitespace-trimmed."""
    try:
        row = next(csv.reader([line]), [])
    except csv.Error:
        row = line.split(",")
    return [" ".join(c.replace("\ufeff", "").split()) for c in row]


def find_header(
    file: ExportFile, required: Sequence[str], *, start: int = 0, what: str = "header row"
) -> int:
    """Return the 0-based index of the first head line holding all ``required`` cells.

    Raises:
        DataError: If no line among the first :data:`HEAD_LINES` has them.
    """
    need = {r.lower() for r in required}
    for index, line in enumerate(file.head[start:], start=start):
        cells = {c.lower() for c in split_cells(line)}
        if need <= cells:
            return index
    raise file.error(f"a {what} with the columns {', '.join(required)}", line=start + 1)


# --- tables -----------------------------------------------------------------


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
            io.StringIO(body),
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
    return _located(frame, body, header, header_index + 1)


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
            io.StringIO(file.text),
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
    frame = frame.apply(lambda c: c.str.split().str.join(" "))
    return Table(frame, lines, 0)


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


# --- values -----------------------------------------------------------------


_BLANK_SETS = {t: pa.array(sorted(BLANKS), type=t) for t in (pa.string(), pa.large_string())}


def numbers(
    file: ExportFile,
    values: pd.Series | pa.Array,
    lines: np.ndarray,
    column: str,
    *,
    percent: bool = False,
) -> np.ndarray:
    """Parse a text column of counts vectorised (``"1,234"``, ``"29.0"``, ``-``, empty).

    Args:
        file: The export (for messages).
        values: The cells as text.
        lines: File line of each cell.
        column: The column name (for messages).
        percent: Whether a trailing ``%`` is allowed.

    Returns:
        Floats, NaN where the cell means "no data".

    Raises:
        DataError: At the first cell that is not a number; Excel's scientific
            notation (``6.49E+17``) gets its own message.
    """
    text = pc.utf8_trim_whitespace(arrow(values))
    if len(text) == 0:
        return np.zeros(0, dtype=float)
    if percent:
        text = pc.replace_substring_regex(text, r"\s*%$", "")
    if pc.all(pc.match_substring_regex(text, r"^\d+(\.\d+)?$")).as_py():
        return pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    text = pc.replace_substring(text, "\u2212", "-")  # typographic minus
    blank = pc.is_in(text, value_set=_BLANK_SETS[text.type])
    ok = pc.match_substring_regex(text, f"^(?:{_NUMBER_RE})$")
    bad = pc.invert(pc.or_(ok, blank)).to_numpy(zero_copy_only=False)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        cell = text[position].as_py()
        expected = "a number such as 1,234"
        if _EXCEL_NUMBER_RE.match(cell):
            expected = "a whole number, not Excel's scientific notation (re-export the file)"
        raise file.error(expected, line=int(lines[position]), column=column, found=cell)
    cleaned = pc.if_else(blank, pa.scalar(None, text.type), pc.replace_substring(text, ",", ""))
    return pc.cast(cleaned, pa.float64()).to_numpy(zero_copy_only=False)


#: A cell of a figure column: a number, percentage, duration or amount (or nothing).
FIGURE_CELL = re.compile(
    r"^(?:[<>]?\s*[-+\u2212]?\D{0,3}?\s*\d[\d,.]*(?:[eE][-+]?\d+)?\s*%?"
    r"|\d+:\d{2}(?::\d{2})?|-{1,2}|\(not set\)|n/a|)$",
    re.IGNORECASE,
)


def figure_column(cells: Iterable[str], labels: Iterable[str] = ()) -> bool:
    """Whether a column's cells are all figures (cells in ``labels`` aside), not all empty.

    Tells a column of counts, rates or durations a reader does not know from a
    dimension (page, country, video), whatever its name.
    """
    skip = {label.lower() for label in labels}
    cells = [c.strip() for c in cells]
    return any(cells) and all(FIGURE_CELL.match(c) or c.lower() in skip for c in cells)


def excel_ids(
    file: ExportFile, values: pd.Series | pa.Array, lines: np.ndarray, column: str
) -> None:
    """Raise if an id column was mangled into scientific notation by Excel."""
    text = arrow(values)
    hits = pc.match_substring_regex(text, r"^\s*[+-]?\d+(?:\.\d+)?[eE]\+?\d+\s*$")
    if pc.any(hits).as_py():
        position = int(np.flatnonzero(hits.to_numpy(zero_copy_only=False))[0])
        raise file.error(
            "a full id (Excel has turned it into scientific notation; "
            "re-download the export and do not re-save it in Excel)",
            line=int(lines[position]),
            column=column,
            found=text[position].as_py(),
        )


_LEADING_ZEROS = r"(^|[^0-9])0+([0-9])"


def _strict_strptime(text: pa.Array, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse with ``fmt``; a cell counts only if formatting it back gives the cell.

    The round trip (ignoring zero padding) rejects what ``strptime`` would
    silently normalise, such as ``31/02/2015`` or a missing digit.

    Returns:
        Days as ``datetime64[D]`` and a mask of cells that failed.
    """
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    back = pc.strftime(parsed, format=fmt) if parsed.null_count < len(parsed) else None
    if back is None:
        return np.zeros(len(text), dtype="datetime64[D]"), np.ones(len(text), dtype=bool)
    same = pc.equal(
        pc.replace_substring_regex(pc.ascii_lower(back), _LEADING_ZEROS, r"\1\2"),
        pc.replace_substring_regex(pc.ascii_lower(text), _LEADING_ZEROS, r"\1\2"),
    )
    failed = pc.invert(pc.fill_null(same, False)).to_numpy(zero_copy_only=False)
    if isinstance(parsed.type, pa.TimestampType) and parsed.type.tz is not None:
        parsed = pc.cast(parsed, pa.timestamp("s"))  # keep the UTC wall date
    days = pc.cast(pc.fill_null(parsed, 0), pa.timestamp("s")).to_numpy(zero_copy_only=False)
    return days.astype("datetime64[D]"), failed


def dates(
    file: ExportFile,
    values: pd.Series | pa.Array,
    lines: np.ndarray,
    column: str,
    formats: Sequence[str],
    *,
    within: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    example: str,
) -> pd.DatetimeIndex:
    """Parse a text column of dates with the first format that reads every cell.

    Args:
        file: The export.
        values: The cells.
        lines: File line of each cell.
        column: Column name (for messages).
        formats: ``strftime`` formats to try, in order.
        within: When given, a format is only accepted if every date falls in
            this inclusive range (settles ``5/1/15`` versus ``01/05/2015``).
        example: An example of the expected form (for the message).

    Returns:
        The days (midnight, ``datetime64[ns]``).

    Raises:
        DataError: Naming the first cell no format could read.
    """
    text = pc.utf8_trim_whitespace(pc.cast(arrow(values), pa.string()))
    if len(text) == 0:
        return pd.DatetimeIndex([], dtype="datetime64[ns]")
    if formats[0] == "%Y-%m-%d" and within is None:
        try:  # strict ISO dates: Arrow's own cast rejects 2015-02-31 and 2015-9-1
            iso = pc.cast(text, pa.date32()).to_numpy(zero_copy_only=False)
            return pd.DatetimeIndex(iso.astype("datetime64[ns]"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    distinct = pc.unique(text)
    position_of = pc.index_in(text, value_set=distinct).to_numpy(zero_copy_only=False)
    best_bad = 0
    for fmt in formats:
        days, missing = _strict_strptime(distinct, fmt)
        days, missing = days[position_of], missing[position_of]
        if within is not None and not missing.all():
            lo = np.datetime64(within[0].date(), "D")
            hi = np.datetime64(within[1].date(), "D")
            missing = missing | (days < lo) | (days > hi)
        if not missing.any():
            _one_reading(file, distinct, position_of, days, fmt, formats, within, lines, column)
            return pd.DatetimeIndex(days.astype("datetime64[ns]"))
        best_bad = max(best_bad, int(np.flatnonzero(missing)[0]))
    hint = f"a date like {example}"
    if within is not None:
        hint += f" between {within[0]:%Y-%m-%d} and {within[1]:%Y-%m-%d}"
    raise file.error(hint, line=int(lines[best_bad]), column=column, found=text[best_bad].as_py())


def _one_reading(
    file: ExportFile,
    distinct: pa.Array,
    position_of: np.ndarray,
    days: np.ndarray,
    fmt: str,
    formats: Sequence[str],
    within: tuple[pd.Timestamp, pd.Timestamp] | None,
    lines: np.ndarray,
    column: str,
) -> None:
    """Raise if the cells read as well with day and month swapped, to other days.

    Only where the caller accepts both orders (``%m/%d/%Y`` and ``%d/%m/%Y``): a
    date that one order cannot read, or reads outside ``within``, is settled; a
    column like ``03/04/2020`` whose every cell both orders read is not.
    """
    swapped = "%".join(
        {"d": "m", "m": "d"}.get(p[:1], p[:1]) + p[1:] if n else p
        for n, p in enumerate(fmt.split("%"))
    )
    if swapped == fmt or swapped not in formats:
        return
    other, missing = _strict_strptime(distinct, swapped)
    other, missing = other[position_of], missing[position_of]
    if within is not None:
        lo, hi = np.datetime64(within[0].date(), "D"), np.datetime64(within[1].date(), "D")
        missing = missing | (other < lo) | (other > hi)
    differ = other != days
    if missing.any() or not differ.any():
        return
    position = int(np.flatnonzero(differ)[0])
    raise file.error(
        "a date that reads one way only (day and month could be either way round: "
        "download the export again rather than re-save it in a spreadsheet)",
        line=int(lines[position]),
        column=column,
        found=distinct[int(position_of[position])].as_py(),
    )


def decimals(cells: Iterable[str]) -> int:
    """The most decimal places a column's cells show (0 for whole numbers)."""
    return max((len(c.strip().rpartition(".")[2]) for c in cells if "." in c), default=0)


def total_covers_more(
    file: ExportFile,
    *,
    line: int,
    column: str,
    total: float,
    rows_sum: float,
    rows: int = 1,
    places: int = 0,
    signed: bool = False,
) -> bool:
    """Compare a totals-row cell with the sum of the rows it totals.

    Reports often show only some rows (the top pages, the videos on screen) but
    total the whole site or channel: such a total is larger than the rows' sum and
    is kept by the caller as a row of its own. A total smaller than its rows is a
    broken file, except for a ``signed`` metric (net subscribers), where rows not
    shown may add up either way.

    The two agree within :data:`TOTAL_TOLERANCE` of a unit in the ``places``-th
    decimal place for each of the ``rows`` summed and the total: the rounding of
    the figures shown, nothing for whole numbers.

    Returns:
        ``True`` when the total differs from the rows' sum (is larger, or either
        way for a signed metric) beyond the rounding, ``False`` when they agree or
        the total is empty.

    Raises:
        DataError: If the total is smaller than the rows' sum (not signed).
    """
    if np.isnan(total):
        return False
    rounding = TOTAL_TOLERANCE * 10.0**-places * (rows + 1) if places else 0.0
    slack = rounding + 1e-9 * max(abs(total), 1.0)  # float sums
    if total < rows_sum - slack and not signed:
        raise file.error(
            f"a total of at least the sum of the rows above it ({rows_sum:,.0f})",
            line=line,
            column=column,
            found=f"{total:,.0f}",
        )
    return abs(total - rows_sum) > slack


def one_row_per(file: ExportFile, lines: np.ndarray, what: str, *keys: Any) -> None:
    """Raise if two rows of a table give the same ``keys`` (a day, or a day and segment).

    A table of one row per day that holds a day twice has lost a column that told
    its rows apart (or was pasted together): adding the rows up would give figures
    the file does not state.
    """
    if not len(lines):
        return
    frame = pd.DataFrame({str(i): np.asarray(k, dtype=object) for i, k in enumerate(keys)})
    repeated = frame.duplicated().to_numpy()
    if repeated.any():
        at = int(np.flatnonzero(repeated)[0])
        first = int(np.flatnonzero((frame == frame.iloc[at]).all(axis=1).to_numpy())[0])
        raise file.error(
            f"one row per {what} (line {int(lines[first])} gives the same; was a column "
            "removed or the file pasted together? export it again)",
            line=int(lines[at]),
        )


def unread_note(columns: Iterable[str], limit: int = 8) -> list[str]:
    """One note naming the columns a reader did not understand (empty when none)."""
    names = [c for c in dict.fromkeys(columns) if c and not c.isdigit()]
    if not names:
        return []
    shown = ", ".join(names[:limit])
    more = f" and {len(names) - limit:,} more" if len(names) > limit else ""
    return [f"columns not read: {shown}{more}"]


# --- tidy rows ----------------------------------------------------------------


def long_values(
    start: pd.Series | np.ndarray,
    end: pd.Series | np.ndarray,
    segment: pd.Series | np.ndarray | str,
    lines: np.ndarray,
    values: dict[tuple[str, str], np.ndarray],
) -> dict[str, Any]:
    """Stack per-row values of several metrics into long arrays.

    Args:
        start: First day of each row.
        end: Last day of each row.
        segment: Segment of each row (or one segment for all).
        lines: File line of each row.
        values: ``(metric, file column) -> values`` (NaN = no data, dropped).

    Returns:
        Arrays ``start, end, seg (codes), item (codes), value, line`` of equal
        length, with the lists ``segments`` and ``items`` ((metric, column) pairs)
        the codes refer to.
    """
    start_a = np.asarray(start, dtype="datetime64[ns]")
    end_a = np.asarray(end, dtype="datetime64[ns]")
    if isinstance(segment, str):
        seg_a, segments = np.zeros(len(lines), dtype=np.int64), [segment]
    else:
        codes, uniques = pd.factorize(np.asarray(segment, dtype=object))
        seg_a, segments = codes.astype(np.int64), [str(u) for u in uniques]
    line_a = np.asarray(lines, dtype=np.int64)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in _ARRAYS}
    items = list(values)
    for code, vals in enumerate(values.values()):
        vals = np.asarray(vals, dtype=float)
        keep = ~np.isnan(vals)
        parts["start"].append(start_a[keep])
        parts["end"].append(end_a[keep])
        parts["seg"].append(seg_a[keep])
        parts["item"].append(np.full(int(keep.sum()), code, dtype=np.int64))
        parts["value"].append(vals[keep])
        parts["line"].append(line_a[keep])
    long: dict[str, Any] = {k: _concat(v, k) for k, v in parts.items()}
    long["segments"], long["items"] = segments, items
    return long


_ARRAYS = ("start", "end", "seg", "item", "value", "line")
_ARRAY_DTYPES = {"start": "datetime64[ns]", "end": "datetime64[ns]", "value": float}


def _concat(arrays: list[np.ndarray], key: str) -> np.ndarray:
    if not arrays:
        return np.zeros(0, dtype=_ARRAY_DTYPES.get(key, np.int64))
    return np.concatenate(arrays)


def concat_long(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Join several :func:`long_values` results (codes renumbered)."""
    out: dict[str, Any] = {k: [] for k in _ARRAYS}
    segments: list[str] = []
    items: list[tuple[str, str]] = []
    for part in parts:
        for key in ("start", "end", "value", "line"):
            out[key].append(part[key])
        out["seg"].append(part["seg"] + len(segments))
        out["item"].append(part["item"] + len(items))
        segments += part["segments"]
        items += part["items"]
    long: dict[str, Any] = {k: _concat(v, k) for k, v in out.items()}
    long["segments"], long["items"] = segments, items
    return long


def drop_repeats(long: dict[str, Any], tables: np.ndarray | None = None) -> dict[str, Any]:
    """Keep the first of values that share date range, segment and metric.

    With ``tables`` (the table each value comes from), a key is kept from the first
    table that gives it, with all its values there (summed later by
    :func:`to_tidy`): a table that repeats an earlier one is dropped, while rows of
    one table sharing a key (a page listed twice) do not depend on their order.
    """
    keys = _keys(long)
    if tables is None:
        keep = ~keys.duplicated().to_numpy()
    else:
        keys["table"] = tables
        first = keys.groupby(["start", "end", "segment", "metric"])["table"].transform("min")
        keep = (first == keys["table"]).to_numpy()
    out = {k: long[k][keep] for k in _ARRAYS}
    out["segments"], out["items"] = long["segments"], long["items"]
    return out


def _keys(long: dict[str, Any]) -> pd.DataFrame:
    """The tidy key of each long value: start, end, segment and metric (as codes).

    Segments and metrics are coded by name (two columns of a file may give the same
    metric, two parts the same segment), one column each.
    """
    segments = pd.factorize(np.asarray(long["segments"] or [""], dtype=object))[0]
    metrics = pd.factorize(np.asarray([m for m, _ in long["items"]] or [""], dtype=object))[0]
    return pd.DataFrame(
        {
            "start": long["start"].view(np.int64),
            "end": long["end"].view(np.int64),
            "segment": segments[long["seg"]],
            "metric": metrics[long["item"]],
        }
    )


def _groups(keys: pd.DataFrame) -> np.ndarray:
    """One id per distinct key, numbered in order of first appearance.

    Only the key columns that vary are grouped on (most files have one segment, and
    daily rows start and end on the same day).
    """
    varying = [c for c in keys.columns if (keys[c].to_numpy() != keys[c].to_numpy()[:1]).any()]
    if not varying:
        return np.zeros(len(keys), dtype=np.int64)
    if len(varying) == 1:
        return pd.factorize(keys[varying[0]], sort=False)[0].astype(np.int64)
    return keys.groupby(varying, sort=False).ngroup().to_numpy(np.int64)


#: Arrow schema of tidy rows.
TIDY_ARROW = pa.schema(
    [
        ("start", pa.timestamp("ns")),
        ("end", pa.timestamp("ns")),
        ("channel", pa.string()),
        ("account", pa.string()),
        ("segment", pa.string()),
        ("metric", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("source", pa.string()),
    ]
)


def tidy_table(frame: pd.DataFrame) -> pa.Table:
    """Tidy rows of a pandas frame as an Arrow table with :data:`TIDY_ARROW`."""
    arrays = [
        pa.array(np.asarray(frame[c], dtype="datetime64[ns]"), pa.timestamp("ns"))
        if c in ("start", "end")
        else pa.array(
            np.asarray(frame[c], dtype=float if c == "value" else object), TIDY_ARROW.field(c).type
        )
        for c in COLUMNS
    ]
    return pa.Table.from_arrays(arrays, schema=TIDY_ARROW)


def to_tidy(
    file: ExportFile,
    long: dict[str, np.ndarray],
    *,
    channel: str,
    account: str,
    snapshot_metrics: Iterable[str] = (),
) -> pa.Table:
    """Aggregate long values into tidy rows, one per date range, segment and metric.

    Values of the same key are summed, except ``snapshot_metrics`` (lifetime
    totals), where the last row of the key wins. The source is the first cell that
    contributed (the last one for snapshots). Uses numpy and Arrow only (fast on
    big files).

    Args:
        file: The export.
        long: Output of :func:`long_values` (or :func:`concat_long`).
        channel: Channel of every row.
        account: Account of every row.
        snapshot_metrics: Metrics that are totals at a date, never summed.

    Returns:
        Tidy rows (:data:`TIDY_ARROW`).
    """
    if len(long["value"]) == 0:
        return TIDY_ARROW.empty_table()
    group = _groups(_keys(long))
    first = np.flatnonzero(group > np.maximum.accumulate(np.r_[-1, group[:-1]]))
    sums = np.bincount(group, weights=long["value"], minlength=len(first))
    pick = first
    items = long["items"]
    snapshot_codes = [i for i, (m, _) in enumerate(items) if m in set(snapshot_metrics)]
    snapshot = np.isin(long["item"][first], snapshot_codes)
    if snapshot.any():
        last = np.zeros(len(first), dtype=np.int64)
        np.maximum.at(last, group, np.arange(len(group)))
        pick = np.where(snapshot, last, first)
        sums = np.where(snapshot, long["value"][last], sums)
        order = np.argsort(pick, kind="stable")
        pick, sums = pick[order], sums[order]
    n = len(pick)
    item = pa.array(long["item"][pick])
    units = {k: m.unit for k, m in config.METRICS.items()}
    metric_of = pa.array([m for m, _ in items], pa.string())
    unit_of = pa.array([units.get(m, "count") for m, _ in items], pa.string())
    column_of = pa.array([c for _, c in items], pa.string())
    sources = pc.binary_join_element_wise(
        _constant(file.source_path, n),
        pc.cast(pa.array(long["line"][pick]), pa.string()),
        pc.take(column_of, item),
        ":",
    )
    return pa.Table.from_arrays(
        [
            pa.array(long["start"][pick], pa.timestamp("ns")),
            pa.array(long["end"][pick], pa.timestamp("ns")),
            _constant(channel, n),
            _constant(account, n),
            pc.take(pa.array(long["segments"], pa.string()), pa.array(long["seg"][pick])),
            pc.take(metric_of, item),
            pa.array(sums.astype(float), pa.float64()),
            pc.take(unit_of, item),
            sources,
        ],
        schema=TIDY_ARROW,
    )


def _constant(text: str, count: int) -> pa.Array:
    """A string array holding ``text`` ``count`` times."""
    return pc.fill_null(pa.nulls(count, pa.string()), text)

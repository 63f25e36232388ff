"""Cells of an export table as values: numbers, dates, ids, totals and repeated keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.ingest.common import ExportFile
from helpers.ingest.grid import arrow

#: Cells that mean "no data" in exports.
BLANKS: frozenset[str] = frozenset({"", "-", "--", "n/a", "N/A", "(not set)"})

_NUMBER_RE = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_EXCEL_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
#: How far a totals row may be from the sum of its rows and still agree with them:
#: the rounding of the figures shown, half a unit of the column's last decimal
#: place for each cell summed. Counts (no decimals) are exact, so any difference
#: counts; ``1183689.3666`` hours summed over 400 rows may be off by 0.02. The same
#: rule for every metric (see :func:`total_covers_more`); a reader adds the rounding
#: of an export that works its figures out more coarsely than it shows them
#: (``relative``: YouTube's watch hours).
TOTAL_TOLERANCE = 0.5


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
    filled = False
    for cell in cells:  # a dimension's first words settle it: millions of paths are not read
        text = cell.strip()
        if not (FIGURE_CELL.match(text) or text.lower() in skip):
            return False
        filled = filled or bool(text)
    return filled


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
    relative: float = 0.0,
) -> bool:
    """Compare a totals-row cell with the sum of the rows it totals.

    Reports often show only some rows (the top pages, the videos on screen) but
    total the whole site or channel: such a total is larger than the rows' sum and
    is kept by the caller as a row of its own. A total smaller than its rows is a
    broken file, except for a ``signed`` metric (net subscribers), where rows not
    shown may add up either way.

    The two agree within :data:`TOTAL_TOLERANCE` of a unit in the ``places``-th
    decimal place for each of the ``rows`` summed and the total (the rounding of
    the figures shown, nothing for whole numbers), or within ``relative`` times the
    larger of the two (the export's own rounding, where it works a figure out less
    precisely than it shows it), whichever is more.

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
    rounding = max(rounding, relative * max(abs(total), abs(rows_sum)))
    slack = rounding + 1e-9 * max(abs(total), 1.0)  # float sums
    if total < rows_sum - slack and not signed:
        shown = _places_apart(total, rows_sum, places)
        raise file.error(
            f"a total of at least the sum of the rows above it "
            f"({figure_text(rows_sum, shown)}, more than the rounding of the figures explains)",
            line=line,
            column=column,
            found=f"{figure_text(total, shown)}, {figure_text(rows_sum - total, shown)} less",
        )
    return abs(total - rows_sum) > slack


def figure_text(value: float, places: int = 0) -> str:
    """A figure with thousands commas and ``places`` decimals (``13,042.4778``)."""
    return f"{value:,.{places}f}"


def _places_apart(a: float, b: float, places: int) -> int:
    """The decimals (at least ``places``, at most 6) that show ``a`` and ``b`` apart."""
    shown = places
    while shown < 6 and figure_text(a, shown) == figure_text(b, shown):
        shown += 1
    return shown


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

"""Google Analytics exports, Universal Analytics and GA4, read by one block reader.

Both are text made of tables separated by blank lines, each table preceded by
``#`` lines:

* Universal Analytics (CSV, or ``.xlsx`` whose ``Dataset1``, ``Dataset2`` ... sheets
  are the tables and whose ``Summary`` sheet is the preamble): ``# <view name>``,
  ``# <report name>``, ``# 20150501-20151031`` once at the top.
* GA4: ``# Account: ...``, ``# Property: ...`` at the top, and before every table
  its own ``# Start date: 20240101`` / ``# End date: 20240131`` lines and sometimes
  a title (``# How are active users trending?``).

Nothing is assumed from a column's position: the shape of every table is read
from its header names and cells. Each column is a metric (a known name), another
figure (a known name such as ``Bounce rate``, or a column whose every cell is a
number, percentage or duration), the date (a time dimension by name) or a
dimension (the rest: device, channel, page, country). A table is read by what it
has:

* a date (``Date``, ``Day Index`` holding ``5/1/15``): one row per day; a date
  re-written by a spreadsheet (``9/1/2015``) is read only when one reading of it
  falls in the table's range (``03/04/2020`` in March-April 2020 is refused);
* a month (``Month of Year``, ``Year month``: ``201505``): one row per month;
* an index counted from the table's start date (``Nth day``, ``Nth week``,
  ``Nth month``, ``Day Index`` / ``Month Index`` holding ``0000``, ``0001``...):
  each row covers its own calendar day, week (Sunday to Saturday, as Google
  Analytics counts them) or calendar month, the first and the last cut to the
  table's range (:func:`index_ranges`); a number past the range is refused;
* one other dimension (device, channel, page, country): one row per segment over
  the table's whole range (or per day and segment beside a date);
* no dimension at all (a Reports snapshot card, ``Active users,New users`` over
  one row of figures): one whole-range row.

A table with two dimensions besides the date, several rows but no dimension, or
two time columns is refused: nothing says what its rows are. With a comparison
period every table comes twice, each with its own ``# Start date`` lines; both
are read.

A totals row (empty dimension cells, ``Total``, or ``Grand total`` in a trailing extra
cell) is compared with the sum of the rows for the metrics that add up: when it
is larger (a report shows its top rows but totals the whole site) it is kept as
a whole-range row with an empty segment; when it is smaller the file is refused
(see :data:`~helpers.ingest.values.TOTAL_TOLERANCE`).

A snapshot's retention cohorts (``Date, Week 0, Week 1 ...`` with rows such as
``Jun 14 - Jun 20``) are not read as figures, but their ``Week 0`` (the week's new
users) checks the new users the file gives by day or week: a row that crosses a
cohort's week, or a week whose new users differ, refuses the file.

Tidy metrics: ``sessions``, ``users`` (``Users``, ``Total users``, else ``Active
users``), ``new_users`` and ``pageviews`` (``Pageviews``, ``Views``). Tables
without any of them are skipped and named in one note; other columns of the
tables read are named in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers import config
from helpers.ingest.common import ExportFile, Format, Parsed
from helpers.ingest.ga_calendar import (
    KEY_VALUE,
    UA_RANGE,
    Cohort,
    Range,
    Series,
    check_cohorts,
    cohorts,
    index_ranges,
    new_users,
    table_range,
)
from helpers.ingest.grid import read_grid
from helpers.ingest.rows import concat_long, drop_repeats, long_values, to_tidy
from helpers.ingest.values import (
    dates,
    decimals,
    figure_column,
    figure_text,
    numbers,
    one_row_per,
    total_covers_more,
    unread_note,
)

CHANNEL = "website"

#: Column (lower case) -> tidy metric.
METRICS: dict[str, str] = {
    "sessions": "sessions",
    "users": "users",
    "total users": "users",
    "new users": "new_users",
    "pageviews": "pageviews",
    "views": "pageviews",
}
#: Read only when the table has no other column for the metric.
FALLBACKS: dict[str, str] = {"active users": "users"}
#: English column names (lower case) that show a table is Google Analytics.
ENGLISH_HINTS = frozenset(
    {
        *METRICS,
        *FALLBACKS,
        "% new sessions",
        "bounce rate",
        "pages / session",
        "pages/session",
        "avg. session duration",
        "unique pageviews",
        "avg. time on page",
        "goal completions",
        "engaged sessions",
        "engagement rate",
        "event count",
        "key events",
    }
)
DAY_FORMATS = ["%Y%m%d", "%Y-%m-%d", "%m/%d/%y", "%d/%m/%Y", "%m/%d/%Y", "%d/%m/%y"]
DAY_DIMENSIONS = {"date", "day index", "day"}
MONTH_DIMENSIONS = {"month of year", "year month", "month", "month index"}
#: Dimensions counting days, weeks or months from the table's start date.
INDEX_DIMENSIONS = {
    "nth day": "day",
    "day index": "day",
    "nth week": "week",
    "week index": "week",
    "nth month": "month",
    "month index": "month",
}
#: Time dimensions finer or coarser than the tidy table uses.
SKIPPED_TIME = {"hour index", "hour", "nth hour", "hour of day", "week of year", "nth minute"}
TOTAL_LABELS = {"total", "totals", "grand total"}

_INDEX = re.compile(r"^\d{1,4}$")
_DATED_KEY = re.compile(r"^[^\W\d_][^:]{0,40}:\s*(?:19|20)\d{6}$")
#: Column names (lower case) only GA4 uses: a file with them is GA4 whatever its preamble.
GA4_ONLY = frozenset(
    {
        "active users",
        "total users",
        "views",
        "event count",
        "engaged sessions",
        "engagement rate",
        "key events",
        "event name",
        "nth day",
        "nth week",
        "nth month",
        "page path and screen class",
        "page title and screen class",
    }
)


@dataclass
class _Block:
    """One table of the file with the ``#`` lines just above it.

    Attributes:
        meta: The text of the ``#`` lines above it.
        sheet: The workbook sheet it is on ("" for a CSV file).
        header_line: The line (sheet row) of its header.
        header: The header's cells, trailing empty cells left out.
        cells: The rows under the header, every column of the file (cells are text).
        lines: The line (sheet row) of each of those rows.
        widths: How many cells each row has, trailing empty cells left out.
    """

    meta: list[str]
    sheet: str
    header_line: int
    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    widths: np.ndarray


def _comment(line: str) -> str:
    """The text of a ``#`` line (dash rulers, quotes and trailing commas removed)."""
    text = line.strip().lstrip("#").strip().rstrip(",").strip().strip('"').strip()
    return "" if set(text) <= {"-"} else text


def sniff_ua(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    """A Universal Analytics export: a ``# YYYYMMDD-YYYYMMDD`` preamble line."""
    if file.sheet == "Dataset1":
        return True
    return any(UA_RANGE.match(_comment(line)) for line in file.head if line.startswith("#"))


def sniff_ga4(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    """A GA4 export: two of ``# Start date:``, ``# End date:``, ``# Property:``.

    In another interface language the keys are translated (``# Startdatum:``), so
    two ``# <words>: YYYYMMDD`` lines also show GA4: the reader then names the
    language as the problem.
    """
    keys = ("start date:", "end date:", "property:")
    comments = [_comment(line).lower() for line in file.head if line.startswith("#")]
    if sum(any(c.startswith(k) for c in comments) for k in keys) >= 2:
        return True
    return len({c for c in comments if _DATED_KEY.match(c)}) >= 2


def _blocks(file: ExportFile) -> list[_Block]:
    """Split the text into tables, each with the ``#`` lines above it.

    A ``#`` line or a blank line ends a table. Rows are numbered by file line, or by
    sheet row for a workbook's sheets. The rows are split as whole columns (a Pages
    export can hold millions of them).
    """
    grid = read_grid(file)
    frame = grid.frame
    filled = (frame != "").to_numpy()
    count = filled.shape[1]
    widths = np.where(filled.any(axis=1), count - np.argmax(filled[:, ::-1], axis=1), 0)
    comment = frame[0].str.startswith("#").to_numpy(dtype=bool) if count else filled[:, 0]
    ends = np.flatnonzero(comment | (widths == 0))
    sheets = sorted(file.sheets or [], key=lambda s: -s[1])
    meta: list[str] = [_comment(line) for line in file.preamble or []]
    blocks: list[_Block] = []
    start = 0
    for end in [*ends.tolist(), len(frame)]:
        if end > start:
            first_line = int(grid.lines[start])
            sheet, first = next(((n, f) for n, f in sheets if f <= first_line), ("", 1))
            lines = grid.lines[start:end] - first + 1
            header = frame.iloc[start, : widths[start]].tolist()
            rows = frame.iloc[start + 1 : end]
            blocks.append(
                _Block(meta, sheet, int(lines[0]), header, rows, lines[1:], widths[start + 1 : end])
            )
            meta = []
        if end < len(frame) and comment[end]:
            meta.append(_comment(",".join(frame.iloc[end].tolist())))
        start = end + 1
    return blocks


@dataclass
class _Reading:
    """What the tables of a file gave besides their rows: notes and cross-checks."""

    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)


def _account(meta: list[str]) -> tuple[str, str]:
    """The account name (UA view or GA4 property) and a note saying where it came from."""
    values = {}
    texts = []
    for text in meta:
        match = KEY_VALUE.match(text)
        if match:
            values[match.group(1).strip().lower()] = match.group(2).strip()
        elif text and not UA_RANGE.match(text):
            texts.append(text)
    if "property" in values or "account" in values:
        prop = values.get("property") or values.get("account", "")
        return prop, f"property '{prop}'"
    view = texts[0] if texts else ""
    report = texts[1] if len(texts) > 1 else ""
    return view, f"view '{view}', report '{report}'"


def read(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a Universal Analytics or GA4 export into tidy rows.

    Args:
        file: The export (a workbook's ``Dataset`` sheets already converted to
            CSV tables separated by blank lines, its ``Summary`` sheet lines as the
            preamble).
        options: Unused (the readers' common signature).

    Returns:
        The parsed rows; the account is the view (UA) or property (GA4) name.

    Raises:
        DataError: For a missing date range, non-English headers, bad numbers or
            dates, or a total smaller than its rows.
    """
    blocks = _blocks(file)
    if not blocks:
        raise file.error("a table after the preamble", line=len(file.head) or 1)
    if not any(ENGLISH_HINTS & {c.lower() for c in b.header} for b in blocks):
        line, cells = blocks[0].header_line, blocks[0].header
        raise file.error(
            "English column names such as Sessions, Users, Views (set the Google "
            "Analytics language to English and export again)",
            line=line,
            found=", ".join(cells[:4]),
        )
    ga4 = any(t.lower().startswith(("property:", "start date:")) for t in blocks[0].meta) or any(
        GA4_ONLY & {c.lower() for c in b.header} for b in blocks
    )
    account, where = _account(blocks[0].meta)
    if ga4 and not where.startswith("property"):  # an Explore tab's title, not a property
        account, where = "", f"no property named (exploration '{account}')"
    parts: list[dict] = []
    reading = _Reading(notes=[where])
    notes, skipped = reading.notes, reading.skipped
    last: Range | None = None
    for block in blocks:
        last = table_range(file, block.meta, last)
        reading.cohorts += cohorts(block.header, block.cells, block.lines, last)
        part = _read_block(file, block, last, reading)
        if part is not None:
            parts.append(part)
    notes += check_cohorts(file, reading.cohorts, reading.series)
    if skipped:
        notes.append(
            f"{len(skipped)} table(s) without sessions, users, new users or views skipped: "
            + "; ".join(skipped[:6])
            + (f" and {len(skipped) - 6} more" if len(skipped) > 6 else "")
        )
    notes += unread_note(reading.unread)
    tables = np.repeat(np.arange(len(parts)), [len(p["value"]) for p in parts])
    long = drop_repeats(concat_long(parts), tables)
    rows = to_tidy(file, long, channel=CHANNEL, account=account)
    return Parsed("ga4" if ga4 else "ga_ua", CHANNEL, account, rows, notes)


def _metric_columns(header: list[str]) -> dict[int, str]:
    """Position -> tidy metric of the known metric columns, wherever they stand."""
    columns: dict[int, str] = {}
    for position, name in enumerate(header):
        metric = METRICS.get(name.lower())
        if metric and metric not in columns.values():
            columns[position] = metric
    for position, name in enumerate(header):
        metric = FALLBACKS.get(name.lower())
        if metric and metric not in columns.values():
            columns[position] = metric
    return columns


TIME_DIMENSIONS = DAY_DIMENSIONS | MONTH_DIMENSIONS | set(INDEX_DIMENSIONS)
#: Dimensions whose cells are numbers (read as segments, never taken for figures).
NUMBERED_DIMENSIONS = frozenset({"day of week", "day of the week", "year", "age"})


@dataclass
class _Shape:
    """What each column of a table holds, recognised from its header and cells.

    Attributes:
        metrics: Position -> tidy metric.
        time: Position of the date (or month, or index counted from the start).
        dimension: Position of the one other dimension (segments).
        figures: Positions of figures that are not read.
    """

    metrics: dict[int, str]
    time: int | None
    dimension: int | None
    figures: list[int]


def _shape(file: ExportFile, header: list[str], rows: pd.DataFrame, line: int) -> _Shape:
    """Recognise the columns of a table from its header names and cells (``rows``).

    Raises:
        DataError: When the rows cannot be placed: two time columns, or two
            dimensions besides the date.
    """
    metrics = _metric_columns(header)
    if not len(rows):  # nothing to place
        return _Shape(metrics, None, None, [])
    times, dimensions, figures = [], [], []
    for position, name in enumerate(header):
        lower = name.lower()
        if position in metrics:
            continue
        if lower in TIME_DIMENSIONS or lower in SKIPPED_TIME:
            times.append(position)
        elif lower in NUMBERED_DIMENSIONS:
            dimensions.append(position)
        elif lower in ENGLISH_HINTS or figure_column(rows[position], TOTAL_LABELS):
            figures.append(position)
        else:
            dimensions.append(position)
    ranges = [p for p in dimensions if header[p].lower().startswith(("date range", "comparison"))]
    if ranges:
        raise file.error(
            "each date range in a table of its own (the comparison is not dated in the "
            "rows: download the report once per range)",
            line=line,
            column=header[ranges[0]],
        )
    if len(times) > 1:
        raise file.error(
            "one date column per table (export the report with one time dimension)",
            line=line,
            found=", ".join(header[p] for p in times),
        )
    if len(dimensions) > 1:
        raise file.error(
            "one dimension column besides the date (export the report with one "
            "dimension, or remove the added column)",
            line=line,
            found=", ".join(header[p] for p in dimensions[:3]),
        )
    return _Shape(metrics, times[0] if times else None, next(iter(dimensions), None), figures)


def _read_block(file: ExportFile, block: _Block, span: Range, reading: _Reading) -> dict | None:
    """One table's long values (None when it has no known metric), noting what was left."""
    notes, skipped, unread = reading.notes, reading.skipped, reading.unread
    header_line, header = block.header_line, block.header
    columns = _metric_columns(header)
    times = [h for h in header if h.lower() in SKIPPED_TIME]
    if not columns or times:
        where = f"sheet {block.sheet} " if block.sheet else ""
        skipped.append(f"{', '.join(header[:3])} ({where}line {header_line})")
        return None
    width = len(header)
    over = block.widths > width  # a cell after the header's last: only a total's label
    label = np.full(len(block.lines), "", dtype=object)
    if over.any():
        label[over] = block.cells[width].str.lower().to_numpy(dtype=object)[over]
        known = np.isin(label, list(TOTAL_LABELS))
        bad = np.flatnonzero(over & (~known | (block.widths > width + 1)))
        if len(bad):
            raise file.error(
                f"{width} cells like the header at line {header_line}",
                line=int(block.lines[bad[0]]),
                found=f"{int(block.widths[bad[0]])} cells",
            )
    body = block.cells.iloc[:, :width].set_axis(range(width), axis=1)
    shape = _shape(file, header, body, header_line)
    keys = [p for p in (shape.time, shape.dimension) if p is not None]
    unread += [h for i, h in enumerate(header) if i not in columns and i not in keys]
    header = [f"{block.sheet}!{h}" if block.sheet else h for h in header]
    total = label != ""
    if keys:
        marks = [body[p].str.strip().str.lower() for p in keys]
        total |= np.logical_and.reduce([(m == "").to_numpy() for m in marks])
        total |= np.logical_or.reduce([m.isin(TOTAL_LABELS).to_numpy() for m in marks])
    if not keys and int((~total).sum()) > 1:
        raise file.error(
            "a dimension column saying what each row is (a table without one can hold "
            "a single row of figures only)",
            line=header_line,
            found=", ".join(header[:3]),
        )
    totals = [(int(block.lines[i]), body.iloc[i].tolist()) for i in np.flatnonzero(total).tolist()]
    data = len(total) - len(totals)
    lines = block.lines[~total].astype(np.int64)
    frame = body[~total].reset_index(drop=True)
    values = {(m, header[i]): numbers(file, frame[i], lines, header[i]) for i, m in columns.items()}
    parts = []
    for line, cells in totals:
        covering = {}
        for i, metric in columns.items():
            if not config.METRICS[metric].additive:
                continue
            total = float(numbers(file, pd.Series([cells[i]]), np.array([line]), header[i])[0])
            shown = float(np.nansum(values[(metric, header[i])]))
            places = decimals([cells[i], *frame[i]])
            if total_covers_more(
                file,
                line=line,
                column=header[i],
                total=total,
                rows_sum=shown,
                rows=data,
                places=places,
            ):
                covering[(metric, header[i])] = np.array([total])
                notes.append(
                    f"{header[i]} total {figure_text(total, places)} at line {line} covers "
                    f"more than the {data:,} rows shown ({figure_text(shown, places)}): "
                    "kept for the whole range"
                )
        if covering:
            one = np.array([span.start.to_datetime64()])
            last = np.array([span.end.to_datetime64()])
            parts.append(long_values(one, last, "", np.array([line]), covering))
    if len(frame):
        dated = _dated(file, frame, lines, header, shape, span, values)
        parts.append(dated)
        if shape.dimension is None and _resolution(header, shape) in ("day", "week"):
            reading.series += new_users(dated, span)
    return concat_long(parts) if parts else None


def _resolution(header: list[str], shape: _Shape) -> str:
    """What a table's rows cover: ``day``, ``week``, ``month``, or ``""`` (its whole range)."""
    if shape.time is None:
        return ""
    name = header[shape.time].rpartition("!")[2].lower()
    if name in INDEX_DIMENSIONS:
        return INDEX_DIMENSIONS[name]
    return "day" if name in DAY_DIMENSIONS else "month"


def _dated(
    file: ExportFile,
    frame: pd.DataFrame,
    lines: np.ndarray,
    header: list[str],
    shape: _Shape,
    span: Range,
    values: dict,
) -> dict:
    """Long values of a table's rows, dated by its time column, segmented by its dimension."""
    n = len(frame)
    segment: np.ndarray | str = ""
    if shape.dimension is not None:
        segment = frame[shape.dimension].str.strip().to_numpy(dtype=object)
    if shape.time is None:
        first = np.full(n, span.start.to_datetime64())
        return long_values(first, np.full(n, span.end.to_datetime64()), segment, lines, values)
    column = header[shape.time]
    dimension = column.rpartition("!")[2].lower()
    cells = frame[shape.time].str.strip()
    if shape.dimension is None:  # one row per day, week or month: a repeat is a lost column
        one_row_per(file, lines, dimension, cells.to_numpy(dtype=object))
    if dimension in INDEX_DIMENSIONS and cells.str.fullmatch(_INDEX.pattern).all():
        unit = INDEX_DIMENSIONS[dimension]
        return _indexed(file, cells, lines, column, unit, span, values, segment)
    if dimension in DAY_DIMENSIONS:
        days = dates(
            file,
            cells,
            lines,
            column,
            DAY_FORMATS,
            within=(span.start, span.end),
            example="20150501, 5/1/15 or 01/05/2015",
        )
        return long_values(days, days, segment, lines, values)
    if dimension in MONTH_DIMENSIONS:
        months = dates(file, cells, lines, column, ["%Y%m"], example="201505")
        first = np.maximum(months.to_numpy(), span.start.to_datetime64())
        last = np.minimum((months + pd.offsets.MonthEnd(0)).to_numpy(), span.end.to_datetime64())
        return long_values(first, last, segment, lines, values)
    raise file.error(
        "a day index counted from the start date (0000, 0001 ...)",
        line=int(lines[0]),
        column=column,
        found=cells.iloc[0],
    )


def _indexed(
    file: ExportFile,
    cells: pd.Series,
    lines: np.ndarray,
    column: str,
    unit: str,
    span: Range,
    values: dict,
    segment: np.ndarray | str = "",
) -> dict:
    """Rows numbered from the start date: each covers its own calendar day, week or month.

    Raises:
        DataError: For a number past the range's last day, week or month.
    """
    index = cells.astype(int).to_numpy()
    first, last, count = index_ranges(index, unit, span)
    beyond = np.flatnonzero(index > count)
    if len(beyond):
        at = int(beyond[0])
        weeks = ", Sunday to Saturday" if unit == "week" else ""
        raise file.error(
            f"a {unit} number from 0000 to {count:04d} ({span.start:%d %b %Y} to "
            f"{span.end:%d %b %Y} has {count + 1} calendar {unit}s{weeks})",
            line=int(lines[at]),
            column=column,
            found=cells.iloc[at],
        )
    return long_values(first, last, segment, lines, values)


FORMATS = (
    Format("ga_ua", "Google Analytics (Universal Analytics) export", sniff_ua, read),
    Format("ga4", "Google Analytics 4 export", sniff_ga4, read),
)

"""Google Analytics exports, Universal Analytics and GA4, read by one block reader.

Both are text made of tables separated by blank lines, each table preceded by
``#`` lines:

* Universal Analytics (CSV, or ``.xlsx`` whose ``Dataset1``, ``Dataset2`` ... sheets
  are the tables and whose ``Summary`` sheet is the preamble): ``# <view name>``,
  ``# <report name>``, ``# 20150501-20151031`` once at the top.
* GA4: ``# Account: ...``, ``# Property: ...`` at the top, and before every table
  its own ``# Start date: 20240101`` / ``# End date: 20240131`` lines and sometimes
  a title (``# How are active users trending?``).

The first column of a table is its dimension:

* a date (``Date``, ``Day Index`` holding ``5/1/15``): one row per day;
* a month (``Month of Year``, ``Year month``: ``201505``): one row per month;
* an index counted from the table's start date (``Nth day``, ``Nth week``,
  ``Nth month``, ``Day Index`` / ``Month Index`` holding ``0000``, ``0001``...):
  each row covers its own day, week (7 days) or month, cut at the end date;
* anything else (device, channel, page, country): one row per segment over the
  table's whole range.

A totals row (empty first cell, ``Total``, or ``Grand total`` in a trailing extra
cell) is compared with the sum of the rows for the metrics that add up: when it
is larger (a report shows its top rows but totals the whole site) it is kept as
a whole-range row with an empty segment; when it is smaller the file is refused.

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
from helpers.ingest.common import (
    ExportFile,
    Format,
    Parsed,
    concat_long,
    dates,
    drop_repeats,
    long_values,
    numbers,
    read_grid,
    to_tidy,
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

_UA_RANGE = re.compile(r"^(\d{8})\s*-\s*(\d{8})$")
_KEY_VALUE = re.compile(r"^([A-Za-z ]+):\s*(.*)$")
_INDEX = re.compile(r"^\d{1,4}$")


@dataclass
class _Block:
    """One table of the file with the ``#`` lines just above it."""

    meta: list[str]
    sheet: str = ""
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _comment(line: str) -> str:
    """The text of a ``#`` line (dash rulers, quotes and trailing commas removed)."""
    text = line.strip().lstrip("#").strip().rstrip(",").strip().strip('"').strip()
    return "" if set(text) <= {"-"} else text


def sniff_ua(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    """A Universal Analytics export: a ``# YYYYMMDD-YYYYMMDD`` preamble line."""
    if file.sheet == "Dataset1":
        return True
    return any(_UA_RANGE.match(_comment(line)) for line in file.head if line.startswith("#"))


def sniff_ga4(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    """A GA4 export: two of ``# Start date:``, ``# End date:``, ``# Property:``."""
    keys = ("start date:", "end date:", "property:")
    comments = [_comment(line).lower() for line in file.head if line.startswith("#")]
    return sum(any(c.startswith(k) for c in comments) for k in keys) >= 2


def _blocks(file: ExportFile) -> list[_Block]:
    """Split the text into tables, each with the ``#`` lines above it.

    Rows are numbered by file line, or by sheet row for a workbook's sheets.
    """
    blocks: list[_Block] = []
    meta: list[str] = [_comment(line) for line in file.preamble or []]
    current: _Block | None = None
    sheets = sorted(file.sheets or [], key=lambda s: -s[1])
    grid = read_grid(file)
    for line, row in zip(grid.lines.tolist(), grid.frame.itertuples(index=False), strict=True):
        cells = list(row)
        if cells[0].startswith("#"):
            current = None
            meta.append(_comment(",".join(cells)))
            continue
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            current = None
            continue
        sheet, first = next(((n, f) for n, f in sheets if f <= line), ("", 1))
        if current is None:
            current = _Block(meta, sheet)
            blocks.append(current)
            meta = []
        current.rows.append((line - first + 1, cells))
    return blocks


@dataclass
class _Range:
    start: pd.Timestamp
    end: pd.Timestamp


def _range(file: ExportFile, meta: list[str], last: _Range | None) -> _Range:
    """The range a table covers: its own ``# Start date`` lines, else the file's."""
    found: dict[str, str] = {}
    for text in meta:
        match = _UA_RANGE.match(text)
        if match:
            found["start date"], found["end date"] = match.groups()
        match = _KEY_VALUE.match(text)
        if match:
            found[match.group(1).strip().lower()] = match.group(2).strip()
    if "start date" in found and "end date" in found:
        try:
            start = pd.Timestamp(pd.to_datetime(found["start date"], format="%Y%m%d"))
            end = pd.Timestamp(pd.to_datetime(found["end date"], format="%Y%m%d"))
        except ValueError:
            start = end = pd.NaT
        if pd.notna(start) and end >= start:
            return _Range(start, end)
    if last is not None:
        return last
    raise file.error(
        "a preamble line with the date range (# 20150501-20151031, or "
        "# Start date: 20150501 and # End date: 20151031)",
        line=1,
    )


def _account(meta: list[str]) -> tuple[str, str]:
    """The account name (UA view or GA4 property) and a note saying where it came from."""
    values = {}
    texts = []
    for text in meta:
        match = _KEY_VALUE.match(text)
        if match:
            values[match.group(1).strip().lower()] = match.group(2).strip()
        elif text and not _UA_RANGE.match(text):
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
    if not any(ENGLISH_HINTS & {c.lower() for c in b.rows[0][1][1:]} for b in blocks):
        line, cells = blocks[0].rows[0]
        raise file.error(
            "English column names such as Sessions, Users, Views (set the Google "
            "Analytics language to English and export again)",
            line=line,
            found=", ".join(cells[:4]),
        )
    ga4 = any(t.lower().startswith("property:") for t in blocks[0].meta)
    account, where = _account(blocks[0].meta)
    parts: list[dict] = []
    notes: list[str] = [where]
    skipped: list[str] = []
    unread: list[str] = []
    last: _Range | None = None
    for block in blocks:
        last = _range(file, block.meta, last)
        part = _read_block(file, block, last, notes, skipped, unread)
        if part is not None:
            parts.append(part)
    if skipped:
        notes.append(
            f"{len(skipped)} table(s) without sessions, users, new users or views skipped: "
            + "; ".join(skipped[:6])
            + (f" and {len(skipped) - 6} more" if len(skipped) > 6 else "")
        )
    notes += unread_note(unread)
    rows = to_tidy(file, drop_repeats(concat_long(parts)), channel=CHANNEL, account=account)
    return Parsed("ga4" if ga4 else "ga_ua", CHANNEL, account, rows, notes)


def _metric_columns(header: list[str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for position, name in enumerate(header[1:], start=1):
        metric = METRICS.get(name.lower())
        if metric and metric not in columns.values():
            columns[position] = metric
    for position, name in enumerate(header[1:], start=1):
        metric = FALLBACKS.get(name.lower())
        if metric and metric not in columns.values():
            columns[position] = metric
    return columns


def _read_block(
    file: ExportFile,
    block: _Block,
    span: _Range,
    notes: list[str],
    skipped: list[str],
    unread: list[str],
) -> dict | None:
    header_line, header = block.rows[0]
    dimension = header[0].lower() if header else ""
    columns = _metric_columns(header)
    if not columns or dimension in SKIPPED_TIME:
        where = f"sheet {block.sheet} " if block.sheet else ""
        skipped.append(f"{', '.join(header[1:3]) or header[0]} ({where}line {header_line})")
        return None
    unread += [h for i, h in enumerate(header) if i > 0 and i not in columns]
    header = [f"{block.sheet}!{h}" if block.sheet else h for h in header]
    width = len(header)
    data: list[tuple[int, list[str]]] = []
    totals: list[tuple[int, list[str]]] = []
    for line, cells in block.rows[1:]:
        label = cells[width].lower() if len(cells) > width else ""
        if len(cells) > width and (label not in TOTAL_LABELS or len(cells) > width + 1):
            raise file.error(
                f"{width} cells like the header at line {header_line}",
                line=line,
                found=f"{len(cells)} cells",
            )
        cells = (cells + [""] * width)[:width]
        if label or cells[0] == "" or cells[0].lower() in TOTAL_LABELS:
            totals.append((line, cells))
        else:
            data.append((line, cells))
    lines = np.array([ln for ln, _ in data], dtype=np.int64)
    frame = pd.DataFrame([c for _, c in data], columns=range(width), dtype=str)
    if not len(frame):
        frame = pd.DataFrame({i: pd.Series([], dtype=str) for i in range(width)})
    values = {(m, header[i]): numbers(file, frame[i], lines, header[i]) for i, m in columns.items()}
    parts = []
    for line, cells in totals:
        covering = {}
        for i, metric in columns.items():
            if not config.METRICS[metric].additive:
                continue
            total = float(numbers(file, pd.Series([cells[i]]), np.array([line]), header[i])[0])
            shown = float(np.nansum(values[(metric, header[i])]))
            if total_covers_more(file, line=line, column=header[i], total=total, rows_sum=shown):
                covering[(metric, header[i])] = np.array([total])
                notes.append(
                    f"{header[i]} total {total:,.0f} at line {line} covers more than the "
                    f"{len(data):,} rows shown ({shown:,.0f}): kept for the whole range"
                )
        if covering:
            one = np.array([span.start.to_datetime64()])
            last = np.array([span.end.to_datetime64()])
            parts.append(long_values(one, last, "", np.array([line]), covering))
    if len(frame):
        parts.append(_dated(file, frame, lines, header, span, values))
    return concat_long(parts) if parts else None


def _dated(
    file: ExportFile,
    frame: pd.DataFrame,
    lines: np.ndarray,
    header: list[str],
    span: _Range,
    values: dict,
) -> dict:
    """Long values of a table's rows, dated by its dimension."""
    dimension = header[0].rpartition("!")[2].lower()
    cells = frame[0].str.strip()
    if dimension in INDEX_DIMENSIONS and cells.str.fullmatch(_INDEX.pattern).all():
        return _indexed(cells, lines, INDEX_DIMENSIONS[dimension], span, values)
    if dimension in DAY_DIMENSIONS:
        days = dates(
            file,
            frame[0],
            lines,
            header[0],
            DAY_FORMATS,
            within=(span.start, span.end),
            example="20150501, 5/1/15 or 01/05/2015",
        )
        return long_values(days, days, "", lines, values)
    if dimension in MONTH_DIMENSIONS:
        months = dates(file, frame[0], lines, header[0], ["%Y%m"], example="201505")
        first = np.maximum(months.to_numpy(), span.start.to_datetime64())
        last = np.minimum((months + pd.offsets.MonthEnd(0)).to_numpy(), span.end.to_datetime64())
        return long_values(first, last, "", lines, values)
    n = len(frame)
    return long_values(
        np.full(n, span.start.to_datetime64()),
        np.full(n, span.end.to_datetime64()),
        cells.to_numpy(dtype=object),
        lines,
        values,
    )


def _indexed(cells: pd.Series, lines: np.ndarray, unit: str, span: _Range, values: dict) -> dict:
    """Rows numbered from the start date: each covers its own day, week or month."""
    index = cells.astype(int).to_numpy()
    if unit == "month":
        first = pd.DatetimeIndex([span.start + pd.DateOffset(months=int(n)) for n in index])
        after = pd.DatetimeIndex([span.start + pd.DateOffset(months=int(n) + 1) for n in index])
    else:
        days = 7 if unit == "week" else 1
        first = span.start + pd.to_timedelta(index * days, unit="D")
        after = first + pd.Timedelta(days=days)
    last = np.minimum((after - pd.Timedelta(days=1)).to_numpy(), span.end.to_datetime64())
    keep = first.to_numpy() <= span.end.to_datetime64()
    kept = {k: v[keep] for k, v in values.items()}
    return long_values(first.to_numpy()[keep], last[keep], "", lines[keep], kept)


FORMATS = (
    Format("ga_ua", "Google Analytics (Universal Analytics) export", sniff_ua, read),
    Format("ga4", "Google Analytics 4 export", sniff_ga4, read),
)

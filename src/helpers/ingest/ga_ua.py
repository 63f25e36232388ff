"""Google Analytics (Universal Analytics) CSV and ``.xlsx`` exports.

A file starts with a ``#`` preamble naming the view, the report and the date range
(``# 20150501-20151031``), then holds several tables separated by blank lines: the
report table (first column a dimension such as ``Device Category``) followed by a
totals row with an empty first cell, and the over-time chart (``Day Index``,
``Sessions``) with its own totals row. Totals rows are checked against the sum of
the rows, never added in.

Tidy rows: ``sessions``, ``users``, ``new_users`` and ``pageviews``; a time
dimension (``Day Index``, ``Date``, ``Month of Year``) gives one row per day or
month, any other dimension gives one row per segment over the whole range.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.ingest.common import (
    ExportFile,
    Parsed,
    check_total,
    concat_long,
    dates,
    drop_repeats,
    long_values,
    numbers,
    read_grid,
    to_tidy,
)

FORMAT = "ga_ua"
CHANNEL = "website"

#: Column -> tidy metric.
METRICS: dict[str, str] = {
    "Sessions": "sessions",
    "Users": "users",
    "New Users": "new_users",
    "Pageviews": "pageviews",
}
#: Metrics whose totals row must equal the sum of the rows.
ADDITIVE = ("sessions", "new_users", "pageviews")
#: English column names that show the file is a Google Analytics table.
ENGLISH_HINTS = frozenset(
    {
        *METRICS,
        "% New Sessions",
        "Bounce Rate",
        "Pages / Session",
        "Pages/Session",
        "Avg. Session Duration",
        "Unique Pageviews",
        "Avg. Time on Page",
        "Goal Completions",
    }
)
DAY_COLUMNS = {
    "Day Index": ["%m/%d/%y", "%d/%m/%Y", "%m/%d/%Y", "%d/%m/%y", "%Y-%m-%d"],
    "Date": ["%Y%m%d", "%Y-%m-%d"],
}
MONTH_COLUMNS = {"Month of Year": "%Y%m", "Month Index": "%Y%m"}
SKIPPED_TIME = {"Hour Index", "Hour", "Week of Year", "Week Index", "Hour of Day"}

_RANGE = re.compile(r"^(\d{8})\s*-\s*(\d{8})$")


def preamble(lines: list[str]) -> list[str]:
    """The text lines of the ``#`` preamble (dash lines and trailing commas removed)."""
    out = []
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped.strip(",") == "" and not out:
                continue
            break
        text = stripped.lstrip("#").strip().rstrip(",").strip().strip('"').strip()
        if text and not set(text) <= {"-"}:
            out.append(text)
    return out


def date_range(file: ExportFile, texts: list[str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Find the ``YYYYMMDD-YYYYMMDD`` range among the preamble lines."""
    for text in texts:
        match = _RANGE.match(text)
        if match:
            try:
                start = pd.Timestamp(match.group(1))
                end = pd.Timestamp(match.group(2))
            except ValueError:
                break
            if end >= start:
                return start, end
            break
    raise file.error("a preamble line with the date range such as # 20150501-20151031", line=1)


def _blocks(file: ExportFile, first: int) -> list[list[tuple[int, list[str]]]]:
    """Split the lines after the preamble into blank-line-separated tables."""
    total = file.text.count("\n") + 1
    grid = read_grid(file, first, total - 1)
    blocks: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for line, cells in grid:
        if not any(cells):
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((line, cells))
    if current:
        blocks.append(current)
    return blocks


def _check_english(file: ExportFile, blocks: list[list[tuple[int, list[str]]]]) -> None:
    for block in blocks:
        if ENGLISH_HINTS & set(block[0][1][1:]):
            return
    line, cells = blocks[0][0] if blocks else (1, [])
    raise file.error(
        "English column names such as Sessions, Users, Pageviews (set the Google "
        "Analytics interface language to English and export again)",
        line=line,
        found=", ".join(cells[:4]),
    )


def read(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a Universal Analytics export into tidy rows.

    Args:
        file: The export (a workbook's ``Dataset1`` sheet already converted to CSV,
            its ``Summary`` sheet lines as the preamble).
        options: Unused (accepted for a common reader signature).

    Returns:
        The parsed rows; the account is the view name of the preamble.

    Raises:
        DataError: For a missing date range, non-English headers, bad numbers or
            dates, or a totals row that disagrees with its rows.
    """
    texts = preamble(file.preamble if file.preamble is not None else file.head)
    start, end = date_range(file, texts)
    view = texts[0] if texts and not _RANGE.match(texts[0]) else ""
    first = 0
    if file.preamble is None:
        first = next((i for i, line in enumerate(file.head) if not line.strip().startswith("#")), 0)
    blocks = _blocks(file, first)
    if not blocks:
        raise file.error("a table after the preamble", line=first + 1)
    _check_english(file, blocks)
    parts: list[pd.DataFrame] = []
    notes: list[str] = []
    for block in blocks:
        part = _read_block(file, block, start, end, notes)
        if part is not None:
            parts.append(part)
    long = drop_repeats(concat_long(parts))
    rows = to_tidy(file, long, channel=CHANNEL, account=view)
    notes.insert(0, f"view '{view}', report '{texts[1] if len(texts) > 1 else ''}'")
    return Parsed(FORMAT, CHANNEL, view, rows, notes)


def _read_block(
    file: ExportFile,
    block: list[tuple[int, list[str]]],
    start: pd.Timestamp,
    end: pd.Timestamp,
    notes: list[str],
) -> dict[str, np.ndarray] | None:
    header_line, header = block[0]
    dimension = header[0] if header else ""
    metric_cols = {i: METRICS[h] for i, h in enumerate(header) if i > 0 and h in METRICS}
    if not metric_cols or dimension in SKIPPED_TIME:
        notes.append(f"table at line {header_line} ({dimension or 'no dimension'}) skipped")
        return None
    width = len(header)
    body = block[1:]
    for line, cells in body:
        if len(cells) > width:
            raise file.error(
                f"{width} cells like the header at line {header_line}",
                line=line,
                found=f"{len(cells)} cells",
            )
    rows = [(line, cells + [""] * (width - len(cells))) for line, cells in body]
    data = [(ln, c) for ln, c in rows if c[0] != ""]
    totals = [(ln, c) for ln, c in rows if c[0] == ""]
    lines = np.array([ln for ln, _ in data], dtype=np.int64)
    frame = pd.DataFrame([c for _, c in data], columns=range(width), dtype=str)
    values = {
        (metric, header[i]): numbers(
            file, frame[i] if len(frame) else pd.Series([], dtype=str), lines, header[i]
        )
        for i, metric in metric_cols.items()
    }
    for total_line, cells in totals:
        for i, metric in metric_cols.items():
            if metric in ADDITIVE:
                total = numbers(file, pd.Series([cells[i]]), np.array([total_line]), header[i])[0]
                check_total(
                    file,
                    line=total_line,
                    column=header[i],
                    total=float(total),
                    rows_sum=float(np.nansum(values[(metric, header[i])])),
                )
    if not len(frame):
        return None
    if dimension in DAY_COLUMNS:
        days = dates(
            file,
            frame[0],
            lines,
            dimension,
            DAY_COLUMNS[dimension],
            within=(start, end),
            example="5/1/15 or 01/05/2015",
        )
        return long_values(days, days, "", lines, values)
    if dimension in MONTH_COLUMNS:
        months = dates(
            file, frame[0], lines, dimension, [MONTH_COLUMNS[dimension]], example="201505"
        )
        first = np.maximum(months.to_numpy(), start.to_datetime64())
        last = np.minimum((months + pd.offsets.MonthEnd(0)).to_numpy(), end.to_datetime64())
        return long_values(first, last, "", lines, values)
    n = len(frame)
    return long_values(
        np.full(n, start.to_datetime64()),
        np.full(n, end.to_datetime64()),
        frame[0].to_numpy(dtype=object),
        lines,
        values,
    )

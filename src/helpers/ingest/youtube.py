"""YouTube Studio "Export current view" files.

* ``Table data.csv``: one row per video (``Content`` id, ``Video title``) with
  ``Views``, ``Watch time (hours)``, ``Subscribers`` over the exported range; the
  first data row is ``Total`` (checked against the rows, not added).
* ``Chart data.csv``: ``Date, Content, Video title, ..., <metric>`` per day and video.
* ``Totals.csv``: ``Date, <metric>`` per day for the whole channel.

``subscribers`` is the net number gained over the row's range and can be negative.
Videos become segments (their title, with the id added when titles repeat). The
files carry neither the channel name nor, for ``Table data.csv``, the range: both
come from the folder name Studio gives the zip
(``Content 2024-01-01_2024-12-31 <Channel name>``) or from ``accounts.yml``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.ingest.common import (
    ExportFile,
    Parsed,
    check_total,
    dates,
    find_header,
    long_values,
    numbers,
    read_table,
    to_tidy,
)

CHANNEL = "youtube"
TABLE_FORMAT = "youtube_table"
CHART_FORMAT = "youtube_chart"
TOTALS_FORMAT = "youtube_totals"

METRICS: dict[str, str] = {
    "Views": "views",
    "Watch time (hours)": "watch_hours",
    "Subscribers": "subscribers",
}
DAY_FORMATS = ["%Y-%m-%d", "%b %d, %Y"]
_FOLDER = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})\s*(.*)$")


def folder_hints(file: ExportFile) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str]:
    """Range and channel name from the export's folder name, when Studio's name is kept."""
    for part in reversed(file.path.parent.parts):
        match = _FOLDER.search(part)
        if match:
            try:
                return pd.Timestamp(match.group(1)), pd.Timestamp(match.group(2)), match.group(3)
            except ValueError:
                return None, None, match.group(3)
    return None, None, ""


def _account(file: ExportFile, options: dict) -> str:
    return str(options.get("account") or folder_hints(file)[2])


def _segments(frame: pd.DataFrame) -> np.ndarray:
    """Video titles as segments; the id is added to titles shared by several videos."""
    ids = frame["Content"].str.strip()
    titles = frame["Video title"].str.strip() if "Video title" in frame else ids
    titles = titles.where(titles != "", ids)
    shared = frame.assign(_t=titles, _i=ids).groupby("_t")["_i"].transform("nunique") > 1
    return titles.where(~shared, titles + " [" + ids + "]").to_numpy(dtype=object)


def read_table_data(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read ``Table data.csv`` (per video over the range; ``Total`` row checked).

    Raises:
        DataError: Without a known range, for bad numbers or a disagreeing total.
    """
    options = options or {}
    header_index = find_header(file, ["Content"], what="header row starting with Content")
    table = read_table(file, header_index)
    frame, lines = table.frame, table.lines
    start, end, _ = folder_hints(file)
    start = pd.Timestamp(options["start"]) if options.get("start") else start
    end = pd.Timestamp(options["end"]) if options.get("end") else end
    if start is None or end is None:
        raise file.error(
            "the range of a Table data export: keep Studio's folder name "
            "('Content 2024-01-01_2024-12-31 <channel>') or give start and end in accounts.yml",
        )
    is_total = frame["Content"].str.strip().str.lower() == "total"
    columns = {c: m for c, m in METRICS.items() if c in frame.columns}
    data, data_lines = frame[~is_total].reset_index(drop=True), lines[~is_total.to_numpy()]
    values = {(m, c): numbers(file, data[c], data_lines, c) for c, m in columns.items()}
    for position in np.flatnonzero(is_total.to_numpy()):
        for col, metric in columns.items():
            total = numbers(file, frame[col].iloc[[position]], lines[[position]], col)[0]
            check_total(
                file,
                line=int(lines[position]),
                column=col,
                total=float(total),
                rows_sum=float(np.nansum(values[(metric, col)])),
            )
    n = len(data)
    long = long_values(
        np.full(n, start.to_datetime64()),
        np.full(n, end.to_datetime64()),
        _segments(data),
        data_lines,
        values,
    )
    account = _account(file, options)
    rows = to_tidy(file, long, channel=CHANNEL, account=account)
    return Parsed(TABLE_FORMAT, CHANNEL, account, rows, [f"{n} videos"])


def read_chart_data(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read ``Chart data.csv`` (per day and video)."""
    header_index = find_header(file, ["Date", "Content"], what="header row Date, Content, ...")
    table = read_table(file, header_index)
    frame, lines = table.frame, table.lines
    days = dates(file, frame["Date"], lines, "Date", DAY_FORMATS, example="2024-09-27")
    columns = {c: m for c, m in METRICS.items() if c in frame.columns}
    values = {(m, c): numbers(file, frame[c], lines, c) for c, m in columns.items()}
    long = long_values(days, days, _segments(frame), lines, values)
    account = _account(file, options or {})
    rows = to_tidy(file, long, channel=CHANNEL, account=account)
    return Parsed(CHART_FORMAT, CHANNEL, account, rows, [])


def read_totals(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read ``Totals.csv`` (per day, whole channel)."""
    header_index = find_header(file, ["Date"], what="header row Date, <metric>")
    table = read_table(file, header_index)
    lines = table.lines
    days = dates(file, table.col("Date"), lines, "Date", DAY_FORMATS, example="2024-09-27")
    columns = {c: m for c, m in METRICS.items() if c in table.columns}
    values = {(m, c): numbers(file, table.col(c), lines, c) for c, m in columns.items()}
    account = _account(file, options or {})
    rows = to_tidy(
        file, long_values(days, days, "", lines, values), channel=CHANNEL, account=account
    )
    return Parsed(TOTALS_FORMAT, CHANNEL, account, rows, [])

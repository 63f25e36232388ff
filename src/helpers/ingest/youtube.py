"""YouTube Studio "Export current view" files, from any tab (Content, Geography ...).

* ``Table data.csv``: one row per item of the tab's dimension (``Content`` video
  ids, ``Geography`` country codes ..., found by name wherever it stands) with ``Views``,
  ``Watch time (hours)``, ``Subscribers`` over the exported range. The first data
  row is ``Total``: it often covers more than the rows shown (videos or countries
  not in the file), and is then kept as a whole-range row with an empty segment.
* ``Chart data.csv``: ``Date, <dimension>, ..., <metric>`` per day and item.
* ``Totals.csv``: ``Date, <metric>`` per day for the whole channel.

``subscribers_gained`` is the net number of subscribers gained over the row's range and
can be negative.
Since 2025 Studio may give ``Engaged views`` instead of (or beside) ``Views``; it is
read as ``views`` when the file has no ``Views`` column. Items become segments
(video titles, with the id added when titles repeat; other dimensions as they
are). The files carry neither the channel name nor, for ``Table data.csv``, the
range: both come from the folder name Studio gives the zip
(``Content 2024-01-01_2024-12-31 <Channel name>``) or from ``accounts.yml``.

A file with a text column Studio does not write, without its dimension, or whose
``Totals.csv`` / ``Chart data.csv`` gives a day (and item) twice is refused: its rows
cannot be placed with certainty.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers import config
from helpers.ingest.common import ExportFile, Format, Parsed
from helpers.ingest.grid import find_header, read_table
from helpers.ingest.rows import concat_long, long_values, to_tidy
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
from helpers.ingest.vocabulary import Columns

CHANNEL = "youtube"
TABLE_FORMAT = "youtube_table"
CHART_FORMAT = "youtube_chart"
TOTALS_FORMAT = "youtube_totals"

#: Tidy metric -> the columns that give it, in order of preference.
METRICS: dict[str, tuple[str, ...]] = {
    "views": ("Views", "Engaged views"),
    "watch_hours": ("Watch time (hours)",),
    "subscribers_gained": ("Subscribers",),
}
#: Studio's own rounding of a figure, relative to it, where it is coarser than the
#: decimals shown: its watch hours (4 decimals) are worked out apart for the Total
#: and for each row, and a Traffic source table's Total of 13,042.4778 hours stood
#: 0.0025 hours below its rows, more than the rounding of 4 decimals explains. A
#: Total within a millionth of its rows agrees with them.
ROUNDING: dict[str, float] = {"watch_hours": 1e-6}
KNOWN_COLUMNS = frozenset(c for names in METRICS.values() for c in names)
#: Descriptive columns of a Content tab export (not figures).
TEXT_COLUMNS = {"Date", "Content", "Video title", "Video publish time", "Duration"}
#: The dimensions of Studio's tabs and reports (Studio writes one per file).
DIMENSIONS = frozenset(
    {
        "Content", "Geography", "Cities", "Traffic source", "Traffic source type",
        "External source", "Playback location", "Device type", "Operating system",
        "Viewer age", "Viewer gender", "Subscription status", "Subscription source",
        "Sharing service", "Subtitles and CC", "Video info language", "Audio track",
        "Content type", "YouTube product", "Playlist", "New and returning viewers",
        "End screen element", "Card", "Translation use", "Search term", "Live or on demand",
    }
)  # fmt: skip
#: The columns Studio writes: the figures read, the descriptive columns, the tabs'
#: dimensions, and every other figure under Studio's names, which start with a
#: capital or a digit and hold no underscore (``Impressions click-through rate (%)``,
#: ``Average view duration``). A column named otherwise was added after the download.
STUDIO_COLUMNS = Columns(
    "YouTube Studio",
    names={*KNOWN_COLUMNS, *TEXT_COLUMNS, *DIMENSIONS},
    patterns=[r"[A-Z0-9][^_]*"],
)
DAY_FORMATS = ["%Y-%m-%d", "%b %d, %Y"]
DATE_EXAMPLE = "2024-09-27 (as Studio writes it: export again rather than re-save it)"
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


def _columns(columns: list[str]) -> dict[str, str]:
    """File column -> tidy metric, the preferred column of each metric."""
    out: dict[str, str] = {}
    for metric, names in METRICS.items():
        col = next((c for c in names if c in columns), None)
        if col is not None:
            out[col] = metric
    return out


def _notes(columns: list[str], used: dict[str, str], dimension: str) -> list[str]:
    return unread_note(
        c for c in columns if c not in used and c not in TEXT_COLUMNS and c != dimension
    )


def _dimension(file: ExportFile, frame: pd.DataFrame, header_line: int) -> str:
    """The column of the tab's dimension (Content, Geography ...), wherever it stands.

    It is the one column named as Studio names its dimensions; every other column
    must be the date, a video's description or a figure (known, or made only of
    numbers, rates and durations). A ``Content`` table needs its ``Video title``
    (the segments are the titles).

    Raises:
        DataError: When no column, or more than one, can be the dimension, or a
            column is text Studio does not write.
    """
    found = [str(c) for c in frame.columns if c in DIMENSIONS]
    other = [
        str(c)
        for c in frame.columns
        if c not in DIMENSIONS
        and c not in KNOWN_COLUMNS
        and c not in TEXT_COLUMNS
        and not figure_column(frame[c], ["Total"])
    ]
    if len(found) != 1 or other:
        raise file.error(
            "one dimension column (Content, Geography ...) beside the figures and no "
            "other text (export the view again, without columns added or removed)",
            line=header_line,
            found=", ".join([*found, *other][:3]) or "no dimension",
        )
    if found[0] == "Content" and "Video title" not in frame.columns:
        raise file.error(
            "the Video title column beside Content (export the view again)", line=header_line
        )
    return found[0]


def _segments(frame: pd.DataFrame, dimension: str) -> np.ndarray:
    """Segments of the rows: the dimension's cells, or for videos their titles.

    A video's id is added to a title that several videos share.
    """
    ids = frame[dimension].str.strip()
    if dimension != "Content":
        return ids.to_numpy(dtype=object)
    titles = frame["Video title"].str.strip() if "Video title" in frame else ids
    titles = titles.where(titles != "", ids)
    shared = frame.assign(_t=titles, _i=ids).groupby("_t")["_i"].transform("nunique") > 1
    return titles.where(~shared, titles + " [" + ids + "]").to_numpy(dtype=object)


def read_table_data(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read ``Table data.csv`` (per item over the range; a larger ``Total`` kept).

    Raises:
        DataError: Without a known range, for bad numbers or a total smaller
            than its rows.
    """
    options = options or {}
    header_index = next(i for i, line in enumerate(file.head) if line.strip())
    table = read_table(file, header_index)
    frame, lines = table.frame, table.lines
    STUDIO_COLUMNS.check(file, frame.columns, header_index + 1)
    dimension = _dimension(file, frame, header_index + 1)
    start, end, _ = folder_hints(file)
    start = pd.Timestamp(options["start"]) if options.get("start") else start
    end = pd.Timestamp(options["end"]) if options.get("end") else end
    if start is None or end is None:
        raise file.error(
            "the range of a Table data export: keep the folder name Studio gives "
            "('Content 2024-01-01_2024-12-31 <channel>') or give start and end in accounts.yml",
        )
    is_total = (frame[dimension].str.strip().str.lower() == "total").to_numpy()
    columns = _columns(list(frame.columns))
    data, data_lines = frame[~is_total].reset_index(drop=True), lines[~is_total]
    values = {(m, c): numbers(file, data[c], data_lines, c) for c, m in columns.items()}
    first, last = np.array([start.to_datetime64()]), np.array([end.to_datetime64()])
    parts, notes = [], [f"{len(data):,} rows by {dimension}"]
    for position in np.flatnonzero(is_total):
        line = int(lines[position])
        kept = {}
        for col, metric in columns.items():
            total = float(numbers(file, frame[col].iloc[[position]], lines[[position]], col)[0])
            shown = float(np.nansum(values[(metric, col)]))
            places = decimals(frame[col])
            covers = total_covers_more(
                file,
                line=line,
                column=col,
                total=total,
                rows_sum=shown,
                rows=len(data),
                places=places,
                signed=config.METRICS[metric].signed,  # net subscribers: either way
                relative=ROUNDING.get(metric, 0.0),
            )
            if covers:
                kept[(metric, col)] = np.array([total])
                notes.append(
                    f"{col} total {figure_text(total, places)} covers more than the rows "
                    f"shown ({figure_text(shown, places)}): kept for the whole channel"
                )
        parts.append(long_values(first, last, "", np.array([line]), kept))
    n = len(data)
    parts.append(
        long_values(
            np.full(n, start.to_datetime64()),
            np.full(n, end.to_datetime64()),
            _segments(data, dimension),
            data_lines,
            values,
        )
    )
    account = _account(file, options)
    rows = to_tidy(file, concat_long(parts), channel=CHANNEL, account=account)
    return Parsed(
        TABLE_FORMAT,
        CHANNEL,
        account,
        rows,
        notes + _notes(list(frame.columns), columns, dimension),
    )


def read_chart_data(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read ``Chart data.csv`` (per day and item)."""
    header_index = find_header(file, ["Date"], what="header row Date, <dimension>, ...")
    table = read_table(file, header_index)
    frame, lines = table.frame, table.lines
    STUDIO_COLUMNS.check(file, frame.columns, header_index + 1)
    dimension = _dimension(file, frame, header_index + 1)
    days = dates(file, frame["Date"], lines, "Date", DAY_FORMATS, example=DATE_EXAMPLE)
    columns = _columns(list(frame.columns))
    values = {(m, c): numbers(file, frame[c], lines, c) for c, m in columns.items()}
    segments = _segments(frame, dimension)
    one_row_per(file, lines, "day and " + dimension, days, segments)
    long = long_values(days, days, segments, lines, values)
    account = _account(file, options or {})
    rows = to_tidy(file, long, channel=CHANNEL, account=account)
    notes = [f"per day by {dimension}", *_notes(list(frame.columns), columns, dimension)]
    return Parsed(CHART_FORMAT, CHANNEL, account, rows, notes)


def read_totals(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read ``Totals.csv`` (per day, whole channel)."""
    header_index = find_header(file, ["Date"], what="header row Date, <metric>")
    table = read_table(file, header_index)
    STUDIO_COLUMNS.check(file, table.columns, header_index + 1)
    lines = table.lines
    days = dates(file, table.col("Date"), lines, "Date", DAY_FORMATS, example=DATE_EXAMPLE)
    one_row_per(file, lines, "day", days)
    columns = _columns(table.columns)
    values = {(m, c): numbers(file, table.col(c), lines, c) for c, m in columns.items()}
    account = _account(file, options or {})
    rows = to_tidy(
        file, long_values(days, days, "", lines, values), channel=CHANNEL, account=account
    )
    return Parsed(TOTALS_FORMAT, CHANNEL, account, rows, _notes(table.columns, columns, "Date"))


def _known(cells: list[str]) -> bool:
    return bool(KNOWN_COLUMNS & set(cells))


def _table(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    return _known(cells) and "Date" not in cells and "Total" in following


def _chart(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    return _known(cells) and "Date" in cells and bool(set(cells) - KNOWN_COLUMNS - {"Date"})


def _totals(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    """``Date`` and figures only: the metrics read, and others Studio writes (``Shares``)."""
    return (
        "Date" in cells
        and _known(cells)
        and not set(cells) & (DIMENSIONS | TEXT_COLUMNS) - {"Date"}
        and all(STUDIO_COLUMNS.knows(c) for c in cells)
    )


FORMATS = (
    Format(TABLE_FORMAT, "YouTube Studio Table data", _table, read_table_data),
    Format(TOTALS_FORMAT, "YouTube Studio Totals", _totals, read_totals),
    Format(CHART_FORMAT, "YouTube Studio Chart data", _chart, read_chart_data),
)

"""Meta Business Suite downloads: content exports and insights overview charts.

Content exports (Facebook pages, Instagram accounts): one row per post with
``Publish time`` (``MM/DD/YYYY HH:MM``) and lifetime figures; ``Date`` holds
``Lifetime``. The account is the ``Page name`` (Facebook) or ``Account username``
(Instagram) of each row, so one file may hold several accounts. Per day of
publication the reader gives ``posts`` (count) and the sums of the figures below.
Business Suite names the file after the range exported
(``Mar-18-2025_Apr-14-2025_<id>.csv``): the days of that range on which nothing
was published get 0, so the rows show which days the export covers (their source
names line 0: the file name, not a cell).
Meta sometimes writes error rows ("An error occurred while computing metadata")
with neither a Post ID nor a publish time: they are skipped and counted in one
note. ``link_clicks`` comes from ``Link Clicks`` only (``Total clicks`` counts
every click on the post).

Insights overview downloads (``Reach.csv``, ``Views.csv`` ...): UTF-16 text with a
``sep=,`` or ``sep=<TAB>`` first line, a title such as ``Facebook reach`` (or only
``Views``, with no platform word), then ``Date, Primary`` with one value per day; the
2023 layout has no title and names the value column after the chart
(``Date, Facebook reach``). The file names no account: map it in ``accounts.yml``
(``files`` entry with the account, and the ``channel`` when no title or column names
the platform).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.ingest.common import ExportFile, Format, Parsed
from helpers.ingest.rows import concat_long, long_values, to_tidy
from helpers.ingest.tables import find_header, read_grid, read_table
from helpers.ingest.values import dates, excel_ids, numbers, one_row_per, unread_note

FACEBOOK_FORMAT = "meta_facebook"
INSTAGRAM_FORMAT = "meta_instagram"
OVERVIEW_FORMAT = "meta_overview"

#: Tidy metric -> the columns that give it, in order of preference.
FACEBOOK_METRICS: dict[str, tuple[str, ...]] = {
    "post_reach": ("Reach",),
    "views": ("Views",),
    "impressions": ("Impressions",),
    "engagements": ("Reactions, Comments and Shares",),
    "comments": ("Comments",),
    "shares": ("Shares",),
    "link_clicks": ("Link Clicks", "Link clicks"),
}
INSTAGRAM_METRICS: dict[str, tuple[str, ...]] = {
    "post_reach": ("Reach",),
    "views": ("Views",),
    "likes": ("Likes",),
    "comments": ("Comments",),
    "shares": ("Shares",),
}
#: Descriptive columns of the content exports (not figures).
TEXT_COLUMNS = {
    "Post ID", "Page ID", "Page name", "Account ID", "Account username", "Account name",
    "Title", "Description", "Duration (sec)", "Publish time", "Caption type", "Permalink",
    "Is crosspost", "Is share", "Post type", "Languages", "Custom labels",
    "Funded content status", "Data comment", "Date",
}  # fmt: skip
PUBLISH_FORMATS = ["%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
FACEBOOK_KEYS = ("Post ID", "Page ID", "Page name", "Publish time")
INSTAGRAM_KEYS = ("Post ID", "Account ID", "Account username", "Publish time")
#: Overview chart titles: ``<Platform> <what>`` -> tidy metric.
OVERVIEW_METRICS: dict[str, str] = {
    "reach": "reach",
    "views": "views",
    "impressions": "impressions",
    "content interactions": "engagements",
    "link clicks": "link_clicks",
}
_OVERVIEW_TITLE = re.compile(r"^(facebook|instagram)\s+(.+)$", re.IGNORECASE)
_DAY_CELL = re.compile(r"^\d{4}-\d{2}-\d{2}")
_RANGE_NAME = re.compile(r"^([A-Z][a-z]{2}-\d{1,2}-\d{4})_([A-Z][a-z]{2}-\d{1,2}-\d{4})_")


def export_range(file: ExportFile) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The range Business Suite names the file after, or ``None``."""
    match = _RANGE_NAME.match(file.path.name)
    if match is None:
        return None
    try:
        first, last = (pd.to_datetime(g, format="%b-%d-%Y") for g in match.groups())
    except ValueError:
        return None
    return (first, last) if first <= last else None


def _quiet_days(
    days: pd.DatetimeIndex, span: tuple[pd.Timestamp, pd.Timestamp] | None, items: list
) -> dict | None:
    """Zero values for the days of the export's range without a post."""
    if span is None:
        return None
    quiet = pd.date_range(*span, freq="D").difference(days).to_numpy()
    if not len(quiet):
        return None
    zeros = {item: np.zeros(len(quiet)) for item in items}
    return long_values(quiet, quiet, "", np.zeros(len(quiet), dtype=np.int64), zeros)


def _read(
    file: ExportFile,
    keys: tuple[str, ...],
    account_col: str,
    channel: str,
    fmt: str,
    metrics: dict[str, tuple[str, ...]],
) -> Parsed:
    header_index = find_header(file, keys, what="Meta Business Suite header row")
    table = read_table(file, header_index)
    ids = pc.utf8_trim_whitespace(table.col("Post ID"))
    published = pc.utf8_trim_whitespace(table.col("Publish time"))
    error_rows = pc.and_(pc.equal(ids, ""), pc.equal(published, "")).to_numpy(zero_copy_only=False)
    notes = []
    if error_rows.any():
        table = table.filter(~error_rows)
        notes.append(
            f"{int(error_rows.sum())} platform error row(s) without Post ID or publish time "
            "skipped (Meta: 'An error occurred while computing metadata')"
        )
    lines = table.lines
    excel_ids(file, table.col("Post ID"), lines, "Post ID")
    days = dates(
        file,
        table.col("Publish time"),
        lines,
        "Publish time",
        PUBLISH_FORMATS,
        example="09/27/2024 14:05",
    )
    values = {("posts", "Post ID"): np.ones(len(table))}
    used = set()
    for metric, candidates in metrics.items():
        col = next((c for c in candidates if c in table.columns), None)
        if col is not None:
            values[(metric, col)] = numbers(file, table.col(col), lines, col)
            used.add(col)
    accounts = pc.utf8_trim_whitespace(table.col(account_col))
    empty = pc.equal(accounts, "").to_numpy(zero_copy_only=False)
    if empty.any():
        position = int(np.flatnonzero(empty)[0])
        raise file.error("an account name", line=int(lines[position]), column=account_col)
    parts = []
    unique = pc.unique(accounts).to_pylist()
    codes = pc.index_in(accounts, value_set=pa.array(unique)).to_numpy(zero_copy_only=False)
    span = export_range(file)
    for code, name in enumerate(unique):
        mask = codes == code
        sub = {k: v[mask] for k, v in values.items()}
        long = long_values(days[mask], days[mask], "", lines[mask], sub)
        quiet = _quiet_days(days[mask], span, list(values))
        if quiet is not None:
            long = concat_long([long, quiet])
        parts.append(to_tidy(file, long, channel=channel, account=str(name)))
    if span is not None:
        notes.append(
            f"range in the file name: {span[0]:%d %b %Y} to {span[1]:%d %b %Y} "
            "(days without a post count 0)"
        )
    rows = (
        pa.concat_tables(parts)
        if parts
        else to_tidy(file, concat_long([]), channel=channel, account="")
    )
    notes.insert(0, f"{len(table)} posts")
    notes += unread_note(
        c for c in table.columns if c not in used and c.split(".")[0] not in TEXT_COLUMNS
    )
    return Parsed(fmt, channel, ", ".join(unique), rows, notes)


def read_facebook(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a Business Suite content export of Facebook pages."""
    return _read(file, FACEBOOK_KEYS, "Page name", "facebook", FACEBOOK_FORMAT, FACEBOOK_METRICS)


def read_instagram(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a Business Suite content export of Instagram accounts."""
    return _read(
        file, INSTAGRAM_KEYS, "Account username", "instagram", INSTAGRAM_FORMAT, INSTAGRAM_METRICS
    )


def _overview_name(text: str) -> tuple[str, str] | None:
    """``(platform or "", metric)`` of a chart name such as ``Facebook reach`` or ``Views``."""
    text = " ".join(text.split()).lower()
    match = _OVERVIEW_TITLE.match(text)
    platform, what = (match.group(1), match.group(2).strip()) if match else ("", text)
    return (platform, OVERVIEW_METRICS[what]) if what in OVERVIEW_METRICS else None


def _overview_title(cells: list[str]) -> tuple[str, str] | None:
    """``(platform or "", metric)`` of an overview title line (one cell)."""
    cells = [c for c in cells if c]
    return _overview_name(cells[0]) if len(cells) == 1 else None


def _overview_header(cells: list[str], titled: bool) -> tuple[int, int, str] | None:
    """Positions of ``Date`` and of the value column of a chart's header, and its platform.

    The value column is ``Primary`` or, in the 2023 layout, named after the chart
    (``Facebook reach``); a name without a platform word (``Reach``) only under a
    title line, so that a YouTube ``Date, Views`` table is never taken for a chart.
    """
    cells = [c for c in cells if c]
    if len(cells) != 2 or "Date" not in cells:
        return None
    day = cells.index("Date")
    value = 1 - day
    if cells[value] == "Primary":
        return day, value, ""
    name = _overview_name(cells[value])
    if name is None or not (name[0] or titled):
        return None
    return day, value, name[0]


def sniff_overview(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    """An overview download: a chart title then ``Date, Primary``, or ``Date, Facebook reach``."""
    if _overview_title(cells) is not None and _overview_header(following, True) is not None:
        return True
    header = _overview_header(cells, False)
    return header is not None and bool(header[2])


def read_overview(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read an insights overview download: one or more charts of one value per day.

    Each chart is an optional title line (``Facebook reach``, ``Views``), the header
    ``Date, Primary`` (``Date, Facebook reach`` in the 2023 layout) and its rows;
    charts are separated by blank lines. The platform is the one the title or the
    value column names, else the ``channel`` of the file's ``files`` entry.

    Raises:
        DataError: For a chart whose figure is not one of :data:`OVERVIEW_METRICS`,
            a chart naming no platform without a ``files`` channel, bad dates or numbers.
    """
    options = options or {}
    sections: list[tuple[int, str, str, tuple[int, int], list[tuple[int, list[str]]]]] = []
    grid = read_grid(file)
    rows = [[c for c in row if c] for row in grid.frame.itertuples(index=False)]
    title: tuple[int, tuple[str, str]] | None = None
    for number, cells in zip(grid.lines.tolist(), rows, strict=True):
        if not cells or cells[0].lower().startswith("sep="):
            title = None
            continue
        header = _overview_header(cells, title is not None)
        if header is not None:
            day, value, platform = header
            named = _overview_name(cells[value]) if cells[value] != "Primary" else None
            what = (title[1] if title else None) or named
            if what is None:
                raise file.error(
                    "a chart title such as 'Facebook reach' above Date, Primary", line=number
                )
            if title and named and (named[1] != title[1][1] or named[0] not in ("", title[1][0])):
                raise file.error(
                    f"a value column for the chart '{what[1]}'", line=number, found=cells[value]
                )
            platform = what[0] or platform
            sections.append((title[0] if title else number, platform, what[1], (day, value), []))
            title = None
            continue
        found = _overview_title(cells)
        if found is not None:
            title = (number, found)
        elif len(cells) == 1 and not _DAY_CELL.match(cells[0]):
            raise file.error(
                "an overview chart of " + ", ".join(OVERVIEW_METRICS), line=number, found=cells[0]
            )
        elif sections:
            sections[-1][4].append((number, cells))
    parts, notes = [], []
    for title_line, platform, metric, (day, value), body in sections:
        channel = platform or str(options.get("channel") or "")
        if not channel:
            raise file.error(
                "a 'files' entry with the channel (facebook or instagram) in accounts.yml: "
                f"the chart '{metric}' names no platform",
                line=title_line,
            )
        at = np.array([n for n, _ in body], dtype=np.int64)
        day_text = pd.Series([c[day][:10] if len(c) > day else "" for _, c in body], dtype=str)
        days = dates(file, day_text, at, "Date", ["%Y-%m-%d"], example="2025-01-31T00:00:00")
        one_row_per(file, at, "day", days)
        cells = pd.Series([c[value] if len(c) > value else "" for _, c in body], dtype=str)
        values = {(metric, "Primary"): numbers(file, cells, at, "Primary")}
        long = long_values(days, days, "", at, values)
        parts.append(to_tidy(file, long, channel=channel, account=""))
        notes.append(f"{channel} {metric} per day ({len(body):,} days)")
    if not parts:
        raise file.error("a chart title such as 'Facebook reach' followed by Date, Primary")
    table = pa.concat_tables(parts)
    return Parsed(OVERVIEW_FORMAT, pc.unique(table["channel"])[0].as_py(), "", table, notes)


def _sniff(keys: tuple[str, ...]):
    return lambda file, cells, following: set(keys) <= set(cells)


FORMATS = (
    Format(
        FACEBOOK_FORMAT,
        "Meta Business Suite Facebook content export",
        _sniff(FACEBOOK_KEYS),
        read_facebook,
    ),
    Format(
        INSTAGRAM_FORMAT,
        "Meta Business Suite Instagram content export",
        _sniff(INSTAGRAM_KEYS),
        read_instagram,
    ),
    Format(OVERVIEW_FORMAT, "Meta Business Suite insights overview", sniff_overview, read_overview),
)

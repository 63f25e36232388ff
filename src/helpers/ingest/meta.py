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

Insights overview downloads (``Reach.csv``, ``Views.csv``, ``Results.csv`` ...):
UTF-16 text with a ``sep=,`` or ``sep=<TAB>`` first line, then one or more charts
separated by blank lines: a title such as ``Facebook reach`` (or only ``Views``, with
no platform word), then ``Date, Primary`` with one value per day. Older downloads
title their charts ``Facebook Page reach``, ``Facebook Page new likes``, ``New
Facebook Page likes``, ``New Instagram followers`` or ``Instagram profile visits``
and name the value column after the chart (``Date, Facebook Page reach``, with or
without the title line above). A chart is read by what it counts, its name without
the platform word and ``Page`` / ``profile`` (:data:`OVERVIEW_METRICS`: reach, views,
impressions, content interactions, link clicks, visits, new likes, new follows); a
chart of anything else is left out and named in a note, and a file holding no known
chart is refused, naming its first. The file names no account: map it in
``accounts.yml`` (``files`` entry with the account, and the ``channel`` when no
title or column names the platform).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.ingest.common import ExportFile, Format, Parsed
from helpers.ingest.grid import find_header, read_grid, read_table
from helpers.ingest.rows import concat_long, long_values, to_tidy
from helpers.ingest.values import dates, excel_ids, numbers, one_row_per, unread_note
from helpers.ingest.vocabulary import Columns

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
#: The columns the content exports write: the descriptive ones, the figures read, and
#: every other figure under Meta's names, which start with a capital or a digit and
#: hold no underscore (``3-second video views``, ``Estimated earnings (USD)``), or are
#: its raw keys in capitals (``IMPRESSION:UNIQUE_USERS``). A column named otherwise
#: was added after the download.
CONTENT_COLUMNS = Columns(
    "Meta Business Suite",
    names={
        *TEXT_COLUMNS,
        *(c for m in (FACEBOOK_METRICS, INSTAGRAM_METRICS) for cs in m.values() for c in cs),
    },
    patterns=[r"[A-Z0-9][^_]*", r"[A-Z_]+:[A-Z_]+"],
)
PUBLISH_FORMATS = ["%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
FACEBOOK_KEYS = ("Post ID", "Page ID", "Page name", "Publish time")
INSTAGRAM_KEYS = ("Post ID", "Account ID", "Account username", "Publish time")
#: What an overview chart counts (its name without the platform word and ``Page``
#: or ``profile``) -> tidy metric.
OVERVIEW_METRICS: dict[str, str] = {
    "reach": "reach",
    "views": "views",
    "impressions": "impressions",
    "content interactions": "engagements",
    "interactions": "engagements",
    "link clicks": "link_clicks",
    "visits": "visits",
    "new likes": "new_likes",
    "follows": "new_follows",
    "new follows": "new_follows",
    "new followers": "new_follows",
}
OVERVIEW_KINDS = (
    "reach, views, impressions, content interactions, link clicks, visits, new likes or new follows"
)
_PLATFORMS = ("facebook", "instagram")
_FILLER = frozenset({"page", "profile"})
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
    CONTENT_COLUMNS.check(file, table.columns, header_index + 1)
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
    """``(platform or "", metric)`` of a chart name, or ``None`` for a chart not known.

    The name is read without its platform word and the words ``Page`` and
    ``profile``: ``Facebook reach``, ``Facebook Page reach`` and ``Views`` (no
    platform) are charts of reach and views, ``New Instagram followers`` and
    ``Facebook Page new likes`` of new follows and new likes.
    """
    words = " ".join(text.split()).lower().split()
    platform = next((w for w in words if w in _PLATFORMS), "")
    what = " ".join(w for w in words if w != platform and w not in _FILLER)
    return (platform, OVERVIEW_METRICS[what]) if what in OVERVIEW_METRICS else None


def _names_platform(text: str) -> bool:
    return any(w in _PLATFORMS for w in text.lower().split())


def _chart_header(cells: list[str]) -> tuple[int, int] | None:
    """Positions of ``Date`` and of the value column when ``cells`` head a chart."""
    cells = [c for c in cells if c]
    if len(cells) != 2 or "Date" not in cells:
        return None
    day = cells.index("Date")
    return day, 1 - day


def _overview_title(cells: list[str]) -> tuple[str, str] | None:
    """``(platform or "", metric)`` of an overview title line (one cell)."""
    cells = [c for c in cells if c]
    return _overview_name(cells[0]) if len(cells) == 1 else None


def sniff_overview(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    """An overview download: a chart title over ``Date, Primary``, or ``Date, <chart>``.

    A chart is recognised by its known title (``Facebook reach``, ``Views``), or by a
    title or value column naming Facebook or Instagram (``Date, Facebook Page
    reach``), or by Meta's ``sep=`` first line above ``Date, <chart>``: a chart the
    reader does not know is then named by the reader rather than taken for another
    product. A ``Date, Views`` table without any of these (YouTube) is not one.
    """
    title = [c for c in cells if c]
    if len(title) == 1 and _chart_header(following) is not None:
        return _overview_title(title) is not None or _names_platform(title[0])
    header = _chart_header(cells)
    if header is None:
        return False
    value = [c for c in cells if c][header[1]]
    meta_text = bool(file.head) and file.head[0].strip().lower().startswith("sep=")
    return value != "Primary" and (_names_platform(value) or meta_text)


@dataclass
class _Chart:
    """One chart of an overview download: where it starts, its name and its rows."""

    line: int
    name: str
    platform: str
    metric: str | None
    columns: tuple[int, int]
    column: str
    body: list[tuple[int, list[str]]] = field(default_factory=list)


def _charts(file: ExportFile) -> list[_Chart]:
    """The charts of an overview download, known or not, with their rows.

    Raises:
        DataError: For ``Date, Primary`` without a title, or a value column that
            names another chart than its title.
    """
    grid = read_grid(file)
    rows = [[c for c in row if c] for row in grid.frame.itertuples(index=False)]
    charts: list[_Chart] = []
    title: tuple[int, str] | None = None
    current: _Chart | None = None
    for number, cells in zip(grid.lines.tolist(), rows, strict=True):
        if not cells or cells[0].lower().startswith("sep="):
            title, current = None, None
            continue
        header = _chart_header(cells)
        if header is not None and current is None:
            value = cells[header[1]]
            if title is None and value == "Primary":
                raise file.error(
                    "a chart title such as 'Facebook reach' above Date, Primary", line=number
                )
            titled = _overview_name(title[1]) if title else None
            named = _overview_name(value) if value != "Primary" else None
            if titled and named and (named[1] != titled[1] or named[0] not in ("", titled[0])):
                raise file.error(
                    f"a value column for the chart '{title[1]}'", line=number, found=value
                )
            what = titled or named
            name = title[1] if title else value
            platform = (what[0] if what else "") or (named[0] if named else "")
            line = title[0] if title else number
            metric = what[1] if what else None
            current = _Chart(line, name, platform, metric, header, value)
            charts.append(current)
            title = None
        elif current is None and len(cells) == 1 and not _DAY_CELL.match(cells[0]):
            title = (number, cells[0])
        elif current is not None:
            current.body.append((number, cells))
    return charts


def read_overview(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read an insights overview download: one or more charts of one value per day.

    Each chart is an optional title line (``Facebook reach``, ``Facebook Page
    reach``, ``Views``), the header ``Date, Primary`` (or ``Date, <the chart's
    name>``) and its rows; charts are separated by blank lines. The platform is the
    one the title or the value column names, else the ``channel`` of the file's
    ``files`` entry. A chart the reader does not know is left out and named in a
    note; a file of such charts only is refused, naming the first.

    Raises:
        DataError: For a file without a chart of :data:`OVERVIEW_METRICS`, a chart
            naming no platform without a ``files`` channel, bad dates or numbers.
    """
    options = options or {}
    charts = _charts(file)
    known = [c for c in charts if c.metric]
    if not known:
        raise file.error(
            f"an overview chart of {OVERVIEW_KINDS}",
            line=charts[0].line if charts else None,
            found=charts[0].name if charts else None,
        )
    parts, notes = [], []
    for chart in known:
        channel = chart.platform or str(options.get("channel") or "")
        if not channel:
            raise file.error(
                "a 'files' entry with the channel (facebook or instagram) in accounts.yml: "
                f"the chart '{chart.name}' names no platform",
                line=chart.line,
            )
        parts.append(_chart_rows(file, chart, channel))
        notes.append(f"{channel} {chart.metric} per day ({len(chart.body):,} days)")
    for chart in charts:
        if not chart.metric:
            notes.append(
                f"chart '{chart.name}' (line {chart.line}) left out: not a chart of "
                f"{OVERVIEW_KINDS}"
            )
    table = pa.concat_tables(parts)
    return Parsed(OVERVIEW_FORMAT, pc.unique(table["channel"])[0].as_py(), "", table, notes)


def _chart_rows(file: ExportFile, chart: _Chart, channel: str) -> pa.Table:
    """The tidy rows of one chart (one value per day)."""
    day, value = chart.columns
    body = chart.body
    at = np.array([n for n, _ in body], dtype=np.int64)
    day_text = pd.Series([c[day][:10] if len(c) > day else "" for _, c in body], dtype=str)
    days = dates(file, day_text, at, "Date", ["%Y-%m-%d"], example="2025-01-31T00:00:00")
    one_row_per(file, at, "day", days)
    cells = pd.Series([c[value] if len(c) > value else "" for _, c in body], dtype=str)
    values = {(str(chart.metric), chart.column): numbers(file, cells, at, chart.column)}
    long = long_values(days, days, "", at, values)
    return to_tidy(file, long, channel=channel, account="")


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

"""Facebook Page Insights "Export data" files (page level and post level).

Both have TWO header rows: metric names, then long descriptions
(``Lifetime: The total number of people who have liked your Page. (Unique Users)``)
with an empty first cell. Names can repeat (only the description tells them apart)
and breakdown columns (``<Metric> - <key>``) and raw API keys appear among them;
only the columns below are read, from the first column of each name (wherever the
columns stand: the description row is recognised by its empty cell under ``Date`` or
``Post ID``).

Page level: one row per day (``Date`` as ``M/D/YYYY``) giving ``page_likes``
(lifetime total at the day), ``new_likes``, ``reach`` and ``engaged_users``.
Post level: one row per post; per day of ``Posted`` the reader gives ``posts``
(count), ``post_reach``, ``post_engaged_users`` and ``views`` (video views of 3
seconds or more, ``Lifetime Total Video Views``) (sums of the lifetime figures).
Some exports (the ``.xlsx`` ones) head the columns with the API keys instead
(``page_fans:lifetime``, ``post_impressions_unique:lifetime``): they are read as
the same metrics. The "(Video Posts)" export holds the video posts only: its rows
get the segment ``video posts`` so that they never stand in for all posts.
The page name comes from the file name
(``Facebook Insights Data Export (Post Level) - <Page> - YYYY-MM-DD.csv``).
"""

from __future__ import annotations

import re

import numpy as np

from helpers.ingest.common import ExportFile, Format, Parsed
from helpers.ingest.grid import Table, find_header, read_table
from helpers.ingest.rows import long_values, to_tidy
from helpers.ingest.text import split_cells
from helpers.ingest.values import dates, excel_ids, numbers, one_row_per, unread_note
from helpers.ingest.vocabulary import Columns

CHANNEL = "facebook"
PAGE_FORMAT = "facebook_page"
POSTS_FORMAT = "facebook_posts"

PAGE_METRICS: dict[str, str] = {
    "Lifetime Total Likes": "page_likes",
    "page_fans:lifetime": "page_likes",
    "Daily New Likes": "new_likes",
    "page_fan_adds:day": "new_likes",
    "Daily Total Reach": "reach",
    "page_impressions_unique:day": "reach",
    "Daily Page Engaged Users": "engaged_users",
    "page_engaged_users:day": "engaged_users",
}
POST_METRICS: dict[str, str] = {
    "Lifetime Post Total Reach": "post_reach",
    "post_impressions_unique:lifetime": "post_reach",
    "Lifetime Engaged Users": "post_engaged_users",
    "post_engaged_users:lifetime": "post_engaged_users",
    # video views (3 seconds or more, paid and organic): the Video Posts export
    "Lifetime Total Video Views": "views",
    "Lifetime Post Total Video Views": "views",
    "Lifetime Post Video Views": "views",
    "post_video_views:lifetime": "views",
}
#: Descriptive columns of the post-level export (not figures).
POST_TEXT = {
    "Post ID",
    "Permalink",
    "Post Message",
    "Type",
    "Countries",
    "Languages",
    "Posted",
    "Audience Targeting",
    "Content Tags",
    "Topic",
}
#: The columns Page Insights writes: the descriptive ones and the figures read, every
#: figure named ``Lifetime ...``, ``Daily ...``, ``Weekly ...`` or ``28 Days ...``
#: (with its breakdowns, ``... - <key>``), and the API keys (``page_fans:lifetime``,
#: ``page_fans_country:lifetime - GB``). A column named otherwise was added after the
#: download.
INSIGHTS_COLUMNS = Columns(
    "Facebook Page Insights",
    names={"Date", *POST_TEXT, *PAGE_METRICS, *POST_METRICS},
    patterns=[r"(?:Lifetime|Daily|Weekly|28 Days) .+", r"[a-z0-9_]+:[a-z0-9_]+(?: - .+)?"],
)
DAY_FORMATS = ["%m/%d/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"]
POSTED_FORMATS = ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y"]
_NAME = re.compile(
    r"Facebook Insights Data Export(?: \(([^)]*)\))?\s*-\s*(.+?)\s*-\s*\d{4}-\d{2}-\d{2}",
    re.IGNORECASE,
)


def page_name(file: ExportFile) -> str:
    """The page name from the file name, or ``""``."""
    match = _NAME.search(file.path.stem)
    return match.group(2) if match else ""


def _subset(file: ExportFile) -> str:
    """``video posts`` for the "(Video Posts)" export, else ``""`` (all posts)."""
    match = _NAME.search(file.path.stem)
    kind = (match.group(1) or "").lower() if match else ""
    return kind if kind not in ("", "post level") else ""


def _positions(
    file: ExportFile, header_index: int, wanted: dict[str, str], key: str
) -> tuple[list[str], dict[int, str]]:
    names = split_cells(file.head[header_index])
    INSIGHTS_COLUMNS.check(file, names, header_index + 1)
    descriptions = (
        split_cells(file.head[header_index + 1]) if len(file.head) > header_index + 1 else []
    )
    if not _described(names, descriptions, key):
        raise file.error(
            f"a second header row of descriptions with an empty cell under {key}",
            line=header_index + 2,
        )
    found: dict[int, str] = {}
    for position, name in enumerate(names):
        if name in wanted and wanted[name] not in found.values():
            found[position] = wanted[name]
    return names, found


def _data_rows(table: Table, header_index: int) -> tuple[Table, np.ndarray]:
    """The rows below the two header rows (by file line, not position)."""
    keep = table.lines > header_index + 2
    return table.filter(keep), table.lines[keep]


def read_page(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a page-level Page Insights export.

    Raises:
        DataError: For a missing description row, bad dates or numbers.
    """
    header_index = find_header(file, ["Date"], what="header row (Date, Lifetime Total Likes, ...)")
    names, found = _positions(file, header_index, PAGE_METRICS, "Date")
    if not found:
        raise file.error(
            f"at least one of the columns {', '.join(PAGE_METRICS)}", line=header_index + 1
        )
    date_pos = names.index("Date")
    table = read_table(file, header_index, usecols=[date_pos, *found], header=False)
    frame, lines = _data_rows(table, header_index)
    days = dates(file, frame.col(date_pos), lines, "Date", DAY_FORMATS, example="9/1/2015")
    one_row_per(file, lines, "day", days)
    values = {
        (metric, names[pos]): numbers(file, frame.col(pos), lines, names[pos])
        for pos, metric in found.items()
    }
    account = page_name(file)
    long = long_values(days, days, "", lines, values)
    rows = to_tidy(file, long, channel=CHANNEL, account=account, snapshot_metrics=["page_likes"])
    missing = sorted(set(PAGE_METRICS.values()) - set(found.values()))
    notes = [f"no column for {', '.join(missing)}"] if missing else []
    notes += unread_note(n for i, n in enumerate(names) if i != date_pos and i not in found)
    return Parsed(PAGE_FORMAT, CHANNEL, account, rows, notes)


def read_posts(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a post-level Page Insights export (one row per post).

    Raises:
        DataError: For Excel-mangled post ids, bad ``Posted`` times or numbers.
    """
    header_index = find_header(file, ["Post ID", "Posted"], what="post-level header row")
    names, found = _positions(file, header_index, POST_METRICS, "Post ID")
    post_pos, posted_pos = names.index("Post ID"), names.index("Posted")
    table = read_table(file, header_index, usecols=[post_pos, posted_pos, *found], header=False)
    frame, lines = _data_rows(table, header_index)
    excel_ids(file, frame.col(post_pos), lines, "Post ID")
    days = dates(
        file,
        frame.col(posted_pos),
        lines,
        "Posted",
        POSTED_FORMATS,
        example="01/19/2017 09:03:47 AM",
    )
    values = {("posts", "Post ID"): np.ones(len(frame))}
    values.update(
        {(m, names[p]): numbers(file, frame.col(p), lines, names[p]) for p, m in found.items()}
    )
    account, segment = page_name(file), _subset(file)
    long = long_values(days, days, segment, lines, values)
    rows = to_tidy(file, long, channel=CHANNEL, account=account)
    notes = [f"{len(frame)} {segment or 'posts'}"]
    missing = sorted(set(POST_METRICS.values()) - set(found.values()))
    if missing:
        notes.append(f"no column for {', '.join(missing)}")
    notes += unread_note(n for i, n in enumerate(names) if n not in POST_TEXT and i not in found)
    return Parsed(POSTS_FORMAT, CHANNEL, account, rows, notes)


def _described(names: list[str], descriptions: list[str], key: str) -> bool:
    """Whether ``descriptions`` is the row of descriptions under ``names``.

    Its cell under the ``key`` column (wherever that stands) is empty, and some
    other cell describes a figure (``Lifetime: ...``).
    """
    if key not in names:
        return False
    at = names.index(key)
    return (
        len(descriptions) > at
        and descriptions[at] == ""
        and any(":" in c for i, c in enumerate(descriptions) if i != at)
    )


def looks_like_page(file: ExportFile, cells: list[str], next_cells: list[str]) -> bool:
    """Whether two header lines are a page-level export's names and descriptions."""
    return (
        "Date" in cells
        and any(c in PAGE_METRICS or c.startswith(("Lifetime ", "Daily ", "page_")) for c in cells)
        and _described(cells, next_cells, "Date")
    )


def looks_like_posts(file: ExportFile, cells: list[str], next_cells: list[str]) -> bool:
    """Whether two header lines are a post-level export's names and descriptions."""
    return (
        {"Post ID", "Permalink", "Posted"} <= set(cells)
        and "Page ID" not in cells
        and _described(cells, next_cells, "Post ID")
    )


FORMATS = (
    Format(PAGE_FORMAT, "Facebook Page Insights page-level export", looks_like_page, read_page),
    Format(POSTS_FORMAT, "Facebook Page Insights post-level export", looks_like_posts, read_posts),
)

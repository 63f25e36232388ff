"""Twitter/X Analytics exports: tweet activity and daily activity.

Tweet activity (``tweet_activity_metrics_<account>_<YYYYMMDD>_<YYYYMMDD>_en.csv``):
one row per tweet, every field quoted, tweet text possibly spanning lines,
``time`` like ``2015-09-04 07:12 +0000`` (UTC), counts possibly written as
``"29.0"``; before late 2015 ``favorites`` instead of ``likes``. Per UTC day the
reader gives ``tweets`` (count), ``impressions``, ``engagements``, ``retweets``,
``replies`` and ``likes``. Ids turned into ``6.49E+17`` or times re-formatted by
Excel are rejected.

Daily activity (``daily_tweet_activity_metrics_<account>_..._en.csv``): one row per
day with ``Tweets published`` and the same counts.

X Premium exports (2024 on), counts per post or per day:

* ``account_analytics_content_<start>_<end>.csv``: ``Post id, Date, Post text,
  Link`` (or ``Post Link``) and the counts; ``Date`` like ``Thu Mar 20 2025`` or
  ``Sat, Aug 15, 2026``. The account is the handle in the post links.
* ``account_overview_analytics.csv``: ``Date, Impressions, Likes, Engagements, ...,
  Create Post`` per day. It names no account: map it in ``accounts.yml``.

Their ``Reposts`` are ``retweets`` and ``Create Post`` is ``tweets``.

None of these exports carries a follower total. The account of the legacy exports
is the name in the file name.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow.compute as pc

from helpers.ingest.common import ExportFile, Format, Parsed
from helpers.ingest.grid import find_header, read_table
from helpers.ingest.rows import long_values, to_tidy
from helpers.ingest.text import split_cells
from helpers.ingest.values import dates, excel_ids, numbers, one_row_per, unread_note
from helpers.ingest.vocabulary import Columns

CHANNEL = "twitter"
TWEETS_FORMAT = "twitter_tweets"
DAILY_FORMAT = "twitter_daily"
PREMIUM_CONTENT_FORMAT = "x_content"
PREMIUM_OVERVIEW_FORMAT = "x_overview"

COUNTS: dict[str, str] = {
    "impressions": "impressions",
    "engagements": "engagements",
    "retweets": "retweets",
    "replies": "replies",
    "likes": "likes",
    "favorites": "likes",
}
_TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: [+-]\d{4})?"
_NAME = re.compile(r"(?:daily_)?tweet_activity_metrics_(.+?)_\d{8}_\d{8}", re.IGNORECASE)


#: X Premium column (lower case) -> tidy metric.
PREMIUM_COUNTS: dict[str, str] = {
    "impressions": "impressions",
    "engagements": "engagements",
    "likes": "likes",
    "replies": "replies",
    "reposts": "retweets",
    "shares": "shares",
    "share": "shares",
    "create post": "tweets",
    "new follows": "new_follows",
}
PREMIUM_TEXT = {"post id", "date", "post text", "link", "post link"}
#: The columns the X Premium exports write: the descriptive ones, the counts read,
#: the counts not read (as X has spelt them: ``Url clicks``, ``URL Clicks``), and
#: any other count named in capitalised words. A column named otherwise
#: (``is_thread_start``, ``thread_id``) was added after the download.
PREMIUM_COLUMNS = Columns(
    "X",
    names={
        *PREMIUM_TEXT,
        *PREMIUM_COUNTS,
        "bookmarks",
        "new follows",
        "unfollows",
        "profile visits",
        "detail expands",
        "url clicks",
        "hashtag clicks",
        "permalink clicks",
        "video views",
        "media views",
        "media engagements",
    },
    patterns=[r"[A-Z][A-Za-z]*(?: [A-Za-z]+)*"],
)
PREMIUM_DAY_FORMATS = ["%a %b %d %Y", "%a, %b %d, %Y", "%Y-%m-%d", "%b %d, %Y"]
_HANDLE = r"^https?://(?:www\.)?(?:x|twitter)\.com/(?P<handle>[^/]+)/status/"


def account_name(file: ExportFile) -> str:
    """The account named in the file name, or ``""``."""
    match = _NAME.search(file.path.stem)
    return match.group(1) if match else ""


def _count_columns(header: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for col, metric in COUNTS.items():
        if col in header and metric not in out.values():
            out[col] = metric
    return out


def read_tweets(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a tweet activity export (one row per tweet) into per-day totals.

    Raises:
        DataError: For Excel-mangled ids or times, bad counts, or a truncated file.
    """
    header_index = find_header(file, ["Tweet id", "time"], what="tweet activity header row")
    header = split_cells(file.head[header_index])
    LEGACY_COLUMNS.check(file, header, header_index + 1)
    counts = _count_columns(header)
    usecols = ["Tweet id", "time", *counts]
    if "Tweet text" in header:
        usecols.append("Tweet text")  # read only to count line breaks inside it
    table = read_table(file, header_index, usecols=usecols)
    lines = table.lines
    excel_ids(file, table.col("Tweet id"), lines, "Tweet id")
    times = pc.utf8_trim_whitespace(table.col("time"))
    bad = pc.invert(pc.match_substring_regex(times, f"^{_TIME}$")).to_numpy(zero_copy_only=False)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise file.error(
            "a time like 2015-09-04 07:12 +0000 (was the file re-saved in Excel?)",
            line=int(lines[position]),
            column="time",
            found=times[position].as_py(),
        )
    days = dates(
        file,
        pc.utf8_slice_codeunits(times, 0, 10),
        lines,
        "time",
        ["%Y-%m-%d"],
        example="2015-09-04",
    )
    values = {("tweets", "Tweet id"): np.ones(len(table))}
    values.update({(m, c): numbers(file, table.col(c), lines, c) for c, m in counts.items()})
    account = account_name(file)
    rows = to_tidy(
        file, long_values(days, days, "", lines, values), channel=CHANNEL, account=account
    )
    notes = [f"{len(table):,} tweets", *_legacy_unread(header, counts)]
    return Parsed(TWEETS_FORMAT, CHANNEL, account, rows, notes)


def read_daily(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a daily tweet activity export (one row per day).

    Raises:
        DataError: For bad dates or counts.
    """
    header_index = find_header(file, ["Date", "Tweets published"], what="daily activity header")
    table = read_table(file, header_index)
    LEGACY_COLUMNS.check(file, table.columns, header_index + 1)
    lines = table.lines
    day_text = pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(table.col("Date")), 0, 10)
    days = dates(file, day_text, lines, "Date", ["%Y-%m-%d", "%m/%d/%Y"], example="2015-09-04")
    one_row_per(file, lines, "day", days)
    counts = {"Tweets published": "tweets", **_count_columns(table.columns)}
    values = {(m, c): numbers(file, table.col(c), lines, c) for c, m in counts.items()}
    account = account_name(file)
    rows = to_tidy(
        file, long_values(days, days, "", lines, values), channel=CHANNEL, account=account
    )
    return Parsed(DAILY_FORMAT, CHANNEL, account, rows, _legacy_unread(table.columns, counts))


#: Descriptive columns of the legacy exports (not counts), and a rate worked out here.
LEGACY_TEXT = {"Tweet id", "Tweet permalink", "Tweet text", "time", "Date", "engagement rate"}
#: The columns the legacy exports write: the descriptive ones, ``Tweets published``,
#: and figures named in lower-case words (``user profile clicks``, ``email tweet``),
#: each also as ``promoted ...``. Any other column was added after the download.
LEGACY_COLUMNS = Columns(
    "Twitter",
    names={*LEGACY_TEXT, "Tweets published", *COUNTS},
    patterns=[r"(?:promoted )?[a-z]+(?: [a-z]+)*"],
)


def _legacy_unread(header: list[str], counts: dict[str, str]) -> list[str]:
    """One note naming the columns not read (promoted columns counted, not listed)."""
    rest = [c for c in header if c not in counts and c not in LEGACY_TEXT]
    promoted = [c for c in rest if c.startswith("promoted ")]
    notes = unread_note(c for c in rest if c not in promoted and c != "Tweets published")
    if promoted:
        notes.append(f"{len(promoted)} promoted columns not read")
    return notes


def _premium_values(
    file: ExportFile, table, lines: np.ndarray
) -> tuple[dict[tuple[str, str], np.ndarray], list[str]]:
    values: dict[tuple[str, str], np.ndarray] = {}
    unread = []
    for col in table.columns:
        metric = PREMIUM_COUNTS.get(col.lower())
        if metric and all(m != metric for m, _ in values):
            values[(metric, col)] = numbers(file, table.col(col), lines, col)
        elif col.lower() not in PREMIUM_TEXT:
            unread.append(col)
    return values, unread_note(unread)


def _premium_days(file: ExportFile, table, lines: np.ndarray):
    return dates(
        file,
        table.col("Date"),
        lines,
        "Date",
        PREMIUM_DAY_FORMATS,
        example="Thu Mar 20 2025 or Sat, Aug 15, 2026",
    )


def read_premium_content(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read an X Premium content export (one row per post) into per-day totals.

    Raises:
        DataError: For Excel-mangled ids, bad dates or counts.
    """
    header_index = find_header(file, ["Post id", "Date"], what="content export header row")
    table = read_table(file, header_index)
    PREMIUM_COLUMNS.check(file, table.columns, header_index + 1)
    lines = table.lines
    excel_ids(file, table.col("Post id"), lines, "Post id")
    days = _premium_days(file, table, lines)
    values, notes = _premium_values(file, table, lines)
    values = {("tweets", "Post id"): np.ones(len(table)), **values}
    link = next((c for c in table.columns if c.lower() in ("link", "post link")), None)
    handles = pc.extract_regex(table.col(link), _HANDLE) if link else None
    handle = handles.field(0)[0].as_py() if handles is not None and len(handles) else ""
    rows = to_tidy(
        file, long_values(days, days, "", lines, values), channel=CHANNEL, account=handle or ""
    )
    notes.insert(0, f"{len(table):,} posts")
    return Parsed(PREMIUM_CONTENT_FORMAT, CHANNEL, handle or "", rows, notes)


def read_premium_overview(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read an X Premium account overview export (one row per day).

    Raises:
        DataError: For bad dates or counts.
    """
    header_index = find_header(file, ["Date", "Impressions"], what="overview header row")
    table = read_table(file, header_index)
    PREMIUM_COLUMNS.check(file, table.columns, header_index + 1)
    lines = table.lines
    days = _premium_days(file, table, lines)
    one_row_per(file, lines, "day", days)
    values, notes = _premium_values(file, table, lines)
    rows = to_tidy(file, long_values(days, days, "", lines, values), channel=CHANNEL, account="")
    return Parsed(PREMIUM_OVERVIEW_FORMAT, CHANNEL, "", rows, notes)


def _has(*names: str):
    wanted = {n.lower() for n in names}
    return lambda file, cells, following: wanted <= {c.lower() for c in cells}


def _premium_overview(file: ExportFile, cells: list[str], following: list[str]) -> bool:
    return {"date", "impressions", "create post"} <= {c.lower() for c in cells}


FORMATS = (
    Format(TWEETS_FORMAT, "Twitter tweet activity export", _has("Tweet id", "time"), read_tweets),
    Format(
        DAILY_FORMAT, "Twitter daily activity export", _has("Date", "Tweets published"), read_daily
    ),
    Format(
        PREMIUM_CONTENT_FORMAT,
        "X Premium content export",
        lambda file, cells, following: {"Post id", "Date", "Post text"} <= set(cells),
        read_premium_content,
    ),
    Format(
        PREMIUM_OVERVIEW_FORMAT,
        "X Premium account overview export",
        _premium_overview,
        read_premium_overview,
    ),
)

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

Neither export carries a follower total. The account is the name in the file name.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow.compute as pc

from helpers.ingest.common import (
    ExportFile,
    Parsed,
    dates,
    excel_ids,
    find_header,
    long_values,
    numbers,
    read_table,
    split_cells,
    to_tidy,
)

CHANNEL = "twitter"
TWEETS_FORMAT = "twitter_tweets"
DAILY_FORMAT = "twitter_daily"

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
    return Parsed(TWEETS_FORMAT, CHANNEL, account, rows, [f"{len(table):,} tweets"])


def read_daily(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a daily tweet activity export (one row per day).

    Raises:
        DataError: For bad dates or counts.
    """
    header_index = find_header(file, ["Date", "Tweets published"], what="daily activity header")
    table = read_table(file, header_index)
    lines = table.lines
    day_text = pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(table.col("Date")), 0, 10)
    days = dates(file, day_text, lines, "Date", ["%Y-%m-%d", "%m/%d/%Y"], example="2015-09-04")
    counts = {"Tweets published": "tweets", **_count_columns(table.columns)}
    values = {(m, c): numbers(file, table.col(c), lines, c) for c, m in counts.items()}
    account = account_name(file)
    rows = to_tidy(
        file, long_values(days, days, "", lines, values), channel=CHANNEL, account=account
    )
    return Parsed(DAILY_FORMAT, CHANNEL, account, rows, [])

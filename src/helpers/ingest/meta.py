"""Meta Business Suite content exports (Facebook pages and Instagram accounts).

One row per post with ``Publish time`` (``MM/DD/YYYY HH:MM``) and lifetime figures;
``Date`` holds ``Lifetime``. The account is the ``Page name`` (Facebook) or
``Account username`` (Instagram) of each row, so one file may hold several
accounts. Per day of publication the reader gives ``posts`` (count) and the sums
of the figures below.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from helpers.ingest.common import (
    ExportFile,
    Parsed,
    concat_long,
    dates,
    excel_ids,
    find_header,
    long_values,
    numbers,
    read_table,
    to_tidy,
)

FACEBOOK_FORMAT = "meta_facebook"
INSTAGRAM_FORMAT = "meta_instagram"

FACEBOOK_METRICS: dict[str, str] = {
    "Reach": "post_reach",
    "Views": "views",
    "Reactions, Comments and Shares": "engagements",
    "Comments": "comments",
    "Shares": "shares",
    "Total clicks": "link_clicks",
}
INSTAGRAM_METRICS: dict[str, str] = {
    "Reach": "post_reach",
    "Views": "views",
    "Likes": "likes",
    "Comments": "comments",
    "Shares": "shares",
}
PUBLISH_FORMATS = ["%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
FACEBOOK_KEYS = ("Post ID", "Page ID", "Page name", "Publish time")
INSTAGRAM_KEYS = ("Post ID", "Account ID", "Account username", "Publish time")


def _read(
    file: ExportFile,
    keys: tuple[str, ...],
    account_col: str,
    channel: str,
    fmt: str,
    metrics: dict[str, str],
) -> Parsed:
    header_index = find_header(file, keys, what="Meta Business Suite header row")
    table = read_table(file, header_index)
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
    values.update(
        {
            (m, col): numbers(file, table.col(col), lines, col)
            for col, m in metrics.items()
            if col in table.columns
        }
    )
    accounts = pc.utf8_trim_whitespace(table.col(account_col))
    empty = pc.equal(accounts, "").to_numpy(zero_copy_only=False)
    if empty.any():
        position = int(np.flatnonzero(empty)[0])
        raise file.error("an account name", line=int(lines[position]), column=account_col)
    parts = []
    unique = pc.unique(accounts).to_pylist()
    codes = pc.index_in(accounts, value_set=pa.array(unique)).to_numpy(zero_copy_only=False)
    for code, name in enumerate(unique):
        mask = codes == code
        sub = {k: v[mask] for k, v in values.items()}
        long = long_values(days[mask], days[mask], "", lines[mask], sub)
        parts.append(to_tidy(file, long, channel=channel, account=str(name)))
    rows = (
        pa.concat_tables(parts)
        if parts
        else to_tidy(file, concat_long([]), channel=channel, account="")
    )
    return Parsed(fmt, channel, ", ".join(unique), rows, [f"{len(table)} posts"])


def read_facebook(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a Business Suite content export of Facebook pages."""
    return _read(file, FACEBOOK_KEYS, "Page name", "facebook", FACEBOOK_FORMAT, FACEBOOK_METRICS)


def read_instagram(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a Business Suite content export of Instagram accounts."""
    return _read(
        file, INSTAGRAM_KEYS, "Account username", "instagram", INSTAGRAM_FORMAT, INSTAGRAM_METRICS
    )

"""Recognise an export's format from its content (preamble and header rows).

File names are never used to decide the format (only, later, to find an account
name). :func:`detect` looks at the first lines of the decoded text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from helpers.ingest import (
    facebook,
    ga4,
    ga_ua,
    meta,
    neighbourhood_alert,
    twitter,
    youtube,
)
from helpers.ingest.common import ExportFile, Parsed, split_cells


@dataclass(frozen=True)
class Format:
    """A known export format.

    Attributes:
        key: Short name (``ga_ua``).
        label: What a person calls it.
        read: The reader, ``read(file, options) -> Parsed``.
    """

    key: str
    label: str
    read: Callable[[ExportFile, dict | None], Parsed]


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("ga_ua", "Google Analytics (Universal Analytics) export", ga_ua.read),
        Format("ga4", "Google Analytics 4 export", ga4.read),
        Format("facebook_page", "Facebook Page Insights page-level export", facebook.read_page),
        Format("facebook_posts", "Facebook Page Insights post-level export", facebook.read_posts),
        Format("meta_facebook", "Meta Business Suite Facebook content export", meta.read_facebook),
        Format(
            "meta_instagram", "Meta Business Suite Instagram content export", meta.read_instagram
        ),
        Format("twitter_tweets", "Twitter tweet activity export", twitter.read_tweets),
        Format("twitter_daily", "Twitter daily activity export", twitter.read_daily),
        Format("youtube_table", "YouTube Studio Table data", youtube.read_table_data),
        Format("youtube_chart", "YouTube Studio Chart data", youtube.read_chart_data),
        Format("youtube_totals", "YouTube Studio Totals", youtube.read_totals),
        Format(
            "neighbourhood_alert",
            "Neighbourhood Alert member export (mapped)",
            neighbourhood_alert.read,
        ),
    )
}

_UA_RANGE = re.compile(r"^#\s*\d{8}\s*-\s*\d{8}\s*,*\s*$")
_GA4_KEYS = ("# start date:", "# end date:", "# property:")


def _content_lines(head: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Non-blank, non-``#``, non-``sep=`` head lines as (index, cells), lazily."""
    for index, line in enumerate(head):
        stripped = line.strip()
        if (
            not stripped.strip(",")
            or stripped.startswith("#")
            or stripped.lower().startswith("sep=")
        ):
            continue
        yield index, split_cells(line)


def detect(file: ExportFile, mappings: Sequence[dict] = ()) -> tuple[str, dict | None]:
    """Return the format key of ``file`` and the mapping that applies (member exports).

    Args:
        file: The decoded export.
        mappings: Declared Neighbourhood Alert mappings (``area_column``,
            ``registered_column``, ...), tried against the header rows.

    Returns:
        ``(format key, mapping or None)``.

    Raises:
        DataError: If no known format matches.
    """
    head = file.head
    lowered = [line.strip().lower() for line in head if line.strip().startswith("#")]
    if file.sheet == "Dataset1" or any(_UA_RANGE.match(line.strip()) for line in head):
        return "ga_ua", None
    if sum(any(line.startswith(k) for line in lowered) for k in _GA4_KEYS) >= 2:
        return "ga4", None
    first_line: int | None = None
    for position, (index, cells) in enumerate(_content_lines(head)):
        first_line = index + 1 if first_line is None else first_line
        following = split_cells(head[index + 1]) if index + 1 < len(head) else []
        names = set(cells)
        for spec in mappings:
            if neighbourhood_alert.matches(cells, spec):
                return "neighbourhood_alert", spec
        if {"Tweet id", "time"} <= names:
            return "twitter_tweets", None
        if {"Date", "Tweets published"} <= names:
            return "twitter_daily", None
        if set(meta.FACEBOOK_KEYS) <= names:
            return "meta_facebook", None
        if set(meta.INSTAGRAM_KEYS) <= names:
            return "meta_instagram", None
        if facebook.looks_like_page(cells, following):
            return "facebook_page", None
        if facebook.looks_like_posts(cells, following):
            return "facebook_posts", None
        yt_metrics = names & set(youtube.METRICS)
        if cells[:1] == ["Content"] and yt_metrics:
            return "youtube_table", None
        if cells[:2] == ["Date", "Content"] and yt_metrics:
            return "youtube_chart", None
        if cells[:1] == ["Date"] and len(cells) >= 2 and set(cells[1:]) <= set(youtube.METRICS):
            return "youtube_totals", None
        if position >= 2:
            break
    raise file.error(
        "a known export format (" + "; ".join(f.label for f in FORMATS.values()) + "), "
        "recognised by its preamble and header row",
        line=first_line or 1,
    )

"""The shape every measure returns: one row per figure, ready for ``headlines.json``.

A *figure frame* has the columns :data:`FIGURE_COLUMNS`: what the figure is about
(``channel, account, segment, metric``), what it measures (``measure``: a level, a
change, a rate...), the dates it covers (``start``..``end``; for a change, the two
readings compared), its ``value`` and ``unit``, and the ``source`` cell(s) of the
tidy table it comes from. Views pivot and format these frames; the briefing's
``headlines.json`` is the concatenation of the frames a page shows, so every number
on a page is a row of some figure frame and traces back to rows of the tidy table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

import pandas as pd


class Measure(StrEnum):
    """What a figure measures."""

    VALUE = "value"  # a figure as it stands (followers on a day, sessions in a month)
    SUM = "sum"  # a total over several periods or segments
    ABS_CHANGE = "abs_change"  # last - first
    PCT_CHANGE = "pct_change"  # change between two readings, percent
    YOY_PCT_CHANGE = "yoy_pct_change"  # change on the reading a year earlier, percent
    CMGR = "cmgr"  # compound monthly growth rate, percent per month
    CHANGE_PER_MONTH = "change_per_month"  # (last - first) / months between two readings
    MOM_PCT_CHANGE = "mom_pct_change"  # change on the previous month, percent
    RATE = "rate"  # a ratio in percent (engagement rate)
    SHARE = "share"  # a segment's share in percent
    PER_1000 = "per_1000"  # per 1,000 residents
    PROJECTION = "projection"  # a projected level (central value)
    QUOTED = "quoted"  # a figure quoted in analysts' commentary


#: Columns of every figure frame, in order.
FIGURE_COLUMNS: list[str] = [
    "channel",
    "account",
    "segment",
    "metric",
    "measure",
    "start",
    "end",
    "value",
    "unit",
    "source",
]

_TEXT = ("channel", "account", "segment", "metric", "measure", "unit", "source")


def figure_frame(records: Iterable[Mapping[str, Any]] = (), **extra: str) -> pd.DataFrame:
    """Build a figure frame from records (missing text fields become ``""``).

    Args:
        records: Dicts with (some of) the :data:`FIGURE_COLUMNS` and any extra columns.
        **extra: Extra column names to keep, in order (values are ignored).

    Returns:
        A frame with the figure columns first, dates as timestamps, values as floats.
    """
    frame = pd.DataFrame.from_records(list(records))
    columns = FIGURE_COLUMNS + [c for c in frame.columns if c not in FIGURE_COLUMNS]
    columns += [c for c in extra if c not in columns]
    frame = frame.reindex(columns=columns)
    for col in _TEXT:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype(str)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["value"] = pd.to_numeric(frame["value"]).astype(float)
    return frame.reset_index(drop=True)


def empty_figures(*extra: str) -> pd.DataFrame:
    """An empty figure frame (with ``extra`` columns after the figure columns)."""
    return figure_frame([], **dict.fromkeys(extra, ""))


def pick(frame: pd.DataFrame, **where: object) -> pd.DataFrame:
    """Rows of a figure frame whose columns equal the given values."""
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        mask &= frame[column] == wanted
    return frame[mask]


def one(frame: pd.DataFrame, **where: object) -> float:
    """The value of the single row matching ``where`` (``nan`` when there is none)."""
    rows = pick(frame, **where)
    return float(rows["value"].iloc[0]) if len(rows) else float("nan")

"""The shape every measure returns: one row per figure, ready for ``headlines.json``.

``help(measures.figures)`` in a notebook shows this page: what the columns of the
frames that ``measures.*`` return hold, and the values they take.

A *figure frame* has the columns :data:`FIGURE_COLUMNS`, then ``is_total``, then any
columns particular to one measure. Views pivot and format these frames; the
briefing's ``headlines.json`` is the concatenation of the frames a page shows, so
every number on a page is a row of some figure frame and traces back to rows of the
tidy table.

Columns of every figure frame:

- ``channel``: ``facebook``, ``twitter``, ``instagram``, ``youtube``, ``itk``,
  ``website``, ``trusted2know``, or ``all`` for a figure across channels.
- ``account``: the page, account or division (``Lancs Police``, ``West``...), or a
  total: ``All accounts`` (the channel total: the total a source states where there
  is one, else the sum of the accounts) or ``Sum of accounts`` (always the sum of
  the accounts listed, so a table's total row adds up; it can differ from a stated
  total by a few).
- ``segment``: a breakdown (device, traffic source, page, form, activity); ``""``
  for a whole.
- ``metric``: what is counted (``page_likes``, ``followers``, ``sessions``...; the
  tidy table's metric names, :class:`helpers.config.Metric`).
- ``measure``: what the row's ``value`` is, one of :class:`Measure`:

  - ``value``: the figure as it stands (followers on a day, sessions in a
    month). This is the *name of a kind of figure*, not the ``value`` column;
  - ``sum``: a total over several periods or segments (a total row);
  - ``abs_change``: last minus first reading; ``pct_change``: the change between
    two readings in percent; ``yoy_pct_change``: the change on the reading a year
    earlier, percent; ``mom_pct_change``: the change on the previous month, percent;
    ``cmgr``: compound monthly growth rate, percent per month;
  - ``rate``: a ratio in percent (engagement rate); ``share``: a segment's share in
    percent; ``per_1000``: per 1,000 residents (2011 Census);
  - ``projection``: a projected level (central value); ``quoted``: a figure quoted
    in analysts' commentary, not recomputed.
- ``start``, ``end``: the first and last day the figure covers (equal for a snapshot
  such as followers on a day); for a change, the dates of the two readings compared.
- ``value``: the figure itself; percentages in percent (63.1 means 63.1%).
- ``unit``: ``count``, ``percent``, ``percent_per_month``, ``per_1000`` or ``hours``.
- ``source``: the ``file:line:column`` cell(s) of ``data/raw/`` the figure comes
  from, separated by ``; ``, or how it was worked out.
- ``is_total``: True for a row that adds up other rows of the same frame: the
  ``All accounts`` and ``Sum of accounts`` rows of a channel whose accounts are
  listed too, and ``sum`` rows. Leave these rows out before adding rows up, so
  nothing is counted twice::

      likes[~likes.is_total].groupby("end").value.sum()   # the accounts, by day
      likes[likes.account == "All accounts"]              # the channel total

  A frame of one channel-wide series (Tweet impressions by month, Instagram
  followers) has no parts, so its rows are not totals.

Columns some measures add (their docstrings say which):

- ``month``: the calendar month of a reading (a pandas ``Period``), for monthly views.
- ``in_window``: True for readings inside the briefing's window; audience frames
  also keep readings up to 12 months earlier (False) for year-on-year changes.
- ``basis``: how a level was obtained: ``account`` (an account's own reading),
  ``stated`` (a total a source states) or ``sum of accounts`` (a total worked out
  by adding the accounts).
- ``months``: months between the two readings of a change (for ``cmgr``).
- ``count``, ``residents``: the count and the residents a per-1,000 figure divides.
- ``missing``: channels without a figure for the day (on a digital-community total).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

import pandas as pd

from helpers.config import ALL_ACCOUNTS


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


#: Account name of the column sum of the accounts (a table's total row that adds up).
SUM_OF_ACCOUNTS = "Sum of accounts"
#: Account names of totals.
TOTAL_ACCOUNTS = (ALL_ACCOUNTS, SUM_OF_ACCOUNTS)

#: Columns of every figure frame, in order (``is_total`` follows them).
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
        A frame with the figure columns first, then ``is_total`` (given by the
        records, else worked out by :func:`total_rows`), dates as timestamps, values
        as floats.
    """
    frame = pd.DataFrame.from_records(list(records))
    first = [*FIGURE_COLUMNS, "is_total"]
    columns = first + [c for c in frame.columns if c not in first]
    columns += [c for c in extra if c not in columns]
    frame = frame.reindex(columns=columns)
    for col in _TEXT:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype(str)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["value"] = pd.to_numeric(frame["value"]).astype(float)
    given = frame["is_total"]
    frame["is_total"] = given.where(given.notna(), total_rows(frame)).astype(bool)
    return frame.reset_index(drop=True)


def total_rows(frame: pd.DataFrame) -> pd.Series:
    """Which rows of a figure frame add up other rows of it (the ``is_total`` column).

    A row is a total when its measure is ``sum``, or when it is an ``All accounts``
    or ``Sum of accounts`` row of a channel and metric whose accounts the frame lists
    too.

    Args:
        frame: A frame with the figure columns.

    Returns:
        A boolean Series aligned with ``frame``.
    """
    named = frame["account"].isin(TOTAL_ACCOUNTS)
    keys = pd.MultiIndex.from_frame(frame[["channel", "metric"]].astype(str))
    parts = pd.MultiIndex.from_frame(frame.loc[~named, ["channel", "metric"]].astype(str))
    return (frame["measure"] == Measure.SUM) | (named & keys.isin(parts))


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

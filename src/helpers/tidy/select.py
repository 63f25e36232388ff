"""Pick figures and series out of the tidy table.

The tidy table holds snapshots (``start == end``: followers on a day), whole
months (sessions in May 2015) and longer ranges (forms submitted May-October).
These functions select by channel, account, metric and segment and return plain
numbers or date-indexed series; they never fill gaps.

A channel total (account :data:`helpers.config.ALL_ACCOUNTS`) is the figure the
source states for all accounts where it gives one, otherwise the sum of the
accounts' figures for exactly the same dates. Reconciliation reports where the two
disagree.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers import config
from helpers.config import ALL_ACCOUNTS


def rows(
    tidy: pd.DataFrame,
    channel: str | None = None,
    metric: str | None = None,
    account: str | None = None,
    segment: str | None = "",
) -> pd.DataFrame:
    """Filter the tidy table; ``None`` means "any" for that column.

    Args:
        tidy: The tidy table.
        channel: Channel name.
        metric: Metric name.
        account: Account name.
        segment: Segment (``""`` for totals, ``None`` for all segments).

    Returns:
        The matching rows.
    """
    selected = tidy
    for column, wanted in (
        ("channel", channel),
        ("metric", metric),
        ("account", account),
        ("segment", segment),
    ):
        if wanted is not None:  # narrowed one column at a time: each compares fewer rows
            selected = selected[selected[column] == wanted]
    return selected if selected is not tidy else tidy[pd.Series(True, index=tidy.index)]


def is_snapshot(frame: pd.DataFrame) -> pd.Series:
    """Rows that are a value on one day."""
    return frame["start"] == frame["end"]


def is_whole_month(frame: pd.DataFrame) -> pd.Series:
    """Rows covering exactly one calendar month."""
    month_start = frame["start"] == frame["start"].dt.to_period("M").dt.start_time
    month_end = frame["end"] == frame["start"].dt.to_period("M").dt.end_time.dt.normalize()
    return month_start & month_end


def figure_rows(
    tidy: pd.DataFrame,
    channel: str,
    metric: str,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    account: str = ALL_ACCOUNTS,
    segment: str = "",
    combine: bool = True,
) -> pd.DataFrame:
    """The rows :func:`figure` reads its value from (see there for the arguments).

    Returns:
        The row(s) of exactly that account and those dates; for the channel total
        with no such row (and ``combine``), the accounts' rows it adds up; else none.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    sel = rows(tidy, channel, metric, None, segment)
    sel = sel[(sel["start"] == start) & (sel["end"] == end)]
    exact = sel[sel["account"] == account]
    if not exact.empty or account != ALL_ACCOUNTS or not combine:
        return exact
    return sel[sel["account"] != ALL_ACCOUNTS]


def figure(
    tidy: pd.DataFrame,
    channel: str,
    metric: str,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    account: str = ALL_ACCOUNTS,
    segment: str = "",
    combine: bool = True,
) -> float:
    """The value of one figure over exactly ``start``..``end``.

    Args:
        tidy: The tidy table.
        channel: Channel name.
        metric: Metric name.
        start: First day covered.
        end: Last day covered.
        account: Account, or :data:`ALL_ACCOUNTS` for the channel total.
        segment: Segment (``""`` for a total).
        combine: For the channel total, fall back to the sum of the accounts when
            no all-accounts value is stated.

    Returns:
        The value, or ``nan`` when the data do not hold it.
    """
    sel = figure_rows(tidy, channel, metric, start, end, account, segment, combine)
    if sel.empty:
        return math.nan
    if sel["account"].iloc[0] == account:
        return float(sel["value"].iloc[0])
    return float(sel["value"].sum())


def sum_of_accounts(
    tidy: pd.DataFrame, channel: str, metric: str, start: object, end: object, segment: str = ""
) -> float:
    """Sum of the individual accounts' values over exactly ``start``..``end``."""
    sel = rows(tidy, channel, metric, None, segment)
    sel = sel[
        (sel["start"] == pd.Timestamp(start))
        & (sel["end"] == pd.Timestamp(end))
        & (sel["account"] != ALL_ACCOUNTS)
    ]
    return float(sel["value"].sum()) if not sel.empty else math.nan


def snapshot_series(
    tidy: pd.DataFrame, channel: str, metric: str, account: str = ALL_ACCOUNTS, segment: str = ""
) -> pd.Series:
    """Snapshot values (``start == end``) of one account, indexed by date.

    For :data:`ALL_ACCOUNTS`, each date uses the stated total where there is one
    and the sum of the accounts otherwise.

    Returns:
        Values indexed by date, oldest first (empty when there are none).
    """
    sel = rows(tidy, channel, metric, None, segment)
    sel = sel[is_snapshot(sel)]
    if account != ALL_ACCOUNTS:
        own = sel[sel["account"] == account]
        return own.set_index("end")["value"].sort_index().rename(account)
    stated = sel[sel["account"] == ALL_ACCOUNTS].set_index("end")["value"]
    summed = sel[sel["account"] != ALL_ACCOUNTS].groupby("end")["value"].sum()
    combined = stated.combine_first(summed)
    return combined.sort_index().rename(ALL_ACCOUNTS)


#: What the ``source`` of a month added up from daily rows says (``file:0:sum of N daily rows``).
ROLLED_UP = ":0:sum of "


def monthly_rollup(tidy: pd.DataFrame) -> pd.DataFrame:
    """Add whole-month totals of daily figures that add up (sessions, impressions...).

    Exports give one row per day; briefings work in months. For each additive
    metric (see :class:`helpers.config.MetricSpec`), channel, account and segment, the
    daily rows of a calendar month are summed into one row covering that month,
    but only when every day of the month has a row and no whole-month row exists
    already (a stated monthly figure always wins). Nothing is filled in. The new
    rows' ``source`` names the file and ``0`` as the line, with the number of daily
    rows summed in the column part.

    Args:
        tidy: The tidy table.

    Returns:
        The tidy table with the monthly rows appended.
    """
    additive = [name for name, m in config.METRICS.items() if m.additive]
    daily = tidy[is_snapshot(tidy) & tidy["metric"].isin(additive)]
    if daily.empty:
        return tidy
    keys = ["channel", "account", "segment", "metric", "unit"]
    month = daily["start"].dt.to_period("M")
    grouped = daily.assign(month=month, file=daily["source"].str.split(":").str[0]).groupby(
        [*keys, "month"], observed=True
    )
    sums = grouped.agg(value=("value", "sum"), days=("start", "nunique"), file=("file", "first"))
    sums = sums.reset_index()
    sums = sums[sums["days"] == sums["month"].map(lambda m: m.days_in_month)]
    if sums.empty:
        return tidy
    sums["start"] = sums["month"].map(lambda m: m.start_time.normalize())
    sums["end"] = sums["month"].map(lambda m: m.end_time.normalize())
    sums["source"] = sums["file"] + ROLLED_UP + sums["days"].astype(str) + " daily rows"
    existing = tidy[is_whole_month(tidy)].set_index(["start", "end", *keys]).index
    fresh = sums[~sums.set_index(["start", "end", *keys]).index.isin(existing)]
    from helpers.schema import COLUMNS, coerce_tidy

    return coerce_tidy(pd.concat([tidy, fresh[COLUMNS]], ignore_index=True))

"""Which months the data cover, channel by channel: the periods a run can brief.

A month can be briefed when the data hold figures *of* it: a day, a week or a
month (followers on 30 September, posts on 3 March, sessions in the week of 2 March,
sessions in May), not only a total over a longer range that happens to include it.
A lifetime or year-long total (YouTube's Table data over a channel's whole life, a
GA4 snapshot of a year) says nothing about any one month, so it creates none; and a
series' leading zeros (a YouTube *Totals* download holds a 0 for every day since
2007, long before the channel posted) are days before the series began.

:func:`channel_coverage` gives each channel's first and last such day,
:func:`periods_with_data` the months that can be briefed, and :func:`default_period`
the month a plain ``make briefing`` builds: the latest month that most channels'
data reach, so one channel's export that runs on (or stops early) does not decide
it. Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from helpers import config
from helpers.tidy.periods import Window

#: The longest span (in days) of a row that is figures *of* a day, a week or a month.
MAX_SPAN_DAYS = 31


def _fine_rows(tidy: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows of at most a month, without each series' leading zeros (``columns`` of them).

    Only the columns asked for are copied: a pages export can hold millions of rows.
    """
    if tidy.empty:
        return tidy if columns is None else tidy[list(columns)]
    start, end = pd.to_datetime(tidy["start"]), pd.to_datetime(tidy["end"])
    keep = ((end - start).dt.days < MAX_SPAN_DAYS).to_numpy().copy()  # written below
    keys = [k for k in ("channel", "account", "segment", "metric") if k in tidy.columns]
    zero = keep & (tidy["value"] == 0).to_numpy() if "value" in tidy.columns else keep & False
    if keys and zero.any():
        # Only a series with a zero can lose rows: the others are kept whole without
        # being sorted or grouped.
        candidates = keep.copy()
        for k in keys:
            candidates &= tidy[k].isin(tidy.loc[zero, k].unique()).to_numpy()
        part = tidy[candidates].sort_values("start", kind="stable")
        began = (part["value"] != 0).astype(int).groupby([part[k] for k in keys]).cummax()
        keep[tidy.index.get_indexer(part.index[~began.astype(bool).to_numpy()])] = False
    return tidy[keep] if columns is None else tidy.loc[keep, list(columns)]


@dataclass(frozen=True)
class Coverage:
    """The days one channel's day-, week- or month-level figures cover.

    Attributes:
        channel: The tidy channel.
        first: The first day of its first such figure.
        last: The last day of its latest such figure.
    """

    channel: str
    first: pd.Timestamp
    last: pd.Timestamp

    @property
    def name(self) -> str:
        """The channel's display name."""
        return config.CHANNELS.get(self.channel, self.channel)

    def reaches(self, month: pd.Period) -> bool:
        """Whether the channel's figures cover any day of ``month``."""
        return self.first <= month.end_time and self.last >= month.start_time.normalize()


def channel_coverage(tidy: pd.DataFrame) -> list[Coverage]:
    """Each channel's first and last day of figures of a day, a week or a month.

    Args:
        tidy: The tidy table.

    Returns:
        One :class:`Coverage` per channel that has such figures, in the order of
        :data:`helpers.config.CHANNELS` (the cross-channel ``all`` is left out).
    """
    if "channel" not in tidy.columns:
        return []
    fine = _fine_rows(tidy, ["channel", "start", "end"])
    if fine.empty:
        return []
    fine = fine[fine["channel"] != config.Channel.ALL]
    if fine.empty:
        return []
    spans = fine.groupby("channel", observed=True).agg(first=("start", "min"), last=("end", "max"))
    order = [c for c in config.CHANNELS if c in spans.index]
    order += sorted(c for c in spans.index if c not in order)
    return [
        Coverage(str(c), pd.Timestamp(spans.at[c, "first"]), pd.Timestamp(spans.at[c, "last"]))
        for c in order
    ]


def periods_with_data(tidy: pd.DataFrame, papers: Iterable[str] = ()) -> list[str]:
    """The months that can be briefed, oldest first.

    A month can be briefed when it has a figure of at most a month that ends on its
    last day (followers on 30 September, sessions in May), a day's or a week's
    activity figure (posts, reach, sessions: metrics that add up, channel-wide,
    ending in it: exports often stop mid-month, and the briefing then says which
    days they cover), or a paper (a commentary file for it). A series' leading zeros
    and totals over longer ranges create no month.

    Args:
        tidy: The tidy table.
        papers: Periods the analysts wrote a paper for (``YYYY-MM``).

    Returns:
        ``YYYY-MM`` months.
    """
    wanted = [c for c in ("end", "metric", "segment") if c in tidy.columns]
    fine = _fine_rows(tidy, wanted)
    periods = set(papers)
    if not fine.empty:
        ends = pd.to_datetime(fine["end"]).dt.normalize()
        additive = [name for name, spec in config.METRICS.items() if spec.additive]
        activity = (
            fine["metric"].isin(additive) & (fine["segment"] == "")
            if {"metric", "segment"} <= set(fine.columns)
            else pd.Series(False, index=fine.index)
        )
        chosen = ends[ends.dt.is_month_end | activity].drop_duplicates()
        periods |= set(chosen.dt.strftime("%Y-%m"))
    return sorted(periods)


@dataclass(frozen=True)
class DefaultPeriod:
    """The month a run briefs when none is asked for, and why.

    Attributes:
        period: ``YYYY-MM``.
        reached: The channels whose figures reach that month.
        earlier: Channels whose figures stop before it.
        later: Channels whose figures run on after it.
        paper: True when a paper (commentary file) for a later month chose it.
    """

    period: str
    reached: tuple[Coverage, ...] = ()
    earlier: tuple[Coverage, ...] = ()
    later: tuple[Coverage, ...] = ()
    paper: bool = False


def default_period(
    tidy: pd.DataFrame, papers: Iterable[str] = (), periods: Iterable[str] | None = None
) -> DefaultPeriod | None:
    """The latest month that most channels' figures reach (or a later paper's month).

    "Most" is more than half of the channels with figures of a day, a week or a
    month; when no month has that many, the latest month any channel reaches. A
    paper for a later month (the report written for November 2015) chooses that
    month instead.

    Args:
        tidy: The tidy table.
        papers: Periods with a paper.
        periods: The months that can be briefed (default :func:`periods_with_data`).

    Returns:
        The month and the channels that reach it, stop earlier or run on; None when
        no month can be briefed.
    """
    papers = sorted(set(papers))
    allowed = sorted(set(periods if periods is not None else periods_with_data(tidy, papers)))
    if not allowed:
        return None
    spans = channel_coverage(tidy)
    months = [pd.Period(p, freq="M") for p in allowed]
    best = None
    for month in reversed(months):
        count = sum(c.reaches(month) for c in spans)
        if spans and count * 2 > len(spans):
            best = month
            break
    if best is None:
        reached = [m for m in months if any(c.reaches(m) for c in spans)]
        best = reached[-1] if reached else months[-1]
    paper = bool(papers) and pd.Period(papers[-1], freq="M") > best
    if paper:
        best = pd.Period(papers[-1], freq="M")
    return DefaultPeriod(
        str(best),
        tuple(c for c in spans if c.reaches(best)),
        tuple(c for c in spans if c.last < best.start_time),
        tuple(c for c in spans if c.last > best.end_time),
        paper,
    )


def pages_with_data(
    tidy: pd.DataFrame, window: Window, pages: Iterable[config.ChannelSpec] = config.CHANNEL_SPECS
) -> tuple[str, ...]:
    """The channel pages whose channels have figures to show for a window.

    A page has figures when one of its channels has a figure of at most a month on
    a day of the window (a series' leading zeros aside), or a total over a longer
    range that lies inside the window (the report's six months of Trust Ed visits).

    Args:
        tidy: The tidy table.
        window: The briefing window.
        pages: The channel pages (the registry's by default).

    Returns:
        The names of the pages with figures, in the registry's order.
    """
    return pages_by_window(tidy, [window], pages)[0]


def pages_by_window(
    tidy: pd.DataFrame,
    windows: Sequence[Window],
    pages: Iterable[config.ChannelSpec] = config.CHANNEL_SPECS,
) -> list[tuple[str, ...]]:
    """:func:`pages_with_data` for each of several windows, the table scanned once.

    Args:
        tidy: The tidy table.
        windows: The briefing windows (a run over every period has one a month).
        pages: The channel pages (the registry's by default).

    Returns:
        For each window in turn, the names of its pages with figures.
    """
    specs = list(pages)
    fine = _fine_rows(tidy, ["channel", "start", "end"])
    start, end = pd.to_datetime(tidy["start"]), pd.to_datetime(tidy["end"])
    ranged = tidy.loc[(end - start).dt.days >= MAX_SPAN_DAYS, ["channel", "start", "end"]]
    found = []
    for window in windows:
        first, last = window.first_day, window.last_day
        within = fine.loc[(fine["end"] >= first) & (fine["start"] <= last), "channel"]
        inside = ranged.loc[(ranged["start"] >= first) & (ranged["end"] <= last), "channel"]
        have = set(within.unique()) | set(inside.unique())
        found.append(
            tuple(p.name for p in specs if have & {str(c) for c in p.channels if c != "all"})
        )
    return found

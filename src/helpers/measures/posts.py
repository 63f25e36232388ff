"""Posts, their reach and engagement in the period month, over the days the data cover.

Content exports (Meta Business Suite) give, per day of publication, the posts
published and their lifetime reach and interactions. A month is often covered only
in part (an export ending on the 14th): the figures here add up the days of the
period month that the data hold, and say which days those are, rather than wait
for a whole month or stretch a part into one.
"""

from __future__ import annotations

import pandas as pd

from helpers.config import Channel, Metric, Unit
from helpers.measures.audiences import account_key
from helpers.measures.figures import Measure, empty_figures, figure_frame
from helpers.tidy.periods import Window
from helpers.tidy.select import is_snapshot, rows

#: The channels whose content exports give per-day post figures.
CHANNELS: tuple[str, ...] = (Channel.FACEBOOK, Channel.INSTAGRAM)
#: Interactions that make up engagement where a platform gives no engagement total
#: (Instagram's likes, comments and shares; Facebook's "Reactions, Comments and Shares").
INTERACTIONS: tuple[str, ...] = (Metric.LIKES, Metric.COMMENTS, Metric.SHARES)


def post_activity(tidy: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Posts published, their reach and engagement per channel and account in the period month.

    Only daily rows count (one per day of publication; a day of an export's range
    without a post holds 0), so the days covered are the days with a ``posts`` row.
    Engagement is the channel's ``engagements`` where the data give it, else the sum
    of likes, comments and shares.

    Args:
        tidy: The tidy table.
        window: The briefing window; its last month is the one measured.

    Returns:
        A figure frame with metrics ``posts``, ``post_reach`` and ``engagements``
        (measure ``sum``) per channel and account, ``start``/``end`` the first and
        last day covered; extra columns ``days`` (days covered), ``month_days`` and
        ``engagement`` (what engagement counts). Empty when the month has none.
    """
    first = window.end.start_time.normalize()
    last = window.end.end_time.normalize()
    records = []
    for channel in CHANNELS:
        sel = rows(tidy, channel)
        sel = sel[is_snapshot(sel) & (sel["start"] >= first) & (sel["end"] <= last)]
        for account in sorted(sel["account"].unique(), key=account_key):
            own = sel[sel["account"] == account]
            days = own.loc[own["metric"] == Metric.POSTS, "start"]
            if days.empty:
                continue
            base = {
                "channel": channel,
                "account": account,
                "measure": Measure.SUM,
                "unit": Unit.COUNT,
                "start": days.min(),
                "end": days.max(),
                "days": days.nunique(),
                "month_days": window.end.days_in_month,
            }
            engaged = Metric.ENGAGEMENTS
            parts = [Metric.ENGAGEMENTS]
            if not (own["metric"] == Metric.ENGAGEMENTS).any():
                engaged, parts = "likes, comments and shares", list(INTERACTIONS)
            for metric, names in (
                (Metric.POSTS, [Metric.POSTS]),
                (Metric.POST_REACH, [Metric.POST_REACH]),
                (Metric.ENGAGEMENTS, parts),
            ):
                found = own[own["metric"].isin(names) & own["start"].isin(days)]
                if found.empty:
                    continue
                records.append(
                    {
                        **base,
                        "metric": metric,
                        "value": found["value"].sum(),
                        "source": _sources(found),
                        "engagement": engaged if metric == Metric.ENGAGEMENTS else "",
                    }
                )
    if not records:
        return empty_figures("days", "month_days", "engagement")
    return figure_frame(records, days="", month_days="", engagement="")


def _sources(found: pd.DataFrame) -> str:
    files = found["source"].str.rsplit(":", n=2).str[0].drop_duplicates()
    return f"sum of {len(found):,} daily rows of " + "; ".join(files)

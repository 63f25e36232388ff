"""Posts, their reach and engagement in the period month: sentences and a table.

Views of :func:`helpers.measures.post_activity`. Every figure is labelled with the
days it covers, and a month the data cover only in part says so: the figures are
never presented as the whole month's.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.config import Metric
from helpers.present import formats
from helpers.present.tables import COUNT, styled


def _days(first: pd.Series) -> str:
    """``"1 to 14 April 2025 (14 of 30 days)"``: the days one channel's figures cover."""
    covered = formats.dates(first["start"], first["end"])
    if first["days"] >= first["month_days"]:
        return covered
    return f"{covered} ({int(first['days'])} of {int(first['month_days'])} days)"


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per channel and account: days covered, posts, reach, engagement."""
    keys = ["channel", "account"]
    wide = frame.pivot_table(
        index=keys, columns="metric", values="value", aggfunc="first", sort=False
    )
    info = frame.groupby(keys, sort=False).first()
    wide["covered"] = [_days(info.loc[key]) for key in wide.index]
    engaged = frame[frame["metric"] == Metric.ENGAGEMENTS].set_index(keys)["engagement"]
    wide["engagement"] = engaged.reindex(wide.index).fillna("")
    return wide


def post_activity_sentences(frame: pd.DataFrame) -> list[str]:
    """One sentence per channel and account, with the days the figures cover.

    Args:
        frame: A :func:`helpers.measures.post_activity` frame (not empty).

    Returns:
        Sentences such as "Facebook (Lancs Police), 1 to 14 April 2025 (14 of 30
        days): 29 posts reached 593 people and drew 4 reactions, comments and shares."
    """
    out = []
    for (channel, account), row in _wide(frame).iterrows():
        text = f"{formats.channel_name(channel)} ({account}), {row['covered']}: "
        text += f"{formats.count(row.get(Metric.POSTS))} posts"
        if pd.notna(row.get(Metric.POST_REACH)):
            text += f" reached {formats.count(row[Metric.POST_REACH])} people"
        if pd.notna(row.get(Metric.ENGAGEMENTS)):
            what = (
                "reactions, comments and shares"
                if row["engagement"] == Metric.ENGAGEMENTS
                else row["engagement"]
            )
            text += f" and drew {formats.count(row[Metric.ENGAGEMENTS])} {what}"
        out.append(text + ".")
    partial = frame[frame["days"] < frame["month_days"]]
    if len(partial):
        last = formats.day(partial["end"].max())
        out.append(
            f"The exports cover part of {formats.month(partial['end'].max())} only "
            f"(their last day is {last}): these are not whole-month figures and are not "
            "compared with other months."
        )
    return out


def post_activity_table(frame: pd.DataFrame) -> Styler:
    """Posts, people reached and engagement by channel and account, with the days covered.

    Args:
        frame: A :func:`helpers.measures.post_activity` frame (not empty).

    Returns:
        The table.
    """
    wide = _wide(frame)
    table = pd.DataFrame(
        {
            "Days covered": wide["covered"].to_numpy(),
            "Posts": wide.get(Metric.POSTS),
            "People reached": wide.get(Metric.POST_REACH),
            "Engagement": wide.get(Metric.ENGAGEMENTS),
        },
    )
    table.index = [
        f"{formats.channel_name(channel)} ({account})" for channel, account in wide.index
    ]
    table.index.name = "Channel"
    month = formats.month(frame["end"].max())
    return styled(
        table,
        f"Posts published in {month}, the people they reached and their engagement "
        "(reactions, comments and shares; Instagram: likes, comments and shares)",
        {"Posts": COUNT, "People reached": COUNT, "Engagement": COUNT},
    )

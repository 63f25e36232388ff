"""Breakdowns and weeks of a period: tables of the items with the most, and of weeks.

Views of :func:`helpers.measures.top_items` and :func:`helpers.measures.period_weeks`;
every table is dated with its own days, and says when a total runs on after the
period month (a download's year).
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.measures.figures import Measure
from helpers.present import formats
from helpers.present.flows import figure_text
from helpers.present.tables import styled


def week_table(weeks: pd.DataFrame) -> Styler:
    """Weekly figures that touch the period month, by their own dates.

    Args:
        weeks: A :func:`helpers.measures.period_weeks` frame (not empty).

    Returns:
        One row per week (its dates; a week that runs into the month before or after
        says so), one column per figure.
    """
    frame = weeks.copy()
    month = pd.Timestamp(frame["end"].max()).to_period("M")
    inside = ~frame["straddles"].astype(bool)
    if inside.any():
        month = frame.loc[inside, "start"].iloc[0].to_period("M")

    def week(row: pd.Series) -> str:
        text = formats.dates(row["start"], row["end"])
        if bool(row["straddles"]):
            other = (
                row["start"].to_period("M")
                if row["start"].to_period("M") != month
                else row["end"].to_period("M")
            )
            text += f" (part in {formats.month(other).split(' ')[0]})"
        return text

    frame["Week"] = frame.apply(week, axis=1)
    frame["name"] = [
        f"{formats.channel_name(c)} {formats.in_sentence(formats.metric_name(m))}"
        for c, m in zip(frame["channel"], frame["metric"], strict=True)
    ]
    wide = frame.pivot_table(
        index=["start", "Week"], columns="name", values="value", aggfunc="sum", sort=True
    )
    wide = wide.droplevel("start")
    wide.columns.name = None
    wide.index.name = "Week"
    caption = (
        f"Weekly figures in and around {formats.month(month)}, by their own dates (weeks "
        "that run into the month before or after are not in the month's totals)"
    )
    return styled(wide, caption, {c: figure_text for c in wide.columns})


def top_table(items: pd.DataFrame, what: str, item: str) -> Styler:
    """The items with the most of a metric, largest first, dated with their own days.

    Args:
        items: A :func:`helpers.measures.top_items` frame (not empty).
        what: What is counted, for the caption (``"Most viewed videos"``).
        item: Header of the items (``"Video"``, ``"Page"``).

    Returns:
        The table; its caption gives the dates, and says when the figures run on after
        the period month (a total over a longer range).
    """
    shown = items[items["measure"] == Measure.VALUE]
    total = items[items["measure"] == Measure.SUM]
    metric = formats.metric_name(str(items["metric"].iloc[0]))
    table = pd.DataFrame(
        {metric: shown["value"].to_numpy()}, index=pd.Index(shown["segment"], name=item)
    )
    first, last = shown["start"].min(), shown["end"].max()
    when = formats.days_covered(first, last) if first.month == last.month else None
    when = when or formats.dates(first, last)
    caption = f"{what}, {when}"
    count = int(items["items"].iloc[0])
    if count > len(shown):
        caption += f": the top {len(shown)} of {count}"
    if len(total):
        table.loc[f"All {count} together"] = float(total["value"].iloc[0])
    if bool(items["runs_past"].iloc[0]):
        caption += " (the whole range of the download, which runs on after the month)"
    return styled(table, caption, {metric: figure_text})

"""The period month's activity in words, a table and charts (:mod:`helpers.measures.flows`).

Every figure carries the days it covers, said one way everywhere
(:func:`helpers.present.formats.days_covered`: "1–21 March 2025 (21 of 31 days)"),
and a change is shown only between like and like: the month before and the year
before over the same days. A change that is withheld says why in the note under the
table. Post reach is a sum over posts (a person reached by two posts counts twice),
and is called so: "post reach, summed over 58 posts".

The functions that make sentences take plain records (dicts with the figure
columns), so the overview says the same of the headline figures the pages publish
as the pages say of their own frames.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from helpers.config import ALL_ACCOUNTS, METRICS, Metric
from helpers.measures.figures import Measure
from helpers.measures.flows import FLOW_ORDER, MONTH_BEFORE, THIS_MONTH, YEAR_BEFORE
from helpers.present import formats
from helpers.present.figure import Chart, describe
from helpers.present.tables import styled
from helpers.present.theme import (
    DPI,
    SOURCE_COLOUR,
    SOURCE_FONTSIZE,
    colour_of,
    count_axis,
    themed,
)

Record = Mapping[str, Any]
_EXPORT = re.compile(r"exports/([^;:]+)")


def _label(channel: str, metric: str) -> str:
    """``"Facebook reach"``, ``"Twitter impressions"``."""
    return f"{formats.channel_name(channel)} {formats.in_sentence(formats.metric_name(metric))}"


def _number(value: float, unit: str) -> str:
    if unit == "hours":
        return f"{float(value):,.1f} hours"
    return formats.count(value)


def _is_whole(record: Record) -> bool:
    start, end = pd.Timestamp(record["start"]), pd.Timestamp(record["end"])
    return start.is_month_start and end.is_month_end and start.month == end.month


def _when(record: Record, days: int | None = None) -> str:
    """``"in March 2025"`` or ``"over 1–21 March 2025 (21 of 31 days)"``."""
    text = formats.days_covered(record["start"], record["end"], days)
    return f"in {text}" if _is_whole(record) or "(" not in text else f"over {text}"


def _earlier_dates(change: Record, current: Record) -> str:
    """The dates of the earlier reading a change compares with (the same days of a month)."""
    first = pd.Timestamp(change["start"])
    if _is_whole(current):
        return formats.month(first)
    last = first + (pd.Timestamp(current["end"]) - pd.Timestamp(current["start"]))
    return formats.days_covered(first, last).split(" (")[0]


def _change_words(change: Record, current: Record) -> str:
    value = float(change["value"])
    if math.isnan(value):
        return ""
    if round(value, 1) == 0:
        return f"the same as {_earlier_dates(change, current)}"
    direction = "up" if value > 0 else "down"
    return f"{direction} {formats.percent(abs(value))} on {_earlier_dates(change, current)}"


def flow_sentence(
    current: Record, changes: Iterable[Record] = (), posts: float | None = None
) -> str:
    """One figure of the period month with its dates and its changes, in one sentence.

    Args:
        current: The period's reading (``channel``, ``metric``, ``start``, ``end``,
            ``value``, ``unit``; ``days`` when fewer than its dates span).
        changes: Its ``mom_pct_change`` / ``yoy_pct_change`` records (a ``nan`` value
            is left out).
        posts: The posts the figure adds up (post reach), for its label.

    Returns:
        E.g. "Facebook reach: 4,798 in March 2025, up 35.5% on February 2025."
    """
    metric = str(current["metric"])
    label = _label(str(current["channel"]), metric)
    if metric == Metric.POST_REACH and posts:
        label = f"{formats.channel_name(current['channel'])} post reach, summed over "
        label += f"{formats.count(posts)} posts"
    days = current.get("days")
    days = int(days) if days is not None and not pd.isna(days) else None
    text = f"{label}: {_number(current['value'], str(current.get('unit', '')))} "
    text += _when(current, days)
    order = {Measure.MOM_PCT_CHANGE: 0, Measure.YOY_PCT_CHANGE: 1}
    said = [
        _change_words(c, current)
        for c in sorted(changes, key=lambda c: order.get(str(c["measure"]), 2))
    ]
    said = [s for s in said if s]
    if said:
        text += ", " + " and ".join(said)
    return text + "."


def _frame(records: pd.DataFrame | Sequence[Record]) -> pd.DataFrame:
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    if frame.empty:
        return frame
    frame = frame.copy()
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _channel_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Each channel's own rows: its total where it has several accounts, else its account."""
    several = frame.groupby(["channel", "metric"])["account"].transform("nunique") > 1
    return frame[~several | (frame["account"] == ALL_ACCOUNTS)]


def _period_rows(frame: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """The period month's readings (``this month``).

    Headline records carry no ``compare``: there, the readings of a flow (a metric that
    adds up, a whole, not by segment) that lie inside the period month.
    """
    if "compare" in frame:
        return frame[(frame["compare"] == THIS_MONTH) & (frame["measure"] == Measure.VALUE)]
    if period is None:
        return frame.iloc[0:0]
    month = pd.Period(period, freq="M")
    additive = [name for name, spec in METRICS.items() if spec.additive]
    return frame[
        (frame["measure"] == Measure.VALUE)
        & frame["metric"].isin(additive)
        & (frame["segment"].fillna("") == "")
        & (frame["start"] >= month.start_time)
        & (frame["end"] <= month.end_time)
    ]


def _changes_of(frame: pd.DataFrame, row: pd.Series) -> list[Record]:
    changes = frame[
        frame["measure"].isin([Measure.MOM_PCT_CHANGE, Measure.YOY_PCT_CHANGE])
        & (frame["channel"] == row["channel"])
        & (frame["metric"] == row["metric"])
        & (frame["account"] == row["account"])
        & (frame["end"] == row["end"])
    ]
    return changes.to_dict("records")


def _posts_of(frame: pd.DataFrame, row: pd.Series) -> float | None:
    posts = frame[
        (frame["metric"] == Metric.POSTS)
        & (frame["channel"] == row["channel"])
        & (frame["account"] == row["account"])
        & (frame["start"] == row["start"])
        & (frame["end"] == row["end"])
        & (frame["measure"] == Measure.VALUE)
    ]
    return float(posts["value"].iloc[0]) if len(posts) else None


def _ordered(rows: pd.DataFrame, channels: Sequence[str] | None = None) -> pd.DataFrame:
    from helpers.config import CHANNELS

    order = list(channels or CHANNELS)
    rank = {m: i for i, m in enumerate(FLOW_ORDER)}
    return rows.assign(
        _c=rows["channel"].map(lambda c: order.index(c) if c in order else len(order)),
        _m=rows["metric"].map(lambda m: rank.get(m, len(rank))),
    ).sort_values(["_c", "_m"], kind="stable")


def flow_points(
    records: pd.DataFrame | Sequence[Record], per_channel: int = 1, period: str | None = None
) -> list[str]:
    """The leading figures of each channel's month, one sentence each.

    Args:
        records: A :func:`helpers.measures.period_flows` frame, or the headline
            records the pages published (the overview's; then give ``period``).
        per_channel: How many of each channel's figures (in
            :data:`helpers.measures.flows.FLOW_ORDER`) to say.
        period: The reporting month, for headline records.

    Returns:
        Sentences in the channels' order; none when there are no flows.
    """
    frame = _frame(records)
    if frame.empty or "measure" not in frame:
        return []
    rows = _ordered(_channel_wide(_period_rows(frame, period)))
    out = []
    for _, group in rows.groupby("channel", sort=False):
        for _, row in group.head(per_channel).iterrows():
            out.append(flow_sentence(row.to_dict(), _changes_of(frame, row), _posts_of(frame, row)))
    return out


def flow_sentences(flows: pd.DataFrame) -> list[str]:
    """The page's summary of the month: each channel's two leading figures, with post reach.

    Args:
        flows: A :func:`helpers.measures.period_flows` frame (not empty).

    Returns:
        Sentences; the last says how figures for part of a month are compared.
    """
    out = flow_points(flows, per_channel=2)
    rows = _ordered(_channel_wide(_period_rows(flows)))
    said = {tuple(s.split(":")[0:1]) for s in out}
    for _, row in rows[rows["metric"] == Metric.POST_REACH].iterrows():
        sentence = flow_sentence(row.to_dict(), _changes_of(flows, row), _posts_of(flows, row))
        if (sentence.split(":")[0],) not in said:
            out.append(sentence)
    if _period_rows(flows)["partial"].astype(bool).any():
        out.append(
            "Where the data cover part of a month, the month before and the year before are "
            "added up over the same days, so the changes compare like with like."
        )
    return out


def flow_table(flows: pd.DataFrame) -> Styler:
    """Each channel's figures for the month, the month before and a year before.

    Args:
        flows: A :func:`helpers.measures.period_flows` frame (not empty).

    Returns:
        The table: one row per channel and figure (the channel total where it has
        several accounts), with the days covered; a change that is withheld is ``–``
        (:func:`flow_notes` says why).
    """
    rows = _ordered(_channel_wide(_period_rows(flows)))
    period = rows["month"].iloc[0]
    before, year = period - 1, period - 12
    frame = _channel_wide(flows)
    records = []
    for _, row in rows.iterrows():
        same = frame[
            (frame["channel"] == row["channel"])
            & (frame["metric"] == row["metric"])
            & (frame["account"] == row["account"])
        ]

        def pick(compare: str, measure: str, same: pd.DataFrame = same) -> float:
            found = same[(same["compare"] == compare) & (same["measure"] == measure)]
            return float(found["value"].iloc[0]) if len(found) else math.nan

        label = formats.metric_name(row["metric"])
        posts = _posts_of(flows, row) if row["metric"] == Metric.POST_REACH else None
        if posts:
            label = f"Post reach (summed over {formats.count(posts)} posts)"
        channel = formats.channel_name(row["channel"])
        if bool(row["partial"]):
            covered = formats.days_covered(row["start"], row["end"], int(row["days"]))
            channel += f" ({covered.replace(' (', ', ').rstrip(')')})"
        records.append(
            {
                "Channel": channel,
                "Figure": label,
                formats.month(period): float(row["value"]),
                formats.month(before): pick(MONTH_BEFORE, Measure.VALUE),
                "Change on the month": pick(MONTH_BEFORE, Measure.MOM_PCT_CHANGE),
                formats.month(year): pick(YEAR_BEFORE, Measure.VALUE),
                "Change on the year": pick(YEAR_BEFORE, Measure.YOY_PCT_CHANGE),
            }
        )
    table = pd.DataFrame(records).set_index(["Channel", "Figure"])
    table = table.loc[:, table.notna().any()]  # no column of dashes only
    numbers = {c: figure_text for c in table.columns}
    numbers.update(
        {c: _signed for c in ("Change on the month", "Change on the year") if c in table}
    )
    caption = (
        f"Activity in {formats.month(period)}, the month before and a year before "
        "(a channel whose data cover part of the month: its days, and the same days before)"
        if rows["partial"].astype(bool).any()
        else f"Activity in {formats.month(period)}, the month before and a year before"
    )
    return styled(table, caption, numbers)


def several_accounts(flows: pd.DataFrame) -> pd.DataFrame:
    """The period month's readings of the channels that have several accounts, by account."""
    rows = _period_rows(flows)
    rows = rows[rows["account"] != ALL_ACCOUNTS]
    several = rows.groupby("channel")["account"].transform("nunique") > 1
    return rows[several]


def flow_accounts_table(flows: pd.DataFrame, per_channel: int = 3) -> Styler:
    """Each account's leading figures of the month, for channels with several accounts.

    Args:
        flows: A :func:`helpers.measures.period_flows` frame with such channels
            (:func:`several_accounts` not empty).
        per_channel: How many of each channel's figures (in
            :data:`helpers.measures.flows.FLOW_ORDER`) to show.

    Returns:
        One row per channel and account (the account's name as plain text), one column
        per figure; a channel whose data cover part of the month gives its days.
    """
    rows = _ordered(several_accounts(flows))
    period = rows["month"].iloc[0]
    keep = []
    for _, group in rows.groupby("channel", sort=False):
        metrics = list(dict.fromkeys(group["metric"]))[:per_channel]
        keep.append(group[group["metric"].isin(metrics)])
    shown = pd.concat(keep)
    labels = {}
    for _, row in shown.iterrows():
        name = formats.channel_name(row["channel"])
        if bool(row["partial"]):
            covered = formats.days_covered(row["start"], row["end"], int(row["days"]))
            name += f" ({covered.replace(' (', ', ').rstrip(')')})"
        labels[row["channel"]] = name
    shown = shown.assign(
        Channel=shown["channel"].map(labels),
        Account=shown["account"],
        figure=shown["metric"].map(formats.metric_name),
    )
    order = list(dict.fromkeys(shown["figure"]))
    table = shown.pivot_table(
        index=["Channel", "Account"], columns="figure", values="value", aggfunc="first", sort=False
    )[order]
    table.columns.name = None
    caption = f"Activity by account in {formats.month(period)}"
    return styled(table, caption, {c: figure_text for c in table.columns})


def figure_text(value: object) -> str:
    """A figure in a table: whole numbers with separators, others to one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return formats.MISSING
    number = float(value)  # type: ignore[arg-type]
    return formats.count(number) if number.is_integer() else f"{number:,.1f}"


def _signed(value: object) -> str:
    return formats.percent(value, signed=True)  # type: ignore[arg-type]


def flow_notes(flows: pd.DataFrame) -> str:
    """Why a change is not shown, one clause per reason (``""`` when every one is shown).

    Args:
        flows: A :func:`helpers.measures.period_flows` frame.

    Returns:
        Sentences such as "Changes not shown: Instagram on the month: the data hold
        nothing for February 2025; Force website on the month: weekly figures cannot
        be cut to the same days of another month."
    """
    frame = _channel_wide(flows)
    withheld = frame[frame["note"].astype(str) != ""]
    partial = (
        "Where the data cover part of a month, the month before and the year before are "
        "added up over the same days, so the changes compare like with like. "
        if _period_rows(frame)["partial"].astype(bool).any()
        else ""
    )
    if withheld.empty:
        return partial.strip()
    by_reason: dict[str, list[str]] = {}
    for _, row in withheld.iterrows():
        which = "on the month" if row["compare"] == MONTH_BEFORE else "on the year"
        reason = f"{which}: {row['note']}"
        names = by_reason.setdefault(reason, [])
        name = formats.channel_name(row["channel"])
        if name not in names:
            names.append(name)
    parts = [f"{formats.join(names)} {reason}" for reason, names in by_reason.items()]
    return partial + "Changes not shown: " + "; ".join(parts) + "."


def flow_source(frame: pd.DataFrame) -> str:
    """The source line of a chart of flows: the export files its figures add up."""
    files = sorted({m for s in frame["source"] for m in _EXPORT.findall(str(s))})
    if not files:
        return "Source: the project's data"
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return f"Source: platform exports ({shown}), daily or weekly figures added up by month"


def trend_channels(series: pd.DataFrame, least: int = 3) -> list[tuple[str, str]]:
    """The ``(channel, metric)`` each trend chart shows: each channel's leading flow.

    A channel is charted when its leading flow has figures in at least ``least``
    months (a trend shows), in the channels' order.
    """
    if series.empty:
        return []
    months = series.groupby(["channel", "metric"])["month"].nunique()
    keep = months[months >= least].reset_index()
    keep = _ordered(keep)
    return [
        (str(ch), str(group["metric"].iloc[0])) for ch, group in keep.groupby("channel", sort=False)
    ]


def month_labels(months: list[pd.Timestamp], partial: list[bool]) -> list[str]:
    """Tick labels of a chart by month: ``Mar``, and ``*`` for a partial month.

    The year goes under January and under the first month, unless January follows it
    (the two years would overlap).

    Args:
        months: The first day of each month, in order.
        partial: Whether the data cover each month only in part.
    """
    labels = []
    for i, (month, part) in enumerate(zip(months, partial, strict=True)):
        first = i == 0 and not (len(months) > 1 and months[1].month == 1)
        year = f"\n{month.year}" if first or month.month == 1 else ""
        labels.append(month.strftime("%b") + ("*" if part else "") + year)
    return labels


@themed
def flow_chart(
    series: pd.DataFrame, channel: str, metric: str, *, ax: Axes | None = None
) -> Figure | Axes:
    """One channel's flow month by month: a bar a month, months covered in part lighter.

    Args:
        series: A :func:`helpers.measures.flow_series` frame.
        channel: The channel.
        metric: The flow.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure, or the caller's axes.

    Raises:
        ValueError: If the series has no figures for the channel and metric.
    """
    rows = series[(series["channel"] == channel) & (series["metric"] == metric)]
    if rows.empty:
        raise ValueError(f"flow_chart: no {metric} figures for {channel}")
    rows = rows.sort_values("month")
    own = ax is None
    if own:
        fig = Chart(figsize=(8.0, 3.4), dpi=DPI, layout="constrained")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
    colour = colour_of(channel)
    partial = rows["partial"].astype(bool).to_numpy()
    x = np.arange(len(rows))
    ax.bar(x, rows["value"], color=colour, alpha=1.0, width=0.7)
    if partial.any():
        ax.bar(x[partial], rows["value"][partial], color="white", alpha=0.55, width=0.7)
    ax.set_xticks(x, month_labels(list(rows["month"]), partial.tolist()), rotation=0)
    count_axis(ax.yaxis)
    ax.grid(axis="x", visible=False)
    ax.set_ylim(bottom=0)
    ax.set_title(f"{_label(channel, metric)} by month", fontsize=11, fontweight="bold")
    ax.set_ylabel(formats.metric_name(metric), fontsize=10)
    ax.tick_params(labelsize=9)
    if own:
        note = flow_source(rows) + (
            "; * a month the data cover in part (lighter bar)" if partial.any() else ""
        )
        _note(fig, note)
        return describe(fig, _alt(rows, channel, metric))
    return ax


def _note(fig: Figure, text: str) -> None:
    """The source line under a figure, wrapped to its width, with room made for it."""
    lines = textwrap.wrap(" ".join(text.split()), 110)
    fig.text(
        0.01,
        0.005,
        "\n".join(lines),
        fontsize=SOURCE_FONTSIZE,
        color=SOURCE_COLOUR,
        ha="left",
        va="bottom",
        gid="source-note",
    )
    height = (len(lines) * SOURCE_FONTSIZE * 1.3 + 8) / 72 / fig.get_size_inches()[1]
    fig.get_layout_engine().set(rect=(0, height, 1, 1 - height))


def _alt(rows: pd.DataFrame, channel: str, metric: str) -> str:
    first, last = rows.iloc[0], rows.iloc[-1]
    peak = rows.loc[rows["value"].idxmax()]
    return (
        f"Bar chart of {_label(channel, metric)} by month, {formats.month(first['month'])} to "
        f"{formats.month(last['month'])}: {formats.count(first['value'])} in the first month, "
        f"{formats.count(last['value'])} in the last"
        + (" (part of the month)" if bool(last["partial"]) else "")
        + f", highest {formats.count(peak['value'])} in {formats.month(peak['month'])}."
    )


@themed
def flow_charts(series: pd.DataFrame) -> Figure:
    """Each channel's leading flow month by month, one panel a channel (small multiples).

    Args:
        series: A :func:`helpers.measures.flow_series` frame.

    Returns:
        A figure with a panel per channel that has at least three months of figures.

    Raises:
        ValueError: If no channel has three months of figures.
    """
    panels = trend_channels(series)
    if not panels:
        raise ValueError("flow_charts: no channel has three months of figures")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    columns = 1 if len(panels) == 1 else 2
    rows = math.ceil(len(panels) / columns)
    fig = Chart(figsize=(8.0, 0.4 + 2.7 * rows), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for (channel, metric), ax in zip(panels, axes, strict=False):
        flow_chart(series, channel, metric, ax=ax)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    shown = series[
        series.set_index(["channel", "metric"]).index.isin(pd.MultiIndex.from_tuples(panels))
    ]
    partial = shown["partial"].astype(bool).any()
    note = flow_source(shown) + ("; * a month the data cover in part" if partial else "")
    _note(fig, note)
    alts = [
        _alt(series[(series["channel"] == c) & (series["metric"] == m)].sort_values("month"), c, m)
        for c, m in panels
    ]
    return describe(fig, " ".join(alts))


def flow_tiles(flows: pd.DataFrame, series: pd.DataFrame) -> list:
    """A headline tile for each channel's leading figure of the month, with its trend.

    Args:
        flows: A :func:`helpers.measures.period_flows` frame.
        series: A :func:`helpers.measures.flow_series` frame (the sparklines).

    Returns:
        :class:`helpers.present.page.Tile` objects, in the channels' order.
    """
    from helpers.present.page import Tile

    if flows.empty:
        return []
    rows = _ordered(_channel_wide(_period_rows(flows)))
    tiles = []
    for channel, group in rows.groupby("channel", sort=False):
        row = group.iloc[0]
        change = [c for c in _changes_of(flows, row) if c["measure"] == Measure.MOM_PCT_CHANGE]
        pct = float(change[0]["value"]) if change else math.nan
        trend = series[(series["channel"] == channel) & (series["metric"] == row["metric"])]
        tiles.append(
            Tile(
                _label(str(channel), str(row["metric"])),
                float(row["value"]),
                str(row["unit"]),
                formats.days_covered(row["start"], row["end"], int(row["days"])),
                pct,
                f"on {_earlier_dates(change[0], row.to_dict())}" if change else "",
                tuple(float(v) for v in trend.sort_values("month")["value"]),
            )
        )
    return tiles

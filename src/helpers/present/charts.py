"""The briefings' charts: one call per chart of a figure frame, its alt text attached.

Each chart takes a figure frame from :mod:`helpers.measures`, picks the rows it shows
(accounts, not totals; the window's readings), draws them with a generic chart of
:mod:`helpers.present.primitives` in the house style of :mod:`helpers.present.theme`,
and describes the result in a sentence or two (the image's alt text). Given ``ax=``,
a chart draws on those axes and returns them; else it returns a figure of its own
that a notebook shows once, as a PNG with its alt text.

``with charts.theme(): ...`` gives a plot of one's own the same look.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import config
from helpers.present import formats
from helpers.present.figure import describe
from helpers.present.primitives import (
    bar_chart,
    grouped_change_chart,
    share_chart,
    trend_chart,
)
from helpers.present.theme import theme, themed

__all__ = [
    "audience_chart",
    "change_chart",
    "compare_chart",
    "count_bars",
    "device_chart",
    "engagement_chart",
    "projection_chart",
    "share_bars",
    "source_note",
    "theme",
    "total_chart",
    "traffic_chart",
]

_REPORT = "Lancashire Constabulary, Community Engagement Update Report (2015)"


def source_note(frame: pd.DataFrame) -> str:
    """The source line under a chart, from the ``source`` cells of the figures it shows."""
    files = sorted(
        {
            str(s).split(":")[0]
            for cell in frame.get("source", pd.Series(dtype=str))
            for s in str(cell).split("; ")
            if s
        }
    )
    report = [f for f in files if f.startswith(("report_2015/", "sum of", "monthly shares"))]
    exports = [f.removeprefix("exports/") for f in files if f.startswith("exports/")]
    parts = []
    if report:
        parts.append(_REPORT)
    if exports:
        shown = ", ".join(exports[:3]) + (
            f" and {len(exports) - 3} more" if len(exports) > 3 else ""
        )
        parts.append(f"platform exports ({shown})")
    return "Source: " + ("; ".join(parts) if parts else "the project's data")


def _span(frame: pd.DataFrame) -> str:
    return formats.dates(frame["start"].min(), frame["end"].max())


def _accounts(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a figure frame that are accounts, not totals (``is_total`` False)."""
    if "is_total" in frame:
        return frame[~frame["is_total"].astype(bool)]
    return frame[~frame["account"].isin([config.ALL_ACCOUNTS, "Sum of accounts"])]


def _described(result: Figure | Axes, alt: str) -> Figure | Axes:
    """Attach the alt text to a figure of the chart's own; the caller's axes as they are."""
    return describe(result, alt) if isinstance(result, Figure) else result


@themed
def audience_chart(
    levels: pd.DataFrame, label: str, account_kind: str = "account", *, ax: Axes | None = None
) -> Figure | Axes:
    """Each account's audience at every month-end with figures, one line per account.

    Lines join the readings there are (nothing is interpolated); totals
    (``is_total``) and readings before the window (``in_window`` False) are left out.

    Args:
        levels: An audience frame (:func:`helpers.measures.audience`).
        label: What is counted, e.g. ``"Facebook likes"``: the value axis label and
            the start of the title.
        account_kind: What the accounts are called in the title and alt text,
            ``"account"`` or ``"division"``; the lines are always the ``account``
            column's values.
        ax: Axes to draw on (the chart then returns them, without a source note);
            by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    sel = _accounts(levels)
    sel = sel[sel["in_window"].astype(bool) & (sel["measure"] == "value")]
    months = formats.months(sel["month"])
    result = trend_chart(
        sel,
        x="end",
        y="value",
        hue="account",
        title=f"{label} by {account_kind}, {months}",
        ylabel=label,
        source=source_note(sel),
        ax=ax,
    )
    latest = sel[sel["end"] == sel["end"].max()].sort_values("value", ascending=False)
    top = latest.iloc[0]
    return _described(
        result,
        f"Line chart of {formats.in_sentence(label)} by {account_kind} at each month-end with "
        f"figures ({months}). "
        f"On {formats.day(top['end'])} {top['account']} was largest with "
        f"{formats.count(top['value'])}.",
    )


@themed
def total_chart(
    levels: pd.DataFrame, label: str, account_kind: str = "account", *, ax: Axes | None = None
) -> Figure | Axes:
    """The channel total at every reading, including the year-earlier starting point.

    Args:
        levels: An audience frame (:func:`helpers.measures.audience`); its
            ``All accounts`` rows are drawn.
        label: What is counted, e.g. ``"Facebook likes"``.
        account_kind: What the parts of the total are, ``"account"`` or ``"division"``:
            the title says "all accounts" or "all divisions".
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    sel = levels[(levels["account"] == config.ALL_ACCOUNTS) & (levels["measure"] == "value")]
    months = formats.months(sel["month"])
    whole = f"all {account_kind}s"
    result = trend_chart(
        sel.assign(series=f"{label} ({whole})"),
        x="end",
        y="value",
        hue="series",
        title=f"{label}, {whole}, {formats.dates(sel['end'].min(), sel['end'].max())}",
        ylabel=label,
        source=source_note(sel),
        ax=ax,
    )
    first, last = sel.iloc[0], sel.iloc[-1]
    return _described(
        result,
        f"Line chart of {formats.in_sentence(label)} for {whole} ({months}): from "
        f"{formats.count(first['value'])} on {formats.day(first['end'])} to "
        f"{formats.count(last['value'])} on {formats.day(last['end'])}.",
    )


@themed
def change_chart(
    changes: pd.DataFrame, label: str, account_kind: str = "account", *, ax: Axes | None = None
) -> Figure | Axes:
    """Bars of each account's percentage change between its first and latest readings.

    Args:
        changes: An audience-change frame (:func:`helpers.measures.audience_change`);
            its ``pct_change`` rows of accounts (not totals) are drawn.
        label: What is counted, e.g. ``"Facebook likes"``.
        account_kind: What the accounts are called in the title and on the bar axis,
            ``"account"`` or ``"division"``.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    sel = _accounts(changes)
    sel = sel[sel["measure"] == "pct_change"]
    span = formats.between(sel["start"].min(), sel["end"].max())
    result = grouped_change_chart(
        sel,
        account_col="account",
        value_col="value",
        title=f"Growth in {formats.in_sentence(label)} by {account_kind} {span}",
        source=source_note(sel),
        xlabel="Change (%)",
        ylabel=account_kind.capitalize(),
        ax=ax,
    )
    ranked = sel.sort_values("value", ascending=False)
    return _described(
        result,
        f"Bar chart of the growth in {formats.in_sentence(label)} by {account_kind} {span}: "
        f"highest {ranked.iloc[0]['account']} {formats.percent(ranked.iloc[0]['value'])}, lowest "
        f"{ranked.iloc[-1]['account']} {formats.percent(ranked.iloc[-1]['value'])}.",
    )


@themed
def engagement_chart(frame: pd.DataFrame, *, ax: Axes | None = None) -> Figure | Axes:
    """Bars of the Facebook engagement rate by account.

    Args:
        frame: An engagement frame (:func:`helpers.measures.engagement`); its
            ``rate`` rows are drawn.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    rates = frame[frame["measure"] == "rate"]
    when = formats.dates(rates["start"].iloc[0], rates["end"].iloc[0])
    result = bar_chart(
        rates,
        x="account",
        y="value",
        hue="account",
        title=f"Facebook engagement rate by account, {when}",
        xlabel="Account",
        ylabel="Engagement rate (%)",
        source=source_note(rates),
        percent=True,
        ax=ax,
    )
    top = rates.sort_values("value", ascending=False).iloc[0]
    return _described(
        result,
        f"Bar chart of the Facebook engagement rate by account in {when}: {top['account']} "
        f"highest at {formats.percent(top['value'])}.",
    )


@themed
def traffic_chart(frame: pd.DataFrame, site: str, *, ax: Axes | None = None) -> Figure | Axes:
    """Monthly sessions and unique users, from zero.

    Args:
        frame: A traffic frame (:func:`helpers.measures.traffic`); its monthly
            ``sessions`` and ``users`` values are drawn.
        site: The site's name in the title, e.g. ``"Force website"``.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    monthly = frame[(frame["measure"] == "value") & frame["metric"].isin(["sessions", "users"])]
    monthly = monthly[monthly["start"].dt.to_period("M") == monthly["end"].dt.to_period("M")]
    names = {"sessions": "Sessions", "users": "Unique users"}
    data = monthly.assign(series=monthly["metric"].map(names), when=monthly["end"])
    span = _span(monthly)
    result = trend_chart(
        data,
        x="when",
        y="value",
        hue="series",
        title=f"{site} sessions and unique users by month, {span}",
        ylabel="Count per month",
        source=source_note(monthly),
        ax=ax,
    )
    sessions = monthly[monthly["metric"] == "sessions"].sort_values("value")
    top = sessions.iloc[-1]
    return _described(
        result,
        f"Line chart of monthly {site.lower()} sessions and unique users, {span}; sessions "
        f"peaked in {formats.month(top['start'])} at {formats.count(top['value'])}.",
    )


@themed
def device_chart(frame: pd.DataFrame, site: str, *, ax: Axes | None = None) -> Figure | Axes:
    """100% stacked bars of the device mix, one bar per month.

    Args:
        frame: A device-mix frame (:func:`helpers.measures.device_mix`); its
            monthly shares are drawn.
        site: The site's name in the title, e.g. ``"Force website"``.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    monthly = frame[frame["month"].notna()] if "month" in frame else frame
    monthly = monthly[monthly["start"].dt.to_period("M") == monthly["end"].dt.to_period("M")]
    data = monthly.assign(period=monthly["start"].dt.to_period("M").map(formats.short_month))
    span = _span(monthly)
    result = share_chart(
        data,
        period_col="period",
        segment_col="segment",
        title=f"{site} sessions by device, {span}",
        source=source_note(monthly),
        ylabel="Month",
        ax=ax,
    )
    last = data[data["start"] == data["start"].max()].sort_values("value", ascending=False).iloc[0]
    return _described(
        result,
        f"Stacked bar chart of the share of {site.lower()} sessions by device for each month, "
        f"{span}; in {formats.month(last['start'])} {last['segment']} had the largest share "
        f"({formats.share(last['value'])}).",
    )


@themed
def share_bars(
    frame: pd.DataFrame, title: str, label: str, *, ax: Axes | None = None
) -> Figure | Axes:
    """Horizontal bars of shares by segment over a range.

    Args:
        frame: A shares frame (:func:`helpers.measures.shares`), one row per segment.
        title: The title; the dates covered are added to it.
        label: Name of the segments, on their axis (e.g. ``"Source"``).
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    span = _span(frame)
    result = bar_chart(
        frame,
        x="segment",
        y="value",
        title=f"{title}, {span}",
        xlabel=label,
        ylabel="Share (%)",
        source=source_note(frame),
        percent=True,
        horizontal=True,
        ax=ax,
    )
    top = frame.sort_values("value", ascending=False).iloc[0]
    return _described(
        result,
        f"Bar chart of {title.lower()}, {span}: {top['segment']} largest at "
        f"{formats.share(top['value'])}.",
    )


@themed
def count_bars(
    frame: pd.DataFrame, title: str, label: str, value_label: str, *, ax: Axes | None = None
) -> Figure | Axes:
    """Horizontal bars of counts by segment (pages, forms), largest first.

    Args:
        frame: A segments frame (:func:`helpers.measures.segments`); its total row
            (measure ``sum``) is left out.
        title: The title; the dates covered are added to it.
        label: Name of the segments, on their axis (e.g. ``"Form"``).
        value_label: Name of the counts, on the value axis (e.g. ``"Forms submitted"``).
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    parts = frame[frame["measure"] != "sum"]
    span = _span(parts)
    result = bar_chart(
        parts,
        x="segment",
        y="value",
        title=f"{title}, {span}",
        xlabel=label,
        ylabel=value_label,
        source=source_note(parts),
        horizontal=True,
        ax=ax,
    )
    top = parts.iloc[0]
    return _described(
        result,
        f"Bar chart of {title.lower()}, {span}: {top['segment']} first with "
        f"{formats.count(top['value'])}.",
    )


@themed
def compare_chart(
    frames: dict[str, pd.DataFrame], title: str, *, ax: Axes | None = None
) -> Figure | Axes:
    """100% stacked bars comparing one breakdown across sites (one bar per site).

    Args:
        frames: Shares frames by site name, the subject first (e.g. ``{"Trust Ed":
            ..., "Force website": ...}``); empty frames are left out.
        title: The title; the dates covered are added to it.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    data = pd.concat([f.assign(site=name) for name, f in frames.items() if len(f)])
    span = _span(data)
    result = share_chart(
        data,
        period_col="site",
        segment_col="segment",
        title=f"{title}, {span}",
        source=source_note(data),
        ylabel="Site",
        ax=ax,
    )
    tops = [
        f"{name}: {f.sort_values('value').iloc[-1]['segment']} "
        f"({formats.share(f.sort_values('value').iloc[-1]['value'])})"
        for name, f in frames.items()
        if len(f)
    ]
    return _described(
        result, f"Stacked bar chart of {title.lower()}, {span}; largest " + "; ".join(tops) + "."
    )


@themed
def projection_chart(trend: object, label: str, *, ax: Axes | None = None) -> Figure | Axes:
    """The channel total's readings with the projection fan (80% and 95% ranges).

    Args:
        trend: A :class:`helpers.measures.Trend` with a projection
            (``trend.projection.table``).
        label: What is counted, e.g. ``"Facebook likes"``.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    series = trend.series  # type: ignore[attr-defined]
    table = trend.projection.table  # type: ignore[attr-defined]
    observed = pd.DataFrame({"end": series.index, "value": series.to_numpy(), "series": label})
    result = trend_chart(
        observed,
        x="end",
        y="value",
        hue="series",
        title=f"{label}, all accounts, with a projection to {formats.month(table['end'].iloc[-1])}",
        ylabel=label,
        source="Projection from the readings shown (log-linear trend, 80% and 95% ranges)",
        projection=table.assign(series=label),
        ax=ax,
    )
    last = table.iloc[-1]
    return _described(
        result,
        f"Line chart of {formats.in_sentence(label)} with a shaded projection: about "
        f"{formats.count(last['mean'])} by {formats.day(last['end'])}, 95% range "
        f"{formats.count(last['lo95'])} to {formats.count(last['hi95'])}.",
    )

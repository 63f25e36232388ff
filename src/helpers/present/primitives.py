"""Generic drawing: line, bar, stacked-share and change charts of any tidy-shaped frame.

The chart functions follow matplotlib's and seaborn's convention:

- given ``ax=``, a chart is drawn on those axes and the ``Axes`` is returned (the
  figure is the caller's, shown once by whatever shows the caller's figures);
- without it, a chart builds a :class:`~helpers.present.figure.Chart` (a
  :class:`matplotlib.figure.Figure` on its own canvas, shown by a notebook once, as a
  PNG carrying its alt text) and returns it.

Every function draws in the house style of :mod:`helpers.present.theme`.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers.present import formats
from helpers.present.figure import new_figure, require_columns, require_text
from helpers.present.theme import (
    LABEL_FONTSIZE,
    NOT_REPORTED_COLOUR,
    NOT_REPORTED_LABEL,
    PALETTE,
    bars_height,
    category_labels,
    colour_of,
    date_axis,
    finish,
    is_dates,
    legend_outside,
    palette_for,
    percent_axis,
    text_colour_on,
    themed,
    value_axis,
)

_SHARE_TOLERANCE = 0.1
_MIN_LABELLED_SHARE = 6.0  # percent: narrower segments are left unlabelled

# --- charts -----------------------------------------------------------------------------------


def _fan_anchor(series: pd.DataFrame, x: str, y: str, fan: pd.DataFrame) -> pd.DataFrame:
    """Start a projection at the last observed point so the fan joins the line."""
    observed = series.dropna(subset=[y])
    if observed.empty:
        return fan
    last = observed.loc[observed[x].idxmax()]
    if last[x] >= fan["end"].min():
        return fan
    anchor = {"end": last[x], **{c: last[y] for c in ("mean", "lo80", "hi80", "lo95", "hi95")}}
    return pd.concat([pd.DataFrame([anchor]), fan], ignore_index=True)


def _draw_fan(ax: Axes, fan: pd.DataFrame, colour: str) -> None:
    fan = fan.sort_values("end")
    ends = fan["end"].to_numpy()
    ax.fill_between(ends, fan["lo95"], fan["hi95"], color=colour, alpha=0.12, linewidth=0)
    ax.fill_between(ends, fan["lo80"], fan["hi80"], color=colour, alpha=0.25, linewidth=0)
    ax.plot(ends, fan["mean"], color=colour, linestyle="--", linewidth=1.8)


def _draw_lines(
    ax: Axes, groups: list, x: str, y: str, colours: dict[str, str], *, markers: bool
) -> tuple[list, list[str]]:
    """One line per group, joining its points in date order; the lines and their names."""
    handles: list = []
    for name, series in groups:
        series = series.sort_values(x)
        (line,) = ax.plot(
            series[x].to_numpy(),
            series[y].to_numpy(dtype=float),
            color=colours[str(name)],
            marker="o" if markers else None,
            label=str(name),
        )
        handles.append(line)
    return handles, [str(name) for name, _ in groups]


def _projection_handles() -> list:
    """Legend entries of a projection fan: its dashed mean and its two ranges."""
    return [
        Line2D([], [], color="#555555", linestyle="--", linewidth=1.8),
        Patch(facecolor="#555555", alpha=0.4, linewidth=0),
        Patch(facecolor="#555555", alpha=0.15, linewidth=0),
    ]


@themed
def trend_chart(
    data: pd.DataFrame,
    *,
    x: str = "end",
    y: str = "value",
    hue: str | None = "account",
    title: str,
    ylabel: str,
    source: str,
    xlabel: str = "Month",
    markers: bool = True,
    percent: bool = False,
    projection: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Figure | Axes:
    """Line chart of one series per ``hue`` over dates, observed points marked.

    Lines only join observed points (in date order); markers show where the data
    are, so sparse series (e.g. Feb, Jun and Sep only) are not mistaken for monthly
    ones. Rows with no value are left out.

    Args:
        data: Tidy-shaped rows with a date column ``x`` and a value column ``y``.
        x: Date column (``end`` of the tidy table).
        y: Value column.
        hue: Column naming the series (``account``); ``None`` for a single series.
        title: Chart title.
        ylabel: Value axis label with its unit, e.g. ``"Page likes (count)"``.
        source: Source note printed under the chart.
        xlabel: Date axis label.
        markers: Mark each observed point.
        percent: Values are percentages (axis as ``54%``); else counts (``1,169``).
        projection: Optional fan with columns ``end, mean, lo80, hi80, lo95, hi95``
            and, optionally, the ``hue`` column. Drawn as two shaded bands and a dashed
            mean line, labelled ``Projection`` in the legend.
        ax: Axes to draw on, e.g. one panel of a larger figure; by default the
            chart gets a figure of its own, with the source note under it.

    Returns:
        The figure; given ``ax``, those axes (the figure is the caller's).

    Raises:
        ValueError: If a column is missing, there are no rows or a text is empty.
    """
    require_text(title=title, ylabel=ylabel, xlabel=xlabel, source=source)
    require_columns(data, [x, y, hue], "trend_chart data")
    frame = data.assign(**{x: pd.to_datetime(data[x])}).dropna(subset=[y])
    if frame.empty:
        raise ValueError("trend_chart data: every value is missing")
    groups = list(frame.groupby(hue, sort=False)) if hue else [("", frame)]
    colours = palette_for(name for name, _ in groups) if hue else {"": PALETTE[0]}

    own_axes = ax is None
    fig, ax = new_figure(ax)
    handles, labels = _draw_lines(ax, groups, x, y, colours, markers=markers)
    if len(groups) == 1 and projection is None:  # one line: the title names it
        handles, labels = [], []
    elif not hue:
        labels = ["Observed"]

    dates = list(frame[x])
    if projection is not None:
        dates += _add_projection(ax, frame, projection, x=x, y=y, hue=hue, colours=colours)
        handles += _projection_handles()
        labels += ["Projection", "80% range", "95% range"]
    if handles:
        legend_outside(ax, handles, labels)
    date_axis(ax.xaxis, dates)
    value_axis(ax.yaxis, percent)
    ax.margins(x=0.04)
    if frame[y].min() >= 0 and (not percent or ax.get_ylim()[0] < 0):
        ax.set_ylim(bottom=0)  # counts are read against zero
    return finish(
        fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source, own_axes=own_axes
    )


def _add_projection(
    ax: Axes,
    observed: pd.DataFrame,
    projection: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None,
    colours: dict[str, str],
) -> list[pd.Timestamp]:
    """Draw the projection fan(s); return the dates they cover."""
    by_hue = hue is not None and hue in projection.columns
    require_columns(
        projection,
        ["end", "mean", "lo80", "hi80", "lo95", "hi95", hue if by_hue else None],
        "trend_chart projection",
    )
    fan = projection.assign(end=pd.to_datetime(projection["end"]))
    parts = [(str(n), f) for n, f in fan.groupby(hue, sort=False)] if by_hue else [("", fan)]
    for name, part in parts:
        if by_hue:
            series = observed[observed[hue].astype(str) == name]
            colour = colours.get(name, colour_of(name))
            part = _fan_anchor(series, x, y, part)
        elif len(colours) == 1:
            colour = next(iter(colours.values()))
            part = _fan_anchor(observed, x, y, part)
        else:  # one fan for several series: neutral colour, not tied to any line
            colour = "#555555"
        _draw_fan(ax, part, colour)
    return list(fan["end"])


def _bar_labels(ax: Axes, *, percent: bool) -> None:
    """Print each bar's value at its end: ``61,462`` or ``54.5%``."""
    for container in ax.containers:
        values = getattr(container, "datavalues", [])
        texts = [formats.percent(v, 1) if percent else formats.count(v) for v in values]
        ax.bar_label(container, labels=texts, padding=3, fontsize=LABEL_FONTSIZE)


def _one_row_each(data: pd.DataFrame, keys: list[str]) -> None:
    """Refuse bars that would be the mean of several rows (one row per bar, or an error)."""
    duplicated = data.duplicated(subset=keys)
    if duplicated.any():
        first = data.loc[duplicated, keys].iloc[0].tolist()
        raise ValueError(
            f"bar_chart data: more than one row for {dict(zip(keys, first, strict=True))}"
        )


@themed
def _seaborn() -> ModuleType:
    """The seaborn module, imported when a chart first needs it (a second of CPU to load)."""
    import seaborn

    return seaborn


def bar_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    hue: str | None = None,
    horizontal: bool = False,
    value_labels: bool = True,
    percent: bool = False,
    ax: Axes | None = None,
) -> Figure | Axes:
    """Bars of ``y`` per category ``x``, each bar labelled with its value.

    Labels follow the data columns: ``xlabel`` names the category axis and
    ``ylabel`` the value axis, whichever way the bars run. Categories keep the
    order of the rows; date categories read ``Sep 2015``. Pass ``hue=x`` to colour
    each category (e.g. account) with its own fixed colour.

    Args:
        data: One row per bar (per ``x`` and ``hue``).
        x: Category column.
        y: Value column.
        title: Chart title.
        xlabel: Category axis label.
        ylabel: Value axis label with its unit.
        source: Source note printed under the chart.
        hue: Optional column splitting each category into grouped bars.
        horizontal: Draw bars left to right (categories down the side).
        value_labels: Print each bar's value on it.
        percent: Values are percentages (``54.5%``); else counts (``61,462``).
        ax: Axes to draw on, e.g. one panel of a larger figure; by default the
            chart gets a figure of its own, with the source note under it.

    Returns:
        The figure; given ``ax``, those axes (the figure is the caller's).

    Raises:
        ValueError: If a column is missing, there are no rows, a text is empty or a
            bar would be the mean of several rows.
    """
    require_text(title=title, xlabel=xlabel, ylabel=ylabel, source=source)
    require_columns(data, [x, y, hue], "bar_chart data")
    _one_row_each(data, [x] if hue in (None, x) else [x, hue])
    frame = data.assign(**{x: category_labels(data[x])})
    if hue is not None and hue != x:
        frame[hue] = category_labels(data[hue])
    palette = palette_for(frame[hue]) if hue else None

    own_axes = ax is None
    fig, ax = new_figure(ax)
    _seaborn().barplot(
        data=frame,
        x=y if horizontal else x,
        y=x if horizontal else y,
        hue=hue,
        palette=palette,
        color=None if palette else PALETTE[0],
        orient="h" if horizontal else "v",
        errorbar=None,
        saturation=1.0,
        legend=hue not in (None, x),
        ax=ax,
    )
    values_on, categories_on = (ax.xaxis, "y") if horizontal else (ax.yaxis, "x")
    value_axis(values_on, percent)
    ax.grid(axis=categories_on, visible=False)
    if value_labels:
        _bar_labels(ax, percent=percent)
        ax.margins(**({"x": 0.12} if horizontal else {"y": 0.1}))
    if hue not in (None, x):
        handles, labels = ax.get_legend_handles_labels()
        legend_outside(ax, handles, labels)
    across, down = (ylabel, xlabel) if horizontal else (xlabel, ylabel)
    return finish(
        fig, ax, title=title, xlabel=across, ylabel=down, source=source, own_axes=own_axes
    )


def _share_table(
    data: pd.DataFrame, period_col: str, segment_col: str, value_col: str
) -> pd.DataFrame:
    """Periods as rows, segments as columns, remainders below 100 as 'Not reported'."""
    duplicated = data.duplicated(subset=[period_col, segment_col])
    if duplicated.any():
        first = data.loc[duplicated, [period_col, segment_col]].iloc[0].tolist()
        raise ValueError(f"share_chart data: more than one row for {first}")
    frame = data.assign(
        **{
            period_col: category_labels(data[period_col]),
            segment_col: data[segment_col].astype(str),
        }
    )
    table = frame.pivot(index=period_col, columns=segment_col, values=value_col)
    table = table.reindex(
        index=list(dict.fromkeys(frame[period_col])),
        columns=list(dict.fromkeys(frame[segment_col])),
    ).fillna(0.0)
    totals = table.sum(axis=1)
    over = totals[totals > 100 + _SHARE_TOLERANCE]
    if not over.empty:
        raise ValueError(
            f"share_chart data: shares of {over.index[0]!r} add up to {over.iloc[0]:.2f}, "
            "expected percentages adding up to 100 at most"
        )
    remainder = (100 - totals).where(lambda r: r > _SHARE_TOLERANCE, 0.0)
    if remainder.any():
        table[NOT_REPORTED_LABEL] = remainder
    return table


@themed
def share_chart(
    data: pd.DataFrame,
    *,
    period_col: str,
    segment_col: str,
    value_col: str = "value",
    title: str,
    source: str,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Figure | Axes:
    """100% stacked horizontal bars: the share of each segment per period (or per site).

    Values are percentages (``arithmetic.shares`` turns counts into them). A period
    whose shares add up to less than 100 (a breakdown listing only its top
    segments) gets a grey ``Not reported`` remainder, so nothing is rescaled.
    Periods run top to bottom in row order; segments keep their row order and
    fixed colours; segments of 6% or more are labelled with their share.

    Args:
        data: One row per period and segment.
        period_col: Column naming each bar: a month, or a site to compare sites.
        segment_col: Column naming the segments (``Desktop``, ``Mobile``...).
        value_col: Column of shares in percent.
        title: Chart title.
        source: Source note printed under the chart.
        ylabel: Label of the bar axis; defaults to ``Month`` when ``period_col``
            holds dates, else to the column name in sentence case.
        ax: Axes to draw on, e.g. one panel of a larger figure; by default the
            chart gets a figure of its own, with the source note under it.

    Returns:
        The figure; given ``ax``, those axes (the figure is the caller's).

    Raises:
        ValueError: If a column is missing, there are no rows, a text is empty, a
            period/segment pair repeats or a period's shares exceed 100.
    """
    require_text(title=title, source=source)
    require_columns(data, [period_col, segment_col, value_col], "share_chart data")
    table = _share_table(data, period_col, segment_col, value_col)
    if ylabel is None:
        is_date = is_dates(data[period_col])
        ylabel = "Month" if is_date else period_col.replace("_", " ").capitalize()
    colours = palette_for(c for c in table.columns if c != NOT_REPORTED_LABEL)
    colours[NOT_REPORTED_LABEL] = NOT_REPORTED_COLOUR

    own_axes = ax is None
    fig, ax = new_figure(ax, height=bars_height(len(table.index)))
    positions = np.arange(len(table.index))
    left = np.zeros(len(table.index))
    for segment in table.columns:
        widths = table[segment].to_numpy(dtype=float)
        bars = ax.barh(positions, widths, left=left, color=colours[segment], label=segment)
        texts = [formats.percent(w, 1) if w >= _MIN_LABELLED_SHARE else "" for w in widths]
        ax.bar_label(
            bars,
            labels=texts,
            label_type="center",
            fontsize=LABEL_FONTSIZE,
            color=text_colour_on(colours[segment]),
        )
        left += widths
    ax.set_yticks(positions, labels=list(table.index))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    percent_axis(ax.xaxis)
    ax.grid(axis="y", visible=False)
    handles, labels = ax.get_legend_handles_labels()
    legend_outside(ax, handles, labels)
    return finish(
        fig,
        ax,
        title=title,
        xlabel="Share (% of total)",
        ylabel=ylabel,
        source=source,
        own_axes=own_axes,
    )


@themed
def grouped_change_chart(
    data: pd.DataFrame,
    *,
    account_col: str,
    value_col: str,
    title: str,
    source: str,
    xlabel: str,
    ylabel: str = "Account",
    ax: Axes | None = None,
) -> Figure | Axes:
    """Horizontal bars of percentage change per account or division, largest on top.

    Each bar carries its change as ``+26.8%``; a line marks no change. Bars use the
    account's fixed colour.

    Args:
        data: One row per account with its change in percent.
        account_col: Column naming the account or division.
        value_col: Column of changes in percent (26.8 means +26.8%).
        title: Chart title.
        source: Source note printed under the chart.
        xlabel: Value axis label, e.g. ``"Change Feb to Sep 2015 (%)"``.
        ylabel: Account axis label.
        ax: Axes to draw on, e.g. one panel of a larger figure; by default the
            chart gets a figure of its own, with the source note under it.

    Returns:
        The figure; given ``ax``, those axes (the figure is the caller's).

    Raises:
        ValueError: If a column is missing, there are no rows, a text is empty or an
            account repeats.
    """
    require_text(title=title, source=source, xlabel=xlabel, ylabel=ylabel)
    require_columns(data, [account_col, value_col], "grouped_change_chart data")
    repeated = data[account_col][data[account_col].duplicated()]
    if not repeated.empty:
        raise ValueError(f"grouped_change_chart data: more than one row for {repeated.iloc[0]!r}")
    frame = data.dropna(subset=[value_col]).sort_values(value_col, ascending=False)
    if frame.empty:
        raise ValueError("grouped_change_chart data: every value is missing")
    names = frame[account_col].astype(str).tolist()
    values = frame[value_col].to_numpy(dtype=float)
    colours = palette_for(names)

    own_axes = ax is None
    fig, ax = new_figure(ax)
    positions = np.arange(len(names))
    bars = ax.barh(positions, values, color=[colours[n] for n in names])
    ax.bar_label(
        bars,
        labels=[formats.percent(v, 1, signed=True) for v in values],
        padding=3,
        fontsize=LABEL_FONTSIZE,
    )
    ax.set_yticks(positions, labels=names)
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", linewidth=0.8)
    low, high = min(0.0, values.min()), max(0.0, values.max())
    pad = 0.18 * (high - low or 1.0)
    ax.set_xlim(low - (pad if low < 0 else 0), high + (pad if high > 0 else 0))
    percent_axis(ax.xaxis, signed=True)
    ax.grid(axis="y", visible=False)
    return finish(
        fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source, own_axes=own_axes
    )

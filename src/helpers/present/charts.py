"""Charts for the briefings: one theme, one call per chart, figures returned.

Every chart function builds a :class:`matplotlib.figure.Figure` on its own Agg
canvas, without going through :mod:`matplotlib.pyplot`. That keeps the charts
independent of whichever backend a notebook runs (``inline`` in JupyterLab, none
under papermill), never opens a window and never shows a chart twice. Functions
return the figure; :func:`figure_html` turns it into a small embedded PNG for the
HTML briefing.

All charts share the same look (:func:`set_theme`): the Okabe–Ito colour-blind-safe
palette, readable font sizes, a light grid and no top/right spines. The same
account, channel or segment always gets the same colour (:func:`colour_for`).
Each chart carries a title, labelled axes, thousands separators on counts
(``1,169,461``), percentages as ``54%``, months as ``Sep 2015`` and a source note.
"""

from __future__ import annotations

import io
import math
import textwrap
import zlib
from collections.abc import Iterable, Sequence

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers import config
from helpers.present import formats

# --- palette ---------------------------------------------------------------------------------

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

#: The Okabe–Ito palette in its published order.
OKABE_ITO: tuple[str, ...] = (
    BLACK,
    ORANGE,
    SKY_BLUE,
    BLUISH_GREEN,
    YELLOW,
    BLUE,
    VERMILLION,
    REDDISH_PURPLE,
)

#: The theme's colour cycle: Okabe–Ito with black (kept for totals) moved to the end.
PALETTE: tuple[str, ...] = (*OKABE_ITO[1:], BLACK)

#: Colours given to names that have no fixed colour, chosen by a stable hash. Black is
#: kept for totals and yellow is left out because it is too pale for lines on white.
_HASH_COLOURS: tuple[str, ...] = (ORANGE, SKY_BLUE, BLUISH_GREEN, BLUE, VERMILLION, REDDISH_PURPLE)

#: Accounts in the order briefings list them, each with its fixed colour.
ACCOUNT_COLOURS: dict[str, str] = {
    "Lancs Police": BLUE,
    "Specialist": REDDISH_PURPLE,
    "West": ORANGE,
    "South": BLUISH_GREEN,
    "East": VERMILLION,
    "Cadets": SKY_BLUE,
    config.ALL_ACCOUNTS: BLACK,
}

#: Fixed colours of channels (by tidy name and display name) and common segments.
#: Names never shown together in one chart may share a colour.
_OTHER_COLOURS: dict[str, str] = {
    "facebook": BLUE,
    "twitter": SKY_BLUE,
    "instagram": REDDISH_PURPLE,
    "youtube": VERMILLION,
    "itk": BLUISH_GREEN,
    "website": ORANGE,
    "trusted2know": YELLOW,
    "all": BLACK,
    config.WEBSITE_ACCOUNT: BLUE,
    config.TRUSTED2KNOW_ACCOUNT: ORANGE,
    "Desktop": BLUE,
    "Mobile": ORANGE,
    "Tablet": BLUISH_GREEN,
    "Social": BLUE,
    "Organic Search": ORANGE,
    "Direct": BLUISH_GREEN,
    "Referral": REDDISH_PURPLE,
    "Other": SKY_BLUE,
}

#: Colour of the remainder segment of a breakdown that lists only some segments.
NOT_REPORTED_COLOUR = "#D9D9D9"
NOT_REPORTED_LABEL = "Not reported"

# --- sizes and text ---------------------------------------------------------------------------

FIGSIZE: tuple[float, float] = (8.0, 4.5)
DPI = 100
SOURCE_FONTSIZE = 8
SOURCE_COLOUR = "#595959"
GRID_COLOUR = "#E5E5E5"
_SOURCE_WRAP = 115  # characters per line of the source note at 8 pt across 8 in
_MAX_FIXED_DATE_TICKS = 8
_SHARE_TOLERANCE = 0.1
_MIN_LABELLED_SHARE = 6.0  # percent: narrower segments are left unlabelled
_QUANTIZE_MEAN_ERROR = 1.0  # mean absolute error per channel (0-255) a palette PNG may add
_QUANTIZE_PEAK_ERROR = 24  # error allowed on all but the worst 0.1% of channel values

_THEME_RC: dict[str, object] = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.titlepad": 10,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "legend.frameon": False,
    "grid.color": GRID_COLOUR,
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.5,
}

_STYLE = "whitegrid"
_CONTEXT = "notebook"


def _colour_key(name: object) -> str:
    return config.canonical_account(str(name))


def _build_fixed_colours() -> dict[str, str]:
    fixed = {_colour_key(name).casefold(): colour for name, colour in _OTHER_COLOURS.items()}
    fixed.update({label.casefold(): _OTHER_COLOURS[key] for key, label in config.CHANNELS.items()})
    fixed.update({name.casefold(): colour for name, colour in ACCOUNT_COLOURS.items()})
    return fixed


_FIXED_COLOURS: dict[str, str] = _build_fixed_colours()


def set_theme() -> None:
    """Apply the project theme to matplotlib (palette, fonts, grid, spines).

    This sets matplotlib's global settings, like :func:`seaborn.set_theme`. Chart
    functions call it themselves, so charts look the same whether or not a
    notebook called it first; a notebook's own matplotlib figures pick it up too.
    """
    sns.set_theme(context=_CONTEXT, style=_STYLE, palette=list(PALETTE), rc=_THEME_RC)


def colour_for(name: object) -> str:
    """Return the colour of an account, channel or segment, the same in every chart.

    Known accounts (``Lancs Police``, ``Specialist``, ``West``, ``South``, ``East``,
    ``Cadets``, ``All accounts``, also under the names the report uses such as
    ``West Division``), channels and common segments have fixed colours; any other
    name gets a palette colour chosen by a stable hash of the name.

    Args:
        name: The account, channel or segment name.

    Returns:
        A hex colour from the Okabe–Ito palette.
    """
    key = _colour_key(name).casefold()
    fixed = _FIXED_COLOURS.get(key)
    if fixed is not None:
        return fixed
    return _HASH_COLOURS[zlib.crc32(key.encode("utf-8")) % len(_HASH_COLOURS)]


def palette_for(names: Iterable[object]) -> dict[str, str]:
    """Colours for the names shown in one chart, keeping fixed colours and avoiding clashes.

    Names with a fixed colour keep it; other names get :func:`colour_for` unless that
    colour is already used in this chart, in which case they take the next free
    palette colour (in a stable order, so the same set of names always gets the
    same colours).

    Args:
        names: The names of one chart, in any order.

    Returns:
        Mapping of each distinct name (as a string) to its colour.
    """
    distinct = list(dict.fromkeys(str(n) for n in names))
    result = {n: colour_for(n) for n in distinct if _colour_key(n).casefold() in _FIXED_COLOURS}
    used = set(result.values())
    for name in sorted(n for n in distinct if n not in result):
        colour = colour_for(name)
        if colour in used:
            free = [c for c in (*_HASH_COLOURS, YELLOW, BLACK) if c not in used]
            colour = free[0] if free else colour
        result[name] = colour
        used.add(colour)
    return {n: result[n] for n in distinct}


# --- number formats ---------------------------------------------------------------------------


def _count_axis(axis: Axis) -> None:
    axis.set_major_locator(
        mticker.MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True)
    )
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _pos: formats.count(v)))


def _percent_axis(axis: Axis, *, signed: bool = False) -> None:
    if signed:
        axis.set_major_formatter(
            mticker.FuncFormatter(lambda v, _pos: formats.percent(v, 0, signed=True))
        )
    else:
        axis.set_major_formatter(mticker.PercentFormatter(xmax=100, decimals=0))


def _value_axis(axis: Axis, percent: bool) -> None:
    if percent:
        _percent_axis(axis)
    else:
        _count_axis(axis)


def _date_axis(axis: Axis, dates: Sequence[pd.Timestamp]) -> None:
    """Ticks at the observed dates when there are few, else at month ends; ``Sep 2015``."""
    distinct = sorted(set(pd.DatetimeIndex(dates)))
    if len(distinct) <= _MAX_FIXED_DATE_TICKS:
        axis.set_major_locator(mticker.FixedLocator(mdates.date2num(distinct)))
    else:
        months = (distinct[-1].to_period("M") - distinct[0].to_period("M")).n + 1
        interval = max(1, math.ceil(months / _MAX_FIXED_DATE_TICKS))
        axis.set_major_locator(mdates.MonthLocator(bymonthday=-1, interval=interval))
    axis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def _is_dates(values: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(values) or isinstance(values.dtype, pd.PeriodDtype)


def _category_labels(values: pd.Series) -> pd.Series:
    """Dates and months as ``Sep 2015`` for category axes; anything else as text."""
    return values.dt.strftime("%b %Y") if _is_dates(values) else values.astype(str)


# --- figure scaffolding -----------------------------------------------------------------------


def _require_text(**fields: str | None) -> None:
    for name, value in fields.items():
        if value is None or not str(value).strip():
            raise ValueError(f"{name} must be a non-empty string")


def _require_columns(data: pd.DataFrame, columns: Iterable[str | None], what: str) -> None:
    needed = [c for c in columns if c is not None]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise ValueError(
            f"{what}: expected columns {needed}, missing {missing} (found {list(data.columns)})"
        )
    if data.empty:
        raise ValueError(f"{what}: no rows to plot")


_TITLE_WRAP = 52


def _new_figure(ax: Axes | None = None) -> tuple[Figure, Axes]:
    """A new themed figure, or the figure of the axes the caller passed in."""
    set_theme()
    if ax is not None:
        return ax.get_figure(), ax
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _finish(
    fig: Figure,
    ax: Axes,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    own_axes: bool = True,
) -> Figure:
    """Title, axis labels and (on a figure of its own) the source note under the chart."""
    ax.set_title("\n".join(textwrap.wrap(title, _TITLE_WRAP)))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if not own_axes:
        return fig
    note = "\n".join(textwrap.wrap(" ".join(str(source).split()), _SOURCE_WRAP))
    lines = note.count("\n") + 1
    fig.text(
        0.01,
        0.01,
        note,
        ha="left",
        va="bottom",
        fontsize=SOURCE_FONTSIZE,
        color=SOURCE_COLOUR,
        gid="source-note",
    )
    bottom = (lines * SOURCE_FONTSIZE * 1.3 + 8) / 72 / FIGSIZE[1]
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    return fig


def _legend_outside(ax: Axes, handles: list, labels: list[str]) -> None:
    """Legend to the right of the plot, where it cannot hide data."""
    ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
    )


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
) -> Figure:
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
        The figure.

    Raises:
        ValueError: If a column is missing, there are no rows or a text is empty.
    """
    _require_text(title=title, ylabel=ylabel, xlabel=xlabel, source=source)
    _require_columns(data, [x, y, hue], "trend_chart data")
    frame = data.assign(**{x: pd.to_datetime(data[x])}).dropna(subset=[y])
    if frame.empty:
        raise ValueError("trend_chart data: every value is missing")
    groups = list(frame.groupby(hue, sort=False)) if hue else [("", frame)]
    colours = palette_for(name for name, _ in groups) if hue else {"": PALETTE[0]}

    own_axes = ax is None
    fig, ax = _new_figure(ax)
    handles: list = []
    labels: list[str] = []
    for name, series in groups:
        series = series.sort_values(x)
        (line,) = ax.plot(
            series[x].to_numpy(),
            series[y].to_numpy(dtype=float),
            color=colours[str(name)],
            marker="o" if markers else None,
            label=str(name),
        )
        if hue or projection is not None:
            handles.append(line)
            labels.append(str(name) if hue else "Observed")

    dates = list(frame[x])
    if projection is not None:
        dates += _add_projection(ax, frame, projection, x=x, y=y, hue=hue, colours=colours)
        handles += [
            Line2D([], [], color="#555555", linestyle="--", linewidth=1.8),
            Patch(facecolor="#555555", alpha=0.4, linewidth=0),
            Patch(facecolor="#555555", alpha=0.15, linewidth=0),
        ]
        labels += ["Projection", "80% range", "95% range"]
    if handles:
        _legend_outside(ax, handles, labels)
    _date_axis(ax.xaxis, dates)
    _value_axis(ax.yaxis, percent)
    ax.margins(x=0.04)
    if frame[y].min() >= 0 and (not percent or ax.get_ylim()[0] < 0):
        ax.set_ylim(bottom=0)  # counts are read against zero
    return _finish(
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
    _require_columns(
        projection,
        ["end", "mean", "lo80", "hi80", "lo95", "hi95", hue if by_hue else None],
        "trend_chart projection",
    )
    fan = projection.assign(end=pd.to_datetime(projection["end"]))
    parts = [(str(n), f) for n, f in fan.groupby(hue, sort=False)] if by_hue else [("", fan)]
    for name, part in parts:
        if by_hue:
            series = observed[observed[hue].astype(str) == name]
            colour = colours.get(name, colour_for(name))
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
        ax.bar_label(container, labels=texts, padding=3, fontsize=9)


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
) -> Figure:
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
        The figure.

    Raises:
        ValueError: If a column is missing, there are no rows, a text is empty or a
            bar would be the mean of several rows.
    """
    _require_text(title=title, xlabel=xlabel, ylabel=ylabel, source=source)
    _require_columns(data, [x, y, hue], "bar_chart data")
    keys = [x] if hue in (None, x) else [x, hue]
    duplicated = data.duplicated(subset=keys)
    if duplicated.any():
        first = data.loc[duplicated, keys].iloc[0].tolist()
        raise ValueError(
            f"bar_chart data: more than one row for {dict(zip(keys, first, strict=True))}"
        )
    frame = data.assign(**{x: _category_labels(data[x])})
    if hue is not None and hue != x:
        frame[hue] = _category_labels(data[hue])
    palette = palette_for(frame[hue]) if hue else None

    own_axes = ax is None
    fig, ax = _new_figure(ax)
    sns.barplot(
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
    value_axis, category_axis = (ax.xaxis, "y") if horizontal else (ax.yaxis, "x")
    _value_axis(value_axis, percent)
    ax.grid(axis=category_axis, visible=False)
    if value_labels:
        _bar_labels(ax, percent=percent)
        ax.margins(**({"x": 0.12} if horizontal else {"y": 0.1}))
    if hue not in (None, x):
        handles, labels = ax.get_legend_handles_labels()
        _legend_outside(ax, handles, labels)
    if horizontal:
        return _finish(
            fig, ax, title=title, xlabel=ylabel, ylabel=xlabel, source=source, own_axes=own_axes
        )
    return _finish(
        fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source, own_axes=own_axes
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
            period_col: _category_labels(data[period_col]),
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


def _text_colour(background: str) -> str:
    red, green, blue = (int(background.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "black" if luminance > 0.45 else "white"


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
) -> Figure:
    """100% stacked horizontal bars: the share of each segment per period (or per site).

    Values are percentages (``metrics.shares`` turns counts into them). A period
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
        The figure.

    Raises:
        ValueError: If a column is missing, there are no rows, a text is empty, a
            period/segment pair repeats or a period's shares exceed 100.
    """
    _require_text(title=title, source=source)
    _require_columns(data, [period_col, segment_col, value_col], "share_chart data")
    table = _share_table(data, period_col, segment_col, value_col)
    if ylabel is None:
        is_date = _is_dates(data[period_col])
        ylabel = "Month" if is_date else period_col.replace("_", " ").capitalize()
    colours = palette_for(c for c in table.columns if c != NOT_REPORTED_LABEL)
    colours[NOT_REPORTED_LABEL] = NOT_REPORTED_COLOUR

    own_axes = ax is None
    fig, ax = _new_figure(ax)
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
            fontsize=9,
            color=_text_colour(colours[segment]),
        )
        left += widths
    ax.set_yticks(positions, labels=list(table.index))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis)
    ax.grid(axis="y", visible=False)
    handles, labels = ax.get_legend_handles_labels()
    _legend_outside(ax, handles, labels)
    return _finish(
        fig,
        ax,
        title=title,
        xlabel="Share (% of total)",
        ylabel=ylabel,
        source=source,
        own_axes=own_axes,
    )


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
) -> Figure:
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
        The figure.

    Raises:
        ValueError: If a column is missing, there are no rows, a text is empty or an
            account repeats.
    """
    _require_text(title=title, source=source, xlabel=xlabel, ylabel=ylabel)
    _require_columns(data, [account_col, value_col], "grouped_change_chart data")
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
    fig, ax = _new_figure(ax)
    positions = np.arange(len(names))
    bars = ax.barh(positions, values, color=[colours[n] for n in names])
    ax.bar_label(
        bars,
        labels=[formats.percent(v, 1, signed=True) for v in values],
        padding=3,
        fontsize=9,
    )
    ax.set_yticks(positions, labels=names)
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", linewidth=0.8)
    low, high = min(0.0, values.min()), max(0.0, values.max())
    pad = 0.18 * (high - low or 1.0)
    ax.set_xlim(low - (pad if low < 0 else 0), high + (pad if high > 0 else 0))
    _percent_axis(ax.xaxis, signed=True)
    ax.grid(axis="y", visible=False)
    return _finish(
        fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source, own_axes=own_axes
    )


# --- alt text and display ----------------------------------------------------------------------

#: Pixels per inch of the PNG a notebook displays: sharp on high-density screens and
#: above 150 dpi when a briefing is printed.
DISPLAY_DPI = 150
_ALT = "alt_text"


def describe(fig: Figure, alt: str) -> Figure:
    """Attach a text alternative to a chart; it travels with the displayed image.

    The notebook shows the figure with ``alt`` in the image's display metadata, and
    the briefing step writes it into the page's ``<img alt>``.

    Args:
        fig: The chart.
        alt: What the chart shows, in a sentence or two.

    Returns:
        The same figure.

    Raises:
        ValueError: If ``alt`` is empty.
    """
    _require_text(alt=alt)
    setattr(fig, _ALT, " ".join(str(alt).split()))
    return fig


def alt_text(fig: Figure) -> str:
    """The text alternative attached by :func:`describe` (``""`` if none)."""
    return str(getattr(fig, _ALT, ""))


def png_with_metadata(fig: Figure) -> tuple[bytes, dict[str, object]]:
    """Render a chart for display: PNG bytes and metadata (size in CSS pixels, alt text)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DISPLAY_DPI, metadata={"Software": None})
    width, height = (float(v) * DPI for v in fig.get_size_inches())
    metadata: dict[str, object] = {"width": round(width), "height": round(height)}
    if alt_text(fig):
        metadata["alt"] = alt_text(fig)
    return buffer.getvalue(), metadata


def register_display() -> None:
    """Show charts in notebooks as PNG with their alt text (no-op outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, png_with_metadata)


register_display()


# --- chart views of figure frames --------------------------------------------------------------

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


def audience_chart(levels: pd.DataFrame, noun: str, by: str, *, ax: Axes | None = None) -> Figure:
    """Each account's audience at every month-end with figures (lines join readings only)."""
    sel = levels[
        levels["in_window"].astype(bool)
        & (levels["measure"] == "value")
        & ~levels["account"].isin([config.ALL_ACCOUNTS, "Sum of accounts"])
    ]
    months = formats.months(sel["month"])
    fig = trend_chart(
        sel,
        x="end",
        y="value",
        hue="account",
        title=f"{noun} by {by}, {months}",
        ylabel=noun,
        source=source_note(sel),
        ax=ax,
    )
    latest = sel[sel["end"] == sel["end"].max()].sort_values("value", ascending=False)
    top = latest.iloc[0]
    return describe(
        fig,
        f"Line chart of {formats.in_sentence(noun)} by {by} at each month-end with figures "
        f"({months}). "
        f"On {formats.day(top['end'])} {top['account']} was largest with "
        f"{formats.count(top['value'])}.",
    )


def total_chart(levels: pd.DataFrame, noun: str, *, ax: Axes | None = None) -> Figure:
    """The channel total at every reading, including the year-earlier starting point."""
    sel = levels[(levels["account"] == config.ALL_ACCOUNTS) & (levels["measure"] == "value")]
    months = formats.months(sel["month"])
    fig = trend_chart(
        sel.assign(series=f"{noun} (all accounts)"),
        x="end",
        y="value",
        hue="series",
        title=f"{noun}, all accounts, {formats.dates(sel['end'].min(), sel['end'].max())}",
        ylabel=noun,
        source=source_note(sel),
        ax=ax,
    )
    first, last = sel.iloc[0], sel.iloc[-1]
    return describe(
        fig,
        f"Line chart of {formats.in_sentence(noun)} for all accounts ({months}): from "
        f"{formats.count(first['value'])} on {formats.day(first['end'])} to "
        f"{formats.count(last['value'])} on {formats.day(last['end'])}.",
    )


def change_chart(changes: pd.DataFrame, noun: str, by: str, *, ax: Axes | None = None) -> Figure:
    """Bars of each account's percentage change between its first and latest readings."""
    sel = changes[
        (changes["measure"] == "pct_change")
        & ~changes["account"].isin([config.ALL_ACCOUNTS, "Sum of accounts"])
    ]
    span = formats.between(sel["start"].min(), sel["end"].max())
    fig = grouped_change_chart(
        sel,
        account_col="account",
        value_col="value",
        title=f"Growth in {formats.in_sentence(noun)} by {by} {span}",
        source=source_note(sel),
        xlabel="Change (%)",
        ylabel=by.capitalize(),
        ax=ax,
    )
    ranked = sel.sort_values("value", ascending=False)
    return describe(
        fig,
        f"Bar chart of the growth in {formats.in_sentence(noun)} by {by} {span}: highest "
        f"{ranked.iloc[0]['account']} {formats.percent(ranked.iloc[0]['value'])}, lowest "
        f"{ranked.iloc[-1]['account']} {formats.percent(ranked.iloc[-1]['value'])}.",
    )


def engagement_chart(frame: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """Bars of the Facebook engagement rate by account."""
    rates = frame[frame["measure"] == "rate"]
    when = formats.dates(rates["start"].iloc[0], rates["end"].iloc[0])
    fig = bar_chart(
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
    return describe(
        fig,
        f"Bar chart of the Facebook engagement rate by account in {when}: {top['account']} "
        f"highest at {formats.percent(top['value'])}.",
    )


def traffic_chart(frame: pd.DataFrame, site: str, *, ax: Axes | None = None) -> Figure:
    """Monthly sessions and unique users, from zero."""
    monthly = frame[(frame["measure"] == "value") & frame["metric"].isin(["sessions", "users"])]
    monthly = monthly[monthly["start"].dt.to_period("M") == monthly["end"].dt.to_period("M")]
    names = {"sessions": "Sessions", "users": "Unique users"}
    data = monthly.assign(series=monthly["metric"].map(names), when=monthly["end"])
    span = _span(monthly)
    fig = trend_chart(
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
    return describe(
        fig,
        f"Line chart of monthly {site.lower()} sessions and unique users, {span}; sessions "
        f"peaked in {formats.month(top['start'])} at {formats.count(top['value'])}.",
    )


def device_chart(frame: pd.DataFrame, site: str, *, ax: Axes | None = None) -> Figure:
    """100% stacked bars of the device mix, one bar per month."""
    monthly = frame[frame["month"].notna()] if "month" in frame else frame
    monthly = monthly[monthly["start"].dt.to_period("M") == monthly["end"].dt.to_period("M")]
    data = monthly.assign(period=monthly["start"].dt.to_period("M").map(formats.short_month))
    span = _span(monthly)
    fig = share_chart(
        data,
        period_col="period",
        segment_col="segment",
        title=f"{site} sessions by device, {span}",
        source=source_note(monthly),
        ylabel="Month",
        ax=ax,
    )
    last = data[data["start"] == data["start"].max()].sort_values("value", ascending=False).iloc[0]
    return describe(
        fig,
        f"Stacked bar chart of the share of {site.lower()} sessions by device for each month, "
        f"{span}; in {formats.month(last['start'])} {last['segment']} had the largest share "
        f"({formats.percent(last['value'], 2)}).",
    )


def share_bars(frame: pd.DataFrame, title: str, label: str, *, ax: Axes | None = None) -> Figure:
    """Horizontal bars of shares by segment over a range."""
    span = _span(frame)
    fig = bar_chart(
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
    return describe(
        fig,
        f"Bar chart of {title.lower()}, {span}: {top['segment']} largest at "
        f"{formats.percent(top['value'], 2)}.",
    )


def count_bars(
    frame: pd.DataFrame, title: str, label: str, value_label: str, *, ax: Axes | None = None
) -> Figure:
    """Horizontal bars of counts by segment (pages, forms), largest first."""
    parts = frame[frame["measure"] != "sum"]
    span = _span(parts)
    fig = bar_chart(
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
    return describe(
        fig,
        f"Bar chart of {title.lower()}, {span}: {top['segment']} first with "
        f"{formats.count(top['value'])}.",
    )


def compare_chart(frames: dict[str, pd.DataFrame], title: str, *, ax: Axes | None = None) -> Figure:
    """100% stacked bars comparing one breakdown across sites (one bar per site)."""
    data = pd.concat([f.assign(site=name) for name, f in frames.items() if len(f)])
    span = _span(data)
    fig = share_chart(
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
        f"({formats.percent(f.sort_values('value').iloc[-1]['value'], 2)})"
        for name, f in frames.items()
        if len(f)
    ]
    return describe(
        fig, f"Stacked bar chart of {title.lower()}, {span}; largest " + "; ".join(tops) + "."
    )


def projection_chart(trend: object, noun: str, *, ax: Axes | None = None) -> Figure:
    """The channel total's readings with the projection fan (80% and 95% ranges)."""
    series = trend.series  # type: ignore[attr-defined]
    table = trend.projection.table  # type: ignore[attr-defined]
    observed = pd.DataFrame({"end": series.index, "value": series.to_numpy(), "series": noun})
    fig = trend_chart(
        observed,
        x="end",
        y="value",
        hue="series",
        title=f"{noun}, all accounts, with a projection to {formats.month(table['end'].iloc[-1])}",
        ylabel=noun,
        source="Projection from the readings shown (log-linear trend, 80% and 95% ranges)",
        projection=table.assign(series=noun),
        ax=ax,
    )
    last = table.iloc[-1]
    return describe(
        fig,
        f"Line chart of {formats.in_sentence(noun)} with a shaded projection: about "
        f"{formats.count(last['mean'])} by {formats.day(last['end'])}, 95% range "
        f"{formats.count(last['lo95'])} to {formats.count(last['hi95'])}.",
    )

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

import base64
import html
import io
import math
import textwrap
import zlib
from collections.abc import Iterable, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers import config

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


def format_count(value: float) -> str:
    """Format a count with thousands separators, e.g. ``1,169,461``."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:,.0f}"


def format_percent(value: float, decimals: int = 1, *, signed: bool = False) -> str:
    """Format a value in percent units, e.g. ``54.5%`` or ``+26.8%``."""
    if value is None or not math.isfinite(value):
        return ""
    if not signed:
        return f"{value:,.{decimals}f}%"
    text = f"{value:+,.{decimals}f}%"
    zero = f"{0:.{decimals}f}%"
    return zero if text[1:] == zero else text


def _count_axis(axis: Axis) -> None:
    axis.set_major_locator(
        mticker.MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True)
    )
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _pos: format_count(v)))


def _percent_axis(axis: Axis, *, signed: bool = False) -> None:
    if signed:
        axis.set_major_formatter(
            mticker.FuncFormatter(lambda v, _pos: format_percent(v, 0, signed=True))
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


_TITLE_WRAP = 60


def _new_figure() -> tuple[Figure, Axes]:
    set_theme()
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _finish(fig: Figure, ax: Axes, *, title: str, xlabel: str, ylabel: str, source: str) -> Figure:
    """Title, axis labels and the source note under the chart."""
    ax.set_title("\n".join(textwrap.wrap(title, _TITLE_WRAP)))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
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

    fig, ax = _new_figure()
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
    if frame[y].min() >= 0 and ax.get_ylim()[0] < 0:
        ax.set_ylim(bottom=0)
    return _finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


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
        texts = [format_percent(v, 1) if percent else format_count(v) for v in values]
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

    fig, ax = _new_figure()
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
        return _finish(fig, ax, title=title, xlabel=ylabel, ylabel=xlabel, source=source)
    return _finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


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

    fig, ax = _new_figure()
    positions = np.arange(len(table.index))
    left = np.zeros(len(table.index))
    for segment in table.columns:
        widths = table[segment].to_numpy(dtype=float)
        bars = ax.barh(positions, widths, left=left, color=colours[segment], label=segment)
        texts = [format_percent(w, 1) if w >= _MIN_LABELLED_SHARE else "" for w in widths]
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
    return _finish(fig, ax, title=title, xlabel="Share (% of total)", ylabel=ylabel, source=source)


def grouped_change_chart(
    data: pd.DataFrame,
    *,
    account_col: str,
    value_col: str,
    title: str,
    source: str,
    xlabel: str,
    ylabel: str = "Account",
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

    fig, ax = _new_figure()
    positions = np.arange(len(names))
    bars = ax.barh(positions, values, color=[colours[n] for n in names])
    ax.bar_label(
        bars,
        labels=[format_percent(v, 1, signed=True) for v in values],
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
    return _finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


# --- HTML embedding ---------------------------------------------------------------------------


def _looks_the_same(original: np.ndarray, reduced: np.ndarray) -> bool:
    """Whether a colour-reduced image stays within the tolerances of :func:`_quantized`."""
    error = np.abs(reduced.astype(np.int16) - original.astype(np.int16))
    return bool(
        error.mean() <= _QUANTIZE_MEAN_ERROR and np.percentile(error, 99.9) <= _QUANTIZE_PEAK_ERROR
    )


def _quantized(png: bytes) -> bytes:
    """Re-save a PNG optimised, as a 256-colour palette image when that looks the same.

    Charts hold a few flat colours plus anti-aliased edges, so a 256-colour
    palette without dithering usually reproduces them almost exactly at half the
    size or less. The palette version is used only if its pixels stay within
    small tolerances of the original; the smallest acceptable encoding wins.
    """
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow ships with matplotlib
        return png
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    if _looks_the_same(np.asarray(rgb), np.asarray(palette.convert("RGB"))):
        reduced = palette
    else:
        reduced = rgb
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return min(png, out.getvalue(), key=len)


def figure_png(fig: Figure) -> bytes:
    """Render a figure to a compact PNG at screen resolution (100 dpi).

    Args:
        fig: The figure.

    Returns:
        The PNG bytes, optimised and, where it looks the same, reduced to 256 colours.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return _quantized(buffer.getvalue())


def _png_size(png: bytes) -> tuple[int, int]:
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    return width, height


def figure_html(fig: Figure, *, alt: str, caption: str | None = None) -> HTML:
    """Embed a figure in HTML as a base64 PNG with alt text and an optional caption.

    The figure is closed afterwards to free its memory. Alt text and caption are
    escaped, so text taken from data cannot inject markup.

    Args:
        fig: The figure (from one of the chart functions).
        alt: Text alternative describing what the chart shows; required.
        caption: Optional caption shown under the chart.

    Returns:
        ``<figure class="chart"><img ...><figcaption>...</figcaption></figure>`` as
        an IPython HTML object.

    Raises:
        ValueError: If ``alt`` is empty.
    """
    if alt is None or not str(alt).strip():
        raise ValueError("alt must be a non-empty description of the chart")
    try:
        png = figure_png(fig)
    finally:
        plt.close(fig)
    width, height = _png_size(png)
    data = base64.b64encode(png).decode("ascii")
    img = (
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(str(alt).strip())}" '
        f'width="{width}" height="{height}">'
    )
    figcaption = (
        f"<figcaption>{html.escape(str(caption))}</figcaption>"
        if caption is not None and str(caption).strip()
        else ""
    )
    return HTML(f'<figure class="chart">{img}{figcaption}</figure>')

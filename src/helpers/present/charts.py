"""Charts for the briefings: one theme, one call per chart, figures returned.

The chart functions follow matplotlib's and seaborn's convention:

- given ``ax=``, a chart is drawn on those axes and the ``Axes`` is returned (the
  figure is the caller's, shown once by whatever shows the caller's figures);
- without it, a chart builds a :class:`matplotlib.figure.Figure` on its own Agg
  canvas, without going through :mod:`matplotlib.pyplot`, and returns it: it never
  opens a window and a notebook shows it once, as the cell's result.

All charts share the same look: the Okabe–Ito colour-blind-safe palette, readable
font sizes, a light grid and no top/right spines. The look is applied inside each
chart function only (:func:`theme`, a :func:`matplotlib.rc_context`), never to
matplotlib's global settings, so an analyst's own plots keep their own style. The same
account, channel or segment always gets the same colour (:func:`colour_for`).
Each chart carries a title, labelled axes, thousands separators on counts
(``1,169,461``), percentages as ``54%``, months as ``Sep 2015`` and a source note.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import textwrap
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import matplotlib as mpl
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


def theme_rc() -> dict[str, Any]:
    """The project theme as matplotlib settings (palette, fonts, grid, spines).

    The same settings :func:`seaborn.set_theme` would apply globally
    (``whitegrid`` style, ``notebook`` context, the :data:`PALETTE` cycle and
    :data:`_THEME_RC`), returned instead of applied.

    Returns:
        A new dict of ``rcParams`` names and values.
    """
    return {
        "font.family": ["sans-serif"],
        "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans"],
        **sns.axes_style(_STYLE),
        **sns.plotting_context(_CONTEXT),
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
        "patch.facecolor": PALETTE[0],
        **_THEME_RC,
    }


@contextmanager
def theme() -> Iterator[None]:
    """Apply the project theme inside a ``with`` block only, like ``rc_context``.

    Every chart function draws inside it; an analyst can use it for a plot of their
    own that should look like the briefing's (``with charts.theme(): ...``).
    matplotlib's global settings are restored when the block ends.
    """
    with mpl.rc_context(theme_rc()):
        yield


_F = TypeVar("_F", bound=Callable[..., Any])


def themed(function: _F) -> _F:
    """Decorate a chart function so it draws inside :func:`theme`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with theme():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
    """A new figure (drawn in the theme), or the figure of the axes the caller passed in.

    On the caller's axes the theme's grid and spines are set on those axes only.
    """
    if ax is not None:
        ax.grid(True, color=GRID_COLOUR, linewidth=_THEME_RC["grid.linewidth"])
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return ax.get_figure(), ax
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _overlapping_ticks(ax: Axes, renderer: Any) -> list[float]:
    """Positions of date ticks whose label overlaps the label of the next tick."""
    low, high = sorted(ax.get_xlim())
    ticks = [
        (t.get_loc(), t.label1.get_window_extent(renderer))
        for t in ax.xaxis.get_major_ticks()
        if t.label1.get_visible() and t.label1.get_text() and low <= t.get_loc() <= high
    ]
    ticks.sort(key=lambda item: item[0])
    gap = 4.0  # pixels between two labels
    return [
        here for (here, box), (_, after) in itertools.pairwise(ticks) if box.x1 + gap > after.x0
    ]


def _fit(fig: Figure, ax: Axes, title: str) -> None:
    """Make the title and the date labels fit the figure.

    A title that runs off the figure is wrapped into shorter lines; a date tick whose
    label would overlap the next one is dropped (the latest date is always kept).
    """
    width = _TITLE_WRAP
    for _ in range(8):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        changed = False
        crowded = (
            _overlapping_ticks(ax, renderer)
            if isinstance(ax.xaxis.get_major_locator(), mticker.FixedLocator)
            else []
        )
        if crowded:
            kept = [loc for loc in ax.xaxis.get_major_locator().locs if loc not in crowded[:1]]
            ax.xaxis.set_major_locator(mticker.FixedLocator(kept))
            changed = True
        box, frame = ax.title.get_window_extent(renderer), fig.bbox
        if (box.x0 < frame.x0 or box.x1 > frame.x1) and width > 20:
            width -= 6
            ax.set_title("\n".join(textwrap.wrap(title, width)))
            changed = True
        if not changed:
            return


def _finish(
    fig: Figure,
    ax: Axes,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    own_axes: bool = True,
) -> Figure | Axes:
    """Title, axis labels and (on a figure of its own) the source note under the chart.

    Returns the figure when the chart made its own, else the caller's axes.
    """
    ax.set_title("\n".join(textwrap.wrap(title, _TITLE_WRAP)))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if not own_axes:
        _fit(fig, ax, title)
        return ax
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
    _fit(fig, ax, title)
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


@themed
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
        The figure; given ``ax``, those axes (the figure is the caller's).

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
    with theme():
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
def total_chart(levels: pd.DataFrame, label: str, *, ax: Axes | None = None) -> Figure | Axes:
    """The channel total at every reading, including the year-earlier starting point.

    Args:
        levels: An audience frame (:func:`helpers.measures.audience`); its
            ``All accounts`` rows are drawn.
        label: What is counted, e.g. ``"Facebook likes"``.
        ax: Axes to draw on; by default the chart gets a figure of its own.

    Returns:
        The figure; given ``ax``, those axes.
    """
    sel = levels[(levels["account"] == config.ALL_ACCOUNTS) & (levels["measure"] == "value")]
    months = formats.months(sel["month"])
    result = trend_chart(
        sel.assign(series=f"{label} (all accounts)"),
        x="end",
        y="value",
        hue="series",
        title=f"{label}, all accounts, {formats.dates(sel['end'].min(), sel['end'].max())}",
        ylabel=label,
        source=source_note(sel),
        ax=ax,
    )
    first, last = sel.iloc[0], sel.iloc[-1]
    return _described(
        result,
        f"Line chart of {formats.in_sentence(label)} for all accounts ({months}): from "
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
        f"({formats.percent(last['value'], 2)}).",
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
        f"{formats.percent(top['value'], 2)}.",
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
        f"({formats.percent(f.sort_values('value').iloc[-1]['value'], 2)})"
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

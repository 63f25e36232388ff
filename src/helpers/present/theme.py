"""The briefings' house style: palette, fixed colours, fonts, axis formats and labels.

All charts share the same look: the Okabe–Ito colour-blind-safe palette, readable
font sizes, a light grid and no top/right spines. The look is applied inside each
chart function only (:func:`theme`, a :func:`matplotlib.rc_context`), never to
matplotlib's global settings, so an analyst's own plots keep their own style. The same
account, channel or segment always gets the same colour (:func:`colour_of`, the one
place a name's colour is looked up). Each chart carries a title, labelled axes,
thousands separators on counts (``1,169,461``), percentages as ``54%``, months as
``Sep 2015`` and a source note (:func:`finish`).
"""

from __future__ import annotations

import functools
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
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure

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


#: Fixed colours of channels, by their tidy name (:class:`helpers.config.Channel`); a
#: channel's display name (:data:`helpers.config.CHANNELS`) has the same colour. A
#: channel missing here gets a stable palette colour instead (:func:`colour_of`).
def channel_colours() -> dict[str, str]:
    """Fixed colours of the channels, from the channel registry (:data:`config.CHANNEL_SPECS`)."""
    return config.channel_colours()


#: Fixed colours of the sites (as accounts) and of common segments. Names never shown
#: together in one chart may share a colour.
SEGMENT_COLOURS: dict[str, str] = {
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

#: A chart's own size in inches: the board paper prints it at :data:`PRINT_SCALE` of
#: this (5.1 inches wide), the HTML page shows it at :data:`DPI` pixels an inch.
FIGSIZE: tuple[float, float] = (6.4, 2.8)
DPI = 100


def bars_height(bars: int) -> float:
    """The height of a chart of horizontal bars, in inches: a third of an inch a bar.

    Two bars need no chart of full height (:data:`FIGSIZE`), which is the most.
    """
    return min(FIGSIZE[1], 1.5 + 0.33 * bars)


#: The share of its own size a chart is printed at in the board paper (``pdf.py``).
PRINT_SCALE = config.CHART_PRINT_SCALE
#: The smallest text a chart carries, in points: printed at :data:`PRINT_SCALE` it
#: is 7.2 pt, and no chart text may print smaller than 7 pt.
MIN_FONT_PT = 9.0
#: The smallest a chart's text may be once printed, in points.
MIN_PRINTED_PT = 7.0
SOURCE_FONTSIZE = MIN_FONT_PT
#: Values printed on bars (``61,462``, ``54.5%``).
LABEL_FONTSIZE = MIN_FONT_PT
SOURCE_COLOUR = "#595959"
GRID_COLOUR = "#E5E5E5"
GRID_LINEWIDTH = 0.8
_SOURCE_WRAP = 96  # characters per line of the source note at 9 pt across 6.4 in
_MAX_FIXED_DATE_TICKS = 8
_THEME_RC: dict[str, object] = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlepad": 8,
    "axes.labelsize": 10,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.title_fontsize": 9.5,
    "font.size": 10,
    "legend.frameon": False,
    "grid.color": GRID_COLOUR,
    "grid.linewidth": GRID_LINEWIDTH,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.5,
}

_STYLE = "whitegrid"
_CONTEXT = "notebook"


def _fixed_colours() -> dict[str, str]:
    """Every fixed colour by casefolded name: segments, then channels, then accounts."""
    fixed = {config.canonical_account(n).casefold(): c for n, c in SEGMENT_COLOURS.items()}
    fixed.update({str(n).casefold(): c for n, c in channel_colours().items()})
    fixed.update({n.casefold(): c for n, c in ACCOUNT_COLOURS.items()})
    return fixed


def _colour_key(name: object) -> str:
    """The name a colour goes by: an account's canonical name or a channel's tidy name.

    Read from :mod:`helpers.config` when asked, so a channel added there needs nothing here.
    """
    key = config.canonical_account(str(name)).casefold()
    if key in {n.casefold() for n in ACCOUNT_COLOURS}:
        return key
    labels = {str(label).casefold(): str(c).casefold() for c, label in config.CHANNELS.items()}
    return labels.get(key, key)


def theme_rc() -> dict[str, Any]:
    """The project theme as matplotlib settings (palette, fonts, grid, spines).

    The same settings :func:`seaborn.set_theme` would apply globally
    (``whitegrid`` style, ``notebook`` context, the :data:`PALETTE` cycle and
    :data:`_THEME_RC`), returned instead of applied.

    Returns:
        A new dict of ``rcParams`` names and values.
    """
    import seaborn as sns  # with scipy.stats, a second of CPU to load: only when drawing

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


def colour_of(name: object) -> str:
    """Return the colour of an account, channel or segment, the same in every chart.

    Known accounts (``Lancs Police``, ``Specialist``, ``West``, ``South``, ``East``,
    ``Cadets``, ``All accounts``, also under the names the report uses such as
    ``West Division``), channels (by tidy or display name, :func:`channel_colours`)
    and common segments have fixed colours; any other name, a channel without a
    fixed colour included, gets a palette colour chosen by a stable hash of the name
    (a channel's display name by its tidy name, so both get the same colour).

    Args:
        name: The account, channel or segment name.

    Returns:
        A hex colour from the Okabe–Ito palette.
    """
    key = _colour_key(name)
    fixed = _fixed_colours().get(key)
    if fixed is not None:
        return fixed
    return _HASH_COLOURS[zlib.crc32(key.encode("utf-8")) % len(_HASH_COLOURS)]


def palette_for(names: Iterable[object]) -> dict[str, str]:
    """Colours for the names shown in one chart, keeping fixed colours and avoiding clashes.

    Names with a fixed colour keep it; other names get :func:`colour_of` unless that
    colour is already used in this chart, in which case they take the next free
    palette colour (in a stable order, so the same set of names always gets the
    same colours).

    Args:
        names: The names of one chart, in any order.

    Returns:
        Mapping of each distinct name (as a string) to its colour.
    """
    distinct = list(dict.fromkeys(str(n) for n in names))
    fixed = _fixed_colours()
    result = {n: colour_of(n) for n in distinct if _colour_key(n) in fixed}
    used = set(result.values())
    for name in sorted(n for n in distinct if n not in result):
        colour = colour_of(name)
        if colour in used:
            free = [c for c in (*_HASH_COLOURS, YELLOW, BLACK) if c not in used]
            colour = free[0] if free else colour
        result[name] = colour
        used.add(colour)
    return {n: result[n] for n in distinct}


# --- axis formats -----------------------------------------------------------------------------


def count_axis(axis: Axis) -> None:
    """Counts with thousands separators (``1,169``) at whole-number ticks."""
    axis.set_major_locator(
        mticker.MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True)
    )
    axis.set_major_formatter(
        mticker.FuncFormatter(lambda v, _pos: formats.count(v, millions=False))
    )


def percent_axis(axis: Axis, *, signed: bool = False) -> None:
    """Percentages as ``54%`` (signed: ``+26%``)."""
    if signed:
        axis.set_major_formatter(
            mticker.FuncFormatter(lambda v, _pos: formats.percent(v, 0, signed=True))
        )
    else:
        axis.set_major_formatter(mticker.PercentFormatter(xmax=100, decimals=0))


def value_axis(axis: Axis, percent: bool) -> None:
    """A value axis: percentages or counts."""
    if percent:
        percent_axis(axis)
    else:
        count_axis(axis)


def date_axis(axis: Axis, dates: Sequence[pd.Timestamp]) -> None:
    """Ticks at the observed dates when there are few, else at month ends; ``Sep 2015``."""
    distinct = sorted(set(pd.DatetimeIndex(dates)))
    if len(distinct) <= _MAX_FIXED_DATE_TICKS:
        axis.set_major_locator(mticker.FixedLocator(mdates.date2num(distinct)))
    else:
        months = (distinct[-1].to_period("M") - distinct[0].to_period("M")).n + 1
        interval = max(1, math.ceil(months / _MAX_FIXED_DATE_TICKS))
        axis.set_major_locator(mdates.MonthLocator(bymonthday=-1, interval=interval))
    axis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on a ``#RRGGBB`` background."""
    red, green, blue = (int(background.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "black" if luminance > 0.45 else "white"


def is_dates(values: pd.Series) -> bool:
    """Whether a column holds dates or months."""
    return pd.api.types.is_datetime64_any_dtype(values) or isinstance(values.dtype, pd.PeriodDtype)


def category_labels(values: pd.Series) -> pd.Series:
    """Dates and months as ``Sep 2015`` for category axes; anything else as text."""
    return values.dt.strftime("%b %Y") if is_dates(values) else values.astype(str)


# --- titles, labels and the source note ----------------------------------------------------

_TITLE_WRAP = 60


def _overlapping_ticks(ax: Axes, renderer: Any) -> list[float]:
    """Positions of date ticks whose label overlaps the label of the next tick."""
    low, high = sorted(ax.get_xlim())
    ticks = [
        (t.get_loc(), t.label1.get_window_extent(renderer))
        for t in ax.xaxis.get_major_ticks()
        if t.label1.get_visible() and t.label1.get_text() and low <= t.get_loc() <= high
    ]
    ticks.sort(key=lambda item: item[0])
    gap = renderer.points_to_pixels(3.0)  # a little white between two labels
    return [
        here for (here, box), (_, after) in itertools.pairwise(ticks) if box.x1 + gap > after.x0
    ]


def wrap_title(title: str, width: int) -> str:
    """A title in lines of at most ``width`` characters, its dates kept on one line.

    ``"Facebook likes, all accounts, 30 September 2014 to 31 October 2015"`` breaks
    after "all accounts," rather than inside the dates.
    """
    if len(title) <= width or ", " not in title:
        return "\n".join(textwrap.wrap(title, width))
    head, _, tail = title.rpartition(", ")
    if len(tail) > width or len(head) + 1 > width:
        return "\n".join(textwrap.wrap(title, width))
    return f"{head},\n{tail}"


def fit(fig: Figure, ax: Axes, title: str) -> None:
    """Make the title and the date labels fit the figure.

    A title that runs off the figure is wrapped into shorter lines. Date labels that
    would overlap are written month over year, then turned upright, so that every
    plotted reading keeps its label; only if they still overlap is a tick dropped
    (the latest date is always kept).
    """
    width = _TITLE_WRAP
    steps = [
        lambda: ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y")),
        lambda: ax.tick_params(axis="x", labelrotation=90),
    ]
    shown_dpi = config.CHART_PIXELS_PER_INCH  # text is measured as the PNG renders it
    own_dpi, fig.dpi = fig.dpi, shown_dpi
    try:
        _fit(fig, ax, title, width, steps)
    finally:
        fig.dpi = own_dpi


def _fit(fig: Figure, ax: Axes, title: str, width: int, steps: list) -> None:
    for _ in range(12):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        changed = False
        crowded = (
            _overlapping_ticks(ax, renderer)
            if isinstance(ax.xaxis.get_major_locator(), mticker.FixedLocator)
            else []
        )
        if crowded and steps:  # month over year, then upright: every label kept
            steps.pop(0)()
            changed = True
        elif crowded:
            kept = [loc for loc in ax.xaxis.get_major_locator().locs if loc not in crowded[:1]]
            ax.xaxis.set_major_locator(mticker.FixedLocator(kept))
            changed = True
        box, frame = ax.title.get_window_extent(renderer), fig.bbox
        if (box.x0 < frame.x0 or box.x1 > frame.x1) and width > 20:
            width -= 6
            ax.set_title(wrap_title(title, width))
            changed = True
        if not changed:
            return


def finish(
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
    ax.set_title(wrap_title(title, _TITLE_WRAP))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if not own_axes:
        fit(fig, ax, title)
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
    bottom = (lines * SOURCE_FONTSIZE * 1.3 + 8) / 72 / fig.get_size_inches()[1]
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    fit(fig, ax, title)
    return fig


def legend_outside(ax: Axes, handles: list, labels: list[str]) -> None:
    """Legend to the right of the plot, where it cannot hide data."""
    ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
    )

"""The chart object: a figure of its own, its alt text, and how a notebook shows it.

A chart without ``ax=`` is a :class:`Chart` (a :class:`matplotlib.figure.Figure`) on its
own Agg canvas, never through :mod:`matplotlib.pyplot`: it never opens a window, and a
notebook shows it once, as a PNG carrying its alt text (:meth:`Chart._ipython_display_`),
with nothing registered in IPython. :func:`describe` attaches the alt text, and the
briefing step writes it into the page's ``<img alt>``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import config
from helpers.present.theme import DPI, FIGSIZE, GRID_COLOUR, GRID_LINEWIDTH, theme

# --- figure scaffolding -----------------------------------------------------------------------


def require_text(**fields: str | None) -> None:
    """Refuse an empty title, label or source note, naming the argument."""
    for name, value in fields.items():
        if value is None or not str(value).strip():
            raise ValueError(f"{name} must be a non-empty string")


def require_columns(data: pd.DataFrame, columns: Iterable[str | None], what: str) -> None:
    """Refuse a frame without the chart's columns, or with no rows, naming what is missing."""
    needed = [c for c in columns if c is not None]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise ValueError(
            f"{what}: expected columns {needed}, missing {missing} (found {list(data.columns)})"
        )
    if data.empty:
        raise ValueError(f"{what}: no rows to plot")


# --- the chart object: alt text and display ---------------------------------------------------

#: Pixels per inch of the PNG a notebook displays: sharp on high-density screens and
#: above 150 dpi when a briefing is printed.
DISPLAY_DPI = config.CHART_PIXELS_PER_INCH
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
    require_text(alt=alt)
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


class Chart(Figure):
    """A chart's own figure, shown by a notebook once, as a PNG carrying its alt text.

    IPython asks the figure itself (:meth:`_ipython_display_`): nothing is registered
    with IPython, and other figures are shown however the notebook shows figures.
    """

    def _ipython_display_(self) -> None:
        from IPython.display import display

        png, metadata = png_with_metadata(self)
        bundle = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": repr(self)}
        display(bundle, metadata={"image/png": metadata}, raw=True)


def new_figure(ax: Axes | None = None, *, height: float | None = None) -> tuple[Figure, Axes]:
    """A new :class:`Chart` (drawn in the theme), or the figure of the caller's axes.

    On the caller's axes the theme's grid and spines are set on those axes only.

    Args:
        ax: The caller's axes, if any.
        height: The new chart's height in inches (default :data:`FIGSIZE`'s).
    """
    if ax is not None:
        ax.grid(True, color=GRID_COLOUR, linewidth=GRID_LINEWIDTH)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return ax.get_figure(), ax
    fig = Chart(figsize=(FIGSIZE[0], height or FIGSIZE[1]), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()

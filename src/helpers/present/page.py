"""Page furniture: key points, headline tiles with sparklines, and notes of what is absent.

Notebook cells tagged ``key-points`` and ``tiles`` are moved to the top of the
published page, cells tagged ``method`` into its collapsed "How these figures were
worked out" part, and a section whose only output is :func:`absent` is left out
of the page (its reason is listed once at the end). In JupyterLab every cell shows
where it is, so the analyst reads the notebook top to bottom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from helpers.config import ALL_ACCOUNTS
from helpers.measures.audiences import SUM_OF_ACCOUNTS
from helpers.measures.figures import Measure
from helpers.present import formats
from helpers.present.fragments import render
from helpers.present.narrative import escape
from helpers.tidy.published import ABSENT_MIME


def key_points(points: Sequence[str]) -> Markdown:
    """Key points as a Markdown list, most important first (empty points dropped).

    Args:
        points: Sentences, most important first; empty ones are dropped.

    Returns:
        A Markdown list.
    """
    items = [escape(p) for p in points if p]
    return Markdown("\n".join(f"- {p}" for p in items))


@dataclass(frozen=True)
class Absent:
    """A section with no figures for the period, and why (shown as one line)."""

    what: str
    reason: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        text = f"No {self.what} for this period: {self.reason}."
        return {
            ABSENT_MIME: {"what": self.what, "reason": self.reason},
            "text/markdown": text,
            "text/plain": text,
        }


def absent(what: str, reason: str) -> Absent:
    """Say that a section has no figures for the period (the page leaves it out).

    Args:
        what: What the section would show, e.g. ``"Facebook likes projection"``.
        reason: Why there is nothing, as a clause (``"there are none in ..."``).

    Returns:
        An object shown as one line; the published page leaves the section out.
    """
    return Absent(what, reason)


#: Width and height of a tile's sparkline, in pixels.
SPARK_SIZE = (96, 28)


def _spark_points(values: Sequence[float], width: int, height: int) -> str:
    """The sparkline's polyline points, drawn from zero ("" with fewer than two values)."""
    points = [v for v in values if v is not None and math.isfinite(v)]
    if len(points) < 2:
        return ""
    low, high = 0.0, max(points)
    span = (high - low) or 1.0
    step = width / (len(points) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(points)
    )


@dataclass(frozen=True)
class Tile:
    """One headline tile: a value, its change and date, and the series behind it.

    Attributes:
        label: What the figure is, e.g. ``"Facebook likes"``.
        value: The latest value.
        unit: Unit of the value (``count``, ``percent``).
        date: The value's own date (or the period it covers), in words.
        change: Percentage change, or ``nan`` if none.
        change_text: What the change compares, e.g. ``"in 12 months"``.
        series: Values for the sparkline (oldest first), drawn from zero.
        note: What the value is when it is not the sum of the figures beside it,
            e.g. a total stated by the source.
    """

    label: str
    value: float
    unit: str
    date: str
    change: float = math.nan
    change_text: str = ""
    series: tuple[float, ...] = ()
    note: str = ""


def _basis_note(latest: pd.Series, frame: pd.DataFrame) -> str:
    """Say that a channel total is a stated total, and what its accounts add up to."""
    if latest.get("basis") != "stated":
        return ""
    source = str(latest.get("source") or "")
    note = "the report's stated total" if source.startswith("report_") else "a stated total"
    summed = frame[
        (frame["account"] == SUM_OF_ACCOUNTS)
        & (frame["measure"] == Measure.VALUE)
        & (frame["end"] == latest["end"])
    ]
    if len(summed) and float(summed["value"].iloc[0]) != float(latest["value"]):
        note += f"; the accounts listed add up to {formats.count(summed['value'].iloc[0])}"
    return note[0].upper() + note[1:]


def tile(
    frame: pd.DataFrame,
    label: str,
    change_measure: str = Measure.YOY_PCT_CHANGE,
    series: pd.Series | None = None,
) -> Tile | None:
    """A tile from a channel total's change frame (``None`` when it has no value).

    Args:
        frame: An audience-change frame: the channel total's rows (account
            ``All accounts``) are shown, or the frame's own rows when it holds no
            channel total (one account). When the total is a stated one (column
            ``basis``) the tile says so, with what the accounts add up to on the
            same day if the frame holds the sum of the accounts.
        label: What the figure is.
        change_measure: The change shown (the change from the first reading when
            the frame has none of this measure).
        series: Values for the sparkline.

    Returns:
        The tile, or ``None`` when the frame has no value.
    """
    total = frame[frame["account"] == ALL_ACCOUNTS]
    if total.empty:  # the rows of one account, filtered by the caller
        total = frame
    value = total[total["measure"] == Measure.VALUE]
    if value.empty:
        return None
    latest = value.iloc[0]
    change = total[total["measure"] == change_measure]
    if change.empty:
        change = total[total["measure"] == Measure.PCT_CHANGE]
    pct, text = math.nan, ""
    if len(change):
        c = change.iloc[0]
        pct = float(c["value"])
        text = (
            f"since {formats.month(c['start'])}"
            if c["measure"] != Measure.YOY_PCT_CHANGE
            else (f"in the 12 months to {formats.month(c['end'])}")
        )
    return Tile(
        label,
        float(latest["value"]),
        str(latest["unit"]),
        formats.day(latest["end"]),
        pct,
        text,
        tuple(float(v) for v in (series if series is not None else [])),
        _basis_note(latest, frame),
    )


class Tiles:
    """A row of headline tiles (HTML in notebooks and pages, text elsewhere)."""

    def __init__(self, tiles: Sequence[Tile | None]) -> None:
        self.tiles = [t for t in tiles if t is not None]

    def to_frame(self) -> pd.DataFrame:
        """The tiles as a DataFrame."""
        return pd.DataFrame([t.__dict__ for t in self.tiles])

    def _repr_html_(self) -> str:
        width, height = SPARK_SIZE
        shown = []
        for t in self.tiles:
            finite = math.isfinite(t.change)
            shown.append(
                {
                    "label": t.label,
                    "value": formats.value(t.value, t.unit),
                    "arrow": ("▲" if t.change > 0 else "▼" if t.change < 0 else "▶")
                    if finite
                    else "",
                    "change": formats.percent(t.change, signed=True) if finite else "",
                    "change_text": t.change_text,
                    "date": t.date,
                    "note": t.note,
                    "spark": _spark_points(t.series, width, height),
                    "width": width,
                    "height": height,
                }
            )
        return str(render("page.html.j2", "tiles", shown))

    def __repr__(self) -> str:
        return "\n".join(
            f"{t.label}: {formats.value(t.value, t.unit)} ({t.date})"
            + (f"; {t.note[0].lower()}{t.note[1:]}" if t.note else "")
            for t in self.tiles
        )


def quality_link(anchor: str, period: str, output_dir: str = "") -> Markdown:
    """One sentence pointing to the period's data-quality page, with a link that works.

    In a briefing run (``output_dir`` set) the link is relative to the published page,
    which sits beside ``quality.html``. When exploring in JupyterLab (``output_dir``
    empty) it is relative to the notebook's folder (the kernel's working folder) and
    points at ``outputs/<period>/quality.html`` when a briefing of the period has been
    built; otherwise the sentence says how to build it instead of linking nowhere.

    Args:
        anchor: The section of the quality page, e.g. ``"facebook"``.
        period: The reporting month ``YYYY-MM``.
        output_dir: The notebook's ``output_dir`` parameter.

    Returns:
        Markdown.
    """
    import os
    from pathlib import Path

    from helpers import config

    lead = "All checks, of every channel, are on the"
    if output_dir:
        return Markdown(f"{lead} [data quality page](quality.html#{anchor}).")
    built = config.ROOT / "outputs" / period / "quality.html"
    if built.is_file():
        target = Path(os.path.relpath(built, Path.cwd())).as_posix()
        return Markdown(f"{lead} [data quality page]({target}#{anchor}) of {period}.")
    return Markdown(
        f"{lead} data quality page of each briefing; `make briefing PERIOD={period}` "
        f"builds the one of {period} (`outputs/{period}/quality.html`)."
    )

"""What a run will do: the periods with data and the checks made before any kernel starts.

A *period* is a month ``YYYY-MM`` for which the tidy table holds figures of a day, a
week or a month ending in it (:mod:`helpers.tidy.coverage`): a month-end snapshot
(followers on 30 September), a whole month's figure, or daily or weekly activity
figures (posts, reach, sessions) that stop before its end, a *partial* month: exports
often end mid-month, and the briefing says which days they cover. Mid-month
snapshots (18 November 2015), campaign figures and totals over a longer range (a
channel's lifetime, a year) do not make a period, and neither do a series' leading
zeros. A month with a paper (a commentary file) is always a period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import config
from helpers.briefing.run_errors import ParameterError
from helpers.errors import display_path
from helpers.layout import DataLayout
from helpers.tidy.coverage import default_period, periods_with_data
from helpers.tidy.periods import Window, month_label, reporting_window

#: The briefing notebooks (``notebooks/<name>.ipynb``), in the order the index lists them
#: (from :data:`helpers.config.CHANNEL_SPECS`).
BRIEFINGS: tuple[str, ...] = tuple(spec.name for spec in config.CHANNEL_SPECS)

#: The overview page's notebook (published as ``index.html``).
OVERVIEW = "overview"
#: The data-quality page's notebook (``quality.html``).
QUALITY = "quality"
#: The pages that summarise the channel pages, in the order they run after them: the
#: data-quality page reads their headline figures, the overview reads both.
SUMMARY_PAGES: tuple[str, ...] = (QUALITY, OVERVIEW)

#: Titles of the pages: the briefings', the overview's and the data-quality page's.
_TITLES: dict[str, str] = {
    **{spec.name: spec.title for spec in config.CHANNEL_SPECS},
    OVERVIEW: "Overview",
    QUALITY: "Data quality",
}


def page_file(name: str) -> str:
    """The HTML file a page's notebook is published as (the overview is ``index.html``)."""
    return "index.html" if name == OVERVIEW else f"{name}.html"


def briefing_title(name: str) -> str:
    """Return the title of a page, e.g. ``"In the Know"`` for ``itk``.

    Args:
        name: A briefing (notebook) name from :data:`BRIEFINGS`, or ``quality``.

    Returns:
        The title from :data:`helpers.config.CHANNEL_SPECS` (a channel's display
        name for other names).
    """
    return _TITLES.get(name) or config.CHANNELS.get(name, name)


def available_periods(tidy: pd.DataFrame, papers: Iterable[str] = ()) -> list[str]:
    """List the months that can be briefed, oldest first.

    Args:
        tidy: The tidy table.
        papers: Periods the analysts wrote a paper for (their commentary files,
            ``YYYY-MM``): each can be briefed, whatever its data.

    Returns:
        ``YYYY-MM`` months with figures of a day, a week or a month in them
        (:func:`helpers.tidy.coverage.periods_with_data`), or with a paper.
    """
    return periods_with_data(tidy, papers)


def latest_period(tidy: pd.DataFrame, papers: Iterable[str] = ()) -> str:
    """Return the month a run briefs when none is asked for.

    Args:
        tidy: The tidy table.
        papers: Periods with a paper (see :func:`available_periods`).

    Returns:
        The latest month that most channels' figures reach, or a later paper's
        month (:func:`helpers.tidy.coverage.default_period`).

    Raises:
        ParameterError: If no month can be briefed.
    """
    chosen = default_period(tidy, papers)
    if chosen is None:
        raise ParameterError(
            "the data has no figures of a day, a week or a month, so there is no period "
            "to brief; run `engagement data` after adding data"
        )
    return chosen.period


def parse_channels(channels: str | Iterable[str] | None) -> tuple[str, ...]:
    """Parse a briefing selection such as ``"social,itk"``.

    Args:
        channels: Comma-separated names, a list of names, or None for all briefings.

    Returns:
        The selected briefings in :data:`BRIEFINGS` order, without repeats.

    Raises:
        ParameterError: If a name is not a briefing.
    """
    if channels is None:
        return BRIEFINGS
    items = channels.split(",") if isinstance(channels, str) else list(channels)
    names = [item.strip().lower() for item in items if item.strip()]
    unknown = [n for n in names if n not in BRIEFINGS]
    if unknown:
        raise ParameterError(
            f"unknown channel {unknown[0]!r}; choose from {', '.join(BRIEFINGS)} "
            "(comma-separated, e.g. --channels social,website)"
        )
    if not names:
        raise ParameterError(f"no channel given; choose from {', '.join(BRIEFINGS)}")
    return tuple(b for b in BRIEFINGS if b in names)


def check_data_dir(data_dir: str | Path | DataLayout | None) -> DataLayout:
    """Return the layout of the data folder to use, refusing one that cannot be briefed.

    The run builds the layout here, once, from ``--data``; everything after it reads
    the folders the layout names.

    Args:
        data_dir: The project's ``data`` folder (holding ``raw/`` and ``processed/``) or
            its layout; None or ``""`` for the project's own.

    Returns:
        The folder's layout (absolute paths); a layout given is returned as it is.

    Raises:
        ParameterError: If the folder or both its ``raw/`` and ``processed/`` are missing,
            or if ``processed/`` was built from other raw files than those in ``raw/``
            (all or nothing: a briefing is never built from data that failed to build).
    """
    if isinstance(data_dir, DataLayout):
        return data_dir  # built and checked by this function already
    layout = DataLayout.from_data_dir(Path(data_dir).resolve() if data_dir else None)
    if not layout.data.is_dir():
        raise ParameterError(f"data folder {display_path(layout.data)} does not exist")
    if not layout.raw.is_dir() and not layout.tidy_parquet.is_file():
        raise ParameterError(
            f"data folder {display_path(layout.data)} has neither raw/ nor "
            f"processed/{layout.tidy_parquet.name}; expected the project's data folder"
        )
    from helpers.tidy.dataset import OUT_OF_DATE, processed_state

    if layout.raw.is_dir() and processed_state(layout) == OUT_OF_DATE:
        processed, raw = display_path(layout.processed), display_path(layout.raw)
        raise ParameterError(
            f"{processed}/ is out of date: {raw}/ "
            "changed since `engagement data` last succeeded; run `make data` (or `engagement "
            "data`) and fix what it reports, then run the briefings again"
        )
    return layout


@dataclass(frozen=True)
class Request:
    """A checked request for the briefings of one period.

    Attributes:
        period: The reporting month ``YYYY-MM``.
        start: The first month asked for, or None for the default window.
        window: The months the briefings cover.
        channels: The channel briefings to build, in :data:`BRIEFINGS` order.
        layout: The data folder the notebooks read, and its parts.
        notebooks: The notebook file of each page: the channel briefings, then
            :data:`SUMMARY_PAGES`.
        notes: What the plan chose and why (the default month, pages left out),
            printed before anything runs.
        force: The force's name, from the data folder's profile (``""`` if none).
    """

    period: str
    start: str | None
    window: Window
    channels: tuple[str, ...]
    layout: DataLayout
    notebooks: dict[str, Path]
    notes: tuple[str, ...] = ()
    force: str = ""

    @property
    def data_dir(self) -> Path:
        """The data folder the notebooks read (``--data``)."""
        return self.layout.data

    @property
    def pages(self) -> tuple[str, ...]:
        """Every page of the period in reading order: overview, channels, data quality."""
        return (OVERVIEW, *self.channels, QUALITY)

    @property
    def period_label(self) -> str:
        """The period in words, e.g. ``"September 2015"``."""
        return month_label(self.window.end)


def validate_request(
    period: str | None,
    start: str | None = None,
    channels: str | Sequence[str] | None = None,
    data_dir: str | Path | None = None,
    *,
    notebooks_dir: str | Path | None = None,
    available: Sequence[str] | None = None,
    today: dt.date | None = None,
    window: Window | None = None,
) -> Request:
    """Check a run request completely before any notebook is started.

    Args:
        period: The reporting month ``YYYY-MM``; None for the latest of ``available``.
        start: Optional first month ``YYYY-MM`` of the window.
        channels: Briefings to build (see :func:`parse_channels`); None for all.
        data_dir: The data folder; None for the project's.
        notebooks_dir: Folder of the briefing notebooks; None for the project's.
        available: Periods with data (:func:`available_periods`); when given, a
            period outside it is refused.
        today: Date to judge "future" against (defaults to today).
        window: The window of ``period`` and ``start`` when the caller parsed them
            already (a period is parsed into its window once).

    Returns:
        The checked request.

    Raises:
        PeriodError: If a month is malformed, in the future, or ``start`` is after it.
        ParameterError: If the period has no data, a channel is unknown, or the data
            folder or a notebook is missing.
    """
    if period is None:
        if not available:
            raise ParameterError("no period given and the data has no month-end figures")
        period = available[-1]
    if window is None:
        window = reporting_window(period, start, today=today)
    period = str(window.end)
    if available is not None and period not in available:
        listed = ", ".join(available) if available else "none"
        raise ParameterError(f"the data has no figures for {period}; periods with data: {listed}")
    selected = parse_channels(channels)
    layout = check_data_dir(data_dir)
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else config.NOTEBOOKS_DIR
    notebooks = {name: nb_dir / f"{name}.ipynb" for name in (*selected, *SUMMARY_PAGES)}
    missing = [p for p in notebooks.values() if not p.is_file()]
    if missing:
        raise ParameterError(f"notebook {display_path(missing[0])} not found")
    from helpers.tidy.dataset import load_profile

    return Request(
        period=period,
        start=str(window.start) if start else None,
        window=window,
        channels=selected,
        layout=layout,
        notebooks=notebooks,
        force=load_profile(layout).name,
    )

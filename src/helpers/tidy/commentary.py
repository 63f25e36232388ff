"""The analysts' commentary as the layers above use it: :class:`Commentary`.

:func:`helpers.ingest.commentary.read_commentary` reads and checks the files;
:func:`helpers.tidy.dataset.load_commentary` returns them as a :class:`Commentary`.
A figure is written ``{{figure_id}}`` in the text and filled in by the presentation
layer through :func:`fill_figures`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from helpers.ingest.commentary import PAPER_PARTS, CommentaryFrames, commentary_frames
from helpers.ingest.commentary_text import PLACEHOLDER

#: The heading of the paper's last part: whom to contact, as the front matter states it.
CONTACT_HEADING = "Contact for further information"


@dataclass(frozen=True)
class Commentary:
    """The analysts' commentary of every period on file.

    Attributes:
        parts: One row per part, columns
            :data:`helpers.ingest.commentary.PART_COLUMNS`: ``period``
            (``YYYY-MM``), ``page`` (a key of
            :data:`helpers.ingest.commentary_text.PAGES`), ``part`` (the level-2
            heading; ``""`` for text right under the page heading), ``order`` (1, 2,
            ... within the page, as written), ``markdown`` (the text as written, with
            its ``{{figure_id}}`` placeholders; blank lines at either end removed) and
            ``source`` (``commentary/<file>:<line of the heading>``).
        figures: One row per declared figure, columns
            :data:`helpers.ingest.commentary.FIGURE_COLUMNS`:
            ``figure`` is the id used in the placeholders; ``start``/``end`` are
            timestamps (both the day it was reported on when the source gives the
            figure no dates); ``dated`` is False for such a figure; ``value`` is a
            float; ``source`` is ``commentary/<file>:<line of the declaration>``.
        periods: One row per file, columns
            :data:`helpers.ingest.commentary.PERIOD_COLUMNS`: ``decision`` is
            the decision line for the cover, ``issued`` the date of issue
            (``YYYY-MM-DD``), ``contact`` the contact line and ``implications``,
            ``plan``, ``restricted`` and ``background`` the paper's closing parts
            (:data:`helpers.ingest.commentary.PAPER_PARTS`; each ``""`` when not
            given: a paper without a date of issue is a draft).
    """

    parts: pd.DataFrame
    figures: pd.DataFrame
    periods: pd.DataFrame

    def for_period(self, period: str) -> Commentary:
        """The commentary of one period (empty frames when there is none)."""
        return Commentary(
            *(
                frame[frame["period"] == period].reset_index(drop=True)
                for frame in (self.parts, self.figures, self.periods)
            )
        )

    def decision(self, period: str) -> str:
        """The decision line of ``period`` (``""`` when not given)."""
        return self._field(period, "decision")

    def issued(self, period: str) -> str:
        """The date of issue of ``period``'s paper, ``YYYY-MM-DD`` (``""``: a draft)."""
        return self._field(period, "issued")

    def contact(self, period: str) -> str:
        """The contact line of ``period``'s paper (``""`` when not given)."""
        return self._field(period, "contact")

    def paper_parts(self, period: str) -> list[tuple[str, str]]:
        """The paper's closing parts the analysts wrote, in the paper's order.

        Implications, links to the Police & Crime Plan, reasons why restricted and
        background documents (each left out when not written), then the contact for
        further information as the front matter states it.

        Args:
            period: ``YYYY-MM``.

        Returns:
            ``(heading, text)`` pairs, plain text.
        """
        fields = [*PAPER_PARTS.items(), ("contact", CONTACT_HEADING)]
        parts = [(heading, self._field(period, key)) for key, heading in fields]
        return [(heading, text) for heading, text in parts if text]

    def _field(self, period: str, field: str) -> str:
        rows = self.periods[self.periods["period"] == period]
        return str(rows[field].iloc[0]) if not rows.empty else ""

    @classmethod
    def from_frames(cls, frames: CommentaryFrames) -> Commentary:
        """The commentary of the frames :func:`helpers.ingest.commentary.read_commentary` read."""
        return cls(frames.parts, frames.figures, frames.periods)


def empty_commentary() -> Commentary:
    """A commentary with no periods (a data folder without commentary files)."""
    return Commentary.from_frames(commentary_frames([], [], []))


def fill_figures(
    markdown: str, figures: pd.DataFrame, formatter: Callable[[pd.Series], str]
) -> str:
    """Replace each ``{{figure_id}}`` by its figure, formatted by ``formatter``.

    Pure: the Markdown is otherwise returned as written (rendering and sanitising
    are the presentation layer's). The formatter's text is inserted as it is.

    Args:
        markdown: A part's Markdown.
        figures: The figures of the same period (columns
            :data:`helpers.ingest.commentary.FIGURE_COLUMNS`;
            at least ``figure`` and what ``formatter`` reads).
        formatter: Called with one figure's row (``value``, ``qualifier``, ``unit``,
            ``metric``...); returns its text, e.g. ``"nearly 6,000"``.

    Returns:
        The Markdown with every placeholder replaced.

    Raises:
        ValueError: If a placeholder has no figure, or an id appears twice in
            ``figures`` (pass one period's figures).
    """
    if figures["figure"].duplicated().any():
        twice = figures.loc[figures["figure"].duplicated(), "figure"].iloc[0]
        raise ValueError(f"figure '{twice}' appears more than once; pass one period's figures")
    by_id = {row["figure"]: row for _, row in figures.iterrows()}

    def replace(match: re.Match[str]) -> str:
        fid = match.group(1)
        if fid not in by_id:
            raise ValueError(f"no figure '{fid}' for placeholder {match.group(0)}")
        return formatter(by_id[fid])

    return PLACEHOLDER.sub(replace, markdown)

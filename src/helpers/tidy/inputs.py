"""Everything one briefing reads, loaded and validated once: ``open_period``.

A notebook's first step is ``inputs = open_period(period, start, data_dir)``; every
later step takes its frames from ``inputs`` (``inputs.tidy``, ``inputs.window``...),
so nothing downstream reads a file. ``data_dir`` is honoured for every input.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.config import ALL_ACCOUNTS
from helpers.ingest.profile import ForceProfile
from helpers.ingest.report import read_campaigns, read_claims, read_date_assumptions
from helpers.layout import DataLayout
from helpers.tidy.commentary import Commentary, empty_commentary
from helpers.tidy.dataset import load_commentary, load_profile, load_reference, load_tidy
from helpers.tidy.periods import Window, reporting_window
from helpers.tidy.reference import division_residents
from helpers.tidy.select import monthly_rollup


@dataclass(frozen=True)
class PeriodInputs:
    """The validated inputs of one briefing period.

    Attributes:
        period: The reporting month ``YYYY-MM``.
        window: The months the briefing covers.
        tidy: The tidy table with monthly roll-ups of daily figures.
        claims: Figures an earlier report stated (to check).
        campaigns: Qualifiers and dating of quoted campaign figures.
        commentary: The analysts' commentary for this period.
        date_assumptions: Report tables whose dates the report does not state, and
            what is assumed (columns ``file, report_words, assumed, report_line``).
        residents: Residents by division (2011 Census), for per-resident figures.
        profile: The force's name, divisions, sites and page texts (``raw/force.yml``).
    """

    period: str
    window: Window
    tidy: pd.DataFrame
    claims: pd.DataFrame
    campaigns: pd.DataFrame
    commentary: Commentary
    residents: pd.DataFrame
    date_assumptions: pd.DataFrame
    profile: ForceProfile

    def site(self, channel: str) -> str:
        """The account of the web property a channel covers.

        The force profile names it (``sites:``); without it, the channel's account
        with the most rows in the tidy table, or ``""`` when it has none.
        """
        named = self.profile.site(channel)
        if named:
            return named
        accounts = self.tidy.loc[self.tidy["channel"] == channel, "account"]
        accounts = accounts[accounts != ALL_ACCOUNTS]
        return str(accounts.value_counts().index[0]) if len(accounts) else ""


def open_period(period: str, start: str | None = None, data_dir: str | Path = "") -> PeriodInputs:
    """Load and check everything a briefing for ``period`` uses.

    Args:
        period: Reporting month ``YYYY-MM`` (the end of the window).
        start: First month ``YYYY-MM``; by default the 12 months ending with ``period``.
        data_dir: The folder holding ``raw/`` and ``processed/``; ``""`` for the project's.

    Returns:
        The inputs.

    Raises:
        PeriodError: If the period or start is malformed or in the future.
        DataError: If an input file is malformed.
    """
    layout = DataLayout.from_data_dir(data_dir)
    window = reporting_window(period, start)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # stale processed data: rebuilt in memory
        tidy = monthly_rollup(load_tidy(layout))
    claims = known_by(load_claims(layout), window.last_day)
    campaigns = (
        read_campaigns(layout.report_2015)
        if layout.campaigns.is_file()
        else pd.DataFrame(columns=["source", "qualifier", "dated"])
    )
    commentary = load_commentary(layout) if layout.commentary.is_dir() else empty_commentary()
    profile = load_profile(layout)
    return PeriodInputs(
        period=str(window.end),
        window=window,
        tidy=tidy,
        claims=claims,
        campaigns=campaigns,
        commentary=commentary.for_period(str(window.end)),
        residents=division_residents(load_reference(layout), profile.divisions),
        date_assumptions=read_date_assumptions(layout.report_2015),
        profile=profile,
    )


def load_claims(data: str | Path | DataLayout = "") -> pd.DataFrame:
    """The figures reports state (``raw/as_reported/``), to check against the data.

    Args:
        data: The data folder (or its layout); ``""`` for the project's.

    Returns:
        The claims (no rows when the folder has no ``as_reported/``).
    """
    layout = data if isinstance(data, DataLayout) else DataLayout.from_data_dir(data or None)
    as_reported = layout.as_reported
    return read_claims(as_reported) if as_reported.is_dir() else read_claims(None).iloc[0:0]


def known_by(claims: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The claims stated on or before ``day``: what a paper of that time can check.

    A paper knows only what was known by its period's end: the report of 18 November
    2015 is checked in papers of November 2015 or later, never in an earlier one.

    Args:
        claims: Stated claims (:func:`load_claims`), with their ``reported`` day.
        day: The last day of the period.

    Returns:
        The claims reported by then.
    """
    if claims.empty:
        return claims
    return claims[pd.to_datetime(claims["reported"]) <= pd.Timestamp(day)].reset_index(drop=True)

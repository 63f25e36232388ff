"""Reporting periods and windows: parsing, month lists and gaps.

A *period* is a calendar month written ``YYYY-MM``. A *window* is the run of
months a briefing covers, ending at the reporting period. Months without data are
reported, never invented.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from helpers.errors import PeriodError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


def parse_month(text: str) -> pd.Period:
    """Parse ``YYYY-MM`` into a monthly period.

    Args:
        text: e.g. ``"2015-09"``.

    Returns:
        The month as a ``pandas.Period``.

    Raises:
        PeriodError: If the text is not a real ``YYYY-MM`` month.
    """
    match = _MONTH.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(f"period {text!r} is not a month written YYYY-MM (e.g. 2015-09)")
    return pd.Period(f"{match.group(1)}-{match.group(2)}", freq="M")


def parse_periods(text: str) -> list[pd.Period]:
    """Parse a month, a quarter or a range of months into the months it covers.

    Args:
        text: ``"2015-09"``, ``"2015Q3"`` or ``"2015-02..2015-09"``.

    Returns:
        The months covered, oldest first.

    Raises:
        PeriodError: If the text is none of these or a range runs backwards.
    """
    spec = str(text).strip()
    quarter = _QUARTER.match(spec)
    if quarter:
        q = pd.Period(f"{quarter.group(1)}Q{quarter.group(2)}", freq="Q")
        return list(pd.period_range(q.asfreq("M", "start"), q.asfreq("M", "end"), freq="M"))
    if ".." in spec:
        first, _, last = spec.partition("..")
        start, end = parse_month(first), parse_month(last)
        if start > end:
            raise PeriodError(f"range {spec!r} starts after it ends")
        return list(pd.period_range(start, end, freq="M"))
    return [parse_month(spec)]


@dataclass(frozen=True)
class Window:
    """The months a briefing covers, from ``start`` to ``end`` inclusive."""

    start: pd.Period
    end: pd.Period

    @property
    def months(self) -> list[pd.Period]:
        """Every month of the window, oldest first."""
        return list(pd.period_range(self.start, self.end, freq="M"))

    @property
    def first_day(self) -> pd.Timestamp:
        """The first day of the window."""
        return self.start.start_time.normalize()

    @property
    def last_day(self) -> pd.Timestamp:
        """The last day of the window."""
        return self.end.end_time.normalize()

    @property
    def label(self) -> str:
        """The window in words, e.g. ``"October 2014 to September 2015"``."""
        if self.start == self.end:
            return month_label(self.end)
        return f"{month_label(self.start)} to {month_label(self.end)}"

    def contains(self, day: pd.Timestamp) -> bool:
        """Whether a date falls inside the window."""
        return self.first_day <= pd.Timestamp(day) <= self.last_day


def reporting_window(
    period: str,
    start: str | None = None,
    months: int = 12,
    today: dt.date | None = None,
) -> Window:
    """Build the window of a briefing and refuse periods that cannot be reported.

    Args:
        period: The end month, ``YYYY-MM``.
        start: Optional first month, ``YYYY-MM``; by default the window is the
            ``months`` months ending with ``period`` (October 2014 to September
            2015 for ``2015-09``). Year-on-year changes look one month further back.
        months: Length of the default window in months.
        today: The date to judge "future" against (defaults to today).

    Returns:
        The window.

    Raises:
        PeriodError: If a month is malformed, the period has not ended yet, or
            ``start`` is after ``period``.
    """
    end = parse_month(period)
    today = today or dt.date.today()
    if end.end_time.date() > today:
        raise PeriodError(
            f"period {period} has not ended yet (today is {today.isoformat()}); "
            "choose a month that is over"
        )
    first = parse_month(start) if start else end - (months - 1)
    if first > end:
        raise PeriodError(f"start {start} is after the period {period}")
    return Window(first, end)


def month_label(month: pd.Period) -> str:
    """Return e.g. ``"September 2015"``."""
    return month.strftime("%B %Y")


def missing_months(observed: Iterable[pd.Period], window: Window) -> list[pd.Period]:
    """List the months between the first and last observation that have no data.

    Months before the first or after the last observation are not gaps: the series
    simply starts or stops there.

    Args:
        observed: Months that have a value.
        window: The briefing window.

    Returns:
        The months without data, oldest first.
    """
    inside = sorted({m for m in observed if window.start <= m <= window.end})
    if len(inside) < 2:
        return []
    have = set(inside)
    return [m for m in pd.period_range(inside[0], inside[-1], freq="M") if m not in have]


def describe_months(months: Iterable[pd.Period]) -> str:
    """Write a list of months as people do: ``"March, April and July 2015"``.

    Args:
        months: The months, in any order.

    Returns:
        The months grouped by year, or ``""`` for none.
    """
    ordered = sorted(set(months))
    if not ordered:
        return ""
    groups: list[str] = []
    for year in sorted({m.year for m in ordered}):
        names = [m.strftime("%B") for m in ordered if m.year == year]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        groups.append(f"{joined} {year}")
    return groups[0] if len(groups) == 1 else ", ".join(groups[:-1]) + " and " + groups[-1]

"""Checking and shaping the date-indexed series the analysis functions take.

Every analysis function takes a ``pandas.Series`` of values indexed by dates
(``Timestamp``; spacing may be irregular). Time is measured in months since the
first observation, fractional where the dates fall inside a month. Missing months
stay missing: nothing here fills or interpolates a gap.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from helpers.tidy.periods import describe_months, month_label

#: Fewest monthly readings from which growth is judged (is it slowing?
#: :mod:`~helpers.measures.saturation`) or projected (:mod:`~helpers.measures.forecast`):
#: one rule for both. A levelling-off (logistic) curve has 3 parameters, so its AICc
#: exists only from 5 readings; from fewer the comparison could never find growth
#: slowing, only "no sign" of it. The projection needs 6, so both use 6.
MIN_READINGS = 6


class SeriesError(ValueError):
    """A series that cannot be analysed as it is (the message says why)."""


def clean_series(series: pd.Series, name: str | None = None) -> pd.Series:
    """Check a date-indexed series and return it sorted, without missing values.

    Args:
        series: Values indexed by dates (anything ``pandas.to_datetime`` reads).
        name: How to call the series in error messages (defaults to its name).

    Returns:
        A float series with a ``DatetimeIndex``, oldest first, without ``NaN``.

    Raises:
        SeriesError: If the index is not dates, a date appears twice or a value
            is not a number.
    """
    label = name or (str(series.name) if series.name is not None else "the series")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # format inference on text dates
            index = pd.DatetimeIndex(pd.to_datetime(series.index))
    except (TypeError, ValueError) as exc:
        raise SeriesError(f"{label}: expected dates as the index ({exc})") from None
    if index.hasnans:
        raise SeriesError(f"{label}: expected a date for every value, found a missing date")
    try:
        values = pd.to_numeric(pd.Series(series.to_numpy(), index=index), errors="raise")
    except (TypeError, ValueError) as exc:
        raise SeriesError(f"{label}: expected numbers as values ({exc})") from None
    duplicated = index[index.duplicated()]
    if len(duplicated):
        days = ", ".join(sorted({d.date().isoformat() for d in duplicated}))
        raise SeriesError(f"{label}: expected one value per date, found repeated dates {days}")
    values = values.astype(float).replace([np.inf, -np.inf], np.nan).dropna()
    return values.sort_index().rename(series.name)


def month_end_values(series: pd.Series) -> pd.Series:
    """Keep the last observation of each calendar month.

    The analysis treats values as levels (followers, page likes, registered
    users), so a month is represented by its latest reading. Months without a
    reading are simply absent.

    Args:
        series: A series cleaned by :func:`clean_series`.

    Returns:
        At most one value per calendar month, indexed by the date it was read.
    """
    if series.empty:
        return series
    months = series.index.to_period("M")
    keep = ~pd.Series(months, index=series.index).duplicated(keep="last").to_numpy()
    return series[keep]


def month_position(dates: pd.DatetimeIndex, start_of_month: bool) -> np.ndarray:
    """Place dates on a continuous month scale (months since January of year 0).

    A month-end date sits at a whole number (31 January -> 1, 28 February -> 2),
    so month-end readings are whole months apart. When every date is the first
    of its month (``start_of_month``), the first of the month sits at a whole
    number instead.

    Args:
        dates: The dates.
        start_of_month: Whether the series is dated on the first of each month.

    Returns:
        The positions as floats.
    """
    index = pd.DatetimeIndex(dates)
    day = index.day.to_numpy(dtype=float) - (1.0 if start_of_month else 0.0)
    whole = index.year.to_numpy(dtype=float) * 12 + index.month.to_numpy(dtype=float) - 1
    return whole + day / index.days_in_month.to_numpy(dtype=float)


def dated_on_first(dates: pd.DatetimeIndex) -> bool:
    """Whether every date is the first day of its month."""
    return bool(len(dates)) and bool((pd.DatetimeIndex(dates).day == 1).all())


def months_since_start(
    dates: pd.DatetimeIndex, origin: pd.Timestamp, start_of_month: bool | None = None
) -> np.ndarray:
    """Months from ``origin`` to each date, fractional inside a month.

    Args:
        dates: The dates to place.
        origin: The date counted as month 0 (usually the first observation).
        start_of_month: Convention of the dates (see :func:`month_position`);
            detected from ``dates`` and ``origin`` when ``None``.

    Returns:
        Months since ``origin`` (0 for ``origin`` itself).
    """
    index = pd.DatetimeIndex(dates)
    if start_of_month is None:
        start_of_month = dated_on_first(index.append(pd.DatetimeIndex([origin])))
    origin_pos = month_position(pd.DatetimeIndex([origin]), start_of_month)[0]
    return month_position(index, start_of_month) - origin_pos


def tidy_months(months: float) -> float:
    """Round a month count that is a whole number up to float noise."""
    rounded = round(months)
    return float(rounded) if abs(months - rounded) < 1e-9 else float(months)


def months_text(months: float) -> str:
    """Write a number of months, e.g. ``"7 months"``, ``"1 month"``, ``"6.5 months"``."""
    value = tidy_months(months)
    number = f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return f"{number} month" + ("" if value == 1 else "s")


def observation_dates_text(dates: pd.DatetimeIndex) -> str:
    """Name the months of the observations, e.g. ``"February, June and September 2015"``."""
    return describe_months(pd.DatetimeIndex(dates).to_period("M"))


def span_text(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """Describe a span: ``"from February to September 2015"`` or with days if needed.

    Args:
        first: Start date.
        last: End date.

    Returns:
        Month names when both dates are month ends, full dates otherwise.
    """
    if first.is_month_end and last.is_month_end:
        start, end = first.to_period("M"), last.to_period("M")
        if start.year == end.year:
            return f"from {start.strftime('%B')} to {month_label(end)}"
        return f"from {month_label(start)} to {month_label(end)}"
    return f"from {first.day} {first.strftime('%B %Y')} to {last.day} {last.strftime('%B %Y')}"

"""Growth of a level series: month-on-month, compound monthly and year-on-year.

Changes are computed only between readings that exist. A month-on-month change
needs readings in two consecutive calendar months, a year-on-year change needs a
reading in the same month a year earlier; gaps are reported, never filled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from helpers.measures import arithmetic
from helpers.measures.timeseries import (
    clean_series,
    month_end_values,
    months_since_start,
    months_text,
    span_text,
    tidy_months,
)

#: Columns of :attr:`GrowthSummary.monthly`.
MONTHLY_COLUMNS = ("date", "value", "mom_change", "mom_pct", "yoy_change", "yoy_pct")


@dataclass(frozen=True)
class GrowthSummary:
    """How a series grew, with the method behind each figure.

    Attributes:
        n_points: Number of readings used.
        first_date: Date of the first reading (``None`` for an empty series).
        last_date: Date of the last reading (``None`` for an empty series).
        first_value: The first reading (``nan`` if none).
        last_value: The last reading (``nan`` if none).
        months: Months from the first to the last reading (fractional if the
            readings are not on matching days of the month).
        cmgr: Compound monthly growth rate over that span, percent per month
            (``nan`` if undefined: one reading, or a first value of zero or less).
        monthly: One row per calendar month with a reading, indexed by month
            (``Period``), with columns ``date`` (date of the month's last
            reading), ``value``, ``mom_change``/``mom_pct`` (against the previous
            calendar month) and ``yoy_change``/``yoy_pct`` (against the same month
            a year earlier); ``nan`` where the other month has no reading.
        method: How each figure was computed, in plain words.
    """

    n_points: int
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    first_value: float
    last_value: float
    months: float
    cmgr: float
    monthly: pd.DataFrame
    method: str

    @property
    def latest_mom_pct(self) -> float:
        """Month-on-month change of the latest month in percent (``nan`` if not computable)."""
        return float(self.monthly["mom_pct"].iloc[-1]) if len(self.monthly) else math.nan

    @property
    def latest_yoy_pct(self) -> float:
        """Year-on-year change of the latest month in percent (``nan`` if not computable)."""
        return float(self.monthly["yoy_pct"].iloc[-1]) if len(self.monthly) else math.nan


def monthly_changes(series: pd.Series) -> pd.DataFrame:
    """Month-on-month and year-on-year changes of a cleaned series.

    Args:
        series: A series cleaned by :func:`~helpers.measures.timeseries.clean_series`.

    Returns:
        The table described under :attr:`GrowthSummary.monthly`.
    """
    readings = month_end_values(series)
    months = readings.index.to_period("M")
    table = pd.DataFrame(
        {"date": readings.index, "value": readings.to_numpy()},
        index=pd.PeriodIndex(months, name="month"),
    )
    previous = table["value"].reindex(table.index - 1).to_numpy()
    year_ago = table["value"].reindex(table.index - 12).to_numpy()
    current = table["value"].to_numpy()
    table["mom_change"] = current - previous
    table["mom_pct"] = [arithmetic.pct_change(a, b) for a, b in zip(previous, current, strict=True)]
    table["yoy_change"] = current - year_ago
    table["yoy_pct"] = [arithmetic.pct_change(a, b) for a, b in zip(year_ago, current, strict=True)]
    return table[list(MONTHLY_COLUMNS)]


def _cmgr_sentence(series: pd.Series, months: float, rate: float) -> str:
    if len(series) < 2:
        return (
            "Compound monthly growth rate: not computed, it needs readings on two "
            f"different dates and the series has {len(series)}."
        )
    first, last = series.index[0], series.index[-1]
    formula = "(last/first)^(1/months) - 1"
    span = f"over the {months_text(months)} {span_text(first, last)}"
    if math.isnan(rate):
        why = (
            "the first value is zero or less"
            if series.iloc[0] <= 0
            else "the readings fall in the same month"
            if months <= 0
            else "the last value is negative"
        )
        return f"Compound monthly growth rate: {formula} {span}; not defined because {why}."
    return f"Compound monthly growth rate: {formula} {span}."


def _change_sentences(table: pd.DataFrame, n_readings: int) -> list[str]:
    n_mom = int(table["mom_change"].notna().sum())
    n_yoy = int(table["yoy_change"].notna().sum())
    of_months = f"of the {len(table)} month{'' if len(table) == 1 else 's'} with a reading"
    mom = (
        "Month-on-month change: each month's reading against the previous calendar "
        "month's, only where both months have a reading "
        f"(available for {n_mom} {of_months}; gaps are not interpolated)."
    )
    yoy = (
        "Year-on-year change: each month's reading against the same month a year "
        f"earlier, where that month has a reading (available for {n_yoy} {of_months})."
    )
    sentences = [mom, yoy]
    if n_readings > len(table):
        sentences.append(
            "Where a month has several readings, its last reading stands for the month."
        )
    return sentences


def growth_summary(series: pd.Series) -> GrowthSummary:
    """Summarise the growth of a level series (followers, likes, registered users).

    Args:
        series: Values indexed by dates (possibly irregular). Missing values are
            dropped; nothing is interpolated.

    Returns:
        The month-on-month and year-on-year changes where the readings exist, the
        compound monthly growth rate from the first to the last reading, and the
        method text.

    Raises:
        SeriesError: If the index is not dates, a date repeats or a value is not a number.
    """
    clean = clean_series(series)
    table = monthly_changes(clean)
    if clean.empty:
        return GrowthSummary(
            n_points=0,
            first_date=None,
            last_date=None,
            first_value=math.nan,
            last_value=math.nan,
            months=0.0,
            cmgr=math.nan,
            monthly=table,
            method="No readings: no growth figures can be computed.",
        )
    first, last = clean.index[0], clean.index[-1]
    months = tidy_months(float(months_since_start(pd.DatetimeIndex([last]), first)[0]))
    rate = arithmetic.cmgr(clean.iloc[0], clean.iloc[-1], months) if months > 0 else math.nan
    sentences = [_cmgr_sentence(clean, months, rate), *_change_sentences(table, len(clean))]
    return GrowthSummary(
        n_points=len(clean),
        first_date=first,
        last_date=last,
        first_value=float(clean.iloc[0]),
        last_value=float(clean.iloc[-1]),
        months=months,
        cmgr=float(rate),
        monthly=table,
        method=" ".join(sentences),
    )

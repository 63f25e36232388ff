"""The figures briefings quote: changes, growth rates, rates and shares.

Functions take plain numbers or pandas objects and return numbers or pandas
objects; percentages are returned in percent units (``63.1``, not ``0.631``).
Undefined results (a change from zero, a rate over zero reach) are ``nan``.
"""

from __future__ import annotations

import math

import pandas as pd


def abs_change(first: float, last: float) -> float:
    """Return ``last - first``."""
    return float(last) - float(first)


def pct_change(first: float, last: float) -> float:
    """Return the change from ``first`` to ``last`` in percent.

    Args:
        first: The earlier value.
        last: The later value.

    Returns:
        ``(last / first - 1) * 100``, or ``nan`` when ``first`` is zero or missing.
    """
    if first is None or last is None or first == 0 or math.isnan(first) or math.isnan(last):
        return math.nan
    return (float(last) / float(first) - 1.0) * 100.0


def months_between(first: pd.Period, last: pd.Period) -> int:
    """Return the number of whole months from ``first`` to ``last``."""
    return (last.year - first.year) * 12 + (last.month - first.month)


def cmgr(first: float, last: float, months: int) -> float:
    """Compound monthly growth rate, in percent per month.

    The constant monthly rate that turns ``first`` into ``last`` over ``months``
    months: ``((last / first) ** (1 / months) - 1) * 100``.

    Args:
        first: Value at the start.
        last: Value at the end.
        months: Months between the two values (must be positive).

    Returns:
        The rate in percent per month, or ``nan`` if it is undefined.
    """
    if months <= 0 or not first or first <= 0 or last is None or last < 0:
        return math.nan
    return ((float(last) / float(first)) ** (1.0 / months) - 1.0) * 100.0


def engagement_rate(engaged: float, reach: float) -> float:
    """Engaged people as a percentage of people reached (``nan`` if reach is 0)."""
    if not reach:
        return math.nan
    return float(engaged) / float(reach) * 100.0


def shares(values: pd.Series) -> pd.Series:
    """Each value as a percentage of the total of ``values``.

    Args:
        values: Counts indexed by segment.

    Returns:
        Percentages in the same index order, summing to 100 (all ``nan`` if the
        total is zero).
    """
    total = values.sum()
    if not total:
        return values * math.nan
    return values / total * 100.0


def weighted_share(shares_by_month: pd.Series, weights: pd.Series) -> float:
    """Average of monthly shares weighted by a monthly count (e.g. sessions).

    Args:
        shares_by_month: A segment's share in percent, indexed by month.
        weights: The count each month's share applies to, same index.

    Returns:
        The share over all the months, in percent.
    """
    aligned = pd.concat([shares_by_month, weights], axis=1, join="inner").dropna()
    if aligned.empty or aligned.iloc[:, 1].sum() == 0:
        return math.nan
    return float((aligned.iloc[:, 0] * aligned.iloc[:, 1]).sum() / aligned.iloc[:, 1].sum())


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round as people do on paper (2.5 -> 3), not banker's rounding."""
    if value is None or math.isnan(value):
        return math.nan
    factor = 10**decimals
    return math.floor(abs(value) * factor + 0.5) / factor * (1 if value >= 0 else -1)

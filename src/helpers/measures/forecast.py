"""Short projections of a growing level series, with prediction intervals.

Model: a log-linear trend, ``log y = a + b t + e`` with independent normal errors
``e``, fitted by ordinary least squares (statsmodels) on ``t`` = months since the
first reading. Why this model:

* audiences (followers, likes, registered users) grow by a percentage per month,
  which is a straight line on the log scale, and the report itself speaks of
  growth "per month" in percent;
* it has two parameters, so it can be fitted honestly to the short, sparse series
  this project has, and its prediction intervals are exact under its assumptions
  (``t`` distribution, parameter uncertainty included) rather than asymptotic;
* it needs no regular time grid: readings months apart or missing months are
  simply points at their own ``t``, whereas ETS or local-linear-trend models need
  an evenly spaced series and many more readings to estimate their variances.

The intervals are the OLS prediction intervals for a new observation
(``get_prediction(...).summary_frame(alpha=...)``, ``obs_ci_*``) transformed back
with ``exp``; the central value is ``exp`` of the predicted log, i.e. the median
of the predictive distribution. The model assumes growth continues at a constant
percentage rate: it cannot foresee a ceiling (see :mod:`helpers.measures.saturation`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.measures.timeseries import (
    MIN_READINGS,
    clean_series,
    month_end_values,
    months_since_start,
    months_text,
    observation_dates_text,
    span_text,
)

#: Fewest monthly readings a projection is made from (the saturation check's rule too).
MIN_POINTS = MIN_READINGS
#: Shortest span, in months from the first to the last reading, projected from.
MIN_SPAN_MONTHS = 5.0
#: Coverage of the prediction intervals, in percent.
LEVELS = (80, 95)
#: Columns of :attr:`Forecast.table` (the shape fan charts take).
COLUMNS = ("end", "mean", "lo80", "hi80", "lo95", "hi95")


@dataclass(frozen=True)
class Withheld:
    """No projection, and why.

    Attributes:
        reason: Plain-English reason, e.g. ``"only 3 observations (...); at least
            6 are needed"``.
        n_points: Number of monthly readings available.
        horizons: The horizons that were asked for, in months.
    """

    reason: str
    n_points: int
    horizons: tuple[int, ...]


@dataclass(frozen=True)
class Forecast:
    """Projections with 80% and 95% prediction intervals.

    Attributes:
        table: One row per horizon (index ``horizon``, months after the last
            reading) with columns ``end`` (projected month-end date), ``mean``
            (central projection: the median), ``lo80``, ``hi80``, ``lo95``, ``hi95``.
        method: How the projection was made, in plain words.
        n_points: Number of monthly readings fitted.
        last_date: Date of the last reading.
        monthly_rate_pct: Fitted growth rate, percent per month.
        residual_sd: Standard deviation of the residuals on the log scale
            (roughly the typical percentage scatter around the trend / 100).
    """

    table: pd.DataFrame
    method: str
    n_points: int
    last_date: pd.Timestamp
    monthly_rate_pct: float
    residual_sd: float


def _withheld_reason(readings: pd.Series, span: float) -> str | None:
    n = len(readings)
    dates = observation_dates_text(readings.index)
    if n < MIN_POINTS:
        listed = f" ({dates})" if n else ""
        only = "only " if n else ""
        return (
            f"{only}{n} observation{'' if n == 1 else 's'}{listed}; at least {MIN_POINTS} "
            "are needed"
        )
    if span < MIN_SPAN_MONTHS:
        return (
            f"the {n} observations span only {months_text(span)} "
            f"({span_text(readings.index[0], readings.index[-1])}); at least "
            f"{months_text(MIN_SPAN_MONTHS)} are needed"
        )
    if (readings <= 0).any():
        bad = readings[readings <= 0]
        return (
            "the model works on logarithms and needs positive values; the reading of "
            f"{bad.index[0].date().isoformat()} is {bad.iloc[0]:g}"
        )
    return None


def _method(readings: pd.Series, horizons: tuple[int, ...], rate: float, sd: float) -> str:
    ahead = " and ".join(str(h) for h in horizons)
    return (
        "Log-linear trend: ordinary least squares of log(value) on months since the first "
        f"reading, fitted to {len(readings)} monthly readings "
        f"{span_text(readings.index[0], readings.index[-1])} (fitted growth {rate:+.1f}% a "
        f"month; scatter around the trend about {sd * 100:.1f}%). Projections are the trend "
        f"{ahead} months after the last reading; the central value is the median, and the "
        "80% and 95% ranges are prediction intervals for a new reading (trend uncertainty "
        "plus scatter), transformed back from the log scale. They assume growth continues "
        "at a constant percentage rate with independent scatter, so they cannot foresee "
        "growth levelling off."
    )


def forecast(series: pd.Series, horizons: Sequence[int] = (3, 6)) -> Forecast | Withheld:
    """Project a level series a few months ahead with 80% and 95% intervals.

    Args:
        series: Readings of a level (followers, registered users) indexed by
            dates, possibly irregular. The last reading of each calendar month is
            used; nothing is interpolated.
        horizons: Months after the last reading to project to.

    Returns:
        A :class:`Forecast`, or :class:`Withheld` with the reason when there are
        fewer than :data:`MIN_POINTS` monthly readings, they span less than
        :data:`MIN_SPAN_MONTHS` months, or a value is zero or negative.

    Raises:
        SeriesError: If the index is not dates, a date repeats or a value is not a number.
        ValueError: If a horizon is not a positive whole number of months.
    """
    steps = tuple(int(h) for h in horizons)
    if not steps or any(h <= 0 or h != float(raw) for h, raw in zip(steps, horizons, strict=True)):
        raise ValueError(f"horizons must be positive whole numbers of months, got {horizons!r}")
    readings = month_end_values(clean_series(series))
    t = months_since_start(readings.index, readings.index[0]) if len(readings) else np.array([])
    span = float(t[-1]) if len(t) else 0.0
    reason = _withheld_reason(readings, span)
    if reason is not None:
        return Withheld(reason=reason, n_points=len(readings), horizons=steps)

    from statsmodels.regression.linear_model import OLS  # a second of CPU to load: only here
    from statsmodels.tools.tools import add_constant

    fit = OLS(np.log(readings.to_numpy()), add_constant(t, has_constant="add")).fit()
    ahead = np.array([span + h for h in steps], dtype=float)
    exog = add_constant(ahead, has_constant="add")
    last_month = readings.index[-1].to_period("M")
    table = pd.DataFrame(
        {"end": [(last_month + h).end_time.normalize() for h in steps]},
        index=pd.Index(steps, name="horizon"),
    )
    prediction = fit.get_prediction(exog)
    table["mean"] = np.exp(prediction.predicted_mean)
    for level in LEVELS:
        frame = prediction.summary_frame(alpha=1 - level / 100)
        table[f"lo{level}"] = np.exp(frame["obs_ci_lower"].to_numpy())
        table[f"hi{level}"] = np.exp(frame["obs_ci_upper"].to_numpy())
    rate = (math.exp(float(fit.params[1])) - 1) * 100
    sd = math.sqrt(float(fit.scale))
    return Forecast(
        table=table[list(COLUMNS)],
        method=_method(readings, steps, rate, sd),
        n_points=len(readings),
        last_date=readings.index[-1],
        monthly_rate_pct=rate,
        residual_sd=sd,
    )

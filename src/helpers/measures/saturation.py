"""Is growth slowing? Compare a levelling-off curve with steady growth.

Three curves are fitted by least squares on the original scale to the monthly
readings of a level series (time in months since the first reading):

* linear: ``y = a + b t`` (steady absolute growth; statsmodels OLS);
* exponential: ``y = a exp(b t)`` (steady percentage growth; scipy ``curve_fit``
  started from OLS on ``log y``);
* logistic: ``y' = r y (1 - y/K)`` (growth that levels off at a capacity
  ``K > max(y)``); scipy ``curve_fit`` with bounds from several starts, written
  ``y = 1 / (u + (1/y0 - u) exp(-r t))`` with ``u = 1/K`` in ``[0, 1/max(y))`` so
  that ``u = 0`` (no ceiling) is exactly the exponential curve and the fit stays
  stable when the data show no ceiling.

They are compared on the small-sample corrected AIC computed from the residual
sum of squares on the original scale, with the same formula for all three::

    AICc = n ln(SSE / n) + 2k + 2k(k + 1) / (n - k - 1)

with ``k`` = 2, 2 and 3 parameters. The AICc is infinite when ``n - k - 1 <= 0``,
so the logistic curve needs at least 5 readings to be considered; no comparison is
made from fewer than :data:`~helpers.measures.timeseries.MIN_READINGS` (6) readings,
the rule the projection (:mod:`.forecast`) follows too.

Verdict (parsimony among models within 2 AICc units of the best):

* ``"slowing"``: the logistic curve beats both others by at least 2 and its
  capacity is at most :data:`MAX_CAPACITY_RATIO` times the latest reading. The
  logistic monthly rate at the latest reading is ``r (1 - y/K)``, so with
  ``K <= 5 y`` growth is already at least a fifth below its unconstrained rate; a
  capacity further above the data is extrapolation, not evidence of levelling off;
* ``"exponential"``: the exponential curve beats the straight line by at least 2
  and the logistic curve does not beat it by 2 (its extra parameter is not earned);
* ``"linear"``: likewise with the straight line;
* ``"cannot tell"``: fewer than :data:`MIN_POINTS` readings, values that are not
  all positive, linear and exponential within 2 of each other, or a logistic win
  with an implausible capacity.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from helpers.measures.timeseries import (
    MIN_READINGS,
    clean_series,
    month_end_values,
    months_since_start,
    observation_dates_text,
)

SLOWING = "slowing"
EXPONENTIAL = "exponential"
LINEAR = "linear"
CANNOT_TELL = "cannot tell"

#: Fewest monthly readings the comparison is attempted with (the projection's rule too).
MIN_POINTS = MIN_READINGS
#: AICc difference counted as a clear preference for one model.
AICC_MARGIN = 2.0
#: Largest fitted capacity, as a multiple of the latest reading, taken as a real ceiling
#: (at ``K = 5 y`` the logistic growth rate is 80% of its unconstrained rate).
MAX_CAPACITY_RATIO = 5.0
LOGISTIC = "logistic"
#: Parameters of each model, in the order the results list them.
PARAMETERS: dict[str, int] = {LINEAR: 2, EXPONENTIAL: 2, LOGISTIC: 3}

_STARTS = (1.1, 1.5, 3.0)
_NAMES = {LINEAR: "straight line", EXPONENTIAL: "exponential curve", LOGISTIC: "logistic curve"}


@dataclass(frozen=True)
class SaturationResult:
    """Verdict on whether a series is levelling off, with the evidence.

    Attributes:
        verdict: ``"slowing"``, ``"exponential"``, ``"linear"`` or ``"cannot tell"``.
        sentence: The verdict and its evidence in plain English.
        n_points: Number of monthly readings compared.
        models: One row per model (``linear``, ``exponential``, ``logistic``) with
            columns ``parameters``, ``sse``, ``aicc`` and ``delta_aicc`` (AICc minus
            the lowest AICc); empty when no fit was attempted.
        best_model: Model with the lowest AICc (``None`` if none was fitted).
        capacity: Fitted logistic capacity ``K`` (``nan`` if not fitted).
        latest_value: The latest reading.
        latest_share_of_capacity: The latest reading as a percentage of ``K``.
        monthly_rate_pct: Growth rate of the exponential fit, percent per month.
        logistic_rate: Logistic rate ``r`` per month (initial percentage growth
            when far below capacity is about ``100 r``).
        linear_slope: Slope of the straight line, units per month.
        params: Fitted parameters of each model.
    """

    verdict: str
    sentence: str
    n_points: int
    models: pd.DataFrame
    best_model: str | None = None
    capacity: float = math.nan
    latest_value: float = math.nan
    latest_share_of_capacity: float = math.nan
    monthly_rate_pct: float = math.nan
    logistic_rate: float = math.nan
    linear_slope: float = math.nan
    params: dict[str, dict[str, float]] = field(default_factory=dict)


def aicc(sse: float, n: int, k: int) -> float:
    """Small-sample corrected AIC of a least-squares fit.

    Args:
        sse: Residual sum of squares (on the scale the models are compared on).
        n: Number of observations.
        k: Number of fitted parameters.

    Returns:
        ``n ln(SSE/n) + 2k + 2k(k+1)/(n-k-1)``; ``inf`` if ``n - k - 1 <= 0`` or
        the fit is missing.
    """
    if n - k - 1 <= 0 or not np.isfinite(sse):
        return math.inf
    return n * math.log(sse / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)


def logistic_curve(t: np.ndarray, inverse_capacity: float, start: float, rate: float) -> np.ndarray:
    """Logistic curve through ``start`` at ``t = 0``, written with ``u = 1 / K``.

    ``y = 1 / (u + (1 / start - u) exp(-r t))`` is the solution of
    ``y' = r y (1 - y / K)``; at ``u = 0`` (no ceiling) it is exactly the
    exponential curve ``start * exp(r t)``, which keeps the fit stable when the
    data show no ceiling.
    """
    decay = np.exp(-rate * np.asarray(t, dtype=float))
    return 1.0 / (inverse_capacity + (1.0 / start - inverse_capacity) * decay)


def exponential_curve(t: np.ndarray, start: float, rate: float) -> np.ndarray:
    """Exponential curve ``a exp(b t)``."""
    return start * np.exp(rate * np.asarray(t, dtype=float))


def _ols(t: np.ndarray, y: np.ndarray) -> Any:
    """The OLS fit of ``y = a + b t`` (statsmodels, imported here: a second of CPU to load)."""
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    return OLS(y, add_constant(t, has_constant="add")).fit()


def fit_linear(t: np.ndarray, y: np.ndarray) -> tuple[dict[str, float], float]:
    """Fit ``y = a + b t`` by OLS and return the parameters and the SSE."""
    result = _ols(t, y)
    a, b = (float(v) for v in result.params)
    return {"intercept": a, "slope": b}, float(result.ssr)


def fit_exponential(t: np.ndarray, y: np.ndarray) -> tuple[dict[str, float], float]:
    """Fit ``y = a exp(b t)`` by least squares on ``y`` (started from OLS on ``log y``).

    Returns:
        The parameters and the SSE; ``nan`` SSE if the fit fails.
    """
    from scipy.optimize import OptimizeWarning, curve_fit

    start = _ols(t, np.log(y)).params
    p0 = [float(np.exp(start[0])), float(start[1])]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            popt, _ = curve_fit(exponential_curve, t, y, p0=p0, maxfev=5000)
    except (RuntimeError, ValueError):
        popt = np.array(p0)
    sse = float(np.sum((y - exponential_curve(t, *popt)) ** 2))
    return {"start": float(popt[0]), "rate": float(popt[1])}, sse


def _logistic_starts(t: np.ndarray, y: np.ndarray, exp: dict[str, float]) -> list[list[float]]:
    from scipy.special import expit

    top = float(y.max())
    starts = [[0.0, exp["start"], max(exp["rate"], 1e-3)]]
    for factor in _STARTS:
        capacity = top * factor
        slope, intercept = np.polyfit(t, np.log(y / (capacity - y)), 1)
        if slope > 0:
            starts.append([1.0 / capacity, capacity * float(expit(intercept)), float(slope)])
    return starts


def fit_logistic(
    t: np.ndarray, y: np.ndarray, exp: dict[str, float]
) -> tuple[dict[str, float], float]:
    """Fit a logistic curve whose capacity ``K`` is above the largest reading.

    ``y`` should be scaled so its maximum is 1. The fit runs on ``u = 1/K`` in
    ``[0, 1/max(y))`` (``u = 0``: no ceiling, the exponential curve), from the
    exponential fit ``exp`` and from several starting capacities; the smallest
    SSE is kept.

    Returns:
        ``capacity`` (``inf`` when no ceiling fits better), ``rate`` ``r`` per
        month, ``start`` (curve value at the first reading) and the SSE; empty
        parameters and ``nan`` SSE if every start fails.
    """
    from scipy.optimize import OptimizeWarning, curve_fit

    top = float(y.max())
    lower = [0.0, 1e-9, 0.0]
    upper = [(1.0 - 1e-9) / top, np.inf, 10.0]
    best: tuple[np.ndarray, float] | None = None
    for p0 in _logistic_starts(t, y, exp):
        p0 = np.clip(p0, lower, [upper[0] * (1 - 1e-6), 1e12, upper[2]])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", (OptimizeWarning, RuntimeWarning))
                popt, _ = curve_fit(
                    logistic_curve, t, y, p0=p0, bounds=(lower, upper), method="trf", maxfev=2000
                )
        except (RuntimeError, ValueError):
            continue
        sse = float(np.sum((y - logistic_curve(t, *popt)) ** 2))
        if np.isfinite(sse) and (best is None or sse < best[1]):
            best = (popt, sse)
    if best is None:
        return {}, math.nan
    (u, start, rate), sse = best
    capacity = 1.0 / u if u > 0 else math.inf
    return {"capacity": capacity, "rate": float(rate), "start": float(start)}, sse


def _models_table(sse: dict[str, float], n: int) -> pd.DataFrame:
    rows = {
        name: {"parameters": k, "sse": sse[name], "aicc": aicc(sse[name], n, k)}
        for name, k in PARAMETERS.items()
    }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    finite = table["aicc"][np.isfinite(table["aicc"])]
    best = finite.min() if len(finite) else math.nan
    table["delta_aicc"] = table["aicc"] - best
    return table


def _choose(table: pd.DataFrame, capacity_ratio: float) -> str:
    a = table["aicc"]
    if np.isfinite(a[LOGISTIC]) and a[LOGISTIC] + AICC_MARGIN <= min(a[LINEAR], a[EXPONENTIAL]):
        return SLOWING if capacity_ratio <= MAX_CAPACITY_RATIO else CANNOT_TELL
    if a[EXPONENTIAL] + AICC_MARGIN <= a[LINEAR]:
        return EXPONENTIAL
    if a[LINEAR] + AICC_MARGIN <= a[EXPONENTIAL]:
        return LINEAR
    return CANNOT_TELL


def _few_points_sentence(dates: pd.DatetimeIndex, reason: str) -> str:
    n = len(dates)
    where = f": {observation_dates_text(dates)}" if n else ""
    return (
        f"The data ({n} reading{'' if n == 1 else 's'}{where}) cannot tell whether growth "
        f"is slowing: {reason}."
    )


def _logistic_note(a: pd.Series, other: str) -> str:
    if not np.isfinite(a[LOGISTIC]):
        return "a levelling-off (logistic) curve cannot be assessed with so few readings"
    gap = a[LOGISTIC] - a[other]
    return (
        "a levelling-off (logistic) curve does not fit clearly better "
        f"(its AICc is {abs(gap):.1f} {'higher' if gap > 0 else 'lower'} than the "
        f"{_NAMES[other]}'s; a clear preference needs {AICC_MARGIN:.0f} lower)"
    )


def _sentence(verdict: str, table: pd.DataFrame, res: dict[str, float], n: int) -> str:
    a = table["aicc"]
    readings = f"the {n} monthly readings"
    if verdict == SLOWING:
        return (
            f"Growth is slowing: a levelling-off (logistic) curve fits {readings} clearly "
            f"better than steady growth (AICc {a[EXPONENTIAL] - a[LOGISTIC]:.1f} lower than "
            f"the exponential curve and {a[LINEAR] - a[LOGISTIC]:.1f} lower than the straight "
            f"line). It levels off at about {res['capacity']:,.0f}; the latest reading "
            f"({res['latest']:,.0f}) is {res['share']:.1f}% of that."
        )
    if verdict == EXPONENTIAL:
        return (
            f"No sign of growth slowing: steady percentage growth (exponential, "
            f"{res['rate_pct']:+.1f}% a month) fits {readings} best, with an AICc "
            f"{a[LINEAR] - a[EXPONENTIAL]:.1f} lower than a straight line, and "
            f"{_logistic_note(a, EXPONENTIAL)}."
        )
    if verdict == LINEAR:
        return (
            f"No sign of growth levelling off: a straight line ({res['slope']:+,.0f} a "
            f"month) fits {readings} best, with an AICc {a[EXPONENTIAL] - a[LINEAR]:.1f} "
            f"lower than steady percentage growth, and {_logistic_note(a, LINEAR)}."
        )
    if np.isfinite(a[LOGISTIC]) and a[LOGISTIC] + AICC_MARGIN <= min(a[LINEAR], a[EXPONENTIAL]):
        return (
            f"The data ({n} readings) cannot tell whether growth is slowing: a logistic "
            f"curve fits best but levels off at about {res['capacity']:,.0f}, more than "
            f"{MAX_CAPACITY_RATIO:.0f} times the latest reading ({res['latest']:,.0f}), "
            "far beyond the data."
        )
    return (
        f"The data ({n} readings) cannot tell whether growth is slowing: a straight line "
        f"and steady percentage growth fit about equally well (AICc within "
        f"{AICC_MARGIN:.0f}: {a[LINEAR]:.1f} and {a[EXPONENTIAL]:.1f}), and "
        f"{_logistic_note(a, EXPONENTIAL)}."
    )


def saturation_check(series: pd.Series) -> SaturationResult:
    """Judge whether a level series is levelling off (reaching saturation).

    Args:
        series: Readings of a level (followers, likes, registered users) indexed
            by dates, possibly irregular. The last reading of each calendar month
            is used; nothing is interpolated.

    Returns:
        The verdict, a sentence stating it with the evidence, and the fits.

    Raises:
        SeriesError: If the index is not dates, a date repeats or a value is not a number.
    """
    readings = month_end_values(clean_series(series))
    n = len(readings)
    empty = pd.DataFrame(columns=["parameters", "sse", "aicc", "delta_aicc"])
    latest = float(readings.iloc[-1]) if n else math.nan
    if n < MIN_POINTS:
        reason = (
            f"at least {MIN_POINTS} monthly readings are needed to compare a levelling-off "
            "curve with steady growth"
        )
        return SaturationResult(
            CANNOT_TELL, _few_points_sentence(readings.index, reason), n, empty, latest_value=latest
        )
    if (readings <= 0).any():
        bad = readings[readings <= 0].index[0].date().isoformat()
        reason = f"the curves need positive values and the reading of {bad} is not"
        return SaturationResult(
            CANNOT_TELL, _few_points_sentence(readings.index, reason), n, empty, latest_value=latest
        )

    t = months_since_start(readings.index, readings.index[0])
    scale = float(readings.max())
    y = readings.to_numpy() / scale
    lin, sse_lin = fit_linear(t, y)
    exp, sse_exp = fit_exponential(t, y)
    log, sse_log = fit_logistic(t, y, exp)
    floor = n * 1e-24  # an exact fit has SSE 0; keep ln(SSE) finite
    sse = {LINEAR: sse_lin, EXPONENTIAL: sse_exp, LOGISTIC: sse_log}
    table = _models_table({k: max(v, floor) if np.isfinite(v) else v for k, v in sse.items()}, n)
    table["sse"] = table["sse"] * scale**2

    capacity = float(log["capacity"]) * scale if log else math.nan
    ratio = capacity / latest if log else math.inf
    verdict = _choose(table, ratio)
    evidence = {
        "capacity": capacity,
        "latest": latest,
        "share": latest / capacity * 100 if log else math.nan,
        "rate_pct": (math.exp(exp["rate"]) - 1) * 100,
        "slope": lin["slope"] * scale,
    }
    finite = table["aicc"][np.isfinite(table["aicc"])]
    return SaturationResult(
        verdict=verdict,
        sentence=_sentence(verdict, table, evidence, n),
        n_points=n,
        models=table,
        best_model=str(finite.idxmin()) if len(finite) else None,
        capacity=capacity,
        latest_value=latest,
        latest_share_of_capacity=evidence["share"],
        monthly_rate_pct=evidence["rate_pct"],
        logistic_rate=float(log["rate"]) if log else math.nan,
        linear_slope=evidence["slope"],
        params={
            LINEAR: {"intercept": lin["intercept"] * scale, "slope": lin["slope"] * scale},
            EXPONENTIAL: {"start": exp["start"] * scale, "rate": exp["rate"]},
            LOGISTIC: {**log, "capacity": capacity, "start": log["start"] * scale} if log else {},
        },
    )

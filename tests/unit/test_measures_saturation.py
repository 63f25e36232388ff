import math

import numpy as np
import pandas as pd
import pytest

from helpers.measures.saturation import (
    CANNOT_TELL,
    EXPONENTIAL,
    LINEAR,
    LOGISTIC,
    SLOWING,
    aicc,
    saturation_check,
)
from helpers.measures.timeseries import SeriesError

MONTHS = pd.date_range("2013-01-31", periods=36, freq="ME")
T = np.arange(36.0)


def logistic_series(seed: int, capacity=100_000.0, rate=0.15, first=5_000.0, noise=0.005):
    rng = np.random.default_rng(seed)
    midpoint = math.log(capacity / first - 1) / rate
    level = capacity / (1 + np.exp(-rate * (T - midpoint)))
    return pd.Series(level * (1 + noise * rng.standard_normal(36)), index=MONTHS)


def exponential_series(seed: int, rate=0.03, first=20_000.0, noise=0.005):
    rng = np.random.default_rng(seed)
    return pd.Series(first * (1 + rate) ** T * (1 + noise * rng.standard_normal(36)), index=MONTHS)


def linear_series(seed: int, first=20_000.0, slope=600.0, noise=0.005):
    rng = np.random.default_rng(seed)
    return pd.Series((first + slope * T) * (1 + noise * rng.standard_normal(36)), index=MONTHS)


def test_aicc_formula():
    assert aicc(2.0, 10, 2) == pytest.approx(10 * math.log(0.2) + 4 + 12 / 7)
    assert aicc(2.0, 4, 3) == math.inf  # n - k - 1 = 0
    assert aicc(float("nan"), 10, 2) == math.inf


@pytest.mark.parametrize("seed", range(6))
def test_logistic_series_is_slowing(seed):
    result = saturation_check(logistic_series(seed))
    assert result.verdict == SLOWING
    assert result.best_model == LOGISTIC
    assert result.capacity == pytest.approx(100_000, rel=0.05)
    assert result.logistic_rate == pytest.approx(0.15, rel=0.15)
    assert result.models.loc[LOGISTIC, "delta_aicc"] == 0
    assert min(result.models.loc[[LINEAR, EXPONENTIAL], "delta_aicc"]) >= 2
    assert result.latest_share_of_capacity == pytest.approx(
        result.latest_value / result.capacity * 100
    )
    assert result.sentence.startswith("Growth is slowing")
    assert f"{result.capacity:,.0f}" in result.sentence


def test_exponential_series_is_not_slowing():
    verdicts = []
    for seed in range(8):
        result = saturation_check(exponential_series(seed))
        verdicts.append(result.verdict)
        assert result.verdict != SLOWING
        assert result.monthly_rate_pct == pytest.approx(3.0, abs=0.2)
    assert verdicts.count(EXPONENTIAL) >= 7
    result = saturation_check(exponential_series(0))
    assert "No sign of growth slowing" in result.sentence
    assert "+3.0% a month" in result.sentence


@pytest.mark.parametrize("seed", range(4))
def test_linear_series_is_linear(seed):
    result = saturation_check(linear_series(seed))
    assert result.verdict == LINEAR
    assert result.linear_slope == pytest.approx(600, rel=0.05)
    assert "straight line" in result.sentence


def test_irregular_readings_of_a_logistic_series():
    series = logistic_series(11)
    keep = np.random.default_rng(3).random(36) < 0.6
    keep[[0, -1]] = True
    result = saturation_check(series[keep])
    assert result.n_points == int(keep.sum())
    assert result.verdict == SLOWING


def test_three_readings_cannot_tell():
    series = pd.Series(
        [51069, 56086, 61462], index=pd.to_datetime(["2015-02-28", "2015-06-30", "2015-09-30"])
    )
    result = saturation_check(series)
    assert result.verdict == CANNOT_TELL
    assert result.n_points == 3
    assert result.models.empty
    assert "3 readings: February, June and September 2015" in result.sentence
    assert "cannot tell" in result.sentence


def test_fewer_than_six_readings_are_not_compared():
    """With fewer than 5 readings the logistic curve has no AICc, so the comparison could
    only ever say "no sign of slowing": no comparison under 6 (the projection's rule)."""
    for n in (4, 5):
        result = saturation_check(exponential_series(1).iloc[:n])
        assert result.n_points == n
        assert result.verdict == CANNOT_TELL
        assert result.models.empty
        assert "at least 6 monthly readings are needed" in result.sentence
    result = saturation_check(exponential_series(1).iloc[::7])
    assert result.n_points == 6
    assert math.isfinite(result.models.loc[LOGISTIC, "aicc"])  # all three curves compared


def test_flat_noisy_series_cannot_tell():
    rng = np.random.default_rng(5)
    series = pd.Series(1000 * (1 + 0.01 * rng.standard_normal(8)), index=MONTHS[:8])
    result = saturation_check(series)
    assert result.verdict == CANNOT_TELL
    assert "about equally well" in result.sentence


def test_empty_series_cannot_tell():
    result = saturation_check(pd.Series([], index=pd.DatetimeIndex([]), dtype=float))
    assert result.verdict == CANNOT_TELL
    assert result.n_points == 0
    assert "(0 readings)" in result.sentence


def test_zero_or_negative_values_cannot_tell():
    series = linear_series(0)
    series.iloc[3] = 0
    result = saturation_check(series)
    assert result.verdict == CANNOT_TELL
    assert "positive values" in result.sentence
    assert "2013-04-30" in result.sentence


def test_duplicate_dates_are_refused():
    series = linear_series(0)
    series.index = series.index.where(series.index != MONTHS[5], MONTHS[4])
    with pytest.raises(SeriesError, match="repeated dates"):
        saturation_check(series)


def test_capacity_far_above_the_data_is_not_called_slowing():
    # this noise draw bends the exponential series enough for the logistic curve to
    # win on AICc, but its ceiling sits about ten times above the latest reading
    result = saturation_check(exponential_series(47))
    assert result.best_model == LOGISTIC
    assert result.capacity > 5 * result.latest_value
    assert result.verdict == CANNOT_TELL
    assert "far beyond the data" in result.sentence


def test_early_logistic_growth_is_slowing():
    result = saturation_check(logistic_series(0, first=200.0))
    assert result.latest_value < result.capacity / 3
    assert result.verdict == SLOWING

import numpy as np
import pandas as pd
import pytest

from helpers.measures.forecast import COLUMNS, MIN_POINTS, Forecast, Withheld, forecast
from helpers.measures.timeseries import SeriesError


def log_linear(seed: int, n: int, rate=0.03, sd=0.02, start="2013-01-31") -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=float)
    values = 5_000 * np.exp(np.log1p(rate) * t + sd * rng.standard_normal(n))
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="ME"))


def test_three_report_readings_are_withheld():
    series = pd.Series(
        [51069, 56086, 61462], index=pd.to_datetime(["2015-02-28", "2015-06-30", "2015-09-30"])
    )
    result = forecast(series)
    assert isinstance(result, Withheld)
    assert result.reason == (
        "only 3 observations (February, June and September 2015); at least 6 are needed"
    )
    assert result.n_points == 3
    assert result.horizons == (3, 6)


def test_empty_series_is_withheld():
    result = forecast(pd.Series([], index=pd.DatetimeIndex([]), dtype=float))
    assert isinstance(result, Withheld)
    assert result.reason == f"0 observations; at least {MIN_POINTS} are needed"


def test_short_span_is_withheld():
    dates = pd.to_datetime(
        ["2015-01-31", "2015-02-15", "2015-03-15", "2015-04-15", "2015-05-15", "2015-06-01"]
    )
    result = forecast(pd.Series(np.arange(100.0, 106.0), index=dates))
    assert isinstance(result, Withheld)
    assert "span only 4.0 months" in result.reason
    assert "at least 5 months are needed" in result.reason


def test_non_positive_values_are_withheld():
    series = log_linear(0, 12)
    series.iloc[4] = 0.0
    result = forecast(series)
    assert isinstance(result, Withheld)
    assert "needs positive values" in result.reason
    assert "2013-05-31 is 0" in result.reason


def test_duplicate_dates_are_refused():
    series = log_linear(0, 8)
    series.index = series.index.where(series.index != series.index[3], series.index[2])
    with pytest.raises(SeriesError, match="repeated dates"):
        forecast(series)


@pytest.mark.parametrize("horizons", [(), (0,), (-3,), (2.5,)])
def test_bad_horizons_are_refused(horizons):
    with pytest.raises(ValueError, match="horizons"):
        forecast(log_linear(0, 12), horizons=horizons)


def test_table_shape_dates_and_order():
    result = forecast(log_linear(1, 12))  # last reading December 2013
    assert isinstance(result, Forecast)
    table = result.table
    assert tuple(table.columns) == COLUMNS
    assert list(table.index) == [3, 6]
    assert list(table["end"]) == [pd.Timestamp("2014-03-31"), pd.Timestamp("2014-06-30")]
    assert (table["lo95"] < table["lo80"]).all()
    assert (table["lo80"] < table["mean"]).all()
    assert (table["mean"] < table["hi80"]).all()
    assert (table["hi80"] < table["hi95"]).all()
    # intervals widen with the horizon
    width = table["hi95"] / table["lo95"]
    assert width.iloc[1] > width.iloc[0]
    assert result.n_points == 12
    assert result.last_date == pd.Timestamp("2013-12-31")
    assert "Log-linear trend" in result.method
    assert "12 monthly readings from January to December 2013" in result.method


def test_recovers_the_trend_of_a_clean_series():
    series = log_linear(2, 24, rate=0.025, sd=1e-6)
    result = forecast(series, horizons=(1, 12))
    assert result.monthly_rate_pct == pytest.approx(2.5, abs=1e-3)
    expected = series.iloc[-1] * 1.025 ** np.array([1, 12])
    assert result.table["mean"].to_numpy() == pytest.approx(expected, rel=1e-4)


def test_irregular_readings():
    series = log_linear(3, 24).iloc[[0, 2, 3, 7, 11, 12, 17, 23]]
    result = forecast(series)
    assert isinstance(result, Forecast)
    assert result.n_points == 8
    assert result.monthly_rate_pct == pytest.approx(3.0, abs=0.6)


@pytest.mark.slow  # 200 simulated series: make test, not make check
def test_interval_calibration():
    """Under the model's own assumptions the intervals cover at their nominal rates."""
    seeds, fitted = 200, 15
    hits = {(h, level): 0 for h in (3, 6) for level in (80, 95)}
    for seed in range(seeds):
        series = log_linear(seed, fitted + 6)
        result = forecast(series.iloc[:fitted], horizons=(3, 6))
        for h in (3, 6):
            actual = series.iloc[fitted - 1 + h]
            row = result.table.loc[h]
            assert row["end"] == series.index[fitted - 1 + h]
            for level in (80, 95):
                hits[h, level] += row[f"lo{level}"] <= actual <= row[f"hi{level}"]
    for (h, level), count in hits.items():
        rate = count / seeds
        low, high = (0.72, 0.88) if level == 80 else (0.90, 0.99)
        assert low <= rate <= high, f"{level}% interval at {h} months covered {rate:.0%}"

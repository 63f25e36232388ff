import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.measures.growth import growth_summary
from helpers.measures.timeseries import SeriesError, months_since_start


def month_ends(start: str, periods: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=periods, freq="ME")


def test_cmgr_of_two_report_readings():
    series = pd.Series([6269, 7165], index=pd.to_datetime(["2015-02-28", "2015-09-30"]))
    summary = growth_summary(series)
    assert summary.months == 7
    assert summary.cmgr == pytest.approx(((7165 / 6269) ** (1 / 7) - 1) * 100)
    assert "over the 7 months from February to September 2015" in summary.method
    assert summary.first_date == pd.Timestamp("2015-02-28")
    assert summary.last_date == pd.Timestamp("2015-09-30")
    # February and September are not consecutive: no month-on-month change
    assert summary.monthly["mom_pct"].isna().all()
    assert math.isnan(summary.latest_mom_pct)


def test_month_on_month_only_between_existing_consecutive_months():
    index = month_ends("2015-01-31", 6).delete(2)  # no March
    series = pd.Series([100.0, 110.0, 130.0, 143.0, 150.0], index=index)
    table = growth_summary(series).monthly
    assert table.loc[pd.Period("2015-02", "M"), "mom_pct"] == pytest.approx(10.0)
    assert math.isnan(table.loc[pd.Period("2015-04", "M"), "mom_pct"])  # March missing
    assert table.loc[pd.Period("2015-05", "M"), "mom_pct"] == pytest.approx(10.0)
    assert table.loc[pd.Period("2015-05", "M"), "mom_change"] == pytest.approx(13.0)
    assert pd.Period("2015-03", "M") not in table.index  # nothing interpolated


def test_year_on_year_needs_the_same_month_a_year_earlier():
    index = month_ends("2014-01-31", 15).delete(1)  # no February 2014
    series = pd.Series(np.arange(100.0, 114.0), index=index)
    summary = growth_summary(series)
    table = summary.monthly
    jan = table.loc[pd.Period("2015-01", "M")]
    before, after = series["2014-01-31"], series["2015-01-31"]
    assert jan["yoy_change"] == pytest.approx(after - before)
    assert jan["yoy_pct"] == pytest.approx((after / before - 1) * 100)
    assert math.isnan(table.loc[pd.Period("2015-02", "M"), "yoy_pct"])
    assert summary.latest_yoy_pct == pytest.approx(table["yoy_pct"].iloc[-1])
    assert "available for 2 of the 14 months" in summary.method


def test_daily_readings_use_last_reading_of_each_month():
    index = pd.date_range("2015-01-01", "2015-03-31", freq="D")
    series = pd.Series(np.arange(len(index), dtype=float) + 1, index=index)
    summary = growth_summary(series)
    assert list(summary.monthly["value"]) == [31.0, 59.0, 90.0]
    assert summary.n_points == len(index)
    assert "last reading stands for the month" in summary.method
    # fractional span between 1 January and 31 March
    assert 2.9 < summary.months < 3.0


def test_first_of_month_dates_count_whole_months():
    series = pd.Series([100.0, 121.0], index=pd.to_datetime(["2015-01-01", "2015-03-01"]))
    summary = growth_summary(series)
    assert summary.months == 2
    assert summary.cmgr == pytest.approx(10.0)


def test_empty_series():
    summary = growth_summary(pd.Series([], index=pd.DatetimeIndex([]), dtype=float))
    assert summary.n_points == 0
    assert math.isnan(summary.cmgr)
    assert summary.monthly.empty
    assert "No readings" in summary.method


def test_single_reading_has_no_rate():
    summary = growth_summary(pd.Series([5.0], index=pd.to_datetime(["2015-09-30"])))
    assert math.isnan(summary.cmgr)
    assert "needs readings on two different dates" in summary.method


def test_zero_first_value_gives_undefined_rate():
    series = pd.Series([0.0, 10.0, 20.0], index=month_ends("2015-01-31", 3))
    summary = growth_summary(series)
    assert math.isnan(summary.cmgr)
    assert "first value is zero or less" in summary.method
    assert math.isnan(summary.monthly["mom_pct"].iloc[1])  # change from zero
    assert summary.monthly["mom_pct"].iloc[2] == pytest.approx(100.0)


def test_negative_last_value_gives_undefined_rate():
    series = pd.Series([10.0, -5.0], index=month_ends("2015-01-31", 2))
    summary = growth_summary(series)
    assert math.isnan(summary.cmgr)
    assert "last value is negative" in summary.method


def test_missing_values_are_dropped_not_filled():
    series = pd.Series([100.0, np.nan, 121.0], index=month_ends("2015-01-31", 3))
    summary = growth_summary(series)
    assert summary.n_points == 2
    assert summary.monthly["mom_pct"].isna().all()
    assert summary.cmgr == pytest.approx(10.0)


def test_duplicate_dates_are_refused():
    index = pd.to_datetime(["2015-01-31", "2015-01-31", "2015-02-28"])
    with pytest.raises(SeriesError, match="repeated dates 2015-01-31"):
        growth_summary(pd.Series([1.0, 2.0, 3.0], index=index, name="West"))


def test_non_date_index_is_refused():
    with pytest.raises(SeriesError, match="expected dates"):
        growth_summary(pd.Series([1.0, 2.0], index=["a", "b"]))


def test_non_numeric_values_are_refused():
    with pytest.raises(SeriesError, match="expected numbers"):
        growth_summary(pd.Series(["1", "x"], index=month_ends("2015-01-31", 2)))


def test_unsorted_input_is_sorted():
    index = pd.to_datetime(["2015-03-31", "2015-01-31", "2015-02-28"])
    summary = growth_summary(pd.Series([121.0, 100.0, 110.0], index=index))
    assert summary.first_value == 100.0
    assert summary.cmgr == pytest.approx(10.0)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(1, 1e6, allow_nan=False), min_size=2, max_size=30),
    keep=st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_changes_exist_exactly_where_both_months_have_readings(values, keep):
    index = month_ends("2013-01-31", len(values))
    series = pd.Series(values, index=index)[np.array(keep[: len(values)])]
    summary = growth_summary(series)
    months = set(summary.monthly.index)
    for month, row in summary.monthly.iterrows():
        assert np.isnan(row["mom_pct"]) == ((month - 1) not in months)
        assert np.isnan(row["yoy_pct"]) == ((month - 12) not in months)
    if len(series) >= 2:
        grown = series.iloc[0] * (1 + summary.cmgr / 100) ** summary.months
        assert grown == pytest.approx(series.iloc[-1], rel=1e-9)


@given(st.integers(0, 200), st.integers(0, 200))
def test_month_end_dates_are_whole_months_apart(a, b):
    start = pd.Timestamp("2010-01-31") + pd.offsets.MonthEnd(a)
    end = pd.Timestamp("2010-01-31") + pd.offsets.MonthEnd(b)
    assert months_since_start(pd.DatetimeIndex([end]), start)[0] == pytest.approx(b - a)

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.errors import PeriodError
from helpers.tidy.periods import (
    Window,
    describe_months,
    missing_months,
    parse_month,
    parse_periods,
    reporting_window,
)

M = lambda s: pd.Period(s, freq="M")  # noqa: E731


def test_parse_forms():
    assert parse_periods("2015-09") == [M("2015-09")]
    assert parse_periods("2015Q3") == [M("2015-07"), M("2015-08"), M("2015-09")]
    assert len(parse_periods("2015-02..2015-09")) == 8


@pytest.mark.parametrize("bad", ["2015-13", "2015-9", "Sep-15", "", "2015-09..2015-02", "2015Q5"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(PeriodError):
        parse_periods(bad)


@given(st.integers(1990, 2100), st.integers(1, 12))
def test_month_round_trip(year, month):
    assert str(parse_month(f"{year:04d}-{month:02d}")) == f"{year:04d}-{month:02d}"


def test_default_window_is_twelve_months():
    w = reporting_window("2015-09", today=dt.date(2026, 1, 1))
    assert (w.start, w.end) == (M("2014-10"), M("2015-09"))
    assert len(w.months) == 12
    assert w.label == "October 2014 to September 2015"


def test_future_and_backwards_windows_are_refused():
    with pytest.raises(PeriodError, match="has not ended"):
        reporting_window("2026-11", today=dt.date(2026, 11, 26))
    with pytest.raises(PeriodError, match="after the period"):
        reporting_window("2015-09", start="2015-10", today=dt.date(2026, 1, 1))


def test_missing_months_are_reported_not_invented():
    window = Window(M("2014-10"), M("2015-09"))
    observed = [M("2015-02"), M("2015-06"), M("2015-09")]
    gaps = missing_months(observed, window)
    assert gaps == [M("2015-03"), M("2015-04"), M("2015-05"), M("2015-07"), M("2015-08")]
    assert describe_months(gaps) == "March, April, May, July and August 2015"
    assert describe_months([M("2014-12"), M("2015-01")]) == "December 2014 and January 2015"

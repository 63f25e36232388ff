"""Which months the data cover: periods, the default month, pages with figures."""

from __future__ import annotations

import pandas as pd

from helpers import config
from helpers.tidy.coverage import (
    channel_coverage,
    default_period,
    pages_by_window,
    pages_with_data,
    periods_with_data,
)
from helpers.tidy.periods import reporting_window


def _daily(channel: str, first: str, last: str, value: float = 1.0, metric: str = "views"):
    days = pd.date_range(first, last, freq="D")
    return pd.DataFrame(
        {
            "start": days,
            "end": days,
            "channel": channel,
            "account": "A",
            "segment": "",
            "metric": metric,
            "value": value,
        }
    )


def _range(channel: str, first: str, last: str, metric: str = "sessions"):
    return pd.DataFrame(
        {
            "start": [pd.Timestamp(first)],
            "end": [pd.Timestamp(last)],
            "channel": channel,
            "account": "A",
            "segment": "",
            "metric": metric,
            "value": [5.0],
        }
    )


def test_leading_zeros_and_long_totals_create_no_month():
    zeros = _daily("youtube", "2007-04-01", "2020-09-30", 0.0)
    views = _daily("youtube", "2020-10-01", "2020-12-15", 3.0)
    lifetime = _range("youtube", "2007-04-01", "2020-12-15", "views")
    year = _range("website", "2020-01-01", "2020-12-31")
    tidy = pd.concat([zeros, views, lifetime, year], ignore_index=True)
    assert periods_with_data(tidy) == ["2020-10", "2020-11", "2020-12"]
    (youtube,) = [c for c in channel_coverage(tidy) if c.channel == "youtube"]
    assert youtube.first == pd.Timestamp("2020-10-01")


def test_the_default_is_the_latest_month_most_channels_reach():
    tidy = pd.concat(
        [
            _daily("facebook", "2025-01-01", "2025-04-15"),
            _daily("instagram", "2025-03-18", "2025-04-14"),
            _daily("twitter", "2024-06-24", "2025-03-21"),
            _daily("youtube", "2020-10-01", "2025-11-13"),
            _daily("website", "2025-01-01", "2025-12-31"),
        ],
        ignore_index=True,
    )
    chosen = default_period(tidy)
    assert chosen.period == "2025-04"  # four of five channels reach April
    assert [c.channel for c in chosen.earlier] == ["twitter"]
    assert [c.channel for c in chosen.later] == ["youtube", "website"]
    assert not chosen.paper
    # a paper for a later month chooses it
    assert default_period(tidy, ["2025-06"]).period == "2025-06"


def test_one_channel_alone_decides_when_nothing_is_shared():
    tidy = _daily("facebook", "2025-01-01", "2025-02-10")
    assert default_period(tidy).period == "2025-02"
    assert default_period(tidy.iloc[0:0]) is None


def test_pages_with_data_follow_the_window():
    tidy = pd.concat(
        [
            _daily("facebook", "2025-02-01", "2025-03-31"),
            _range("trusted2know", "2025-05-01", "2025-10-31"),
        ],
        ignore_index=True,
    )
    assert pages_with_data(tidy, reporting_window("2025-03")) == ("social",)
    # a total over a range lies inside the window of October 2025
    assert pages_with_data(tidy, reporting_window("2025-10")) == ("social", "trusted2know")
    assert all(
        p in {s.name for s in config.CHANNEL_SPECS}
        for p in pages_with_data(tidy, reporting_window("2025-10"))
    )


def test_pages_by_window_give_each_window_what_it_alone_gives():
    tidy = pd.concat(
        [
            _daily("facebook", "2024-02-01", "2024-03-31"),
            _daily("website", "2025-04-01", "2025-04-30"),
            _range("trusted2know", "2025-05-01", "2025-10-31"),
        ],
        ignore_index=True,
    )
    months = ["2024-03", "2025-04", "2025-10", "2026-09"]
    windows = [reporting_window(m) for m in months]
    found = pages_by_window(tidy, windows)
    assert found == [pages_with_data(tidy, w) for w in windows]
    # a year's window: the Trust Ed range lies inside October 2025's, no data in 2026's
    assert found == [("social",), ("website",), ("website", "trusted2know"), ()]

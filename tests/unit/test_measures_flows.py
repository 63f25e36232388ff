"""The period month's flows: days covered, like-for-like changes, weeks and top items."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import measures
from helpers.measures.breakdowns import DEVICES, ITEMS, SOURCES, breakdown_kind
from helpers.measures.flows import MONTH_BEFORE, THIS_MONTH
from helpers.tidy.periods import reporting_window


def _days(channel: str, metric: str, first: str, last: str, value=1.0, account="Acc", file="f"):
    days = pd.date_range(first, last, freq="D")
    values = value if callable(value) else (lambda d: value)
    return pd.DataFrame(
        {
            "start": days,
            "end": days,
            "channel": channel,
            "account": account,
            "segment": "",
            "metric": metric,
            "value": [float(values(d)) for d in days],
            "unit": "count",
            "source": [f"exports/{file}.csv:{i + 2}:{metric}" for i in range(len(days))],
        }
    )


def _tidy(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def _one(flows: pd.DataFrame, **where) -> pd.Series:
    rows = flows
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_a_whole_month_compares_with_the_whole_month_before_and_a_year_before():
    tidy = _days("facebook", "reach", "2024-03-01", "2025-03-31", 10)
    flows = measures.period_flows(tidy, reporting_window("2025-03"), ["facebook"])
    now = _one(flows, compare=THIS_MONTH, measure="value")
    assert (now["value"], now["days"], now["partial"]) == (310, 31, False)
    before = _one(flows, compare=MONTH_BEFORE, measure="value")
    assert before["value"] == 280 and before["start"] == pd.Timestamp("2025-02-01")
    change = _one(flows, measure="mom_pct_change")
    assert change["value"] == pytest.approx((310 / 280 - 1) * 100)
    assert _one(flows, measure="yoy_pct_change")["value"] == pytest.approx(0.0)


def test_a_partial_month_is_compared_over_the_same_days():
    tidy = _days("twitter", "impressions", "2025-01-01", "2025-03-21", lambda d: d.day)
    flows = measures.period_flows(tidy, reporting_window("2025-03"), ["twitter"])
    now = _one(flows, compare=THIS_MONTH, measure="value")
    assert now["partial"] and now["days"] == 21 and now["value"] == sum(range(1, 22))
    before = _one(flows, compare=MONTH_BEFORE, measure="value")
    assert (before["start"], before["end"]) == (
        pd.Timestamp("2025-02-01"),
        pd.Timestamp("2025-02-21"),
    )
    assert before["value"] == now["value"]
    assert _one(flows, measure="mom_pct_change")["value"] == 0.0
    year = _one(flows, measure="yoy_pct_change")
    assert math.isnan(year["value"]) and year["note"] == "the data hold nothing for March 2024"


def test_days_the_month_before_does_not_have_withhold_the_change():
    tidy = _days("instagram", "views", "2025-02-01", "2025-03-31")
    tidy = tidy[tidy["start"] < "2025-02-20"]  # February stops on the 19th
    tidy = _tidy(tidy, _days("instagram", "views", "2025-03-18", "2025-03-31"))
    flows = measures.period_flows(tidy, reporting_window("2025-03"), ["instagram"])
    change = _one(flows, measure="mom_pct_change")
    assert math.isnan(change["value"]) and change["note"] == "February 2025 has no day 31"


def test_weeks_are_not_cut_into_days_and_a_straddling_week_belongs_to_no_month():
    weeks = pd.DataFrame(
        {
            "start": pd.to_datetime(
                ["2025-02-09", "2025-02-23", "2025-03-02", "2025-03-09", "2025-03-30"]
            ),
            "end": pd.to_datetime(
                ["2025-02-15", "2025-03-01", "2025-03-08", "2025-03-15", "2025-04-05"]
            ),
            "channel": "website",
            "account": "site",
            "segment": "",
            "metric": "new_users",
            "value": [3.0, 5.0, 7.0, 11.0, 13.0],
            "unit": "count",
            "source": [f"exports/ga4.csv:{i}:New users" for i in range(5)],
        }
    )
    window = reporting_window("2025-03")
    flows = measures.period_flows(weeks, window, ["website"])
    now = _one(flows, compare=THIS_MONTH, measure="value")
    assert now["value"] == 18 and now["days"] == 14 and not now["daily"]
    assert "weekly figures cannot be cut" in _one(flows, measure="mom_pct_change")["note"]
    listed = measures.period_weeks(weeks, window, ["website"])
    assert list(listed["straddles"]) == [True, False, False, True]  # the February week is out


def test_sparse_metrics_of_a_content_export_cover_the_days_of_its_file():
    posts = _days("facebook", "posts", "2025-03-01", "2025-03-31", 1, file="content")
    clicks = _days("facebook", "link_clicks", "2025-03-05", "2025-03-05", 4, file="content")
    flows = measures.period_flows(_tidy(posts, clicks), reporting_window("2025-03"), ["facebook"])
    now = _one(flows, compare=THIS_MONTH, measure="value", metric="link_clicks")
    assert now["value"] == 4 and now["days"] == 31 and not now["partial"]


def test_several_accounts_get_a_total_and_channels_all_is_left_out():
    a = _days("facebook", "reach", "2025-02-01", "2025-03-31", 1, account="A")
    b = _days("facebook", "reach", "2025-02-01", "2025-03-31", 2, account="B")
    everyone = _days("all", "reach", "2025-03-01", "2025-03-31", 5, account="All accounts")
    flows = measures.period_flows(
        _tidy(a, b, everyone), reporting_window("2025-03"), ["facebook", "all"]
    )
    total = _one(flows, account="All accounts", compare=THIS_MONTH, measure="value")
    assert total["value"] == 93 and bool(total["is_total"])
    assert set(flows["channel"]) == {"facebook"}
    assert (
        flows[
            ~flows["is_total"] & (flows["measure"] == "value") & (flows["compare"] == THIS_MONTH)
        ]["value"].sum()
        == total["value"]
    )


def test_no_figures_in_the_month_give_an_empty_frame():
    tidy = _days("facebook", "reach", "2025-01-01", "2025-01-31")
    assert measures.period_flows(tidy, reporting_window("2025-03"), ["facebook"]).empty


def test_whole_month_rows_are_the_monthly_tables_own():
    month = pd.DataFrame(
        {
            "start": [pd.Timestamp("2015-09-01")],
            "end": [pd.Timestamp("2015-09-30")],
            "channel": "website",
            "account": "site",
            "segment": "",
            "metric": "sessions",
            "value": [157659.0],
            "unit": "count",
            "source": ["report_2015/website_monthly.csv:6:Sep-15"],
        }
    )
    assert measures.period_flows(month, reporting_window("2015-09"), ["website"]).empty


@settings(max_examples=20, deadline=None)
@given(last=st.integers(1, 31), value=st.integers(0, 500))
def test_the_month_is_the_sum_of_its_days(last, value):
    tidy = _days("youtube", "views", "2025-02-01", f"2025-03-{last:02d}", value)
    flows = measures.period_flows(tidy, reporting_window("2025-03"), ["youtube"])
    now = _one(flows, compare=THIS_MONTH, measure="value")
    assert now["value"] == value * last and now["days"] == last
    assert bool(now["partial"]) is (last < 31)
    change = _one(flows, measure="mom_pct_change")["value"]
    if not value:  # nothing either month: nothing to compare
        assert math.isnan(change)
    elif last == 31:  # two whole months
        assert change == pytest.approx((31 / 28 - 1) * 100)
    elif last <= 28:  # the same days of February
        assert change == 0.0
    else:  # February has no 29th or 30th
        assert math.isnan(change)


def test_series_by_month_mark_partial_months():
    tidy = _days("facebook", "reach", "2025-01-10", "2025-03-31", 1)
    series = measures.flow_series(tidy, reporting_window("2025-03"), ["facebook"])
    assert list(series["days"]) == [22, 28, 31]
    assert list(series["partial"]) == [True, False, False]


def _ranged(metric, segments, values, start, end, file="ga.csv", first_line=10):
    return pd.DataFrame(
        {
            "start": pd.Timestamp(start),
            "end": pd.Timestamp(end),
            "channel": "website",
            "account": "site",
            "segment": segments,
            "metric": metric,
            "value": [float(v) for v in values],
            "unit": "count",
            "source": [f"exports/{file}:{first_line + i}:M" for i in range(len(values))],
        }
    )


def test_top_items_take_the_table_of_the_right_kind_and_say_it_runs_past_the_month():
    sources = _ranged(
        "sessions",
        ["Direct", "Organic Search", "Referral"],
        [50, 30, 20],
        "2025-01-01",
        "2025-12-31",
    )
    devices = _ranged(
        "sessions", ["desktop", "mobile"], [60, 40], "2025-01-01", "2025-12-31", first_line=40
    )
    tidy = _tidy(sources, devices)
    window = reporting_window("2025-03")
    got = measures.top_items(tidy, window, "website", "sessions", kind=SOURCES)
    assert list(got["segment"]) == ["Direct", "Organic Search", "Referral", ""]
    assert got["runs_past"].all() and got.iloc[-1]["value"] == 100 and got.iloc[-1]["is_total"]
    assert list(measures.top_items(tidy, window, "website", "sessions", kind=DEVICES)["segment"])[
        :2
    ] == [
        "desktop",
        "mobile",
    ]
    assert measures.top_items(tidy, window, "website", "sessions", kind=ITEMS).empty


def test_top_items_of_the_month_add_up_day_by_item_rows():
    a = _days("youtube", "views", "2025-03-01", "2025-03-31", 2).assign(segment="Video A")
    b = _days("youtube", "views", "2025-03-01", "2025-03-31", 3).assign(segment="Video B")
    got = measures.top_items(_tidy(a, b), reporting_window("2025-03"), "youtube", "views", top=1)
    assert list(got["segment"]) == ["Video B", ""] and list(got["value"]) == [93, 155]
    assert not got["runs_past"].any() and got["items"].iloc[0] == 2


@pytest.mark.parametrize(
    ("items", "kind"),
    [
        (["Direct", "Organic Search", "Unassigned"], SOURCES),
        (["desktop", "Mobile", "tablet"], DEVICES),
        (["/", "/news"], ITEMS),
        (["Direct", "/news"], ITEMS),
    ],
)
def test_breakdown_kind(items, kind):
    assert breakdown_kind(items) == kind

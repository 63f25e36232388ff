"""Engagement, monthly totals, highlights and web measures on hand-made tidy tables."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.config import ALL_ACCOUNTS
from helpers.measures import activity, web
from helpers.measures.figures import one
from helpers.schema import coerce_tidy
from helpers.tidy.periods import Window

WINDOW = Window(pd.Period("2015-05", "M"), pd.Period("2015-10", "M"))
SITE = "lancashire.police.uk"


def rows(*items: tuple) -> pd.DataFrame:
    """(start, end, channel, account, segment, metric, value, unit) rows as a tidy table."""
    return coerce_tidy(
        pd.DataFrame(
            [
                {
                    "start": s,
                    "end": e,
                    "channel": c,
                    "account": a,
                    "segment": g,
                    "metric": m,
                    "value": v,
                    "unit": u,
                    "source": f"t.csv:{i + 2}:value",
                }
                for i, (s, e, c, a, g, m, v, u) in enumerate(items)
            ]
        )
    )


def test_engagement_uses_the_latest_month_and_sums_the_pages():
    data = rows(
        ("2015-08-01", "2015-08-31", "facebook", "A", "", "reach", 10.0, "count"),
        ("2015-08-01", "2015-08-31", "facebook", "A", "", "engaged_users", 1.0, "count"),
        ("2015-09-01", "2015-09-30", "facebook", "A", "", "reach", 100.0, "count"),
        ("2015-09-01", "2015-09-30", "facebook", "A", "", "engaged_users", 10.0, "count"),
        ("2015-09-01", "2015-09-30", "facebook", "B", "", "reach", 300.0, "count"),
        ("2015-09-01", "2015-09-30", "facebook", "B", "", "engaged_users", 90.0, "count"),
    )
    frame = activity.engagement(data, WINDOW)
    assert set(frame["start"]) == {pd.Timestamp("2015-09-01")}
    assert one(frame, account="A", metric="engagement_rate") == pytest.approx(10.0)
    assert one(frame, account=ALL_ACCOUNTS, metric="reach") == 400.0
    assert one(frame, account=ALL_ACCOUNTS, metric="engagement_rate") == pytest.approx(25.0)
    assert activity.engagement(data.iloc[0:0], WINDOW).empty


def test_monthly_totals_prefer_the_stated_total():
    data = rows(
        ("2015-09-01", "2015-09-30", "twitter", ALL_ACCOUNTS, "", "impressions", 18.0, "count"),
        ("2015-09-01", "2015-09-30", "twitter", "A", "", "impressions", 5.0, "count"),
        ("2015-10-01", "2015-10-31", "twitter", "A", "", "impressions", 5.0, "count"),
        ("2015-10-01", "2015-10-31", "twitter", "B", "", "impressions", 6.0, "count"),
    )
    frame = activity.monthly_totals(data, WINDOW, "twitter", "impressions")
    assert frame["value"].tolist() == [18.0, 11.0]


def test_highlights_leave_out_figures_dated_after_the_period():
    data = rows(
        ("2015-09-01", "2015-09-20", "all", ALL_ACCOUNTS, "Week", "reach", 5.0, "count"),
        ("2015-11-18", "2015-11-18", "youtube", "South", "Copcast", "views", 1300.0, "count"),
    )
    campaigns = pd.DataFrame(
        {"source": data["source"], "qualifier": ["around", "more than"], "dated": [False, True]}
    )
    frame = activity.highlights(data, WINDOW, campaigns, ["all", "youtube"])
    assert frame["segment"].tolist() == ["Week"]
    assert frame["qualifier"].tolist() == ["around"]


def test_traffic_sums_sessions_but_not_users():
    data = rows(
        ("2015-05-01", "2015-05-31", "website", SITE, "", "sessions", 10.0, "count"),
        ("2015-06-01", "2015-06-30", "website", SITE, "", "sessions", 20.0, "count"),
        ("2015-05-01", "2015-05-31", "website", SITE, "", "users", 8.0, "count"),
        ("2015-06-01", "2015-06-30", "website", SITE, "", "users", 15.0, "count"),
    )
    frame = web.traffic(data, WINDOW, "website", SITE)
    assert one(frame, metric="sessions", measure="sum") == 30.0
    assert frame[(frame["metric"] == "users") & (frame["measure"] == "sum")].empty
    # a missing month is not filled: only May and June appear
    assert sorted(frame["month"].dropna().astype(str).unique()) == ["2015-05", "2015-06"]
    assert web.traffic(
        data, Window(pd.Period("2014-01", "M"), pd.Period("2014-02", "M")), "website", SITE
    ).empty


def test_a_single_month_has_no_sum_row():
    data = rows(("2015-05-01", "2015-05-31", "website", SITE, "", "sessions", 10.0, "count"))
    frame = web.traffic(data, WINDOW, "website", SITE)
    assert frame["measure"].tolist() == ["value"]


def test_device_mix_weights_months_by_sessions():
    data = rows(
        ("2015-05-01", "2015-05-31", "website", SITE, "", "sessions", 100.0, "count"),
        ("2015-06-01", "2015-06-30", "website", SITE, "", "sessions", 300.0, "count"),
        ("2015-05-01", "2015-05-31", "website", SITE, "Mobile", "device_share", 40.0, "percent"),
        ("2015-05-01", "2015-05-31", "website", SITE, "Desktop", "device_share", 60.0, "percent"),
        ("2015-06-01", "2015-06-30", "website", SITE, "Mobile", "device_share", 80.0, "percent"),
        ("2015-06-01", "2015-06-30", "website", SITE, "Desktop", "device_share", 20.0, "percent"),
    )
    frame = web.device_mix(data, WINDOW, "website", SITE)
    overall = frame[frame["start"] != frame["end"].dt.to_period("M").dt.start_time]
    overall = frame[
        (frame["start"] == pd.Timestamp("2015-05-01"))
        & (frame["end"] == pd.Timestamp("2015-06-30"))
    ]
    assert overall.set_index("segment")["value"]["Mobile"] == pytest.approx(70.0)


def test_ranged_shares_only_when_the_range_is_inside_the_window():
    data = rows(
        (
            "2015-05-01",
            "2015-10-31",
            "website",
            SITE,
            "Social",
            "acquisition_share",
            60.0,
            "percent",
        ),
        (
            "2015-05-01",
            "2015-10-31",
            "website",
            SITE,
            "Direct",
            "acquisition_share",
            40.0,
            "percent",
        ),
    )
    assert web.shares(data, WINDOW, "website", SITE, "acquisition_share")["segment"].tolist() == [
        "Social",
        "Direct",
    ]
    september = Window(pd.Period("2014-10", "M"), pd.Period("2015-09", "M"))
    assert web.shares(data, september, "website", SITE, "acquisition_share").empty


def test_segments_add_a_total_row():
    data = rows(
        ("2015-05-01", "2015-10-31", "website", SITE, "Join us", "form_submissions", 4.0, "count"),
        ("2015-05-01", "2015-10-31", "website", SITE, "Lost", "form_submissions", 1.0, "count"),
    )
    frame = web.segments(data, WINDOW, "website", SITE, "form_submissions")
    assert one(frame, measure="sum") == 5.0
    assert web.segments(data.iloc[0:0], WINDOW, "website", SITE, "form_submissions").empty


def test_segments_rank_and_cut_to_the_largest():
    data = rows(
        *(
            ("2015-05-01", "2015-10-31", "trusted2know", SITE, f"/p{i}", "pageviews", v, "count")
            for i, v in enumerate([5.0, 9.0, 1.0, 9.0, 7.0, 2.0])
        )
    )
    frame = web.segments(data, WINDOW, "trusted2know", SITE, "pageviews", top=3)
    values = frame[frame["measure"] == "value"]
    assert values["segment"].tolist() == ["/p1", "/p3", "/p4"]  # ties by segment
    assert one(frame, measure="sum") == 25.0  # the pages kept, as the table says
    total = frame[frame["measure"] == "sum"].iloc[0]
    assert total["source"] == "sum of the 3 rows above, the 3 largest of 6"
    everything = web.segments(data, WINDOW, "trusted2know", SITE, "pageviews")
    assert len(everything) == 7 and one(everything, measure="sum") == 33.0

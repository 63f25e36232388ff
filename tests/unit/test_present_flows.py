"""The month's flows in words, a table, tiles and charts, and partial months said one way."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import measures, present
from helpers.present import flows as views
from helpers.present import formats
from helpers.present.figure import alt_text
from helpers.present.overview import key_points
from helpers.present.summary import not_covered
from helpers.tidy.periods import reporting_window
from tests.factories.daily import daily_rows

_days = daily_rows


@pytest.fixture(scope="module")
def month():
    tidy = pd.concat(
        [
            _days("facebook", "reach", "2024-12-01", "2025-03-31", 100),
            _days("facebook", "posts", "2025-02-01", "2025-03-31", 2),
            _days("facebook", "post_reach", "2025-02-01", "2025-03-31", 40),
            _days("twitter", "impressions", "2025-01-01", "2025-03-21", 10),
            _days("instagram", "views", "2025-03-18", "2025-03-31", 5),
        ],
        ignore_index=True,
    )
    window = reporting_window("2025-03")
    channels = ["facebook", "twitter", "instagram", "youtube"]
    return measures.period_flows(tidy, window, channels), measures.flow_series(
        tidy, window, channels
    )


@pytest.mark.parametrize(
    ("start", "end", "days", "text"),
    [
        ("2025-03-01", "2025-03-31", None, "March 2025"),
        ("2025-03-01", "2025-03-21", None, "1–21 March 2025 (21 of 31 days)"),
        ("2025-03-18", "2025-03-18", None, "18 March 2025 (1 of 31 days)"),
        ("2025-03-02", "2025-03-29", 28, "2–29 March 2025 (28 of 31 days)"),
        ("2025-02-23", "2025-03-01", None, "23 February to 1 March 2025"),
    ],
)
def test_days_covered_is_said_one_way(start, end, days, text):
    assert formats.days_covered(start, end, days) == text


def test_key_points_give_each_channel_its_month_with_like_for_like_changes(month):
    flows, _ = month
    assert views.flow_points(flows) == [
        "Facebook reach: 3,100 in March 2025, up 10.7% on February 2025.",
        "Twitter impressions: 210 over 1–21 March 2025 (21 of 31 days), the same as "
        "1–21 February 2025.",
        "Instagram views: 70 over 18–31 March 2025 (14 of 31 days).",
    ]


def test_post_reach_is_called_a_sum_over_posts(month):
    flows, _ = month
    text = " ".join(views.flow_sentences(flows))
    assert "Facebook post reach, summed over 62 posts: 1,240 in March 2025" in text
    assert "people" not in text


def test_the_table_has_one_row_per_channel_and_figure_with_its_days(month):
    flows, _ = month
    table = views.flow_table(flows).data
    # no column of dashes only: nothing a year before
    assert list(table.columns) == ["March 2025", "February 2025", "Change on the month"]
    labels = list(table.index)
    assert ("Facebook", "Reach") in labels
    assert ("Twitter (1–21 March 2025, 21 of 31 days)", "Impressions") in labels
    assert ("Facebook", "Post reach (summed over 62 posts)") in labels
    assert table.loc[("Facebook", "Reach"), "March 2025"] == 3100
    notes = views.flow_notes(flows)
    assert notes.startswith("Where the data cover part of a month")
    assert "Instagram on the month: the data hold nothing for February 2025" in notes


def test_tiles_and_charts_carry_the_months(month):
    flows, series = month
    tiles = views.flow_tiles(flows, series)
    assert [t.label for t in tiles] == ["Facebook reach", "Twitter impressions", "Instagram views"]
    assert tiles[1].date == "1–21 March 2025 (21 of 31 days)"
    assert tiles[0].series == (3100.0, 3100.0, 2800.0, 3100.0)  # December to March
    assert tiles[0].change == pytest.approx((3100 / 2800 - 1) * 100)
    assert views.trend_channels(series) == [("facebook", "reach"), ("twitter", "impressions")]
    fig = views.flow_charts(series)
    alt = alt_text(fig)
    assert "Facebook reach by month, December 2024 to March 2025" in alt
    assert "Twitter impressions by month" in alt and "(part of the month)" in alt


def test_views_say_nothing_when_there_are_no_flows():
    empty = measures.period_flows(
        _days("facebook", "reach", "2025-01-01", "2025-01-31", 1),
        reporting_window("2025-03"),
        ["facebook"],
    )
    assert empty.empty
    assert present.flow_table(empty).what.startswith("daily or weekly")
    assert present.flow_notes(empty) is None and present.flow_points(empty) == []


def test_the_overview_says_the_month_from_headline_records(month):
    flows, _ = month
    headlines = present.HeadlineSet.from_frames("social", "2025-03", [flows]).records()
    points = key_points(headlines, (), "2025-03")
    assert points[0].startswith("Facebook reach: 3,100 in March 2025, up 10.7% on February 2025")
    assert any(p.startswith("Instagram views: 70 over 18–31 March 2025") for p in points)
    # a figure that runs on after the month is no key point of it
    later = [
        {
            **headlines[0],
            "start": "2025-01-01",
            "end": "2025-12-31",
            "measure": "sum",
            "metric": "sessions",
            "channel": "website",
        }
    ]
    assert key_points(later, (), "2025-03") == []


def test_not_covered_names_the_pages_left_out():
    assert not_covered(None, "April 2024 to March 2025") is None
    line = not_covered(["social", "website"], "April 2024 to March 2025").data
    assert line == (
        "This briefing does not cover In the Know and Trust Ed youth website: the data hold "
        "no figures for them in April 2024 to March 2025."
    )


def test_month_labels_put_the_year_where_it_cannot_overlap():
    months = list(pd.date_range("2025-12-01", periods=3, freq="MS"))
    assert views.month_labels(months, [False, False, True]) == ["Dec", "Jan\n2026", "Feb*"]
    months = list(pd.date_range("2024-06-01", periods=3, freq="MS"))
    assert views.month_labels(months, [True, False, False]) == ["Jun*\n2024", "Jul", "Aug"]
    assert views.month_labels(months[:1], [False]) == ["Jun\n2024"]

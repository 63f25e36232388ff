"""Growth sentences: one rule for how many readings are needed, numbers described as they move."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

from helpers import measures, present
from helpers.config import Channel, Metric
from helpers.measures import forecast, saturation
from helpers.measures.forecast import forecast as project
from helpers.measures.growth import growth_summary
from helpers.measures.saturation import saturation_check
from helpers.measures.trends import Trend
from helpers.tidy.inputs import open_period


def _trend(period: str, channel: str, metric: str) -> Trend:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        inputs = open_period(period)
    return measures.trend(measures.audience(inputs.tidy, inputs.window, channel, metric))


def _series_trend(values: list[float]) -> Trend:
    series = pd.Series(values, index=pd.date_range("2014-01-31", periods=len(values), freq="ME"))
    return Trend(
        "twitter",
        "followers",
        series,
        growth_summary(series),
        saturation_check(series),
        project(series),
    )


def test_one_rule_for_how_many_readings_are_needed():
    assert saturation.MIN_POINTS == forecast.MIN_POINTS == 6
    for period in ("2015-09", "2015-10"):
        trend = _trend(period, Channel.TWITTER, Metric.FOLLOWERS)
        text = " ".join(
            [
                present.method_trend(trend, "Twitter followers").data,
                present.trend_sentence(trend, "Twitter followers"),
                present.projection_sentence(trend, "Twitter followers"),
            ]
        )
        assert set(re.findall(r"at least (\w+)", text)) == {"six"}, text
        assert "at least six monthly readings" in present.method_trend(trend, "x").data


def test_each_interval_the_chart_plots_is_stated_with_its_months():
    """October 2015: every interval from the year-earlier reading on, none averaged away."""
    trend = _trend("2015-10", Channel.TWITTER, Metric.FOLLOWERS)
    sentence = present.trend_sentence(trend, "Twitter followers")
    assert sentence.startswith(
        "Twitter followers grew by 5,690 a month between September 2014 and February 2015, "
        "4,034 a month between February and June 2015, 3,878 a month between June and "
        "September 2015 and 3,091 in October 2015."
    )
    assert "→" not in sentence and "each month" not in sentence


@pytest.mark.parametrize(
    "added",
    [
        [1000, 998, 996, 994, 992, 990, 988],  # falling
        [1000, 1003, 1006, 1009, 1012, 1015, 1018],  # rising
        [1000, 1010, 995, 1005, 990, 1008, 1000],  # neither
    ],
)
def test_the_finding_does_not_turn_on_how_the_additions_move(added):
    """June said "fewer each month", September "more": the finding holds for every window."""
    values = [20_000.0]
    for step in added:
        values.append(values[-1] + step)
    sentence = present.trend_sentence(_series_trend(values), "Twitter followers")
    finding = sentence.split(". ")[-1]
    assert finding.startswith("Growth continued in every interval;")
    assert "fewer" not in sentence and "more each" not in sentence and "similar" not in sentence


def test_the_finding_is_the_same_in_every_paper_of_2015():
    findings = set()
    for period in ("2015-06", "2015-09", "2015-11"):
        for channel, metric in (
            (Channel.FACEBOOK, Metric.PAGE_LIKES),
            (Channel.TWITTER, Metric.FOLLOWERS),
        ):
            sentence = present.trend_sentence(_trend(period, channel, metric), "x")
            findings.add(re.sub(r"with \w+ monthly", "with N monthly", sentence.split(". ")[-1]))
    assert findings == {
        "Growth continued in every interval; with N monthly readings it is too early to tell "
        "whether growth is slowing (at least six are needed)."
    }


def test_the_numbers_added_a_month_are_headline_figures():
    """Every number a sentence shows is in headlines.json: the additions are published."""
    trend = _trend("2015-10", Channel.TWITTER, Metric.FOLLOWERS)
    figures = measures.trend_figures(trend)
    added = figures[figures["measure"] == "change_per_month"]
    assert [round(v) for v in added["value"]] == [5690, 4034, 3878, 3091]
    assert set(added["unit"]) == {"count_per_month"}
    assert present.formats.value(
        added["value"].iloc[-1], "count_per_month", "change_per_month"
    ) == ("+3,091 a month")
    present.HeadlineSet.from_frames("social", "2015-10", [figures])  # a known measure


def test_no_readings_are_said_in_words():
    trend = _series_trend([])
    assert present.method_trend(trend, "Twitter followers").data.endswith(
        "judged only from at least six monthly readings; there are none."
    )
    # no readings is nothing to say: never a key point of "there are no ... figures"
    assert present.trend_sentence(trend, "Twitter followers") == ""
    assert present.projection_sentence(trend, "Twitter followers") == ""

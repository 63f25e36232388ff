"""Chart text is readable on paper: at least 7 pt once a chart is printed.

The board paper prints a chart at ``config.CHART_PRINT_SCALE`` of its own size; every
text of every chart the pages draw (titles, tick labels, legends, values on bars, the
source note) is measured here from the figure's own font sizes. The printed size
itself is measured in the PDF by ``tests/pipeline/test_board_paper_periods.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from helpers import config, measures, present
from helpers.config import Channel, Metric
from helpers.present import theme
from helpers.tidy.inputs import PeriodInputs, open_period

WEBSITE, TRUST_ED = "lancashire.police.uk", "trustedtoknow.co.uk"


@pytest.fixture(scope="module")
def november() -> PeriodInputs:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return open_period("2015-11")


def _audience(i: PeriodInputs, channel: str, metric: str) -> pd.DataFrame:
    return measures.audience(i.tidy, i.window, channel, metric)


def _devices(i: PeriodInputs) -> dict[str, pd.DataFrame]:
    return {
        "Trust Ed": measures.shares(
            i.tidy, i.window, Channel.TRUSTED2KNOW, TRUST_ED, "device_share"
        ),
        "Force website": measures.device_mix(i.tidy, i.window, Channel.WEBSITE, WEBSITE).query(
            "month.isna()"
        ),
    }


#: Every chart the pages draw, as the notebooks call it (printed and screen-only).
CHARTS: dict[str, Callable[[PeriodInputs], Any]] = {
    "Facebook total": lambda i: present.total_chart(
        _audience(i, Channel.FACEBOOK, Metric.PAGE_LIKES), "Facebook likes"
    ),
    "Twitter total": lambda i: present.total_chart(
        _audience(i, Channel.TWITTER, Metric.FOLLOWERS), "Twitter followers"
    ),
    "In the Know total": lambda i: present.total_chart(
        _audience(i, Channel.ITK, Metric.REGISTERED_USERS), "ITK registered users", "division"
    ),
    "Facebook by account": lambda i: present.audience_chart(
        _audience(i, Channel.FACEBOOK, Metric.PAGE_LIKES), "Facebook likes", "account"
    ),
    "growth by division": lambda i: present.change_chart(
        measures.audience_change(_audience(i, Channel.ITK, Metric.REGISTERED_USERS)),
        "ITK registered users",
        "division",
    ),
    "engagement": lambda i: present.engagement_chart(measures.engagement(i.tidy, i.window)),
    "website traffic": lambda i: present.traffic_chart(
        measures.traffic(i.tidy, i.window, Channel.WEBSITE, WEBSITE), "Force website"
    ),
    "website devices": lambda i: present.device_chart(
        measures.device_mix(i.tidy, i.window, Channel.WEBSITE, WEBSITE), "Force website"
    ),
    "traffic sources": lambda i: present.share_bars(
        measures.shares(i.tidy, i.window, Channel.WEBSITE, WEBSITE, "acquisition_share"),
        "Sessions by traffic source",
        "Source",
    ),
    "forms": lambda i: present.count_bars(
        measures.segments(i.tidy, i.window, Channel.WEBSITE, WEBSITE, "form_submissions"),
        "Online forms submitted",
        "Form",
        "Forms submitted",
    ),
    "Trust Ed devices": lambda i: present.compare_chart(_devices(i), "Sessions by device"),
}


def _texts(fig: Figure) -> list[Text]:
    fig.canvas.draw()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_text_prints_at_seven_points_or_more(november: PeriodInputs, name: str) -> None:
    fig = CHARTS[name](november)
    assert isinstance(fig, Figure), fig
    texts = _texts(fig)
    assert texts
    smallest = min(texts, key=lambda t: t.get_fontsize())
    printed = smallest.get_fontsize() * config.CHART_PRINT_SCALE
    assert printed >= theme.MIN_PRINTED_PT, (
        f"{name}: {smallest.get_text()!r} at {smallest.get_fontsize()} pt prints at "
        f"{printed:.1f} pt"
    )
    assert smallest.get_fontsize() >= theme.MIN_FONT_PT


@pytest.mark.parametrize("name", ["Facebook total", "Twitter total", "In the Know total"])
def test_every_plotted_reading_has_its_axis_label(november: PeriodInputs, name: str) -> None:
    """30 September and 31 October 2015 are a month apart: both keep their label."""
    fig = CHARTS[name](november)
    ax = fig.axes[0]
    fig.canvas.draw()
    plotted = {
        mdates.num2date(x).strftime("%b %Y")
        for line in ax.lines
        for x in mdates.date2num(pd.to_datetime(line.get_xdata()))
    }
    shown = {
        " ".join(t.get_text().split())
        for t in ax.get_xticklabels()
        if t.get_visible() and t.get_text()
    }
    assert plotted <= shown, f"{name}: no label for {sorted(plotted - shown)}"


def test_the_in_the_know_chart_is_titled_by_its_divisions(november: PeriodInputs) -> None:
    title = CHARTS["In the Know total"](november).axes[0].get_title().replace("\n", " ")
    assert "all divisions" in title and "all accounts" not in title
    facebook = CHARTS["Facebook total"](november).axes[0].get_title().replace("\n", " ")
    assert "all accounts" in facebook

"""Generic charts (helpers.present.primitives): labels, formats, fans, bars, shares."""

from __future__ import annotations

import re

import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.measures.arithmetic import pct_change
from helpers.present import figure, primitives, theme

SOURCE = (
    "Source: Community Engagement Update Report 2015, tables transcribed in data/raw/report_2015"
)
DATES = ["2015-02-28", "2015-06-30", "2015-09-30"]
# Facebook page likes per account (data/raw/report_2015/facebook_likes_by_account.csv).
LIKES = {
    "Lancs Police": [51069, 56086, 61462],
    "Specialist": [17586, 19130, 20457],
    "West": [35589, 42188, 47430],
    "South": [23794, 28237, 31244],
    "East": [27434, 32225, 36870],
    "Cadets": [2782, 3141, 3179],
}
# Website sessions by device, percent (data/raw/report_2015/website_device_share_monthly.csv).
DEVICES = {
    "2015-05-31": {"Desktop": 30.75, "Mobile": 54.46, "Tablet": 14.79},
    "2015-06-30": {"Desktop": 26.52, "Mobile": 60.06, "Tablet": 13.42},
    "2015-09-30": {"Desktop": 25.81, "Mobile": 61.66, "Tablet": 12.54},
}
OKABE_ITO_HEX = {
    "#000000",
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
}


@pytest.fixture(autouse=True)
def _restore_rc():
    with mpl.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def likes() -> pd.DataFrame:
    rows = [
        {
            "end": pd.Timestamp(day),
            "channel": "facebook",
            "account": account,
            "metric": "page_likes",
            "value": float(value),
            "unit": "count",
        }
        for account, values in LIKES.items()
        for day, value in zip(DATES, values, strict=True)
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def devices() -> pd.DataFrame:
    rows = [
        {"end": pd.Timestamp(day), "segment": segment, "value": share}
        for day, split in DEVICES.items()
        for segment, share in split.items()
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def changes() -> pd.DataFrame:
    rows = [
        {"account": account, "pct": pct_change(values[0], values[-1])}
        for account, values in LIKES.items()
    ]
    return pd.DataFrame(rows)


def _drawn(fig: Figure) -> Figure:
    fig.canvas.draw()
    return fig


def _ticks(axis) -> list[str]:
    """Texts of the major tick labels inside the axis' view limits."""
    low, high = sorted(axis.get_view_interval())
    pairs = zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=True)
    return [t.get_text() for loc, t in pairs if low <= loc <= high and t.get_text()]


def _source_note(fig: Figure) -> str:
    return " ".join(" ".join(t.get_text().split()) for t in fig.texts)


def _assert_labelled(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title().strip()
    assert ax.get_xlabel().strip()
    assert ax.get_ylabel().strip()
    assert SOURCE in _source_note(fig)
    width, height = fig.get_size_inches()
    assert width == theme.FIGSIZE[0] and height <= theme.FIGSIZE[1]  # bar charts by their bars
    assert fig.dpi == theme.DPI


def _legend_texts(fig: Figure) -> list[str]:
    legend = fig.axes[0].get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def test_charts_leave_global_settings_unchanged(likes, devices, changes):
    before = dict(mpl.rcParams)
    fig = primitives.trend_chart(likes, title="Likes", ylabel="Page likes", source=SOURCE)
    figure.png_with_metadata(fig)
    primitives.grouped_change_chart(
        changes, account_col="account", value_col="pct", title="t", source=SOURCE, xlabel="x"
    )
    primitives.share_chart(
        devices, period_col="end", segment_col="segment", title="t", source=SOURCE
    )
    changed = sorted(k for k, v in mpl.rcParams.items() if before[k] != v)
    assert not changed, f"charts changed matplotlib's global settings: {changed}"
    # the chart itself is in the house style all the same
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible()
    assert any(line.get_visible() for line in ax.get_ygridlines())


# --- trend chart ------------------------------------------------------------------------------


def test_trend_chart_labels_counts_and_dates(likes):
    fig = _drawn(
        primitives.trend_chart(
            likes, title="Facebook page likes", ylabel="Page likes", source=SOURCE
        )
    )
    _assert_labelled(fig)
    ax = fig.axes[0]
    y_ticks = _ticks(ax.yaxis)
    assert any("," in t for t in y_ticks)
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", t) for t in y_ticks)
    assert ax.get_ylim()[0] == 0  # counts never drawn below zero
    assert _ticks(ax.xaxis) == ["Feb 2015", "Jun 2015", "Sep 2015"]
    assert _legend_texts(fig) == list(LIKES)
    lines = [line for line in ax.get_lines() if line.get_label() in LIKES]
    assert len(lines) == len(LIKES)
    assert all(line.get_marker() == "o" and len(line.get_xdata()) == 3 for line in lines)
    colours = {line.get_label(): mcolors.to_hex(line.get_color()) for line in lines}
    assert colours == {a: theme.colour_of(a).lower() for a in LIKES}


def test_trend_chart_joins_only_observed_points(likes):
    gappy = likes.copy()
    gappy.loc[(gappy["account"] == "West") & (gappy["end"] == "2015-06-30"), "value"] = None
    fig = primitives.trend_chart(gappy, title="Likes", ylabel="Page likes", source=SOURCE)
    (west,) = [line for line in fig.axes[0].get_lines() if line.get_label() == "West"]
    assert list(west.get_ydata()) == [35589.0, 47430.0]


def test_trend_chart_projection_fan_in_legend(likes):
    projection = pd.DataFrame(
        {
            "end": pd.to_datetime(["2015-12-31", "2016-03-31"]),
            "mean": [66000.0, 70000.0],
            "lo80": [64000.0, 66000.0],
            "hi80": [68000.0, 74000.0],
            "lo95": [62000.0, 63000.0],
            "hi95": [70000.0, 77000.0],
            "account": "Lancs Police",
        }
    )
    fig = _drawn(
        primitives.trend_chart(
            likes, title="Likes", ylabel="Page likes", source=SOURCE, projection=projection
        )
    )
    assert "Projection" in _legend_texts(fig)
    ax = fig.axes[0]
    assert len(ax.collections) == 2  # the 80% and 95% bands
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1
    # The fan starts at the last observed point so it joins the line.
    assert dashed[0].get_ydata()[0] == 61462.0
    assert mcolors.to_hex(dashed[0].get_color()) == theme.colour_of("Lancs Police").lower()
    assert "Mar 2016" in _ticks(ax.xaxis)


def test_trend_chart_single_series_percent_projection_without_hue():
    rates = pd.DataFrame({"end": pd.to_datetime(DATES), "value": [4.1, 5.5, 6.2]})
    projection = pd.DataFrame(
        {
            "end": pd.to_datetime(["2015-12-31"]),
            "mean": [7.0],
            "lo80": [6.5],
            "hi80": [7.5],
            "lo95": [6.0],
            "hi95": [8.0],
        }
    )
    fig = _drawn(
        primitives.trend_chart(
            rates,
            hue=None,
            title="Engagement rate",
            ylabel="Engaged users (% of reach)",
            source=SOURCE,
            percent=True,
            projection=projection,
        )
    )
    _assert_labelled(fig)
    assert all(t.endswith("%") for t in _ticks(fig.axes[0].yaxis))
    assert _legend_texts(fig)[:2] == ["Observed", "Projection"]
    dashed = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
    assert list(dashed[0].get_ydata()) == [6.2, 7.0]


def test_trend_chart_many_months_labels_month_year():
    months = pd.date_range("2014-01-31", periods=24, freq="ME")
    data = pd.DataFrame({"end": months, "value": range(1000, 25000, 1000), "account": "West"})
    fig = _drawn(primitives.trend_chart(data, title="Likes", ylabel="Page likes", source=SOURCE))
    ticks = _ticks(fig.axes[0].xaxis)
    assert 3 <= len(ticks) <= 12
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t) for t in ticks)


def test_trend_chart_rejects_missing_column_and_empty_text(likes):
    with pytest.raises(ValueError, match="missing \\['volume'\\]"):
        primitives.trend_chart(likes, y="volume", title="t", ylabel="y", source=SOURCE)
    with pytest.raises(ValueError, match="title"):
        primitives.trend_chart(likes, title=" ", ylabel="y", source=SOURCE)
    with pytest.raises(ValueError, match="source"):
        primitives.trend_chart(likes, title="t", ylabel="y", source="")


# --- bar chart --------------------------------------------------------------------------------


def test_bar_chart_counts_with_value_labels(likes):
    latest = likes[likes["end"] == "2015-09-30"]
    fig = _drawn(
        primitives.bar_chart(
            latest,
            x="account",
            y="value",
            hue="account",
            title="Page likes on 30 Sep 2015",
            xlabel="Account",
            ylabel="Page likes",
            source=SOURCE,
        )
    )
    _assert_labelled(fig)
    ax = fig.axes[0]
    assert any("," in t for t in _ticks(ax.yaxis))
    assert _ticks(ax.xaxis) == list(LIKES)
    bar_texts = {t.get_text() for t in ax.texts}
    assert {"61,462", "3,179", "47,430"} <= bar_texts
    bars = [p for p in ax.patches if p.get_height() > 0]
    assert mcolors.to_hex(bars[0].get_facecolor()) == theme.colour_of("Lancs Police").lower()


def test_bar_chart_percent_horizontal_with_hue(devices):
    fig = _drawn(
        primitives.bar_chart(
            devices,
            x="end",
            y="value",
            hue="segment",
            horizontal=True,
            percent=True,
            title="Sessions by device",
            xlabel="Month",
            ylabel="Share of sessions (%)",
            source=SOURCE,
        )
    )
    _assert_labelled(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Share of sessions (%)"
    assert ax.get_ylabel() == "Month"
    assert all(t.endswith("%") for t in _ticks(ax.xaxis))
    assert _ticks(ax.yaxis) == ["May 2015", "Jun 2015", "Sep 2015"]
    assert {"54.5%", "61.7%", "12.5%"} <= {t.get_text() for t in ax.texts}
    assert _legend_texts(fig) == ["Desktop", "Mobile", "Tablet"]


def test_bar_chart_without_value_labels(likes):
    latest = likes[likes["end"] == "2015-09-30"]
    fig = primitives.bar_chart(
        latest,
        x="account",
        y="value",
        value_labels=False,
        title="Likes",
        xlabel="Account",
        ylabel="Page likes",
        source=SOURCE,
    )
    assert not fig.axes[0].texts


def test_bar_chart_rejects_repeated_bars(likes):
    with pytest.raises(ValueError, match="more than one row"):
        primitives.bar_chart(
            likes, x="account", y="value", title="t", xlabel="x", ylabel="y", source=SOURCE
        )


# --- share chart ------------------------------------------------------------------------------


def test_share_chart_stacks_to_100_with_segment_labels(devices):
    fig = _drawn(
        primitives.share_chart(
            devices,
            period_col="end",
            segment_col="segment",
            title="Website sessions by device",
            source=SOURCE,
        )
    )
    _assert_labelled(fig)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Month"
    assert _ticks(ax.yaxis) == ["May 2015", "Jun 2015", "Sep 2015"]
    x_ticks = _ticks(ax.xaxis)
    assert x_ticks[0] == "0%" and x_ticks[-1] == "100%"
    assert {"30.8%", "54.5%", "14.8%", "61.7%"} <= {t.get_text() for t in ax.texts}
    assert _legend_texts(fig) == ["Desktop", "Mobile", "Tablet"]
    right_edges = {}
    for bar in ax.patches:
        key = round(bar.get_y(), 3)
        right_edges[key] = max(right_edges.get(key, 0), bar.get_x() + bar.get_width())
    assert all(abs(edge - 100) < 0.1 for edge in right_edges.values())


def test_share_chart_accepts_monthly_periods(devices):
    monthly = devices.assign(month=devices["end"].dt.to_period("M")).drop(columns="end")
    fig = _drawn(
        primitives.share_chart(
            monthly, period_col="month", segment_col="segment", title="Devices", source=SOURCE
        )
    )
    assert fig.axes[0].get_ylabel() == "Month"
    assert _ticks(fig.axes[0].yaxis) == ["May 2015", "Jun 2015", "Sep 2015"]


def test_share_chart_sites_side_by_side_and_partial_breakdown():
    data = pd.DataFrame(
        {
            "site": ["lancashire.police.uk"] * 3 + ["trustedtoknow.co.uk"] * 2,
            "segment": ["Homepage", "News", "Join us", "Homepage", "News"],
            "value": [40.0, 25.0, 15.0, 50.0, 30.0],
        }
    )
    fig = _drawn(
        primitives.share_chart(
            data, period_col="site", segment_col="segment", title="Page views", source=SOURCE
        )
    )
    assert fig.axes[0].get_ylabel() == "Site"
    assert theme.NOT_REPORTED_LABEL in _legend_texts(fig)
    assert {"20.0%"} <= {t.get_text() for t in fig.axes[0].texts}


def test_share_chart_rejects_shares_over_100(devices):
    over = devices.copy()
    over.loc[0, "value"] = 50.0
    with pytest.raises(ValueError, match="add up to 119"):
        primitives.share_chart(
            over, period_col="end", segment_col="segment", title="t", source=SOURCE
        )


# --- grouped change chart ---------------------------------------------------------------------


def test_grouped_change_chart_sorted_with_signed_labels(changes):
    changes = pd.concat(
        [changes, pd.DataFrame({"account": ["Road Policing"], "pct": [-5.0]})], ignore_index=True
    )
    fig = _drawn(
        primitives.grouped_change_chart(
            changes,
            account_col="account",
            value_col="pct",
            title="Change in page likes",
            source=SOURCE,
            xlabel="Change 28 Feb to 30 Sep 2015 (%)",
        )
    )
    _assert_labelled(fig)
    ax = fig.axes[0]
    expected_order = changes.sort_values("pct", ascending=False)["account"].tolist()
    assert _ticks(ax.yaxis) == expected_order
    labels = [t.get_text() for t in ax.texts]
    assert labels[0] == f"+{changes['pct'].max():.1f}%"
    assert "-5.0%" in labels
    assert all(re.fullmatch(r"[+-]\d+\.\d%", t) for t in labels)
    x_ticks = _ticks(ax.xaxis)
    assert "0%" in x_ticks and any(t.startswith("+") and t.endswith("%") for t in x_ticks)


def test_grouped_change_chart_rejects_repeated_account(changes):
    with pytest.raises(ValueError, match="West"):
        primitives.grouped_change_chart(
            pd.concat([changes, changes[changes["account"] == "West"]]),
            account_col="account",
            value_col="pct",
            title="t",
            source=SOURCE,
            xlabel="Change (%)",
        )


def test_chart_draws_on_given_axes_without_a_source_note(likes):
    fig = Figure(figsize=(10, 4))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    out = primitives.trend_chart(likes, title="Likes", ylabel="Page likes", source=SOURCE, ax=left)
    assert out is left  # matplotlib's convention: given axes, return them
    assert left.get_title() == "Likes"
    assert not [t for t in fig.texts if t.get_gid() == "source-note"]
    assert right.get_title() == ""


def _text_boxes(fig: Figure):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return renderer


def test_long_title_stays_inside_the_figure():
    """A long title over a bar chart with long category labels is not cut off."""
    pages = pd.DataFrame(
        {
            "segment": ["Homepage", "Why do young people carry knives?", "Cadets", "Robbery"],
            "value": [3846.0, 922.0, 908.0, 263.0],
        }
    )
    title = "Most viewed Trust Ed pages, May to October 2015"
    fig = primitives.bar_chart(
        pages,
        x="segment",
        y="value",
        title=title,
        xlabel="Page",
        ylabel="Page views",
        source=SOURCE,
        horizontal=True,
    )
    renderer = _text_boxes(fig)
    box = fig.axes[0].title.get_window_extent(renderer)
    assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, (box, fig.bbox)
    assert " ".join(fig.axes[0].get_title().split()) == title


def test_date_labels_of_close_readings_do_not_overlap():
    """Readings a month apart at the end of a 13-month span: no "Sep 2015Oct 2015", and
    every reading keeps its label."""
    days = ["2014-09-30", "2015-02-28", "2015-06-30", "2015-09-30", "2015-10-31"]
    data = pd.DataFrame(
        {
            "end": pd.to_datetime(days),
            "value": [123.0, 158.0, 181.0, 200.0, 206.0],
            "account": "All",
        }
    )
    fig = primitives.trend_chart(data, title="Likes", ylabel="Page likes", source=SOURCE)
    renderer = _text_boxes(fig)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    labels = sorted(
        (
            t.label1
            for t in ax.xaxis.get_major_ticks()
            if low <= t.get_loc() <= high and t.label1.get_text()
        ),
        key=lambda t: t.get_window_extent(renderer).x0,
    )
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlaps = [
        (a.get_text(), b.get_text())
        for a, b, p, q in zip(labels, labels[1:], boxes, boxes[1:], strict=False)
        if p.x1 > q.x0
    ]
    assert not overlaps
    shown = [" ".join(t.get_text().split()) for t in labels]
    assert shown == ["Sep 2014", "Feb 2015", "Jun 2015", "Sep 2015", "Oct 2015"]  # every one

"""Is an audience still growing, and where is it heading? Growth, saturation, projection.

Bundles the three analyses of a channel total's month-end series
(:mod:`~helpers.measures.growth`, :mod:`~helpers.measures.saturation`,
:mod:`~helpers.measures.forecast`) so a notebook step gets them in one name.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from helpers.config import ALL_ACCOUNTS
from helpers.measures.audiences import total_series
from helpers.measures.figures import Measure, empty_figures, figure_frame
from helpers.measures.forecast import Forecast, Withheld, forecast
from helpers.measures.growth import GrowthSummary, growth_summary
from helpers.measures.saturation import SaturationResult, saturation_check


@dataclass(frozen=True)
class Trend:
    """The growth analyses of one channel total.

    Attributes:
        channel: The channel.
        metric: The audience metric.
        series: The channel total's month-end readings that the total chart plots:
            those of the window and those of the year before it (the starting point of
            the twelve-month change), so that every interval the chart shows is
            measured.
        growth: Compound monthly growth and month-on-month changes.
        saturation: Whether growth is levelling off, with the model comparison.
        projection: A projection with intervals, or why none is made.
    """

    channel: str
    metric: str
    series: pd.Series
    growth: GrowthSummary
    saturation: SaturationResult
    projection: Forecast | Withheld


def interval_rates(series: pd.Series) -> pd.DataFrame:
    """Compound monthly growth between each pair of consecutive readings.

    Args:
        series: Month-end readings indexed by date.

    Returns:
        One row per pair: ``start``, ``end`` (the readings' dates), ``months``,
        ``cmgr`` (percent per month) and ``per_month`` (the change divided by the
        months between the readings); empty for fewer than two readings.
    """
    rows = []
    pairs = list(series.items())
    for (d0, v0), (d1, v1) in itertools.pairwise(pairs):
        months = (d1.year - d0.year) * 12 + d1.month - d0.month
        if months > 0 and v0 > 0:
            rows.append(
                {
                    "start": d0,
                    "end": d1,
                    "months": months,
                    "cmgr": ((v1 / v0) ** (1 / months) - 1) * 100,
                    "per_month": (v1 - v0) / months,
                }
            )
    return pd.DataFrame(rows, columns=["start", "end", "months", "cmgr", "per_month"])


def trend_figures(trend: Trend) -> pd.DataFrame:
    """The figures a trend shows, as a figure frame for ``headlines.json``.

    Monthly growth between consecutive readings (measure ``cmgr``), the number added
    a month between them (measure ``change_per_month``, unit ``count_per_month``) and,
    when made,
    the projection at its furthest horizon (measure ``projection``: central value,
    segment ``central``, ``80% low``, ``80% high``, ``95% low``, ``95% high``).
    """
    base = {"channel": trend.channel, "account": ALL_ACCOUNTS, "metric": trend.metric}
    records = [
        {
            **base,
            "segment": "between readings",
            "measure": Measure.CMGR,
            "start": r["start"],
            "end": r["end"],
            "value": r["cmgr"],
            "unit": "percent_per_month",
            "source": "readings shown",
        }
        for r in interval_rates(trend.series).to_dict("records")
    ]
    records += [
        {
            **base,
            "segment": "between readings",
            "measure": Measure.CHANGE_PER_MONTH,
            "start": r["start"],
            "end": r["end"],
            "value": r["per_month"],
            "unit": "count_per_month",
            "source": "readings shown",
        }
        for r in interval_rates(trend.series).to_dict("records")
    ]
    if isinstance(trend.projection, Forecast):
        last = trend.projection.table.iloc[-1]
        start = trend.series.index[-1]
        for column, segment in (
            ("mean", "central"),
            ("lo80", "80% low"),
            ("hi80", "80% high"),
            ("lo95", "95% low"),
            ("hi95", "95% high"),
        ):
            records.append(
                {
                    **base,
                    "segment": segment,
                    "measure": Measure.PROJECTION,
                    "start": start,
                    "end": last["end"],
                    "value": last[column],
                    "unit": "count",
                    "source": "projection from the readings",
                }
            )
    return figure_frame(records) if records else empty_figures()


def trend(levels: pd.DataFrame) -> Trend:
    """Analyse the channel total of an :func:`~helpers.measures.audiences.audience` frame.

    Args:
        levels: Audience levels of one channel and metric.

    Returns:
        The :class:`Trend` (analyses of an empty series say there are no readings).
    """
    series = total_series(levels, in_window=False)
    channel = str(levels["channel"].iloc[0]) if len(levels) else ""
    metric = str(levels["metric"].iloc[0]) if len(levels) else ""
    return Trend(
        channel=channel,
        metric=metric,
        series=series,
        growth=growth_summary(series),
        saturation=saturation_check(series),
        projection=forecast(series),
    )

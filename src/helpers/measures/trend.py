"""Is an audience still growing, and where is it heading? Growth, saturation, projection.

Bundles the three analyses of a channel total's month-end series
(:mod:`~helpers.measures.growth`, :mod:`~helpers.measures.saturation`,
:mod:`~helpers.measures.forecast`) so a notebook step gets them in one name.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.measures.audiences import total_series
from helpers.measures.forecast import Forecast, Withheld, forecast
from helpers.measures.growth import GrowthSummary, growth_summary
from helpers.measures.saturation import SaturationResult, saturation_check


@dataclass(frozen=True)
class Trend:
    """The growth analyses of one channel total.

    Attributes:
        channel: The channel.
        metric: The audience metric.
        series: The channel total's month-end readings inside the window.
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


def trend(levels: pd.DataFrame) -> Trend:
    """Analyse the channel total of an :func:`~helpers.measures.audiences.audience` frame.

    Args:
        levels: Audience levels of one channel and metric.

    Returns:
        The :class:`Trend` (analyses of an empty series say there are no readings).
    """
    series = total_series(levels)
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

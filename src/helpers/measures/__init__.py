"""Measures: pure functions, frames in and frames out, for every figure a briefing shows.

``from helpers import measures`` gives the functions a notebook step calls; each
returns a figure frame or a small frozen dataclass of them, and none builds HTML,
displays anything or reads a file. ``help(measures.figures)`` describes the frames:
every column, the values of ``measure`` and ``basis``, and ``is_total`` (rows that
add up other rows: leave them out before summing).
"""

from helpers.measures import figures
from helpers.measures.activity import engagement, highlights, monthly_totals
from helpers.measures.audiences import (
    audience,
    audience_change,
    community,
    growth_shares,
    latest_level,
    per_resident,
)
from helpers.measures.breakdowns import top_items
from helpers.measures.flows import flow_series, period_flows, period_weeks
from helpers.measures.quality import checks_for, stated_figure_checks
from helpers.measures.trends import Trend, trend, trend_figures
from helpers.measures.web import device_mix, ranged_totals, segments, shares, traffic

__all__ = [
    "Trend",
    "audience",
    "audience_change",
    "checks_for",
    "community",
    "device_mix",
    "engagement",
    "figures",
    "flow_series",
    "growth_shares",
    "highlights",
    "latest_level",
    "monthly_totals",
    "per_resident",
    "period_flows",
    "period_weeks",
    "ranged_totals",
    "segments",
    "shares",
    "stated_figure_checks",
    "top_items",
    "traffic",
    "trend",
    "trend_figures",
]

"""Measures: pure functions, frames in and frames out, for every figure a briefing shows.

``from helpers import measures`` gives the functions a notebook step calls; each
returns a figure frame or a small frozen dataclass of them, and none builds HTML,
displays anything or reads a file. ``help(measures.figures)`` describes the frames:
every column, the values of ``measure`` and ``basis``, and ``is_total`` (rows that
add up other rows: leave them out before summing).
"""

from __future__ import annotations

import importlib
from typing import Any

#: Every name of the package and the module it comes from, imported on first use: a
#: submodule (``helpers.measures.figures``) imports without the statistics libraries.
_SOURCES: dict[str, str] = {
    "engagement": "helpers.measures.activity",
    "highlights": "helpers.measures.activity",
    "monthly_totals": "helpers.measures.activity",
    "audience": "helpers.measures.audiences",
    "audience_change": "helpers.measures.audiences",
    "community": "helpers.measures.audiences",
    "growth_shares": "helpers.measures.audiences",
    "latest_level": "helpers.measures.audiences",
    "per_resident": "helpers.measures.audiences",
    "flow_series": "helpers.measures.flows",
    "period_flows": "helpers.measures.flows",
    "period_weeks": "helpers.measures.flows",
    "top_items": "helpers.measures.breakdowns",
    "checks_for": "helpers.measures.quality",
    "stated_figure_checks": "helpers.measures.quality",
    "Trend": "helpers.measures.trends",
    "trend": "helpers.measures.trends",
    "trend_figures": "helpers.measures.trends",
    "figures": "helpers.measures.figures",
    "device_mix": "helpers.measures.web",
    "ranged_totals": "helpers.measures.web",
    "segments": "helpers.measures.web",
    "shares": "helpers.measures.web",
    "traffic": "helpers.measures.web",
}

__all__ = sorted(_SOURCES)


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(_SOURCES[name])
    value = module if name == "figures" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

"""Statistical analysis of audience series: growth, saturation, projections, per-resident rates.

Every function takes plain pandas objects (a series of values indexed by dates,
or counts indexed by division) and returns dataclasses or data frames with the
figures and a plain-English account of the method; nothing is printed or written.
"""

from __future__ import annotations

from helpers.analysis.forecast import Forecast, Withheld, forecast
from helpers.analysis.growth import GrowthSummary, growth_summary
from helpers.analysis.population import PopulationUnavailable, division_population, per_1000
from helpers.analysis.saturation import SaturationResult, saturation_check
from helpers.analysis.series import SeriesError

__all__ = [
    "Forecast",
    "GrowthSummary",
    "PopulationUnavailable",
    "SaturationResult",
    "SeriesError",
    "Withheld",
    "division_population",
    "forecast",
    "growth_summary",
    "per_1000",
    "saturation_check",
]

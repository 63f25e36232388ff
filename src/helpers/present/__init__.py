"""Presentation: number formats, tables (Styler), charts (Figure) and sentences (Markdown).

``from helpers import present`` gives the views a notebook step calls. Views take
figure frames from :mod:`helpers.measures` and return objects a notebook displays;
they compute no figure of their own and write no file.
"""

from helpers.present import formats
from helpers.present.charts import (
    audience_chart,
    change_chart,
    compare_chart,
    count_bars,
    device_chart,
    engagement_chart,
    projection_chart,
    share_bars,
    total_chart,
    traffic_chart,
)
from helpers.present.headlines import HeadlineSet
from helpers.present.narrative import (
    audience_summary,
    commentary,
    engagement_sentences,
    growth_share_sentence,
    markdown,
    method_trend,
    projection_sentence,
    trend_sentence,
)
from helpers.present.page import Tiles, absent, key_points, tile
from helpers.present.tables import (
    audience_table,
    engagement_table,
    figures_table,
    per_resident_table,
    quality_table,
    shares_table,
    side_by_side,
    traffic_table,
)

__all__ = [
    "HeadlineSet",
    "Tiles",
    "absent",
    "audience_chart",
    "audience_summary",
    "audience_table",
    "change_chart",
    "commentary",
    "compare_chart",
    "count_bars",
    "device_chart",
    "engagement_chart",
    "engagement_sentences",
    "engagement_table",
    "figures_table",
    "formats",
    "growth_share_sentence",
    "key_points",
    "markdown",
    "method_trend",
    "per_resident_table",
    "projection_chart",
    "projection_sentence",
    "quality_table",
    "share_bars",
    "shares_table",
    "side_by_side",
    "tile",
    "total_chart",
    "traffic_chart",
    "traffic_table",
    "trend_sentence",
]

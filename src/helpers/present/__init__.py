"""Presentation: number formats, tables (Styler), charts (Figure) and sentences (Markdown).

``from helpers import present`` gives the views a notebook step calls, listed in
``__all__``: the guarded tables and charts of :mod:`helpers.present.views`, the
sentences, key points and page parts, and the number formatter ``present.formats``.
Views take figure frames from :mod:`helpers.measures` and return objects a notebook
displays; they compute no figure of their own and write no file. Given nothing to
show, a view here returns :func:`absent` (one line saying so, and the published page
leaves the section out) instead of an empty table or chart; the functions in the
submodules themselves expect data.
"""

from helpers.present import formats
from helpers.present.headlines import HeadlineSet, commentary_figures
from helpers.present.narrative import (
    engagement_sentences,
    growth_point,
    growth_share_sentence,
    markdown,
    method_trend,
    projection_sentence,
    trend_sentence,
)
from helpers.present.page import Tiles, absent, key_points, quality_link, tile
from helpers.present.points import (
    date_note,
    engagement_point,
    fastest_point,
    monthly_point,
    share_point,
    trusted2know_points,
    twelve_month_point,
    website_points,
)
from helpers.present.views import (
    audience_chart,
    audience_summary,
    audience_table,
    change_chart,
    commentary,
    compare_chart,
    count_bars,
    device_chart,
    engagement_chart,
    engagement_table,
    figures_table,
    flow_accounts_table,
    flow_charts,
    flow_notes,
    flow_points,
    flow_summary,
    flow_table,
    flow_tiles,
    highlights_table,
    intro,
    per_resident_table,
    projection_chart,
    quality_table,
    share_bars,
    shares_table,
    side_by_side,
    top_table,
    total_chart,
    traffic_chart,
    traffic_table,
    week_table,
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
    "commentary_figures",
    "compare_chart",
    "count_bars",
    "date_note",
    "device_chart",
    "engagement_chart",
    "engagement_point",
    "engagement_sentences",
    "engagement_table",
    "fastest_point",
    "figures_table",
    "flow_accounts_table",
    "flow_charts",
    "flow_notes",
    "flow_points",
    "flow_summary",
    "flow_table",
    "flow_tiles",
    "formats",
    "growth_point",
    "growth_share_sentence",
    "highlights_table",
    "intro",
    "key_points",
    "markdown",
    "method_trend",
    "monthly_point",
    "per_resident_table",
    "projection_chart",
    "projection_sentence",
    "quality_link",
    "quality_table",
    "share_bars",
    "share_point",
    "shares_table",
    "side_by_side",
    "tile",
    "top_table",
    "total_chart",
    "traffic_chart",
    "traffic_table",
    "trend_sentence",
    "trusted2know_points",
    "twelve_month_point",
    "website_points",
    "week_table",
]

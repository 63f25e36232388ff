"""Presentation: number formats, tables (Styler), charts (Figure) and sentences (Markdown).

``from helpers import present`` gives the views a notebook step calls. Views take
figure frames from :mod:`helpers.measures` and return objects a notebook displays;
they compute no figure of their own and write no file. Given nothing to show, a
view here returns :func:`absent` (one line saying so, and the published page
leaves the section out) instead of an empty table or chart; the functions in the
submodules themselves expect data.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Every name of the package and the module it comes from. Imported on first use, so
#: that importing one submodule (``helpers.present.formats``) stays cheap.
_SOURCES: dict[str, str] = {
    **{
        name: "helpers.present.views"
        for name in (
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
            "growth_share_sentence",
            "highlights_table",
            "key_points",
            "markdown",
            "method_trend",
            "monthly_point",
            "per_resident_table",
            "post_activity_summary",
            "post_activity_table",
            "projection_chart",
            "projection_sentence",
            "quality_link",
            "quality_table",
            "share_bars",
            "share_point",
            "shares_table",
            "side_by_side",
            "tile",
            "total_chart",
            "traffic_chart",
            "traffic_table",
            "trend_sentence",
            "trusted2know_points",
            "twelve_month_point",
            "website_points",
        )
    },
    "formats": "helpers.present.formats",
}

__all__ = sorted(_SOURCES)


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(_SOURCES[name])
    value = module if name == "formats" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

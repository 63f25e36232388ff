"""``overview.json``: what the archive and the board paper say about a period.

Written by the runner from the overview notebook's record
(:class:`helpers.present.summary.OverviewRecord`) and the pages it published::

    {"period": "2015-09", "period_label": "September 2015",
     "window_label": "October 2014 to September 2015",
     "key_points": ["Facebook likes rose 12.0% ...", ...],
     "pages": [{"href": "index.html", "title": "Overview"}, ...],
     "decision": "The Commissioner is requested to note the report." or null,
     "issued": "2015-11-18" or null (a draft: no date of issue set),
     "contact": "Media and Communications, Lancashire Constabulary" or null,
     "force": "Lancashire Constabulary" (the force profile's name; "" when it has none),
     "latest": "2015-11-18" or null (the last day any figure shown reaches),
     "paper_parts": [{"title": "Implications", "text": "There are no implications."},
                     ..., {"title": "Contact for further information", "text": ...}]}

The archive (:mod:`.archive`) and the PDF (:mod:`.pdf`) read it instead of
recomputing anything. The decision, date of issue and contact lines come from the
front matter of the analysts' commentary file ``<data>/raw/commentary/<YYYY-MM>.md``;
the build date is never a date of issue.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

OVERVIEW_FILE = "overview.json"
#: The period's page with the full data-quality table, when the briefings have one.
QUALITY_PAGE = "quality.html"
#: Fields every ``overview.json`` has.
FIELDS: tuple[str, ...] = (
    "period",
    "period_label",
    "window_label",
    "key_points",
    "pages",
    "decision",
    "issued",
    "contact",
)


def read_overview(folder: Path) -> dict[str, Any] | None:
    """A published period's ``overview.json`` (None when missing or unreadable)."""
    try:
        data = json.loads((folder / OVERVIEW_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, Mapping) or any(f not in data for f in FIELDS if f != "contact"):
        return None
    return {"contact": None, "force": "", "latest": None, "paper_parts": [], **data}

"""``overview.json``: what the archive and the board paper say about a period.

Written by the runner next to ``headlines.json`` when a period is built::

    {"period": "2015-09", "period_label": "September 2015",
     "window_label": "October 2014 to September 2015",
     "key_points": ["Facebook likes rose 12.0% ...", ...],
     "pages": [{"href": "index.html", "title": "Overview"}, ...],
     "decision": "The Commissioner is requested to note the report." or null,
     "issued": "2015-11-18" or null (a draft: no date of issue set),
     "contact": "Media and Communications, Lancashire Constabulary" or null}

The archive (:mod:`.archive`) and the PDF (:mod:`.pdf`) read it instead of
recomputing anything. The decision, date of issue and contact lines come from the
front matter of the analysts' commentary file ``<data>/raw/commentary/<YYYY-MM>.md``;
the build date is never a date of issue.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from helpers.briefing.fingerprint import commentary_path
from helpers.briefing.plan import Request, briefing_title
from helpers.tidy.commentary import Commentary, empty_commentary
from helpers.tidy.dataset import load_commentary

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


def period_commentary(data_dir: Path, period: str) -> Commentary:
    """The analysts' commentary of one period (empty when it has no file).

    Raises:
        DataError: If a commentary file is malformed (naming the file and line).
    """
    if not commentary_path(data_dir, period).is_file():
        return empty_commentary()
    return load_commentary(data_dir).for_period(period)


def paper_lines(notes: Commentary, period: str) -> dict[str, str | None]:
    """The decision, date of issue and contact of a period's paper, as far as given.

    Args:
        notes: The period's commentary (:func:`period_commentary`).
        period: ``YYYY-MM``.

    Returns:
        ``{"decision": ..., "issued": "YYYY-MM-DD", "contact": ...}`` from the front
        matter of ``raw/commentary/<period>.md``; None for each one not given (all None
        without such a file: the paper is a draft).
    """
    return {
        "decision": " ".join(notes.decision(period).split()) or None,
        "issued": notes.issued(period) or None,
        "contact": " ".join(notes.contact(period).split()) or None,
    }


def page_links(request: Request, staging: Path) -> list[dict[str, str]]:
    """The pages of a period in reading order: overview, channels, data quality."""
    pages = [{"href": "index.html", "title": "Overview"}]
    pages += [{"href": f"{name}.html", "title": briefing_title(name)} for name in request.channels]
    if (staging / QUALITY_PAGE).is_file():
        pages.append({"href": QUALITY_PAGE, "title": "Data quality"})
    return pages


def overview_record(
    request: Request,
    staging: Path,
    key_points: Sequence[str],
    notes: Commentary | None = None,
) -> dict[str, Any]:
    """Assemble ``overview.json`` of a period being built.

    Args:
        request: The period's request.
        staging: The folder the pages were written to.
        key_points: Plain-text sentences, most important first.
        notes: The period's commentary (read from the data folder when not given).

    Returns:
        A JSON-ready dict with the fields of :data:`FIELDS` (``issued`` None: a draft).
    """
    if notes is None:
        notes = period_commentary(request.data_dir, request.period)
    lines = paper_lines(notes, request.period)
    return {
        "period": request.period,
        "period_label": request.period_label,
        "window_label": request.window.label,
        "key_points": [str(point) for point in key_points],
        "pages": page_links(request, staging),
        **lines,
    }


def read_overview(folder: Path) -> dict[str, Any] | None:
    """A published period's ``overview.json`` (None when missing or unreadable)."""
    try:
        data = json.loads((folder / OVERVIEW_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, Mapping) or any(f not in data for f in FIELDS if f != "contact"):
        return None
    return {"contact": None, **data}

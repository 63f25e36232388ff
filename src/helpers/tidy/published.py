"""What a period's channel pages published, read back as frames for the summary pages.

A briefing run executes the channel notebooks first; each publishes its headline
figures (the figure frames the page shows) and the runner writes them to
``headlines.json`` in the period's folder. The data-quality notebook then writes
``quality.json``. The overview and data-quality notebooks read those files through
the functions here, so an analyst who reopens them in ``outputs/<period>/notebooks/``
reads exactly what the published pages showed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from helpers.errors import DataError

#: The file holding every headline figure of a period's channel pages.
HEADLINES_FILE = "headlines.json"
#: The file holding every stated-figure check of a period.
QUALITY_FILE = "quality.json"

# What a page's outputs carry for the runner (display data of these MIME types, which
# the runner collects and the published page leaves out).
#: A channel page's headline figures (collected into ``headlines.json``).
HEADLINES_MIME = "application/vnd.engagement-briefings.headlines+json"
#: The data-quality page's checks (collected into ``quality.json``).
QUALITY_MIME = "application/vnd.engagement-briefings.quality+json"
#: The overview's paper facts and key points (collected into ``overview.json``).
OVERVIEW_MIME = "application/vnd.engagement-briefings.overview+json"
#: A section with nothing to show (the briefing step drops it).
ABSENT_MIME = "application/vnd.engagement-briefings.absent+json"

#: Columns of the headline frame (the fields of :class:`helpers.present.headlines.Headline`).
HEADLINE_COLUMNS: tuple[str, ...] = (
    "channel",
    "account",
    "metric",
    "measure",
    "start",
    "end",
    "value",
    "unit",
    "segment",
    "label",
    "is_total",
)


def _records(folder: str | Path, name: str, made_by: str) -> list[dict]:
    path = Path(folder) / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            path, f"a file that {made_by} write; run `engagement run --period YYYY-MM` first"
        ) from None
    except ValueError as exc:
        raise DataError(path, f"JSON ({exc.args[0]}); build the period again") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(path, "a list of records; build the period again")
    return data


def read_headlines(folder: str | Path) -> pd.DataFrame:
    """Every headline figure the channel pages of a period published.

    Args:
        folder: The period's folder (``outputs/<period>/``, or the folder a run is
            building) holding ``headlines.json``.

    Returns:
        One row per figure, columns :data:`HEADLINE_COLUMNS`, in the order the pages
        published them.

    Raises:
        DataError: If the file is missing or is not a list of records.
    """
    records = _records(folder, HEADLINES_FILE, "the channel notebooks")
    frame = pd.DataFrame.from_records(records)
    for column in HEADLINE_COLUMNS:
        if column not in frame.columns:
            frame[column] = False if column == "is_total" else ""
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["segment"] = frame["segment"].fillna("")
    frame["label"] = frame["label"].fillna("")
    return frame[list(HEADLINE_COLUMNS)]


def read_quality(folder: str | Path) -> pd.DataFrame:
    """Every stated-figure check of a period, as the data-quality page published them.

    Args:
        folder: The period's folder holding ``quality.json``.

    Returns:
        One row per check (the columns of :data:`helpers.measures.quality.QUALITY_COLUMNS`).

    Raises:
        DataError: If the file is missing or is not a list of records.
    """
    return pd.DataFrame.from_records(_records(folder, QUALITY_FILE, "the data-quality notebook"))

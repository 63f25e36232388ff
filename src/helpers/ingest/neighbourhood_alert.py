"""Neighbourhood Alert ("In the Know") member exports, through a declared mapping.

No published layout exists and the files hold personal data (names, e-mail
addresses, phone numbers, home addresses). The person adding an export declares,
in ``accounts.yml``, which column holds the area (or division) and which the
registration date; only those two columns are ever parsed, and no cell of the
file is quoted in an error message.

Output: ``registered_users`` per division as a cumulative count of the members in
the export who had registered by the end of each day, one snapshot per day from
the first registration to the last (or to ``as_of`` when declared). Members who
left before the export was taken are not in it, so older snapshots can undercount.
"""

from __future__ import annotations

import pandas as pd

from helpers import config
from helpers.ingest.common import ExportFile, Format, Parsed
from helpers.ingest.grid import find_header, read_table
from helpers.ingest.rows import tidy_table
from helpers.ingest.values import dates
from helpers.schema import COLUMNS, make_source

KEY = "neighbourhood_alert"
CHANNEL = "itk"
METRIC = "registered_users"
UNASSIGNED = "Unassigned"
DEFAULT_DATE_FORMATS = [
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
]


def matches(header: list[str], spec: dict) -> bool:
    """Whether a header row holds the two columns a mapping declares."""
    return {spec["area_column"], spec["registered_column"]} <= set(header)


def read(file: ExportFile, options: dict | None = None) -> Parsed:
    """Aggregate a member export to cumulative registrations per division and day.

    Args:
        file: The export (``personal`` is forced on).
        options: The mapping: ``area_column``, ``registered_column``, optional
            ``date_format``, ``areas`` (area -> division) and ``as_of``.

    Returns:
        Tidy ``registered_users`` rows, one per division and day.

    Raises:
        DataError: Naming only line and column, never a cell's value.
    """
    if not options:
        raise file.error("a neighbourhood_alert mapping in accounts.yml")
    file.personal = True
    area_col, date_col = options["area_column"], options["registered_column"]
    header_index = find_header(file, [area_col, date_col], what="member export header row")
    table = read_table(file, header_index, usecols=[area_col, date_col])
    frame, lines = table.frame, table.lines
    formats = [options["date_format"]] if options.get("date_format") else DEFAULT_DATE_FORMATS
    days = dates(
        file,
        frame[date_col],
        lines,
        date_col,
        formats,
        example=options.get("date_example", "31/10/2015"),
    )
    areas = frame[area_col].str.strip()
    area_map = {str(k).strip().lower(): str(v) for k, v in (options.get("areas") or {}).items()}
    division = areas.str.lower().map(area_map) if area_map else areas.where(areas != "", None)
    division = division.fillna(UNASSIGNED).map(config.canonical_account)
    counts = (
        pd.DataFrame({"division": division.to_numpy(), "day": days.to_numpy(), "line": lines})
        .groupby(["division", "day"])
        .agg(new=("line", "size"), line=("line", "max"))
    )
    last_day = days.max()
    if options.get("as_of"):
        last_day = max(last_day, pd.Timestamp(options["as_of"]))
    all_days = pd.date_range(days.min(), last_day, freq="D") if len(days) else []
    parts = []
    for name, group in counts.groupby(level="division"):
        daily = group.droplevel("division").reindex(all_days)
        cumulative = daily["new"].fillna(0).cumsum()
        line = daily["line"].ffill()
        keep = line.notna().to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "start": all_days[keep],
                    "end": all_days[keep],
                    "channel": CHANNEL,
                    "account": name,
                    "segment": "",
                    "metric": METRIC,
                    "value": cumulative.to_numpy(dtype=float)[keep],
                    "unit": config.METRICS[METRIC].unit,
                    "source": [
                        make_source(file.source_path, int(ln), date_col)
                        for ln in line.to_numpy()[keep]
                    ],
                }
            )
        )
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    notes = [f"{len(frame):,} members in {division.nunique()} divisions (personal columns dropped)"]
    if (division == UNASSIGNED).any():
        notes.append(f"{int((division == UNASSIGNED).sum())} members without a known area")
    account = ", ".join(sorted(division.unique()))
    return Parsed(KEY, CHANNEL, account, tidy_table(rows[COLUMNS]), notes)


#: Recognised only through a mapping in ``accounts.yml`` (see :func:`matches`).
FORMAT = Format(
    KEY, "Neighbourhood Alert member export (mapped)", lambda file, cells, following: False, read
)

"""Google Analytics' calendar: rows numbered by day, week or month, and retention cohorts.

Google Analytics numbers the rows of a table charted over time from the table's
start date (``Nth day``, ``Nth week``, ``Nth month``, ``Day Index``, ``Month
Index``): calendar days, weeks from Sunday to Saturday and calendar months, the
first and the last cut to the table's range (:func:`index_ranges`).

A GA4 Reports snapshot's retention cohorts (``How well do you retain your users?``:
``Date, Week 0, Week 1 ...`` with rows such as ``Jun 14 - Jun 20``) give the new
users of each Sunday-to-Saturday week in ``Week 0``. :func:`check_cohorts` compares
them with the new users a file gives by day or week, so that rows dated other than
GA4 counts them never pass silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.ingest.common import ExportFile


@dataclass
class Range:
    """The inclusive days a table covers (its ``# Start date`` and ``# End date``)."""

    start: pd.Timestamp
    end: pd.Timestamp


@dataclass
class Cohort:
    """A week of a retention cohort table: its label, days and new users (``Week 0``)."""

    line: int
    label: str
    first: pd.Timestamp
    last: pd.Timestamp
    new_users: float


@dataclass
class Series:
    """New users of the whole property by day or week, as one table dates them."""

    span: Range
    start: np.ndarray
    end: np.ndarray
    value: np.ndarray
    line: np.ndarray


def index_ranges(index: np.ndarray, unit: str, span: Range) -> tuple[np.ndarray, np.ndarray, int]:
    """First and last day of each numbered row, and the last number the range has.

    Google Analytics numbers calendar days, weeks (Sunday to Saturday) and months
    from the range's start, the first and the last cut to the range: a range
    starting on Monday 1 June 2026 has the week 0000 of 1 to 6 June and the week
    0002 of 14 to 20 June; 1 January to 30 June 2026 has 27 weeks (0000 to 0026).

    Args:
        index: The row numbers (0 for the first day, week or month).
        unit: ``day``, ``week`` or ``month``.
        span: The table's range.

    Returns:
        ``(first, last)`` as ``datetime64[ns]`` arrays, and the highest number the
        range holds.
    """
    start, end = span.start.to_datetime64(), span.end.to_datetime64()
    if unit == "month":
        months = span.start.to_period("M") + index
        first = np.array([m.start_time.to_datetime64() for m in months], dtype="datetime64[ns]")
        after = np.array([m.end_time.normalize().to_datetime64() for m in months])
        count = (span.end.to_period("M") - span.start.to_period("M")).n
    else:
        days = 7 if unit == "week" else 1
        origin = span.start
        if unit == "week":  # the Sunday of the week the range starts in
            origin = span.start - pd.Timedelta(days=(span.start.day_of_week + 1) % 7)
        first = (origin + pd.to_timedelta(index * days, unit="D")).to_numpy()
        after = first + np.timedelta64(days - 1, "D")
        count = (span.end - origin).days // days
    first = np.maximum(first.astype("datetime64[ns]"), start)
    last = np.minimum(after.astype("datetime64[ns]"), end)
    return first, last, int(count)


#: A Universal Analytics range line (``20150501-20151031``).
UA_RANGE = re.compile(r"^(\d{8})\s*-\s*(\d{8})$")
#: A GA4 ``Key: value`` line (``Start date: 20240101``).
KEY_VALUE = re.compile(r"^([A-Za-z ]+):\s*(.*)$")


def table_range(file: ExportFile, meta: list[str], last: Range | None) -> Range:
    """The range a table covers: its own ``# Start date`` lines, else the file's."""
    found: dict[str, str] = {}
    for text in meta:
        match = UA_RANGE.match(text)
        if match:
            found["start date"], found["end date"] = match.groups()
        match = KEY_VALUE.match(text)
        if match:
            found[match.group(1).strip().lower()] = match.group(2).strip()
    if "start date" in found and "end date" in found:
        try:
            start = pd.Timestamp(pd.to_datetime(found["start date"], format="%Y%m%d"))
            end = pd.Timestamp(pd.to_datetime(found["end date"], format="%Y%m%d"))
        except ValueError:
            start = end = pd.NaT
        if pd.notna(start) and end >= start:
            return Range(start, end)
    if last is not None:
        return last
    raise file.error(
        "a preamble line with the date range (# 20150501-20151031, or "
        "# Start date: 20150501 and # End date: 20151031)",
        line=1,
    )


#: A week of a retention cohort table as GA4 labels it (``Jun 14 - Jun 20``).
COHORT_WEEK = re.compile(r"^([A-Z][a-z]{2} \d{1,2}) - ([A-Z][a-z]{2} \d{1,2})$")


def cohorts(header: list[str], rows: pd.DataFrame, lines: np.ndarray, span: Range) -> list[Cohort]:
    """The weeks of a retention cohort table (``Date, Week 0, Week 1 ...``), else none.

    Args:
        header: The table's header cells.
        rows: Its rows (cells are text), columns numbered as in the header.
        lines: The line of each row.
        span: The table's range.

    Each label is placed in the table's range (its year is not written); a label
    that is not a week of that range, or a ``Week 0`` cell that is not a count
    (``-1``: not known yet), is left out.
    """
    names = [h.lower() for h in header]
    if "date" not in names or "week 0" not in names:
        return []
    day, week0 = names.index("date"), names.index("week 0")
    found = []
    for line, label, cell in zip(
        lines.tolist(), rows[day].tolist(), rows[week0].tolist(), strict=True
    ):
        match = COHORT_WEEK.match(label)
        count = cell.replace(",", "")
        if match is None or not count.isdigit():
            continue
        for year in dict.fromkeys((span.start.year, span.end.year)):
            first = pd.to_datetime(f"{match.group(1)} {year}", format="%b %d %Y", errors="coerce")
            last = pd.to_datetime(f"{match.group(2)} {year}", format="%b %d %Y", errors="coerce")
            if pd.notna(last) and pd.notna(first) and last < first:
                last += pd.DateOffset(years=1)
            if (
                pd.notna(first)
                and pd.notna(last)
                and (last - first).days == 6
                and span.start <= first
                and last <= span.end
            ):
                found.append(Cohort(int(line), label, first, last, float(count)))
                break
    return found


def new_users(part: dict, span: Range) -> list[Series]:
    """The new users of a table read by day or week (none when it has no such column)."""
    codes = [i for i, (metric, _) in enumerate(part["items"]) if metric == "new_users"]
    if not codes:
        return []
    mask = part["item"] == codes[0]
    start, end, value, line = (part[k][mask] for k in ("start", "end", "value", "line"))
    return [Series(span, start, end, value, line)]


def check_cohorts(file: ExportFile, cohorts: list[Cohort], series: list[Series]) -> list[str]:
    """Check the weeks of the retention cohorts against the new users read by day or week.

    A cohort's ``Week 0`` is the number of users new in that week (Sunday to
    Saturday): the rows of a table covering the week must fit inside it, and their
    new users add up to it.

    Returns:
        A note saying how many weeks agree (none when nothing could be compared).

    Raises:
        DataError: Naming the first row that crosses a cohort's week or whose week
            disagrees with it.
    """
    checked: set[int] = set()
    for cohort in cohorts:
        first, last = cohort.first.to_datetime64(), cohort.last.to_datetime64()
        for rows in series:
            if not (rows.span.start <= cohort.first and cohort.last <= rows.span.end):
                continue
            over = np.flatnonzero((rows.start <= last) & (rows.end >= first))
            across = [i for i in over if rows.start[i] < first or rows.end[i] > last]
            if across:
                at = across[0]
                raise file.error(
                    f"weeks from Sunday to Saturday, as GA4 counts them: the row of "
                    f"{_days(rows.start[at], rows.end[at])} crosses the retention cohort "
                    f"'{cohort.label}' at line {cohort.line}",
                    line=int(rows.line[at]),
                )
            days = int(((rows.end[over] - rows.start[over]) // np.timedelta64(1, "D") + 1).sum())
            if days != 7:  # a day without figures: nothing to compare
                continue
            total = float(rows.value[over].sum())
            if total != cohort.new_users:
                raise file.error(
                    f"the new users of {_days(first, last)} ({total:,.0f}) to equal those of "
                    f"the retention cohort '{cohort.label}' at line {cohort.line} "
                    f"({cohort.new_users:,.0f}): are the rows dated as GA4 counts them?",
                    line=int(rows.line[over[0]]),
                )
            checked.add(cohort.line)
    if not checked:
        return []
    lines = sorted(checked)
    return [
        f"new users of {len(lines)} week(s) agree with the retention cohorts "
        f"(lines {lines[0]}-{lines[-1]})"
    ]


def _days(first: np.datetime64, last: np.datetime64) -> str:
    """``14 Jun 2026 to 20 Jun 2026``."""
    return f"{pd.Timestamp(first):%d %b %Y} to {pd.Timestamp(last):%d %b %Y}"

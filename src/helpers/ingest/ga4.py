"""Google Analytics 4 CSV exports.

A ``#`` preamble (``# Account: ...``, ``# Property: ...``, ``# Start date: 20240101``,
``# End date: 20240131``) precedes one or more blank-line-separated tables. The
first column is a dimension of any name: ``Date`` (``YYYYMMDD``) gives one row per
day, ``Year month`` (``YYYYMM``) one row per month, anything else one row per
segment over the whole range. A grand-total row (empty first cell, or the label
``Grand total`` in a trailing extra column) is checked against the rows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.ingest.common import (
    ExportFile,
    Parsed,
    check_total,
    concat_long,
    dates,
    drop_repeats,
    long_values,
    numbers,
    read_grid,
    to_tidy,
)

FORMAT = "ga4"
CHANNEL = "website"

#: Column -> tidy metric. ``Total users`` wins over ``Active users`` when both exist.
METRICS: dict[str, str] = {
    "Total users": "users",
    "New users": "new_users",
    "Sessions": "sessions",
    "Views": "pageviews",
}
FALLBACK_USERS = "Active users"
ADDITIVE = ("sessions", "new_users", "pageviews")
ENGLISH_HINTS = frozenset(
    {*METRICS, FALLBACK_USERS, "Engaged sessions", "Engagement rate", "Event count", "Key events"}
)
TOTAL_LABELS = {"grand total", "total", "totals"}
_META = re.compile(r"^#\s*([A-Za-z ]+):\s*(.*?)\s*,*$")


def metadata(lines: list[str]) -> dict[str, str]:
    """The ``# Key: value`` lines of the preamble, keys lower-cased."""
    meta: dict[str, str] = {}
    for line in lines:
        if not line.startswith("#"):
            if line.strip(", "):
                break
            continue
        match = _META.match(line.strip())
        if match:
            meta[match.group(1).strip().lower()] = match.group(2).strip().strip('"')
    return meta


def _range(file: ExportFile, meta: dict[str, str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        start = pd.Timestamp(pd.to_datetime(meta["start date"], format="%Y%m%d"))
        end = pd.Timestamp(pd.to_datetime(meta["end date"], format="%Y%m%d"))
    except (KeyError, ValueError):
        raise file.error(
            "preamble lines '# Start date: YYYYMMDD' and '# End date: YYYYMMDD'", line=1
        ) from None
    return start, end


def read(file: ExportFile, options: dict | None = None) -> Parsed:
    """Read a GA4 export into tidy rows (account: the property name).

    Raises:
        DataError: For a missing date range, non-English headers, bad cells or a
            grand total that disagrees with its rows.
    """
    meta = metadata(file.head)
    start, end = _range(file, meta)
    account = meta.get("property") or meta.get("account") or ""
    first = next((i for i, line in enumerate(file.head) if not line.startswith("#")), 0)
    grid = read_grid(file, first, file.text.count("\n"))
    blocks: list[list[tuple[int, list[str]]]] = [[]]
    for line, cells in grid:
        if any(cells):
            blocks[-1].append((line, cells))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if not blocks:
        raise file.error("a table after the preamble", line=first + 1)
    if not any(ENGLISH_HINTS & set(b[0][1]) for b in blocks):
        raise file.error(
            "English column names such as Sessions, Total users, Views (set the "
            "Google Analytics language to English and export again)",
            line=blocks[0][0][0],
            found=", ".join(blocks[0][0][1][:4]),
        )
    notes = [f"property '{account}', {meta.get('account', '')}".rstrip(", ")]
    parts = [p for b in blocks if (p := _read_block(file, b, start, end, notes)) is not None]
    long = drop_repeats(concat_long(parts))
    rows = to_tidy(file, long, channel=CHANNEL, account=account)
    return Parsed(FORMAT, CHANNEL, account, rows, notes)


def _read_block(
    file: ExportFile,
    block: list[tuple[int, list[str]]],
    start: pd.Timestamp,
    end: pd.Timestamp,
    notes: list[str],
) -> dict[str, np.ndarray] | None:
    header_line, header = block[0]
    columns = {i: METRICS[h] for i, h in enumerate(header) if i > 0 and h in METRICS}
    if "users" not in columns.values() and FALLBACK_USERS in header[1:]:
        columns[header.index(FALLBACK_USERS)] = "users"
    if not columns:
        notes.append(f"table at line {header_line} has no known metric; skipped")
        return None
    width = len(header)
    data: list[tuple[int, list[str]]] = []
    totals: list[tuple[int, list[str]]] = []
    for line, cells in block[1:]:
        label = cells[width].lower() if len(cells) > width else ""
        if len(cells) > width and (label not in TOTAL_LABELS or len(cells) > width + 1):
            raise file.error(
                f"{width} cells like the header at line {header_line}",
                line=line,
                found=f"{len(cells)} cells",
            )
        cells = (cells + [""] * width)[:width]
        if label or cells[0] == "" or cells[0].lower() in TOTAL_LABELS:
            totals.append((line, cells))
        else:
            data.append((line, cells))
    lines = np.array([ln for ln, _ in data], dtype=np.int64)
    frame = pd.DataFrame([c for _, c in data], columns=range(width), dtype=str)
    values = {(m, header[i]): numbers(file, frame[i], lines, header[i]) for i, m in columns.items()}
    for line, cells in totals:
        for i, metric in columns.items():
            if metric in ADDITIVE:
                total = numbers(file, pd.Series([cells[i]]), np.array([line]), header[i])[0]
                check_total(
                    file,
                    line=line,
                    column=header[i],
                    total=float(total),
                    rows_sum=float(np.nansum(values[(metric, header[i])])),
                )
    if not data:
        return None
    dimension = header[0]
    if dimension.lower() == "date":
        days = dates(
            file,
            frame[0],
            lines,
            dimension,
            ["%Y%m%d", "%Y-%m-%d"],
            within=(start, end),
            example="20240131",
        )
        return long_values(days, days, "", lines, values)
    if dimension.lower() in {"year month", "month"}:
        months = dates(file, frame[0], lines, dimension, ["%Y%m"], example="202401")
        lo = np.maximum(months.to_numpy(), start.to_datetime64())
        hi = np.minimum((months + pd.offsets.MonthEnd(0)).to_numpy(), end.to_datetime64())
        return long_values(lo, hi, "", lines, values)
    n = len(frame)
    return long_values(
        np.full(n, start.to_datetime64()),
        np.full(n, end.to_datetime64()),
        frame[0].to_numpy(dtype=object),
        lines,
        values,
    )

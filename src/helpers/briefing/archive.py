"""``outputs/index.html``: every period built, newest first, and the headlines across them.

The archive lists each published period (a ``YYYY-MM`` folder with an
``overview.json`` and a ``headlines.json``) with its key points and links to its
pages and board paper, its date of issue (or "Draft" when the analyst has set
none), marks the latest, and draws one small chart per headline measure (audience
of each channel, website sessions) across the periods. Every value comes from the
periods' ``headlines.json``, with its own date: nothing is recomputed here. The
charts' value axes start at zero, so the slope between two points shows the
change in proportion.

The page is self-contained (inline CSS, inline SVG charts, no scripts) and written
atomically: rendered in full, written under a temporary name and renamed over the
old one, while holding a lock on the output folder so that two runs publishing
at once cannot leave an archive that misses a period. It is rewritten only when
what it shows has changed (a digest of its inputs is kept in the page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import config
from helpers.briefing.overview_json import read_overview
from helpers.briefing.ownership import output_lock
from helpers.briefing.templating import TEMPLATES, environment, register_filter
from helpers.fileio import write_text

ARCHIVE_FILE = "index.html"
PDF_FILE = "briefing.pdf"
#: Stylesheets of the archive: the briefings' own, then the archive's additions.
_STYLES: tuple[str, ...] = ("briefing.css", "archive.css")
_PERIOD_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DIGEST_META = re.compile(r"<!-- archive-digest: ([0-9a-f]{64}) -->")


#: A measure charted across the periods (declared in the channel registry).
Measure = config.ArchiveMeasure


def measures() -> tuple[Measure, ...]:
    """The measures charted: those the channel registry declares (:data:`config.CHANNEL_SPECS`)."""
    return config.archive_measures()


#: Accounts standing for a whole channel or site.
_WHOLE_CHANNEL = frozenset({config.ALL_ACCOUNTS, config.WEBSITE_ACCOUNT})


@dataclass(frozen=True)
class PeriodEntry:
    """One published period as the archive shows it."""

    period: str
    overview: dict[str, Any]
    headlines: list[dict[str, Any]]
    has_pdf: bool

    @property
    def month(self) -> pd.Period:
        """The period as a monthly ``pandas.Period``."""
        return pd.Period(self.period, freq="M")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def published_periods(out_dir: Path) -> list[PeriodEntry]:
    """Every complete period folder of ``out_dir``, newest first.

    Args:
        out_dir: The folder of the period folders.

    Returns:
        The periods with a readable ``overview.json`` and ``headlines.json``.
    """
    if not out_dir.is_dir():
        return []
    entries = []
    for folder in out_dir.iterdir():
        if not (folder.is_dir() and _PERIOD_FOLDER.match(folder.name)):
            continue
        overview = read_overview(folder)
        headlines = _read_json(folder / "headlines.json")
        if overview is None or not isinstance(headlines, list):
            continue
        entries.append(
            PeriodEntry(
                period=folder.name,
                overview=overview,
                headlines=[r for r in headlines if isinstance(r, dict)],
                has_pdf=(folder / PDF_FILE).is_file(),
            )
        )
    return sorted(entries, key=lambda e: e.period, reverse=True)


def headline_record(
    records: Sequence[Mapping[str, Any]], measure: Measure, period: str
) -> dict | None:
    """The latest channel-wide value of ``measure`` that the briefing of ``period`` shows.

    A November paper whose follower counts were last taken on 31 October shows those:
    its row and its point carry them, dated 31 October.

    Args:
        records: The period's ``headlines.json``.
        measure: The measure.
        period: ``YYYY-MM``.

    Returns:
        For a snapshot measure, the channel-wide record (no segment, measure
        ``value``) of the latest day up to the period's end; for a count over time,
        the latest record covering exactly one calendar month (never a longer span,
        so that the briefings compare like with like). None when the briefing has none.
    """
    last = str(pd.Period(period, freq="M").end_time.date())
    found = [
        dict(r)
        for r in records
        if r.get("channel") == measure.channel
        and r.get("metric") == measure.metric
        and r.get("account") in _WHOLE_CHANNEL
        and not r.get("segment")
        and r.get("measure", "value") == "value"
        and isinstance(r.get("value"), int | float)
        and math.isfinite(r["value"])
    ]
    found = [r for r in found if str(r.get("end"))[:10] <= last]
    if measure.snapshot:
        found = [r for r in found if str(r.get("start")) == str(r.get("end"))]
    else:
        found = [r for r in found if _one_month(str(r.get("start")), str(r.get("end")))]
    return max(found, key=lambda r: str(r["end"])) if found else None


def _one_month(start: str, end: str) -> bool:
    """Whether ``start`` to ``end`` is exactly one calendar month."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    return (
        first.is_month_start and last.is_month_end and first.to_period("M") == last.to_period("M")
    )


def _definition(record: Mapping[str, Any]) -> tuple[str, str]:
    """What a figure counts: its account and unit (figures of two definitions are not joined)."""
    return str(record.get("account")), str(record.get("unit") or "count")


def record_date(record: Mapping[str, Any], *, short: bool = False) -> str:
    """The date a headline record counts: ``"on 18 November 2015"``, ``"in October 2015"``.

    Args:
        record: A headline record (``start``, ``end``).
        short: Without the preposition and with month abbreviations
            (``"18 Nov 2015"``, ``"Oct 2015"``), for table cells.
    """
    from helpers.present import formats

    start, end = pd.Timestamp(str(record["start"])), pd.Timestamp(str(record["end"]))
    if start == end:
        return f"{end.day} {end:%b %Y}" if short else f"on {formats.day(end)}"
    whole = start.is_month_start and end.is_month_end
    if whole and start.to_period("M") == end.to_period("M"):
        return formats.short_month(end) if short else f"in {formats.month(end)}"
    when = formats.dates(start, end)
    return when if short else f"over {when}"


# --- charts ---------------------------------------------------------------------------

#: Size of a chart (SVG user units) and its plot area.
WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 74, 12, 14, 118


@dataclass
class Chart:
    """One small chart: points in SVG coordinates and the labels around them."""

    measure: Measure
    title: str
    points: list[dict[str, Any]] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    y_ticks: list[dict[str, Any]] = field(default_factory=list)
    x_ticks: list[dict[str, Any]] = field(default_factory=list)
    values: str = ""
    summary: str = ""

    @property
    def slug(self) -> str:
        """An id-safe name."""
        return self.measure.key.replace("/", "-")


def _format(value: float, unit: str) -> str:
    from helpers.present import formats  # the views' package: loaded when a chart is drawn

    return formats.value(value, unit)


def _scale(values: Sequence[float]) -> tuple[float, float]:
    """The value axis of a chart: from zero (one baseline for every chart) to the top.

    From zero, or from the lowest value if one is below zero, to a little above the
    highest, so a slope shows the change in proportion: +2.7% looks like +2.7%, not
    like a climb across the whole chart.
    """
    low, high = min(0.0, min(values)), max(0.0, max(values))
    if high == low:
        return low, low + 1.0
    return low, high + (high - low) * 0.05


def build_chart(measure: Measure, entries: Sequence[PeriodEntry]) -> Chart | None:
    """Lay out the chart of one measure across the periods (None: no period has it).

    Periods are placed on a time axis (months apart), oldest on the left; a period
    without the measure breaks the line.
    """
    oldest_first = sorted(entries, key=lambda e: e.period)
    found = [(e, headline_record(e.headlines, measure, e.period)) for e in oldest_first]
    present = [(e, r) for e, r in found if r is not None]
    if not present:
        return None
    title = measure.title
    unit = str(present[-1][1].get("unit") or "count")
    first, last = oldest_first[0].month, oldest_first[-1].month
    span = max(1, (last - first).n)
    low, high = _scale([float(r["value"]) for _, r in present])

    def x(month: pd.Period) -> float:
        if first == last:
            return (LEFT + WIDTH - RIGHT) / 2
        return LEFT + (month - first).n / span * (WIDTH - RIGHT - LEFT)

    def y(value: float) -> float:
        return BOTTOM - (value - low) / (high - low) * (BOTTOM - TOP)

    chart = Chart(measure=measure, title=title)
    run: list[str] = []
    before: tuple[str, str] | None = None
    for entry, record in found:
        if record is None or (before is not None and _definition(record) != before):
            if len(run) > 1:
                chart.segments.append(" ".join(run))
            run = []
        before = _definition(record) if record is not None else None
        if record is None:
            continue
        value = float(record["value"])
        when = record_date(record)
        point = {
            "period": entry.period,
            "x": round(x(entry.month), 1),
            "y": round(y(value), 1),
            "value": value,
            "label": str(entry.overview["period_label"]),
            "shown": f"{_format(value, unit)} {when}",
            "text": f"{entry.overview['period_label']} briefing: {_format(value, unit)} {when}",
        }
        chart.points.append(point)
        run.append(f"{point['x']},{point['y']}")
    if len(run) > 1:
        chart.segments.append(" ".join(run))
    values = [p["value"] for p in chart.points]
    chart.y_ticks = [
        {"y": round(y(v), 1), "text": _format(v, unit)} for v in sorted({low, max(values)})
    ]
    chart.x_ticks = [
        {"x": round(x(m), 1), "text": m.strftime("%b %Y")} for m in dict.fromkeys([first, last])
    ]
    one, other = chart.points[0], chart.points[-1]
    said = one["shown"]
    if one is not other:
        said += f", {other['shown']}"
    chart.values = f"{said}; {len(chart.points)} of {len(entries)} briefings give this figure."
    chart.summary = f"{title}, {measure.reading}: {chart.values}"
    return chart


# --- page -----------------------------------------------------------------------------


def day_label(iso: str) -> str:
    """``"2015-10-14"`` as ``"14 October 2015"`` (the text itself if it is no date)."""
    try:
        day = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{day.day} {day:%B %Y}"


def issue_label(issued: object) -> str:
    """A period's date of issue as the archive states it.

    Args:
        issued: ``overview.json``'s ``issued``: an ISO date, or None (or empty) when
            the analyst has set no date of issue.

    Returns:
        ``"Issued 14 October 2015"``, or ``"Draft: no date of issue set"``.
    """
    if issued is None or not str(issued).strip():
        return "Draft: no date of issue set"
    return f"Issued {day_label(str(issued).strip())}"


register_filter("day", day_label)
register_filter("issued", issue_label)


def archive_digest(entries: Sequence[PeriodEntry]) -> str:
    """SHA-256 of everything the archive shows (and of the code drawing it)."""
    digest = hashlib.sha256()
    for path in (Path(__file__), *(TEMPLATES / n for n in ("archive.html.j2", *_STYLES))):
        digest.update(path.read_bytes())
    for entry in entries:
        digest.update(
            json.dumps(
                [entry.period, entry.overview, entry.headlines, entry.has_pdf],
                sort_keys=True,
                default=str,
            ).encode()
        )
    return digest.hexdigest()


def render_archive(entries: Sequence[PeriodEntry], digest: str) -> str:
    """Render the archive page for ``entries`` (newest first).

    Args:
        entries: The published periods, newest first (at least one).
        digest: :func:`archive_digest` of ``entries``, kept in the page.

    Returns:
        The page's HTML.
    """
    charts = [c for c in (build_chart(m, entries) for m in measures()) if c is not None]
    rows = []
    for entry in entries:
        cells = []
        for chart in charts:
            record = headline_record(entry.headlines, chart.measure, entry.period)
            cells.append(
                {
                    "value": _format(record["value"], str(record.get("unit"))),
                    "date": record_date(record, short=True),
                }
                if record
                else {"value": "–", "date": ""}
            )
        rows.append({"label": entry.overview["period_label"], "cells": cells})
    oldest, newest = entries[-1].overview["period_label"], entries[0].overview["period_label"]
    span = newest if len(entries) == 1 else f"{oldest} to {newest}"
    return (
        environment()
        .get_template("archive.html.j2")
        .render(
            css="\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in _STYLES),
            force=str(entries[0].overview.get("force") or ""),
            entries=list(entries),
            latest=entries[0],
            charts=charts,
            rows=rows,
            span=span,
            digest=digest,
            pdf_file=PDF_FILE,
            width=WIDTH,
            height=HEIGHT,
            plot={"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": BOTTOM},
        )
    )


def _stored_digest(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    match = _DIGEST_META.search(head)
    return match.group(1) if match else None


class ForeignArchive(Exception):
    """``<out>/index.html`` exists but is not an archive page: it is never overwritten."""


def build_archive(out_dir: Path) -> Path | None:
    """Rewrite ``<out_dir>/index.html`` if what it shows has changed.

    An ``index.html`` that no briefing run wrote (it lacks the archive's digest
    line) is left alone: :class:`ForeignArchive` says so.

    Args:
        out_dir: The folder of the period folders.

    Returns:
        The archive's path if it was written; None when it was up to date or
        there is no published period.

    Raises:
        ForeignArchive: If ``<out_dir>/index.html`` was not made by a briefing run.
    """
    if not out_dir.is_dir():
        return None
    target = out_dir / ARCHIVE_FILE
    with output_lock(out_dir):
        entries = published_periods(out_dir)
        if not entries:
            return None
        digest = archive_digest(entries)
        stored = _stored_digest(target)
        if stored is None and target.exists():
            raise ForeignArchive(
                "it was not made by a briefing run (no archive-digest line), so it is not "
                "overwritten; move or rename it and run again"
            )
        if stored == digest:
            return None
        from helpers.briefing.render import check_page  # nbconvert: only when writing

        html = render_archive(entries, digest)
        check_page(html, ARCHIVE_FILE)
        write_text(target, html)
    return target

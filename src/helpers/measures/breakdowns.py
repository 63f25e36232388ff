"""Breakdowns of a period: the items (videos, pages, traffic sources) with the most of a metric.

Day-by-item figures (YouTube Studio's Chart data) are added up over the period month;
without them, an export's total by item over a longer range (a GA4 report of a year,
a video's lifetime) is shown as it is, with its own dates. An export names its
breakdown's dimension only in its header, so the tidy table keeps the items alone;
:func:`breakdown_kind` tells Google Analytics' traffic sources and devices (fixed
lists) from other items.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from helpers.config import DEVICE_CATEGORIES, METRICS, TRAFFIC_SOURCES
from helpers.measures.figures import Measure, empty_figures, figure_frame
from helpers.measures.flows import FINE_DAYS, inside_month, sources_text, span_days
from helpers.tidy.periods import Window

#: The kinds of breakdown :func:`breakdown_kind` tells apart.
SOURCES, DEVICES, ITEMS = "sources", "devices", "items"


def breakdown_kind(segments: Iterable[str]) -> str:
    """What a breakdown's items are: traffic ``sources``, ``devices`` or other ``items``.

    An export names its breakdown's dimension only in its header; the tidy table keeps
    the items. Google Analytics' channel groups and device categories are fixed lists
    (:data:`helpers.config.TRAFFIC_SOURCES`, :data:`helpers.config.DEVICE_CATEGORIES`),
    so a table whose items all belong to one is that kind; anything else (pages,
    videos, countries) is ``items``.
    """
    names = {str(s).strip().lower() for s in segments}
    if names and names <= DEVICE_CATEGORIES:
        return DEVICES
    if names and names <= TRAFFIC_SOURCES:
        return SOURCES
    return ITEMS


#: Lines between two rows of one file beyond which they belong to different tables.
TABLE_GAP = 3


def _tables(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """The tables ranged rows come from: one file, one range, consecutive lines."""
    parts = rows["source"].str.rsplit(":", n=2)
    keyed = rows.assign(_file=parts.str[0], _line=pd.to_numeric(parts.str[1], errors="coerce"))
    tables = []
    for _, group in keyed.groupby(["_file", "start", "end"], sort=False):
        group = group.sort_values("_line")
        # a few lines missing inside a table (rows left out) do not split it; the blank
        # line, preamble and header between two tables of a snapshot are more
        block = (group["_line"].diff().fillna(1) > TABLE_GAP).cumsum()
        tables += [g.drop(columns=["_file", "_line"]) for _, g in group.groupby(block)]
    return tables


def _month_items(sel: pd.DataFrame, period: pd.Period, kind: str | None) -> pd.DataFrame | None:
    """Day-by-item rows of the period month added up by item (None when there are none)."""
    daily = inside_month(sel[sel["days"] <= FINE_DAYS], period)
    if daily.empty or (kind is not None and breakdown_kind(daily["segment"].unique()) != kind):
        return None
    if daily["start"].nunique() < 2:
        return None  # figures quoted for one day (a campaign's video) are no month's ranking
    if not (daily.groupby("segment")["value"].sum() != 0).any():
        return None  # nothing happened to any item this month: say what the range says
    items = (
        daily.groupby(["segment", "account"], sort=False).agg(value=("value", "sum")).reset_index()
    )
    return items.assign(
        start=daily["start"].min(), end=daily["end"].max(), source=sources_text(daily)
    )


def _range_items(sel: pd.DataFrame, period: pd.Period, kind: str | None) -> pd.DataFrame | None:
    """The table of totals by item over a longer range that overlaps the period month.

    Of several, the one that ends latest, then the shortest range, then the largest.
    """
    first, last = period.start_time.normalize(), period.end_time.normalize()
    ranged = sel[(sel["days"] > FINE_DAYS) & (sel["start"] <= last) & (sel["end"] >= first)]
    tables = [
        t for t in _tables(ranged) if kind is None or breakdown_kind(t["segment"].unique()) == kind
    ]
    if not tables:
        return None
    chosen = min(tables, key=lambda t: (-t["end"].max().value, -t["start"].min().value, -len(t)))
    return chosen[["segment", "account", "value", "start", "end", "source"]]


def top_items(
    tidy: pd.DataFrame,
    window: Window,
    channel: str,
    metric: str,
    top: int = 10,
    kind: str | None = None,
) -> pd.DataFrame:
    """The items (videos, pages, sources) with the most of a metric in the period month.

    Day-by-item figures (YouTube's Chart data) on two days or more of the period
    month are added up over its days (a figure quoted for one day, a campaign's video,
    ranks nothing). Without them, the latest total by item over a longer range that overlaps
    the period month is used as it is (a GA4 report of a year, a video's lifetime),
    dated with its own range, and ``runs_past`` says when it runs on after the month.

    Args:
        tidy: The tidy table.
        window: The briefing window; its last month is the period.
        channel: The channel.
        metric: The metric, e.g. ``views``.
        top: How many items to list.
        kind: Only breakdowns of this kind (:func:`breakdown_kind`: ``sources``,
            ``devices`` or ``items``); None for any.

    Returns:
        A figure frame: the ``top`` items, largest first (measure ``value``, column
        ``rank``), then, for a metric that adds up, a ``sum`` row of every item
        (``is_total``); extra columns ``rank``, ``items`` (items in all),
        ``runs_past``. Empty when there are none.
    """
    period = window.end
    last = period.end_time.normalize()
    sel = tidy[(tidy["channel"] == channel) & (tidy["metric"] == metric) & (tidy["segment"] != "")]
    sel = sel.assign(days=span_days(sel))
    items = _month_items(sel, period, kind)
    if items is None:
        items = _range_items(sel, period, kind)
    if items is None:
        return empty_figures("rank", "items", "runs_past")
    items = items.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    unit = str(METRICS[metric].unit) if metric in METRICS else "count"
    runs_past = bool(items["end"].max() > last)
    base = {"channel": channel, "metric": metric, "unit": unit, "measure": Measure.VALUE}
    records = [
        {**base, **r, "rank": i + 1, "items": len(items), "runs_past": runs_past}
        for i, r in enumerate(items.head(top).to_dict("records"))
    ]
    if METRICS.get(metric) is not None and METRICS[metric].additive and len(items) > 1:
        records.append(
            {
                **base,
                "account": items["account"].iloc[0] if items["account"].nunique() == 1 else "",
                "segment": "",
                "measure": Measure.SUM,
                "start": items["start"].min(),
                "end": items["end"].max(),
                "value": float(items["value"].sum()),
                "source": f"sum of the {len(items)} items",
                "rank": math.nan,
                "items": len(items),
                "runs_past": runs_past,
            }
        )
    return figure_frame(records, rank="", items="", runs_past="")

"""The views a notebook step calls, each saying so in one line when given nothing.

``helpers.present`` gives them (its ``__all__`` lists each one); see its docstring.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from helpers.present import breakdowns as _breakdowns
from helpers.present import charts as _charts
from helpers.present import flows as _flows
from helpers.present import formats
from helpers.present import narrative as _narrative
from helpers.present import tables as _tables
from helpers.present.narrative import markdown
from helpers.present.page import absent

_NONE = "there are none in the months this briefing covers"
_TOTALS = ["All accounts", "Sum of accounts"]


def _accounts(frame: pd.DataFrame) -> pd.DataFrame:
    inside = frame["in_window"].astype(bool) if "in_window" in frame else True
    totals = (
        frame["is_total"].astype(bool) if "is_total" in frame else frame["account"].isin(_TOTALS)
    )
    return frame[inside & ~totals]


def _has_rows(frame: Any) -> bool:
    return len(frame) > 0


def _guard(
    view: Callable[..., Any],
    what: str,
    has_data: Callable[[Any], bool] = _has_rows,
    reason: str = _NONE,
) -> Callable[..., Any]:
    """Wrap a view so that, given nothing to show, it says so in one line.

    The line names the view's first text argument followed by ``what`` (``"Facebook
    likes"`` + ``"figures by account"``); when ``what`` is empty, the first text
    argument is a caption or title that names the section alone.
    """

    @functools.wraps(view)
    def wrapper(data: Any, *args: Any, **kwargs: Any) -> Any:
        if data is None or not has_data(data):
            noun = next((a for a in args if isinstance(a, str)), "")
            if not what:  # a caption: its subject alone, as a sentence names it
                noun = formats.in_sentence(re.split(r"\s*[,(;:]", noun)[0])
            return absent(f"{noun} {what}".strip(), reason)
        return view(data, *args, **kwargs)

    return wrapper


def _pct(frame: pd.DataFrame) -> bool:
    return len(_accounts(frame[frame["measure"] == "pct_change"])) > 0


def _total(frame: pd.DataFrame) -> bool:
    return bool(((frame["account"] == "All accounts") & (frame["measure"] == "value")).any())


def _monthly(frame: pd.DataFrame) -> bool:
    same = frame["start"].dt.to_period("M") == frame["end"].dt.to_period("M")
    return bool((same & (frame["measure"] != "sum")).any())


def _projected(trend: Any) -> bool:
    return hasattr(trend.projection, "table")


audience_table = _guard(_tables.audience_table, "figures by account", lambda f: len(_accounts(f)))
audience_chart = _guard(_charts.audience_chart, "figures by account", lambda f: len(_accounts(f)))
change_chart = _guard(_charts.change_chart, "growth by account", _pct)
total_chart = _guard(_charts.total_chart, "total", _total)
audience_summary = _guard(_narrative.audience_summary, "figures")
engagement_table = _guard(_tables.engagement_table, "Facebook reach and engagement figures")
engagement_chart = _guard(_charts.engagement_chart, "Facebook engagement figures")
traffic_table = _guard(_tables.traffic_table, "traffic figures by month", _monthly)
traffic_chart = _guard(_charts.traffic_chart, "traffic figures by month", _monthly)
device_chart = _guard(_charts.device_chart, "device figures by month", _monthly)
shares_table = _guard(_tables.shares_table, "")
share_bars = _guard(_charts.share_bars, "")


def _first(frames: dict[str, pd.DataFrame]) -> bool:
    """A comparison needs its subject (the first frame); the comparator alone is not shown."""
    return bool(frames) and len(next(iter(frames.values()))) > 0


side_by_side = _guard(_tables.side_by_side, "shares", _first)
compare_chart = _guard(_charts.compare_chart, "shares", _first)
figures_table = _guard(_tables.figures_table, "")
count_bars = _guard(_charts.count_bars, "")
per_resident_table = _guard(_tables.per_resident_table, "per 1,000 residents")
highlights_table = _guard(_tables.highlights_table, "campaign or operational figures")
quality_table = _guard(_tables.quality_table, "stated figures to check")


def projection_chart(trend: Any, *args: Any, **kwargs: Any) -> Any:
    """The projection chart; nothing when too few readings allow none.

    Why there is none is said once, in the page's method part and the paper's annex,
    not in every page's list of what it leaves out.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        *args: What :func:`helpers.present.charts.projection_chart` takes after it
            (what is counted, e.g. ``"Facebook likes"``).
        **kwargs: Likewise (``ax=``).

    Returns:
        The chart, or None.
    """
    if trend is None or not _projected(trend):
        return None
    return _charts.projection_chart(trend, *args, **kwargs)


def flow_summary(flows: pd.DataFrame) -> Any:
    """Sentences on each channel's month: its leading figures, their days and changes.

    Args:
        flows: A :func:`helpers.measures.period_flows` frame.

    Returns:
        Markdown, or one line saying there are no daily or weekly figures (the page
        leaves the section out).
    """
    if not len(flows):
        return absent("daily or weekly activity figures", _NONE)
    return markdown(_flows.flow_sentences(flows))


flow_table = _guard(_flows.flow_table, "daily or weekly activity figures")
flow_charts = _guard(
    _flows.flow_charts,
    "activity figures by month",
    lambda s: len(_flows.trend_channels(s)) > 0,
    "no channel has figures in three months of the window",
)
week_table = _guard(_breakdowns.week_table, "weekly figures")
flow_accounts_table = _guard(
    _flows.flow_accounts_table,
    "activity figures by account",
    lambda f: len(_flows.several_accounts(f)) > 0,
    "no channel has several accounts with figures this month",
)
top_table = _guard(_breakdowns.top_table, "")


def flow_notes(flows: pd.DataFrame) -> Any:
    """How partial months are compared, and why a change is not shown (nothing if all are).

    Args:
        flows: A :func:`helpers.measures.period_flows` frame.
    """
    text = _flows.flow_notes(flows) if len(flows) else ""
    return markdown([text]) if text else None


def flow_points(flows: pd.DataFrame) -> list[str]:
    """Each channel's leading figure of the month, for the key points.

    Args:
        flows: A :func:`helpers.measures.period_flows` frame.
    """
    return _flows.flow_points(flows)


def flow_tiles(flows: pd.DataFrame, series: pd.DataFrame) -> list[Any]:
    """A tile for each channel's leading figure of the month, with its trend (for ``Tiles``).

    Args:
        flows: A :func:`helpers.measures.period_flows` frame.
        series: A :func:`helpers.measures.flow_series` frame (the sparklines).
    """
    return _flows.flow_tiles(flows, series)


def intro(text: str) -> Any:
    """What the page covers, from the force's profile (nothing when it says nothing).

    Args:
        text: ``inputs.profile.description(page, period)``.

    Returns:
        One paragraph of plain text (never read as Markdown), or None.
    """
    return markdown([text]) if text.strip() else None


def commentary(parts: pd.DataFrame, figures: pd.DataFrame, page: str) -> Any:
    """The analysts' commentary for one page, or one line saying there is none.

    Args:
        parts: Commentary parts of the period (``inputs.commentary.parts``).
        figures: Declared figures of the period (``inputs.commentary.figures``).
        page: The page key (``social``, ``itk``...).

    Returns:
        Markdown (see :func:`helpers.present.narrative.commentary`), or, when the
        period has no commentary for the page, one line saying so.
    """
    if parts is None or not (parts["page"] == page).any():
        return absent(
            "commentary from the Media and Engagement team",
            "none was written for this page and period",
        )
    return _narrative.commentary(parts, figures, page)

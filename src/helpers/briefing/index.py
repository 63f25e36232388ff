"""The period's ``index.html``: headline figures per channel, links, data quality.

Rendered with Jinja2 and autoescaping on (``templates/index.html.j2``). The
template's ``summary`` block shows the ``summary`` paragraphs, if any, at the top.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
import pandas as pd

from helpers import config
from helpers.briefing.render import TEMPLATES, Page, stylesheet

#: Headline measures that are changes, shown with a sign.
_SIGNED = frozenset({"abs_change", "pct_change", "yoy_pct_change", "cmgr"})

#: Quality-check kinds whose numbers are percentages.
_PERCENT_KINDS = frozenset({"pct_change", "cmgr", "engagement_rate", "weighted_share"})

#: Quality status meaning "the stated figure matches the data".
QUALITY_OK = "ok"
#: Quality status meaning "the stated figure differs beyond rounding".
QUALITY_DIFFERS = "differs"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: float, decimals: int, signed: bool) -> str:
    sign = "+" if signed else ""
    return f"{value:{sign},.{decimals}f}"


def format_value(value: float | None, unit: str, measure: str = "value") -> str:
    """Format a headline value for a table cell.

    Args:
        value: The figure (percentages in percent units).
        unit: ``count``, ``percent``, ``percent_per_month``, ``hours`` or ``per_1000``.
        measure: The headline measure; changes get a ``+`` sign when positive.

    Returns:
        e.g. ``"12,345"``, ``"63.1%"``, ``"+2.4% a month"``; ``"–"`` for no value.
    """
    if _is_missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    signed = measure in _SIGNED
    whole = abs(number - round(number)) < 1e-9
    if unit == "count":
        return _number(number, 0 if whole else 1, signed)
    if unit == "percent":
        return _number(number, 1, signed) + "%"
    if unit == "percent_per_month":
        return _number(number, 1, signed) + "% a month"
    if unit == "hours":
        return _number(number, 0 if whole else 1, signed) + " hours"
    if unit == "per_1000":
        return _number(number, 1, signed) + " per 1,000 residents"
    return f"{_number(number, 0 if whole else 2, signed)} {unit}".strip()


def _day(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%B %Y}"


def describe_dates(start: str, end: str) -> str:
    """Describe the dates a figure covers, e.g. ``"30 September 2015"``.

    Args:
        start: First day (ISO date).
        end: Last day (ISO date).

    Returns:
        A single day for a snapshot, whole months as months, other spans as days.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if first == last:
        return _day(last)
    if first.is_month_start and last.is_month_end:
        if first.to_period("M") == last.to_period("M"):
            return f"{last:%B %Y}"
        return f"{first:%B %Y} to {last:%B %Y}"
    return f"{_day(first)} to {_day(last)}"


def _headline_label(record: Mapping[str, Any]) -> str:
    if record.get("label"):
        return str(record["label"])
    metric = config.METRICS.get(str(record.get("metric")))
    label = metric.label if metric else str(record.get("metric", ""))
    if record.get("segment"):
        label += f" ({record['segment']})"
    measure = record.get("measure", "value")
    return label if measure == "value" else f"{label}: {str(measure).replace('_', ' ')}"


#: Measures shown in the overview (the channel briefings and headlines.json have them all).
KEY_MEASURES = {"value", "pct_change", "yoy_pct_change", "cmgr", "rate"}
#: Accounts that stand for a whole channel or site.
CHANNEL_ACCOUNTS = {config.ALL_ACCOUNTS, config.WEBSITE_ACCOUNT, config.TRUSTED2KNOW_ACCOUNT}


def is_key_figure(record: Mapping[str, Any]) -> bool:
    """Whether a headline belongs in the overview: channel-wide, unsegmented, key measure."""
    return (
        str(record.get("account")) in CHANNEL_ACCOUNTS
        and not record.get("segment")
        and str(record.get("measure", "value")) in KEY_MEASURES
    )


def headline_tables(records: Sequence[Mapping[str, Any]], period_label: str) -> list[dict]:
    """Group headline records into one table per channel, channels in briefing order.

    Args:
        records: Headline records (``channel, account, metric, measure, start, end,
            value, unit`` and optionally ``label``, ``segment``).
        period_label: The period in words, for the captions.

    Returns:
        Dicts with ``caption`` and ``rows`` (``label, account, value, covered``).
    """
    records = [r for r in records if is_key_figure(r)]
    order = {name: i for i, name in enumerate(config.CHANNELS)}
    channels = sorted(
        {str(r["channel"]) for r in records}, key=lambda c: (order.get(c, len(order)), c)
    )
    tables = []
    for channel in channels:
        rows = [
            {
                "label": _headline_label(r),
                "account": str(r.get("account", "")),
                "value": format_value(r.get("value"), str(r.get("unit", "")), r.get("measure")),
                "covered": describe_dates(str(r["start"]), str(r["end"])),
            }
            for r in records
            if str(r["channel"]) == channel
        ]
        name = config.CHANNELS.get(channel, channel)
        tables.append({"caption": f"{name}: headline figures, {period_label}", "rows": rows})
    return tables


def _quality_number(value: object, percent: bool) -> str:
    if _is_missing(value) or not isinstance(value, int | float):
        return "–" if _is_missing(value) else str(value)
    if percent:
        return f"{value:,.2f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def quality_view(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Prepare the data-quality section: a count sentence and one row per check.

    Args:
        records: Quality records (``check, stated, computed, difference, status`` and
            optionally ``kind``, ``quote``, ``description``).

    Returns:
        A dict with ``sentence`` and ``rows`` (``flagged`` marks a status other than ok).
    """
    if not records:
        return {
            "sentence": "The briefings published no data-quality checks for this period.",
            "rows": [],
        }
    rows = []
    for r in records:
        percent = r.get("kind") in _PERCENT_KINDS
        status = str(r.get("status", ""))
        rows.append(
            {
                "check": str(r.get("quote") or r.get("description") or r.get("check", "")),
                "stated": _quality_number(r.get("stated"), percent),
                "computed": _quality_number(r.get("computed"), percent),
                "difference": _quality_number(r.get("difference"), percent),
                "status": status,
                "flagged": status != QUALITY_OK,
            }
        )
    total = len(rows)
    differ = sum(r["status"] == QUALITY_DIFFERS for r in rows)
    other = sum(r["flagged"] for r in rows) - differ
    checks = "check" if total == 1 else "checks"
    sentence = f"{total} {checks} of stated figures against the data: "
    if differ or other:
        parts = []
        if differ:
            parts.append(f"{differ} {'differs' if differ == 1 else 'differ'} beyond rounding")
        if other:
            parts.append(f"{other} could not be confirmed")
        sentence += " and ".join(parts) + " (highlighted below)."
    else:
        sentence += "all agree within rounding."
    return {"sentence": sentence, "rows": rows}


def render_index(
    page: Page,
    briefings: Sequence[Mapping[str, str]],
    headlines: Sequence[Mapping[str, Any]],
    quality: Sequence[Mapping[str, Any]],
    summary: Sequence[str] = (),
) -> str:
    """Render ``index.html`` for one period.

    Args:
        page: Titles, header links and footer.
        briefings: Links to the channel pages built, dicts with ``href`` and ``text``.
        headlines: All headline records of the period.
        quality: All data-quality records of the period.
        summary: Plain-language paragraphs shown first (none: no summary section).

    Returns:
        The page's HTML.
    """
    template = _environment().get_template("index.html.j2")
    return template.render(
        page=page,
        css=stylesheet(),
        briefings=list(briefings),
        headline_tables=headline_tables(headlines, page.period_label),
        quality=quality_view(quality),
        summary=list(summary),
    )

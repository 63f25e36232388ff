"""The period's ``index.html``: headline figures per channel, links, data quality.

Rendered with Jinja2 and autoescaping on (``templates/index.html.j2``). The
template's ``summary`` block shows the ``summary`` paragraphs, if any, at the top.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from markupsafe import Markup

from helpers import config
from helpers.briefing.links import is_safe_url
from helpers.briefing.render import TEMPLATES, Page, stylesheet
from helpers.present import formats

#: Headline measures that are changes, shown with a sign.
_SIGNED = frozenset({"abs_change", "pct_change", "yoy_pct_change", "cmgr"})

#: Quality-check kinds whose numbers are percentages.
_PERCENT_KINDS = frozenset({"pct_change", "cmgr", "engagement_rate", "weighted_share"})

#: Quality status meaning "the stated figure matches the data".
QUALITY_OK = "ok"
#: Quality status meaning "the stated figure differs beyond rounding".
QUALITY_DIFFERS = "differs"
#: Quality status of a commentary figure with no independent source (quoted, not checked).
QUALITY_QUOTED = "quoted"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def format_value(value: float | None, unit: str, measure: str = "value") -> str:
    """Format a headline value for a table cell (see :func:`helpers.present.formats.value`)."""
    return formats.value(value, unit, measure)


def describe_dates(start: str, end: str) -> str:
    """Describe the dates a figure covers (see :func:`helpers.present.formats.dates`)."""
    return formats.dates(start, end)


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
        Dicts with ``caption`` and ``rows`` (``label, value, covered``): every figure
        is channel-wide, so no row repeats an account.
    """
    latest: dict[tuple, Mapping[str, Any]] = {}
    for r in records:
        if is_key_figure(r):
            key = (r["channel"], r["metric"], r.get("measure"), r.get("segment", ""))
            if key not in latest or str(r["end"]) >= str(latest[key]["end"]):
                latest[key] = r
    first_seen = {id(r): i for i, r in enumerate(records)}
    records = sorted(latest.values(), key=lambda r: first_seen[id(r)])
    order = {name: i for i, name in enumerate(config.CHANNELS)}
    channels = sorted(
        {str(r["channel"]) for r in records}, key=lambda c: (order.get(c, len(order)), c)
    )
    tables = []
    for channel in channels:
        rows = [
            {
                "label": _headline_label(r),
                "value": format_value(r.get("value"), str(r.get("unit", "")), r.get("measure")),
                "covered": describe_dates(str(r["start"]), str(r["end"])),
            }
            for r in records
            if str(r["channel"]) == channel
        ]
        name = config.CHANNELS.get(channel, channel)
        tables.append({"caption": f"{name}: headline figures, {period_label}", "rows": rows})
    return tables


def _stated(record: Mapping[str, Any]) -> str:
    """The claim as stated, its range or bound kept ("at least 50%", "8,400 to 8,500")."""
    percent = record.get("kind") in _PERCENT_KINDS or record.get("unit") == "percent"

    def number(value: Any) -> str:  # with the decimals the source stated it with
        return formats.as_stated(value, percent=percent)

    text = number(record.get("stated"))
    high = record.get("stated_high")
    if high is not None and high == high:
        text = f"{text} to {number(high)}"
    comparison = record.get("comparison")
    if comparison == "at_least":
        text = f"at least {text}"
    elif comparison == "at_most":
        text = f"at most {text}"
    return text


def quality_rows(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per check for ``quality.html``: who and what, claim, computed, dates, verdict."""
    rows = []
    anchored: set[str] = set()
    for r in records:
        first_channel = str(r.get("channel", "")).split("+")[0]
        anchor = "" if first_channel in anchored else first_channel
        anchored.add(first_channel)
        percent = r.get("kind") in _PERCENT_KINDS
        channel = formats.channel_name(str(r.get("channel", "")).split("+")[0])
        if "+" in str(r.get("channel", "")):
            channel = " and ".join(formats.channel_name(c) for c in str(r["channel"]).split("+"))
        account = str(r.get("account") or "")
        who = channel if account in ("", config.ALL_ACCOUNTS) else f"{channel}, {account}"
        metric = config.METRICS.get(str(r.get("metric")))
        what = metric.label if metric else str(r.get("metric") or "").replace("_", " ")
        words = _KIND_WORDS.get(str(r.get("kind")), str(r.get("kind")))
        if words.casefold() not in what.casefold():  # not "engagement rate: engagement rate"
            what = f"{what}: {words}"
        status = str(r.get("status", ""))
        rows.append(
            {
                "who": who,
                "what": what,
                "quote": str(r.get("quote") or ""),
                "stated": _stated(r),
                "computed": (
                    formats.percent(r.get("computed"), 2)
                    if percent
                    else formats.count(r.get("computed"))
                ),
                "dates": formats.dates(r["start"], r["end"]) if r.get("start") else "",
                "verdict": {
                    QUALITY_OK: "agrees",
                    QUALITY_DIFFERS: "differs",
                    QUALITY_QUOTED: "quoted (no independent source)",
                }.get(status, status),
                "flagged": status not in (QUALITY_OK, QUALITY_QUOTED),
                "anchor": anchor,
            }
        )
    return rows


_KIND_WORDS = {
    "pct_change": "% change",
    "abs_change": "change",
    "cmgr": "growth a month",
    "total_of_accounts": "total of the accounts",
    "total_of_channels": "total of the channels",
    "engagement_rate": "engagement rate",
    "period_sum": "total of the months",
    "weighted_share": "share over the months",
    "value": "figure",
    "cross_table": "total in one table against the accounts in another",
}


def render_quality(page: Page, quality: Sequence[Mapping[str, Any]], paragraph: str) -> str:
    """Render ``quality.html``: every stated figure beside the value the data give."""
    template = _environment().get_template("quality.html.j2")
    return template.render(
        page=page, css=stylesheet(), rows=quality_rows(quality), paragraph=paragraph
    )


def render_index(
    page: Page,
    briefings: Sequence[Mapping[str, str]],
    headlines: Sequence[Mapping[str, Any]],
    quality: Sequence[Mapping[str, Any]],
    summary: Sequence[str] = (),
    quality_text: str = "",
    *,
    paper: Mapping[str, Any] | None = None,
    commentary: str = "",
) -> str:
    """Render ``index.html`` for one period.

    Args:
        page: Titles, header links and footer.
        briefings: Links to the channel pages built, dicts with ``href`` and ``text``.
        headlines: All headline records of the period.
        quality: All data-quality records of the period.
        summary: Key points shown first, beside the date of issue and decision.
        quality_text: The data-quality paragraph (the full table is in quality.html).
        paper: ``decision``, ``issued`` (``YYYY-MM-DD``; None: a draft) and
            ``contact`` of the period's paper (see :mod:`.overview`).
        commentary: The commentary's overview page as Markdown (rendered here with
            raw HTML off and links limited to safe schemes).

    Returns:
        The page's HTML.
    """
    from helpers.present.overview import checked, flagged_checks, method_notes, quality_line

    paper = dict(paper or {})
    issued = paper.get("issued")
    template = _environment().get_template("index.html.j2")
    real = checked(quality)
    return template.render(
        page=page,
        css=stylesheet(),
        briefings=list(briefings),
        headline_tables=headline_tables(headlines, page.period_label),
        quality={
            "sentence": quality_text,
            "line": quality_line(quality),
            "count": len(real),
            "quoted": len(quality) - len(real),
            "flagged": quality_rows(flagged_checks(quality)),
        },
        summary=list(summary),
        paper={
            "issued": formats.day(issued) if issued else "Draft",
            "decision": paper.get("decision") or "",
            "contact": paper.get("contact") or "",
        },
        methods=method_notes(headlines),
        commentary=render_markdown(commentary),
    )


def render_markdown(text: str) -> Markup:
    """Markdown as HTML for a page: raw HTML shown as text, links to safe schemes only.

    Links keep their target only when :func:`helpers.briefing.links.is_safe_url`
    allows it (``https``, ``http``, ``mailto``, relative and in-page links).
    """
    if not text.strip():
        return Markup("")
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    return Markup(md.render(text))

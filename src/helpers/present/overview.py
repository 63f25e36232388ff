"""The period's front page in words: key points and the data-quality paragraph.

Built from the headline records the notebooks published (``headlines.json``) and
the reconciliation checks (``quality.json``), so every number comes from a figure
a channel page shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers.config import ALL_ACCOUNTS, BRIEFING_SPECS, CHANNELS, DIVISIONS
from helpers.present import formats
from helpers.tidy.periods import Window

Record = Mapping[str, Any]
#: The audiences the front page follows, from the briefing specs.
_NOUNS = {
    (str(a.channel), str(a.metric)): a.noun for spec in BRIEFING_SPECS for a in spec.audiences
}


def _pick(records: Sequence[Record], **where: object) -> list[Record]:
    return [r for r in records if all(r.get(k) == v for k, v in where.items())]


def twelve_months(headlines: Sequence[Record]) -> str:
    """Twelve-month growth of the audience totals that have it."""
    found = [
        (noun, r)
        for (channel, metric), noun in _NOUNS.items()
        for r in _pick(
            headlines,
            channel=channel,
            metric=metric,
            account=ALL_ACCOUNTS,
            measure="yoy_pct_change",
        )
    ]
    if not found:
        return ""
    pieces = [f"{noun} by {formats.percent(r['value'])}" for noun, r in found]
    months = formats.join(dict.fromkeys(formats.month(r["end"]) for _, r in found))
    return (
        f"Over the 12 months to {months}, {formats.join(pieces).replace(' by ', ' grew by ', 1)}."
    )


def fastest_divisions(headlines: Sequence[Record]) -> str:
    """The fastest-growing division of each audience with division figures."""
    pieces = []
    for (channel, metric), noun in _NOUNS.items():
        rows = [
            r
            for r in _pick(headlines, channel=channel, metric=metric, measure="pct_change")
            if r["account"] in DIVISIONS
        ]
        if len(rows) < 2:
            continue
        best = max(rows, key=lambda r: r["value"])
        pieces.append(
            f"{best['account']} on {noun.split(' registered')[0]} "
            f"({formats.percent(best['value'], signed=True)} "
            f"{formats.between(best['start'], best['end'])})"
        )
    return f"Fastest-growing division: {formats.join(pieces)}." if pieces else ""


def engagement(headlines: Sequence[Record]) -> str:
    """The latest Facebook engagement rate by account, with its date."""
    rates = _pick(headlines, channel="facebook", metric="engagement_rate", measure="rate")
    accounts = [r for r in rates if r["account"] != ALL_ACCOUNTS]
    if not accounts:
        return ""
    local = [r for r in accounts if r["account"] in DIVISIONS]
    others = [r for r in accounts if r["account"] not in DIVISIONS]
    day = formats.day(accounts[0]["end"])
    if local and others:
        low = min(others, key=lambda r: r["value"])
        return (
            f"Facebook engagement by account (latest figures, {day}): "
            f"{formats.percent(min(r['value'] for r in local), 0)}–"
            f"{formats.percent(max(r['value'] for r in local), 0)} of people reached on the "
            f"local division pages, against {formats.percent(low['value'], 0)} on the "
            f"{low['account']} page."
        )
    top = max(accounts, key=lambda r: r["value"])
    return (
        f"Facebook engagement by account (latest figures, {day}): highest {top['account']} "
        f"at {formats.percent(top['value'])}."
    )


def community(headlines: Sequence[Record]) -> str:
    """The digital community at the end of the period, saying which channels it leaves out."""
    rows = _pick(headlines, channel="all", metric="audience")
    if not rows:
        return ""
    r = rows[-1]
    counted = [
        CHANNELS[c["channel"]]
        for c in headlines
        if c.get("measure") == "value"
        and c.get("account") == ALL_ACCOUNTS
        and (c["channel"], c["metric"]) in {**_NOUNS, ("instagram", "followers"): ""}
        and c["end"] == r["end"]
        and c["start"] == r["start"]
    ]
    listed = f" ({formats.join(dict.fromkeys(counted))})" if counted else ""
    return (
        f"The digital community stood at {formats.count(r['value'])} on "
        f"{formats.day(r['end'])}{listed}."
    )


def website(headlines: Sequence[Record]) -> str:
    """Website sessions over the months with data."""
    rows = [
        r
        for r in _pick(headlines, channel="website", metric="sessions")
        if r["start"][:7] != r["end"][:7]
    ]
    if not rows:
        return ""
    r = rows[0]
    return (
        f"The force website had {formats.count(r['value'])} sessions from "
        f"{formats.dates(r['start'], r['end'])}."
    )


def key_points(headlines: Sequence[Record]) -> list[str]:
    """The front page's key points, most important first (at most six)."""
    points = [
        twelve_months(headlines),
        fastest_divisions(headlines),
        engagement(headlines),
        community(headlines),
        website(headlines),
    ]
    return [p for p in points if p][:6]


#: Check kinds that compare a report's figure with its own table (a slip in the report).
_SAME_TABLE = {
    "cross_table",
    "pct_change",
    "total_of_accounts",
    "total_of_channels",
    "engagement_rate",
    "period_sum",
    "weighted_share",
    "value",
    "abs_change",
}


_PERCENT_KINDS = {"pct_change", "engagement_rate", "weighted_share", "cmgr"}


def _number(q: Record, value: object) -> str:
    return formats.percent(value) if q.get("kind") in _PERCENT_KINDS else formats.count(value)


def _stated(q: Record) -> str:
    """The claim as stated, range or bound kept."""
    text = _number(q, q.get("stated"))
    high = q.get("stated_high")
    if high is not None and high == high:
        text = f"{text} to {_number(q, high)}"
    if q.get("comparison") == "at_least":
        text = f"at least {text}"
    return text


def _computed(q: Record) -> str:
    return _number(q, q.get("computed"))


def _who(q: Record) -> str:
    account = q.get("account")
    return "" if account in ("", ALL_ACCOUNTS, None) else f"{account} "


def quality_paragraph(quality: Sequence[Record], headlines: Sequence[Record]) -> str:
    """One short paragraph: slips in the report itself versus claims that depend on dates."""
    quoted = [q for q in quality if str(q.get("check", "")).startswith("commentary_")]
    quality = [q for q in quality if q not in quoted]
    tail = _commentary_sentence(quoted)
    flagged = [q for q in quality if q.get("status") == "differs"]
    if not quality:
        return tail or (
            "No figures stated in an earlier report fall in this period, so none were checked."
        )
    return " ".join(s for s in (_claims_paragraph(quality, flagged, headlines), tail) if s)


def _commentary_sentence(quoted: Sequence[Record]) -> str:
    if not quoted:
        return ""
    differ = [q for q in quoted if q.get("status") == "differs"]
    if differ:
        return (
            f"{len(differ)} of the {len(quoted)} figures quoted in the commentary differ from "
            "the data (see the quality page)."
        )
    return f"The {len(quoted)} figures quoted in the commentary were checked against the data."


def _claims_paragraph(
    quality: Sequence[Record], flagged: Sequence[Record], headlines: Sequence[Record]
) -> str:
    if not quality:
        return "No figures stated in an earlier report fall in this period, so none were checked."
    if not flagged:
        return f"All {len(quality)} figures stated in the earlier report agree with its own tables."
    own = [q for q in flagged if q.get("kind") in _SAME_TABLE and q.get("kind") != "cmgr"]
    windowed = [q for q in flagged if q.get("kind") == "cmgr"]
    sentences = [
        f"{len(quality) - len(flagged)} of {len(quality)} figures the earlier report states "
        "agree with its own tables."
    ]
    if own:
        own = sorted(
            own, key=lambda q: (q.get("kind") != "cross_table", q.get("comparison") != "equal")
        )
        shown = [f"{_who(q)}{_stated(q)} stated against {_computed(q)}" for q in own]
        sentences.append(
            "Where the report disagrees with its own figures, the differences are small: "
            + "; ".join(shown)
            + "."
        )
    if windowed:
        q = windowed[0]
        monthly = [
            r
            for r in headlines
            if r.get("measure") == "mom_pct_change" and r.get("account") == ALL_ACCOUNTS
        ]
        text = (
            f"The report's growth of {formats.percent(q['stated'])}–"
            f"{formats.percent(q['stated_high'])} a month does not hold over "
            f"{formats.dates(q['start'], q['end'])} (the counts give "
            f"{formats.percent(q['computed'])} a month)"
        )
        if monthly:
            m = monthly[0]
            each = formats.join(
                f"{_NOUNS.get((r['channel'], r['metric']), r['channel'])} "
                f"{formats.percent(r['value'])}"
                for r in monthly
                if (r["channel"], r["metric"]) in _NOUNS
            )
            text += (
                f", but depends on the months chosen: from {formats.month(m['start'])} to "
                f"{formats.month(m['end'])} growth was {each}"
            )
        sentences.append(text + ".")
    return " ".join(sentences)


def overview_sentences(
    headlines: Sequence[Record], quality: Sequence[Record], tidy: pd.DataFrame, window: Window
) -> list[str]:
    """The front page's key points (kept for the runner's call; see :func:`key_points`)."""
    return key_points(headlines)

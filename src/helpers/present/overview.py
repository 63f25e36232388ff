"""The plain-language summary that opens ``index.html``: five to eight sentences.

Built from the headline records the notebooks published, the reconciliation
checks and the tidy table, so every number in it is computed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers import config
from helpers.measures.saturation import saturation_check
from helpers.present import narrative
from helpers.tidy.periods import Window
from helpers.tidy.select import snapshot_series

Record = Mapping[str, Any]


def _pick(records: Sequence[Record], **where: object) -> list[Record]:
    return [r for r in records if all(r.get(k) == v for k, v in where.items())]


def _label(channel: str, metric: str) -> str:
    noun = {"page_likes": "likes", "followers": "followers", "registered_users": "registered users"}
    return f"{config.CHANNELS.get(channel, channel)} {noun.get(metric, metric)}"


def movements(headlines: Sequence[Record]) -> list[str]:
    """Sentences on the audience totals' changes over the window, biggest first."""
    changes = [
        r
        for r in _pick(headlines, account=config.ALL_ACCOUNTS, measure="pct_change")
        if r["metric"] in config.AUDIENCE_METRIC.values()
    ]
    changes.sort(key=lambda r: -r["value"])
    if not changes:
        return []
    parts = [
        f"{_label(r['channel'], r['metric'])} {narrative.fmt_pct(r['value'], signed=True)}"
        for r in changes
    ]
    first = changes[0]
    span = narrative.span_label(first["start"], first["end"])
    return [f"Audiences grew {span}: " + "; ".join(parts) + "."]


def fastest_division(headlines: Sequence[Record]) -> list[str]:
    """Sentence on the fastest-growing division, per resident where possible."""
    rows = [
        r
        for r in _pick(headlines, measure="pct_change")
        if r["account"] in config.DIVISIONS and r["metric"] in config.AUDIENCE_METRIC.values()
    ]
    if not rows:
        return []
    best = max(rows, key=lambda r: r["value"])
    sentence = (
        f"The fastest-growing division was {best['account']}: "
        f"{_label(best['channel'], best['metric'])} "
        f"{narrative.fmt_pct(best['value'], signed=True)} "
        f"{narrative.span_label(best['start'], best['end'])}."
    )
    return [sentence]


def community(headlines: Sequence[Record]) -> list[str]:
    """Sentence on the digital community at the end of the period."""
    rows = _pick(headlines, channel="all", metric="audience")
    if not rows:
        return []
    r = rows[-1]
    return [
        f"The digital community stood at {narrative.fmt_count(r['value'])} on "
        f"{narrative.fmt_day(r['end'])}."
    ]


def website(headlines: Sequence[Record]) -> list[str]:
    """Sentence on website sessions over the months with data."""
    rows = [
        r
        for r in _pick(headlines, channel="website", metric="sessions")
        if r["start"][:7] != r["end"][:7]
    ]
    if not rows:
        return []
    r = rows[0]
    return [
        f"The force website had {narrative.fmt_count(r['value'])} sessions "
        f"from {narrative.fmt_range(r['start'], r['end'])}."
    ]


def discrepancies(quality: Sequence[Record]) -> list[str]:
    """Sentence on the stated figures that the counts do not support."""
    flagged = [q for q in quality if q.get("status") == "differs"]
    if not quality:
        return []
    if not flagged:
        return [f"All {len(quality)} figures stated in the previous report agree with its counts."]
    worst = max(
        flagged,
        key=lambda q: abs(q["difference"] / q["stated"]) if q.get("stated") else 0,
    )
    return [
        f"{len(flagged)} of {len(quality)} figures stated in the previous report differ from its "
        f"own counts beyond rounding, e.g. \u201c{worst['quote'] or worst['check']}\u201d "
        f"(recomputed: {_number(worst)})."
    ]


def _number(check: Record) -> str:
    value = check["computed"]
    if check.get("kind") in {"pct_change", "cmgr", "engagement_rate", "weighted_share"}:
        suffix = " per month" if check.get("kind") == "cmgr" else ""
        return narrative.fmt_pct(value, 2) + suffix
    return narrative.fmt_count(value)


def saturation(tidy: pd.DataFrame, window: Window) -> list[str]:
    """One sentence with the saturation verdict for each audience total."""
    verdicts: dict[str, list[str]] = {}
    sentences = []
    for channel in ("facebook", "twitter", "itk"):
        metric = config.AUDIENCE_METRIC[channel]
        series = snapshot_series(tidy, channel, metric)
        series = series[(series.index >= window.first_day) & (series.index <= window.last_day)]
        if series.empty:
            continue
        result = saturation_check(series)
        verdicts.setdefault(result.verdict, []).append(_label(channel, metric))
        if result.verdict != "cannot tell":
            sentences.append(f"{_label(channel, metric)}: {result.sentence}")
    unknown = verdicts.get("cannot tell")
    if unknown:
        sentences.insert(
            0,
            "Whether growth is levelling off cannot be told yet for "
            + ", ".join(unknown)
            + ": there are too few readings (at least 4 are needed).",
        )
    return sentences


def overview_sentences(
    headlines: Sequence[Record], quality: Sequence[Record], tidy: pd.DataFrame, window: Window
) -> list[str]:
    """The opening summary of ``index.html`` (at most eight sentences)."""
    sentences = [
        *community(headlines),
        *movements(headlines),
        *fastest_division(headlines),
        *website(headlines),
        *discrepancies(quality),
        *saturation(tidy, window),
    ]
    return [s for s in sentences if s and not (isinstance(s, float) and math.isnan(s))][:8]

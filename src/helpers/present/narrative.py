"""Generated sentences: every number in briefing prose comes through here.

Functions take computed values and return plain text (HTML escaping happens where
text meets HTML, in :mod:`helpers.sections.common`).
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.tidy.periods import describe_months, month_label


def fmt_count(value: float) -> str:
    """``1169461.0`` -> ``"1,169,461"``."""
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value:,.0f}"


def fmt_pct(value: float, decimals: int = 1, signed: bool = False) -> str:
    """``26.786`` -> ``"26.8%"`` (``"+26.8%"`` when ``signed``)."""
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value:+.{decimals}f}%" if signed else f"{value:.{decimals}f}%"


def fmt_day(day: object) -> str:
    """``2015-11-18`` -> ``"18 November 2015"``."""
    ts = pd.Timestamp(day)
    return f"{ts.day} {ts.strftime('%B %Y')}"


def fmt_range(start: object, end: object) -> str:
    """Describe the dates a figure covers, as briefings say them."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return fmt_day(s)
    s_month, e_month = s.to_period("M"), e.to_period("M")
    whole_months = s == s_month.start_time and e == e_month.end_time.normalize()
    if whole_months and s_month == e_month:
        return month_label(e_month)
    if whole_months:
        first = s_month.strftime("%B") if s.year == e.year else month_label(s_month)
        return f"{first} to {month_label(e_month)}"
    return f"{fmt_day(s)} to {fmt_day(e)}"


def span_label(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """``"between February and September 2015"`` for two snapshot dates."""
    a, b = pd.Timestamp(first).to_period("M"), pd.Timestamp(last).to_period("M")
    left = a.strftime("%B") if a.year == b.year else month_label(a)
    return f"between {left} and {month_label(b)}"


def change_sentence(
    subject: str, first: float, last: float, first_day: object, last_day: object, pct: float
) -> str:
    """``"Facebook likes grew by 26.8% between February and September 2015 (158,254 to 200,642)."``.

    Args:
        subject: What changed, e.g. ``"Facebook likes (all accounts)"``.
        first: Value at the first date.
        last: Value at the last date.
        first_day: First date.
        last_day: Last date.
        pct: Percentage change.

    Returns:
        One sentence.
    """
    if math.isnan(pct):
        return f"{subject}: no change can be computed {span_label(first_day, last_day)}."
    if pct > 0:
        verb = f"grew by {fmt_pct(pct)}"
    elif pct < 0:
        verb = f"fell by {fmt_pct(abs(pct))}"
    else:
        verb = "did not change"
    return (
        f"{subject} {verb} {span_label(first_day, last_day)} "
        f"(from {fmt_count(first)} to {fmt_count(last)})."
    )


def cmgr_sentence(
    subject: str, rate: float, months: int, first_day: object, last_day: object
) -> str:
    """Sentence stating a compound monthly growth rate and how it was computed."""
    if math.isnan(rate):
        return ""
    return (
        f"{subject} grew at a compound monthly rate of {fmt_pct(rate, 2)} per month over the "
        f"{months} months {span_label(first_day, last_day)} "
        f"(method: (last / first)^(1/{months}) - 1)."
    )


def yoy_sentence(subject: str, pct: float, prior: float, last: float, last_day: object) -> str:
    """Year-on-year sentence: change on the same month a year earlier."""
    if math.isnan(pct):
        return ""
    month = pd.Timestamp(last_day).to_period("M")
    return (
        f"Year on year, {subject} {'rose' if pct >= 0 else 'fell'} by {fmt_pct(abs(pct))} "
        f"from {fmt_count(prior)} in {month_label(month - 12)} to {fmt_count(last)} in "
        f"{month_label(month)}."
    )


def missing_sentence(subject: str, months: list[pd.Period]) -> str:
    """``"March, April and May 2015 figures not available for Facebook likes."``."""
    if not months:
        return ""
    return f"{describe_months(months)} figures not available for {subject} (not interpolated)."


def no_data_sentence(channel_label: str, window_label: str) -> str:
    """Sentence for a channel with no data in the window."""
    return f"No {channel_label} figures are available for {window_label}."


def join_sentences(sentences: list[str]) -> list[str]:
    """Drop empty sentences."""
    return [s for s in sentences if s]

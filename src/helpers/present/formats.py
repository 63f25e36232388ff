"""Number and date formats: the one place a figure is turned into text.

Tables, charts, sentences and the index all format through these functions, so a
figure reads the same everywhere: ``1,169,461``, ``26.8%``, ``+26.8%``,
``30 September 2015``, ``May to October 2015``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from helpers.tidy.periods import describe_months

#: Shown where a figure is missing.
MISSING = "–"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def count(value: float | None, *, signed: bool = False) -> str:
    """``1169461.0`` -> ``"1,169,461"`` (``"+8,467"`` when ``signed``)."""
    if _missing(value):
        return MISSING
    text = f"{float(value):+,.0f}" if signed else f"{float(value):,.0f}"
    return "0" if text in {"+0", "-0"} else text


def percent(value: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    """``26.786`` -> ``"26.8%"`` (``"+26.8%"`` when ``signed``)."""
    if _missing(value):
        return MISSING
    number = float(value)
    text = f"{number:+,.{decimals}f}%" if signed else f"{number:,.{decimals}f}%"
    zero = f"{0:.{decimals}f}%"
    return zero if text.lstrip("+-") == zero else text


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def small_count(n: int) -> str:
    """A count in a sentence: ``4`` -> ``"four"`` up to ten, digits above (``"12"``)."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def as_stated(value: float | None, *, percent: bool = False, most: int = 2) -> str:
    """A stated figure with the decimals it was stated with: ``20.4`` -> ``"20.4%"``.

    Args:
        value: The figure as a source states it.
        percent: Write it as a percentage, else as a count.
        most: The most decimals shown.

    Returns:
        ``"20.4%"`` (not ``"20.40%"``), ``"11%"``, ``"8,400"``, ``"3.5"``.
    """
    if _missing(value):
        return MISSING
    number = float(value)
    decimals = next((d for d in range(most) if abs(round(number, d) - number) < 1e-9), most)
    if percent:
        return globals()["percent"](number, decimals)
    return count(number) if decimals == 0 else f"{number:,.{decimals}f}"


#: Kinds of stated-figure check whose figures are percentages.
PERCENT_KINDS = frozenset({"pct_change", "cmgr", "engagement_rate", "weighted_share"})


def is_percent_check(check: Mapping[str, object]) -> bool:
    """Whether a stated-figure check's figures are percentages (by its kind or unit)."""
    return check.get("kind") in PERCENT_KINDS or check.get("unit") == "percent"


def stated_figure(check: Mapping[str, object]) -> str:
    """A figure as the report states it: its decimals, range or bound kept.

    Args:
        check: A stated-figure check (``stated``, and ``stated_high``, ``comparison``,
            ``kind`` or ``unit`` where they apply).

    Returns:
        E.g. ``"20.4%"`` (not ``"20.40%"``), ``"8,400 to 8,500"``, ``"at least 50%"``.
    """
    percent = is_percent_check(check)
    text = as_stated(check.get("stated"), percent=percent)  # type: ignore[arg-type]
    high = check.get("stated_high")
    if high is not None and not pd.isna(high):
        text = f"{text} to {as_stated(high, percent=percent)}"  # type: ignore[arg-type]
    comparison = check.get("comparison")
    if comparison in ("at_least", "at_most"):
        text = f"{str(comparison).replace('_', ' ')} {text}"
    return text


def computed_figure(check: Mapping[str, object], decimals: int = 1) -> str:
    """The value a stated-figure check computed from the data: ``"16.2%"``, ``"200,642"``."""
    value = check.get("computed")
    if is_percent_check(check):
        return percent(value, decimals)  # type: ignore[arg-type]
    return count(value)  # type: ignore[arg-type]


def rate(value: float | None, decimals: int = 1) -> str:
    """A figure per 1,000 residents: ``"15.4"``."""
    return MISSING if _missing(value) else f"{float(value):,.{decimals}f}"


def value(number: float | None, unit: str, measure: str = "value") -> str:
    """Format a figure by its unit and measure (changes carry a sign).

    Args:
        number: The figure (percentages in percent units).
        unit: ``count``, ``percent``, ``percent_per_month``, ``count_per_month``,
            ``hours`` or ``per_1000``.
        measure: A :class:`helpers.measures.figures.Measure`; changes get a sign.

    Returns:
        e.g. ``"12,345"``, ``"63.1%"``, ``"+2.4% a month"``.
    """
    signed = measure in {
        "abs_change",
        "pct_change",
        "yoy_pct_change",
        "cmgr",
        "mom_pct_change",
        "change_per_month",
    }
    if _missing(number):
        return MISSING
    if unit == "percent":
        return percent(number, signed=signed)
    if unit == "percent_per_month":
        return percent(number, signed=signed) + " a month"
    if unit == "per_1000":
        return rate(number) + " per 1,000 residents"
    if unit == "count_per_month":
        return count(number, signed=signed) + " a month"
    if unit == "hours":
        return count(number, signed=signed) + " hours"
    return count(number, signed=signed)


def day(when: object) -> str:
    """``2015-11-18`` -> ``"18 November 2015"``."""
    ts = pd.Timestamp(when)
    return f"{ts.day} {ts.strftime('%B %Y')}"


def month(when: pd.Period | object) -> str:
    """``2015-09`` -> ``"September 2015"``."""
    period = when if isinstance(when, pd.Period) else pd.Timestamp(when).to_period("M")
    return period.strftime("%B %Y")


def short_month(when: pd.Period | object) -> str:
    """``2015-09`` -> ``"Sep 2015"`` (chart ticks and table columns)."""
    period = when if isinstance(when, pd.Period) else pd.Timestamp(when).to_period("M")
    return period.strftime("%b %Y")


def dates(start: object, end: object) -> str:
    """The dates a figure covers: a day, a month, months, or days.

    Args:
        start: First day covered.
        end: Last day covered.

    Returns:
        ``"30 September 2015"``, ``"September 2015"``, ``"May to October 2015"`` or
        ``"18 March to 14 April 2025"``.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if first == last:
        return day(last)
    whole = first.is_month_start and last.is_month_end
    if whole and first.to_period("M") == last.to_period("M"):
        return month(last)
    if whole:
        left = first.strftime("%B") if first.year == last.year else month(first)
        return f"{left} to {month(last)}"
    if first.year == last.year:
        left = f"{first.day} {first.strftime('%B')}"
        return f"{left} to {day(last)}"
    return f"{day(first)} to {day(last)}"


def days_covered(start: object, end: object, days: int | None = None) -> str:
    """The days of one month a figure covers, said one way everywhere.

    Args:
        start: First day covered.
        end: Last day covered (in the same month).
        days: Days covered, when fewer than ``start`` to ``end`` (weeks with gaps);
            by default every day from ``start`` to ``end``.

    Returns:
        ``"March 2025"`` for the whole month, else ``"1–21 March 2025 (21 of 31
        days)"``, ``"18 March 2025 (1 of 31 days)"``; for dates in two months,
        :func:`dates`.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if first.to_period("M") != last.to_period("M"):
        return dates(first, last)
    total = first.days_in_month
    count = int(days) if days is not None else (last - first).days + 1
    if count >= total:
        return month(first)
    span = f"{first.day}" if first == last else f"{first.day}–{last.day}"
    return f"{span} {first.strftime('%B %Y')} ({count} of {total} days)"


def between(first: object, last: object) -> str:
    """``"between February and September 2015"`` for two readings' dates."""
    a, b = pd.Timestamp(first).to_period("M"), pd.Timestamp(last).to_period("M")
    left = a.strftime("%B") if a.year == b.year else month(a)
    return f"between {left} and {month(b)}"


def months(items: Iterable[pd.Period | object]) -> str:
    """Months as people write them: ``"February, June and September 2015"``."""
    return describe_months(
        m if isinstance(m, pd.Period) else pd.Timestamp(m).to_period("M") for m in items
    )


def join(items: Iterable[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    parts = [i for i in items if i]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def channel_name(channel: str) -> str:
    """The display name of a channel (``"itk"`` -> ``"In the Know"``)."""
    from helpers.config import CHANNELS

    return CHANNELS.get(str(channel), str(channel))


_PROPER = ("Facebook", "Twitter", "Instagram", "YouTube", "ITK", "In the Know", "Trust Ed")


def in_sentence(noun: str) -> str:
    """A noun phrase inside a sentence: lower-case first letter unless it is a name."""
    if not noun or noun.startswith(_PROPER):
        return noun
    return noun[0].lower() + noun[1:]


def metric_name(metric: str) -> str:
    """The display name of a metric (``"pageviews"`` -> ``"Page views"``)."""
    from helpers.config import METRICS

    spec = METRICS.get(str(metric))
    label = spec.label if spec else str(metric).replace("_", " ")
    return label[:1].upper() + label[1:]

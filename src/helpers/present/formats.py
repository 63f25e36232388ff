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


#: A count of at least this many that is a whole number of :data:`MILLION_STEP` is
#: written in millions, as people state it: ``1,800,000`` is "1.8 million".
MILLION = 1_000_000
MILLION_STEP = 100_000


def in_millions(value: float) -> bool:
    """Whether a count is stated in millions: a million or more, in whole tenths of one."""
    number = abs(float(value))
    return number >= MILLION and number % MILLION_STEP == 0


def count(value: float | None, *, signed: bool = False, millions: bool = True) -> str:
    """``1169461.0`` -> ``"1,169,461"`` (``"+8,467"`` when ``signed``).

    A count stated in millions keeps that precision: ``4700000`` -> ``"4.7 million"``
    (``millions=False`` writes every digit, as axis ticks do).
    """
    if _missing(value):
        return MISSING
    number = float(value)
    if millions and not signed and in_millions(number):
        return f"{number / MILLION:,.1f}".removesuffix(".0") + " million"
    text = f"{number:+,.0f}" if signed else f"{number:,.0f}"
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
    decimals = decimals_of(number, most)
    if percent:
        return globals()["percent"](number, decimals)
    return count(number) if decimals == 0 else f"{number:,.{decimals}f}"


def decimals_of(value: float, most: int = 2) -> int:
    """The decimals a figure is written with: ``20.4`` -> 1, ``15.0`` -> 0 (at most ``most``)."""
    number = float(value)
    return next((d for d in range(most) if abs(round(number, d) - number) < 1e-9), most)


def share(value: float | None) -> str:
    """A share in percent with the decimals it has, at most two: ``32.5%``, ``61.76%``."""
    return as_stated(value, percent=True)


#: Kinds of stated-figure check whose figures are percentages.
PERCENT_KINDS = frozenset({"pct_change", "cmgr", "engagement_rate", "weighted_share"})


def is_percent_check(check: Mapping[str, object]) -> bool:
    """Whether a stated-figure check's figures are percentages (by its kind or unit)."""
    return check.get("kind") in PERCENT_KINDS or check.get("unit") == "percent"


#: How a claim about growth levelling off (kind ``saturation``) reads: its figure is 0
#: for "not levelling off", 1 for "levelling off"; a missing one cannot be tested yet.
SATURATION_WORDS = {0.0: "not levelling off", 1.0: "levelling off"}
SATURATION_UNTESTED = "too few readings to tell"


def stated_figure(check: Mapping[str, object]) -> str:
    """A figure as the report states it: its decimals, range or bound kept.

    Args:
        check: A stated-figure check (``stated``, and ``stated_high``, ``comparison``,
            ``kind`` or ``unit`` where they apply).

    Returns:
        E.g. ``"20.4%"`` (not ``"20.40%"``), ``"8,400 to 8,500"``, ``"at least 50%"``.
    """
    if check.get("kind") == "saturation":
        return SATURATION_WORDS.get(float(check.get("stated") or 0), SATURATION_UNTESTED)  # type: ignore[arg-type]
    percent = is_percent_check(check)
    text = as_stated(check.get("stated"), percent=percent)  # type: ignore[arg-type]
    high = check.get("stated_high")
    if high is not None and not pd.isna(high):
        text = f"{text} to {as_stated(high, percent=percent)}"  # type: ignore[arg-type]
    comparison = check.get("comparison")
    if comparison in ("at_least", "at_most"):
        text = f"{str(comparison).replace('_', ' ')} {text}"
    return text


def _stated_decimals(check: Mapping[str, object]) -> int:
    """The most decimals of a check's stated figure(s): ``2.5`` to ``3`` -> 1."""
    figures = [check.get("stated"), check.get("stated_high")]
    stated = [float(f) for f in figures if not _missing(f) and not pd.isna(f)]  # type: ignore[arg-type]
    return max((decimals_of(f) for f in stated), default=1)


def computed_figure(check: Mapping[str, object]) -> str:
    """The value a stated-figure check computed, to the precision the figure was stated with.

    Beside ``34.5%`` it is ``34.4%`` (not ``34.40%``); beside "5 million to 6 million"
    it is ``4.9 million``. Where the stated and computed figures read the same at that
    precision although they differ, one more decimal shows the difference.

    Args:
        check: A stated-figure check (``stated``, ``computed``; ``stated_high``,
            ``comparison``, ``kind``, ``unit``, ``status`` where they apply).

    Returns:
        E.g. ``"16%"``, ``"34.4%"``, ``"200,642"``, ``"1.8 million"``.
    """
    value = check.get("computed")
    if check.get("kind") == "saturation":
        missing = _missing(value) or pd.isna(value)  # type: ignore[arg-type]
        return SATURATION_UNTESTED if missing else SATURATION_WORDS[float(value)]  # type: ignore[arg-type]
    if _missing(value) or pd.isna(value):  # type: ignore[arg-type]
        return MISSING
    decimals = _stated_decimals(check)
    stated = check.get("stated")
    if is_percent_check(check):
        text = percent(value, decimals)  # type: ignore[arg-type]
        if check.get("status") == "differs" and text == as_stated(stated, percent=True):  # type: ignore[arg-type]
            text = percent(value, decimals + 1)  # type: ignore[arg-type]
        return text
    number = float(value)  # type: ignore[arg-type]
    if not _missing(stated) and in_millions(float(stated)) and not in_millions(number):  # type: ignore[arg-type]
        text = f"{number / MILLION:,.1f}".removesuffix(".0") + " million"
        return text if text != count(stated) else count(number, millions=False)  # type: ignore[arg-type]
    return count(number)


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


#: Page names that are common nouns, as a sentence says them.
_COMMON_PAGES = {"homepage": "the homepage", "home page": "the homepage", "home": "the homepage"}


def page_in_sentence(name: str) -> str:
    """A web page's name inside a sentence: ``"Homepage"`` -> ``"the homepage"``.

    Titles of pages (``"Why do young people carry knives?"``) stay as they are.
    """
    return _COMMON_PAGES.get(" ".join(str(name).split()).casefold(), str(name))


def metric_name(metric: str) -> str:
    """The display name of a metric (``"pageviews"`` -> ``"Page views"``)."""
    from helpers.config import METRICS

    spec = METRICS.get(str(metric))
    label = spec.label if spec else str(metric).replace("_", " ")
    return label[:1].upper() + label[1:]

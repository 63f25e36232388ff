"""Generated sentences, as Markdown: what changed, in plain English.

Every number in a sentence comes from a figure frame, formatted by
:mod:`helpers.present.formats`. Method detail (formulas, model comparison) is
written separately by the ``method_*`` functions, for the page's collapsed
"How these figures were worked out" part.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import Markdown

from helpers.config import ALL_ACCOUNTS
from helpers.measures.audiences import SUM_OF_ACCOUNTS
from helpers.measures.figures import Measure, one, pick
from helpers.measures.forecast import Forecast
from helpers.measures.saturation import EXPONENTIAL, LINEAR, SLOWING
from helpers.measures.timeseries import MIN_READINGS, observation_dates_text
from helpers.measures.trends import Trend, interval_rates
from helpers.present import formats

#: Characters that start Markdown syntax inside a line (links, images, emphasis,
#: code, tables, headings, raw HTML entities are escaped separately).
_MARKDOWN_ACTIVE = re.compile(r"[\\`*_\[\]!~|#]")
#: ``scheme://`` and ``www.``: what would otherwise be turned into a link.
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9]):(?=//)|(?<=www)\.", re.IGNORECASE)
#: A marker that would start a list, quote or heading underline at the start of a line:
#: the marker's punctuation is what gets the backslash (``61\\.76%``: a backslash before
#: a digit is not an escape in Markdown, so it would be printed).
_LINE_START = re.compile(r"^(\s*)(\d*)([-+>=]|(?<=\d)[.)])")


def escape_html(text: str) -> str:
    """Escape HTML in Markdown written by analysts (their Markdown stays Markdown)."""
    return html.escape(str(text), quote=False)


def escape(text: str) -> str:
    """Make text taken from data plain text inside Markdown.

    HTML is escaped, and so is everything Markdown would act on: link and image
    brackets, emphasis, code, headings, tables, and ``scheme://`` or ``www.`` that
    would become a link; line breaks become spaces. An account called
    ``[Lancs Police](javascript:alert(1))`` shows as exactly that text.
    """
    plain = " ".join(str(text).splitlines())
    plain = _MARKDOWN_ACTIVE.sub(lambda m: "\\" + m.group(0), html.escape(plain, quote=False))
    plain = _AUTOLINK.sub(lambda m: "\\" + m.group(0), plain)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), plain)


def markdown(sentences: list[str]) -> Markdown:
    """Sentences as one Markdown paragraph (empty sentences dropped, HTML escaped).

    Args:
        sentences: Plain sentences; empty ones are dropped, HTML is escaped.

    Returns:
        One Markdown paragraph.
    """
    return Markdown(" ".join(escape(s) for s in sentences if s))


def _grew(pct: float) -> str:
    if pct > 0:
        return f"grew by {formats.percent(pct)}"
    if pct < 0:
        return f"fell by {formats.percent(abs(pct))}"
    return "did not change"


def audience_sentences(
    changes: pd.DataFrame, levels: pd.DataFrame, noun: str, account_kind: str
) -> list[str]:
    """Sentences on an audience: total and its change, the year-on-year change, the leaders.

    Args:
        changes: An audience-change frame.
        levels: The audience frame it came from.
        noun: e.g. ``"Facebook likes"``.
        account_kind: ``"account"`` or ``"division"`` (the word in the sentences).

    Returns:
        Plain sentences (no Markdown markup).
    """
    out: list[str] = []
    total = pick(changes, account=ALL_ACCOUNTS)
    if len(total):
        latest = pick(total, measure=Measure.VALUE).iloc[0]
        out.append(
            f"{noun} stood at {formats.count(latest['value'])} on {formats.day(latest['end'])}."
        )
        yoy = pick(total, measure=Measure.YOY_PCT_CHANGE)
        if len(yoy):
            r = yoy.iloc[0]
            out.append(f"Over the 12 months to {formats.month(r['end'])} they {_grew(r['value'])}.")
        pct = pick(total, measure=Measure.PCT_CHANGE)
        if len(pct):
            r = pct.iloc[0]
            out.append(
                f"{noun} (all {account_kind}s) {_grew(r['value'])} "
                f"{formats.between(r['start'], r['end'])}."
            )
    parts = changes[
        (changes["measure"] == Measure.PCT_CHANGE)
        & ~changes["account"].isin([ALL_ACCOUNTS, SUM_OF_ACCOUNTS])
    ].sort_values("value", ascending=False)
    if len(parts) >= 2:
        top, low = parts.iloc[0], parts.iloc[-1]
        out.append(
            f"{top['account']} grew fastest ({formats.percent(top['value'])} "
            f"{formats.between(top['start'], top['end'])}) and {low['account']} slowest "
            f"({formats.percent(low['value'])})."
        )
    inside = levels[levels["in_window"].astype(bool) & (levels["account"] != ALL_ACCOUNTS)]
    if len(inside):
        have = set(inside["month"])
        span = pd.period_range(min(have), max(have), freq="M")
        gaps = [m for m in span if m not in have]
        if gaps:
            out.append(
                f"There are no {formats.in_sentence(noun)} figures by {account_kind} for "
                f"{formats.months(gaps)}; "
                "nothing is filled in for those months."
            )
    return out


def audience_summary(
    changes: pd.DataFrame, levels: pd.DataFrame, noun: str, account_kind: str
) -> Markdown:
    """:func:`audience_sentences` as Markdown.

    Args:
        changes: An audience-change frame (:func:`helpers.measures.audience_change`).
        levels: The audience frame it came from.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.
        account_kind: What the accounts are called, ``"account"`` or ``"division"`` (the
            word in the sentences; ``"account"`` also names the local division pages).

    Returns:
        The sentences as Markdown.
    """
    return markdown(audience_sentences(changes, levels, noun, account_kind))


def _interval(row: pd.Series, noun_count: str) -> str:
    """One interval between readings: ``"5,688 a month between February and June 2015"``."""
    if int(row["months"]) == 1:
        return f"{noun_count} in {formats.month(row['end'])}"
    return f"{noun_count} a month {formats.between(row['start'], row['end'])}"


def interval_sentence(trend: Trend, noun: str) -> str:
    """What was added a month between each pair of readings, each with its months.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        noun: What is counted, e.g. ``"Twitter followers"``.

    Returns:
        E.g. "Twitter followers grew by 5,690 a month between September 2014 and
        February 2015, 4,034 a month between February and June 2015, ... and 3,091 in
        October 2015." (empty with fewer than two readings).
    """
    rates = interval_rates(trend.series)
    if rates.empty:
        return ""
    added = rates["per_month"]
    if (added > 0).all():
        verb, counts = "grew by", [formats.count(a) for a in added]
    elif (added < 0).all():
        verb, counts = "fell by", [formats.count(-a) for a in added]
    else:
        verb, counts = "changed by", [formats.count(a, signed=True) for a in added]
    pieces = [_interval(row, c) for (_, row), c in zip(rates.iterrows(), counts, strict=True)]
    return f"{noun} {verb} {formats.join(pieces)}."


def _verdict(trend: Trend) -> str:
    """Whether growth is slowing, as the saturation check finds (a clause)."""
    n = trend.saturation.n_points
    verdict = trend.saturation.verdict
    if n < MIN_READINGS:
        readings = f"{formats.small_count(n)} monthly reading{'' if n == 1 else 's'}"
        return (
            f"with {readings} it is too early to tell whether growth is slowing "
            f"(at least {formats.small_count(MIN_READINGS)} are needed)"
        )
    if verdict == SLOWING:
        return "growth is slowing: a curve that levels off fits the readings clearly better"
    if verdict == LINEAR:
        return "the same number a month fits the readings best, with no sign of levelling off"
    if verdict == EXPONENTIAL:
        return "a steady percentage rate fits the readings best, with no sign of slowing"
    return "the readings cannot yet tell whether growth is slowing"


def growth_finding(trend: Trend) -> str:
    """One plain finding on growth that holds whichever months a paper covers.

    Whether the total rose in every interval between readings (not whether the
    additions rose or fell from one interval to the next, which changes with the
    months chosen), then the saturation check's verdict, which needs at least
    :data:`~helpers.measures.timeseries.MIN_READINGS` monthly readings.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.

    Returns:
        One sentence.
    """
    rates = interval_rates(trend.series)
    added = rates["per_month"]
    if rates.empty:
        moved = ""
    elif (added > 0).all():
        moved = "Growth continued in every interval; "
    elif (added < 0).all():
        moved = "The total fell in every interval; "
    else:
        moved = "The total rose in some intervals and fell in others; "
    verdict = _verdict(trend)
    if not moved:
        return verdict[:1].upper() + verdict[1:] + "."
    return f"{moved}{verdict}."


def trend_sentence(trend: Trend, noun: str) -> str:
    """What the readings show, interval by interval, and one plain finding.

    The first sentence gives the number added a month between each pair of readings
    the total chart plots, each with its months; the second whether the total grew
    in every interval and whether growth is slowing (:func:`growth_finding`). The
    evidence goes to the method part.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.

    Returns:
        One or two sentences (empty when there are no readings).
    """
    if trend.saturation.n_points == 0:  # nothing to say: a section of the page leaves it out
        return ""
    return " ".join(s for s in (interval_sentence(trend, noun), growth_finding(trend)) if s)


def growth_point(parts: list[tuple[str, Trend]], claims: pd.DataFrame | None = None) -> str:
    """A key point on growth: the report's view on levelling off, if it gave one, then our test.

    Args:
        parts: ``(noun, trend)`` pairs, e.g. ``[("Facebook likes", likes_trend)]``.
        claims: The claims a paper of the period checks (``inputs.claims``): one of kind
            ``saturation`` on these channels is the report's view, quoted first.

    Returns:
        One or two sentences (empty without readings).
    """
    parts = [(noun, t) for noun, t in parts if t.saturation.n_points]
    if not parts:
        return ""
    keys = {(t.channel, t.metric) for _, t in parts}
    stated = None
    if claims is not None and len(claims):
        pairs = pd.Series(list(zip(claims["channel"], claims["metric"], strict=True)))
        mine = pairs.isin(keys).to_numpy() & (claims["kind"] == "saturation").to_numpy()
        stated = claims[mine]
    counts = [t.saturation.n_points for _, t in parts]
    nouns = formats.join(noun for noun, _ in parts)
    if max(counts) < MIN_READINGS:
        each = " each" if len(parts) > 1 else ""
        if len(set(counts)) == 1:
            n = counts[0]
            readings = f"{formats.small_count(n)} monthly reading{'' if n == 1 else 's'}{each}"
            readings += f" of {nouns}"
        else:
            readings = formats.join(
                f"{formats.small_count(n)} of {noun}"
                for (noun, _), n in zip(parts, counts, strict=True)
            )
        needed = f"at least {formats.small_count(MIN_READINGS)} are needed"
        ours = f"{readings}, and {needed}"
        if stated is None or stated.empty:
            return f"Too early to tell whether growth is slowing: {ours}."
        test = f"Our test cannot tell yet: {ours}."
    else:
        verdicts = "; ".join(f"{noun}: {_verdict(t)}" for noun, t in parts)
        if stated is None or stated.empty:
            return f"Whether growth is slowing, from the monthly readings: {verdicts}."
        test = f"Our test of the monthly readings: {verdicts}."
    first = stated.iloc[0]
    quote = str(first["quote"]).rstrip(".")
    return f"The report of {formats.day(first['reported'])} says: \u201c{quote}.\u201d {test}"


def projection_sentence(trend: Trend, noun: str) -> str:
    """The projection in one sentence; nothing when none is made.

    Why there is none (too few readings) is said once, in the annex and the page's
    method part, not beside every chart.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.

    Returns:
        One sentence, or ``""`` when none is made.
    """
    projection = trend.projection
    if isinstance(projection, Forecast):
        last = projection.table.iloc[-1]
        return (
            f"If the trend continues, {formats.in_sentence(noun)} would be about "
            f"{formats.count(last['mean'])} by {formats.day(last['end'])} (80% range "
            f"{formats.count(last['lo80'])} to {formats.count(last['hi80'])}); a projection, "
            "not a target."
        )
    return ""


def method_trend(trend: Trend, noun: str) -> Markdown:
    """How the growth figures were worked out: formulas, model comparison, readings.

    With fewer than :data:`~helpers.measures.timeseries.MIN_READINGS` monthly readings
    the one rule that withholds both the saturation check and the projection is
    stated once.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.

    Returns:
        Markdown for the page's method notes.
    """
    lines = [f"**{noun}.** {trend.growth.method}"]
    n = trend.saturation.n_points
    if n < MIN_READINGS:
        dates = observation_dates_text(trend.series.index) if len(trend.series) else ""
        lines.append(
            f"Whether growth is slowing, and where it is heading, are judged only from at "
            f"least {formats.small_count(MIN_READINGS)} monthly readings; there "
            f"{'is' if n == 1 else 'are'} {formats.small_count(n) if n else 'none'}"
            f"{f' ({dates})' if dates else ''}."
        )
        return Markdown("\n\n".join(lines))
    lines.append(trend.saturation.sentence)
    if not trend.saturation.models.empty:
        table = trend.saturation.models[["parameters", "aicc", "delta_aicc"]].round(1)
        lines.append(
            "Curves compared (AICc, lower is better): "
            + "; ".join(f"{m} {r['aicc']:.1f}" for m, r in table.iterrows())
            + "."
        )
    projection = trend.projection
    if isinstance(projection, Forecast):
        lines.append(projection.method)
    else:  # the reason is a clause ("only 3 observations (...); at least 6 are needed")
        lines.append(f"No projection is made: {projection.reason}.")
    return Markdown("\n\n".join(lines))


def engagement_sentences(frame: pd.DataFrame) -> list[str]:
    """Sentences on Facebook reach and engagement in the latest month with figures.

    Args:
        frame: An engagement frame (:func:`helpers.measures.engagement`).

    Returns:
        Plain sentences (none for an empty frame).
    """
    if frame.empty:
        return []
    when = formats.dates(frame["start"].iloc[0], frame["end"].iloc[0])
    rates = pick(frame, measure=Measure.RATE)
    accounts = rates[rates["account"] != ALL_ACCOUNTS].sort_values("value", ascending=False)
    total = one(rates, account=ALL_ACCOUNTS)
    reach = one(pick(frame, metric="reach"), account=ALL_ACCOUNTS)
    out = [
        f"In {when} the force's Facebook pages reached {formats.count(reach)} people, counting "
        "a person reached by two pages twice; "
        f"{formats.percent(total)} of them engaged with a post (liked, commented, shared or "
        "clicked)."
    ]
    if len(accounts) >= 2:
        top, low = accounts.iloc[0], accounts.iloc[-1]
        locals_ = accounts[accounts["account"].isin(["West", "South", "East"])]
        if len(locals_) and low["account"] not in set(locals_["account"]):
            out.append(
                f"Engagement was highest on the local division pages "
                f"({formats.percent(locals_['value'].min(), 0)} to "
                f"{formats.percent(locals_['value'].max(), 0)}) against "
                f"{formats.percent(low['value'], 0)} on the {low['account']} page."
            )
        else:
            out.append(
                f"{top['account']} had the highest rate ({formats.percent(top['value'])}) and "
                f"{low['account']} the lowest ({formats.percent(low['value'])})."
            )
    return out


def growth_share_sentence(shares: pd.DataFrame, changes: pd.DataFrame) -> str:
    """Which division brought most of the growth.

    Args:
        shares: A growth-shares frame (:func:`helpers.measures.growth_shares`).
        changes: The audience-change frame the shares came from.

    Returns:
        One sentence (empty without shares).
    """
    if shares.empty:
        return ""
    top = shares.sort_values("value", ascending=False).iloc[0]
    net = one(changes, account=top["account"], measure=Measure.ABS_CHANGE)
    return (
        f"{top['account']} brought {formats.percent(top['value'])} of the growth "
        f"({formats.count(net)} net new registrations "
        f"{formats.between(top['start'], top['end'])})."
    )


def commentary(parts: pd.DataFrame, figures: pd.DataFrame, page: str) -> Markdown:
    """The analysts' commentary for one page, figures filled in with their qualifiers.

    Args:
        parts: Commentary parts of the period (``page``, ``part``, ``order``, ``markdown``).
        figures: Declared figures of the period.
        page: The page key (``social``, ``itk``...).

    Returns:
        Markdown with one level-3 heading per part: HTML in the analysts' text is
        shown as text, and so is every field of a figure (its qualifier and number).
    """
    from helpers.tidy.commentary import fill_figures

    def figure_text(figure: pd.Series) -> str:
        number = formats.value(float(figure["value"]), str(figure.get("unit") or "count"))
        qualifier = str(figure.get("qualifier") or "").strip()
        return f"{escape(qualifier)} {number}".strip()  # the qualifier is text, never markup

    mine = parts[parts["page"] == page].sort_values("order")
    blocks = []
    for part in mine.to_dict("records"):
        text = fill_figures(escape_html(str(part["markdown"])), figures, figure_text)
        heading = f"### {escape(part['part'])}\n\n" if part["part"] else ""
        blocks.append(heading + text)
    return Markdown("\n\n".join(blocks))

"""Generated sentences, as Markdown: what changed, in plain English.

Every number in a sentence comes from a figure frame, formatted by
:mod:`helpers.present.formats`. Method detail (formulas, model comparison) is
written separately by the ``method_*`` functions, for the page's collapsed
"How these figures were worked out" part.
"""

from __future__ import annotations

import itertools

import pandas as pd
from IPython.display import Markdown

from helpers.config import ALL_ACCOUNTS
from helpers.measures.audiences import SUM_OF_ACCOUNTS
from helpers.measures.figures import Measure, one, pick
from helpers.measures.forecast import Forecast
from helpers.measures.saturation import CANNOT_TELL, EXPONENTIAL, LINEAR, SLOWING
from helpers.measures.trend import Trend
from helpers.present import formats


def markdown(sentences: list[str]) -> Markdown:
    """Sentences as one Markdown paragraph (empty sentences dropped)."""
    return Markdown(" ".join(s for s in sentences if s))


def _grew(pct: float) -> str:
    if pct > 0:
        return f"grew by {formats.percent(pct)}"
    if pct < 0:
        return f"fell by {formats.percent(abs(pct))}"
    return "did not change"


def audience_sentences(
    changes: pd.DataFrame, levels: pd.DataFrame, noun: str, by: str
) -> list[str]:
    """Sentences on an audience: total and its change, the year-on-year change, the leaders.

    Args:
        changes: An audience-change frame.
        levels: The audience frame it came from.
        noun: e.g. ``"Facebook likes"``.
        by: ``"account"`` or ``"division"``.

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
                f"{noun} (all {by}s) {_grew(r['value'])} {formats.between(r['start'], r['end'])}."
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
                f"There are no {noun.lower()} figures by {by} for {formats.months(gaps)}; "
                "nothing is filled in for those months."
            )
    return out


def audience_summary(changes: pd.DataFrame, levels: pd.DataFrame, noun: str, by: str) -> Markdown:
    """:func:`audience_sentences` as Markdown."""
    return markdown(audience_sentences(changes, levels, noun, by))


def interval_rates(series: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp, float]]:
    """Compound monthly growth between each pair of consecutive readings."""
    out = []
    for (d0, v0), (d1, v1) in zip(series.items(), list(series.items())[1:], strict=False):
        months = (d1.year - d0.year) * 12 + d1.month - d0.month
        if months > 0 and v0 > 0:
            out.append((d0, d1, ((v1 / v0) ** (1 / months) - 1) * 100))
    return out


def trend_sentence(trend: Trend, noun: str) -> str:
    """Whether growth is slowing, stated plainly (the evidence goes to the method part)."""
    rates = interval_rates(trend.series)
    steps = " → ".join(formats.percent(r) for _, _, r in rates)
    verdict = trend.saturation.verdict
    falling = len(rates) >= 2 and all(b[2] < a[2] for a, b in itertools.pairwise(rates))
    rising = len(rates) >= 2 and all(b[2] > a[2] for a, b in itertools.pairwise(rates))
    if trend.saturation.n_points < 4:
        return (
            f"Too few months of {noun.lower()} figures to tell whether growth is slowing "
            f"({trend.saturation.n_points} readings; at least 4 are needed)."
        )
    if verdict == SLOWING:
        return f"{noun} growth is levelling off: the monthly rate went {steps}."
    if verdict == LINEAR or (verdict == CANNOT_TELL and falling):
        return (
            f"{noun} keep growing by a similar number each month, so the percentage rate is "
            f"falling: {steps} a month between readings."
        )
    if verdict == EXPONENTIAL:
        return (
            f"{noun} keep growing at a steady percentage rate ({steps} a month between readings)."
        )
    if rising:
        return f"{noun} growth is speeding up: {steps} a month between readings."
    return (
        f"The figures cannot yet tell whether {noun.lower()} growth is slowing "
        f"(monthly rates between readings: {steps})."
    )


def projection_sentence(trend: Trend, noun: str) -> str:
    """The projection in one sentence, or why there is none."""
    projection = trend.projection
    if isinstance(projection, Forecast):
        last = projection.table.iloc[-1]
        return (
            f"If the trend continues, {noun.lower()} would be about "
            f"{formats.count(last['mean'])} by {formats.day(last['end'])} (80% range "
            f"{formats.count(last['lo80'])} to {formats.count(last['hi80'])}); a projection, "
            "not a target."
        )
    return f"No projection is shown: {projection.reason}."


def method_trend(trend: Trend, noun: str) -> Markdown:
    """How the growth figures were worked out: formulas, model comparison, readings."""
    lines = [f"**{noun}.** {trend.growth.method}", trend.saturation.sentence]
    if not trend.saturation.models.empty:
        table = trend.saturation.models[["parameters", "aicc", "delta_aicc"]].round(1)
        lines.append(
            "Curves compared (AICc, lower is better): "
            + "; ".join(f"{m} {r['aicc']:.1f}" for m, r in table.iterrows())
            + "."
        )
    projection = trend.projection
    lines.append(projection.method if isinstance(projection, Forecast) else projection.reason)
    return Markdown("\n\n".join(lines))


def engagement_sentences(frame: pd.DataFrame) -> list[str]:
    """Sentences on Facebook reach and engagement in the latest month with figures."""
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
    """Which division brought most of the growth."""
    if shares.empty:
        return ""
    top = shares.sort_values("value", ascending=False).iloc[0]
    net = one(changes, account=top["account"], measure=Measure.ABS_CHANGE)
    return (
        f"{top['account']} brought {formats.percent(top['value'])} of the growth "
        f"({formats.count(net)} net new registrations "
        f"{formats.between(top['start'], top['end'])})."
    )


def missing_line(what: str, reason: str) -> str:
    """One line for a section without figures."""
    return f"No {what} for this period: {reason}."


def commentary(parts: pd.DataFrame, figures: pd.DataFrame, page: str) -> Markdown:
    """The analysts' commentary for one page, figures filled in with their qualifiers.

    Args:
        parts: Commentary parts of the period (``page``, ``part``, ``order``, ``markdown``).
        figures: Declared figures of the period.
        page: The page key (``social``, ``itk``...).

    Returns:
        Markdown with one level-3 heading per part (raw HTML in the text is shown as
        text when the page is built; the renderer does not pass HTML through).
    """
    from helpers.tidy.commentary import fill_figures

    def figure_text(figure: pd.Series) -> str:
        number = formats.value(float(figure["value"]), str(figure.get("unit") or "count"))
        qualifier = str(figure.get("qualifier") or "").strip()
        return f"{qualifier} {number}".strip()

    mine = parts[parts["page"] == page].sort_values("order")
    blocks = []
    for part in mine.to_dict("records"):
        text = fill_figures(str(part["markdown"]), figures, figure_text)
        heading = f"### {part['part']}\n\n" if part["part"] else ""
        blocks.append(heading + text)
    return Markdown("\n\n".join(blocks))

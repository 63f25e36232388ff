"""Generated sentences, as Markdown: what changed, in plain English.

Every number in a sentence comes from a figure frame, formatted by
:mod:`helpers.present.formats`. Method detail (formulas, model comparison) is
written separately by the ``method_*`` functions, for the page's collapsed
"How these figures were worked out" part.
"""

from __future__ import annotations

import html
import itertools

import pandas as pd
from IPython.display import Markdown

from helpers.config import ALL_ACCOUNTS
from helpers.measures.audiences import SUM_OF_ACCOUNTS
from helpers.measures.figures import Measure, one, pick
from helpers.measures.forecast import Forecast
from helpers.measures.saturation import CANNOT_TELL, EXPONENTIAL, LINEAR, MIN_POINTS, SLOWING
from helpers.measures.trends import Trend, interval_rates
from helpers.present import formats


def escape(text: str) -> str:
    """Make text taken from data safe to place in Markdown (no raw HTML gets through)."""
    return html.escape(str(text), quote=False)


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


def trend_sentence(trend: Trend, noun: str) -> str:
    """Whether growth is slowing, stated plainly (the evidence goes to the method part).

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.

    Returns:
        One sentence (empty when there is nothing to say).
    """
    rates = [
        (r["start"], r["end"], r["cmgr"]) for r in interval_rates(trend.series).to_dict("records")
    ]
    steps = " → ".join(formats.percent(r) for _, _, r in rates)
    verdict = trend.saturation.verdict
    falling = len(rates) >= 2 and all(b[2] < a[2] for a, b in itertools.pairwise(rates))
    rising = len(rates) >= 2 and all(b[2] > a[2] for a, b in itertools.pairwise(rates))
    if trend.saturation.n_points < MIN_POINTS:
        return (
            f"There are too few months of {formats.in_sentence(noun)} figures to tell whether "
            "growth is slowing."
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
        f"The figures cannot yet tell whether {formats.in_sentence(noun)} growth is slowing "
        f"(monthly rates between readings: {steps})."
    )


def projection_sentence(trend: Trend, noun: str) -> str:
    """The projection in one sentence, or why there is none.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.

    Returns:
        One sentence.
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
    return (
        "No projection is shown: there are too few monthly readings to project from "
        "(the method part below says how many are needed)."
    )


def method_trend(trend: Trend, noun: str) -> Markdown:
    """How the growth figures were worked out: formulas, model comparison, readings.

    Args:
        trend: A :class:`helpers.measures.Trend` of the channel total.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.

    Returns:
        Markdown for the page's method notes.
    """
    lines = [f"**{noun}.** {trend.growth.method}", trend.saturation.sentence]
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
        text = fill_figures(escape(str(part["markdown"])), figures, figure_text)
        heading = f"### {escape(part['part'])}\n\n" if part["part"] else ""
        blocks.append(heading + text)
    return Markdown("\n\n".join(blocks))


# --- key points ------------------------------------------------------------------------------


def _total(changes: pd.DataFrame, measure: str) -> pd.Series | None:
    rows = pick(changes, account=ALL_ACCOUNTS, measure=measure)
    return rows.iloc[0] if len(rows) else None


def twelve_month_point(parts: list[tuple[str, pd.DataFrame]]) -> str:
    """Twelve-month growth of each total, e.g. Facebook likes +63.1%, Twitter followers +80.3%.

    Args:
        parts: ``(label, audience-change frame)`` pairs, e.g.
            ``[("Facebook likes", likes_change)]``.

    Returns:
        One key point (empty when no total has a 12-month change).
    """
    found = [(noun, _total(ch, Measure.YOY_PCT_CHANGE)) for noun, ch in parts]
    found = [(noun, r) for noun, r in found if r is not None]
    if not found:
        return ""
    ends = {formats.month(r["end"]) for _, r in found}
    pieces = [f"{noun} by {formats.percent(r['value'])}" for noun, r in found]
    if len(ends) == 1:
        joined = formats.join(pieces).replace(" by ", " grew by ", 1)
        return f"Over the 12 months to {ends.pop()}, {joined}."
    return (
        "; ".join(
            f"{noun} grew by {formats.percent(r['value'])} in the 12 months to "
            f"{formats.month(r['end'])}"
            for noun, r in found
        )
        + "."
    )


def fastest_point(changes: pd.DataFrame, noun: str, account_kind: str) -> str:
    """Which accounts (or divisions) grew fastest between their first and latest readings.

    Args:
        changes: An audience-change frame.
        noun: What is counted, in words, e.g. ``"Facebook likes"``.
        account_kind: What the accounts are called, ``"account"`` or ``"division"`` (the
            word in the sentences; ``"account"`` also names the local division pages).

    Returns:
        One key point (empty with fewer than two accounts).
    """
    parts = changes[
        (changes["measure"] == Measure.PCT_CHANGE)
        & ~changes["account"].isin([ALL_ACCOUNTS, SUM_OF_ACCOUNTS])
    ].sort_values("value", ascending=False)
    if len(parts) < 2:
        return ""
    top = parts.iloc[0]
    span = formats.between(top["start"], top["end"])
    divisions = parts[parts["account"].isin(["West", "South", "East"])]
    if (
        account_kind == "account"
        and len(divisions) == 3
        and set(parts.iloc[:3]["account"]) == set(divisions["account"])
    ):
        listed = formats.join(
            f"{r['account']} {formats.percent(r['value'], signed=True)}"
            for r in divisions.to_dict("records")
        )
        rest = parts[~parts["account"].isin(divisions["account"])].iloc[0]
        return (
            f"The local division pages grew fastest on {noun.split()[0]}: {listed} {span}, "
            f"against {formats.percent(rest['value'], signed=True)} for {rest['account']}."
        )
    low = parts.iloc[-1]
    return (
        f"{top['account']} grew fastest in {formats.in_sentence(noun)} "
        f"({formats.percent(top['value'], signed=True)} {span}); {low['account']} slowest "
        f"({formats.percent(low['value'], signed=True)})."
    )


def engagement_point(frame: pd.DataFrame) -> str:
    """The latest engagement rate by account, dated.

    Args:
        frame: An engagement frame (:func:`helpers.measures.engagement`).

    Returns:
        One key point.
    """
    rates = pick(frame, measure=Measure.RATE)
    accounts = rates[rates["account"] != ALL_ACCOUNTS]
    if accounts.empty:
        return ""
    when = formats.dates(rates["start"].iloc[0], rates["end"].iloc[0])
    local = accounts[accounts["account"].isin(["West", "South", "East"])]
    others = accounts[~accounts["account"].isin(local["account"])]
    if len(local) and len(others):
        low = others.sort_values("value").iloc[0]
        return (
            f"Facebook engagement in {when} ran at {formats.percent(local['value'].min(), 0)}–"
            f"{formats.percent(local['value'].max(), 0)} of people reached on the local division "
            f"pages, against {formats.percent(low['value'], 0)} on the {low['account']} page "
            f"(latest figures by account, {formats.day(rates['end'].iloc[0])})."
        )
    top = accounts.sort_values("value").iloc[-1]
    return (
        f"In {when} {top['account']} had the highest Facebook engagement rate "
        f"({formats.percent(top['value'])})."
    )


def monthly_point(parts: list[tuple[str, pd.DataFrame]]) -> str:
    """Growth on the month before, for the totals whose latest two readings are consecutive.

    Args:
        parts: ``(label, audience-change frame)`` pairs.

    Returns:
        One key point (empty when no total has one).
    """
    found = [(noun, _total(ch, Measure.MOM_PCT_CHANGE)) for noun, ch in parts]
    found = [(noun, r) for noun, r in found if r is not None]
    if not found:
        return ""
    month = formats.month(found[0][1]["end"])
    pieces = [f"{noun} {formats.percent(r['value'], signed=True)}" for noun, r in found]
    return f"In {month} alone: {formats.join(pieces)} on the month before."


def share_point(shares: pd.DataFrame, changes: pd.DataFrame, noun: str) -> str:
    """The division with the fastest growth and its share of the growth.

    Args:
        shares: A growth-shares frame.
        changes: The audience-change frame the shares came from.
        noun: What grew, in words, e.g. ``"Registered users"``.

    Returns:
        One key point.
    """
    pct = changes[
        (changes["measure"] == Measure.PCT_CHANGE)
        & changes["account"].isin(["West", "South", "East"])
    ].sort_values("value", ascending=False)
    if pct.empty:
        return ""
    top = pct.iloc[0]
    text = (
        f"{top['account']} grew fastest: {formats.in_sentence(noun)} "
        f"{formats.percent(top['value'], signed=True)} "
        f"{formats.between(top['start'], top['end'])}"
    )
    share = shares[shares["account"] == top["account"]]
    if len(share):
        text += f", {formats.percent(share['value'].iloc[0])} of the force-wide growth"
    return text + "."


def _span_of(frame: pd.DataFrame) -> str:
    return formats.dates(frame["start"].min(), frame["end"].max())


def website_points(
    traffic: pd.DataFrame, devices: pd.DataFrame, sources: pd.DataFrame, forms: pd.DataFrame
) -> list[str]:
    """Key points of the force website page.

    Args:
        traffic: A traffic frame (:func:`helpers.measures.traffic`).
        devices: The device shares over the window.
        sources: Traffic-source shares.
        forms: Online forms by form (:func:`helpers.measures.segments`).

    Returns:
        Key points, most important first.
    """
    points = []
    sums = traffic[traffic["start"].dt.to_period("M") != traffic["end"].dt.to_period("M")]
    if len(sums):
        values = sums.set_index("metric")["value"]
        who = f" by {formats.count(values['users'])} users" if "users" in values else ""
        views = (
            f", with {formats.count(values['pageviews'])} page views"
            if "pageviews" in values
            else ""
        )
        points.append(
            f"The force website had {formats.count(values.get('sessions'))} sessions{who} "
            f"from {_span_of(sums)}{views}."
        )
    elif len(traffic):
        latest = traffic[traffic["metric"] == "sessions"].sort_values("start").iloc[-1]
        points.append(
            f"The force website had {formats.count(latest['value'])} sessions in "
            f"{formats.month(latest['start'])}."
        )
    if len(devices):
        top = devices.sort_values("value").iloc[-1]
        points.append(
            f"{formats.percent(top['value'], 2)} of sessions were on a {top['segment'].lower()} "
            f"device ({_span_of(devices)})."
        )
    if len(sources):
        top = sources.iloc[0]
        points.append(
            f"{formats.percent(top['value'], 2)} of sessions came from "
            f"{top['segment'].lower()} ({_span_of(sources)})."
        )
    parts = forms[forms["measure"] != Measure.SUM]
    if len(parts):
        total = forms[forms["measure"] == Measure.SUM]["value"].iloc[0]
        top = parts.iloc[0]
        points.append(
            f"{formats.count(total)} online forms were submitted ({_span_of(parts)}); the most "
            f"used was {top['segment']} ({formats.count(top['value'])})."
        )
    return points


def trusted2know_points(
    visits: pd.DataFrame,
    devices: dict[str, pd.DataFrame],
    sources: dict[str, pd.DataFrame],
    pages: pd.DataFrame,
) -> list[str]:
    """Key points of the Trust Ed page.

    Args:
        visits: Trust Ed's traffic frame (or its stated totals).
        devices: Device shares by site, Trust Ed first.
        sources: Traffic-source shares by site, Trust Ed first.
        pages: Most viewed pages (:func:`helpers.measures.segments`).

    Returns:
        Key points, most important first.
    """
    points = []
    if len(visits):
        # monthly traffic (from exports) comes with the window's totals: use those
        totals = visits[visits["measure"] == Measure.SUM]
        values = (totals if len(totals) else visits).drop_duplicates("metric", keep="last")
        values = values.set_index("metric")["value"]
        who = f" by {formats.count(values['users'])} users" if "users" in values else ""
        points.append(
            f"The Trust Ed site had {formats.count(values.get('sessions'))} sessions{who} "
            f"({_span_of(visits)})."
        )
    youth, force = devices.get("Trust Ed"), devices.get("Force website")
    if youth is not None and len(youth):
        top = youth.sort_values("value").iloc[-1]
        share = formats.percent(top["value"], 2)
        text = f"{share} of Trust Ed sessions were on a {top['segment'].lower()}"
        same = force[force["segment"] == top["segment"]] if force is not None else pd.DataFrame()
        if len(same):
            text += f", against {formats.percent(same['value'].iloc[0], 2)} on the force website"
        points.append(text + ".")
    youth = sources.get("Trust Ed")
    if youth is not None and len(youth):
        top = youth.iloc[0]
        points.append(
            f"{formats.percent(top['value'], 2)} of Trust Ed sessions came from "
            f"{top['segment'].lower()}."
        )
    parts = pages[pages["measure"] != Measure.SUM] if len(pages) else pages
    if len(parts):
        top = parts.iloc[0]
        points.append(
            f"The most viewed page was {top['segment']} ({formats.count(top['value'])} views)."
        )
    return points

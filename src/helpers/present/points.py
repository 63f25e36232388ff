"""Key points: the one-line findings at the top of a page, and notes on assumed dates.

Each function takes figure frames from :mod:`helpers.measures` and returns a plain
sentence (a key point) or Markdown; none computes a figure of its own.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from helpers.config import ALL_ACCOUNTS
from helpers.measures.audiences import SUM_OF_ACCOUNTS
from helpers.measures.figures import Measure, pick
from helpers.present import formats
from helpers.present.narrative import escape


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


def _source_files(frame: pd.DataFrame) -> set[str]:
    """The raw file names behind a figure frame's rows (``source`` is ``file:line:col``)."""
    files = set()
    for cell in frame.get("source", pd.Series(dtype=str)).astype(str):
        for piece in cell.split("; "):
            files.add(piece.split(":", 1)[0].rsplit("/", 1)[-1])
    return files


def assumed_dates(frame: pd.DataFrame, assumptions: pd.DataFrame | None) -> pd.DataFrame:
    """The date assumptions behind a frame's rows (rows of ``assumptions``, by file)."""
    if assumptions is None or not len(assumptions) or not len(frame):
        return pd.DataFrame(columns=["file", "report_words", "assumed", "report_line"])
    return assumptions[assumptions["file"].isin(_source_files(frame))]


def _span_with_assumption(frame: pd.DataFrame, assumptions: pd.DataFrame | None) -> str:
    span = _span_of(frame)
    return f"{span}, dates assumed" if len(assumed_dates(frame, assumptions)) else span


def date_note(
    frames: pd.DataFrame | list[pd.DataFrame], assumptions: pd.DataFrame | None
) -> Markdown | None:
    """Say, beside a table, which of its dates are assumed rather than stated by the source.

    Args:
        frames: The figure frame(s) a table or chart shows.
        assumptions: :attr:`helpers.tidy.inputs.PeriodInputs.date_assumptions`.

    Returns:
        One Markdown line per assumption, quoting the source's own words, or None
        when every date shown is the source's own.
    """
    frames = frames if isinstance(frames, list) else [frames]
    rows = pd.concat([assumed_dates(f, assumptions) for f in frames], ignore_index=True)
    rows = rows.drop_duplicates(["report_words", "assumed"])
    if rows.empty:
        return None
    lines = [
        f"*Dates assumed:* the report says \u201c{escape(r['report_words'])}\u201d; "
        f"{escape(r['assumed'])}."
        for r in rows.to_dict("records")
    ]
    return Markdown("\n\n".join(lines))


def website_points(
    traffic: pd.DataFrame,
    devices: pd.DataFrame,
    sources: pd.DataFrame,
    forms: pd.DataFrame,
    assumptions: pd.DataFrame | None = None,
) -> list[str]:
    """Key points of the force website page.

    Args:
        traffic: Sessions, users and page views (:func:`helpers.measures.traffic`).
        devices: Device shares over the months shown.
        sources: Traffic-source shares.
        forms: Online forms submitted, by form, with their sum.
        assumptions: Date assumptions of the inputs; a figure whose dates are
            assumed says so beside its dates.

    Returns:
        Plain sentences, most important first.
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
            f"{formats.share(top['value'])} of sessions were on a {top['segment'].lower()} "
            f"device ({_span_of(devices)})."
        )
    if len(sources):
        top = sources.iloc[0]
        points.append(
            f"{formats.share(top['value'])} of sessions came from "
            f"{top['segment'].lower()} ({_span_of(sources)})."
        )
    parts = forms[forms["measure"] != Measure.SUM]
    if len(parts):
        total = forms[forms["measure"] == Measure.SUM]["value"].iloc[0]
        top = parts.iloc[0]
        points.append(
            f"{formats.count(total)} online forms were submitted "
            f"({_span_with_assumption(parts, assumptions)}); the most "
            f"used was {top['segment']} ({formats.count(top['value'])})."
        )
    return points


def trusted2know_points(
    visits: pd.DataFrame,
    devices: dict[str, pd.DataFrame],
    sources: dict[str, pd.DataFrame],
    pages: pd.DataFrame,
    assumptions: pd.DataFrame | None = None,
) -> list[str]:
    """Key points of the Trust Ed page.

    Args:
        visits: Sessions, users and page views, by month or for the window.
        devices: Device shares of Trust Ed and, to compare, the force website.
        sources: Traffic-source shares, likewise.
        pages: The most viewed pages.
        assumptions: Date assumptions of the inputs; a figure whose dates are
            assumed says so beside its dates.

    Returns:
        Plain sentences, most important first.
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
            f"({_span_with_assumption(visits, assumptions)})."
        )
    youth, force = devices.get("Trust Ed"), devices.get("Force website")
    if youth is not None and len(youth):
        top = youth.sort_values("value").iloc[-1]
        share = formats.share(top["value"])
        text = f"{share} of Trust Ed sessions were on a {top['segment'].lower()}"
        same = force[force["segment"] == top["segment"]] if force is not None else pd.DataFrame()
        if len(same):
            text += f", against {formats.share(same['value'].iloc[0])} on the force website"
        points.append(text + ".")
    youth = sources.get("Trust Ed")
    if youth is not None and len(youth):
        top = youth.iloc[0]
        points.append(
            f"{formats.share(top['value'])} of Trust Ed sessions came from "
            f"{top['segment'].lower()}."
        )
    parts = pages[pages["measure"] != Measure.SUM] if len(pages) else pages
    if len(parts):
        top = parts.iloc[0]
        points.append(
            f"The most viewed page was {formats.page_in_sentence(top['segment'])} "
            f"({formats.count(top['value'])} views)."
        )
    return points

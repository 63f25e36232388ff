"""Tables as pandas ``Styler`` objects: caption, header, number formats.

Each function takes figure frames (from :mod:`helpers.measures`) and returns a
``Styler``; the frame behind it is ``styler.data``, so an analyst can take the
numbers as a DataFrame in the next cell. Formatting goes through
:mod:`helpers.present.formats`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.config import ALL_ACCOUNTS, Metric
from helpers.measures.audiences import SUM_OF_ACCOUNTS
from helpers.measures.figures import Measure
from helpers.present import formats

Formatter = Callable[[object], str]

#: Audiences counted page by page: a division's figure adds up its pages (or accounts).
SUMMED_PAGES: dict[str, tuple[str, str]] = {
    Metric.PAGE_LIKES: ("pages", "a person who likes two of them"),
    Metric.FOLLOWERS: ("accounts", "a person who follows two of them"),
}

COUNT: Formatter = formats.count  # type: ignore[assignment]
PERCENT: Formatter = formats.percent  # type: ignore[assignment]
SIGNED_PERCENT: Formatter = lambda v: formats.percent(v, signed=True)  # noqa: E731
SHARE: Formatter = formats.share  # type: ignore[assignment]
RATE: Formatter = formats.rate  # type: ignore[assignment]


def styled(frame: pd.DataFrame, caption: str, columns: Mapping[str, Formatter]) -> Styler:
    """A table with a caption, its index as row headers and per-column number formats.

    Args:
        frame: The table (index = row labels, named; columns = headers).
        caption: What the table shows, with the dates it covers.
        columns: Formatter of each numeric column; other columns are shown as text.

    Returns:
        The ``Styler``.
    """
    if not frame.index.is_unique:  # Styler needs unique labels to style cells
        frame = frame.reset_index()
    # One header row: the row labels' name goes in its top-left cell (as the columns'
    # name), not in a row of its own under the headers ("Account", "Month", "metric").
    frame = frame.copy()
    frame.columns.name, frame.index.name = frame.index.name, None
    # one format call: text from data is escaped in every column, numbers formatted
    styler = frame.style.format(
        {c: f for c, f in columns.items() if c in frame.columns},
        na_rep=formats.MISSING,
        escape="html",
    )
    styler = styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    numeric = [c for c in columns if c in frame.columns]
    return (
        styler.set_caption(html.escape(caption, quote=False))
        .set_table_attributes('class="data"')
        .set_properties(subset=numeric, **{"text-align": "right"})
    )


def dated_caption(caption: str, frames: pd.DataFrame | list[pd.DataFrame]) -> str:
    """A caption that names its figures' own dates.

    ``"Audience of each channel on 31 October 2015"``, ``"Online forms submitted, May
    to October 2015"``. A caption that already names them is kept as it is.

    Args:
        caption: The caption.
        frames: The figure frame(s) the table shows (``start``, ``end``).

    Returns:
        The caption with the dates its figures cover.
    """
    frames = frames if isinstance(frames, list) else [frames]
    dated = [f for f in frames if len(f) and {"start", "end"} <= set(f.columns)]
    if not dated:
        return caption
    first = min(pd.Timestamp(f["start"].min()) for f in dated)
    last = max(pd.Timestamp(f["end"].max()) for f in dated)
    if pd.isna(first) or pd.isna(last):
        return caption
    when = formats.dates(first, last)
    if when in caption:
        return caption
    return f"{caption} on {when}" if first == last else f"{caption}, {when}"


def audience_table(
    levels: pd.DataFrame, changes: pd.DataFrame, label: str, account_kind: str = "account"
) -> Styler:
    """Accounts (or divisions) by month-end, with the change from the first month shown.

    Args:
        levels: An audience frame.
        changes: Its audience-change frame.
        label: What is counted, e.g. ``"Facebook likes"`` (in the caption).
        account_kind: What the accounts are called, ``"account"`` or ``"division"``:
            the header of the row labels, the total row (``All divisions (sum)``)
            and the caption.

    Returns:
        The table; its total row is the sum of the accounts listed, so it adds up.
    """
    shown = levels[
        levels["in_window"].astype(bool)
        & (levels["measure"] == Measure.VALUE)
        & (levels["account"] != ALL_ACCOUNTS)
    ]
    if shown.empty:
        return styled(pd.DataFrame(), f"{label} by {account_kind}: no figures", {})
    wide = shown.pivot_table(index="account", columns="month", values="value", aggfunc="first")
    wide = wide.reindex([a for a in dict.fromkeys(shown["account"])])
    months = list(wide.columns)
    wide.columns = [formats.short_month(m) for m in months]
    pct = changes[changes["measure"] == Measure.PCT_CHANGE].set_index("account")
    pct = pct[pct.index.isin(wide.index)]  # the rows listed, not the stated channel total
    change_col = ""
    if len(months) > 1 and not pct.empty:
        first, last = pd.Timestamp(pct["start"].min()), pd.Timestamp(pct["end"].max())
        change_col = f"% change {formats.short_month(first)} to {formats.short_month(last)}"
        # the column's label names the dates of every change in it: others are left out
        spans = (pct["start"] == first) & (pct["end"] == last)
        wide[change_col] = pct["value"].where(spans).reindex(wide.index)
    wide.index.name = account_kind.capitalize()
    wide = wide.rename(index={SUM_OF_ACCOUNTS: f"All {account_kind}s (sum)"})
    latest = formats.day(shown["end"].max())
    formatters: dict[str, Formatter] = {c: COUNT for c in wide.columns if c != change_col}
    if change_col:
        formatters[change_col] = PERCENT
    return styled(wide, f"{label} by {account_kind}, latest figures {latest}", formatters)


def engagement_table(frame: pd.DataFrame) -> Styler:
    """Facebook reach, engaged users and engagement rate by account for one month.

    Args:
        frame: An engagement frame (:func:`helpers.measures.engagement`).

    Returns:
        The table.
    """
    wide = frame.pivot_table(index="account", columns="metric", values="value", aggfunc="first")
    wide = wide.reindex(list(dict.fromkeys(frame["account"])))
    wide = wide.rename(
        columns={"reach": "Reach", "engaged_users": "Engaged users", "engagement_rate": "Rate"}
    )[["Reach", "Engaged users", "Rate"]]
    wide = wide.rename(index={ALL_ACCOUNTS: "All accounts (sum of pages)"})
    wide.index.name = "Account"
    wide = wide.rename(columns={"Rate": "Engagement rate"})
    when = formats.dates(frame["start"].iloc[0], frame["end"].iloc[0])
    return styled(
        wide,
        f"Facebook reach and engagement by account, {when}",
        {"Reach": COUNT, "Engaged users": COUNT, "Engagement rate": PERCENT},
    )


def figures_table(
    frame: pd.DataFrame,
    caption: str,
    label: str,
    value_label: str,
    formatter: Formatter = COUNT,
    *,
    by: str = "segment",
    total_label: str = "Total",
) -> Styler:
    """One row per figure (segment, channel or activity) with its value.

    Args:
        frame: A figure frame; a ``sum`` row becomes the total row.
        caption: The caption; the figures' dates are added unless it names them
            (:func:`dated_caption`).
        label: Header of the row labels.
        value_label: Header of the values.
        formatter: How values are written.
        by: Column naming each row.
        total_label: Label of the ``sum`` row.

    Returns:
        The table.
    """
    names = frame[by].where(frame["measure"] != Measure.SUM, total_label)
    table = pd.DataFrame({value_label: frame["value"].to_numpy()}, index=names.to_numpy())
    table.index.name = label
    return styled(table, dated_caption(caption, frame), {value_label: formatter})


def traffic_table(frame: pd.DataFrame, site: str) -> Styler:
    """Sessions, unique users and page views by month, with totals that are true totals.

    The total row adds up sessions and page views; unique users over the months are
    shown only where the data state them (monthly users do not add up).

    Args:
        frame: A traffic frame (:func:`helpers.measures.traffic`).
        site: The site's name in the caption, e.g. ``"Force website"``.

    Returns:
        The table.
    """
    monthly = frame[frame["measure"] == Measure.VALUE].dropna(subset=["month"])
    monthly = monthly[monthly["start"].dt.is_month_start & monthly["end"].dt.is_month_end]
    monthly = monthly[monthly["start"].dt.to_period("M") == monthly["end"].dt.to_period("M")]
    wide = monthly.pivot_table(index="month", columns="metric", values="value", aggfunc="first")
    wide.index = [formats.short_month(m) for m in wide.index]
    names = {"sessions": "Sessions", "users": "Unique users", "pageviews": "Page views"}
    wide = wide.reindex(columns=[m for m in names if m in wide.columns]).rename(columns=names)
    ranged = frame[frame["start"].dt.to_period("M") != frame["end"].dt.to_period("M")]
    if not ranged.empty:
        total = {names[m]: v for m, v in zip(ranged["metric"], ranged["value"], strict=True)}
        wide.loc["All months"] = pd.Series(total)
    wide.index.name = "Month"
    span = formats.dates(frame["start"].min(), frame["end"].max())
    caption = f"{site} traffic by month, {span}"
    users = wide["Unique users"] if "Unique users" in wide.columns else pd.Series(dtype=float)
    if pd.notna(users.get("All months")):  # users over a range are de-duplicated
        caption += (
            ". Unique users of all months count each person once, so they are fewer than "
            "the months' users added up"
        )
    return styled(wide, caption, {c: COUNT for c in names.values()})


def shares_table(frame: pd.DataFrame, caption: str, label: str) -> Styler:
    """Shares by segment over a range, in percent with the decimals they have (at most two).

    Args:
        frame: A shares frame (:func:`helpers.measures.shares`).
        caption: The caption.
        label: Header of the segments, e.g. ``"Source"``.

    Returns:
        The table.
    """
    return figures_table(frame, caption, label, "Share", SHARE)


def side_by_side(frames: Mapping[str, pd.DataFrame], caption: str, label: str) -> Styler:
    """Shares of two sites (or periods) side by side, one column each.

    Args:
        frames: Shares frames by site (or period) name, one column each.
        caption: The caption.
        label: Header of the segments.

    Returns:
        The table.
    """
    table = pd.DataFrame(
        {name: f.set_index("segment")["value"] for name, f in frames.items() if len(f)}
    )
    table.index.name = label
    caption = dated_caption(caption, [f for f in frames.values() if len(f)])
    return styled(table, caption, dict.fromkeys(table.columns, SHARE))


def per_resident_table(
    frame: pd.DataFrame, noun: str, residents: pd.DataFrame | None = None
) -> Styler:
    """Counts per 1,000 residents (2011 Census) by division, from a per-resident frame.

    With ``residents`` (``division``, ``authorities``), the table lists the local
    authorities counted in each division.

    Args:
        frame: A per-resident frame (:func:`helpers.measures.per_resident`).
        noun: What is counted, in words, e.g. ``"Facebook likes"`` (a column header).
        residents: Residents by division, with ``authorities`` (optional).

    Returns:
        The table.
    """
    rates = frame[frame["measure"] == Measure.PER_1000]
    summed = SUMMED_PAGES.get(str(rates["metric"].iloc[0])) if len(rates) else None
    counted = f"{noun} (sum of {summed[0]})" if summed else noun
    table = pd.DataFrame(
        {
            counted: rates["count"].astype(float).to_numpy(),
            "Residents (2011 Census)": rates["residents"].astype(float).to_numpy(),
            "Per 1,000 residents": rates["value"].to_numpy(),
        },
        index=pd.Index(rates["account"], name="Division"),
    )
    if residents is not None and "authorities" in residents:
        table["Authorities counted"] = (
            residents.set_index("division")["authorities"].reindex(table.index).fillna("")
        )
    day = formats.day(rates["end"].max())
    caption = f"{noun} per 1,000 residents (2011 Census), {day}"
    if summed:  # the caveat of summed reach: a person is counted once per page
        caption += f"; a division's figure adds up its {summed[0]}, counting {summed[1]} twice"
    return styled(
        table,
        caption,
        {counted: COUNT, "Residents (2011 Census)": COUNT, "Per 1,000 residents": RATE},
    )


def quality_table(checks: pd.DataFrame, caption: str = "Stated figures checked") -> Styler:
    """Each stated figure beside the value recomputed from the data, with a verdict.

    Args:
        checks: Reconciliation checks (:data:`helpers.measures.quality.QUALITY_COLUMNS`).
        caption: The caption.

    Returns:
        The table: what was stated (ranges and bounds kept), the value computed, the
        dates compared and the verdict.
    """
    records = []
    for c in checks.to_dict("records"):
        stated = formats.stated_figure(c)
        what = c["quote"] or c["description"]
        who = "" if c["account"] in ("", ALL_ACCOUNTS) else f"{c['account']}: "
        records.append(
            {
                "Figure": f"{who}{what}",
                "Stated": stated,
                "Computed": formats.computed_figure(c),
                "Dates": formats.dates(c["start"], c["end"]),
                "Verdict": {"ok": "agrees", "differs": "differs"}.get(c["status"], c["status"]),
            }
        )
    table = pd.DataFrame.from_records(
        records, columns=["Figure", "Stated", "Computed", "Dates", "Verdict"]
    )
    return (
        styled(table, caption, {}).hide(axis="index").set_table_attributes('class="data quality"')
    )


def highlights_table(frame: pd.DataFrame) -> Styler:
    """Campaign and operational figures as the report quotes them, with their dates.

    A figure the report does not date says so instead of showing an assumed window.

    Args:
        frame: A highlights frame (:func:`helpers.measures.highlights`).

    Returns:
        The table.
    """
    from helpers.config import CHANNELS, METRICS

    records = []
    for r in frame.to_dict("records"):
        qualifier = str(r.get("qualifier") or "").strip()
        spec = METRICS.get(str(r["metric"]))
        records.append(
            {
                "Activity": r["segment"],
                "Channel": CHANNELS.get(str(r["channel"]), str(r["channel"])),
                "Figure": spec.label if spec else str(r["metric"]),
                "Value": f"{qualifier} {formats.count(r['value'])}".strip(),
                "When": formats.dates(r["start"], r["end"])
                if bool(r.get("dated"))
                else f"as reported on {formats.day(r['end'])} (not dated in the report)",
            }
        )
    table = pd.DataFrame.from_records(
        records, columns=["Activity", "Channel", "Figure", "Value", "When"]
    )
    return styled(table, "Campaign and operational figures, as quoted", {}).hide(axis="index")

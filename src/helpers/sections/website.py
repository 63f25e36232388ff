"""Sections of the force website briefing (lancashire.police.uk)."""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import HTML

from helpers import config
from helpers.measures import arithmetic as metrics
from helpers.present import charts as plots
from helpers.present import narrative
from helpers.present.headlines import Headline, HeadlineSet, iso
from helpers.sections.common import REPORT_SOURCE, Context, no_data, prose, table_html, within
from helpers.tidy.periods import month_label, short_month_label
from helpers.tidy.select import is_whole_month, rows

CHANNEL, ACCOUNT = "website", config.WEBSITE_ACCOUNT
TRAFFIC = {"sessions": "Sessions", "users": "Unique users", "pageviews": "Page views"}
LABEL = "force website"
SEGMENT_LABELS = {
    "acquisition_share": "Traffic source",
    "social_referral_share": "Social network",
    "pageview_share": "Page group",
    "device_share": "Device",
}


def monthly_frame(ctx: Context, channel: str = CHANNEL, account: str = ACCOUNT) -> pd.DataFrame:
    """Sessions, unique users and page views per whole month inside the window."""
    sel = within(rows(ctx.tidy, channel, None, account), ctx.window)
    sel = sel[is_whole_month(sel) & sel["metric"].isin(list(TRAFFIC))]
    if sel.empty:
        return pd.DataFrame()
    wide = sel.pivot_table(index="start", columns="metric", values="value", aggfunc="first")
    wide.index = wide.index.to_period("M")
    return wide.reindex(columns=[m for m in TRAFFIC if m in wide.columns]).sort_index()


def period_users(
    ctx: Context, first: pd.Period, last: pd.Period, channel: str = CHANNEL, account: str = ACCOUNT
) -> float:
    """Unique users over exactly ``first``..``last`` where the data state it (else nan)."""
    sel = rows(ctx.tidy, channel, "users", account)
    hit = sel[(sel["start"] == first.start_time) & (sel["end"] == last.end_time.normalize())]
    return float(hit["value"].iloc[0]) if not hit.empty else math.nan


def summary(ctx: Context) -> HTML:
    """Sentences: traffic over the months of the window, busiest month, gaps."""
    wide = monthly_frame(ctx)
    if wide.empty:
        return no_data(ctx, LABEL)
    first, last = wide.index[0], wide.index[-1]
    n = len(wide)
    sessions, views = wide["sessions"].sum(), wide["pageviews"].sum()
    users = period_users(ctx, first, last)
    span = f"{month_label(first)} to {month_label(last)}" if n > 1 else month_label(last)
    who = f" by {narrative.fmt_count(users)} unique users" if not math.isnan(users) else ""
    sentences = [
        f"In the {n} month{'s' if n > 1 else ''} from {span} the website had "
        f"{narrative.fmt_count(sessions)} sessions{who}, with {narrative.fmt_count(views)} "
        f"page views ({views / sessions:.2f} pages per session).",
    ]
    busiest = wide["sessions"].idxmax()
    if n > 1:
        sentences.append(
            f"The busiest month was {month_label(busiest)} with "
            f"{narrative.fmt_count(wide.loc[busiest, 'sessions'])} sessions."
        )
        change = metrics.pct_change(wide["sessions"].iloc[-2], wide["sessions"].iloc[-1])
        if wide.index[-2] == last - 1:
            sentences.append(
                f"Sessions {'rose' if change >= 0 else 'fell'} by {narrative.fmt_pct(abs(change))} "
                f"from {month_label(last - 1)} to {month_label(last)}."
            )
    if last != ctx.window.end:
        sentences.append(f"No website figures are available for {month_label(ctx.window.end)}.")
    return prose(sentences)


def traffic_table(ctx: Context) -> HTML:
    """Monthly sessions, unique users and page views, with totals."""
    wide = monthly_frame(ctx)
    if wide.empty:
        return no_data(ctx, LABEL)
    frame = wide.rename(columns=TRAFFIC)
    frame.index = [short_month_label(m) for m in frame.index]
    frame.loc["Total"] = frame.sum()
    frame = frame.reset_index().rename(columns={"index": "Month"})
    note = "Monthly unique users do not add up to unique users over several months (people return)."
    table = table_html(frame, f"Website traffic by month, {ctx.window.label}")
    return HTML(table.data + prose([note], "note").data)


def traffic_chart(ctx: Context) -> HTML:
    """Line chart of monthly sessions and unique users."""
    wide = monthly_frame(ctx)
    if wide.empty:
        return no_data(ctx, LABEL)
    shown = [m for m in ("sessions", "users") if m in wide.columns]
    long = wide[shown].rename(columns=TRAFFIC).stack().rename("value").reset_index()
    long.columns = ["month", "measure", "value"]
    long["end"] = long["month"].map(lambda m: m.end_time.normalize())
    fig = plots.trend_chart(
        long,
        x="end",
        y="value",
        hue="measure",
        title="Website " + " and ".join(TRAFFIC[m].lower() for m in shown) + " by month",
        ylabel="Count per month",
        source=REPORT_SOURCE,
    )
    busiest = wide["sessions"].idxmax()
    alt = (
        f"Line chart of monthly website sessions and unique users, {month_label(wide.index[0])} "
        f"to {month_label(wide.index[-1])}; sessions peaked in {month_label(busiest)} at "
        f"{narrative.fmt_count(wide.loc[busiest, 'sessions'])}."
    )
    return plots.figure_html(fig, alt=alt, caption="Website sessions and unique users")


def device_frame(ctx: Context, channel: str = CHANNEL, account: str = ACCOUNT) -> pd.DataFrame:
    """Device share rows inside the window (monthly where available)."""
    sel = within(rows(ctx.tidy, channel, "device_share", account, None), ctx.window)
    return sel.sort_values(["start", "segment"])


def device_chart(ctx: Context) -> HTML:
    """100% stacked bars: device mix per month."""
    sel = device_frame(ctx)
    sel = sel[is_whole_month(sel)]
    if sel.empty:
        return prose(
            [f"No monthly device figures for the website in {ctx.window.label}."], "notice"
        )
    data = sel.assign(month=sel["start"].dt.to_period("M").map(short_month_label))
    fig = plots.share_chart(
        data,
        period_col="month",
        segment_col="segment",
        title="Website sessions by device, per month",
        source=REPORT_SOURCE,
    )
    last = data[data["start"] == data["start"].max()].set_index("segment")["value"]
    first = data[data["start"] == data["start"].min()].set_index("segment")["value"]
    top = last.idxmax()
    alt = (
        f"Stacked bar chart of the share of website sessions by device for each month; in "
        f"{month_label(sel['start'].max().to_period('M'))} {top} had the largest share at "
        f"{narrative.fmt_pct(last[top], 2)} (from {narrative.fmt_pct(first.get(top, math.nan), 2)} "
        f"in {month_label(sel['start'].min().to_period('M'))})."
    )
    return plots.figure_html(fig, alt=alt, caption="Device mix by month")


def device_over_range(ctx: Context, channel: str = CHANNEL, account: str = ACCOUNT) -> pd.Series:
    """Device shares over all whole months of the window, weighted by sessions."""
    sel = device_frame(ctx, channel, account)
    monthly = sel[is_whole_month(sel)]
    if monthly.empty:
        ranged = sel[~is_whole_month(sel)]
        return ranged.set_index("segment")["value"] if not ranged.empty else pd.Series(dtype=float)
    weights = monthly_frame(ctx, channel, account)
    if weights.empty:
        return pd.Series(dtype=float)
    out = {}
    for segment, grp in monthly.groupby("segment"):
        shares = grp.set_index(grp["start"].dt.to_period("M"))["value"]
        out[segment] = metrics.weighted_share(shares, weights["sessions"])
    return pd.Series(out)


def period_shares(
    ctx: Context, metric: str, channel: str = CHANNEL, account: str = ACCOUNT
) -> pd.DataFrame:
    """Shares over a range (acquisition, social referral, page groups) inside the window."""
    sel = within(rows(ctx.tidy, channel, metric, account, None), ctx.window)
    sel = sel[~is_whole_month(sel)]
    return sel.sort_values("value", ascending=False)


def shares_section(ctx: Context, metric: str, title: str) -> HTML:
    """Table + bar chart of a breakdown's shares over the range the data cover."""
    sel = period_shares(ctx, metric)
    if sel.empty:
        return prose([f"No figures for {title.lower()} in {ctx.window.label}."], "notice")
    span = narrative.fmt_range(sel["start"].iloc[0], sel["end"].iloc[0])
    frame = sel[["segment", "value"]].rename(columns={"segment": "Segment", "value": "Share"})
    breakdown = config.METRICS[metric].breakdown
    if breakdown == "partial":
        rest = 100 - frame["Share"].sum()
        note = (
            f"The groups shown cover {narrative.fmt_pct(100 - rest, 2)} of page views; "
            "the rest is spread over other pages."
        )
    else:
        note = ""
    table = table_html(frame, f"{title}, {span}", {"Share": "rate"})
    fig = plots.bar_chart(
        frame,
        x="Segment",
        y="Share",
        title=f"{title}, {span}",
        xlabel=SEGMENT_LABELS.get(metric, "Segment"),
        ylabel="Share (%)",
        source=REPORT_SOURCE,
        percent=True,
        horizontal=True,
    )
    top = frame.iloc[0]
    alt = (
        f"Bar chart of {title.lower()}, {span}: {top['Segment']} largest at "
        f"{narrative.fmt_pct(top['Share'], 2)}."
    )
    return HTML(
        table.data
        + plots.figure_html(fig, alt=alt, caption=title).data
        + (prose([note], "note").data if note else "")
    )


def forms_section(ctx: Context) -> HTML:
    """Online reporting forms submitted, by form."""
    sel = within(rows(ctx.tidy, CHANNEL, "form_submissions", ACCOUNT, None), ctx.window)
    if sel.empty:
        return prose([f"No online form figures for {ctx.window.label}."], "notice")
    sel = sel.sort_values("value", ascending=False)
    span = narrative.fmt_range(sel["start"].iloc[0], sel["end"].iloc[0])
    total = sel["value"].sum()
    top = sel.iloc[0]
    sentence = (
        f"{narrative.fmt_count(total)} online forms were submitted {span}; the most used was "
        f"'{top['segment']}' ({narrative.fmt_count(top['value'])}, "
        f"{narrative.fmt_pct(top['value'] / total * 100)})."
    )
    frame = sel[["segment", "value"]].rename(
        columns={"segment": "Form", "value": "Forms submitted"}
    )
    frame = pd.concat(
        [frame, pd.DataFrame([{"Form": "Total", "Forms submitted": total}])], ignore_index=True
    )
    return HTML(prose([sentence]).data + table_html(frame, f"Online forms submitted, {span}").data)


def headlines(ctx: Context) -> HeadlineSet:
    """Every headline figure of the website briefing."""
    result = HeadlineSet("website", ctx.period)
    wide = monthly_frame(ctx)
    if wide.empty:
        return result
    first, last = wide.index[0], wide.index[-1]
    start, end = iso(first.start_time), iso(last.end_time)
    for metric, label in TRAFFIC.items():
        if metric in wide:
            if metric != "users":
                result.add(
                    Headline(
                        CHANNEL,
                        ACCOUNT,
                        metric,
                        "value",
                        start,
                        end,
                        float(wide[metric].sum()),
                        "count",
                        label=f"Website {label.lower()}",
                    )
                )
            result.add(
                Headline(
                    CHANNEL,
                    ACCOUNT,
                    metric,
                    "value",
                    iso(last.start_time),
                    end,
                    float(wide[metric].iloc[-1]),
                    "count",
                    label=f"Website {label.lower()} in {month_label(last)}",
                )
            )
    users = period_users(ctx, first, last)
    result.add(
        Headline(
            CHANNEL,
            ACCOUNT,
            "users",
            "value",
            start,
            end,
            users,
            "count",
            label="Website unique users",
        )
    )
    for segment, share in device_over_range(ctx).items():
        result.add(
            Headline(
                CHANNEL,
                ACCOUNT,
                "device_share",
                "share",
                start,
                end,
                share,
                "percent",
                segment=str(segment),
                label=f"Sessions on {segment}",
            )
        )
    return result

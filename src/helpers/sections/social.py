"""Sections of the social-media briefing (Facebook, Twitter, Instagram, YouTube)."""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import HTML

from helpers import config
from helpers.ingest.report import campaign_qualifiers
from helpers.measures import arithmetic as metrics
from helpers.present import charts as plots
from helpers.present import narrative
from helpers.present.headlines import Headline, HeadlineSet, iso
from helpers.sections.common import (
    REPORT_SOURCE,
    Context,
    audience_headlines,
    overlapping,
    prose,
    table_html,
    within,
)
from helpers.tidy.select import figure, is_whole_month, rows

SOCIAL = ["facebook", "twitter", "instagram", "youtube"]
AUDIENCES = [("facebook", "page_likes", "likes"), ("twitter", "followers", "followers")]


def _end_month_rows(ctx: Context, channel: str, metric: str) -> pd.DataFrame:
    sel = rows(ctx.tidy, channel, metric)
    sel = sel[is_whole_month(sel)]
    return sel[sel["start"] == ctx.window.end.start_time.normalize()]


def engagement_frame(ctx: Context) -> pd.DataFrame:
    """Facebook reach, engaged users and engagement rate by account for the period month."""
    reach = _end_month_rows(ctx, "facebook", "reach").set_index("account")["value"]
    engaged = _end_month_rows(ctx, "facebook", "engaged_users").set_index("account")["value"]
    if reach.empty:
        return pd.DataFrame()
    frame = pd.DataFrame({"reach": reach, "engaged": engaged}).dropna()
    order = sorted(frame.index, key=lambda a: (a == config.ALL_ACCOUNTS, a))
    frame = frame.loc[order]
    if config.ALL_ACCOUNTS not in frame.index:
        frame.loc[config.ALL_ACCOUNTS] = frame.sum()
    frame["rate"] = [
        metrics.engagement_rate(e, r) for e, r in zip(frame["engaged"], frame["reach"], strict=True)
    ]
    return frame


def engagement_table(ctx: Context) -> HTML:
    """Table of Facebook reach, engagement and engagement rate for the period month."""
    frame = engagement_frame(ctx)
    if frame.empty:
        month = ctx.window.end.strftime("%B %Y")
        return prose([f"No Facebook reach or engagement figures by account for {month}."], "notice")
    shown = frame.reset_index().rename(
        columns={
            "account": "Account",
            "reach": "Reach",
            "engaged": "Engaged users",
            "rate": "Engagement rate",
        }
    )
    return table_html(
        shown,
        f"Facebook reach and engagement by account, {ctx.window.end.strftime('%B %Y')}",
        {"Engagement rate": "percent"},
    )


def engagement_summary(ctx: Context) -> HTML:
    """Sentences on Facebook reach and engagement in the period month."""
    frame = engagement_frame(ctx)
    month = ctx.window.end.strftime("%B %Y")
    if frame.empty:
        return prose(
            [f"No Facebook reach or engagement figures are available for {month}."], "notice"
        )
    total = frame.loc[config.ALL_ACCOUNTS]
    accounts = frame.drop(index=config.ALL_ACCOUNTS)
    best = accounts["rate"].idxmax()
    low = accounts["rate"].idxmin()
    return prose(
        [
            f"In {month} Facebook posts reached {narrative.fmt_count(total['reach'])} people and "
            f"{narrative.fmt_count(total['engaged'])} engaged with them: an engagement rate of "
            f"{narrative.fmt_pct(total['rate'])} (engaged users / reach).",
            f"{best} had the highest engagement rate "
            f"({narrative.fmt_pct(accounts.loc[best, 'rate'])}) and {low} the lowest "
            f"({narrative.fmt_pct(accounts.loc[low, 'rate'])}).",
        ]
    )


def engagement_chart(ctx: Context) -> HTML:
    """Bar chart of Facebook engagement rate by account."""
    frame = engagement_frame(ctx)
    month = ctx.window.end.strftime("%B %Y")
    if frame.empty:
        return prose([f"No Facebook engagement chart for {month}: no figures."], "notice")
    data = frame.reset_index().rename(columns={"index": "account"})
    fig = plots.bar_chart(
        data,
        x="account",
        y="rate",
        title=f"Facebook engagement rate by account, {month}",
        xlabel="Account",
        ylabel="Engagement rate (%)",
        source=REPORT_SOURCE,
        percent=True,
    )
    accounts = frame.drop(index=config.ALL_ACCOUNTS)
    best = accounts["rate"].idxmax()
    alt = (
        f"Bar chart of Facebook engagement rate by account in {month}: {best} highest at "
        f"{narrative.fmt_pct(accounts.loc[best, 'rate'])}, all accounts "
        f"{narrative.fmt_pct(frame.loc[config.ALL_ACCOUNTS, 'rate'])}."
    )
    return plots.figure_html(fig, alt=alt, caption=f"Facebook engagement rate, {month}")


def twitter_impressions(ctx: Context) -> pd.DataFrame:
    """Monthly tweet impressions in the window: the stated total, else the accounts' sum."""
    sel = within(rows(ctx.tidy, "twitter", "impressions"), ctx.window)
    sel = sel[is_whole_month(sel)]
    stated = sel[sel["account"] == config.ALL_ACCOUNTS]
    summed = (
        sel[sel["account"] != config.ALL_ACCOUNTS]
        .groupby(["start", "end"], as_index=False)["value"]
        .sum()
    )
    summed = summed[~summed["start"].isin(stated["start"])]
    return pd.concat([stated[["start", "end", "value"]], summed], ignore_index=True).sort_values(
        "start"
    )


def other_channels(ctx: Context) -> HTML:
    """Sentences on Twitter impressions, Instagram and YouTube in the window."""
    sentences: list[str] = []
    for _, r in twitter_impressions(ctx).iterrows():
        sentences.append(
            f"Tweets were seen {narrative.fmt_count(r['value'])} times (impressions) in "
            f"{narrative.fmt_range(r['start'], r['end'])}."
        )
    insta = within(rows(ctx.tidy, "instagram", "followers"), ctx.window)
    if not insta.empty:
        last = insta.sort_values("end").iloc[-1]
        sentences.append(
            f"Instagram had {narrative.fmt_count(last['value'])} followers on "
            f"{narrative.fmt_day(last['end'])}."
        )
    else:
        sentences.append(f"No Instagram follower figures are available for {ctx.window.label}.")
    return prose(sentences)


def community_frame(ctx: Context) -> pd.DataFrame:
    """Audience of every channel at the end of the period (the digital community)."""
    day = ctx.end_day
    records = []
    for channel, metric in config.AUDIENCE_METRIC.items():
        value = figure(ctx.tidy, channel, metric, day, day)
        if not math.isnan(value):
            records.append(
                {"Channel": config.CHANNELS[channel], "Audience": value, "channel": channel}
            )
    return pd.DataFrame.from_records(records, columns=["Channel", "Audience", "channel"])


def digital_community(ctx: Context) -> HTML:
    """Table and sentence: the digital community at the end of the period."""
    frame = community_frame(ctx)
    day = narrative.fmt_day(ctx.end_day)
    if frame.empty:
        return prose([f"No channel audience figures are available for {day}."], "notice")
    total = frame["Audience"].sum()
    missing = [config.CHANNELS[c] for c in config.AUDIENCE_METRIC if c not in set(frame["channel"])]
    sentence = (
        f"On {day} the digital community (Facebook likes, Twitter followers, In the Know "
        f"registered users and Instagram followers with figures for that day) totalled "
        f"{narrative.fmt_count(total)}."
    )
    if missing:
        sentence += f" No figure for that day: {', '.join(missing)}."
    shown = pd.concat(
        [
            frame[["Channel", "Audience"]],
            pd.DataFrame([{"Channel": "Total digital community", "Audience": total}]),
        ],
        ignore_index=True,
    )
    return HTML(prose([sentence]).data + table_html(shown, f"Digital community on {day}").data)


def highlights_frame(ctx: Context, channels: list[str]) -> pd.DataFrame:
    """Campaign and operational figures quoted for dates overlapping the window."""
    sel = ctx.tidy[ctx.tidy["channel"].isin(channels) & (ctx.tidy["segment"] != "")]
    sel = sel[sel["source"].str.startswith("report_2015/campaign_figures.csv")]
    sel = overlapping(sel, ctx.window)
    qualifiers = campaign_qualifiers()
    records = []
    for _, r in sel.sort_values(["segment", "metric"]).iterrows():
        qualifier = qualifiers.get(r["source"], "")
        value = narrative.fmt_count(r["value"])
        records.append(
            {
                "Activity": r["segment"],
                "Channel": config.CHANNELS[r["channel"]],
                "Figure": config.METRICS[r["metric"]].label,
                "Value": f"{qualifier} {value}".strip(),
                "When": narrative.fmt_range(r["start"], r["end"]),
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["Activity", "Channel", "Figure", "Value", "When"]
    )


def highlights(ctx: Context, channels: list[str] | None = None) -> HTML:
    """Table of campaign and operational highlights overlapping the window."""
    frame = highlights_frame(ctx, channels or [*SOCIAL, "all"])
    if frame.empty:
        return prose([f"No campaign or operational figures are recorded for {ctx.window.label}."])
    return table_html(
        frame,
        "Campaign and operational highlights (figures as quoted, with the dates they cover)",
        row_header=True,
    )


def headlines(ctx: Context) -> HeadlineSet:
    """Every headline figure of the social briefing."""
    result = HeadlineSet("social", ctx.period)
    for channel, metric, noun in AUDIENCES:
        result.extend(
            audience_headlines(ctx, channel, metric, f"{config.CHANNELS[channel]} {noun}")
        )
    frame = engagement_frame(ctx)
    month_start, month_end = iso(ctx.window.end.start_time), iso(ctx.end_day)
    for account, r in frame.iterrows():
        base = {
            "channel": "facebook",
            "account": str(account),
            "start": month_start,
            "end": month_end,
        }
        result.add(
            Headline(
                **base,
                metric="reach",
                measure="value",
                value=r["reach"],
                unit="count",
                label="Facebook reach",
            )
        )
        result.add(
            Headline(
                **base,
                metric="engaged_users",
                measure="value",
                value=r["engaged"],
                unit="count",
                label="Facebook engaged users",
            )
        )
        result.add(
            Headline(
                **base,
                metric="engagement_rate",
                measure="rate",
                value=r["rate"],
                unit="percent",
                label="Facebook engagement rate",
            )
        )
    for _, r in twitter_impressions(ctx).iterrows():
        result.add(
            Headline(
                "twitter",
                config.ALL_ACCOUNTS,
                "impressions",
                "value",
                iso(r["start"]),
                iso(r["end"]),
                r["value"],
                "count",
                label="Twitter impressions",
            )
        )
    community = community_frame(ctx)
    if not community.empty:
        day = iso(ctx.end_day)
        for _, r in community.iterrows():
            if r["channel"] == "instagram":
                result.add(
                    Headline(
                        "instagram",
                        config.ALL_ACCOUNTS,
                        "followers",
                        "value",
                        day,
                        day,
                        r["Audience"],
                        "count",
                        label="Instagram followers",
                    )
                )
        result.add(
            Headline(
                "all",
                config.ALL_ACCOUNTS,
                "audience",
                "value",
                day,
                day,
                float(community["Audience"].sum()),
                "count",
                label="Digital community",
            )
        )
    return result

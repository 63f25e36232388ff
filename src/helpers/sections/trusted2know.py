"""Sections of the Trust Ed youth website briefing (trustedtoknow.co.uk)."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from helpers import config
from helpers.present import charts as plots
from helpers.present import narrative
from helpers.present.headlines import Headline, HeadlineSet, iso
from helpers.sections.common import REPORT_SOURCE, Context, no_data, prose, table_html, within
from helpers.sections.website import (
    device_over_range,
    monthly_frame,
    period_shares,
    period_users,
)
from helpers.tidy.select import is_snapshot, rows

CHANNEL, ACCOUNT = "trusted2know", config.TRUSTED2KNOW_ACCOUNT
LABEL = "Trust Ed youth website"


def totals(ctx: Context) -> pd.DataFrame:
    """Sessions, users and page views over the latest span the data cover in the window.

    Whole months (stated, or summed from daily exports) are added up over the
    window; unique users are only shown where the data state them for exactly
    that span. Without monthly figures, the ranged figures of the report are used.
    """
    monthly = monthly_frame(ctx, CHANNEL, ACCOUNT)
    if not monthly.empty:
        first, last = monthly.index[0], monthly.index[-1]
        start, end = first.start_time.normalize(), last.end_time.normalize()
        values = {m: float(monthly[m].sum()) for m in ("sessions", "pageviews") if m in monthly}
        values["users"] = period_users(ctx, first, last, CHANNEL, ACCOUNT)
        records = [
            {"metric": m, "value": v, "start": start, "end": end}
            for m, v in values.items()
            if not pd.isna(v)
        ]
        return pd.DataFrame.from_records(records, columns=["metric", "value", "start", "end"])
    sel = within(rows(ctx.tidy, CHANNEL, None, ACCOUNT), ctx.window)
    sel = sel[sel["metric"].isin(["sessions", "users", "pageviews"]) & ~is_snapshot(sel)]
    return sel[sel["end"] == sel["end"].max()][["metric", "value", "start", "end"]]


def summary(ctx: Context) -> HTML:
    """Sentence: sessions, users and page views over the period covered."""
    sel = totals(ctx)
    if sel.empty:
        return no_data(ctx, LABEL)
    values = sel.set_index("metric")["value"]
    span = narrative.fmt_range(sel["start"].iloc[0], sel["end"].iloc[0])
    users = values.get("users")
    who = f" by {narrative.fmt_count(users)} users" if users is not None else ""
    return prose(
        [
            f"From {span} the Trust Ed website had {narrative.fmt_count(values.get('sessions'))} "
            f"sessions{who}, with {narrative.fmt_count(values.get('pageviews'))} page views "
            f"({values.get('pageviews') / values.get('sessions'):.2f} pages per session)."
        ]
    )


def _side_by_side(ctx: Context, metric: str) -> pd.DataFrame:
    if metric == "device_share":
        youth = period_shares(ctx, metric, CHANNEL, ACCOUNT).set_index("segment")["value"]
        main = device_over_range(ctx)
    else:
        youth = period_shares(ctx, metric, CHANNEL, ACCOUNT).set_index("segment")["value"]
        main = period_shares(ctx, metric).set_index("segment")["value"]
    frame = pd.DataFrame({"Trust Ed": youth, "Force website": main})
    return frame.dropna(how="all")


def mix_section(ctx: Context, metric: str, title: str) -> HTML:
    """Table + chart: a breakdown on the Trust Ed site beside the force website."""
    frame = _side_by_side(ctx, metric)
    if frame.empty or frame["Trust Ed"].isna().all():
        return prose([f"No Trust Ed figures for {title.lower()} in {ctx.window.label}."], "notice")
    table = table_html(
        frame.reset_index().rename(columns={"index": "Segment", "segment": "Segment"}),
        f"{title}: Trust Ed beside the force website (%)",
        {"Trust Ed": "rate", "Force website": "rate"},
    )
    long = frame.reset_index().melt(
        id_vars=frame.index.name or "index", var_name="site", value_name="value"
    )
    long = long.rename(columns={frame.index.name or "index": "segment"}).dropna()
    fig = plots.share_chart(
        long,
        period_col="site",
        segment_col="segment",
        title=f"{title}: Trust Ed and force website",
        source=REPORT_SOURCE,
    )
    top = frame["Trust Ed"].idxmax()
    main_top = frame["Force website"].idxmax() if frame["Force website"].notna().any() else None
    alt = (
        f"Stacked bar chart of {title.lower()} on the Trust Ed site and the force website: "
        f"Trust Ed's largest is {top} ({narrative.fmt_pct(frame.loc[top, 'Trust Ed'], 2)})"
    )
    alt += (
        f", the force website's is {main_top} "
        f"({narrative.fmt_pct(frame.loc[main_top, 'Force website'], 2)})."
        if main_top
        else "."
    )
    return HTML(table.data + plots.figure_html(fig, alt=alt, caption=title).data)


def top_pages(ctx: Context) -> HTML:
    """Table and chart of the most viewed pages."""
    sel = within(rows(ctx.tidy, CHANNEL, "pageviews", ACCOUNT, None), ctx.window)
    sel = sel[sel["segment"] != ""].sort_values("value", ascending=False)
    if sel.empty:
        return prose(
            [f"No page-level figures for the Trust Ed site in {ctx.window.label}."], "notice"
        )
    span = narrative.fmt_range(sel["start"].iloc[0], sel["end"].iloc[0])
    frame = sel[["segment", "value"]].rename(columns={"segment": "Page", "value": "Page views"})
    table = table_html(frame, f"Most viewed Trust Ed pages, {span}")
    fig = plots.bar_chart(
        frame,
        x="Page",
        y="Page views",
        title=f"Most viewed Trust Ed pages, {span}",
        xlabel="Page",
        ylabel="Page views",
        source=REPORT_SOURCE,
        horizontal=True,
    )
    top = frame.iloc[0]
    alt = (
        f"Bar chart of the most viewed Trust Ed pages, {span}: {top['Page']} first with "
        f"{narrative.fmt_count(top['Page views'])} views."
    )
    return HTML(table.data + plots.figure_html(fig, alt=alt, caption="Most viewed pages").data)


def headlines(ctx: Context) -> HeadlineSet:
    """Every headline figure of the Trust Ed briefing."""
    result = HeadlineSet("trusted2know", ctx.period)
    for _, r in totals(ctx).iterrows():
        result.add(
            Headline(
                CHANNEL,
                ACCOUNT,
                r["metric"],
                "value",
                iso(r["start"]),
                iso(r["end"]),
                r["value"],
                "count",
                label=f"Trust Ed {config.METRICS[r['metric']].label}",
            )
        )
    for metric in ("device_share", "acquisition_share"):
        for _, r in period_shares(ctx, metric, CHANNEL, ACCOUNT).iterrows():
            result.add(
                Headline(
                    CHANNEL,
                    ACCOUNT,
                    metric,
                    "share",
                    iso(r["start"]),
                    iso(r["end"]),
                    r["value"],
                    "percent",
                    segment=r["segment"],
                    label=f"Trust Ed {config.METRICS[metric].label}: {r['segment']}",
                )
            )
    return result

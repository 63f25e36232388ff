"""Sections of the In the Know (ITK) community messaging briefing."""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import HTML

from helpers import config
from helpers.present import narrative
from helpers.present.headlines import Headline, HeadlineSet, iso
from helpers.sections.common import Context, audience_changes, audience_headlines, prose, table_html

CHANNEL, METRIC, NOUN = "itk", "registered_users", "registered users"


def growth_shares(ctx: Context) -> pd.DataFrame:
    """Each division's change in registered users and its share of the total growth."""
    changes = [c for c in audience_changes(ctx, CHANNEL, METRIC) if not math.isnan(c.abs_change)]
    divisions = [c for c in changes if c.account != config.ALL_ACCOUNTS]
    total = sum(c.abs_change for c in divisions)
    records = [
        {
            "Division": c.account,
            "Change": c.abs_change,
            "% change": c.pct_change,
            "Share of growth": (c.abs_change / total * 100) if total else math.nan,
        }
        for c in divisions
    ]
    return pd.DataFrame.from_records(
        records, columns=["Division", "Change", "% change", "Share of growth"]
    )


def growth_share_table(ctx: Context) -> HTML:
    """Table: change by division and each division's share of the growth."""
    frame = growth_shares(ctx)
    if frame.empty:
        return prose(
            [
                "No change in registered users by division can be computed up to "
                f"{narrative.fmt_day(ctx.end_day)}: there are no division figures for that day."
            ],
            "notice",
        )
    top = frame.loc[frame["Share of growth"].idxmax()]
    sentence = (
        f"{top['Division']} accounted for {narrative.fmt_pct(top['Share of growth'])} of the "
        f"growth in registered users ({narrative.fmt_count(top['Change'])} of "
        f"{narrative.fmt_count(frame['Change'].sum())} new registrations, net)."
    )
    table = table_html(
        frame,
        f"Growth in In the Know registered users by division, {ctx.window.label}",
        {"% change": "percent", "Share of growth": "percent"},
    )
    return HTML(prose([sentence]).data + table.data)


def headlines(ctx: Context) -> HeadlineSet:
    """Every headline figure of the ITK briefing."""
    result = HeadlineSet("itk", ctx.period)
    result.extend(audience_headlines(ctx, CHANNEL, METRIC, "ITK registered users"))
    changes = {c.account: c for c in audience_changes(ctx, CHANNEL, METRIC)}
    for _, r in growth_shares(ctx).iterrows():
        c = changes[r["Division"]]
        result.add(
            Headline(
                CHANNEL,
                r["Division"],
                METRIC,
                "share",
                iso(c.first_day),
                iso(c.last_day),
                r["Share of growth"],
                "percent",
                label="Share of ITK growth",
            )
        )
    return result

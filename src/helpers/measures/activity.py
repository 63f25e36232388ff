"""Activity over a period: Facebook reach and engagement, monthly totals, quoted highlights."""

from __future__ import annotations

import pandas as pd

from helpers.config import ALL_ACCOUNTS, Channel, Metric, Unit
from helpers.measures import arithmetic
from helpers.measures.audiences import account_key
from helpers.measures.figures import Measure, empty_figures, figure_frame
from helpers.tidy.periods import Window
from helpers.tidy.select import ROLLED_UP, is_whole_month, rows


def _months(tidy: pd.DataFrame, window: Window, channel: str, metric: str) -> pd.DataFrame:
    sel = rows(tidy, channel, metric)
    sel = sel[is_whole_month(sel)]
    return sel[(sel["start"] >= window.first_day) & (sel["end"] <= window.last_day)]


def _with_summed_total(parts: pd.DataFrame) -> pd.DataFrame:
    """Reach and engaged users of one month by account, plus their sum as the total row."""
    total = {
        "start": parts["start"].iloc[0],
        "end": parts["end"].iloc[0],
        "account": ALL_ACCOUNTS,
        "value_r": parts["value_r"].sum(),
        "value_e": parts["value_e"].sum(),
        "source_r": "sum of the accounts' reach",
        "source_e": "sum of the accounts' engaged users",
        "basis": "sum of accounts",
    }
    return pd.concat([parts, pd.DataFrame([total])], ignore_index=True)


def engagement(tidy: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Facebook reach, engaged users and engagement rate by account, latest month with them.

    The month is the latest whole month inside the window that has reach figures by
    account. The total row (``All accounts``) is the stated total where there is one,
    else the sum of the accounts; summed reach counts a person reached by two pages
    twice (column ``basis`` says which). Engagement rate = engaged users / reach.

    Args:
        tidy: The tidy table.
        window: The briefing window.

    Returns:
        A figure frame with metrics ``reach`` and ``engaged_users`` (measure
        ``value``) and ``engagement_rate`` (measure ``rate``, percent) per account;
        empty when no month in the window has them. Extra column ``basis``.
    """
    reach = _months(tidy, window, Channel.FACEBOOK, Metric.REACH)
    engaged = _months(tidy, window, Channel.FACEBOOK, Metric.ENGAGED_USERS)
    both = reach.merge(engaged, on=["start", "end", "account"], suffixes=("_r", "_e"))
    if both.empty:
        return empty_figures("basis")
    latest = both[both["start"] == both["start"].max()].copy()
    latest["basis"] = "account"
    if ALL_ACCOUNTS not in set(latest["account"]):
        latest = _with_summed_total(latest)
    records = []
    for r in latest.to_dict("records"):
        base = {
            "channel": Channel.FACEBOOK,
            "account": r["account"],
            "start": r["start"],
            "end": r["end"],
            "basis": r["basis"],
        }
        records += [
            {
                **base,
                "metric": Metric.REACH,
                "measure": Measure.VALUE,
                "value": r["value_r"],
                "unit": Unit.COUNT,
                "source": r["source_r"],
            },
            {
                **base,
                "metric": Metric.ENGAGED_USERS,
                "measure": Measure.VALUE,
                "value": r["value_e"],
                "unit": Unit.COUNT,
                "source": r["source_e"],
            },
            {
                **base,
                "metric": "engagement_rate",
                "measure": Measure.RATE,
                "unit": Unit.PERCENT,
                "value": arithmetic.engagement_rate(r["value_e"], r["value_r"]),
                "source": f"{r['source_e']} / {r['source_r']}",
            },
        ]
    frame = figure_frame(records, basis="")
    order = frame["account"].map(account_key)
    return frame.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")


def monthly_totals(tidy: pd.DataFrame, window: Window, channel: str, metric: str) -> pd.DataFrame:
    """A channel's whole-month totals a source states: the stated total, else the accounts' sum.

    Whole months added up from daily rows (:func:`helpers.tidy.select.monthly_rollup`)
    are left out: :func:`helpers.measures.flows.flow_series` shows those, with the
    months the data cover only in part.

    Args:
        tidy: The tidy table (with monthly roll-ups of daily rows).
        window: The briefing window.
        channel: e.g. Twitter.
        metric: e.g. impressions.

    Returns:
        A figure frame, one ``value`` row per month (account ``All accounts``).
    """
    sel = _months(tidy, window, channel, metric)
    # months a source states, not the sums of daily rows (the month's flows show those)
    sel = sel[~sel["source"].str.contains(ROLLED_UP, regex=False)]
    stated = sel[sel["account"] == ALL_ACCOUNTS]
    parts = sel[(sel["account"] != ALL_ACCOUNTS) & ~sel["start"].isin(stated["start"])]
    summed = parts.groupby(["start", "end"], as_index=False).agg(
        value=("value", "sum"), source=("source", "; ".join)
    )
    both = pd.concat([stated[["start", "end", "value", "source"]], summed], ignore_index=True)
    if both.empty:
        return empty_figures()
    return figure_frame(
        {
            **r,
            "channel": channel,
            "account": ALL_ACCOUNTS,
            "metric": metric,
            "measure": Measure.VALUE,
            "unit": Unit.COUNT,
        }
        for r in both.sort_values("start").to_dict("records")
    )


def highlights(
    tidy: pd.DataFrame, window: Window, campaigns: pd.DataFrame, channels: list[str]
) -> pd.DataFrame:
    """Campaign and operational figures quoted for dates inside the window.

    Args:
        tidy: The tidy table.
        window: The briefing window; figures dated after its last day are left out.
        campaigns: The quoted figures' qualifiers (``source`` -> ``qualifier``,
            ``dated``), as loaded by the dataset build.
        channels: Channels to include.

    Returns:
        A figure frame (measure ``value``) with extra columns ``qualifier`` (the
        report's own word, e.g. "nearly") and ``dated`` (False where the report
        gives no date and the figure only carries the report's scrutiny window).
    """
    sel = tidy[tidy["source"].isin(campaigns["source"]) & tidy["channel"].isin(channels)]
    sel = sel[(sel["end"] <= window.last_day) & (sel["end"] >= window.first_day)]
    if sel.empty:
        return empty_figures("qualifier", "dated")
    sel = sel.merge(campaigns[["source", "qualifier", "dated"]], on="source", how="left")
    return figure_frame(
        {**r, "measure": Measure.VALUE}
        for r in sel.sort_values(["segment", "metric"]).to_dict("records")
    )

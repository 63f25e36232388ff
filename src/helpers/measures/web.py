"""Web traffic: sessions, users and page views by month, devices, sources, forms and pages.

Used for both web properties (the force website and the Trust Ed youth site).
Whole-month figures add up over months (sessions, page views); unique users do
not (a person who visits in two months is one user over both), so users over a
run of months are shown only where the data state them for exactly that run.
Ranged figures (shares over May to October) are shown only when the whole range
lies inside the window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.config import Metric, Unit
from helpers.measures import arithmetic
from helpers.measures.figures import Measure, empty_figures, figure_frame
from helpers.tidy.periods import Window
from helpers.tidy.select import is_snapshot, is_whole_month, rows

#: Traffic metrics shown month by month.
TRAFFIC = (Metric.SESSIONS, Metric.USERS, Metric.PAGEVIEWS)


def _inside(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    return frame[(frame["start"] >= window.first_day) & (frame["end"] <= window.last_day)]


def _figures(sel: pd.DataFrame, measure: str = Measure.VALUE) -> pd.DataFrame:
    return figure_frame({**r, "measure": measure} for r in sel.to_dict("records"))


def traffic(tidy: pd.DataFrame, window: Window, channel: str, account: str) -> pd.DataFrame:
    """Monthly sessions, unique users and page views, and their totals over the months.

    Args:
        tidy: The tidy table.
        window: The briefing window.
        channel: ``website`` or ``trusted2know``.
        account: The site.

    Returns:
        A figure frame: ``value`` rows per whole month and metric; ``sum`` rows for
        sessions and page views over the months shown; and unique users over the
        same months where the data state them (measure ``value``, range start..end).
        Extra column ``month`` (Period, empty for ranges).
    """
    sel = _inside(rows(tidy, channel, None, account), window)
    monthly = sel[is_whole_month(sel) & sel["metric"].isin(list(TRAFFIC))]
    if monthly.empty:
        return empty_figures("month")
    monthly = monthly.sort_values(["start", "metric"])
    out = [_figures(monthly).assign(month=monthly["start"].dt.to_period("M").to_numpy())]
    first, last = monthly["start"].min(), monthly["end"].max()
    months = monthly["start"].dt.to_period("M").nunique()
    for metric in (Metric.SESSIONS, Metric.PAGEVIEWS):
        part = monthly[monthly["metric"] == metric]
        if len(part) == months and months > 1:
            out.append(
                figure_frame(
                    [
                        {
                            "channel": channel,
                            "account": account,
                            "metric": metric,
                            "measure": Measure.SUM,
                            "start": first,
                            "end": last,
                            "value": part["value"].sum(),
                            "unit": Unit.COUNT,
                            "source": f"sum of {len(part)} months",
                        }
                    ]
                )
            )
    users = sel[(sel["metric"] == Metric.USERS) & (sel["start"] == first) & (sel["end"] == last)]
    if months > 1 and not users.empty:
        out.append(_figures(users))
    return pd.concat(out, ignore_index=True)


def ranged_totals(tidy: pd.DataFrame, window: Window, channel: str, account: str) -> pd.DataFrame:
    """Sessions, users and page views stated for a run of months (not month by month).

    Args:
        tidy: The tidy table.
        window: The briefing window; only ranges wholly inside it count.
        channel: The site's channel.
        account: The site.

    Returns:
        A figure frame with the latest range's totals (empty when there are none).
    """
    sel = _inside(rows(tidy, channel, None, account), window)
    sel = sel[sel["metric"].isin(list(TRAFFIC)) & ~is_snapshot(sel) & ~is_whole_month(sel)]
    if sel.empty:
        return empty_figures()
    return _figures(sel[sel["end"] == sel["end"].max()].sort_values("metric"))


def device_mix(tidy: pd.DataFrame, window: Window, channel: str, account: str) -> pd.DataFrame:
    """Share of sessions by device: per month, and over all the months weighted by sessions.

    Args:
        tidy: The tidy table.
        window: The briefing window.
        channel: The site's channel.
        account: The site.

    Returns:
        A figure frame of ``share`` rows (percent): one per month and device, and one
        per device over the run of months (``start``..``end`` the run), each month's
        share weighted by that month's sessions. Ranged shares stated by a source
        (no monthly figures) are returned as they are. Extra column ``month``.
    """
    sel = _inside(rows(tidy, channel, Metric.DEVICE_SHARE, account, None), window)
    monthly = sel[is_whole_month(sel)].sort_values(["start", "segment"])
    if monthly.empty:
        ranged = sel[~is_whole_month(sel)]
        return (
            _figures(ranged, Measure.SHARE).assign(month=None)
            if len(ranged)
            else (empty_figures("month"))
        )
    out = _figures(monthly, Measure.SHARE).assign(
        month=monthly["start"].dt.to_period("M").to_numpy()
    )
    sessions = traffic(tidy, window, channel, account)
    weights = sessions[(sessions["metric"] == Metric.SESSIONS) & (sessions["measure"] == "value")]
    weights = weights.set_index("month")["value"]
    overall = []
    for segment, group in monthly.groupby("segment", sort=False):
        shares = group.set_index(group["start"].dt.to_period("M"))["value"]
        overall.append(
            {
                "channel": channel,
                "account": account,
                "segment": segment,
                "metric": Metric.DEVICE_SHARE,
                "measure": Measure.SHARE,
                "start": monthly["start"].min(),
                "end": monthly["end"].max(),
                "value": arithmetic.weighted_share(shares, weights),
                "unit": Unit.PERCENT,
                "source": "monthly shares weighted by sessions",
            }
        )
    if weights.empty:
        return out
    return pd.concat([out, figure_frame(overall)], ignore_index=True)


def shares(
    tidy: pd.DataFrame, window: Window, channel: str, account: str, metric: str
) -> pd.DataFrame:
    """Shares stated over a range (traffic sources, social networks, page groups).

    Args:
        tidy: The tidy table.
        window: The briefing window; only ranges wholly inside it count.
        channel: The site's channel.
        account: The site.
        metric: ``acquisition_share``, ``social_referral_share`` or ``pageview_share``.

    Returns:
        A figure frame of ``share`` rows, largest first (empty when none).
    """
    sel = _inside(rows(tidy, channel, metric, account, None), window)
    sel = sel[~is_whole_month(sel) & (sel["segment"] != "")]
    return _figures(sel.sort_values("value", ascending=False), Measure.SHARE)


def segments(
    tidy: pd.DataFrame,
    window: Window,
    channel: str,
    account: str,
    metric: str,
    top: int | None = None,
) -> pd.DataFrame:
    """Counts by segment over a range (forms by form, page views by page), with their sum.

    Args:
        tidy: The tidy table.
        window: The briefing window; only ranges wholly inside it count.
        channel: The site's channel.
        account: The site.
        metric: e.g. ``form_submissions`` or ``pageviews``.
        top: Keep only the ``top`` largest rows (ties broken by segment): a site's
            pages export can hold millions. None keeps every row.

    Returns:
        A figure frame: ``value`` rows by segment, largest first, and a ``sum`` row
        (segment empty) adding up the rows kept; its ``source`` says how many rows
        there were when some were left out (empty when none).
    """
    # One mask over the table and a partial sort of the values it selects: only the
    # rows kept are copied (a pages export can hold millions of rows).
    mask = (
        (tidy["channel"] == channel)
        & (tidy["metric"] == metric)
        & (tidy["account"] == account)
        & (tidy["segment"] != "")
        & (tidy["start"] >= window.first_day)
        & (tidy["end"] <= window.last_day)
    ).to_numpy(dtype=bool)
    positions = np.flatnonzero(mask)
    found = len(positions)
    if not found:
        return empty_figures()
    if top is not None and found > top:  # rank and cut here, not over the whole table
        values = tidy["value"].to_numpy()[positions]
        least = np.partition(values, found - top)[found - top]
        positions = positions[values >= least]  # ties with the last one kept, cut below
    sel = tidy.iloc[positions].sort_values(
        ["value", "segment"], ascending=[False, True], kind="stable"
    )
    sel = sel.head(top) if top is not None else sel
    parts = _figures(sel)
    left_out = f", the {len(sel)} largest of {found:,}" if found > len(sel) else ""
    total = {
        "channel": channel,
        "account": account,
        "segment": "",
        "metric": metric,
        "measure": Measure.SUM,
        "start": sel["start"].min(),
        "end": sel["end"].max(),
        "value": sel["value"].sum(),
        "unit": Unit.COUNT,
        "source": f"sum of the {len(sel)} rows above{left_out}",
    }
    return pd.concat([parts, figure_frame([total])], ignore_index=True)

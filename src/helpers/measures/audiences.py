"""Audiences (likes, followers, registered users): levels by account and how they moved.

Audience figures are snapshots: a level on a day. A briefing shows, for each
account, the last reading of each month up to the end of the period ("as of the
period": a figure keeps its own date, so by-account figures of 30 September stay
dated 30 September in an October briefing). The channel total is the total a
source states where there is one, otherwise the sum of the accounts on that day.
Nothing is interpolated: months without readings are absent.
"""

from __future__ import annotations

import pandas as pd

from helpers.config import ALL_ACCOUNTS, AUDIENCE_METRIC, Channel, Unit
from helpers.measures import arithmetic
from helpers.measures.figures import SUM_OF_ACCOUNTS, Measure, empty_figures, figure_frame
from helpers.tidy.periods import Window
from helpers.tidy.select import is_snapshot, rows

#: Order accounts are listed in (others follow alphabetically, the total last).
ACCOUNT_ORDER = ("Lancs Police", "Specialist", "West", "South", "East", "Cadets")
#: Months looked back before the window, so year-on-year changes can be computed.
LOOKBACK_MONTHS = 12


def account_key(name: str) -> tuple[int, str]:
    """Sort key listing known accounts first, the channel total last."""
    if name == ALL_ACCOUNTS:
        return (len(ACCOUNT_ORDER) + 2, name)
    if name == SUM_OF_ACCOUNTS:
        return (len(ACCOUNT_ORDER) + 1, name)
    return (
        (ACCOUNT_ORDER.index(name), name) if name in ACCOUNT_ORDER else (len(ACCOUNT_ORDER), name)
    )


def audience(tidy: pd.DataFrame, window: Window, channel: str, metric: str) -> pd.DataFrame:
    """Month-end audience levels by account, up to the end of the window.

    Args:
        tidy: The tidy table.
        window: The briefing window; readings up to 12 months before it are kept
            (``in_window`` False) so year-on-year changes can be computed.
        channel: e.g. :attr:`Channel.FACEBOOK`.
        metric: e.g. :attr:`Metric.PAGE_LIKES`.

    Returns:
        A figure frame (measure ``value``) with one row per account and month: the
        month's last reading, dated with its own day. The channel total
        (account ``All accounts``) is the stated total where a source gives one,
        else the sum of the accounts (column ``basis``: ``stated`` or
        ``sum of accounts``). Account :data:`SUM_OF_ACCOUNTS` holds the sum of the
        accounts for every month that has account figures, for tables whose total
        row must add up. Both totals are marked ``is_total``, so
        ``levels[~levels.is_total]`` holds the accounts alone. Extra columns:
        ``month`` (Period), ``in_window``, ``basis`` (see :mod:`helpers.measures.figures`).
    """
    earliest = (window.start - LOOKBACK_MONTHS).start_time.normalize()
    sel = rows(tidy, channel, metric)
    sel = sel[is_snapshot(sel) & (sel["end"] >= earliest) & (sel["end"] <= window.last_day)]
    if sel.empty:
        return empty_figures("month", "in_window", "basis")
    sel = sel.assign(month=sel["end"].dt.to_period("M")).sort_values("end")
    last = sel.groupby(["account", "month"], as_index=False).last()
    accounts = last[last["account"] != ALL_ACCOUNTS]
    stated = last[last["account"] == ALL_ACCOUNTS]
    summed = accounts.groupby("month", as_index=False).agg(
        end=("end", "max"), value=("value", "sum"), source=("source", "; ".join)
    )
    records = [
        {**r, "measure": Measure.VALUE, "basis": "account"} for r in accounts.to_dict("records")
    ]
    records += [
        {**r, "measure": Measure.VALUE, "basis": "stated"} for r in stated.to_dict("records")
    ]
    stated_months = set(stated["month"])
    for r in summed.to_dict("records"):
        base = {**r, "basis": "sum of accounts", "measure": Measure.VALUE}
        records.append({**base, "account": SUM_OF_ACCOUNTS})
        if r["month"] not in stated_months:
            records.append({**base, "account": ALL_ACCOUNTS})
    frame = figure_frame(
        {
            "channel": channel,
            "account": r["account"],
            "segment": "",
            "metric": metric,
            "measure": r["measure"],
            "start": r["end"],
            "end": r["end"],
            "value": r["value"],
            "unit": Unit.COUNT,
            "source": r["source"],
            "month": r["month"],
            "in_window": window.contains(r["end"]),
            "basis": r["basis"],
        }
        for r in records
    )
    order = frame["account"].map(account_key)
    return (
        frame.assign(_order=order)
        .sort_values(["_order", "end"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def total_series(levels: pd.DataFrame, *, in_window: bool = True) -> pd.Series:
    """The channel total of an :func:`audience` frame as a date-indexed series."""
    sel = levels[(levels["account"] == ALL_ACCOUNTS) & (levels["measure"] == Measure.VALUE)]
    if in_window:
        sel = sel[sel["in_window"].astype(bool)]
    return pd.Series(sel["value"].to_numpy(), index=pd.DatetimeIndex(sel["end"]), name=ALL_ACCOUNTS)


def _change_rows(
    base: dict,
    first: pd.Series | None,
    last: pd.Series,
    prior: pd.Series | None,
    previous: pd.Series | None,
) -> list[dict]:
    out = [
        {
            **base,
            "measure": Measure.VALUE,
            "start": last["end"],
            "end": last["end"],
            "value": last["value"],
            "unit": Unit.COUNT,
            "source": last["source"],
            "basis": last.get("basis", ""),
        }
    ]
    if first is not None:
        months = arithmetic.months_between(first["month"], last["month"])
        span = {
            "start": first["end"],
            "end": last["end"],
            "source": f"{first['source']}; {last['source']}",
        }
        out += [
            {
                **base,
                **span,
                "measure": Measure.ABS_CHANGE,
                "unit": Unit.COUNT,
                "value": arithmetic.abs_change(first["value"], last["value"]),
            },
            {
                **base,
                **span,
                "measure": Measure.PCT_CHANGE,
                "unit": Unit.PERCENT,
                "value": arithmetic.pct_change(first["value"], last["value"]),
            },
            {
                **base,
                **span,
                "measure": Measure.CMGR,
                "unit": "percent_per_month",
                "value": arithmetic.cmgr(first["value"], last["value"], months),
                "months": months,
            },
        ]
    for measure, earlier, later in (
        (Measure.YOY_PCT_CHANGE, *(prior or (None, None))),
        (Measure.MOM_PCT_CHANGE, *(previous or (None, None))),
    ):
        if earlier is None:
            continue
        out.append(
            {
                **base,
                "measure": measure,
                "unit": Unit.PERCENT,
                "start": earlier["end"],
                "end": later["end"],
                "source": f"{earlier['source']}; {later['source']}",
                "value": arithmetic.pct_change(earlier["value"], later["value"]),
            }
        )
    return out


def audience_change(levels: pd.DataFrame) -> pd.DataFrame:
    """How each account's audience moved, as of the end of the window.

    For each account (and the channel total): its latest reading (``value``); the
    change from its first reading inside the window to that latest reading
    (``abs_change``, ``pct_change`` and the compound monthly growth rate ``cmgr``,
    only when the two readings fall in different months); the change on the same
    month a year earlier, for the latest reading that has one (``yoy_pct_change``);
    and the change on the previous calendar month, when the latest two readings
    are consecutive months (``mom_pct_change``).

    Args:
        levels: An :func:`audience` frame.

    Returns:
        A figure frame; ``start``/``end`` are the dates of the two readings compared.
        Extra columns ``months`` (months between the readings, for ``cmgr``) and
        ``basis`` (of the ``value`` rows: ``stated``, ``sum of accounts`` or
        ``account``, as in :func:`audience`).
    """
    values = levels[levels["measure"] == Measure.VALUE]
    records: list[dict] = []
    for account, series in values.groupby("account", sort=False):
        series = series.sort_values("end")
        inside = series[series["in_window"].astype(bool)]
        if inside.empty:
            continue
        last = inside.iloc[-1]
        first = inside.iloc[0] if inside.iloc[0]["month"] != last["month"] else None
        by_month = series.set_index("month")
        prior = None
        for _, reading in inside.iloc[::-1].iterrows():
            earlier = reading["month"] - 12
            if earlier in by_month.index:
                prior = (by_month.loc[earlier], reading)
                break
        previous = None
        if last["month"] - 1 in by_month.index:
            previous = (by_month.loc[last["month"] - 1], last)
        base = {
            "channel": last["channel"],
            "account": account,
            "segment": "",
            "metric": last["metric"],
        }
        records += _change_rows(base, first, last, prior, previous)
    if not records:
        return empty_figures("months", "basis")
    return figure_frame(records, months="", basis="")


def growth_shares(changes: pd.DataFrame) -> pd.DataFrame:
    """Each account's net change as a share of the accounts' combined change.

    Args:
        changes: An :func:`audience_change` frame.

    Returns:
        A figure frame with measure ``share`` (percent), one row per account with an
        absolute change (the channel total is left out).
    """
    totals = {ALL_ACCOUNTS, SUM_OF_ACCOUNTS}
    sel = changes[(changes["measure"] == Measure.ABS_CHANGE) & ~changes["account"].isin(totals)]
    total = sel["value"].sum()
    if sel.empty or not total:
        return empty_figures()
    return figure_frame(
        {**r, "measure": Measure.SHARE, "unit": Unit.PERCENT, "value": r["value"] / total * 100}
        for r in sel[list(sel.columns[:10])].to_dict("records")
    )


def _community_day(tidy: pd.DataFrame, window: Window) -> pd.Timestamp:
    """The latest day in the window with audience figures for two channels or more."""
    days: dict[pd.Timestamp, set[str]] = {}
    for channel, metric in AUDIENCE_METRIC.items():
        levels = rows(tidy, channel, metric, None, "")
        levels = levels[is_snapshot(levels)]
        for end in levels["end"]:
            if window.contains(pd.Timestamp(end)):
                days.setdefault(pd.Timestamp(end), set()).add(channel)
    shared = [day for day, channels in days.items() if len(channels) >= 2]
    return max(shared) if shared else window.last_day


def community(tidy: pd.DataFrame, window: Window) -> pd.DataFrame:
    """The digital community: every channel's audience on the latest day it can be summed.

    The day is the latest day of the window on which at least two channels have an
    audience figure (the period's last day when none has): a November paper whose
    counts were last taken on 31 October gives the community on 31 October, not a
    single channel's figure of a later day. Only channels with a figure for that day
    are counted; the frame says which channels have none (column ``missing`` on the
    total row).

    Args:
        tidy: The tidy table.
        window: The briefing window.

    Returns:
        A figure frame: one ``value`` row per channel with a figure for the last day,
        and a ``sum`` row (channel ``all``, metric ``audience``) adding them up. Empty
        when fewer than two channels have one: one channel's audience is no community.
    """
    day = _community_day(tidy, window)
    records = []
    for channel, metric in AUDIENCE_METRIC.items():
        levels = rows(tidy, channel, metric)
        levels = levels[is_snapshot(levels) & (levels["end"] == day)]
        stated = levels[levels["account"] == ALL_ACCOUNTS]
        use = stated if not stated.empty else levels
        if use.empty:
            continue
        records.append(
            {
                "channel": channel,
                "account": ALL_ACCOUNTS,
                "metric": metric,
                "measure": Measure.VALUE,
                "start": day,
                "end": day,
                "value": float(use["value"].sum()),
                "unit": Unit.COUNT,
                "source": "; ".join(use["source"]),
                "is_total": False,  # one channel's audience: a part of the community
            }
        )
    if len(records) < 2:
        return empty_figures("missing")
    missing = [str(c) for c in AUDIENCE_METRIC if c not in {r["channel"] for r in records}]
    records.append(
        {
            "channel": Channel.ALL,
            "account": ALL_ACCOUNTS,
            "metric": "audience",
            "measure": Measure.SUM,
            "start": day,
            "end": day,
            "value": sum(r["value"] for r in records),
            "unit": Unit.COUNT,
            "source": "sum of the channels above",
            "missing": ",".join(missing),
            "is_total": True,
        }
    )
    return figure_frame(records, missing="")


def latest_level(tidy: pd.DataFrame, window: Window, channel: str, metric: str) -> pd.DataFrame:
    """The latest channel-wide reading of a level on or before the end of the window.

    Args:
        tidy: The tidy table.
        window: The briefing window.
        channel: Channel, e.g. Instagram.
        metric: Metric, e.g. followers.

    Returns:
        A one-row figure frame (empty when there is no reading in the window).
    """
    levels = audience(tidy, window, channel, metric)
    total = levels[(levels["account"] == ALL_ACCOUNTS) & (levels["measure"] == Measure.VALUE)]
    total = total[total["in_window"].astype(bool)]
    latest = total.tail(1).drop(columns=["month", "in_window", "basis"])
    return latest.assign(is_total=False).reset_index(drop=True)  # the only row: no parts


__all__ = [
    "SUM_OF_ACCOUNTS",
    "account_key",
    "audience",
    "audience_change",
    "community",
    "growth_shares",
    "latest_level",
    "total_series",
]


def per_resident(levels: pd.DataFrame, residents: pd.DataFrame) -> pd.DataFrame:
    """Each division's latest audience per 1,000 residents (2011 Census).

    Args:
        levels: An :func:`audience` frame.
        residents: Residents by division (``division``, ``residents``), as loaded by
            :func:`helpers.tidy.reference.division_residents`.

    Returns:
        A figure frame: per division, measure ``per_1000`` (unit ``per_1000``) dated
        with the count's own date, and the residents it divides by (metric
        ``residents``, measure ``value``, dated the census day 27 March 2011). Extra
        columns ``count`` and ``residents``. Empty when there are no division figures
        or no residents.
    """
    from helpers.measures.population import per_1000

    values = levels[
        (levels["measure"] == Measure.VALUE)
        & levels["in_window"].astype(bool)
        & levels["account"].isin(set(residents["division"]))
    ]
    if values.empty or residents.empty:
        return empty_figures("count", "residents")
    latest = values[values["end"] == values["end"].max()]
    table = per_1000(latest[["account", "value", "end"]], residents)
    table = table.dropna(subset=["per_1000"])
    channel, metric = str(latest["channel"].iloc[0]), str(latest["metric"].iloc[0])
    census_day = pd.Timestamp("2011-03-27")
    records = []
    for r in table.to_dict("records"):
        base = {
            "channel": channel,
            "account": r["division"],
            "segment": "",
            "count": r["count"],
            "residents": r["residents"],
        }
        records.append(
            {
                **base,
                "metric": metric,
                "measure": Measure.PER_1000,
                "start": r["date"],
                "end": r["date"],
                "value": r["per_1000"],
                "unit": "per_1000",
                "source": "count / residents (2011 Census) x 1,000",
            }
        )
        records.append(
            {
                **base,
                "metric": "residents",
                "measure": Measure.VALUE,
                "start": census_day,
                "end": census_day,
                "value": r["residents"],
                "unit": Unit.COUNT,
                "source": "reference/census_2011_usual_residents.csv",
            }
        )
    return figure_frame(records, count="", residents="")

"""Reconciliation: recompute every figure the report states and list the differences.

Claims live in ``data/raw/as_reported/`` (read by
:func:`helpers.ingest.report.read_claims`). Each has a ``kind`` saying how to
recompute it from the tidy counts, a ``comparison`` (``equal`` within the rounding
of its stated decimals, ``at_least``, ``at_most`` or ``between``), and its quote
and line in the report. On top of the stated claims, :func:`cross_table_checks`
finds channel totals that one table states and another table's accounts add up to
differently.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from helpers import config
from helpers.layout import DataLayout
from helpers.measures import arithmetic
from helpers.measures.saturation import EXPONENTIAL, LINEAR, SLOWING, saturation_check
from helpers.tidy.periods import Window
from helpers.tidy.select import (
    figure,
    figure_rows,
    is_whole_month,
    rows,
    snapshot_series,
    sum_of_accounts,
)

#: The columns of a checks frame; ``is_total`` marks a check of a whole channel
#: (account "All accounts"), as in every figure frame.
QUALITY_COLUMNS = [
    "check",
    "kind",
    "channel",
    "account",
    "metric",
    "start",
    "end",
    "dates",
    "comparison",
    "stated",
    "stated_high",
    "computed",
    "difference",
    "tolerance",
    "status",
    "description",
    "quote",
    "report_line",
    "source",
    "is_total",
]
OK, DIFFERS, NOT_COMPUTABLE = "ok", "differs", "not computable"
#: Status of a claim checked over dates its source does not give (``dates`` ``assumed``)
#: that does not hold over them: it rests on the dates chosen, so it is not counted
#: among the figures that differ.
DEPENDS_ON_DATES = "depends on the dates"
#: Status of a claim about growth (``saturation``) that the readings cannot test yet:
#: too few of them. It is neither agreement nor a difference.
UNTESTED = "too few readings to test"
#: Status of a commentary figure the tidy table does not hold.
NOT_IN_DATA = "not in the data"
#: Status of a commentary figure whose only data row transcribes the same document:
#: quoted, not checked (there is no independent source to check it against).
QUOTED = "quoted"
#: Folders of ``data/raw/`` that transcribe the report the commentary itself comes from.
SAME_DOCUMENT_DIRS: tuple[str, ...] = (DataLayout.from_data_dir().report_2015.name,)


def _independent(tidy: pd.DataFrame, fig: pd.Series) -> bool:
    """Whether some data row behind a commentary figure has a source of its own."""
    behind = figure_rows(
        tidy,
        fig["channel"],
        fig["metric"],
        fig["start"],
        fig["end"],
        fig["account"],
        fig["segment"],
    )
    sources = behind["source"].astype(str)
    return bool((~sources.str.startswith(tuple(f"{d}/" for d in SAME_DOCUMENT_DIRS))).any())


def _audience(tidy: pd.DataFrame, channels: str, day: pd.Timestamp) -> float:
    total = 0.0
    for channel in channels.split("+"):
        value = figure(tidy, channel, config.AUDIENCE_METRIC[channel], day, day)
        if math.isnan(value):
            return math.nan
        total += value
    return total


def _snapshot(tidy: pd.DataFrame, claim: pd.Series, day: pd.Timestamp) -> float:
    if claim["metric"] == "audience":
        return _audience(tidy, claim["channel"], day)
    return figure(tidy, claim["channel"], claim["metric"], day, day, claim["account"])


def _pct_change(tidy: pd.DataFrame, c: pd.Series) -> float:
    return arithmetic.pct_change(_snapshot(tidy, c, c["start"]), _snapshot(tidy, c, c["end"]))


def _abs_change(tidy: pd.DataFrame, c: pd.Series) -> float:
    return arithmetic.abs_change(_snapshot(tidy, c, c["start"]), _snapshot(tidy, c, c["end"]))


def _cmgr(tidy: pd.DataFrame, c: pd.Series) -> float:
    months = arithmetic.months_between(c["start"].to_period("M"), c["end"].to_period("M"))
    return arithmetic.cmgr(_snapshot(tidy, c, c["start"]), _snapshot(tidy, c, c["end"]), months)


def _total_of_accounts(tidy: pd.DataFrame, c: pd.Series) -> float:
    return sum_of_accounts(tidy, c["channel"], c["metric"], c["start"], c["end"], c["segment"])


def _total_of_channels(tidy: pd.DataFrame, c: pd.Series) -> float:
    return _audience(tidy, c["channel"], c["end"])


def _engagement_rate(tidy: pd.DataFrame, c: pd.Series) -> float:
    args = (c["start"], c["end"], c["account"])
    return arithmetic.engagement_rate(
        figure(tidy, c["channel"], "engaged_users", *args),
        figure(tidy, c["channel"], "reach", *args),
    )


def _monthly_in_range(tidy: pd.DataFrame, c: pd.Series, metric: str, segment: str) -> pd.Series:
    sel = rows(tidy, c["channel"], metric, c["account"], segment)
    sel = sel[is_whole_month(sel) & (sel["start"] >= c["start"]) & (sel["end"] <= c["end"])]
    return sel.set_index(sel["start"].dt.to_period("M"))["value"]


def _period_sum(tidy: pd.DataFrame, c: pd.Series) -> float:
    values = _monthly_in_range(tidy, c, c["metric"], c["segment"])
    return float(values.sum()) if not values.empty else math.nan


def _weighted_share(tidy: pd.DataFrame, c: pd.Series) -> float:
    shares = _monthly_in_range(tidy, c, c["metric"], c["segment"])
    weights = _monthly_in_range(tidy, c, "sessions", "")
    return arithmetic.weighted_share(shares, weights)


def _value(tidy: pd.DataFrame, c: pd.Series) -> float:
    return figure(tidy, c["channel"], c["metric"], c["start"], c["end"], c["account"], c["segment"])


#: A stated ``saturation`` claim's figure: 0 says growth is not levelling off, 1 that it is.
NOT_SLOWING, SLOWING_DOWN = 0.0, 1.0


def _saturation(tidy: pd.DataFrame, c: pd.Series) -> float:
    """Whether the readings from ``start`` to ``end`` level off: 1, 0, or nan (cannot tell)."""
    series = snapshot_series(tidy, c["channel"], c["metric"], c["account"])
    series = series[(series.index >= c["start"]) & (series.index <= c["end"])]
    verdict = saturation_check(series).verdict
    if verdict == SLOWING:
        return SLOWING_DOWN
    return NOT_SLOWING if verdict in (LINEAR, EXPONENTIAL) else math.nan


RECOMPUTE: dict[str, Callable[[pd.DataFrame, pd.Series], float]] = {
    "pct_change": _pct_change,
    "abs_change": _abs_change,
    "cmgr": _cmgr,
    "total_of_accounts": _total_of_accounts,
    "total_of_channels": _total_of_channels,
    "engagement_rate": _engagement_rate,
    "period_sum": _period_sum,
    "weighted_share": _weighted_share,
    "value": _value,
    "saturation": _saturation,
}

DESCRIBE: dict[str, str] = {
    "pct_change": "percentage change between the two dates, recomputed from the counts",
    "abs_change": "change between the two dates, recomputed from the counts",
    "cmgr": "compound monthly growth rate between the two dates",
    "total_of_accounts": "stated total against the sum of the accounts' figures",
    "total_of_channels": "stated total against the sum of the channels' audiences",
    "engagement_rate": "engaged users as a percentage of reach",
    "period_sum": "stated total against the sum of the monthly figures",
    "weighted_share": "stated share against the monthly shares weighted by sessions",
    "value": "stated figure against the recorded figure",
    "saturation": "whether growth is levelling off, tested on the monthly readings between "
    "the two dates (a levelling-off curve against steady growth)",
}


def judge(
    computed: float, stated: float, comparison: str, decimals: int, high: float | None = None
) -> tuple[str, float, float]:
    """Compare a recomputed figure with a stated one.

    Args:
        computed: The figure recomputed from the counts.
        stated: The figure as stated (lower bound for ``between``).
        comparison: ``equal``, ``at_least``, ``at_most`` or ``between``.
        decimals: Decimals the stated figure was rounded to.
        high: Upper bound for ``between``.

    Every stated figure is read at its own precision: a bound or range is met by a
    value that rounds into it (``between 2.5 and 3`` stated to one decimal holds for
    2.46; ``around 5-6m``, stated to the nearest million with ``decimals`` -6, holds
    for 4.9 million).

    Returns:
        ``(status, difference, tolerance)``: ``difference`` is ``computed - stated``
        for ``equal``, and the distance outside the stated bound(s) otherwise (0
        when inside); ``tolerance`` is half a unit of the last stated decimal.
    """
    if computed is None or math.isnan(computed):
        return NOT_COMPUTABLE, math.nan, math.nan
    tolerance = 0.5 * 10 ** (-decimals)
    eps = 1e-9 + tolerance
    if comparison == "equal":
        difference = computed - stated
        ok = abs(difference) <= eps
    elif comparison == "at_least":
        difference = min(0.0, computed - stated)
        ok = computed >= stated - eps
    elif comparison == "at_most":
        difference = max(0.0, computed - stated)
        ok = computed <= stated + eps
    elif comparison == "between":
        upper = stated if high is None or math.isnan(high) else high
        difference = min(0.0, computed - stated) + max(0.0, computed - upper)
        ok = stated - eps <= computed <= upper + eps
    else:
        raise ValueError(f"unknown comparison {comparison!r}")
    return (OK if ok else DIFFERS), float(difference), tolerance


def check_claims(tidy: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Recompute each stated claim from the tidy counts and judge it.

    Args:
        tidy: The tidy table.
        claims: Claims as returned by :func:`helpers.ingest.report.read_claims`.

    Returns:
        One row per claim with the columns :data:`QUALITY_COLUMNS`: ``status`` is
        :data:`OK`, :data:`DIFFERS`, :data:`NOT_COMPUTABLE`,
        :data:`DEPENDS_ON_DATES` for a claim checked over dates its source does not
        give that does not hold over them, or :data:`UNTESTED` for a claim about
        growth the readings are too few to test.
    """
    records = []
    for _, claim in claims.iterrows():
        computed = RECOMPUTE[claim["kind"]](tidy, claim)
        high = claim["stated_high"]
        high = None if high is None or (isinstance(high, float) and math.isnan(high)) else high
        status, difference, tolerance = judge(
            computed, claim["stated"], claim["comparison"], int(claim["decimals"]), high
        )
        dates = str(claim.get("dates") or "stated")
        if status == DIFFERS and dates == "assumed":
            status = DEPENDS_ON_DATES
        if status == NOT_COMPUTABLE and claim["kind"] == "saturation":
            status = UNTESTED
        records.append(
            {
                "check": claim["claim"],
                "kind": claim["kind"],
                "channel": claim["channel"],
                "account": claim["account"],
                "metric": claim["metric"],
                "start": claim["start"],
                "end": claim["end"],
                "dates": dates,
                "comparison": claim["comparison"],
                "stated": float(claim["stated"]),
                "stated_high": high,
                "computed": computed,
                "difference": difference,
                "tolerance": tolerance,
                "status": status,
                "description": DESCRIBE[claim["kind"]],
                "quote": claim["quote"],
                "report_line": int(claim["report_line"]),
                "source": claim["source"],
                "is_total": claim["account"] == config.ALL_ACCOUNTS,
            }
        )
    return pd.DataFrame.from_records(records, columns=QUALITY_COLUMNS)


def cross_table_checks(tidy: pd.DataFrame) -> pd.DataFrame:
    """Compare every stated channel total with the sum of its accounts on the same dates.

    A source may state a channel's total (e.g. Facebook likes in the 12-month
    table) while another table lists the same channel by account for the same day.
    Each such pair is a check; they should agree exactly.

    Args:
        tidy: The tidy table.

    Returns:
        Checks with the columns :data:`QUALITY_COLUMNS` (``stated`` = the stated
        total, ``computed`` = the accounts' sum).
    """
    records = []
    totals = tidy[(tidy["account"] == config.ALL_ACCOUNTS) & (tidy["segment"] == "")]
    for _, total in totals.iterrows():
        parts = sum_of_accounts(
            tidy, total["channel"], total["metric"], total["start"], total["end"]
        )
        if math.isnan(parts):
            continue
        status, difference, tolerance = judge(parts, total["value"], "equal", 0)
        day = total["end"].strftime("%Y-%m-%d")
        records.append(
            {
                "check": f"{total['channel']}_{total['metric']}_{day}_total_vs_accounts",
                "kind": "cross_table",
                "channel": total["channel"],
                "account": config.ALL_ACCOUNTS,
                "metric": total["metric"],
                "start": total["start"],
                "end": total["end"],
                "dates": "stated",
                "comparison": "equal",
                "stated": float(total["value"]),
                "stated_high": None,
                "computed": parts,
                "difference": difference,
                "tolerance": tolerance,
                "status": status,
                "description": "total stated in one table against the sum of the accounts "
                "listed in another table for the same date",
                "quote": "",
                "report_line": None,
                "source": total["source"],
                "is_total": total["account"] == config.ALL_ACCOUNTS,
            }
        )
    return pd.DataFrame.from_records(records, columns=QUALITY_COLUMNS)


def commentary_checks(tidy: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Check every figure the analysts' commentary quotes against the tidy table.

    Each declared figure is looked up for exactly its channel, account, segment,
    metric, start and end (for "All accounts", the stated total or else the sum of
    the accounts, as everywhere). The qualifier ("nearly", "more than") is not
    compared: the figure is the number the text is built on. A figure whose only
    data row transcribes the same report as the commentary (:data:`SAME_DOCUMENT_DIRS`)
    is :data:`QUOTED`, not checked: the two agree by construction.

    Args:
        tidy: The tidy table.
        figures: Declared figures, as in
            :attr:`helpers.tidy.commentary.Commentary.figures` (columns ``period``,
            ``figure``, ``channel``, ``account``, ``segment``, ``metric``, ``start``,
            ``end``, ``value``, ``qualifier``, ``source``).

    Returns:
        One row per figure with the columns :data:`QUALITY_COLUMNS`: ``check`` is
        ``commentary_<period>_<figure>``, ``stated`` the declared value,
        ``computed`` the tidy value, and ``status`` :data:`OK` (equal within half a
        unit of the declared decimals), :data:`DIFFERS`, :data:`NOT_IN_DATA` (no
        tidy value for those keys) or :data:`QUOTED` (no independent source).
    """
    records = []
    for _, fig in figures.iterrows():
        stated = float(fig["value"])
        decimals = 0 if stated.is_integer() else len(repr(stated).split(".")[1])
        computed = figure(
            tidy,
            fig["channel"],
            fig["metric"],
            fig["start"],
            fig["end"],
            fig["account"],
            fig["segment"],
        )
        status, difference, tolerance = judge(computed, stated, "equal", decimals)
        if status == NOT_COMPUTABLE:
            status = NOT_IN_DATA
        elif status == OK and not _independent(tidy, fig):
            status = QUOTED
        segment = f" ({fig['segment']})" if fig["segment"] else ""
        records.append(
            {
                "check": f"commentary_{fig['period']}_{fig['figure']}",
                "kind": "commentary",
                "channel": fig["channel"],
                "account": fig["account"],
                "metric": fig["metric"],
                "start": pd.Timestamp(fig["start"]),
                "end": pd.Timestamp(fig["end"]),
                "dates": "stated",
                "comparison": "equal",
                "stated": stated,
                "stated_high": None,
                "computed": computed,
                "difference": difference,
                "tolerance": tolerance,
                "status": status,
                "description": f"figure quoted in the commentary{segment} against the "
                "recorded figure",
                "quote": f"{fig['qualifier']} {stated:,.{decimals}f}".strip(),
                "report_line": None,
                "source": fig["source"],
                "is_total": fig["account"] == config.ALL_ACCOUNTS,
            }
        )
    return pd.DataFrame.from_records(records, columns=QUALITY_COLUMNS)


def reconcile(
    tidy: pd.DataFrame, claims: pd.DataFrame, window: Window | None = None
) -> pd.DataFrame:
    """All reconciliation checks, optionally limited to claims ending in a window.

    Args:
        tidy: The tidy table.
        claims: The stated claims.
        window: Keep only checks whose ``end`` falls inside this window.

    Returns:
        Claim checks then cross-table checks, columns :data:`QUALITY_COLUMNS`.
    """
    result = pd.concat([check_claims(tidy, claims), cross_table_checks(tidy)], ignore_index=True)
    if window is not None and not result.empty:
        inside = result["end"].map(window.contains).astype(bool)
        result = result[inside].reset_index(drop=True)
    return result


def discrepancies(checks: pd.DataFrame) -> pd.DataFrame:
    """Only the checks whose difference goes beyond rounding."""
    return checks[checks["status"] == DIFFERS].reset_index(drop=True)


def quality_records(checks: pd.DataFrame) -> list[dict[str, object]]:
    """Checks as JSON-ready records (ISO dates, ``None`` for missing numbers)."""
    out = []
    for record in checks.to_dict("records"):
        clean: dict[str, object] = {}
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                clean[key] = value.strftime("%Y-%m-%d")
            elif isinstance(value, float) and math.isnan(value):
                clean[key] = None
            else:
                clean[key] = value
        out.append(clean)
    return out


def checks_for(
    tidy: pd.DataFrame, claims: pd.DataFrame, window: Window, channels: list[str]
) -> pd.DataFrame:
    """The reconciliation checks ending in the window that concern some channels.

    Args:
        tidy: The tidy table.
        claims: The stated claims.
        window: The briefing window.
        channels: Channels whose checks to keep (a combined ``facebook+twitter``
            check counts for both).

    Returns:
        The checks, columns :data:`QUALITY_COLUMNS`.
    """
    checks = reconcile(tidy, claims, window)
    if checks.empty:
        return checks
    mine = checks["channel"].map(lambda c: any(p in channels for p in str(c).split("+")))
    return checks[mine.astype(bool)].reset_index(drop=True)


def stated_figure_checks(
    tidy: pd.DataFrame, claims: pd.DataFrame, window: Window, figures: pd.DataFrame
) -> pd.DataFrame:
    """Every stated figure of a briefing period, recomputed: what the data-quality page shows.

    Args:
        tidy: The tidy table.
        claims: The figures earlier reports state (``inputs.claims``).
        window: The briefing window (claims ending in it are checked).
        figures: The figures the period's commentary quotes (``inputs.commentary.figures``).

    Returns:
        The report's claims checked (:func:`reconcile`), then the commentary's figures
        (:func:`commentary_checks`), columns :data:`QUALITY_COLUMNS`.
    """
    checks = reconcile(tidy, claims, window)
    if len(figures):
        checks = pd.concat([checks, commentary_checks(tidy, figures)], ignore_index=True)
    return checks

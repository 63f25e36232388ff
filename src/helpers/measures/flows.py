"""The period month's activity: what the platforms' daily and weekly figures add up to.

Today's exports give *flows*: reach, views, impressions, posts, new follows, sessions
per day (Meta Business Suite, X, YouTube Studio) or per week (a GA4 report by *Nth
week*). A briefing adds them up over the days of the period month the data cover, and
says which days those are: an export that stops on 21 March gives "1–21 March 2025
(21 of 31 days)", never a month's figure.

Comparisons are like with like. The month before and the same month a year earlier
are added up over the same days of the month (1–21 February against 1–21 March), or
over the whole month when both months are whole; when the earlier month's data do not
hold those days (February has no 29th; a week cannot be cut into days; nothing was
exported), the change is withheld and the frame says why.

Only figures of at most a week count here (:data:`FINE_DAYS`): whole-month figures
(sessions in May 2015, Tweet impressions by month) are the monthly tables' own, and
totals over longer ranges (a channel's lifetime, a year) belong to no month.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from helpers.config import ALL_ACCOUNTS, METRICS, Channel
from helpers.measures import arithmetic
from helpers.measures.audiences import account_key
from helpers.measures.figures import Measure, empty_figures, figure_frame
from helpers.tidy.periods import Window, month_label

#: Longest span (days) of a row that the period's activity adds up.
FINE_DAYS = 7
#: What each reading of :func:`period_flows` is.
THIS_MONTH, MONTH_BEFORE, YEAR_BEFORE = "this month", "month before", "year before"
#: Extra columns of :func:`period_flows`.
FLOW_COLUMNS = ("compare", "month", "days", "month_days", "partial", "daily", "note")


def span_days(frame: pd.DataFrame) -> pd.Series:
    """The days each row covers (1 for a day)."""
    return (frame["end"] - frame["start"]).dt.days + 1


def fine_rows(tidy: pd.DataFrame, channels: Iterable[str], segments: bool = False) -> pd.DataFrame:
    """Rows of at most a week of the metrics that add up, for ``channels``.

    Args:
        tidy: The tidy table.
        channels: The channels wanted.
        segments: True for the rows by segment (a video, a page), False for wholes.

    Returns:
        The rows, with a column ``days`` (days each covers).
    """
    additive = [name for name, spec in METRICS.items() if spec.additive]
    sel = tidy[
        tidy["channel"].isin(list(channels))
        & tidy["metric"].isin(additive)
        & ((tidy["segment"] != "") if segments else (tidy["segment"] == ""))
    ]
    sel = sel.assign(days=span_days(sel))
    return sel[(sel["days"] <= FINE_DAYS) & (sel["days"] >= 1)]


def inside_month(frame: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """The rows that lie wholly inside a month."""
    first, last = month.start_time.normalize(), month.end_time.normalize()
    return frame[(frame["start"] >= first) & (frame["end"] <= last)]


@dataclass(frozen=True)
class Reading:
    """A flow added up over the days of one month that the data cover."""

    value: float
    start: pd.Timestamp
    end: pd.Timestamp
    days: frozenset[int]  # day numbers of the month covered
    month: pd.Period
    daily: bool  # every row is one day (so it can be cut to other days)
    source: str

    @property
    def whole(self) -> bool:
        """Whether every day of the month is covered."""
        return len(self.days) == self.month.days_in_month


def _days_of(rows: pd.DataFrame) -> frozenset[int]:
    days: set[int] = set()
    for start, end in zip(rows["start"], rows["end"], strict=True):
        days.update(d.day for d in pd.date_range(start, end, freq="D"))
    return frozenset(days)


def sources_text(rows: pd.DataFrame) -> str:
    """``"sum of 31 rows of exports/..."``: the files a sum of rows comes from."""
    files = rows["source"].str.rsplit(":", n=2).str[0].drop_duplicates()
    return f"sum of {len(rows):,} rows of " + "; ".join(files)


def _file(rows: pd.DataFrame) -> pd.Series:
    return rows["source"].str.split(":").str[0]


def _reading(rows: pd.DataFrame, month: pd.Period, cover: pd.DataFrame) -> Reading:
    """The rows added up; the days covered are those of every file they come from.

    A content export holds a row for a metric only where a post has a value (link
    clicks of the posts that had a link), but the export covers every day of its
    range: the days its files cover for the account (``cover``, rows of any metric)
    are the days the figure covers.
    """
    files = set(_file(rows))
    same_files = inside_month(cover, month)
    same_files = same_files[_file(same_files).isin(files)]
    days = _days_of(rows) | _days_of(same_files[same_files["days"] == 1])
    return Reading(
        value=float(rows["value"].sum()),
        start=pd.Timestamp(min(rows["start"].min(), same_files["start"].min())),
        end=pd.Timestamp(max(rows["end"].max(), same_files["end"].max())),
        days=days,
        month=month,
        daily=bool((rows["days"] == 1).all()),
        source=sources_text(rows),
    )


def _days_text(days: Iterable[int]) -> str:
    ordered = sorted(days)
    return f"{ordered[0]}–{ordered[-1]}" if len(ordered) > 1 else str(ordered[0])


def _earlier(
    own: pd.DataFrame, month: pd.Period, current: Reading, cover: pd.DataFrame
) -> tuple[Reading | None, str]:
    """The same flow in an earlier month, over the same days as ``current``, or why not."""
    rows = inside_month(own, month)
    label = month_label(month)
    if rows.empty:
        return None, f"the data hold nothing for {label}"
    if current.whole:
        reading = _reading(rows, month, cover)
        if reading.whole:
            return reading, ""
        return None, (
            f"the figures for {label} cover {len(reading.days)} of its {month.days_in_month} days"
        )
    if not current.daily:
        return None, "weekly figures cannot be cut to the same days of another month"
    wanted = current.days
    if max(wanted) > month.days_in_month:
        return None, f"{label} has no day {max(wanted)}"
    same = rows[(rows["days"] == 1) & rows["start"].dt.day.isin(list(wanted))]
    if same.empty:
        return None, f"the figures for {label} do not cover days {_days_text(wanted)}"
    day_cover = cover[(cover["days"] == 1) & cover["start"].dt.day.isin(list(wanted))]
    reading = _reading(same, month, day_cover)
    if reading.days != wanted:
        return None, f"the figures for {label} do not cover days {_days_text(wanted)}"
    return reading, ""


def _record(
    base: dict, reading: Reading, compare: str, measure: str = Measure.VALUE
) -> dict[str, object]:
    return {
        **base,
        "measure": measure,
        "start": reading.start,
        "end": reading.end,
        "value": reading.value,
        "source": reading.source,
        "compare": compare,
        "month": reading.month,
        "days": len(reading.days),
        "month_days": reading.month.days_in_month,
        "partial": not reading.whole,
        "daily": reading.daily,
        "note": "",
    }


def _change(
    base: dict, current: Reading, earlier: Reading | None, compare: str, why: str
) -> dict[str, object]:
    measure = Measure.MOM_PCT_CHANGE if compare == MONTH_BEFORE else Measure.YOY_PCT_CHANGE
    value = math.nan
    if earlier is not None:
        value = arithmetic.pct_change(earlier.value, current.value)
        if math.isnan(value):
            why = f"there is nothing to compare with ({month_label(earlier.month)} had none)"
    return {
        **base,
        "measure": measure,
        "unit": "percent",
        "start": earlier.start if earlier is not None else current.start,
        "end": current.end,
        "value": value,
        "source": f"{compare}: {earlier.source if earlier is not None else why}",
        "compare": compare,
        "month": current.month,
        "days": len(current.days),
        "month_days": current.month.days_in_month,
        "partial": not current.whole,
        "daily": current.daily,
        "note": why if math.isnan(value) else "",
    }


def _series_records(
    own: pd.DataFrame, base: dict, period: pd.Period, cover: pd.DataFrame
) -> list[dict[str, object]]:
    rows = inside_month(own, period)
    if rows.empty:
        return []
    current = _reading(rows, period, cover)
    records = [_record(base, current, THIS_MONTH)]
    for compare, month in ((MONTH_BEFORE, period - 1), (YEAR_BEFORE, period - 12)):
        earlier, why = _earlier(own, month, current, cover)
        if earlier is not None:
            records.append(_record(base, earlier, compare))
        records.append(_change(base, current, earlier, compare, why))
    return records


def _total_records(parts: list[dict[str, object]], base: dict) -> list[dict[str, object]]:
    """The accounts' readings added up, where every account has one for the same days."""
    out: list[dict[str, object]] = []
    frame = pd.DataFrame(parts)
    values = frame[frame["measure"] == Measure.VALUE]
    current = values[values["compare"] == THIS_MONTH]
    accounts = set(current["account"])
    totals: dict[str, dict[str, object]] = {}
    for compare, group in values.groupby("compare", sort=False):
        if set(group["account"]) != accounts:
            continue
        totals[str(compare)] = {
            **base,
            "measure": Measure.VALUE,
            "start": group["start"].min(),
            "end": group["end"].max(),
            "value": float(group["value"].sum()),
            "source": f"sum of {len(group)} accounts",
            "compare": compare,
            "month": group["month"].iloc[0],
            "days": int(group["days"].max()),
            "month_days": int(group["month_days"].iloc[0]),
            "partial": bool(group["partial"].any()),
            "daily": bool(group["daily"].all()),
            "note": "",
        }
    if THIS_MONTH not in totals:
        return out
    now = totals[THIS_MONTH]
    out.append(now)
    for compare, measure in (
        (MONTH_BEFORE, Measure.MOM_PCT_CHANGE),
        (YEAR_BEFORE, Measure.YOY_PCT_CHANGE),
    ):
        earlier = totals.get(compare)
        changes = frame[(frame["measure"] == measure)]
        if earlier is not None:
            out.append(earlier)
            value = arithmetic.pct_change(float(earlier["value"]), float(now["value"]))
            note = "" if not math.isnan(value) else "there is nothing to compare with"
        else:
            value = math.nan
            notes = [n for n in changes["note"] if n]
            note = notes[0] if notes else "not every account has figures for the same days"
        out.append(
            {
                **now,
                "measure": measure,
                "unit": "percent",
                "start": earlier["start"] if earlier is not None else now["start"],
                "value": value,
                "source": f"{compare}: sum of the accounts",
                "compare": compare,
                "note": note,
            }
        )
    return out


def period_flows(tidy: pd.DataFrame, window: Window, channels: Sequence[str]) -> pd.DataFrame:
    """Each channel's flows in the period month, the month before and a year before.

    Args:
        tidy: The tidy table.
        window: The briefing window; its last month is the period.
        channels: The channels wanted (``Channel.ALL`` is left out).

    Returns:
        A figure frame, per channel, metric and account (and ``All accounts`` when
        a channel has several): a ``value`` row for the period month over the days
        its data cover (``compare`` ``this month``), the month before and the same
        month a year earlier over the same days (``month before``, ``year before``;
        absent when the data do not hold them), and a ``mom_pct_change`` and a
        ``yoy_pct_change`` row (value ``nan`` and ``note`` saying why when the change
        is withheld). Extra columns :data:`FLOW_COLUMNS`: ``month`` (Period),
        ``days`` (days covered), ``month_days``, ``partial`` (not every day of the
        month), ``daily`` (all rows are days). Empty when the period has no such figures.
    """
    wanted = [c for c in channels if c != Channel.ALL]
    fine = fine_rows(tidy, wanted)
    period = window.end
    if inside_month(fine, period).empty:
        return empty_figures(*FLOW_COLUMNS)
    records: list[dict[str, object]] = []
    for channel in wanted:
        own_channel = fine[fine["channel"] == channel]
        present = inside_month(own_channel, period)
        for metric in _metric_order(present["metric"].unique()):
            series = own_channel[own_channel["metric"] == metric]
            accounts = sorted(
                present.loc[present["metric"] == metric, "account"].unique(), key=account_key
            )
            base = {"channel": channel, "metric": metric, "segment": ""}
            base["unit"] = str(METRICS[metric].unit)
            parts: list[dict[str, object]] = []
            for account in accounts:
                own = series[series["account"] == account]
                cover = own_channel[own_channel["account"] == account]
                parts += _series_records(own, {**base, "account": account}, period, cover)
            records += parts
            if len(accounts) > 1 and ALL_ACCOUNTS not in accounts:
                records += _total_records(parts, {**base, "account": ALL_ACCOUNTS})
    return figure_frame(records, **dict.fromkeys(FLOW_COLUMNS, ""))


#: The order flows are listed in: what reached people first, then what they did.
FLOW_ORDER: tuple[str, ...] = (
    "reach",
    "impressions",
    "views",
    "post_reach",
    "engagements",
    "likes",
    "comments",
    "shares",
    "retweets",
    "replies",
    "link_clicks",
    "posts",
    "tweets",
    "new_follows",
    "new_likes",
    "visits",
    "subscribers_gained",
    "watch_hours",
    "sessions",
    "new_users",
    "pageviews",
)


def _metric_order(metrics: Iterable[str]) -> list[str]:
    found = list(dict.fromkeys(str(m) for m in metrics))
    known = [m for m in FLOW_ORDER if m in found]
    return known + sorted(m for m in found if m not in known)


def flow_series(tidy: pd.DataFrame, window: Window, channels: Sequence[str]) -> pd.DataFrame:
    """Each channel's flows month by month over the window, for trend charts.

    Args:
        tidy: The tidy table.
        window: The briefing window.
        channels: The channels wanted.

    Returns:
        A figure frame, one ``value`` row per channel, metric and month of the window
        with figures (all accounts added up, account ``All accounts``), ``start`` and
        ``end`` the first and last day covered; extra columns ``month``, ``days``,
        ``month_days`` and ``partial`` (a month its data cover only in part).
    """
    wanted = [c for c in channels if c != Channel.ALL]
    fine = fine_rows(tidy, wanted)
    fine = fine[(fine["start"] >= window.first_day) & (fine["end"] <= window.last_day)]
    fine = fine[fine["start"].dt.to_period("M") == fine["end"].dt.to_period("M")]
    if fine.empty:
        return empty_figures("month", "days", "month_days", "partial")
    fine = fine.assign(month=fine["start"].dt.to_period("M"))
    records = []
    for (channel, metric, month), rows in fine.groupby(
        ["channel", "metric", "month"], observed=True, sort=True
    ):
        days = _days_of(rows)
        records.append(
            {
                "channel": channel,
                "account": ALL_ACCOUNTS,
                "metric": metric,
                "measure": Measure.VALUE,
                "start": rows["start"].min(),
                "end": rows["end"].max(),
                "value": rows["value"].sum(),
                "unit": str(METRICS[str(metric)].unit),
                "source": sources_text(rows),
                "month": month,
                "days": len(days),
                "month_days": month.days_in_month,
                "partial": len(days) < month.days_in_month,
            }
        )
    return figure_frame(records, month="", days="", month_days="", partial="")


def period_weeks(tidy: pd.DataFrame, window: Window, channels: Sequence[str]) -> pd.DataFrame:
    """Week-level rows (2 to 7 days each) that touch the period month, by their own dates.

    Every metric is listed, those that do not add up too (weekly active users).

    A week that starts in one month and ends in the next is listed with the dates it
    covers and ``straddles`` True: it belongs to neither month alone, so the period's
    totals leave it out.

    Args:
        tidy: The tidy table.
        window: The briefing window; its last month is the period.
        channels: The channels wanted.

    Returns:
        A figure frame (measure ``value``, one row per week, channel, account and
        metric); extra columns ``days`` and ``straddles``.
    """
    wanted = [c for c in channels if c != Channel.ALL]
    sel = tidy[tidy["channel"].isin(wanted) & (tidy["segment"] == "")]
    sel = sel.assign(days=span_days(sel))
    first, last = window.end.start_time.normalize(), window.end.end_time.normalize()
    weeks = sel[sel["days"].between(2, FINE_DAYS) & (sel["end"] >= first) & (sel["start"] <= last)]
    if weeks.empty:
        return empty_figures("days", "straddles")
    weeks = weeks.sort_values(["channel", "metric", "account", "start"])
    straddles = (weeks["start"] < first) | (weeks["end"] > last)
    return figure_frame(
        {**r, "measure": Measure.VALUE}
        for r in weeks.assign(straddles=straddles.to_numpy()).to_dict("records")
    )

"""What every channel briefing shares: context, tables, prose, audiences, quality."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from helpers import config
from helpers.ingest.report import read_claims
from helpers.measures import arithmetic as metrics
from helpers.measures.quality import DIFFERS, reconcile
from helpers.present import charts as plots
from helpers.present import narrative
from helpers.present.headlines import Headline, iso
from helpers.tidy.dataset import load_tidy
from helpers.tidy.periods import (
    Window,
    missing_months,
    month_of,
    reporting_window,
    short_month_label,
)
from helpers.tidy.select import figure, is_snapshot, monthly_rollup, rows

REPORT_SOURCE = "Source: Lancashire Constabulary Community Engagement Update Report (2015)"


@dataclass
class Context:
    """Everything a channel briefing needs for one reporting period.

    Attributes:
        notebook: ``social``, ``website``, ``itk`` or ``trusted2know``.
        period: End month, ``YYYY-MM``.
        window: The months covered.
        tidy: The tidy table (all of it; sections select what they need).
        claims: The stated claims of earlier reports.
    """

    notebook: str
    period: str
    window: Window
    tidy: pd.DataFrame
    claims: pd.DataFrame

    @property
    def end_day(self) -> pd.Timestamp:
        """Last day of the reporting period."""
        return self.window.last_day


def open_briefing(
    notebook: str, period: str, start: str | None = None, data_dir: str = ""
) -> Context:
    """Load the data and window for one channel briefing.

    Args:
        notebook: Notebook name.
        period: End month ``YYYY-MM``.
        start: Optional first month ``YYYY-MM`` (default: 12 months ending at ``period``).
        data_dir: The project's ``data`` folder; empty for the default.

    Returns:
        The briefing context.
    """
    base = Path(data_dir) if data_dir else config.DATA_DIR
    window = reporting_window(period, start)
    tidy = monthly_rollup(load_tidy(base))
    return Context(notebook, period, window, tidy, read_claims(base / "raw" / "as_reported"))


# --- window selection -----------------------------------------------------------


def within(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Rows whose whole date range lies inside the window."""
    return frame[(frame["start"] >= window.first_day) & (frame["end"] <= window.last_day)]


def overlapping(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Rows whose date range overlaps the window."""
    return frame[(frame["end"] >= window.first_day) & (frame["start"] <= window.last_day)]


# --- HTML building blocks ---------------------------------------------------------


def prose(sentences: list[str], css_class: str = "prose") -> HTML:
    """Sentences as escaped HTML paragraphs (one paragraph per sentence)."""
    body = "".join(f"<p>{html.escape(s)}</p>" for s in narrative.join_sentences(sentences))
    return HTML(f'<div class="{css_class}">{body}</div>')


def table_html(
    frame: pd.DataFrame,
    caption: str,
    units: dict[str, str] | None = None,
    row_header: bool = True,
) -> HTML:
    """An accessible HTML table: caption, column headers, escaped cells.

    Args:
        frame: Rows to show (columns are the header row).
        caption: What the table shows.
        units: Column -> ``count``/``percent``/``signed_percent``/``text`` formatting.
        row_header: Whether the first column labels the rows (``<th scope="row">``).

    Returns:
        The table.
    """
    units = units or {}

    def cell(column: str, value: object) -> str:
        unit = units.get(column)
        if isinstance(value, float | int) and not isinstance(value, bool):
            if isinstance(value, float) and math.isnan(value):
                return "–"
            if unit == "percent":
                return narrative.fmt_pct(float(value))
            if unit == "signed_percent":
                return narrative.fmt_pct(float(value), signed=True)
            if unit == "rate":
                return narrative.fmt_pct(float(value), 2)
            return narrative.fmt_count(float(value))
        return "" if value is None else str(value)

    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = []
    for record in frame.itertuples(index=False):
        cells = []
        for i, (column, value) in enumerate(zip(frame.columns, record, strict=True)):
            text = html.escape(cell(column, value))
            numeric = isinstance(value, float | int) and not isinstance(value, bool)
            attr = ' class="num"' if numeric else ""
            if i == 0 and row_header:
                cells.append(f'<th scope="row"{attr}>{text}</th>')
            else:
                cells.append(f"<td{attr}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return HTML(
        f'<table class="data"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def no_data(ctx: Context, label: str) -> HTML:
    """A notice that a channel has no figures in the window."""
    return prose([narrative.no_data_sentence(label, ctx.window.label)], "notice")


# --- audiences (likes, followers, registered users) -----------------------------


@dataclass(frozen=True)
class AudienceChange:
    """How one account's audience moved over the window."""

    account: str
    first_day: pd.Timestamp | None
    first: float
    last_day: pd.Timestamp
    last: float
    abs_change: float
    pct_change: float
    months: int
    cmgr: float
    prior: float
    yoy_pct: float


def audience_rows(ctx: Context, channel: str, metric: str) -> pd.DataFrame:
    """The last snapshot of each month, per account, of ``metric`` inside the window.

    Adds a ``month_end`` column: the last day of the month the snapshot belongs to
    (the report's snapshots are taken on that day; exports may stop a day or two
    earlier, and the snapshot keeps its own date in ``end``).
    """
    sel = within(rows(ctx.tidy, channel, metric), ctx.window)
    sel = sel[is_snapshot(sel)]
    if sel.empty:
        return sel.assign(month_end=sel["end"])
    sel = sel.assign(month_end=sel["end"].dt.to_period("M").dt.end_time.dt.normalize())
    return sel.sort_values("end").groupby(["account", "month_end"], as_index=False).last()


def audience_matrix(ctx: Context, channel: str, metric: str) -> pd.DataFrame:
    """Accounts x month (keyed by month end), channel total included as :data:`ALL_ACCOUNTS`.

    The channel total is the stated total where there is one, else the sum of the
    accounts in that month. ``attrs["dates"]`` holds the date of each snapshot.
    """
    sel = audience_rows(ctx, channel, metric)
    if sel.empty:
        return pd.DataFrame()
    wide = sel.pivot_table(index="account", columns="month_end", values="value", aggfunc="first")
    dates = sel.pivot_table(index="account", columns="month_end", values="end", aggfunc="first")
    accounts = [a for a in wide.index if a != config.ALL_ACCOUNTS]
    summed = wide.loc[accounts].sum(min_count=1) if accounts else None
    summed_dates = dates.loc[accounts].max() if accounts else None
    if config.ALL_ACCOUNTS in wide.index:
        total = wide.loc[config.ALL_ACCOUNTS]
        total_dates = dates.loc[config.ALL_ACCOUNTS]
        if summed is not None:
            total = total.combine_first(summed)
            total_dates = total_dates.combine_first(summed_dates)
    else:
        total, total_dates = summed, summed_dates
    order = sorted(accounts, key=_account_order)
    wide = wide.reindex(order)
    dates = dates.reindex(order)
    wide.loc[config.ALL_ACCOUNTS] = total
    dates.loc[config.ALL_ACCOUNTS] = total_dates
    wide.attrs["dates"] = dates
    return wide


def unit_word(channel: str) -> str:
    """What the breakdown of a channel is called: ``division`` for ITK, else ``account``."""
    return "division" if channel == "itk" else "account"


def _account_order(name: str) -> tuple[int, str]:
    known = ["Lancs Police", "Specialist", *config.DIVISIONS, "Cadets"]
    return (known.index(name), name) if name in known else (len(known), name)


def audience_changes(ctx: Context, channel: str, metric: str) -> list[AudienceChange]:
    """Change over the window and year on year, per account and for the total.

    The window change runs from each account's first month-end figure inside the
    window to the figure at the end of the reporting period; accounts without a
    figure at the period end are left out (never interpolated).
    """
    wide = audience_matrix(ctx, channel, metric)
    if wide.empty or ctx.end_day not in wide.columns:
        return []
    dates = wide.attrs["dates"]
    out = []
    for account, values in wide.iterrows():
        present = values.dropna()
        last = values.get(ctx.end_day, math.nan)
        if math.isnan(last):
            continue
        first_key = present.index[0] if len(present) > 1 else None
        first_day = pd.Timestamp(dates.loc[account, first_key]) if first_key is not None else None
        first = float(present.iloc[0]) if first_key is not None else math.nan
        months = metrics.months_between(month_of(first_day), ctx.window.end) if first_day else 0
        prior_day = (ctx.window.end - 12).end_time.normalize()
        prior = _snapshot_value(ctx, channel, metric, str(account), prior_day)
        out.append(
            AudienceChange(
                account=str(account),
                first_day=first_day,
                first=first,
                last_day=pd.Timestamp(dates.loc[account, ctx.end_day]),
                last=float(last),
                abs_change=metrics.abs_change(first, last) if first_day else math.nan,
                pct_change=metrics.pct_change(first, last) if first_day else math.nan,
                months=months,
                cmgr=metrics.cmgr(first, last, months) if first_day else math.nan,
                prior=prior,
                yoy_pct=metrics.pct_change(prior, last),
            )
        )
    return out


def _snapshot_value(
    ctx: Context, channel: str, metric: str, account: str, day: pd.Timestamp
) -> float:
    return figure(ctx.tidy, channel, metric, day, day, account)


def audience_table(ctx: Context, channel: str, metric: str, noun: str) -> HTML:
    """Table of accounts by month-end date, with the change over the window."""
    wide = audience_matrix(ctx, channel, metric)
    if wide.empty:
        return no_data(ctx, noun)
    changes = {c.account: c for c in audience_changes(ctx, channel, metric)}
    frame = wide.copy()
    frame.columns = [short_month_label(month_of(c)) for c in frame.columns]
    first_label = last_label = ""
    if changes:
        any_change = next(iter(changes.values()))
        if any_change.first_day is not None:
            first_label = short_month_label(month_of(any_change.first_day))
            last_label = short_month_label(ctx.window.end)
    change_col = f"% {first_label} to {last_label}" if first_label else "% change"
    frame[change_col] = [changes[a].pct_change if a in changes else math.nan for a in frame.index]
    frame = frame.reset_index().rename(columns={"account": unit_word(channel).capitalize()})
    units = {change_col: "percent"}
    caption = f"{config.CHANNELS[channel]} {noun} by {unit_word(channel)}, {ctx.window.label}"
    return table_html(frame, caption, units)


def audience_summary(ctx: Context, channel: str, metric: str, noun: str) -> HTML:
    """Generated sentences on the audience: total change, CMGR, year on year, gaps."""
    changes = audience_changes(ctx, channel, metric)
    label = f"{config.CHANNELS[channel]} {noun}"
    if not changes:
        wide = audience_matrix(ctx, channel, metric)
        if wide.empty:
            return no_data(ctx, label)
        return prose([f"No {label} figure is available for {ctx.window.label.split(' to ')[-1]}."])
    total = next((c for c in changes if c.account == config.ALL_ACCOUNTS), None)
    sentences: list[str] = []
    if total is not None:
        subject = f"{label} (all {unit_word(channel)}s)"
        if total.first_day is not None:
            sentences.append(
                narrative.change_sentence(
                    subject,
                    total.first,
                    total.last,
                    total.first_day,
                    total.last_day,
                    total.pct_change,
                )
            )
            sentences.append(
                narrative.cmgr_sentence(
                    subject, total.cmgr, total.months, total.first_day, total.last_day
                )
            )
        else:
            sentences.append(
                f"{subject} stood at {narrative.fmt_count(total.last)} on "
                f"{narrative.fmt_day(total.last_day)}."
            )
        sentences.append(
            narrative.yoy_sentence(subject, total.yoy_pct, total.prior, total.last, total.last_day)
        )
    ranked = sorted(
        (c for c in changes if c.account != config.ALL_ACCOUNTS and not math.isnan(c.pct_change)),
        key=lambda c: c.pct_change,
        reverse=True,
    )
    if not ranked and total is not None:
        sentences.append(
            f"Figures by {unit_word(channel)} are not available for "
            f"{narrative.fmt_day(ctx.end_day)}; only the total is."
        )
    if len(ranked) >= 2:
        top, low = ranked[0], ranked[-1]
        sentences.append(
            f"{top.account} grew fastest ({narrative.fmt_pct(top.pct_change)}) and "
            f"{low.account} slowest ({narrative.fmt_pct(low.pct_change)})."
        )
    observed = [month_of(d) for d in audience_rows(ctx, channel, metric)["end"].unique()]
    sentences.append(narrative.missing_sentence(label, missing_months(observed, ctx.window)))
    return prose(sentences)


def audience_chart(
    ctx: Context, channel: str, metric: str, noun: str, source: str = REPORT_SOURCE
) -> HTML:
    """Trend chart of each account's audience over the window."""
    sel = audience_rows(ctx, channel, metric)
    sel = sel[sel["account"] != config.ALL_ACCOUNTS]
    label = f"{config.CHANNELS[channel]} {noun}"
    if sel.empty:
        return no_data(ctx, label)
    changes = [
        c for c in audience_changes(ctx, channel, metric) if c.account != config.ALL_ACCOUNTS
    ]
    fig = plots.trend_chart(
        sel,
        x="end",
        y="value",
        hue="account",
        title=f"{label} by {unit_word(channel)}, {ctx.window.label}",
        ylabel=noun.capitalize(),
        source=source,
    )
    ranked = sorted(
        (c for c in changes if not math.isnan(c.pct_change)), key=lambda c: -c.pct_change
    )
    if len(ranked) >= 2:
        finding = (
            f" {ranked[0].account} grew fastest ({narrative.fmt_pct(ranked[0].pct_change)}); "
            f"{ranked[-1].account} slowest ({narrative.fmt_pct(ranked[-1].pct_change)})."
        )
    else:
        latest = sel[sel["end"] == sel["end"].max()].sort_values("value", ascending=False).iloc[0]
        finding = (
            f" Latest figures by {unit_word(channel)} are for {narrative.fmt_day(latest['end'])}, "
            f"when {latest['account']} was largest with {narrative.fmt_count(latest['value'])}."
        )
    by = unit_word(channel)
    alt = f"Line chart of {label} by {by} at each month-end with data, {ctx.window.label}.{finding}"
    return plots.figure_html(fig, alt=alt, caption=f"{label} by {by}")


def change_chart(
    ctx: Context, channel: str, metric: str, noun: str, source: str = REPORT_SOURCE
) -> HTML:
    """Bar chart of each account's percentage change over the window."""
    changes = [
        c
        for c in audience_changes(ctx, channel, metric)
        if not math.isnan(c.pct_change) and c.account != config.ALL_ACCOUNTS
    ]
    label = f"{config.CHANNELS[channel]} {noun}"
    if not changes:
        return prose(
            [
                f"No change in {label} by {unit_word(channel)} can be computed up to "
                f"{narrative.fmt_day(ctx.end_day)}: there are no figures by {unit_word(channel)} "
                "for that day."
            ],
            "notice",
        )
    first = changes[0].first_day
    frame = pd.DataFrame(
        {"account": [c.account for c in changes], "change": [c.pct_change for c in changes]}
    )
    span = narrative.span_label(first, ctx.end_day)
    fig = plots.grouped_change_chart(
        frame,
        account_col="account",
        value_col="change",
        title=f"Growth in {label} {span}",
        source=source,
        xlabel="Change (%)",
    )
    ranked = sorted(changes, key=lambda c: -c.pct_change)
    alt = (
        f"Bar chart of the percentage growth in {label} {span} by {unit_word(channel)}: highest "
        f"{ranked[0].account} {narrative.fmt_pct(ranked[0].pct_change)}, lowest "
        f"{ranked[-1].account} {narrative.fmt_pct(ranked[-1].pct_change)}."
    )
    return plots.figure_html(fig, alt=alt, caption=f"Growth in {label} {span}")


def audience_headlines(ctx: Context, channel: str, metric: str, label: str) -> list[Headline]:
    """Headline records for an audience: level, change, CMGR and year on year per account."""
    out: list[Headline] = []
    end = iso(ctx.end_day)
    for c in audience_changes(ctx, channel, metric):
        base = {"channel": channel, "account": c.account, "metric": metric}
        out.append(
            Headline(
                **base, measure="value", start=end, end=end, value=c.last, unit="count", label=label
            )
        )
        if c.first_day is not None:
            first = iso(c.first_day)
            out.append(
                Headline(
                    **base,
                    measure="abs_change",
                    start=first,
                    end=end,
                    value=c.abs_change,
                    unit="count",
                    label=f"{label}: change",
                )
            )
            out.append(
                Headline(
                    **base,
                    measure="pct_change",
                    start=first,
                    end=end,
                    value=c.pct_change,
                    unit="percent",
                    label=f"{label}: % change",
                )
            )
            out.append(
                Headline(
                    **base,
                    measure="cmgr",
                    start=first,
                    end=end,
                    value=c.cmgr,
                    unit="percent_per_month",
                    label=f"{label}: monthly growth",
                )
            )
        if not math.isnan(c.yoy_pct):
            prior = iso((ctx.window.end - 12).end_time.normalize())
            out.append(
                Headline(
                    **base,
                    measure="yoy_pct_change",
                    start=prior,
                    end=end,
                    value=c.yoy_pct,
                    unit="percent",
                    label=f"{label}: year on year",
                )
            )
    return out


# --- quality --------------------------------------------------------------------


def quality_checks(ctx: Context, channels: list[str] | None = None) -> pd.DataFrame:
    """Reconciliation checks ending in the window, optionally for some channels only."""
    checks = reconcile(ctx.tidy, ctx.claims, ctx.window)
    if channels is not None and not checks.empty:
        mine = checks["channel"].map(lambda c: any(part in channels for part in str(c).split("+")))
        checks = checks[mine.astype(bool)]
    return checks.reset_index(drop=True)


def quality_section(ctx: Context, channels: list[str]) -> HTML:
    """Table of stated figures recomputed from the counts, differences flagged."""
    checks = quality_checks(ctx, channels)
    if checks.empty:
        return prose(
            ["No stated figures for these channels fall in this period, so none were checked."]
        )
    flagged = int((checks["status"] == DIFFERS).sum())
    intro = (
        f"{len(checks)} figures stated in the report were recomputed from its own counts; "
        f"{flagged} differ by more than rounding."
        if flagged
        else f"{len(checks)} figures stated in the report were recomputed from its own counts; "
        "all agree within rounding."
    )

    def show(value: float, unit_pct: bool) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return narrative.fmt_pct(value, 2) if unit_pct else narrative.fmt_count(value)

    table_rows = []
    for _, c in checks.iterrows():
        pct = c["kind"] in {"pct_change", "cmgr", "engagement_rate", "weighted_share"}
        stated = show(c["stated"], pct)
        high = c["stated_high"]
        if high is not None and not (isinstance(high, float) and math.isnan(high)):
            stated = f"{stated} to {show(high, pct)}"
        if c["comparison"] == "at_least":
            stated = f"at least {stated}"
        table_rows.append(
            {
                "Check": c["quote"] or c["description"],
                "Stated": stated,
                "Recomputed": show(c["computed"], pct),
                "Difference": show(c["difference"], pct),
                "Status": "DIFFERS" if c["status"] == DIFFERS else c["status"],
            }
        )
    table = table_html(
        pd.DataFrame(table_rows), "Stated figures recomputed from the counts", row_header=False
    )
    return HTML(prose([intro]).data + table.data)

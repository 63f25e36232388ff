"""Growth tested against the data: method, saturation, projection, per resident.

These sections go further than the 2015 report could: they state how each growth
figure was computed, test whether growth is levelling off, project the trend with
intervals when there are enough readings (and say why not otherwise), and compare
divisions per 1,000 residents (2011 Census).
"""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import HTML

from helpers import config
from helpers.measures.forecast import Forecast, forecast
from helpers.measures.growth import growth_summary
from helpers.measures.population import per_1000
from helpers.measures.saturation import saturation_check
from helpers.present import charts as plots
from helpers.present import narrative
from helpers.sections.common import (
    REPORT_SOURCE,
    Context,
    audience_rows,
    prose,
    quality_checks,
    table_html,
)
from helpers.tidy.dataset import load_reference
from helpers.tidy.reference import PER_1000_LABEL, division_residents
from helpers.tidy.select import snapshot_series

GROWTH_CLAIMS = {"pct_change", "cmgr", "abs_change"}


def total_series(ctx: Context, channel: str, metric: str) -> pd.Series:
    """The channel total, last reading of each month inside the window (stated or summed)."""
    series = snapshot_series(ctx.tidy, channel, metric)
    inside = series[(series.index >= ctx.window.first_day) & (series.index <= ctx.end_day)]
    return inside.groupby(inside.index.to_period("M")).tail(1)


def growth_tests(ctx: Context, channel: str, metric: str, noun: str) -> HTML:
    """Method-stated growth, the saturation verdict and the projection (or why not)."""
    label = f"{config.CHANNELS[channel]} {noun} (all accounts)"
    series = total_series(ctx, channel, metric)
    if series.empty:
        return prose([f"No {label} figures in {ctx.window.label} to test."], "notice")
    summary = growth_summary(series)
    sentences = []
    if not math.isnan(summary.cmgr):
        sentences.append(
            f"{label}: compound monthly growth rate {narrative.fmt_pct(summary.cmgr, 2)} per "
            f"month. Method: {summary.method}"
        )
    sentences.append(f"Is growth levelling off? {saturation_check(series).sentence}")
    projection = forecast(series)
    if isinstance(projection, Forecast):
        last = projection.table.iloc[-1]
        sentences.append(
            f"Projection (not a target): if the trend continues, {label.lower()} would be about "
            f"{narrative.fmt_count(last['mean'])} by {narrative.fmt_day(last['end'])} "
            f"(80% interval {narrative.fmt_count(last['lo80'])} to "
            f"{narrative.fmt_count(last['hi80'])}). {projection.method}"
        )
        chart = _fan_chart(ctx, series, projection, label, noun)
    else:
        sentences.append(f"No projection is shown: {projection.reason}.")
        chart = HTML("")
    return HTML(prose(sentences).data + chart.data)


def _fan_chart(
    ctx: Context, series: pd.Series, projection: Forecast, label: str, noun: str
) -> HTML:
    observed = pd.DataFrame({"end": series.index, "value": series.to_numpy(), "account": label})
    fan = projection.table.assign(account=label)
    fig = plots.trend_chart(
        observed,
        x="end",
        y="value",
        hue="account",
        title=f"{label} with a projection",
        ylabel=noun.capitalize(),
        source=REPORT_SOURCE,
        projection=fan,
    )
    last = projection.table.iloc[-1]
    alt = (
        f"Line chart of {label} with a shaded projection: the central projection reaches "
        f"{narrative.fmt_count(last['mean'])} by {narrative.fmt_day(last['end'])}, 95% interval "
        f"{narrative.fmt_count(last['lo95'])} to {narrative.fmt_count(last['hi95'])}."
    )
    return plots.figure_html(fig, alt=alt, caption=f"{label}: observed and projected")


def claims_side_by_side(ctx: Context, channels: list[str]) -> HTML:
    """Growth claims of the previous report next to the value computed from the data."""
    checks = quality_checks(ctx, channels)
    checks = checks[checks["kind"].isin(GROWTH_CLAIMS) & (checks["quote"] != "")]
    checks = checks[checks["quote"].str.len() > 25]  # the report's sentences, not table cells
    if checks.empty:
        return prose(
            ["The previous report made no growth claims about these channels in this window."]
        )
    frame = pd.DataFrame(
        {
            "The report said": checks["quote"],
            "Computed from the data": [_computed_text(r) for _, r in checks.iterrows()],
            "Verdict": checks["status"]
            .map({"ok": "supported", "differs": "not supported"})
            .fillna(checks["status"]),
        }
    )
    return table_html(frame, "Growth claims of the previous report, tested", row_header=False)


def _computed_text(check: pd.Series) -> str:
    channels = " and ".join(config.CHANNELS.get(c, c) for c in str(check["channel"]).split("+"))
    return f"{channels}: {_computed_value(check)}"


def _computed_value(check: pd.Series) -> str:
    span = narrative.span_label(check["start"], check["end"])
    if check["kind"] == "cmgr":
        return f"{narrative.fmt_pct(check['computed'], 2)} per month {span}"
    if check["kind"] == "abs_change":
        return f"{narrative.fmt_count(check['computed'])} {span}"
    return f"{narrative.fmt_pct(check['computed'])} {span}"


def per_resident(ctx: Context, channel: str, metric: str, noun: str, data_dir: str = "") -> HTML:
    """Audience per 1,000 residents (2011 Census) by division, or why it cannot be given."""
    census = load_reference(data_dir or None)
    if census.empty:
        return prose(
            ["Per-resident figures are not shown: the data folder has no census file."], "notice"
        )
    sel = audience_rows(ctx, channel, metric)
    sel = sel[sel["account"].isin(config.DIVISIONS)]
    if sel.empty:
        return prose([f"No {noun} by division in {ctx.window.label}."], "notice")
    latest = sel[sel["end"] == sel["end"].max()]
    table = per_1000(latest, division_residents(census))[
        ["division", "count", "residents", "per_1000"]
    ]
    table.columns = ["Division", noun.capitalize(), "Residents", "Per 1,000 residents"]
    top = table.loc[table["Per 1,000 residents"].idxmax()]
    sentence = (
        f"On {narrative.fmt_day(sel['end'].max())} {top['Division']} had the most {noun} "
        f"{PER_1000_LABEL} ({top['Per 1,000 residents']:.1f}); residents are not the "
        "audience, and 2011 figures are used for later counts."
    )
    return HTML(
        prose([sentence]).data + table_html(table, f"{noun.capitalize()} per 1,000 residents").data
    )

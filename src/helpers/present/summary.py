"""Views of the two summary pages: the overview (``index.html``) and data quality.

Both pages are notebooks (``notebooks/overview.ipynb`` and ``notebooks/quality.ipynb``)
that read what the channel pages of the period published (``headlines.json``, through
:mod:`helpers.tidy.published`) and show it with the views here. Every view returns an
object a notebook displays: HTML rendered from ``templates/summary.html.j2`` with
autoescape (text from data is never markup), or Markdown. The two records the runner
collects, :class:`OverviewRecord` (for ``overview.json``) and :class:`QualityRecords` (for
``quality.json``), display as a one-line summary in JupyterLab and are left out of the
published page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from IPython.display import Markdown

from helpers import config
from helpers.measures.quality import quality_records
from helpers.present import formats
from helpers.present import overview as words
from helpers.present.fragments import Html, render
from helpers.present.headlines import channel_wide
from helpers.present.narrative import escape
from helpers.tidy.published import OVERVIEW_MIME, QUALITY_MIME

Records = pd.DataFrame | Sequence[Mapping[str, Any]]

#: The template of the two pages' HTML (``present/templates/``).
_TEMPLATE = "summary.html.j2"

#: Quality status meaning "the stated figure matches the data".
QUALITY_OK = "ok"
#: Quality status of a commentary figure with no independent source (quoted, not checked).
QUALITY_QUOTED = "quoted"
_VERDICTS = {
    QUALITY_OK: "agrees",
    "differs": "differs",
    QUALITY_QUOTED: "quoted (no independent source)",
    words.DEPENDS_ON_DATES: "depends on the dates chosen (the report gives none)",
    words.UNTESTED: "too few readings to test",
}
#: What each kind of check compares, in words ("" where the metric says it all).
_KIND_WORDS = {
    "pct_change": "% change",
    "abs_change": "change",
    "cmgr": "growth a month",
    "total_of_accounts": "total of the accounts",
    "total_of_channels": "total of the channels",
    "engagement_rate": "engagement rate",
    "period_sum": "total of the months",
    "weighted_share": "share over the months",
    "value": "",  # a figure as it is: the metric says what it is
    "cross_table": "total in one table against the accounts in another",
    "saturation": "growth levelling off?",
}
#: Measures the overview's headline tables show (the channel pages have them all).
KEY_MEASURES = frozenset({"value", "pct_change", "yoy_pct_change", "cmgr", "rate"})


def records(frame: Records) -> list[dict[str, Any]]:
    """Rows as plain dicts, missing numbers as None (a frame or records already)."""
    if isinstance(frame, pd.DataFrame):
        rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    else:
        rows = [dict(r) for r in frame]
    return rows


def _e(text: object) -> str:
    """Text for Markdown: ``<``, ``>`` and ``&`` as character references."""
    return html.escape(str(text), quote=True)


# --- the overview -------------------------------------------------------------------


def paper_facts(decision: str, issued: str, contact: str) -> Html:
    """The paper's date of issue, the decision it asks for and whom to contact.

    Args:
        decision: The decision required (empty: not shown).
        issued: Date of issue ``YYYY-MM-DD``; empty for a draft.
        contact: Whom to contact (empty: not shown).

    Returns:
        A definition list (``dl.paper-facts``); the board paper's front block gives
        the same facts, so the printed paper leaves this list out.
    """
    rows = [("Date of issue", "issued", formats.day(issued) if issued else "Draft")]
    if decision.strip():
        rows.append(("Decision required", "decision", " ".join(decision.split())))
    if contact.strip():
        rows.append(("Contact", "contact", " ".join(contact.split())))
    return render(_TEMPLATE, "paper_facts", rows)


def overview_points(
    headlines: Records, divisions: Sequence[str] = (), period: str | None = None
) -> list[str]:
    """The overview's key points, most important first, from the pages' headline figures.

    Args:
        headlines: What the channel pages published.
        divisions: The force's divisions (``inputs.profile.divisions``).
        period: The reporting month (figures that run on after it are left out).
    """
    return words.key_points(records(headlines), divisions, period)


def key_point_list(points: Sequence[str]) -> Html:
    """The overview's key points as a list (``ul.key-points``), most important first."""
    return render(_TEMPLATE, "key_points", [str(p) for p in points if p])


def quality_line(quality: Records) -> Html | None:
    """One line: how many stated figures agree, differ, or are only quoted (None: none)."""
    if not records(quality):
        return None
    return render(_TEMPLATE, "quality_line", words.quality_line(records(quality)))


def channel_pages(channels: Sequence[str] | None = None) -> list[dict[str, str]]:
    """The channel pages of a period in reading order, as ``title`` and ``href``.

    Args:
        channels: The pages built (notebook names); None for every channel page.
    """
    return [
        {"title": spec.title, "href": f"{spec.name}.html"}
        for spec in config.CHANNEL_SPECS
        if channels is None or spec.name in channels
    ]


def page_links(pages: Sequence[Mapping[str, str]]) -> Html | Markdown:
    """Links to the period's channel pages (``ul.briefings``), from ``title`` and ``href``."""
    if not pages:
        return Markdown("No channel briefings were built for this period.")
    return render(_TEMPLATE, "page_links", pages)


def _headline_label(record: Mapping[str, Any]) -> str:
    if record.get("label"):
        return str(record["label"])
    metric = config.METRICS.get(str(record.get("metric")))
    label = metric.label if metric else str(record.get("metric", ""))
    if record.get("segment"):
        label += f" ({record['segment']})"
    measure = record.get("measure", "value")
    return label if measure == "value" else f"{label}: {str(measure).replace('_', ' ')}"


def is_key_figure(record: Mapping[str, Any], wide: set[tuple[str, str]]) -> bool:
    """Whether a headline belongs in the overview: channel-wide, unsegmented, key measure.

    Args:
        record: A headline record.
        wide: The ``(channel, account)`` pairs that stand for a whole channel
            (:func:`helpers.present.headlines.channel_wide` of the period's records).
    """
    return (
        (str(record.get("channel")), str(record.get("account"))) in wide
        and not record.get("segment")
        and str(record.get("measure", "value")) in KEY_MEASURES
    )


def _covered(start: str, end: str) -> str:
    """A figure's dates: a day, a month or months, or the days of one month it covers."""
    if start != end and start[:7] == end[:7]:
        return formats.days_covered(start, end)
    return formats.dates(start, end)


def headline_frame(headlines: Records, period: str | None = None) -> pd.DataFrame:
    """The latest channel-wide figure of each key measure: what the headline tables show.

    Args:
        headlines: The period's headline figures (:func:`helpers.tidy.published.read_headlines`).
        period: The reporting month: a figure that runs on after it (a week into the
            next month, a download's year) is not the period's headline.

    Returns:
        Columns ``channel, figure, value, covered`` (value formatted, dates in words),
        channels in briefing order, figures in the order the pages published them.
    """
    rows = records(headlines)
    if period:
        last = str(pd.Period(period, freq="M").end_time.date())
        rows = [r for r in rows if str(r["end"])[:10] <= last]
    wide = channel_wide(rows)
    latest: dict[tuple, Mapping[str, Any]] = {}
    for r in rows:
        if is_key_figure(r, wide):
            key = (r["channel"], r["metric"], r.get("measure"), r.get("segment") or "")
            if key not in latest or str(r["end"]) >= str(latest[key]["end"]):
                latest[key] = r
    first = {id(r): i for i, r in enumerate(rows)}
    order = {name: i for i, name in enumerate(config.CHANNELS)}
    kept = sorted(
        latest.values(),
        key=lambda r: (order.get(str(r["channel"]), len(order)), str(r["channel"]), first[id(r)]),
    )
    return pd.DataFrame(
        [
            {
                "channel": str(r["channel"]),
                "figure": _headline_label(r),
                "value": formats.value(r.get("value"), str(r.get("unit") or ""), r.get("measure")),
                "covered": _covered(str(r["start"]), str(r["end"])),
            }
            for r in kept
        ],
        columns=["channel", "figure", "value", "covered"],
    )


def headline_tables(table: pd.DataFrame, period_label: str) -> Html | Markdown:
    """One table per channel of :func:`headline_frame`, captioned with the period.

    Args:
        table: :func:`headline_frame` of the period.
        period_label: The period in words (``"November 2015"``).

    Returns:
        The tables (HTML), or one Markdown line when the pages published none.
    """
    if table.empty:
        return Markdown("The briefings published no headline figures for this period.")
    tables = [
        (config.CHANNELS.get(str(channel), str(channel)), list(rows.itertuples()))
        for channel, rows in table.groupby("channel", sort=False)
    ]
    return render(_TEMPLATE, "headline_tables", tables, period_label)


def method_notes(headlines: Records) -> Markdown:
    """How the figures the overview uses were worked out, one bullet each."""
    notes = [*words.method_notes(records(headlines))]
    notes.append("Each channel's page gives its own method notes in full, at its end.")
    return Markdown("\n".join(f"- {_e(n)}" for n in notes))


def not_covered(channels: Sequence[str] | None, window_label: str) -> Markdown | None:
    """One line naming the channel pages this briefing leaves out, and why.

    Args:
        channels: The channel pages built (the overview's ``channels`` parameter);
            None for all of them.
        window_label: The months the briefing covers, in words.

    Returns:
        Markdown, or None when every channel page is in the briefing.
    """
    built = set(channels) if channels is not None else {s.name for s in config.CHANNEL_SPECS}
    left = [s.title for s in config.CHANNEL_SPECS if s.name not in built]
    if not left:
        return None
    names = formats.join(formats.in_sentence(t) for t in left)
    return Markdown(
        _e(
            f"This briefing does not cover {names}: the data hold no figures for "
            f"{'it' if len(left) == 1 else 'them'} in {window_label}."
        )
    )


def quality_paragraph(quality: Records) -> Markdown | Any:
    """The data-quality paragraph: slips in the report against claims that depend on dates.

    With no stated figure in the period, one "no figures" line that the page leaves
    out with its section (a force with only exports has no report to check).
    """
    if not records(quality):
        from helpers.present.page import absent

        return absent("stated figures to check", "no report states figures for this period")
    return Markdown(_e(words.quality_paragraph(records(quality))))


@dataclass(frozen=True)
class _Row:
    who: str
    what: str
    quote: str
    stated: str
    computed: str
    dates: str
    verdict: str
    flagged: bool
    anchor: str


def _who(record: Mapping[str, Any]) -> str:
    channel = " and ".join(words.channel_names(record))
    account = str(record.get("account") or "")
    return channel if account in ("", config.ALL_ACCOUNTS) else f"{channel}, {account}"


def _what(record: Mapping[str, Any]) -> str:
    what = words.metric_name(record)
    kind = _KIND_WORDS.get(str(record.get("kind")), str(record.get("kind")))
    return what if kind.casefold() in what.casefold() else f"{what}: {kind}"  # kind "": what


def _quote(record: Mapping[str, Any]) -> str:
    """What the source says; a commentary figure as the paper prints it ("4.7 million")."""
    quote = str(record.get("quote") or "")
    if record.get("kind") == "commentary" and record.get("stated") is not None:
        return re.sub(r"[\d,.]+$", formats.stated_figure(record), quote)
    return quote


def check_rows(quality: Records) -> list[_Row]:
    """One row per check: who and what, the claim as stated, the value computed, the verdict."""
    rows, anchored = [], set()
    for r in records(quality):
        first = str(r.get("channel") or "").split("+")[0]
        status = str(r.get("status") or "")
        rows.append(
            _Row(
                who=_who(r),
                what=_what(r),
                quote=_quote(r),
                stated=formats.stated_figure(r),
                computed=formats.computed_figure(r),
                dates=formats.dates(r["start"], r["end"]) if r.get("start") else "",
                verdict=_VERDICTS.get(status, status),
                flagged=status
                not in (QUALITY_OK, QUALITY_QUOTED, words.DEPENDS_ON_DATES, words.UNTESTED),
                anchor="" if first in anchored else first,
            )
        )
        anchored.add(first)
    return rows


def flagged_checks(quality: Records) -> Html | Markdown:
    """The stated figures that differ from the data, as a table (``table.flagged-checks``)."""
    if not records(quality):
        return None
    rows = [r for r in check_rows(quality) if r.flagged]
    if not rows:
        return Markdown("No stated figure differs from the data beyond rounding.")
    return render(_TEMPLATE, "flagged_checks", rows)


def quality_page_link(quality: Records) -> Markdown:
    """Where every stated figure is listed: ``quality.html`` beside the overview."""
    rows = records(quality)
    checked = words.checked(rows)
    if not rows:
        return None
    quoted = len(rows) - len(checked)
    also = f" and {quoted} figures quoted" if quoted else ""
    return Markdown(
        f"Every stated figure, with the dates used ({len(checked)} checks{also}), is on the "
        "[data-quality page](quality.html) of the HTML briefing."
    )


@dataclass
class OverviewRecord:
    """What ``overview.json`` holds: the paper's facts and key points (shown as one line)."""

    period: str
    period_label: str
    window_label: str
    key_points: list[str] = field(default_factory=list)
    decision: str | None = None
    issued: str | None = None
    contact: str | None = None
    latest: str | None = None
    paper_parts: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The record as ``overview.json`` stores it (the runner adds the page list)."""
        return {
            "period": self.period,
            "period_label": self.period_label,
            "window_label": self.window_label,
            "key_points": [str(p) for p in self.key_points],
            "decision": self.decision or None,
            "issued": self.issued or None,
            "contact": self.contact or None,
            "latest": self.latest or None,
            "paper_parts": [dict(p) for p in self.paper_parts],
        }

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        issued = formats.day(self.issued) if self.issued else "a draft"
        text = (
            f"Overview of {self.period_label}: {len(self.key_points)} key points, issued {issued}."
        )
        return {OVERVIEW_MIME: self.to_json(), "text/plain": text}


def latest_day(headlines: Records, period: str | None = None) -> str | None:
    """The last day any figure the pages show reaches (``YYYY-MM-DD``; None: no figure).

    Projections look ahead and are not figures of the period: they are left out. So is,
    given the ``period`` (``YYYY-MM``), a figure over a download's whole range that runs
    on after the period's last day (a year's top pages in a March paper), unless the
    pages show nothing else: it is labelled with its own range where it is shown.
    """
    ends = [
        str(r["end"])[:10]
        for r in records(headlines)
        if r.get("end") and str(r.get("measure")) != "projection"
    ]
    if period is not None:
        last = str(pd.Period(period, freq="M").end_time.date())
        ends = [e for e in ends if e <= last] or ends
    return max(ends) if ends else None


def paper_parts(notes: Any, period: str) -> Markdown | None:
    """The paper's closing parts the analysts wrote, each under its heading.

    Implications, links to the Police & Crime Plan, reasons why restricted,
    background documents and the contact for further information
    (:meth:`helpers.tidy.commentary.Commentary.paper_parts`), in that order; the board
    paper prints them after the channels, from ``overview.json``.

    Args:
        notes: The period's commentary (``inputs.commentary``).
        period: ``YYYY-MM``.

    Returns:
        Markdown (level-3 headings, plain text), or None when none is written.
    """
    parts = notes.paper_parts(period)
    if not parts:
        return None
    return Markdown("\n\n".join(f"### {escape(title)}\n\n{escape(text)}" for title, text in parts))


def overview_record(
    period: str,
    period_label: str,
    window_label: str,
    notes: Any,
    key_points: Sequence[str],
    headlines: Records = (),
) -> OverviewRecord:
    """The overview's record for ``overview.json``: key points and the paper's facts.

    Args:
        period: ``YYYY-MM``.
        period_label: The period in words.
        window_label: The window in words.
        notes: The period's commentary (``inputs.commentary``): its front matter gives
            the decision, date of issue, contact and closing parts (none given: a draft).
        key_points: The overview's key points, most important first.
        headlines: The pages' headline figures: the latest day they reach is what the
            front of the paper says the figures reach.

    Returns:
        The record (displays as one line; the page leaves it out).
    """
    return OverviewRecord(
        period=period,
        period_label=period_label,
        window_label=window_label,
        key_points=[str(p) for p in key_points if p],
        decision=" ".join(notes.decision(period).split()) or None,
        issued=notes.issued(period) or None,
        contact=" ".join(notes.contact(period).split()) or None,
        latest=latest_day(headlines, period),
        paper_parts=[{"title": t, "text": x} for t, x in notes.paper_parts(period)],
    )


@dataclass
class QualityRecords:
    """Every stated-figure check of the period, as ``quality.json`` stores them."""

    checks: pd.DataFrame

    def to_json(self) -> list[dict[str, Any]]:
        """The checks as JSON-ready records (:func:`helpers.measures.quality.quality_records`)."""
        return quality_records(self.checks)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        rows = self.to_json()
        differ = len(words.flagged_checks(rows))
        text = f"{len(rows)} stated-figure checks, {differ} flagged (all of them: checks)."
        return {QUALITY_MIME: {"records": rows}, "text/plain": text}


# --- the data-quality page -----------------------------------------------------------


def quality_page_table(quality: Records) -> Html | Markdown:
    """Every stated figure beside the value the data give (``table.data.quality``).

    The first row of each channel carries the channel as its id, so a channel page
    links to ``quality.html#itk``.
    """
    rows = check_rows(quality)
    if not rows:
        return Markdown("No figures stated in a report fall in this period.")
    return render(_TEMPLATE, "quality_table", rows)

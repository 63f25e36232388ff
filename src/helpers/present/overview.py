"""The period's front page in words: key points and the data-quality paragraph.

Built from the headline records the notebooks published (``headlines.json``) and
the reconciliation checks (``quality.json``), so every number comes from a figure
a channel page shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers.config import ALL_ACCOUNTS, AUDIENCE_METRIC, CHANNEL_SPECS, METRICS
from helpers.present import formats
from helpers.present.flows import flow_points

Record = Mapping[str, Any]
#: Accounts that add up others.
TOTALS = (ALL_ACCOUNTS, "Sum of accounts")
#: The audiences the front page follows, from the briefing specs.
_NOUNS = {(str(a.channel), str(a.metric)): a.noun for spec in CHANNEL_SPECS for a in spec.audiences}


def _pick(records: Sequence[Record], **where: object) -> list[Record]:
    return [r for r in records if all(r.get(k) == v for k, v in where.items())]


def twelve_months(headlines: Sequence[Record]) -> str:
    """Twelve-month growth of the audience totals that have it."""
    found = [
        (noun, r)
        for (channel, metric), noun in _NOUNS.items()
        for r in _pick(
            headlines,
            channel=channel,
            metric=metric,
            account=ALL_ACCOUNTS,
            measure="yoy_pct_change",
        )
    ]
    if not found:
        return ""
    pieces = [f"{noun} by {formats.percent(r['value'])}" for noun, r in found]
    months = formats.join(dict.fromkeys(formats.month(r["end"]) for _, r in found))
    return (
        f"Over the 12 months to {months}, {formats.join(pieces).replace(' by ', ' grew by ', 1)}."
    )


#: Account names as a sentence says them ("the specialist accounts").
_ACCOUNT_WORDS = {"Specialist": "the specialist accounts", "Cadets": "the cadets' page"}


def _account_words(account: str) -> str:
    return _ACCOUNT_WORDS.get(account, account)


def fastest_divisions(headlines: Sequence[Record], divisions: Sequence[str] = ()) -> list[str]:
    """The fastest-growing division of each audience, one key point each.

    A division is not called the fastest-growing when a force-wide account (the
    corporate page, the specialist accounts) grew faster over the same dates: those
    accounts are named first, and the fastest division in a sentence of its own.

    Args:
        headlines: The pages' headline records.
        divisions: The force's divisions (its profile); none: nothing to say.
    """
    points = []
    for (channel, metric), noun in _NOUNS.items():
        changes = [
            r
            for r in _pick(headlines, channel=channel, metric=metric, measure="pct_change")
            if r["account"] not in (ALL_ACCOUNTS, "Sum of accounts")
        ]
        local = [r for r in changes if r["account"] in divisions]
        if len(local) < 2:
            continue
        best = max(local, key=lambda r: r["value"])
        ahead = sorted(
            (
                r
                for r in changes
                if r["account"] not in divisions
                and (r["start"], r["end"]) == (best["start"], best["end"])
                and r["value"] > best["value"]
            ),
            key=lambda r: -r["value"],
        )
        when = formats.between(best["start"], best["end"])
        division = f"{best['account']} ({formats.percent(best['value'], signed=True)})"
        if ahead:
            others = formats.join(
                f"{_account_words(r['account'])} ({formats.percent(r['value'], signed=True)})"
                for r in ahead
            )
            points.append(
                f"{noun} grew fastest on {others} {when}, ahead of every division. "
                f"The fastest division was {division}."
            )
        else:
            points.append(f"{noun} grew fastest in {division} {when}.")
    return points


def engagement(headlines: Sequence[Record], divisions: Sequence[str] = ()) -> str:
    """The latest engagement rate by account of the first channel that has one, with its date.

    Args:
        headlines: The pages' headline records.
        divisions: The force's divisions: their pages are compared with the others.
    """
    rates = [
        r for r in _pick(headlines, measure="rate") if r["account"] not in TOTALS and r["value"]
    ]
    if not rates:
        return ""
    channel, metric = rates[0]["channel"], rates[0]["metric"]
    accounts = [r for r in rates if (r["channel"], r["metric"]) == (channel, metric)]
    what = f"{formats.channel_name(channel)} {formats.in_sentence(formats.metric_name(metric))}"
    what = what.replace(" rate", "")
    local = [r for r in accounts if r["account"] in divisions]
    others = [r for r in accounts if r["account"] not in divisions]
    day = formats.day(accounts[0]["end"])
    if local and others:
        low = min(others, key=lambda r: r["value"])
        return (
            f"{what} by account (latest figures, {day}): "
            f"{formats.percent(min(r['value'] for r in local), 0)}–"
            f"{formats.percent(max(r['value'] for r in local), 0)} of people reached on the "
            f"local division pages, against {formats.percent(low['value'], 0)} on the "
            f"{low['account']} page."
        )
    top = max(accounts, key=lambda r: r["value"])
    return (
        f"{what} by account (latest figures, {day}): highest {top['account']} "
        f"at {formats.percent(top['value'])}."
    )


def community(headlines: Sequence[Record]) -> str:
    """The digital community at the end of the period, saying which channels it counts."""
    rows = _pick(headlines, channel="all", metric="audience")
    if not rows:
        return ""
    r = rows[-1]
    audiences = {(str(c), str(m)) for c, m in AUDIENCE_METRIC.items()}
    counted = [
        formats.channel_name(c["channel"])
        for c in headlines
        if c.get("measure") == "value"
        and c.get("account") == ALL_ACCOUNTS
        and (c["channel"], c["metric"]) in audiences
        and c["end"] == r["end"]
        and c["start"] == r["start"]
    ]
    listed = f" ({formats.join(dict.fromkeys(counted))})" if counted else ""
    return (
        f"The digital community stood at {formats.count(r['value'])} on "
        f"{formats.day(r['end'])}{listed}."
    )


def visits(headlines: Sequence[Record]) -> str:
    """Sessions of a web property added up over a run of whole months."""
    rows = [
        r
        for r in _pick(headlines, metric="sessions", measure="sum")
        if r["start"][:7] != r["end"][:7]
    ]
    if not rows:
        return ""
    r = rows[0]
    return (
        f"The {formats.in_sentence(formats.channel_name(r['channel']))} had "
        f"{formats.count(r['value'])} sessions from {formats.dates(r['start'], r['end'])}."
    )


def key_points(
    headlines: Sequence[Record], divisions: Sequence[str] = (), period: str | None = None
) -> list[str]:
    """The front page's key points, most important first (at most seven).

    Audiences and their growth lead where the data give them; each channel's leading
    activity of the month follows (:func:`helpers.present.flows.flow_points`). No
    channel is named here: every point comes from the records and the channel registry.

    Args:
        headlines: The pages' headline records.
        divisions: The force's divisions (its profile).
        period: The reporting month ``YYYY-MM``: a figure that runs on after it (a
            download's year-long total) is no key point of the month.
    """
    if period:
        last = str(pd.Period(period, freq="M").end_time.date())
        headlines = [r for r in headlines if str(r["end"])[:10] <= last]
    points = [
        twelve_months(headlines),
        *fastest_divisions(headlines, divisions),
        engagement(headlines, divisions),
        community(headlines),
        visits(headlines),
        *flow_points(headlines, period=period),
    ]
    return [p for p in points if p][:7]


def channel_names(q: Record) -> list[str]:
    """The display names of a record's channels (``"facebook+twitter"`` gives two)."""
    return [formats.channel_name(c) for c in str(q.get("channel") or "").split("+") if c]


def metric_name(q: Record) -> str:
    """The display name of a record's metric (``""`` when it has none)."""
    metric = METRICS.get(str(q.get("metric")))
    return metric.label if metric else str(q.get("metric") or "").replace("_", " ")


#: What a check's kind adds to its figure's name in a sentence ("" where the metric says it).
_KIND_SUFFIX = {
    "pct_change": " % change",
    "abs_change": " change",
    "cmgr": " growth a month",
    "cross_table": " total",
    "total_of_accounts": " total",
    "total_of_channels": " total",
    "period_sum": " total of the months",
    "weighted_share": " share over the months",
    "saturation": " growth levelling off",
}


def check_label(q: Record) -> str:
    """What a stated figure is, for a sentence: ``"Facebook page likes % change, East"``.

    Args:
        q: A data-quality record (``channel``, ``metric``, ``kind``, ``account``).

    Returns:
        The channel (unless the metric's name says it), the metric, what the check's
        kind adds, and the account unless it stands for the whole channel.
    """
    name = metric_name(q) or "figure"
    channel = " and ".join(c for c in channel_names(q) if not name.startswith(c))
    label = f"{channel} {name}".strip() + _KIND_SUFFIX.get(str(q.get("kind")), "")
    account = q.get("account")
    return label if account in ("", ALL_ACCOUNTS, None) else f"{label}, {account}"


def _is_commentary(q: Record) -> bool:
    return str(q.get("check", "")).startswith("commentary_")


#: Status of a claim checked over dates its source does not give, that does not hold
#: over them (:data:`helpers.measures.quality.DEPENDS_ON_DATES`): not counted as differing.
DEPENDS_ON_DATES = "depends on the dates"
#: Status of a claim about growth the readings are too few to test
#: (:data:`helpers.measures.quality.UNTESTED`).
UNTESTED = "too few readings to test"
#: Statuses that are neither agreement nor a figure merely quoted or resting on dates.
_NOT_FLAGGED = frozenset({"ok", "quoted", DEPENDS_ON_DATES, UNTESTED})
#: What a paper says when no report had stated figures about its months by its end.
NO_CLAIMS = (
    "No report had stated figures about these months by the end of the period, so none "
    "were checked."
)


def checked(quality: Sequence[Record]) -> list[Record]:
    """The checks proper: every record but the commentary figures merely quoted."""
    return [q for q in quality if not (_is_commentary(q) and q.get("status") == "quoted")]


def _on_dates(quality: Sequence[Record]) -> list[Record]:
    return [q for q in quality if q.get("status") == DEPENDS_ON_DATES]


def _agree(n: int) -> str:
    """The verb after "n of the m figures": "1 of the 2 figures agrees"."""
    return "agrees" if n == 1 else "agree"


def _figures(n: int) -> str:
    return f"{formats.small_count(n)} figure{'' if n == 1 else 's'}"


def _is_statement(q: Record) -> bool:
    """A claim about growth (levelling off), not a figure."""
    return q.get("kind") == "saturation"


def quality_line(quality: Sequence[Record]) -> str:
    """One line on data quality for the front page (the detail is in the annex).

    How many of the report's figures agree, how many differ beyond rounding and how
    many rest on dates the report does not give; figures the commentary merely quotes
    and the report's view on growth are left to the annex.
    """
    claims = [q for q in quality if not _is_commentary(q) and not _is_statement(q)]
    flagged = flagged_checks(quality)
    dated = _on_dates(claims)
    if not claims:
        if flagged:
            return (
                f"Data quality: {_figures(len(flagged))} in the commentary "
                "differ from the data (listed in the annex)."
            )
        return NO_CLAIMS
    agree = sum(1 for q in claims if q.get("status") == "ok")
    if agree == len(claims):
        first = (
            "The one stated figure agrees with the data"
            if agree == 1
            else f"All {formats.small_count(agree)} stated figures agree with the data"
        )
    else:
        first = f"{agree} of the {len(claims)} stated figures {_agree(agree)} with the data"
    rest = []
    if flagged:
        rest.append(f"{len(flagged)} differ{'s' if len(flagged) == 1 else ''} beyond rounding")
    if dated:
        rest.append(
            f"{formats.small_count(len(dated))} rest{'s' if len(dated) == 1 else ''} on dates "
            "the report does not give"
        )
    if not rest:
        return f"Data quality: {first}."
    where = "listed" if len(rest) == 1 else "both listed"
    return f"Data quality: {first}; {formats.join(rest)} ({where} in the annex)."


def quality_paragraph(quality: Sequence[Record]) -> str:
    """One short paragraph: slips in the report itself, then claims that rest on dates."""
    quoted = [q for q in quality if _is_commentary(q)]
    statements = [q for q in quality if _is_statement(q)]
    quality = [q for q in quality if q not in quoted and q not in statements]
    tail = " ".join(s for s in (_statement_sentence(statements), _commentary_sentence(quoted)) if s)
    if not quality:
        return tail or NO_CLAIMS
    return " ".join(s for s in (_claims_paragraph(quality), tail) if s)


def _statement_sentence(statements: Sequence[Record]) -> str:
    """The report's view on growth levelling off, against the test of the readings."""
    if not statements:
        return ""
    first = statements[0]
    quote = str(first.get("quote") or "").rstrip(".")
    when = formats.dates(first["start"], first["end"])
    if all(q.get("status") == UNTESTED for q in statements):
        return (
            f"The report's view, \u201c{quote}\u201d, cannot be tested on the monthly readings "
            f"from {when}: there are too few (at least six are needed)."
        )
    verdicts = formats.join(
        f"{formats.channel_name(str(q.get('channel')))} {formats.computed_figure(q)}"
        for q in statements
    )
    return (
        f"The report's view, \u201c{quote}\u201d, tested on the readings from {when}: {verdicts}."
    )


def _commentary_sentence(figures: Sequence[Record]) -> str:
    if not figures:
        return ""
    quoted = [q for q in figures if q.get("status") == "quoted"]
    tested = [q for q in figures if q not in quoted]
    sentences = []
    if quoted:
        sentences.append(
            f"{len(quoted)} figures in the commentary are quoted from the report itself: "
            "they have no independent source, so they are quoted, not checked."
        )
    differ = [q for q in tested if q.get("status") != "ok"]
    if differ:
        sentences.append(
            f"{len(differ)} of the {len(tested)} commentary figures with a source of their "
            "own differ from it (see the data-quality page)."
        )
    elif tested:
        sentences.append(
            f"The {len(tested)} commentary figures with a source of their own agree with it."
        )
    return " ".join(sentences)


def _claims_paragraph(quality: Sequence[Record]) -> str:
    own = [q for q in quality if q.get("status") == "differs"]
    dated = _on_dates(quality)
    agree = sum(1 for q in quality if q.get("status") == "ok")
    if agree == len(quality):
        if agree == 1:
            return "The one stated figure agrees with the table it comes from."
        return (
            f"All {formats.small_count(agree)} stated figures agree with the tables they come from."
        )
    sentences = [
        f"{agree} of {len(quality)} stated figures {_agree(agree)} with the tables they come from."
    ]
    if own:
        own = sorted(
            own, key=lambda q: (q.get("kind") != "cross_table", q.get("comparison") != "equal")
        )
        shown = [
            f"{check_label(q)}: {formats.stated_figure(q)} stated against "
            f"{formats.computed_figure(q)}"
            for q in own
        ]
        sentences.append("Where they differ, the differences are small: " + "; ".join(shown) + ".")
    if dated:
        sentences.append(_dates_sentence(quality, dated))
    return " ".join(sentences)


def _dates_sentence(quality: Sequence[Record], dated: Sequence[Record]) -> str:
    """The claims that rest on dates the report does not give, each over the dates used."""
    said = []
    for quote in dict.fromkeys(str(q.get("quote") or "") for q in dated):
        same = [
            q for q in quality if str(q.get("quote") or "") == quote and q.get("dates") == "assumed"
        ]
        first = same[0]
        each = formats.join(
            f"{check_label(q)} {formats.computed_figure(q)}"
            + (", which agrees" if q.get("status") == "ok" else "")
            for q in same
        )
        said.append(
            f"\u201c{quote}\u201d, over {formats.dates(first['start'], first['end'])}: {each}"
        )
    return (
        "The report gives no dates for these, so they are judged over the dates shown and "
        "not counted as differing: " + "; ".join(said) + "."
    )


#: What each kind of figure on the pages means, in plain words (for the annex).
_METHODS: dict[str, str] = {
    "value": "Levels (likes, followers, registered users, sessions) are the figures as "
    "recorded on the day or for the month shown beside them; nothing is estimated.",
    "pct_change": "Growth between two readings is the percentage change from the first "
    "reading to the last, each dated; a by-account table compares the same two days for "
    "every account.",
    "yoy_pct_change": "Twelve-month growth compares the latest reading with the reading "
    "of the same month a year earlier.",
    "cmgr": "Growth a month is the compound monthly rate that turns the first reading "
    "into the last over the months between them.",
    "mom_pct_change": "Month-on-month growth compares a month's reading with the one a "
    "month before.",
    "change_per_month": "Whether growth is slowing is tested, and a projection made, only "
    "from at least six monthly readings (a curve that levels off is compared with steady "
    "growth); with fewer, the pages say it is too early to tell and show no projection.",
    "rate": "Engagement rate is the people who engaged with a page's posts (liked, "
    "commented, shared or clicked) divided by the people reached, for the same month.",
    "share": "Shares (devices, traffic sources, pages) are each segment's percentage of "
    "the total; over several months they are weighted by each month's sessions or views.",
    "per_1000": "Per 1,000 residents divides a division's count by its usual residents in "
    "the 2011 Census; likes and followers are counted once per page, so a person who "
    "follows two pages counts twice.",
    "sum": "Totals over several months add the months; unique users are counted once "
    "over the whole period by the analytics service, so they are less than the sum of "
    "the months.",
    "quoted": "Figures in the Media and Engagement team's text are quoted as they were "
    "reported, with their own dates, or 'as reported on' a day when the source gives none.",
}


def method_notes(headlines: Sequence[Record]) -> list[str]:
    """How the kinds of figure the pages show were worked out, one sentence each.

    Args:
        headlines: The period's headline records (only the measures they use are
            explained).

    Returns:
        Plain-text sentences, in the order of :data:`_METHODS`.
    """
    used = {str(r.get("measure")) for r in headlines}
    return [text for measure, text in _METHODS.items() if measure in used]


def flagged_checks(quality: Sequence[Record]) -> list[Record]:
    """The checks that did not agree (stated figures that differ, figures not found).

    A claim that rests on dates its source does not give is not among them.
    """
    return [q for q in checked(quality) if q.get("status") not in _NOT_FLAGGED]

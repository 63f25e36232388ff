"""Eastmere Constabulary: a fictional force's 13 months of platform exports (the second example).

The embedded data is Lancashire's 2015 report; this is the other kind a force has: what
its analysts download each month from today's platforms. ``generate`` writes, for
November 2025 to November 2026, one folder per month as an analyst would place the
downloads, each file named and shaped as the platform writes it::

    OUT/raw/force.yml                      the force profile (name, divisions, sites, pages)
    OUT/raw/exports/accounts.yml           the account mapping the files need
    OUT/raw/exports/2026-11/ga4/           GA4 Reports snapshot, Pages and screens, Tech
                                           details (device) and an Explore download (per day)
    OUT/raw/exports/2026-11/meta/          Business Suite content exports: the corporate page
                                           and one page per division, the Instagram account
    OUT/raw/exports/2026-11/meta/overview/ overview charts (UTF-16): reach, views, content
                                           interactions, link clicks
    OUT/raw/exports/2026-11/x/<handle>/    X account overview (corporate), content exports
                                           (one account per division)
    OUT/raw/exports/2026-11/youtube/Content 2026-11-01_2026-11-30 Eastmere Police/
                                           Studio's Table data, Chart data and Totals
    OUT/raw/exports/2026-11/neighbourhood_alert/
                                           the In the Know member export (a full list: only
                                           the latest is kept, in the latest month)
    OUT/expected.json                      what the files hold, per month (outside raw/)

The figures grow, follow the seasons and carry noise, so that month-on-month and
year-on-year changes show; the same seed writes the same files. Everything is
invented: the force, its towns, the posts and videos, and the members of the
member export (made-up names, ``@example.invalid`` addresses, ``07700 900xxx``
numbers, postcodes in ``EM``, which is no UK postcode area).

Two downloads of one account can give the same tidy series: a Business Suite content
export's views, interactions and link clicks (per day posted) and the overview charts'
(per day); an X content export and the account overview. The readers would keep one
file's values and report the other's as an overlap, so each series has one source here:
the corporate page's content exports leave those columns out (Business Suite lets one
choose them), the corporate X account gives its overview, each division account its
content export.

``expected.json`` (and :attr:`ExampleForce.expected`) holds, per channel, account,
metric, segment, span (``day``: rows of one day; ``month``: rows over the month) and
month, the sum of the values the tidy table should hold (``how: sum``), or for the
members the count at the month's end (``how: end``). It is worked out from the values
written, file by file, as the readers read them.

Run it outside ``data/raw/``::

    python -m tools.example_force data/example [--seed 1]
    make example                  # the same, then the latest month's briefing
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config

FORCE = "Eastmere Constabulary"
DIVISIONS = ("North", "Central", "South")
CORPORATE = "Eastmere Police"
SITE = "eastmere.police.uk"
PROPERTY = f"{SITE} - GA4"
FIRST_MONTH, LAST_MONTH = "2025-11", "2026-11"
MONTHS = pd.period_range(FIRST_MONTH, LAST_MONTH, freq="M")
DAYS = pd.date_range(MONTHS[0].start_time, MONTHS[-1].end_time.normalize(), freq="D")

#: Facebook page name -> canonical account.
FACEBOOK_PAGES = {CORPORATE: CORPORATE, **{f"{CORPORATE} {d}": d for d in DIVISIONS}}
INSTAGRAM_USER = "eastmerepolice"
#: X handle -> canonical account (the corporate account's overview is mapped by path).
X_HANDLES = {"EastmerePolice": CORPORATE, **{f"Eastmere{d}": d for d in DIVISIONS}}
#: Neighbourhood (as members choose it) -> division.
AREAS = {
    "Fenholt": "North",
    "Carrow Ness": "North",
    "Northwold": "North",
    "Eastmere City Centre": "Central",
    "Ludgate Vale": "Central",
    "Harbour Side": "Central",
    "Sallowby": "South",
    "Marsh Tey": "South",
    "Brackenhurst": "South",
}
TOWNS = list(AREAS)

_CHANNEL_GROUPS = (
    "Organic Search", "Direct", "Organic Social", "Referral", "Email", "Unassigned",
)  # fmt: skip
_COUNTRIES = ("GB", "IE", "US", "FR", "DE", "ES", "PL", "IN")
_DEVICES = ("mobile", "desktop", "tablet")
_PAGES = (
    ("/", "Eastmere Constabulary"),
    ("/report", "Report a crime or incident | Eastmere Constabulary"),
    ("/news", "News | Eastmere Constabulary"),
    ("/appeals", "Appeals | Eastmere Constabulary"),
    ("/contact", "Contact us | Eastmere Constabulary"),
    ("/report/road-traffic-collision", "Report a road traffic collision | Eastmere Constabulary"),
    ("/report/anti-social-behaviour", "Report anti-social behaviour | Eastmere Constabulary"),
    ("/report/lost-property", "Lost or found property | Eastmere Constabulary"),
    ("/your-area/north", "North division | Eastmere Constabulary"),
    ("/your-area/central", "Central division | Eastmere Constabulary"),
    ("/your-area/south", "South division | Eastmere Constabulary"),
    ("/in-the-know", "Join In the Know | Eastmere Constabulary"),
    ("/careers", "Join us | Eastmere Constabulary"),
    ("/careers/police-constable", "Become a police constable | Eastmere Constabulary"),
    ("/firearms-licensing", "Firearms licensing | Eastmere Constabulary"),
    ("/request-information", "Request information | Eastmere Constabulary"),
    ("/advice/fraud", "Fraud and scams advice | Eastmere Constabulary"),
    ("/advice/burglary", "Protect your home | Eastmere Constabulary"),
    ("/advice/road-safety", "Road safety | Eastmere Constabulary"),
    ("/complaints", "Make a complaint | Eastmere Constabulary"),
)
_POST_TOPICS = (
    "Appeal for witnesses after a collision near {town}",
    "Can you help? We are appealing for information about a burglary in {town}",
    "Our {town} neighbourhood team is holding a street surgery this week",
    "Road safety: our officers were out with speed checks in {town}",
    "Thank you for sharing: the person reported missing from {town} has been found safe",
    "Fraud warning: residents of {town} have reported calls from people posing as bank staff",
    "Meet the officers who look after {town}",
    "Drop-in crime prevention advice at {town} library",
    "Join In the Know for messages about crime and safety in {town}",
    "Arrest made after a week of patrols in {town}",
)
_VIDEO_TOPICS = (
    "Appeal: have you seen this van?",
    "A day with the dog section",
    "Road safety: the fatal four",
    "Meet your neighbourhood team",
    "Careers: becoming a police constable",
    "How to report anti-social behaviour online",
    "Protect your bike from theft",
    "Inside the control room",
    "Scam calls: what your bank will never ask",
    "Keeping safe on a night out",
)
_STREETS = ("Mill Lane", "Station Road", "Church Street", "Marsh Road", "The Green", "Quay Street")
_FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Casey", "Morgan", "Robin", "Jamie", "Taylor", "Charlie", "Avery",
    "Rowan", "Quinn", "Hayden", "Emerson", "Reese", "Sasha", "Kit", "Frankie", "Lee", "Jude",
)  # fmt: skip
_LAST_NAMES = (
    "Ashdown", "Brackley", "Calloway", "Denholm", "Ellery", "Fenwick", "Garside", "Halloway",
    "Inskip", "Jessop", "Kettering", "Lindley", "Marlow", "Northam", "Oakley", "Pennock",
)  # fmt: skip


@dataclass
class ExampleForce:
    """What :func:`generate` wrote.

    Attributes:
        out: The folder written (``raw/`` and ``expected.json`` inside it).
        seed: The random seed.
        files: Every file written under ``raw/`` (POSIX paths relative to ``raw/``).
        expected: One row per ``channel, account, metric, segment, span, month`` with
            ``value`` and ``how`` (``sum`` of the rows, or ``end``: the last day's value).
    """

    out: Path
    seed: int
    files: list[str] = field(default_factory=list)
    expected: pd.DataFrame = field(default_factory=pd.DataFrame)

    def value(
        self,
        channel: str,
        account: str,
        metric: str,
        month: str,
        *,
        segment: str = "",
        span: str = "day",
    ) -> float:
        """The expected figure of one series in one month (``KeyError`` if none)."""
        e = self.expected
        hit = e[
            (e["channel"] == channel)
            & (e["account"] == account)
            & (e["metric"] == metric)
            & (e["month"] == month)
            & (e["segment"] == segment)
            & (e["span"] == span)
        ]
        if hit.empty:
            raise KeyError((channel, account, metric, month, segment, span))
        return float(hit["value"].iloc[0])


_ROW_COLUMNS = ("start", "end", "channel", "account", "segment", "metric", "value")


class _Rows:
    """The tidy rows the files should give (start, end, channel, account, segment, metric)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {c: [] for c in _ROW_COLUMNS}

    def add(
        self,
        start: pd.DatetimeIndex | pd.Timestamp,
        end: pd.DatetimeIndex | pd.Timestamp,
        channel: str,
        account: str,
        metric: str,
        values: np.ndarray | pd.Series | float,
        segment: np.ndarray | str = "",
    ) -> None:
        """Rows of one series (an empty cell, NaN, gives no row)."""
        values = np.atleast_1d(np.asarray(values, dtype=float))
        keep = ~np.isnan(values)
        columns = {
            "start": np.asarray(start, dtype="datetime64[ns]"),
            "end": np.asarray(end, dtype="datetime64[ns]"),
            "channel": channel,
            "account": account,
            "segment": np.asarray(segment, dtype=object),
            "metric": metric,
            "value": values,
        }
        for name, column in columns.items():
            self.parts[name].append(np.broadcast_to(np.asarray(column), values.shape)[keep])

    def over(
        self, month: _Month, channel: str, account: str, metric: str, pairs: Iterable[tuple]
    ) -> None:
        """Rows over the whole month: ``(segment, value)`` pairs."""
        segments, values = zip(*pairs, strict=True)
        segment = np.array(segments, dtype=object)
        self.add(month.first, month.last, channel, account, metric, np.array(values), segment)

    def monthly(self) -> pd.DataFrame:
        """Per series and month: the sum of the rows, or the members at the month's end."""
        return monthly_totals(pd.DataFrame({c: np.concatenate(v) for c, v in self.parts.items()}))


def monthly_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Tidy rows (``start, end, channel, account, segment, metric, value``) per month.

    Rows of one day have the span ``day``; rows over a whole month ``month`` (the
    example writes no other). ``registered_users`` (members, a level) is the value on
    the month's last day with a row (``how: end``); every other metric is summed.

    Raises:
        ValueError: For a row that is neither one day nor one whole month.
    """
    start, end = pd.to_datetime(rows["start"]), pd.to_datetime(rows["end"])
    one_day = start == end
    whole_month = (start.dt.day == 1) & (end == start + pd.offsets.MonthEnd(0))
    if not (one_day | whole_month).all():
        bad = rows[~(one_day | whole_month)].iloc[0]
        raise ValueError(f"a row that is neither one day nor one month: {dict(bad)}")
    keys = ["channel", "account", "metric", "segment", "span", "month"]
    frame = rows.assign(
        span=np.where(one_day, "day", "month"), month=start.dt.strftime("%Y-%m"), _end=end
    ).sort_values("_end", kind="stable")
    level = frame["metric"] == "registered_users"
    sums = frame[~level].groupby(keys, as_index=False)["value"].sum().assign(how="sum")
    ends = frame[level].groupby(keys, as_index=False)["value"].last().assign(how="end")
    out = pd.concat([sums, ends], ignore_index=True)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


# --- writing ------------------------------------------------------------------


class _Writer:
    """Writes files under ``raw/`` and keeps their list."""

    def __init__(self, raw: Path) -> None:
        self.raw = raw
        self.files: list[str] = []

    def text(self, relpath: str, text: str, *, encoding: str = "utf-8", bom: bool = False) -> None:
        path = self.raw / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode(encoding)
        if bom:
            data = ("\ufeff".encode(encoding)) + data
        path.write_bytes(data)
        self.files.append(relpath)


def _csv(rows: list[list], *, newline: str = "\n", quote_spaces: bool = False) -> str:
    """CSV text; ``quote_spaces`` quotes every cell holding a space (as Meta and X do)."""
    if quote_spaces:
        return "".join(
            ",".join(_quoted(c) if any(ch in str(c) for ch in ' ,"\n') else str(c) for c in row)
            + newline
            for row in rows
        )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def _quoted(cell: object) -> str:
    return '"' + str(cell).replace('"', '""') + '"'


# --- the shape of the figures ---------------------------------------------------


def _level(
    rng: np.random.Generator,
    base: float,
    *,
    growth: float,
    season: float,
    peak: int,
    weekend: float = 1.0,
    noise: float = 0.15,
) -> np.ndarray:
    """A daily level: yearly growth, a seasonal wave peaking in month ``peak``, noise.

    A few days of news (an appeal that is shared widely) lift it two- to fourfold.
    """
    years = np.asarray((DAYS - DAYS[0]).days, dtype=float) / 365.25
    wave = 1 + season * np.cos(2 * np.pi * (DAYS.day_of_year.to_numpy() - 30.4 * peak + 15) / 365)
    week = np.where(DAYS.day_of_week.to_numpy() >= 5, weekend, 1.0)
    news = np.ones(len(DAYS))
    news[rng.choice(len(DAYS), size=8, replace=False)] = rng.uniform(2.0, 4.0, 8)
    return base * (1 + growth) ** years * wave * week * news * rng.lognormal(0, noise, len(DAYS))


def _counts(rng: np.random.Generator, level: np.ndarray) -> np.ndarray:
    """Whole counts around a level."""
    return rng.poisson(np.maximum(level, 0)).astype(np.int64)


def _split(rng: np.random.Generator, total: int, shares: np.ndarray) -> np.ndarray:
    """``total`` split into parts near ``shares`` (the parts add up to ``total``)."""
    return rng.multinomial(int(total), shares / shares.sum())


def _town(rng: np.random.Generator, account: str) -> str:
    """A town a post of ``account`` is about: its division's, or any for the force's."""
    towns = [t for t, d in AREAS.items() if d == account] or TOWNS
    return towns[int(rng.integers(len(towns)))]


def _topic(rng: np.random.Generator, account: str) -> str:
    return _POST_TOPICS[int(rng.integers(len(_POST_TOPICS)))].format(town=_town(rng, account))


@dataclass(frozen=True)
class _Month:
    """One month of the example: its days (positions in :data:`DAYS` and dates)."""

    period: pd.Period

    @property
    def at(self) -> np.ndarray:
        return np.flatnonzero((self.first <= DAYS) & (self.last >= DAYS))

    @property
    def days(self) -> pd.DatetimeIndex:
        return DAYS[self.at]

    @property
    def first(self) -> pd.Timestamp:
        return self.period.start_time

    @property
    def last(self) -> pd.Timestamp:
        return self.period.end_time.normalize()

    @property
    def folder(self) -> str:
        """Where the analyst puts the month's downloads."""
        return f"exports/{self.period}"


def _posts_per_day(rng: np.random.Generator, month: _Month, rate: np.ndarray) -> pd.DatetimeIndex:
    """The day of each post of a month (at least one post)."""
    days = DAYS[np.repeat(month.at, rng.poisson(rate[month.at]))]
    if not len(days):
        raise ValueError(f"a month without posts ({month.period}): try another seed")
    return days


def _around(rng: np.random.Generator, level: np.ndarray, days: pd.DatetimeIndex, spread: float):
    """Per post: a whole figure around the day's ``level`` (at least 1)."""
    typical = level[DAYS.get_indexer(days)]
    return np.maximum(1, np.round(typical * rng.lognormal(0, spread, len(days)))).astype(np.int64)


def _ids(rng: np.random.Generator, first: int, count: int, step: int) -> np.ndarray:
    """Increasing ids from ``first``, as platforms number posts in time order."""
    return first + np.cumsum(rng.integers(step // 100, step, count))


# --- Google Analytics 4 ------------------------------------------------------------------


@dataclass
class _Site:
    """The website's daily figures and how they split."""

    sessions: np.ndarray
    users: np.ndarray
    new_users: np.ndarray
    views: np.ndarray
    engaged: np.ndarray
    channels: np.ndarray = field(default_factory=lambda: np.array([46, 29, 10, 8, 5, 2.0]))
    countries: np.ndarray = field(default_factory=lambda: np.array([90, 3, 2.5, 1, 1, 1, 0.8, 0.7]))
    devices: np.ndarray = field(default_factory=lambda: np.array([66, 30, 4.0]))
    pages: np.ndarray = field(default_factory=lambda: np.ones(len(_PAGES)))


def _ga4_preamble(report: str, month: _Month, *, names_property: bool = True) -> list[str]:
    lines = ["# ----------------------------------------", f"# {report}"]
    if names_property:
        lines += [f"# Account: {FORCE}", f"# Property: {PROPERTY}"]
    lines += ["# ----------------------------------------", "# ", "# All Users"]
    return [*lines, f"# Start date: {month.first:%Y%m%d}", f"# End date: {month.last:%Y%m%d}"]


def _ga4_file(writer: _Writer, path: str, preamble: list[str], rows: list[list]) -> None:
    """A GA4 download: its ``#`` preamble, then the table (CRLF, as GA4 writes them)."""
    writer.text(path, "\r\n".join(preamble) + "\r\n" + _csv(rows, newline="\r\n"))


def _by_value(item: tuple) -> object:
    """Sort key: the largest value first (as GA4 lists a card's rows)."""
    return -item[1]


def _ga4(rng: np.random.Generator, writer: _Writer, rows: _Rows) -> None:
    """Per month: Reports snapshot, Pages and screens, Tech details, an Explore download."""
    sessions = _counts(rng, _level(rng, 8_600, growth=0.12, season=0.12, peak=1, weekend=0.7))
    users = rng.binomial(sessions, 0.74)
    site = _Site(
        sessions=sessions,
        users=users,
        new_users=rng.binomial(users, 0.66),
        views=sessions + rng.binomial(sessions * 2, 0.62),
        engaged=rng.binomial(sessions, 0.58),
        pages=rng.dirichlet(np.geomspace(30, 1, len(_PAGES)) * 20),  # the home page first
    )
    for period in MONTHS:
        month = _Month(period)
        page_views = _split(rng, site.views[month.at].sum(), site.pages)
        _ga4_snapshot(rng, writer, rows, month, site, page_views)
        _ga4_pages(rng, writer, rows, month, page_views)
        _ga4_devices(rng, writer, rows, month, site)
        _ga4_explore(writer, rows, month, site)


def _ga4_snapshot(
    rng: np.random.Generator,
    writer: _Writer,
    rows: _Rows,
    month: _Month,
    site: _Site,
    page_views: np.ndarray,
) -> None:
    """The Reports snapshot: by Nth day, then the cards over the month.

    Each card is (the line above its dates: a title, ``#`` or none; header; rows).
    """
    at = month.at
    nth = [f"{i:04d}" for i in range(len(at))]
    first_groups = [_CHANNEL_GROUPS[i] for i in (1, 0, 2, 3, 4, 5)]  # Direct leads
    by_first = _split(rng, site.new_users[at].sum(), site.channels[[1, 0, 2, 3, 4, 5]])
    by_session = _split(rng, site.sessions[at].sum(), site.channels)
    by_country = _split(rng, int(site.users[at].sum() * 0.93), site.countries)
    by_title = sorted(zip((t for _, t in _PAGES), page_views, strict=True), key=_by_value)[:10]
    week = pd.Series(site.users[at]).rolling(7, min_periods=1).sum().astype(int).to_numpy()
    countries = list(zip(_COUNTRIES, by_country, strict=True))
    cards = [
        (None, "Nth day,Active users", zip(nth, site.users[at], strict=True)),
        (None, "Nth day,New users", zip(nth, site.new_users[at], strict=True)),
        (None, "Nth day,Average engagement time per active user",
         zip(nth, map(repr, rng.uniform(35, 75, len(at))), strict=True)),
        (None, "Nth day,Total revenue", ((n, 0) for n in nth)),
        ("# Where do your new users come from?",
         "First user primary channel group (Default Channel Group),New users",
         sorted(zip(first_groups, by_first, strict=True), key=_by_value)),
        ("# ", "Session primary channel group (Default Channel Group),Sessions",
         sorted(zip(_CHANNEL_GROUPS, by_session, strict=True), key=_by_value)),
        ("# ", "Country ID,Active users", sorted(countries)),
        (None, "Country,Active users", sorted(countries, key=_by_value)),  # read once
        ("# How are active users trending?", "Nth day,30 days,7 days,1 day",
         zip(nth, week * 4, week, site.users[at], strict=True)),
        ("# ", "Page title and screen class,Views", by_title),
    ]  # fmt: skip
    text = _ga4_preamble("Reports snapshot", month)
    for number, (above, header, body) in enumerate(cards):
        if number:
            text += ["", *([above] if above else [])]
            text += [f"# Start date: {month.first:%Y%m%d}", f"# End date: {month.last:%Y%m%d}"]
        text += [header, *(_csv([list(row)], newline="").rstrip() for row in body)]
    writer.text(f"{month.folder}/ga4/Reports_snapshot.csv", "\r\n".join(text) + "\r\n")
    rows.add(month.days, month.days, "website", SITE, "users", site.users[at])
    rows.add(month.days, month.days, "website", SITE, "new_users", site.new_users[at])
    rows.over(month, "website", SITE, "new_users", zip(first_groups, by_first, strict=True))
    rows.over(month, "website", SITE, "sessions", zip(_CHANNEL_GROUPS, by_session, strict=True))
    rows.over(month, "website", SITE, "users", countries)
    rows.over(month, "website", SITE, "pageviews", by_title)


def _ga4_pages(
    rng: np.random.Generator, writer: _Writer, rows: _Rows, month: _Month, page_views: np.ndarray
) -> None:
    """Pages and screens: every page, by views."""
    page_users = np.maximum(1, (page_views * rng.uniform(0.45, 0.8, len(_PAGES))).astype(int))
    header = ["Page path and screen class", "Views", "Active users", "Views per active user",
              "Average engagement time per active user", "Event count", "Key events",
              "Total revenue"]  # fmt: skip
    order = np.argsort(-page_views, kind="stable")
    table = [
        [_PAGES[i][0], page_views[i], page_users[i], page_views[i] / page_users[i],
         rng.uniform(20, 140), page_views[i] * 3 + page_users[i], 0, 0]
        for i in order
    ]  # fmt: skip
    _ga4_file(
        writer,
        f"{month.folder}/ga4/Pages_and_screens_Page_path_and_screen_class.csv",
        _ga4_preamble("Pages and screens: Page path and screen class", month),
        [header, *table],
    )
    paths = [path for path, _ in _PAGES]
    rows.over(month, "website", SITE, "pageviews", zip(paths, page_views, strict=True))
    rows.over(month, "website", SITE, "users", zip(paths, page_users, strict=True))


def _ga4_devices(
    rng: np.random.Generator, writer: _Writer, rows: _Rows, month: _Month, site: _Site
) -> None:
    """Tech details by device category."""
    at = month.at
    users = _split(rng, site.users[at].sum(), site.devices)
    new = _split(rng, site.new_users[at].sum(), site.devices)
    engaged = _split(rng, site.engaged[at].sum(), site.devices)
    header = ["Device category", "Active users", "New users", "Engaged sessions",
              "Engagement rate", "Engaged sessions per active user",
              "Average engagement time per active user", "Event count", "Key events",
              "Total revenue"]  # fmt: skip
    table = [
        [d, u, n, e, e / max(u * 1.3, 1), e / max(u, 1), rng.uniform(30, 80), u * 9, 0, 0]
        for d, u, n, e in zip(_DEVICES, users, new, engaged, strict=True)
    ]
    _ga4_file(
        writer,
        f"{month.folder}/ga4/Tech_details_Device_category.csv",
        _ga4_preamble("Tech details: Device category", month),
        [header, *table],
    )
    rows.over(month, "website", SITE, "users", zip(_DEVICES, users, strict=True))
    rows.over(month, "website", SITE, "new_users", zip(_DEVICES, new, strict=True))


def _ga4_explore(writer: _Writer, rows: _Rows, month: _Month, site: _Site) -> None:
    """An exploration (free form, sessions and views by date): it names no property."""
    at = month.at
    sessions, views, engaged = site.sessions[at], site.views[at], site.engaged[at]
    table = [
        [f"{d:%Y%m%d}", s, v, e, round(e / s, 7)]
        for d, s, v, e in zip(month.days, sessions, views, engaged, strict=True)
    ]
    total = ["", sessions.sum(), views.sum(), engaged.sum(),
             round(engaged.sum() / sessions.sum(), 7), "Grand total"]  # fmt: skip
    _ga4_file(
        writer,
        f"{month.folder}/ga4/explore/Sessions_by_day.csv",
        _ga4_preamble("Sessions by day", month, names_property=False),
        [["Date", "Sessions", "Views", "Engaged sessions", "Engagement rate"], *table, total],
    )
    rows.add(month.days, month.days, "website", SITE, "sessions", sessions)
    rows.add(month.days, month.days, "website", SITE, "pageviews", views)


# --- Meta Business Suite ----------------------------------------------------------


_FACEBOOK_FULL = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
    "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share", "Post type",
    "Languages", "Custom labels", "Funded content status", "Data comment", "Date", "Views",
    "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Total clicks", "Link Clicks", "Other Clicks",
]  # fmt: skip
#: The corporate page's export, its columns chosen so that views, interactions and link
#: clicks come from the overview charts only (both would give the same tidy series).
_FACEBOOK_CHOSEN = [
    c
    for c in _FACEBOOK_FULL
    if c not in ("Views", "Reactions, Comments and Shares", "Link Clicks", "Other Clicks")
]
#: The Instagram export, without ``Views`` for the same reason.
_INSTAGRAM = [
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date",
    "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
]  # fmt: skip
#: File column -> tidy metric, as the Business Suite reader reads them.
_META_METRICS = {
    "facebook": {
        "Views": "views",
        "Reach": "post_reach",
        "Reactions, Comments and Shares": "engagements",
        "Comments": "comments",
        "Shares": "shares",
        "Link Clicks": "link_clicks",
    },
    "instagram": {
        "Reach": "post_reach",
        "Likes": "likes",
        "Comments": "comments",
        "Shares": "shares",
    },
}
#: The overview charts: tidy metric -> the file's name (and the chart's, after the platform).
_OVERVIEW = {
    "reach": "Reach",
    "views": "Views",
    "engagements": "Content interactions",
    "link_clicks": "Link clicks",
}


@dataclass(frozen=True)
class _Page:
    """A Facebook page or the Instagram account: how often it posts, how far posts reach."""

    kind: str
    name: str
    account: str
    page_id: str
    rate: np.ndarray
    reach: np.ndarray

    @property
    def header(self) -> list[str]:
        if self.kind == "instagram":
            return _INSTAGRAM
        return _FACEBOOK_CHOSEN if self.account == CORPORATE else _FACEBOOK_FULL


def _meta(rng: np.random.Generator, writer: _Writer, rows: _Rows) -> None:
    """Facebook pages, the Instagram account and the corporate overview charts."""
    pages = []
    for i, (name, account) in enumerate(FACEBOOK_PAGES.items()):
        big = account == CORPORATE  # the corporate page posts more, and further
        rate = _level(rng, 3.2 if big else 1.1, growth=0.05, season=0.1, peak=7, weekend=0.6)
        reach = _level(rng, 5_200 if big else 1_300, growth=0.22, season=0.18, peak=8, noise=0.2)
        pages.append(
            _Page("facebook", name, account, f"1000{742018 + 9_337 * i:011d}", rate, reach)
        )
    pages.append(
        _Page(
            "instagram",
            INSTAGRAM_USER,
            CORPORATE,
            "17841407705231964",
            _level(rng, 0.8, growth=0.15, season=0.1, peak=7, noise=0.1),
            _level(rng, 1_700, growth=0.35, season=0.2, peak=7, noise=0.2),
        )
    )
    charts = {
        ("facebook", "reach"): _level(rng, 14_000, growth=0.18, season=0.15, peak=8),
        ("facebook", "views"): _level(rng, 38_000, growth=0.2, season=0.15, peak=8),
        ("facebook", "engagements"): _level(rng, 900, growth=0.12, season=0.2, peak=8, noise=0.25),
        ("facebook", "link_clicks"): _level(rng, 310, growth=0.1, season=0.1, peak=1, noise=0.3),
        ("instagram", "reach"): _level(rng, 2_400, growth=0.35, season=0.2, peak=7),
        ("instagram", "views"): _level(rng, 7_500, growth=0.45, season=0.2, peak=7),
        ("instagram", "engagements"): _level(rng, 160, growth=0.3, season=0.2, peak=7, noise=0.3),
    }
    charts = {key: _counts(rng, level) for key, level in charts.items()}
    for period in MONTHS:
        month = _Month(period)
        for page in pages:
            broken = (
                page.kind == "facebook"
                and page.account == CORPORATE
                and str(month.period) == "2026-03"
            )
            _meta_content(rng, writer, rows, month, page, error_row=broken)
        _meta_overview(writer, rows, month, charts)


def _meta_posts(
    rng: np.random.Generator, month: _Month, page: _Page
) -> tuple[pd.DatetimeIndex, dict[str, np.ndarray]]:
    """A page's posts of a month: their days and their figures (one value per post)."""
    days = _posts_per_day(rng, month, page.rate)
    n = len(days)
    reach = _around(rng, page.reach, days, 0.6)
    interactions = rng.binomial(reach, 0.045)
    comments = rng.binomial(interactions, 0.18)
    shares = rng.binomial(interactions - comments, 0.15)
    posts = {"Reach": reach, "Comments": comments, "Shares": shares}
    if page.kind == "facebook":
        link = rng.random(n) < 0.35
        clicks = rng.binomial(reach, 0.03)
        posts |= {
            "Views": reach + rng.binomial(reach, 0.7),
            "Reactions, Comments and Shares": interactions,
            "Reactions": interactions - comments - shares,
            "Total clicks": clicks,
            "Link Clicks": np.where(link, rng.binomial(clicks, 0.5), -1),  # -1: empty cell
            "Other Clicks": clicks - np.where(link, rng.binomial(clicks, 0.5), 0),
            "Post type": np.where(link, "Links", rng.choice(["Photos", "Videos", "Reels"], n)),
        }
    else:
        posts |= {
            "Likes": interactions - comments - shares,
            "Saves": rng.binomial(reach, 0.006),
            "Follows": rng.binomial(reach, 0.002),
            "Post type": rng.choice(["IG image", "IG reel", "IG carousel"], n, p=[0.5, 0.35, 0.15]),
        }
    return days, posts


def _meta_content(
    rng: np.random.Generator,
    writer: _Writer,
    rows: _Rows,
    month: _Month,
    page: _Page,
    *,
    error_row: bool = False,
) -> None:
    """One content export (newest post first) and the tidy rows it gives."""
    days, posts = _meta_posts(rng, month, page)
    times = days + pd.to_timedelta(np.sort(rng.integers(7 * 60, 22 * 60, len(days))), unit="min")
    times = times.sort_values()
    ids = _ids(rng, 10**14 * int(rng.integers(1, 9)), len(days), 10**9)
    header = page.header
    table: list[list] = []
    for i, post_id in enumerate(f"{'17' if page.kind == 'instagram' else ''}{n}" for n in ids):
        text = _topic(rng, page.account)
        cells = {
            "Post ID": post_id,
            "Page ID": page.page_id,
            "Account ID": page.page_id,
            "Page name": page.name,
            "Account username": page.name,
            "Account name": CORPORATE,
            "Title": text if page.kind == "facebook" else "",
            "Description": text if page.kind == "instagram" else "",
            "Duration (sec)": "0",
            "Publish time": f"{times[i]:%m/%d/%Y %H:%M}",
            "Caption type": "N/A",
            "Permalink": f"https://www.facebook.com/{page.page_id}/posts/{post_id}"
            if page.kind == "facebook"
            else f"https://www.instagram.com/p/EM{post_id[-9:]}/",
            "Is crosspost": "0",
            "Is share": "0",
            "Date": "Lifetime",
        }
        for col, values in posts.items():
            empty = col == "Link Clicks" and values[i] < 0
            cells[col] = "" if empty else str(values[i])
        table.append([cells.get(col, "") for col in header])
    table.reverse()  # Business Suite lists the newest first
    if error_row:  # a post Meta could not compute: no id, no time (the reader skips it)
        broken = dict.fromkeys(header, "") | {
            "Data comment": f"An error occurred while computing metadata for content with ID "
            f"{ids[-1] + 7}.",
            "Date": "Lifetime",
            "Reach": "12",
        }
        table.insert(len(table) // 2, [broken[c] for c in header])
    name = f"{month.first:%b-%d-%Y}_{month.last:%b-%d-%Y}_{int(rng.integers(10**15, 10**16))}"
    writer.text(
        f"{month.folder}/meta/{name}.csv", _csv([header, *table], quote_spaces=True), bom=True
    )
    # Per day published: posts and the sums (an empty cell is no figure); the days of the
    # range without a post count 0.
    frame = pd.DataFrame({"posts": 1}, index=days)
    for col, metric in _META_METRICS[page.kind].items():
        if col in header:
            frame[metric] = np.where(posts[col] < 0, np.nan, posts[col])
    per_day = frame.groupby(level=0).sum(min_count=1)
    quiet = pd.date_range(month.first, month.last).difference(per_day.index)
    per_day = pd.concat([per_day, pd.DataFrame(0.0, index=quiet, columns=per_day.columns)])
    for metric in per_day.columns:
        rows.add(per_day.index, per_day.index, page.kind, page.account, metric, per_day[metric])


def _meta_overview(
    writer: _Writer, rows: _Rows, month: _Month, charts: dict[tuple[str, str], np.ndarray]
) -> None:
    """The corporate page's overview downloads: UTF-16 charts, one file per figure.

    ``Reach.csv`` is written as Business Suite writes tab-separated files (``sep=<TAB>``,
    CRLF), the others comma-separated (``sep=,``, quoted cells).
    """
    for metric, title in _OVERVIEW.items():
        lines = ["sep=\t"] if metric == "reach" else ["sep=,"]
        for platform in ("facebook", "instagram"):
            if (platform, metric) not in charts:
                continue
            values = charts[(platform, metric)][month.at]
            rows.add(month.days, month.days, platform, CORPORATE, metric, values)
            chart = f"{platform.capitalize()} {title.lower()}"
            days = [f"{d:%Y-%m-%d}T00:00:00" for d in month.days]
            if metric == "reach":
                lines += [f"{chart}\t", "Date\tPrimary"]
                lines += [f"{d}\t{v}" for d, v in zip(days, values, strict=True)]
                lines.append("\t")
            else:
                lines += [f'"{chart}"', '"Date","Primary"']
                lines += [f'"{d}","{v}"' for d, v in zip(days, values, strict=True)]
                lines.append("")
        end = "\r\n" if metric == "reach" else "\n"
        writer.text(
            f"{month.folder}/meta/overview/{title}.csv",
            end.join(lines) + end,
            encoding="utf-16-le",
            bom=True,
        )


# --- X --------------------------------------------------------------------------------


_X_CONTENT = [
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
    "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
    "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks",
]  # fmt: skip
_X_OVERVIEW = [
    "Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows",
    "Unfollows", "Replies", "Reposts", "Profile visits", "Create Post", "Video views",
    "Media views",
]  # fmt: skip
#: X column -> tidy metric, as the X reader reads them.
_X_METRICS = {
    "Impressions": "impressions",
    "Likes": "likes",
    "Engagements": "engagements",
    "Shares": "shares",
    "Replies": "replies",
    "Reposts": "retweets",
    "New follows": "new_follows",
}


def _x_day(day: pd.Timestamp) -> str:
    """A day as X writes it (``Sun, Nov 1, 2026``)."""
    return f"{day:%a, %b} {day.day}, {day.year}"


def _x_figures(rng: np.random.Generator, impressions: np.ndarray) -> dict[str, np.ndarray]:
    """Engagements and the counts X gives beside them (likes, reposts ... are some of them)."""
    engagements = rng.binomial(impressions, 0.022)
    likes = rng.binomial(engagements, 0.4)
    reposts = rng.binomial(engagements - likes, 0.2)
    replies = rng.binomial(engagements - likes - reposts, 0.15)
    return {
        "Impressions": impressions,
        "Engagements": engagements,
        "Likes": likes,
        "Reposts": reposts,
        "Replies": replies,
        "Shares": rng.binomial(engagements - likes - reposts - replies, 0.05),
        "Bookmarks": rng.binomial(impressions, 0.001),
        "New follows": rng.binomial(impressions, 0.0004),
        "Unfollows": rng.binomial(impressions, 0.0002),
        "Profile visits": rng.binomial(impressions, 0.004),
        "Detail Expands": rng.binomial(impressions, 0.008),
        "URL Clicks": rng.binomial(impressions, 0.004),
        "Hashtag Clicks": rng.binomial(impressions, 0.0005),
        "Permalink Clicks": rng.binomial(impressions, 0.0008),
        "Video views": rng.binomial(impressions, 0.03),
        "Media views": rng.binomial(impressions, 0.05),
    }


def _x(rng: np.random.Generator, writer: _Writer, rows: _Rows) -> None:
    """The corporate account's overview and each division account's content export."""
    level = _level(rng, 24_000, growth=-0.08, season=0.12, peak=1, weekend=0.75, noise=0.2)
    daily = _x_figures(rng, _counts(rng, level))
    daily["Create Post"] = _counts(
        rng, _level(rng, 4.5, growth=-0.05, season=0.05, peak=1, weekend=0.5)
    )
    divisions = {
        handle: (
            _level(rng, 1.4, growth=0.0, season=0.1, peak=9, weekend=0.5, noise=0.1),
            _level(rng, 1_100, growth=-0.05, season=0.12, peak=1, noise=0.2),
        )
        for handle, account in X_HANDLES.items()
        if account != CORPORATE
    }
    first_id = 1_985_000_000_000_000_000
    for number, period in enumerate(MONTHS):
        month = _Month(period)
        at = month.at
        table = [[_x_day(DAYS[i]), *(daily[c][i] for c in _X_OVERVIEW[1:])] for i in at[::-1]]
        writer.text(
            f"{month.folder}/x/EastmerePolice/account_overview_analytics.csv",
            _csv([_X_OVERVIEW, *table]),
        )
        for col, metric in {**_X_METRICS, "Create Post": "tweets"}.items():
            rows.add(month.days, month.days, "twitter", CORPORATE, metric, daily[col][at])
        for handle, (rate, reach) in divisions.items():
            start = first_id + number * 10**16
            _x_content(rng, writer, rows, month, handle, rate, reach, start)


def _x_content(
    rng: np.random.Generator,
    writer: _Writer,
    rows: _Rows,
    month: _Month,
    handle: str,
    rate: np.ndarray,
    reach: np.ndarray,
    first_id: int,
) -> None:
    """A division account's content export of a month (newest post first)."""
    account = X_HANDLES[handle]
    days = _posts_per_day(rng, month, rate)
    posts = _x_figures(rng, _around(rng, reach, days, 0.7))
    ids = _ids(rng, first_id, len(days), 10**13)
    table = [
        [post_id, _x_day(day), _topic(rng, account), f"https://x.com/{handle}/status/{post_id}",
         *(posts[c][i] for c in _X_CONTENT[4:])]
        for i, (post_id, day) in enumerate(zip(ids, days, strict=True))
    ][::-1]  # fmt: skip
    name = f"account_analytics_content_{month.first:%Y-%m-%d}_{month.last:%Y-%m-%d}.csv"
    writer.text(f"{month.folder}/x/{handle}/{name}", _csv([_X_CONTENT, *table]))
    per_day = pd.DataFrame({c: posts[c] for c in _X_METRICS}, index=days).assign(posts=1)
    per_day = per_day.groupby(level=0).sum()
    rows.add(per_day.index, per_day.index, "twitter", account, "tweets", per_day["posts"])
    for col, metric in _X_METRICS.items():
        rows.add(per_day.index, per_day.index, "twitter", account, metric, per_day[col])


# --- YouTube Studio --------------------------------------------------------------------


@dataclass
class _Channel:
    """The YouTube channel's videos and what each got each day."""

    ids: list[str]
    titles: list[str]
    published: list[str]
    durations: np.ndarray
    views: np.ndarray  # video x day
    watch: np.ndarray  # hours, video x day
    subscribers: np.ndarray  # net, video x day


def _studio_day(day: pd.Timestamp) -> str:
    """A day as Studio writes a publish time (``Sep 2, 2024``)."""
    return f"{day:%b} {day.day}, {day.year}"


def _videos(rng: np.random.Generator) -> _Channel:
    """A library of older videos and a few new ones each month, each with a launch peak."""
    library = 140
    new = rng.integers(2, 6, len(MONTHS))
    published = np.concatenate(
        [
            np.sort(rng.integers(-6 * 365, -20, library)),
            *(
                np.sort(rng.choice(_Month(m).at, k, replace=False))
                for m, k in zip(MONTHS, new, strict=True)
            ),
        ]
    )
    count = len(published)
    dates = [DAYS[0] + pd.Timedelta(days=int(offset)) for offset in published]
    titles: list[str] = []
    for day in dates:  # unique: the reader's segments are the titles
        while True:
            topic = _VIDEO_TOPICS[int(rng.integers(len(_VIDEO_TOPICS)))]
            title = f"{topic} ({_town(rng, CORPORATE)}, {day:%B %Y})"
            if title not in titles:
                break
        titles.append(title)
    letters = list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_")
    ids = ["".join(rng.choice(letters, 11)) for _ in range(count)]
    durations = rng.integers(25, 900, count)
    appeal = rng.lognormal(0, 1.0, count)  # how much each video is watched
    channel = _level(rng, 420, growth=0.3, season=0.15, peak=12, noise=0.2)
    age = np.arange(len(DAYS))[None, :] - published[:, None]
    weight = np.where(age >= 0, appeal[:, None] * (0.08 + 2.5 * np.exp(-age / 9.0)), 0.0)
    views = rng.poisson(channel[None, :] * weight / np.maximum(weight.sum(axis=0), 1e-9))
    watched = durations * rng.uniform(0.25, 0.55, count) / 3600  # hours per view
    return _Channel(
        ids,
        titles,
        [_studio_day(d) for d in dates],
        durations,
        views,
        views * watched[:, None],
        rng.binomial(views, 0.004) - rng.binomial(views, 0.0012),
    )


def _youtube(rng: np.random.Generator, writer: _Writer, rows: _Rows) -> None:
    """Studio's Content tab exported each month: Table data, Chart data (views), Totals."""
    channel = _videos(rng)
    for period in MONTHS:
        month = _Month(period)
        folder = f"{month.folder}/youtube/Content {month.first:%Y-%m-%d}_{month.last:%Y-%m-%d} "
        folder += CORPORATE
        totals = channel.views[:, month.at].sum(axis=0)
        writer.text(
            f"{folder}/Totals.csv",
            _csv([["Date", "Views"], *zip(month.days.strftime("%Y-%m-%d"), totals, strict=True)]),
        )
        rows.add(month.days, month.days, "youtube", CORPORATE, "views", totals)
        shown = _studio_table(rng, writer, rows, month, folder, channel)
        top = shown[:5]  # the chart's lines: the top five videos
        chart = [["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]]
        for position, day in zip(month.at, month.days, strict=True):
            chart += [
                [f"{day:%Y-%m-%d}", channel.ids[i], channel.titles[i], channel.published[i],
                 channel.durations[i], channel.views[i, position]]
                for i in top
            ]  # fmt: skip
        writer.text(f"{folder}/Chart data.csv", _csv(chart))
        for i in top:
            views = channel.views[i, month.at]
            rows.add(
                month.days, month.days, "youtube", CORPORATE, "views", views, channel.titles[i]
            )


def _studio_table(
    rng: np.random.Generator,
    writer: _Writer,
    rows: _Rows,
    month: _Month,
    folder: str,
    channel: _Channel,
) -> list[int]:
    """``Table data.csv``: the 25 videos on screen; its Total covers every video.

    Returns:
        The videos shown, most viewed first.
    """
    views = channel.views[:, month.at].sum(axis=1)
    watch = np.round(channel.watch[:, month.at].sum(axis=1), 4)
    subs = channel.subscribers[:, month.at].sum(axis=1)
    shown = [int(i) for i in np.argsort(-views, kind="stable") if views[i] > 0][:25]
    impressions = (views * rng.uniform(8, 25, len(views))).astype(np.int64)
    totals = {
        "views": int(views.sum()),
        "watch_hours": round(float(channel.watch[:, month.at].sum()), 4),
        "subscribers_gained": int(subs.sum()) + int(rng.integers(1, 6)),  # channel page's too
    }
    header = ["Content", "Video title", "Video publish time", "Duration", "Views",
              "Watch time (hours)", "Subscribers", "Impressions",
              "Impressions click-through rate (%)"]  # fmt: skip
    table = [["Total", "", "", "", totals["views"], f"{totals['watch_hours']:.4f}",
              totals["subscribers_gained"], impressions.sum(),
              round(100 * views.sum() / max(impressions.sum(), 1) / 3, 2)]]  # fmt: skip
    table += [
        [channel.ids[i], channel.titles[i], channel.published[i], channel.durations[i], views[i],
         f"{watch[i]:.4f}", subs[i], impressions[i],
         round(100 * views[i] / max(impressions[i], 1) / 3, 2)]
        for i in shown
    ]  # fmt: skip
    writer.text(f"{folder}/Table data.csv", _csv([header, *table]))
    # The Total is a row of its own when it differs from the rows shown by more than their
    # rounding (half a unit of the 4th decimal of each row, for hours).
    for metric, values, rounding in (
        ("views", views, 0.0),
        ("watch_hours", watch, 0.5e-4 * (len(shown) + 1)),
        ("subscribers_gained", subs, 0.0),
    ):
        per_video = [(channel.titles[i], float(values[i])) for i in shown]
        rows.over(month, "youtube", CORPORATE, metric, per_video)
        total = totals[metric]
        if abs(total - sum(v for _, v in per_video)) > rounding + 1e-9 * max(abs(total), 1.0):
            rows.over(month, "youtube", CORPORATE, metric, [("", total)])
    return shown


# --- Neighbourhood Alert (In the Know) ----------------------------------------------------


def _members(rng: np.random.Generator, writer: _Writer, rows: _Rows) -> None:
    """The member export taken on the last day: everyone registered since the launch.

    The members of the earlier alert list were moved over on the launch day and carry
    it as their registration date; new members join each day after (campaigns lift it).
    The platform lists members by id, the order they joined.
    """
    joining = _counts(rng, _level(rng, 21, growth=0.1, season=0.25, peak=10, weekend=0.7))
    joining[0] += 11_500  # moved over on the launch day
    joining[-1] = max(joining[-1], 1)  # someone joins on the export's day
    registered = pd.DatetimeIndex(np.repeat(DAYS.to_numpy(), joining))
    n = len(registered)
    areas = rng.choice(np.array(list(AREAS)), n, p=rng.dirichlet(np.full(len(AREAS), 8.0)))
    first = rng.choice(_FIRST_NAMES, n)
    last = rng.choice(_LAST_NAMES, n)
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    header = ["Member ID", "First Name", "Last Name", "Email Address", "Mobile Number",
              "Address Line 1", "Postcode", "Neighbourhood", "Date Registered",
              "Alert Preferences"]  # fmt: skip
    phones = rng.integers(1000, size=n)
    numbers = rng.integers(1, 200, n)
    streets = rng.choice(_STREETS, n)
    postcodes = zip(
        rng.integers(1, 20, n), rng.integers(1, 10, n), rng.choice(letters, (n, 2)), strict=True
    )
    alerts = np.where(rng.random(n) < 0.5, "Crime; Road safety", "Crime")
    table = [
        [100_000 + i, first[i], last[i],
         f"{first[i].lower()}.{last[i].lower()}{i}@example.invalid", f"07700 900{phones[i]:03d}",
         f"{numbers[i]} {streets[i]}, {areas[i]}", f"EM{district} {sector}{''.join(unit)}",
         areas[i], day, alerts[i]]
        for i, (district, sector, unit), day in zip(
            range(n), postcodes, registered.strftime("%d/%m/%Y"), strict=True
        )
    ]  # fmt: skip
    writer.text(
        f"exports/{LAST_MONTH}/neighbourhood_alert/In the Know members {DAYS[-1]:%Y-%m-%d}.csv",
        _csv([header, *table], newline="\r\n"),
        bom=True,
    )
    divisions = pd.Series(areas).map(AREAS).to_numpy()
    for division in DIVISIONS:
        joined = pd.Series(registered[divisions == division]).value_counts()
        members = joined.reindex(DAYS, fill_value=0).cumsum()
        rows.add(DAYS, DAYS, "itk", division, "registered_users", members)


# --- the mapping and the profile ---------------------------------------------------------


def _accounts_yml() -> str:
    lines = [
        f"# {FORCE} (a fictional force): the account mapping of its exports, written by",
        "# tools/example_force.py. See data/raw/exports/README.md for the shape.",
        "accounts:",
    ]
    for name, account in FACEBOOK_PAGES.items():
        if name != account:
            lines += [f"  - name: {name:<28}# Facebook page", f"    account: {account}"]
            lines.append(f"    division: {account}")
    lines += [f"  - name: {INSTAGRAM_USER:<28}# Instagram username",
              f"    account: {CORPORATE}"]  # fmt: skip
    for handle, account in X_HANDLES.items():
        if account != CORPORATE:
            lines += [f"  - name: {handle:<28}# X handle", f"    account: {account}"]
            lines.append(f"    division: {account}")
    lines += [
        f"  - name: {PROPERTY:<28}# the GA4 property",
        f"    account: {SITE}",
        "    channel: website",
        "",
        "# Files that name no account: path globs under this folder (first match wins).",
        "files:",
        '  - path: "*/x/EastmerePolice/*"      # X account overview',
        f"    account: {CORPORATE}",
        '  - path: "*/meta/overview/*"         # Business Suite overview charts',
        f"    account: {CORPORATE}",
        '  - path: "*/ga4/explore/*"           # GA4 Explore downloads',
        f"    account: {SITE}",
        "    channel: website",
        "",
        "# In the Know (Neighbourhood Alert) member exports: only these two columns are read.",
        "member_exports:",
        '  - path: "*/neighbourhood_alert/*"',
        "    area_column: Neighbourhood",
        "    registered_column: Date Registered",
        '    date_format: "%d/%m/%Y"',
        "    areas:",
        *(f"      {area}: {division}" for area, division in AREAS.items()),
    ]
    return "\n".join(lines) + "\n"


#: What each page says about the force's channels (the profile's ``pages``).
_PAGE_TEXTS = {
    "social": f"{CORPORATE}'s Facebook pages and X accounts (the corporate account and one "
    "for each division), its Instagram account and YouTube channel.",
    "website": f"{SITE}: news, appeals and online reporting.",
    "itk": "In the Know: messages about crime and safety from local officers, sent through "
    "Neighbourhood Alert. It opened in November 2025 with the members of the force's "
    "earlier alert list.",
}


def _force_yml() -> str:
    """The force profile (``raw/force.yml``)."""
    lines = [
        "# The force this data folder belongs to: named on every page and the board paper.",
        f"# {FORCE} is fictional (written by tools/example_force.py).",
        f"name: {FORCE}",
        f"divisions: [{', '.join(DIVISIONS)}]",
        "sites:                     # the web properties and the channel each feeds",
        f"  website: {SITE}",
        "pages:                     # what each page says about the force's channels; "
        "`from: YYYY-MM` = first period it holds",
    ]
    for page, text in _PAGE_TEXTS.items():
        lines += [f"  {page}:", f"    - text: {json.dumps(text, ensure_ascii=False)}"]
        if page == "itk":
            lines.append(f"      from: {FIRST_MONTH}")
    return "\n".join(lines) + "\n"


# --- the whole folder --------------------------------------------------------------------


def generate(out: Path | str, *, seed: int = 1) -> ExampleForce:
    """Write the example force's data folder: ``out/raw/`` and ``out/expected.json``.

    Args:
        out: The data folder to write (created); never the project's ``data/raw/``.
        seed: The random seed (the same seed writes the same files).

    Returns:
        What was written, with the expected monthly figures.

    Raises:
        ValueError: If ``out`` lies under the project's ``data/raw/`` or already holds
            a ``raw/`` folder with files in it.
    """
    out = Path(out)
    resolved = out.resolve()
    if resolved.is_relative_to(config.RAW_DIR.resolve()):
        raise ValueError(
            f"the example force is not written under {config.RAW_DIR} (the project's raw "
            "data): give another folder, e.g. data/example"
        )
    raw = out / "raw"
    if raw.is_dir() and any(raw.iterdir()):
        raise ValueError(f"{raw} already holds files: remove it or give another folder")
    rng = np.random.default_rng(seed)
    writer, rows = _Writer(raw), _Rows()
    writer.text("force.yml", _force_yml())
    writer.text("exports/accounts.yml", _accounts_yml())
    for part in (_ga4, _meta, _x, _youtube, _members):
        part(rng, writer, rows)
    expected = rows.monthly()
    result = ExampleForce(out, seed, sorted(writer.files), expected)
    document = {
        "force": FORCE,
        "seed": seed,
        "months": [str(m) for m in MONTHS],
        "written_by": "tools/example_force.py",
        "about": "Per channel, account, metric, segment, span (day: rows of one day; "
        "month: rows over the whole month) and month: the sum of the tidy rows "
        "(how: sum) or the value on the month's last day (how: end).",
        "figures": expected.to_dict(orient="records"),
    }
    (out / "expected.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return result


def load_expected(out: Path | str) -> pd.DataFrame:
    """The figures of an ``expected.json`` written by :func:`generate`."""
    document = json.loads((Path(out) / "expected.json").read_text(encoding="utf-8"))
    return pd.DataFrame(document["figures"])


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m tools.example_force OUT [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.example_force", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "out", help="data folder to write (raw/ and expected.json), e.g. data/example"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    try:
        result = generate(args.out, seed=args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    exports = sum(1 for f in result.files if f.startswith("exports/") and not f.endswith(".yml"))
    print(
        f"{FORCE} (fictional), {MONTHS[0]:%B %Y} to {MONTHS[-1]:%B %Y}: {exports} export "
        f"files, accounts.yml and force.yml -> {Path(args.out) / 'raw'}; expected figures in "
        f"{Path(args.out) / 'expected.json'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

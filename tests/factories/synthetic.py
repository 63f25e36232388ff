"""Seeded synthetic platform exports for tests and benchmarks (never real data).

:func:`generate` writes realistic multi-year exports in the formats
:mod:`helpers.ingest.exports` reads: Google Analytics (UA and GA4), Facebook Page
Insights page-level, Meta Business Suite (Facebook and Instagram), Twitter tweet
activity and daily activity, YouTube Studio and a Neighbourhood Alert member
export with an ``accounts.yml`` mapping. Every file is labelled synthetic in its
name (``SYNTHETIC``) and, where the format has a preamble or names an account,
inside the file too. Personal-looking values are invented (``@example.invalid``
addresses, ``07700 900`` numbers reserved for drama).

Write them outside ``data/raw/`` (a temporary folder)::

    python -m tests.factories.synthetic OUT --years 5 --accounts 40 --tweets 700000 --seed 1

The returned :class:`Summary` holds the expected tidy totals per channel and
metric, computed from the generated values, so tests can check a round trip.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config

LABEL = "SYNTHETIC"
#: The divisions of the synthetic force's accounts.
_DIVISIONS = ("West", "South", "East")
_FB_NAMES = {
    "Lifetime Total Likes": "Lifetime: The total number of people who have liked your Page. "
    "(Unique Users)",
    "Daily New Likes": "Daily: The number of new people who have liked your Page. (Unique Users)",
    "Daily Page Engaged Users": "Daily: The number of people who engaged with your Page. "
    "(Unique Users)",
    "Daily Total Reach": "Daily: The number of people who had any content from your Page "
    "enter their screen. (Unique Users)",
}
_TWEET_COUNTS = ["impressions", "engagements", "retweets", "replies", "likes"]
_TWEET_OTHER = [
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
]
_PROMOTED = [
    "promoted impressions",
    "promoted engagements",
    "promoted engagement rate",
    "promoted retweets",
    "promoted replies",
    "promoted likes",
    "promoted user profile clicks",
    "promoted url clicks",
    "promoted hashtag clicks",
    "promoted detail expands",
    "promoted permalink clicks",
    "promoted app opens",
    "promoted app installs",
    "promoted follows",
    "promoted email tweet",
    "promoted dial phone",
    "promoted media views",
    "promoted media engagements",
]
AREAS = {
    "Blackpool": "West",
    "Lancaster": "West",
    "Preston": "South",
    "Chorley": "South",
    "Burnley": "East",
    "Blackburn": "East",
}


@dataclass
class Summary:
    """Expected totals of what was written.

    Attributes:
        files: Paths written (relative to the output folder).
        totals: ``(channel, metric) -> sum`` of the values the exports hold, after
            the overlap rule (tweet activity days covered by a daily export
            count once, from the daily export).
        snapshots: ``(channel, account, metric) -> value`` on the last day
            (lifetime page likes, cumulative registrations).
    """

    files: list[str] = field(default_factory=list)
    totals: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    snapshots: dict[tuple[str, str, str], float] = field(default_factory=dict)


def account_names(count: int) -> list[str]:
    """Synthetic account names (``SYNTHETIC_acct01`` ...)."""
    return [f"{LABEL}_acct{i:02d}" for i in range(1, count + 1)]


def _write(out: Path, relpath: str, text: str, summary: Summary, bom: bool = False) -> None:
    path = out / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")
    summary.files.append(relpath)


def _frame_csv(frame: pd.DataFrame, *, quote_all: bool = False) -> str:
    return frame.to_csv(
        index=False, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )


def _thousands(values: np.ndarray) -> list[str]:
    return [f"{int(v):,}" for v in values]


def _ga_ua(out: Path, rng: np.random.Generator, year: int, summary: Summary) -> None:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    sessions = rng.integers(3_000, 9_000, len(days))
    users = (sessions * rng.uniform(0.7, 0.9, len(days))).astype(int)
    pageviews = (sessions * rng.uniform(2.0, 3.5, len(days))).astype(int)
    devices = np.array([0.5, 0.35, 0.15])
    by_device = np.floor(devices * sessions.sum()).astype(int)
    by_device[0] += sessions.sum() - by_device.sum()
    lines = [
        "# ----------------------------------------",
        f"# {LABEL} All Web Site Data",
        "# Audience Overview (synthetic export)",
        f"# {year}0101-{year}1231",
        "# ----------------------------------------",
        "",
        "Device Category,Sessions,% New Sessions,Bounce Rate",
    ]
    for name, value in zip(["desktop", "mobile", "tablet"], by_device, strict=True):
        lines.append(f'{name},"{int(value):,}",58.10%,49.02%')
    lines += [f',"{int(sessions.sum()):,}",58.10%,49.02%', "", "Day Index,Sessions,Users,Pageviews"]
    for day, s, u, p in zip(
        days, _thousands(sessions), _thousands(users), _thousands(pageviews), strict=True
    ):
        lines.append(f'{day.month}/{day.day}/{day:%y},"{s}","{u}","{p}"')
    lines.append(f',"{int(sessions.sum()):,}","{int(users.sum()):,}","{int(pageviews.sum()):,}"')
    _write(
        out,
        f"website/{LABEL} Analytics All Web Site Data {year}.csv",
        "\n".join(lines) + "\n",
        summary,
    )
    summary.totals[("website", "sessions")] += float(sessions.sum() * 2)  # per day + per device
    summary.totals[("website", "users")] += float(users.sum())
    summary.totals[("website", "pageviews")] += float(pageviews.sum())


def _ga4(out: Path, rng: np.random.Generator, year: int, summary: Summary) -> None:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    frame = pd.DataFrame({"Date": days.strftime("%Y%m%d")})
    frame["Total users"] = rng.integers(200, 900, len(days))
    frame["New users"] = (frame["Total users"] * 0.8).astype(int)
    frame["Sessions"] = (frame["Total users"] * 1.3).astype(int)
    frame["Views"] = (frame["Sessions"] * 2.4).astype(int)
    frame["Engagement rate"] = rng.uniform(0.5, 0.8, len(days)).round(7)
    total = [
        "",
        "",
        str(frame["New users"].sum()),
        str(frame["Sessions"].sum()),
        str(frame["Views"].sum()),
        "",
        "Grand total",
    ]
    text = (
        "\n".join(
            [
                "# ----------------------------------------",
                "# Reports snapshot: Date",
                f"# Account: {LABEL} Trust Ed",
                f"# Property: {LABEL} Trust Ed - GA4",
                "# All Users",
                f"# Start date: {year}0101",
                f"# End date: {year}1231",
                "# ----------------------------------------",
                "",
            ]
        )
        + "\n"
        + _frame_csv(frame)
        + ",".join(total)
        + "\n"
    )
    _write(out, f"trusted2know/{LABEL} GA4 Trust Ed {year}.csv", text, summary)
    for col, metric in (
        ("Total users", "users"),
        ("New users", "new_users"),
        ("Sessions", "sessions"),
        ("Views", "pageviews"),
    ):
        summary.totals[("trusted2know", metric)] += float(frame[col].sum())


def _facebook_page(
    out: Path, rng: np.random.Generator, account: str, year: int, base: int, summary: Summary
) -> int:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    new = rng.integers(0, 60, len(days))
    likes = base + np.cumsum(new)
    reach = rng.integers(1_000, 60_000, len(days))
    engaged = (reach * rng.uniform(0.02, 0.1, len(days))).astype(int)
    frame = pd.DataFrame(
        {
            "Date": [f"{d.month}/{d.day}/{d.year}" for d in days],
            "Lifetime Total Likes": likes,
            "Daily New Likes": new,
            "Daily Page Engaged Users": engaged,
            "Daily Total Reach": reach,
            "Daily Total Reach.1": (reach * 1.05).astype(int),
            "Lifetime Likes by Gender and Age - F.25-34": (likes * 0.2).astype(int),
        }
    )
    header = ["Date", *_FB_NAMES, "Daily Total Reach", "Lifetime Likes by Gender and Age - F.25-34"]
    descriptions = [
        "",
        *_FB_NAMES.values(),
        "Daily: by paid and organic. (Unique Users)",
        "Lifetime: Aggregated demographic information. (Unique Users)",
    ]
    buffer = [",".join(f'"{h}"' for h in header), ",".join(f'"{d}"' for d in descriptions)]
    body = frame.to_csv(index=False, header=False, lineterminator="\n")
    page = account.replace("_", " ")
    _write(
        out,
        f"facebook/Facebook Insights Data Export - {page} - {year}-12-31.csv",
        "\n".join(buffer) + "\n" + body,
        summary,
        bom=True,
    )
    summary.totals[("facebook", "new_likes")] += float(new.sum())
    summary.totals[("facebook", "reach")] += float(reach.sum())
    summary.totals[("facebook", "engaged_users")] += float(engaged.sum())
    summary.totals[("facebook", "page_likes")] += float(likes.sum())
    return int(likes[-1])


def _tweets(
    out: Path,
    rng: np.random.Generator,
    account: str,
    year: int,
    count: int,
    daily: pd.DataFrame,
    summary: Summary,
) -> None:
    """Tweet activity for ``year``.

    It ends later than the daily export ``daily`` (first half of the year), so by
    the overlap rule it wins on every day it has tweets; the daily export's
    values stand on the other days.
    """
    start = pd.Timestamp(f"{year}-01-01")
    seconds = np.sort(rng.integers(0, 365 * 86_400, count))
    times = start + pd.to_timedelta(seconds, unit="s")
    ids = 600_000_000_000_000_000 + year * 10_000_000_000 + np.arange(count)
    counts = {
        "impressions": rng.integers(100, 20_000, count),
        "retweets": rng.integers(0, 50, count),
        "replies": rng.integers(0, 10, count),
        "likes": rng.integers(0, 80, count),
    }
    counts["engagements"] = (
        counts["retweets"] + counts["replies"] + counts["likes"] + rng.integers(0, 100, count)
    )
    texts = np.where(
        rng.random(count) < 0.05,
        "SYNTHETIC appeal, line one\nline two, with a comma",
        "SYNTHETIC tweet text, not a real message",
    )
    frame = pd.DataFrame(
        {
            "Tweet id": ids.astype(str),
            "Tweet permalink": [f"https://twitter.com/{account}/status/{i}" for i in ids],
            "Tweet text": texts,
            "time": times.strftime("%Y-%m-%d %H:%M +0000"),
        }
    )
    for col in _TWEET_COUNTS:
        frame[col] = counts[col].astype(float).astype(str)
    frame.insert(6, "engagement rate", (counts["engagements"] / counts["impressions"]).round(6))
    for col in _TWEET_OTHER:
        frame[col] = "0"
    for col in _PROMOTED:
        frame[col] = "-"
    name = f"tweet_activity_metrics_{account}_{year}0101_{year}1231_en.csv"
    _write(out, f"twitter/{name}", _frame_csv(frame, quote_all=True), summary)
    summary.totals[("twitter", "tweets")] += float(count)
    for col in _TWEET_COUNTS:
        summary.totals[("twitter", col)] += float(counts[col].sum())
    tweeted = set(times.normalize().strftime("%Y-%m-%d"))
    quiet = ~daily["Date"].isin(tweeted).to_numpy()
    summary.totals[("twitter", "tweets")] += float(daily["Tweets published"][quiet].sum())
    for col in _TWEET_COUNTS:
        summary.totals[("twitter", col)] += float(daily[col][quiet].astype(float).sum())


def _twitter_daily(
    out: Path, rng: np.random.Generator, account: str, year: int, summary: Summary
) -> pd.DataFrame:
    """Daily export for the first half of ``year`` (returned; totals added by _tweets)."""
    days = pd.date_range(f"{year}-01-01", f"{year}-06-30", freq="D")
    frame = pd.DataFrame({"Date": days.strftime("%Y-%m-%d")})
    frame["Tweets published"] = rng.integers(0, 20, len(days))
    values = {c: rng.integers(0, 5_000, len(days)) for c in _TWEET_COUNTS}
    for col in _TWEET_COUNTS:
        frame[col] = values[col].astype(float).astype(str)
    name = f"daily_tweet_activity_metrics_{account}_{year}0101_{year}0630_en.csv"
    _write(out, f"twitter/{name}", _frame_csv(frame, quote_all=True), summary)
    return frame


def _meta(out: Path, rng: np.random.Generator, account: str, year: int, summary: Summary) -> None:
    count = 120
    minutes = np.sort(rng.integers(0, 365 * 1440, count))
    times = pd.Timestamp(f"{year}-01-01") + pd.to_timedelta(minutes, unit="min")
    reach = rng.integers(500, 50_000, count)
    frame = pd.DataFrame(
        {
            "Post ID": [f"1029{year}{i:06d}_88{i:08d}" for i in range(count)],
            "Page ID": "1029384756",
            "Page name": account,
            "Title": "",
            "Description": "SYNTHETIC post, not a real message",
            "Duration (sec)": "",
            "Publish time": times.strftime("%m/%d/%Y %H:%M"),
            "Permalink": "https://www.facebook.invalid/post",
            "Post type": "Photos",
            "Date": "Lifetime",
            "Views": reach * 2,
            "Reach": reach,
            "Reactions, Comments and Shares": reach // 20,
            "Reactions": reach // 25,
            "Comments": reach // 200,
            "Shares": reach // 300,
            "Total clicks": reach // 30,
        }
    )
    _write(out, f"meta/{LABEL}_{account}_{year}_content.csv", _frame_csv(frame), summary, bom=True)
    summary.totals[("facebook", "posts")] += float(count)
    summary.totals[("facebook", "post_reach")] += float(reach.sum())


def _youtube(out: Path, rng: np.random.Generator, year: int, summary: Summary) -> None:
    folder = f"youtube/Content {year}-01-01_{year}-12-31 {LABEL} Channel"
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    views = rng.integers(50, 2_000, len(days))
    totals = pd.DataFrame({"Date": days.strftime("%Y-%m-%d"), "Views": views})
    _write(out, f"{folder}/Totals.csv", _frame_csv(totals), summary)
    videos = 20
    table = pd.DataFrame(
        {
            "Content": [f"SYN{year}{i:05d}" for i in range(videos)],
            "Video title": [f"{LABEL} video {i}" for i in range(videos)],
            "Video publish time": "Jan 5, 2020",
            "Duration": rng.integers(30, 600, videos),
            "Views": rng.integers(10, 5_000, videos),
            "Watch time (hours)": rng.uniform(1, 300, videos).round(4),
            "Subscribers": rng.integers(-3, 30, videos),
        }
    )
    total = pd.DataFrame(
        [
            {
                "Content": "Total",
                "Video title": "",
                "Video publish time": "",
                "Duration": "",
                "Views": table["Views"].sum(),
                "Watch time (hours)": round(table["Watch time (hours)"].sum(), 4),
                "Subscribers": table["Subscribers"].sum(),
            }
        ]
    )
    _write(out, f"{folder}/Table data.csv", _frame_csv(pd.concat([total, table])), summary)
    summary.totals[("youtube", "views")] += float(views.sum() + table["Views"].sum())
    summary.totals[("youtube", "subscribers_gained")] += float(table["Subscribers"].sum())


def _members(
    out: Path, rng: np.random.Generator, years: int, end_year: int, summary: Summary
) -> None:
    count = 2_000 * years
    first = pd.Timestamp(f"{end_year - years + 1}-01-01")
    days = first + pd.to_timedelta(rng.integers(0, 365 * years, count), unit="D")
    areas = rng.choice(list(AREAS), count)
    frame = pd.DataFrame(
        {
            "Member ID": np.arange(1, count + 1),
            "First Name": [f"Synthetic{i}" for i in range(count)],
            "Surname": "Person",
            "Email Address": [f"synthetic.person{i}@example.invalid" for i in range(count)],
            "Telephone": [f"07700 900{i % 1000:03d}" for i in range(count)],
            "Address Line 1": [f"{i} Synthetic Street" for i in range(count)],
            "Neighbourhood Area": areas,
            "Date Registered": days.strftime("%d/%m/%Y"),
        }
    )
    _write(out, f"itk/{LABEL} member export.csv", _frame_csv(frame), summary)
    for area, division in AREAS.items():
        key = ("itk", division, "registered_users")
        summary.snapshots[key] = summary.snapshots.get(key, 0.0) + float((areas == area).sum())


def _mapping(accounts: list[str]) -> str:
    lines = [
        f"# {LABEL} account mapping written by tests.factories.synthetic (not real accounts).",
        "accounts:",
        f"  - name: {LABEL} All Web Site Data",
        "    account: lancashire.police.uk",
        "    channel: website",
        f"  - name: {LABEL} Trust Ed - GA4",
        "    account: trustedtoknow.co.uk",
        "    channel: trusted2know",
    ]
    for i, name in enumerate(accounts):
        division = _DIVISIONS[i % len(_DIVISIONS)]
        lines += [f"  - name: {name}", f"    account: {name}", f"    division: {division}"]
        lines += [f"  - name: {name.replace('_', ' ')}", f"    account: {name}"]
    lines += [
        "member_exports:",
        '  - path: "itk/*"',
        "    area_column: Neighbourhood Area",
        "    registered_column: Date Registered",
        '    date_format: "%d/%m/%Y"',
        "    areas:",
        *[f"      {a}: {d}" for a, d in AREAS.items()],
    ]
    return "\n".join(lines) + "\n"


def generate(
    out: Path,
    *,
    years: int = 2,
    accounts: int = 3,
    tweets: int = 2_000,
    seed: int = 1,
    end_year: int = 2024,
) -> Summary:
    """Write synthetic exports into ``out`` (which must not be under ``data/raw``).

    Args:
        out: Target folder (created).
        years: Calendar years of data, ending with ``end_year``.
        accounts: Social media accounts (each gets Facebook and Twitter exports).
        tweets: Tweet rows in all tweet activity exports together.
        seed: Random seed (same seed, same files).
        end_year: Last year written.

    Returns:
        What was written and the expected totals.

    Raises:
        ValueError: If ``out`` lies inside ``data/raw``.
    """
    out = Path(out)
    if out.resolve().is_relative_to(config.RAW_DIR.resolve()):
        raise ValueError(f"synthetic exports must not be written under {config.RAW_DIR}")
    rng = np.random.default_rng(seed)
    summary = Summary()
    names = account_names(accounts)
    _write(out, "accounts.yml", _mapping(names), summary)
    year_list = list(range(end_year - years + 1, end_year + 1))
    per_file = np.full(accounts * years, tweets // max(accounts * years, 1))
    per_file[: tweets - per_file.sum()] += 1
    likes = dict.fromkeys(names, 10_000)
    file_index = 0
    for year in year_list:
        _ga_ua(out, rng, year, summary)
        _ga4(out, rng, year, summary)
        _youtube(out, rng, year, summary)
        for name in names:
            likes[name] = _facebook_page(out, rng, name, year, likes[name], summary)
            daily = _twitter_daily(out, rng, name, year, summary)
            _tweets(out, rng, name, year, int(per_file[file_index]), daily, summary)
            file_index += 1
            if file_index % 4 == 0:
                _meta(out, rng, name, year, summary)
    for name in names:
        summary.snapshots[("facebook", name, "page_likes")] = float(likes[name])
    _members(out, rng, years, end_year, summary)
    summary.totals = dict(summary.totals)
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m tests.factories.synthetic OUT [--years N] ...``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="output folder (outside data/raw)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--tweets", type=int, default=700_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-year", type=int, default=2024)
    args = parser.parse_args(argv)
    try:
        summary = generate(
            Path(args.out),
            years=args.years,
            accounts=args.accounts,
            tweets=args.tweets,
            seed=args.seed,
            end_year=args.end_year,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(summary.files)} synthetic export files -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
